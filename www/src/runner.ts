// The run scheduler and the Web Worker: when a masking run happens (model/schedule.ts), where
// (this thread for small inputs, the worker for large ones), and which results still count
// (only the latest run's). The page supplies the run itself and what to do with its outcome.

import type { MaskSettings } from "./engine";
import type { Loaded } from "./loading";
import type { MaskResult } from "./model/result";
import { runsInWorker, whenToRun } from "./model/schedule";
import type { FromWorker, ToWorker } from "./workerProtocol";

/** What one run masks. */
export interface RunInput {
  active: Loaded;
  texts: string[];
  starts: number[];
  settings: MaskSettings;
}

/** What the page does for the runner. */
export interface RunnerHooks {
  /** The text's length in UTF-16 units, which decides when to run. */
  textLength(): number;
  /** What to mask now, or null when there is nothing to run (the page has said why). */
  prepare(): RunInput | null;
  /** Mask on this thread and show the result. */
  runHere(input: RunInput): void;
  /** The worker's result of the latest run. */
  workerResult(result: MaskResult): void;
  /** A run of `chars` UTF-16 units went to the worker. */
  workerStarted(chars: number): void;
  /** The worker's progress on the latest run. */
  progress(stage: string, fraction: number): void;
  /** A run in the worker failed. */
  failed(message: string): void;
  /** The worker is re-rolling: `fraction` done. */
  rerollProgress(fraction: number): void;
}

export interface Runner {
  /** Re-mask soon: on the next frame for small inputs and immediate changes, after a pause in typing otherwise. */
  schedule(immediate: boolean): void;
  /** Start the worker with the compiled module (the page runs everything itself without one). */
  startWorker(module: WebAssembly.Module): void;
  hasWorker(): boolean;
  /** Count selections over `runs` seeds in the worker; `done` gets the counts, `failed` the message. */
  rerollInWorker(
    id: number,
    active: Loaded,
    input: Extract<ToWorker, { type: "rerolls" }>["input"],
    settings: MaskSettings,
    runs: number,
    done: (counts: Int32Array) => void,
    failed: (message: string) => void,
  ): void;
}

export function createRunner(hooks: RunnerHooks): Runner {
  let worker: Worker | null = null;
  let workerKey = "";
  let workerBusy = false;
  let workerPending = false;
  let runCounter = 0;
  let latestRun = 0;
  let frameRequest = 0;
  let debounceTimer = 0;
  const rerolls = new Map<number, { done: (counts: Int32Array) => void; failed: (message: string) => void }>();

  function post(msg: ToWorker) {
    worker?.postMessage(msg);
  }

  function syncTokenizer(active: Loaded) {
    if (!worker || workerKey === active.key) return;
    post({ type: "tokenizer", key: active.key, bytes: active.bytes, options: active.options });
    workerKey = active.key;
  }

  function schedule(immediate: boolean) {
    cancelAnimationFrame(frameRequest);
    clearTimeout(debounceTimer);
    const when = whenToRun(hooks.textLength(), immediate);
    if (when.kind === "frame") frameRequest = requestAnimationFrame(runNow);
    else debounceTimer = window.setTimeout(runNow, when.ms);
  }

  function runNow() {
    const input = hooks.prepare();
    if (!input) return;
    const chars = input.texts.reduce((n, t) => n + t.length, 0);
    const id = ++runCounter;
    latestRun = id;
    if (!runsInWorker(chars, worker !== null)) {
      hooks.runHere(input);
      return;
    }
    // One run at a time in the worker: a change meanwhile runs once it is done, with the
    // settings of that moment.
    if (workerBusy) {
      workerPending = true;
      return;
    }
    syncTokenizer(input.active);
    workerBusy = true;
    hooks.workerStarted(chars);
    post({ type: "run", id, key: input.active.key, texts: input.texts, starts: input.starts, settings: { ...input.settings } });
  }

  function runFinished() {
    workerBusy = false;
    if (workerPending) {
      workerPending = false;
      runNow();
    }
  }

  function onMessage(msg: FromWorker) {
    switch (msg.type) {
      case "progress":
        if (msg.stage === "Re-rolling") hooks.rerollProgress(msg.fraction);
        else if (msg.id === latestRun) hooks.progress(msg.stage, msg.fraction);
        break;
      case "result":
        runFinished();
        if (msg.id === latestRun) hooks.workerResult(msg.result);
        break;
      case "rerolls":
        rerolls.get(msg.id)?.done(msg.counts);
        rerolls.delete(msg.id);
        break;
      case "error": {
        const reroll = rerolls.get(msg.id);
        if (reroll) {
          rerolls.delete(msg.id);
          reroll.failed(msg.message);
          break;
        }
        hooks.failed(msg.message);
        runFinished();
        break;
      }
    }
  }

  return {
    schedule,
    startWorker(module) {
      try {
        worker = new Worker(new URL("./worker.ts", import.meta.url), { type: "module", name: "mlmask-worker" });
      } catch {
        worker = null;
        return;
      }
      worker.onmessage = (ev: MessageEvent<FromWorker>) => onMessage(ev.data);
      worker.onerror = () => {
        worker = null; // fall back to the main thread
      };
      post({ type: "init", module });
    },
    hasWorker: () => worker !== null,
    rerollInWorker(id, active, input, settings, runs, done, failed) {
      syncTokenizer(active);
      rerolls.set(id, { done, failed });
      post({ type: "rerolls", id, key: active.key, input, settings: { ...settings }, runs });
    },
  };
}
