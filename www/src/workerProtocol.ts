// The messages between the page (runner.ts) and the Web Worker (worker.ts).

import type { LoadOptions } from "mlmask";
import type { MaskSettings } from "./engine";
import type { MaskResult } from "./model/result";

export type ToWorker =
  | { type: "init"; module: WebAssembly.Module }
  | { type: "tokenizer"; key: string; bytes: Uint8Array; options: LoadOptions }
  | { type: "run"; id: number; key: string; texts: string[]; starts: number[]; settings: MaskSettings }
  | {
      type: "rerolls";
      id: number;
      key: string;
      input: Pick<MaskResult, "ids" | "specialTokensMask" | "attentionMask" | "batchSize" | "seqLen" | "offsets" | "wordIds">;
      settings: MaskSettings;
      runs: number;
    };

export type FromWorker =
  | { type: "progress"; id: number; stage: string; fraction: number }
  | { type: "result"; id: number; result: MaskResult }
  | { type: "rerolls"; id: number; counts: Int32Array }
  | { type: "error"; id: number; message: string };
