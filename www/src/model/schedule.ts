// When and where a masking run happens: the decisions of the run scheduler (runner.ts), kept
// pure so that they are tested without a page.

/** Inputs up to this many UTF-16 units re-mask on the next frame (≈ 512 tokens and more). */
export const FRAME_CHARS = 4000;
/** Inputs above this many UTF-16 units go to the Web Worker. */
export const WORKER_CHARS = 30_000;

/** When to run: on the next animation frame, or after a pause in typing of `ms`. */
export type When = { kind: "frame" } | { kind: "after"; ms: number };

/**
 * Small inputs, and changes that must show at once (a setting, not a keystroke), run on the
 * next frame; larger texts wait for a pause in typing, longer for what goes to the worker.
 */
export function whenToRun(textLength: number, immediate: boolean): When {
  if (immediate || textLength <= FRAME_CHARS) return { kind: "frame" };
  return { kind: "after", ms: textLength > WORKER_CHARS ? 400 : 120 };
}

/** Whether a run over `chars` UTF-16 units of text goes to the worker (when there is one). */
export function runsInWorker(chars: number, workerAvailable: boolean): boolean {
  return workerAvailable && chars > WORKER_CHARS;
}
