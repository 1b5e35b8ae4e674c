// Running the masking: soon after each change (model/schedule.ts decides when and where), on the
// main thread for small inputs and in the Web Worker for large ones, showing only the latest
// result. Also the re-rolls behind the statistics histogram, by the same two routes.

import { runMasking, selectionCounts, type MaskSettings, type Rerolled } from "./engine";
import type { BuildName } from "./build";
import type { Loaded } from "./loading";
import { splitTexts } from "./model/lines";
import type { MaskResult } from "./model/result";
import { inWorker, RunQueue, timing } from "./model/schedule";
import { runSummary } from "./model/outcome";
import type { Settings } from "./model/settings";

/** The settings of one run: the page's, and why nothing is masked when the strategy cannot run. */
export type RunSettings = Settings & { notMasked?: string };

const NOT_MASKED = "Not masked: this strategy cannot run with this tokenizer (the Tokens panel says why); the tokens are shown unmasked.";
import { bytes as fmtBytes } from "./model/format";
import type { Status } from "./widgets/status";
import type { FromWorker, RerollInput, ToWorker } from "./workerProtocol";

export interface RunnerHooks {
  /** The text to mask (its length decides when). */
  text(): string;
  /** The tokenizer and settings to run with, or null when nothing can run (the caller shows why). */
  job(): { tokenizer: Loaded; settings: RunSettings } | null;
  show(r: MaskResult): void;
  /**
   * A run failed with `message`: true when the page handles it by switching to the full build
   * (mlmask/lite cannot encode this text), which then runs again.
   */
  fullBuildNeeded(message: string): boolean;
}

/** The last main-thread update: masking alone, and masking plus rendering every view. */
export interface UpdateTiming {
  maskMs: number;
  totalMs: number;
  positions: number;
}

export interface Rerolls {
  /** The selected-token counts for seeds 0 … runs−1, and per position; rejects with the reason when masking fails. */
  done: Promise<Rerolled>;
  /** Stop computing; `done` then never settles. */
  cancel(): void;
}

export interface Runner {
  /**
   * Start the worker on the page's compiled module of `build` (ending a worker on another build);
   * without it every run stays on the main thread.
   */
  startWorker(module: WebAssembly.Module, build: BuildName): void;
  /** Re-mask soon; `immediate` for a changed setting (next frame), else as typing allows. */
  schedule(immediate: boolean): void;
  lastUpdate(): UpdateTiming | null;
  /** Re-mask the batch of `r` with `runs` seeds, where `r` was masked. */
  rerolls(r: MaskResult, tokenizer: Loaded, s: MaskSettings, runs: number, progress: (fraction: number) => void): Rerolls;
}

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));

