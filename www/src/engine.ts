// The one place that calls mlmask: tokenize, mask, look up token strings. Used as is by the main
// thread (small inputs) and by the Web Worker (large ones), so both give identical results.

import { Masker, type EncodeOptions, type MaskerOptions, type Tokenizer } from "mlmask";
import type { Settings } from "./model/settings";
import { LIMITS, shownShape, type MaskResult } from "./model/result";
import { strategyOption } from "./model/strategies";

export type MaskSettings = Pick<
  Settings,
  | "mlmProbability"
  | "maskReplaceProb"
  | "randomReplaceProb"
  | "seed"
  | "addSpecialTokens"
  | "randomTokens"
  | "padToMultipleOf"
  | "maxLength"
  | "strategy"
  | "strategyParams"
  | "rng"
  | "specialTokens"
>;

export function maskerOptions(s: MaskSettings, seed = s.seed): MaskerOptions {
  const opts: MaskerOptions = {
    mlm: true,
    mlmProbability: s.mlmProbability,
    maskReplaceProb: s.maskReplaceProb,
    randomReplaceProb: s.randomReplaceProb,
    randomTokens: s.randomTokens,
    seed,
    strategy: strategyOption(s.strategy, s.strategyParams),
    rng: s.rng,
    specialTokens: s.specialTokens,
  };
  if (s.padToMultipleOf !== null) opts.padToMultipleOf = s.padToMultipleOf;
  return opts;
}

/** As transformers' tokenizer call + tokenizer.pad: the file's own truncation/padding are ignored. */
export function encodeOptions(s: MaskSettings): EncodeOptions {
  return {
    addSpecialTokens: s.addSpecialTokens,
    truncation: s.maxLength !== null ? { maxLength: s.maxLength } : false,
    padding: s.padToMultipleOf !== null ? { padToMultipleOf: s.padToMultipleOf } : false,
  };
}

export interface TokenizerInfo {
  modelType: string;
  vocabSize: number;
  maskTokenId: number | undefined;
  maskToken: string | undefined;
  padTokenId: number | undefined;
  padToken: string | undefined;
  specialCount: number;
  /** Whether it has T5's sentinels (<extra_id_0>, …). */
  hasSentinels: boolean;
}

export function tokenizerInfo(tok: Tokenizer): TokenizerInfo {
  const maskTokenId = tok.maskTokenId;
  const padTokenId = tok.padTokenId;
  return {
    modelType: tok.modelType,
    vocabSize: tok.vocabSize,
    maskTokenId,
    maskToken: maskTokenId === undefined ? undefined : tok.idToToken(maskTokenId),
    padTokenId,
    padToken: padTokenId === undefined ? undefined : tok.idToToken(padTokenId),
    specialCount: tok.specialIds.length,
    hasSentinels: tok.sentinelIds.length > 0,
  };
}

export type Progress = (stage: string, fraction: number) => void;

/** Tokenize `texts` as one padded batch and mask it with a fresh Masker (same seed ⇒ same result). */
export function runMasking(
  tok: Tokenizer,
  texts: string[],
  starts: number[],
  s: MaskSettings,
  progress: Progress = () => {},
): MaskResult {
  const t0 = performance.now();
  progress("Tokenizing", 0.1);
  const batch = tok.encodeBatch(texts, encodeOptions(s));
  progress("Masking", 0.7);
  const masker = new Masker(tok, maskerOptions(s));
  let masked;
  try {
    masked = masker.mask(batch);
  } finally {
    masker.free();
  }
  progress("Looking up tokens", 0.9);
  const { rows, columns } = shownShape(batch.batchSize, batch.seqLen);
  const tokenStrings = new Map<number, string>();
  const look = (id: number) => {
    if (!tokenStrings.has(id)) tokenStrings.set(id, tok.idToToken(id) ?? `<id ${id}>`);
  };
  const inputLen = masked.seqLen;
  const labelsLen = masked.labelsLen ?? masked.seqLen;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < columns; c++) look(batch.ids[r * batch.seqLen + c]);
    for (let c = 0; c < Math.min(inputLen, LIMITS.columns); c++) look(masked.inputIds[r * inputLen + c]);
    for (let c = 0; c < Math.min(labelsLen, LIMITS.columns); c++) {
      const id = masked.labels[r * labelsLen + c];
      if (id >= 0) look(id);
    }
  }
  const maskTokenId = tok.maskTokenId ?? -1;
  if (maskTokenId >= 0) look(maskTokenId);
  return {
    texts,
    starts,
    batchSize: batch.batchSize,
    seqLen: batch.seqLen,
    ids: batch.ids,
    // The demo encodes with offsets (the default), so the batch has them.
    offsets: batch.offsets!,
    wordIds: batch.wordIds,
    specialTokensMask: batch.specialTokensMask,
    attentionMask: batch.attentionMask,
    inputIds: masked.inputIds,
    labels: masked.labels,
    outcome: masked.outcome,
    strategy: s.strategy,
    inputLen,
    labelsLen,
    inputAttention: masked.attentionMask,
    spanIds: masked.spanIds ?? null,
    maskedLm:
      masked.maxPredictions !== undefined && masked.maskedPositions && masked.maskedIds && masked.maskedWeights
        ? { maxPredictions: masked.maxPredictions, positions: masked.maskedPositions, ids: masked.maskedIds, weights: masked.maskedWeights }
        : null,
    maskTokenId,
    tokenStrings,
    shownRows: rows,
    shownColumns: columns,
    elapsedMs: performance.now() - t0,
    viaWorker: false,
  };
}

/**
 * The number of selected tokens for seeds first, first+1, …, first+runs−1, on the batch of `r`.
 * The selection does not depend on the replacement settings, only on mlmProbability.
 */
export function selectionCounts(
  tok: Tokenizer,
  r: Pick<MaskResult, "ids" | "specialTokensMask" | "attentionMask" | "batchSize" | "seqLen" | "offsets" | "wordIds">,
  s: MaskSettings,
  first: number,
  runs: number,
): Int32Array {
  const input = {
    ids: r.ids,
    specialTokensMask: r.specialTokensMask,
    attentionMask: r.attentionMask,
    wordIds: r.wordIds,
    offsets: r.offsets,
    batchSize: r.batchSize,
    seqLen: r.seqLen,
  };
  const out = new Int32Array(runs);
  const masker = new Masker(tok, maskerOptions(s, first));
  try {
    for (let k = 0; k < runs; k++) {
      masker.reseed(first + k);
      const o = masker.mask(input).outcome;
      let n = 0;
      for (let i = 0; i < o.length; i++) if (o[i] !== 0) n++;
      out[k] = n;
    }
  } finally {
    masker.free();
  }
  return out;
}
