// The Web Worker for large texts: same engine as the main thread, off the UI thread.
// It never fetches anything: the compiled WebAssembly module and the tokenizer bytes come from
// the page by postMessage.

import type { Tokenizer } from "mlmask";
import { adopt, api } from "./build";
import { runMasking, selectionCounts } from "./engine";
import { useCatalog } from "./model/strategies";
import type { FromWorker, ToWorker } from "./workerProtocol";

const scope = self as unknown as DedicatedWorkerGlobalScope;
let current: { key: string; tok: Tokenizer } | null = null;

function post(msg: FromWorker, transfer: Transferable[] = []) {
  scope.postMessage(msg, transfer);
}

function tokenizer(key: string): Tokenizer {
  if (!current || current.key !== key) throw new Error("the worker has no tokenizer loaded for this run");
  return current.tok;
}

scope.onmessage = (ev: MessageEvent<ToWorker>) => {
  const msg = ev.data;
  const id = "id" in msg ? msg.id : -1;
  try {
    switch (msg.type) {
      case "init":
        useCatalog(adopt(msg.build, msg.module).strategies());
        break;
      case "tokenizer":
        current?.tok.free();
        current = { key: msg.key, tok: api().Tokenizer.fromJSON(msg.bytes, msg.options) };
        break;
      case "run": {
        const result = runMasking(tokenizer(msg.key), msg.texts, msg.starts, msg.settings, (stage, fraction) =>
          post({ type: "progress", id, stage, fraction }),
        );
        result.viaWorker = true;
        // The arrays of one result may be views of one buffer: transfer each buffer once.
        const buffers = [
          result.ids.buffer,
          result.offsets.buffer,
          result.specialTokensMask.buffer,
          result.attentionMask.buffer,
          result.inputIds.buffer,
          result.labels.buffer,
          result.outcome.buffer,
        ];
        post({ type: "result", id, result }, [...new Set(buffers)] as Transferable[]);
        break;
      }
      case "rerolls": {
        const tok = tokenizer(msg.key);
        const counts = new Int32Array(msg.runs);
        const positions = new Int32Array(msg.input.batchSize * msg.input.seqLen);
        const chunk = Math.max(1, Math.ceil(msg.runs / 20));
        for (let k = 0; k < msg.runs; k += chunk) {
          const n = Math.min(chunk, msg.runs - k);
          counts.set(selectionCounts(tok, msg.input, msg.settings, k, n, positions), k);
          post({ type: "progress", id, stage: "Re-rolling", fraction: (k + n) / msg.runs });
        }
        post({ type: "rerolls", id, counts, positions }, [counts.buffer, positions.buffer]);
        break;
      }
    }
  } catch (e) {
    post({ type: "error", id, message: e instanceof Error ? e.message : String(e) });
  }
};
