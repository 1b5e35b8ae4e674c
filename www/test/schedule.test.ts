import { describe, expect, it } from "vitest";
import { FRAME_CHARS, inWorker, RunQueue, timing, WORKER_CHARS } from "../src/model/schedule";

describe("when to run", () => {
  it("small texts and changed settings run on the next frame", () => {
    expect(timing(0, false)).toEqual({ kind: "frame" });
    expect(timing(FRAME_CHARS, false)).toEqual({ kind: "frame" });
    expect(timing(WORKER_CHARS * 10, true)).toEqual({ kind: "frame" });
  });

  it("typing in large texts waits for a pause, longer for the worker's", () => {
    expect(timing(FRAME_CHARS + 1, false)).toEqual({ kind: "debounce", ms: 120 });
    expect(timing(WORKER_CHARS, false)).toEqual({ kind: "debounce", ms: 120 });
    expect(timing(WORKER_CHARS + 1, false)).toEqual({ kind: "debounce", ms: 400 });
  });
});

describe("where to run", () => {
  it("only texts above the threshold go to the worker, and only when there is one", () => {
    expect(inWorker(WORKER_CHARS, true)).toBe(false);
    expect(inWorker(WORKER_CHARS + 1, true)).toBe(true);
    expect(inWorker(WORKER_CHARS + 1, false)).toBe(false);
  });
});

describe("RunQueue", () => {
  it("runs on the main thread at once, each with a new id", () => {
    const q = new RunQueue();
    expect(q.start(false)).toEqual({ id: 1, action: "main" });
    expect(q.start(false)).toEqual({ id: 2, action: "main" });
  });

  it("posts to an idle worker and shows its answer", () => {
    const q = new RunQueue();
    const run = q.start(true);
    expect(run.action).toBe("post");
    expect(q.isLatest(run.id)).toBe(true);
    expect(q.answered(run.id)).toEqual({ show: true, again: false });
    expect(q.start(true).action).toBe("post");
  });

  it("while the worker is busy, waits, drops the stale answer and runs once more", () => {
    const q = new RunQueue();
    const first = q.start(true);
    expect(q.start(true).action).toBe("wait");
    expect(q.start(true).action).toBe("wait");
    expect(q.isLatest(first.id)).toBe(false);
    expect(q.answered(first.id)).toEqual({ show: false, again: true });
    const second = q.start(true);
    expect(second.action).toBe("post");
    expect(q.answered(second.id)).toEqual({ show: true, again: false });
  });

  it("drops a worker's answer once a main-thread run or a message has replaced it", () => {
    const q = new RunQueue();
    const big = q.start(true);
    q.start(false);
    expect(q.answered(big.id)).toEqual({ show: false, again: false });
    const again = q.start(true);
    q.skip();
    expect(q.answered(again.id).show).toBe(false);
  });

  it("forgets a replaced worker's run: the next one posts at once and old answers are not shown", () => {
    const q = new RunQueue();
    const lost = q.start(true);
    expect(q.start(true).action).toBe("wait");
    q.reset();
    const next = q.start(true);
    expect(next.action).toBe("post");
    expect(q.isLatest(lost.id)).toBe(false);
    expect(q.answered(next.id)).toEqual({ show: true, again: false });
  });
});
