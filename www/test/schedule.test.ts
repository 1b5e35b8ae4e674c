import { describe, expect, it } from "vitest";
import { FRAME_CHARS, runsInWorker, WORKER_CHARS, whenToRun } from "../src/model/schedule";

describe("run scheduling", () => {
  it("runs small inputs and immediate changes on the next frame", () => {
    expect(whenToRun(0, false)).toEqual({ kind: "frame" });
    expect(whenToRun(FRAME_CHARS, false)).toEqual({ kind: "frame" });
    expect(whenToRun(WORKER_CHARS * 10, true)).toEqual({ kind: "frame" });
  });
  it("waits for a pause in typing on larger texts, longer for the worker's", () => {
    expect(whenToRun(FRAME_CHARS + 1, false)).toEqual({ kind: "after", ms: 120 });
    expect(whenToRun(WORKER_CHARS, false)).toEqual({ kind: "after", ms: 120 });
    expect(whenToRun(WORKER_CHARS + 1, false)).toEqual({ kind: "after", ms: 400 });
  });
  it("sends only large texts to the worker, and only when there is one", () => {
    expect(runsInWorker(WORKER_CHARS, true)).toBe(false);
    expect(runsInWorker(WORKER_CHARS + 1, true)).toBe(true);
    expect(runsInWorker(WORKER_CHARS + 1, false)).toBe(false);
  });
});
