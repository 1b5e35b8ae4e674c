// When and where the masking runs: the next frame or after a pause in typing, the main thread
// or the Web Worker, and which results are stale. No timers or workers here, only the decisions.

/** Inputs up to this many UTF-16 units re-mask on the next frame (≈ 512 tokens and more). */
export const FRAME_CHARS = 4000;
/** Inputs above this many UTF-16 units go to the Web Worker. */
export const WORKER_CHARS = 30_000;

/**
 * Chips drawn at once when a result arrives (more than the token view's box shows), and in each
 * later animation frame: a frame's work stays a few milliseconds however long the text, so typing
 * into 5,000 words stays smooth (bench/demo.mjs measures the longest task).
 */
export const CHIPS_AT_ONCE = 400;
export const CHIPS_PER_FRAME = 300;

export type Timing = { kind: "frame" } | { kind: "debounce"; ms: number };

/**
 * When to re-mask: on the next frame for small inputs or when asked to be immediate (a setting
 * changed), after a pause in typing for large ones (longer for those that go to the worker).
 */
export function timing(textLength: number, immediate: boolean): Timing {
  if (immediate || textLength <= FRAME_CHARS) return { kind: "frame" };
  return { kind: "debounce", ms: textLength > WORKER_CHARS ? 400 : 120 };
}

/** Whether a run over `chars` UTF-16 units of text goes to the worker (when there is one). */
export function inWorker(chars: number, hasWorker: boolean): boolean {
  return hasWorker && chars > WORKER_CHARS;
}

export type RunStart =
  /** Run it now on the main thread. */
  | { id: number; action: "main" }
  /** Post it to the worker. */
  | { id: number; action: "post" }
  /** The worker is busy: run again when it answers. */
  | { id: number; action: "wait" };

/**
 * The runs asked for, one id each. Only the latest run's result is shown; the worker takes one
 * run at a time, and of the runs asked for while it is busy only the last is made, after it answers.
 */
export class RunQueue {
  private latest = 0;
  private busy = false;
  private pending = false;

  /** A run is asked for; `worker` says where it would go. */
  start(worker: boolean): RunStart {
    const id = ++this.latest;
    if (!worker) return { id, action: "main" };
    if (this.busy) {
      this.pending = true;
      return { id, action: "wait" };
    }
    this.busy = true;
    return { id, action: "post" };
  }

  /** Something to show that is not a run (a message instead of a result): earlier results are stale. */
  skip(): void {
    ++this.latest;
  }

  /** The worker answered run `id`, with a result or an error: whether to show it, and whether to run again. */
  answered(id: number): { show: boolean; again: boolean } {
    this.busy = false;
    const again = this.pending;
    this.pending = false;
    return { show: id === this.latest && !again, again };
  }

  /** The worker was replaced: no run is in flight any more, and earlier answers are stale. */
  reset(): void {
    this.busy = false;
    this.pending = false;
    ++this.latest;
  }

  /** Whether progress of run `id` is still worth reporting. */
  isLatest(id: number): boolean {
    return id === this.latest;
  }
}
