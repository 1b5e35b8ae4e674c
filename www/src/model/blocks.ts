// Long texts as the training scripts feed them (issue 14): run_mlm.py's `group_texts` tokenizes
// every text (with its special tokens), concatenates them and cuts the stream into blocks of
// `max_seq_length` tokens, dropping the remainder that does not fill a block (a stream shorter
// than one block stays one short block). This is that cut, on a tokenized batch, with each block
// given the stretch of the input it covers so the page can draw it.

/** The fields of a tokenized batch this reads, and of the batch it returns (what `Masker.mask` takes). */
export interface BlockBatch {
  ids: Uint32Array;
  offsets: Uint32Array;
  wordIds: Int32Array;
  specialTokensMask: Uint8Array;
  attentionMask: Uint8Array;
  batchSize: number;
  seqLen: number;
}

export interface Blocks {
  batch: BlockBatch;
  /** Each block's stretch of the input, and where it starts in the input. */
  texts: string[];
  starts: number[];
  /** Tokens in all, and the remainder dropped. */
  tokens: number;
  dropped: number;
}

/** The rows of the model's maximum length that a batch's rows exceed, as [row, length] pairs. */
export function rowsOverLength(attentionMask: Uint8Array, batchSize: number, seqLen: number, max: number): [number, number][] {
  const over: [number, number][] = [];
  for (let r = 0; r < batchSize; r++) {
    let n = 0;
    for (let c = 0; c < seqLen; c++) n += attentionMask[r * seqLen + c];
    if (n > max) over.push([r, n]);
  }
  return over;
}

/**
 * `group_texts` over `batch` (unpadded rows: attention 0 marks padding) whose row `r` is
 * `texts[r]`, found at `starts[r]` in the input; blocks of `size` tokens.
 */
export function groupTexts(batch: BlockBatch, texts: readonly string[], starts: readonly number[], size: number): Blocks {
  // The input, rebuilt: each text at its start (what separates them is a line break).
  let input = "";
  texts.forEach((t, r) => {
    input += "\n".repeat(Math.max(0, starts[r] - input.length)) + t;
  });
  const ids: number[] = [];
  const special: number[] = [];
  const words: number[] = [];
  const from: number[] = [];
  const to: number[] = [];
  let wordBase = 0;
  for (let r = 0; r < batch.batchSize; r++) {
    let rowWords = 0;
    for (let c = 0; c < batch.seqLen; c++) {
      const i = r * batch.seqLen + c;
      if (batch.attentionMask[i] === 0) continue;
      const w = batch.wordIds[i];
      ids.push(batch.ids[i]);
      special.push(batch.specialTokensMask[i]);
      // Word ids restart in each text; across the stream they must stay apart.
      words.push(w < 0 ? -1 : wordBase + w);
      rowWords = Math.max(rowWords, w + 1);
      from.push(batch.specialTokensMask[i] ? -1 : starts[r] + batch.offsets[2 * i]);
      to.push(batch.specialTokensMask[i] ? -1 : starts[r] + batch.offsets[2 * i + 1]);
    }
    wordBase += rowWords;
  }
  const tokens = ids.length;
  const kept = tokens >= size ? Math.floor(tokens / size) * size : tokens;
  const seqLen = Math.min(size, kept);
  const count = seqLen === 0 ? 0 : kept / seqLen;
  const out: BlockBatch = {
    ids: Uint32Array.from(ids.slice(0, kept)),
    offsets: new Uint32Array(2 * kept),
    wordIds: Int32Array.from(words.slice(0, kept)),
    specialTokensMask: Uint8Array.from(special.slice(0, kept)),
    attentionMask: new Uint8Array(kept).fill(1),
    batchSize: count,
    seqLen,
  };
  const blockTexts: string[] = [];
  const blockStarts: number[] = [];
  for (let b = 0; b < count; b++) {
    const first = b * seqLen;
    let a = Infinity;
    let z = -Infinity;
    for (let k = first; k < first + seqLen; k++) {
      if (from[k] < 0) continue;
      a = Math.min(a, from[k]);
      z = Math.max(z, to[k]);
    }
    if (a === Infinity) a = z = 0; // only special tokens
    blockTexts.push(input.slice(a, z));
    blockStarts.push(a);
    // Offsets relative to the block's stretch; a special token sits where the text before it ends.
    let end = 0;
    for (let k = first; k < first + seqLen; k++) {
      if (from[k] >= 0) end = to[k] - a;
      out.offsets[2 * k] = from[k] >= 0 ? from[k] - a : end;
      out.offsets[2 * k + 1] = from[k] >= 0 ? to[k] - a : end;
    }
  }
  return { batch: out, texts: blockTexts, starts: blockStarts, tokens, dropped: tokens - kept };
}
