import type { MaskResult } from "../src/model/result";

/** "[CLS] hello world [SEP]" with "hello" masked (bert-base-uncased ids). */
export function fakeResult(over: Partial<MaskResult> = {}): MaskResult {
  return {
    texts: ["hello world"],
    starts: [0],
    batchSize: 1,
    seqLen: 4,
    ids: new Uint32Array([101, 7592, 2088, 102]),
    offsets: new Uint32Array([0, 0, 0, 5, 6, 11, 0, 0]),
    wordIds: new Int32Array([-1, 0, 1, -1]),
    specialTokensMask: new Uint8Array([1, 0, 0, 1]),
    attentionMask: new Uint8Array([1, 1, 1, 1]),
    inputIds: new Int32Array([101, 103, 2088, 102]),
    labels: new Int32Array([-100, 7592, -100, -100]),
    outcome: new Uint8Array([0, 1, 0, 0]),
    strategy: "token",
    inputLen: 4,
    labelsLen: 4,
    inputAttention: new Uint8Array([1, 1, 1, 1]),
    spanIds: null,
    maskedLm: null,
    maskTokenId: 103,
    tokenStrings: new Map([
      [101, "[CLS]"],
      [102, "[SEP]"],
      [103, "[MASK]"],
      [7592, "hello"],
      [2088, "world"],
    ]),
    shownRows: 1,
    shownColumns: 4,
    elapsedMs: 0.1,
    viaWorker: false,
    ul2: null,
    fim: null,
    views: null,
    packed: null,
    notMasked: null,
    blocks: null,
    ...over,
  };
}
