// The messages between the page (runner.ts) and the Web Worker (worker.ts), in both directions.

import type { LoadOptions } from "mlmask";
import type { BuildName } from "./build";
import type { MaskSettings } from "./engine";
import type { MaskResult } from "./model/result";

/** What re-rolling needs of a result: the encoded batch, without the masking. */
export type RerollInput = Pick<MaskResult, "ids" | "specialTokensMask" | "attentionMask" | "batchSize" | "seqLen" | "offsets" | "wordIds">;

export type ToWorker =
  /** Instantiate the page's compiled module of `build` (the worker fetches nothing itself). */
  | { type: "init"; module: WebAssembly.Module; build: BuildName }
  /** Load the tokenizer that later messages name by `key`. */
  | { type: "tokenizer"; key: string; bytes: Uint8Array; options: LoadOptions }
  | { type: "run"; id: number; key: string; texts: string[]; starts: number[]; settings: MaskSettings }
  | { type: "rerolls"; id: number; key: string; input: RerollInput; settings: MaskSettings; runs: number };

export type FromWorker =
  | { type: "progress"; id: number; stage: string; fraction: number }
  | { type: "result"; id: number; result: MaskResult }
  | { type: "rerolls"; id: number; counts: Int32Array; positions: Int32Array }
  | { type: "error"; id: number; message: string };
