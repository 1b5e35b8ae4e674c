// The one place that calls mlmask: tokenize, mask, look up token strings. Used as is by the main
// thread (small inputs) and by the Web Worker (large ones), so both give identical results.

import type { EncodeOptions, Masker, MaskerOptions, Tokenizer } from "mlmask";
import { api } from "./build";
import type { Settings } from "./model/settings";
import { LIMITS, shownShape, type MaskResult, type PackedRows } from "./model/result";
import { UL2_MODE_TOKENS } from "./model/corruption";
import { groupTexts, type BlockBatch } from "./model/blocks";
import { FIM_TOKENS, strategyOption } from "./model/strategies";

/**
 * What a run reads of the settings. `notMasked`, when set, is why the strategy cannot run with
 * the tokenizer: the run then only tokenizes (a masker with `mlm: false`), so the tokens show.
 */
export type MaskSettings = { notMasked?: string } & Pick<
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
  | "views"
  | "packing"
  | "blocks"
  | "batch"
>;

/** What masking reads of a batch: `encodeBatch`'s fields, or the blocks `group_texts` cut. */
type EncodedBatch = Pick<ReturnType<Tokenizer["encodeBatch"]>, "ids" | "specialTokensMask" | "attentionMask" | "wordIds" | "offsets" | "batchSize" | "seqLen">;

export function maskerOptions(s: MaskSettings, seed = s.seed): MaskerOptions {
  if (s.notMasked) return { mlm: false, seed, specialTokens: s.specialTokens };
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
  /** Whether it has FIM's tokens (<fim_prefix>, …). */
  hasFimTokens: boolean;
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
    hasFimTokens: FIM_TOKENS.every((t) => tok.tokenToId(t) !== undefined),
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
  let batch: EncodedBatch = tok.encodeBatch(texts, s.blocks !== null ? { ...encodeOptions(s), truncation: false } : encodeOptions(s));
  let blocks: MaskResult["blocks"] = null;
  if (s.blocks !== null) {
    // run_mlm.py's group_texts: the texts, with their special tokens, as one stream cut into blocks.
    const g = groupTexts(batch as BlockBatch, texts, starts, s.blocks);
    batch = g.batch;
    texts = g.texts;
    starts = g.starts;
    blocks = { size: s.blocks, tokens: g.tokens, dropped: g.dropped };
  }
  progress("Masking", 0.7);
  const masker = new (api().Masker)(tok, maskerOptions(s));
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
  const views = s.views > 1 && !s.notMasked ? maskViews(tok, batch, s) : null;
  if (views?.inputIds) for (let c = 0; c < Math.min(views.inputIds.length, LIMITS.chips); c++) look(views.inputIds[c]);
  const packed = s.batch && s.packing !== null && s.blocks === null && !s.notMasked ? pack(tok, texts, s, s.packing) : null;
  if (packed && "inputIds" in packed) for (let c = 0; c < Math.min(packed.inputIds.length, LIMITS.chips); c++) look(packed.inputIds[c]);
  const ul2 =
    masked.denoiser && masked.denoiserNames
      ? { denoiser: masked.denoiser, names: masked.denoiserNames, modeLengths: masked.denoiserNames.map((n) => modeLength(tok, n)) }
      : null;
  const fimTokens = FIM_TOKENS.map((t) => tok.tokenToId(t) ?? -1);
  const fim = masked.fimLayout ? { layout: masked.fimLayout, tokens: fimTokens } : null;
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
    ul2,
    fim,
    views,
    packed,
    notMasked: s.notMasked ?? null,
    blocks,
  };
}

/** The length in tokens of the mode token of the denoiser named `name` (as the package reads it). */
function modeLength(tok: Tokenizer, name: string): number {
  const text = UL2_MODE_TOKENS[name[0]];
  if (!text) return 0;
  return tok.tokenToId(text) !== undefined ? 1 : tok.encode(text, { addSpecialTokens: false }).ids.length;
}

/** The batch's first row masked `s.views` times by one masker (`views`): RoBERTa's dynamic masking, seen at once. */
function maskViews(tok: Tokenizer, batch: EncodedBatch, s: MaskSettings): MaskResult["views"] {
  const seqLen = batch.seqLen;
  const first = {
    ids: batch.ids.subarray(0, seqLen),
    specialTokensMask: batch.specialTokensMask.subarray(0, seqLen),
    attentionMask: batch.attentionMask.subarray(0, seqLen),
    wordIds: batch.wordIds.subarray(0, seqLen),
    offsets: batch.offsets?.subarray(0, 2 * seqLen),
  };
  const masker = new (api().Masker)(tok, { ...maskerOptions(s), views: s.views });
  try {
    const m = masker.mask(first);
    // Strategies that change lengths: the strip shows what each view selected in the input.
    const inputIds = m.seqLen === seqLen ? m.inputIds : null;
    return { count: s.views, seqLen, ids: first.ids, inputIds, outcome: m.outcome, attentionMask: first.attentionMask };
  } finally {
    masker.free();
  }
}

/** `collate(texts, { packing: { maxLength } })`, or why it cannot run. */
function pack(tok: Tokenizer, texts: string[], s: MaskSettings, maxLength: number): PackedRows | { error: string } {
  let masker: Masker | null = null;
  try {
    masker = new (api().Masker)(tok, maskerOptions(s));
    const out = masker.collate(texts, { ...encodeOptions(s), padding: false, packing: { maxLength } });
    return {
      maxLength,
      batchSize: out.batchSize,
      seqLen: out.seqLen,
      inputIds: out.inputIds,
      outcome: out.sourceLen === out.seqLen ? out.outcome : null,
      attentionMask: out.attentionMask,
      sequenceIds: out.sequenceIds!,
      positionIds: out.positionIds!,
      cuSeqlens: out.cuSeqlens!,
    };
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  } finally {
    masker?.free();
  }
}

/**
 * The number of selected tokens for seeds first, first+1, …, first+runs−1, on the batch of `r`.
 * The selection does not depend on the replacement settings, only on mlmProbability.
 */
/** Re-rolls of one batch: selected tokens per run, and per position over all runs. */
export interface Rerolled {
  counts: Int32Array;
  positions: Int32Array;
}

export function selectionCounts(
  tok: Tokenizer,
  r: Pick<MaskResult, "ids" | "specialTokensMask" | "attentionMask" | "batchSize" | "seqLen" | "offsets" | "wordIds">,
  s: MaskSettings,
  first: number,
  runs: number,
  /** Adds, per position of the batch, how many of these runs selected it (the heatmap). */
  positions: Int32Array,
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
  const masker = new (api().Masker)(tok, maskerOptions(s, first));
  try {
    for (let k = 0; k < runs; k++) {
      masker.reseed(first + k);
      const o = masker.mask(input).outcome;
      let n = 0;
      for (let i = 0; i < o.length; i++) {
        if (o[i] !== 0) {
          n++;
          positions[i]++;
        }
      }
      out[k] = n;
    }
  } finally {
    masker.free();
  }
  return out;
}
