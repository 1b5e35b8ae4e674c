// The "Export" download: the batch as transformers returns it, plus the settings that made it.

import type { MaskResult } from "./result";
import type { Settings } from "./settings";

/** Split a flat row-major array into rows of numbers. */
export function toRows(flat: ArrayLike<number>, batchSize: number, seqLen: number): number[][] {
  const rows: number[][] = [];
  for (let r = 0; r < batchSize; r++) rows.push(Array.from({ length: seqLen }, (_, j) => flat[r * seqLen + j]));
  return rows;
}

export interface ExportedBatch {
  input_ids: number[][];
  attention_mask: number[][];
  labels: number[][];
  settings: {
    tokenizer: string;
    mlm_probability: number;
    mask_replace_prob: number;
    random_replace_prob: number;
    seed: number;
    add_special_tokens: boolean;
    random_tokens: string;
    pad_to_multiple_of: number | null;
    max_length: number | null;
    strategy: string;
    strategy_params: Record<string, number | string>;
    rng: string;
    special_tokens: string;
  };
  texts: string[];
  generator: string;
}

export function exportBatch(r: MaskResult, s: Settings, version: string): ExportedBatch {
  return {
    input_ids: toRows(r.inputIds, r.batchSize, r.inputLen),
    attention_mask: toRows(r.inputAttention, r.batchSize, r.inputLen),
    labels: toRows(r.labels, r.batchSize, r.labelsLen),
    settings: {
      tokenizer: s.tokenizer,
      mlm_probability: s.mlmProbability,
      mask_replace_prob: s.maskReplaceProb,
      random_replace_prob: s.randomReplaceProb,
      seed: s.seed,
      add_special_tokens: s.addSpecialTokens,
      random_tokens: s.randomTokens,
      pad_to_multiple_of: s.padToMultipleOf,
      max_length: s.maxLength,
      strategy: s.strategy,
      strategy_params: s.strategyParams,
      rng: s.rng,
      special_tokens: s.specialTokens,
    },
    texts: r.texts,
    generator: `mlmask ${version} demo`,
  };
}

/** JSON text with one tensor row per line: readable, and still valid JSON. */
export function exportText(e: ExportedBatch): string {
  const rows = (m: number[][]) => "[\n" + m.map((row) => `    ${JSON.stringify(row)}`).join(",\n") + "\n  ]";
  return (
    "{\n" +
    `  "input_ids": ${rows(e.input_ids)},\n` +
    `  "attention_mask": ${rows(e.attention_mask)},\n` +
    `  "labels": ${rows(e.labels)},\n` +
    `  "settings": ${JSON.stringify(e.settings)},\n` +
    `  "texts": ${JSON.stringify(e.texts)},\n` +
    `  "generator": ${JSON.stringify(e.generator)}\n` +
    "}\n"
  );
}