export function setUpRunner(status: Status, hooks: RunnerHooks): Runner {
  const queue = new RunQueue();
  let worker: Worker | null = null;
  let workerKey = "";
  let frameRequest = 0;
  let debounceTimer = 0;
  let lastUpdate: UpdateTiming | null = null;
  let rerollIds = 0;
  const rerollWaiting = new Map<number, { resolve(r: Rerolled): void; reject(e: Error): void; progress(f: number): void }>();

  const post = (msg: ToWorker) => worker?.postMessage(msg);

  /** Give the worker the tokenizer unless it has it already. */
  function syncTokenizer(t: Loaded) {
    if (!worker || workerKey === t.key) return;
    post({ type: "tokenizer", key: t.key, bytes: t.bytes, options: t.options });
    workerKey = t.key;
  }

  function runNow() {
    const job = hooks.job();
    if (!job) return queue.skip();
    const { tokenizer, settings } = job;
    const { texts, starts } = splitTexts(settings.text, settings.batch);
    const chars = texts.reduce((n, t) => n + t.length, 0);
    const run = queue.start(inWorker(chars, worker !== null));
    if (run.action === "main") {
      try {
        const t0 = performance.now();
        const r = runMasking(tokenizer.tok, texts, starts, settings);
        hooks.show(r);
        lastUpdate = { maskMs: r.elapsedMs, totalMs: performance.now() - t0, positions: r.batchSize * r.seqLen };
        status.idle(r.notMasked ? NOT_MASKED : runSummary(r, `Masked in ${r.elapsedMs.toFixed(1)} ms; with the chips drawn, ${lastUpdate.totalMs.toFixed(1)} ms.`));
      } catch (e) {
        status.idle("");
        if (!hooks.fullBuildNeeded(errorText(e))) status.notice(`Masking failed: ${errorText(e)}`, "error");
      }
    } else if (run.action === "post") {
      syncTokenizer(tokenizer);
      status.busy(`Tokenizing ${fmtBytes(chars * 2)} of text in a background worker…`, 0);
      post({ type: "run", id: run.id, key: tokenizer.key, texts, starts, settings: { ...settings } });
    }
  }

  function receive(msg: FromWorker) {
    if (msg.id < 0) {
      // Not a run: re-rolls, or an error of a message without an id (init, tokenizer).
      const reroll = rerollWaiting.get(msg.id);
      if (msg.type === "progress") reroll?.progress(msg.fraction);
      else if (msg.type === "rerolls") reroll?.resolve({ counts: msg.counts, positions: msg.positions });
      else if (msg.type === "error" && reroll) reroll.reject(new Error(msg.message));
      else if (msg.type === "error" && msg.id === -1) status.notice(`Masking failed: ${msg.message}`, "error");
      if (msg.type !== "progress") rerollWaiting.delete(msg.id);
      return;
    }
    if (msg.type === "progress") {
      if (queue.isLatest(msg.id)) status.busy(`${msg.stage} in a background worker…`, msg.fraction);
      return;
    }
    if (msg.type !== "result" && msg.type !== "error") return;
    const { show, again } = queue.answered(msg.id);
    if (again) runNow();
    if (!show) return;
    if (msg.type === "result") {
      hooks.show(msg.result);
      status.idle(msg.result.notMasked ? NOT_MASKED : runSummary(msg.result, `Masked in ${msg.result.elapsedMs.toFixed(0)} ms (in a background worker).`));
    } else {
      status.idle("");
      if (!hooks.fullBuildNeeded(msg.message)) status.notice(`Masking failed: ${msg.message}`, "error");
    }
  }

  return {
    startWorker(module, build) {
      if (worker) {
        // A worker on the other build: its answers will never come.
        worker.terminate();
        queue.reset();
        for (const waiting of rerollWaiting.values()) waiting.reject(new Error("the page switched to the full build; re-roll again"));
        rerollWaiting.clear();
      }
      worker = null;
      workerKey = "";
      try {
        worker = new Worker(new URL("./worker.ts", import.meta.url), { type: "module", name: "mlmask-worker" });
      } catch {
        worker = null;
        return;
      }
      worker.onmessage = (ev: MessageEvent<FromWorker>) => receive(ev.data);
      worker.onerror = () => {
        worker = null; // fall back to the main thread
      };
      post({ type: "init", module, build });
    },

    schedule(immediate) {
      cancelAnimationFrame(frameRequest);
      clearTimeout(debounceTimer);
      const when = timing(hooks.text().length, immediate);
      if (when.kind === "frame") frameRequest = requestAnimationFrame(runNow);
      else debounceTimer = window.setTimeout(runNow, when.ms);
    },

    lastUpdate: () => lastUpdate,

    rerolls(r, tokenizer, s, runs, progress) {
      const id = -1 - ++rerollIds; // never a run's id, nor the worker's -1 (a message without an id)
      if (r.viaWorker && worker) {
        syncTokenizer(tokenizer);
        const done = new Promise<Rerolled>((resolve, reject) => rerollWaiting.set(id, { resolve, reject, progress }));
        const input: RerollInput = {
          ids: r.ids,
          specialTokensMask: r.specialTokensMask,
          attentionMask: r.attentionMask,
          batchSize: r.batchSize,
          seqLen: r.seqLen,
          offsets: r.offsets,
          wordIds: r.wordIds,
        };
        post({ type: "rerolls", id, key: tokenizer.key, input, settings: { ...s }, runs });
        return { done, cancel: () => rerollWaiting.delete(id) };
      }
      // On the main thread, in slices so that typing stays smooth.
      let cancelled = false;
      const done = new Promise<Rerolled>((resolve, reject) => {
        const counts = new Int32Array(runs);
        const positions = new Int32Array(r.batchSize * r.seqLen);
        let k = 0;
        const slice = () => {
          if (cancelled) return;
          const n = Math.min(100, runs - k);
          try {
            counts.set(selectionCounts(tokenizer.tok, r, s, k, n, positions), k);
          } catch (e) {
            return reject(e instanceof Error ? e : new Error(String(e)));
          }
          k += n;
          if (k < runs) setTimeout(slice, 0);
          else resolve({ counts, positions });
        };
        slice();
      });
      return { done, cancel: () => (cancelled = true) };
    },
  };
}
