import { describe, expect, it } from "vitest";
import { STEP_NOTE, stepCell, steps } from "../src/model/steps";
import { chipRows, describePosition, labelsExplanation, LIMITS, positionInfo, shownShape, tokenString } from "../src/model/result";
import { DEFAULTS, STEP_COUNT } from "../src/model/settings";
import { fakeResult } from "./fixtures";

const ctx = { settings: { ...DEFAULTS }, maskToken: "[MASK]", selected: 1, eligible: 2, masked: 1, random: 0 };

describe("steps", () => {
  it("are the collator's seven steps, in order, each with a sentence and transformers' code", () => {
    const all = steps(ctx);
    expect(all).toHaveLength(STEP_COUNT);
    expect(all.map((s) => s.title)).toEqual([
      "Probability matrix",
      "Special tokens and padding set to 0",
      "Bernoulli selection",
      "Labels set to -100 where not selected",
      "Mask-token draw",
      "Random-token draw",
      "Final input_ids",
    ]);
    expect(all[0].code).toContain("torch.full(labels.shape, self.mlm_probability)");
    expect(all[2].code).toContain("torch.bernoulli(probability_matrix");
    expect(all[3].code).toContain("labels[~masked_indices] = -100");
    expect(all[5].sentence).toContain("0.5");
    expect(STEP_NOTE).toMatch(/not the individual coin flips/);
  });

  it("say when transformers skips the random draw", () => {
    const s = steps({ ...ctx, settings: { ...DEFAULTS, maskReplaceProb: 1, randomReplaceProb: 0 } });
    expect(s[5].sentence).toMatch(/^Skipped/);
  });

  it("fill each row from the outcome", () => {
    const r = fakeResult();
    const s = { ...DEFAULTS };
    const row = (n: number) => [0, 1, 2, 3].map((i) => stepCell(n, i, r, s).text);
    expect(row(1)).toEqual(["0.15", "0.15", "0.15", "0.15"]);
    expect(row(2)).toEqual(["0", "0.15", "0.15", "0"]);
    expect(row(3)).toEqual(["0", "1", "0", "0"]);
    expect(row(4)).toEqual(["-100", "7592", "-100", "-100"]);
    expect(row(5)).toEqual(["[CLS]", "[MASK]", "world", "[SEP]"]);
    expect(row(6)).toEqual(["[CLS]", "[MASK]", "world", "[SEP]"]);
    expect(row(7)).toEqual(["101", "103", "2088", "102"]);
    expect(stepCell(4, 0, r, s).tone).toBe("ignored");
    expect(stepCell(5, 1, r, s).tone).toBe("mask");
  });
});

describe("positions", () => {
  it("describe a masked token for the tooltip", () => {
    const r = fakeResult();
    const p = positionInfo(r, 1);
    expect(p).toMatchObject({ row: 0, column: 1, originalToken: "hello", newToken: "[MASK]", label: 7592, special: false });
    expect(p.span).toEqual({ start: 0, end: 5, text: "hello" });
    expect(describePosition(p, 1)).toEqual([
      "Position 1",
      'Original: "hello" (id 7592)',
      'Now: "[MASK]" (id 103) — mask token',
      "Label: 7592 (the model must predict it)",
      'Text: "hello" [0, 5)',
    ]);
    expect(describePosition(positionInfo(r, 0), 2)[0]).toBe("Row 0, position 0 (special token)");
  });

  it("explain labels with the current example", () => {
    expect(labelsExplanation(fakeResult())).toContain('position 1 ("hello") was selected: input_ids holds the mask token 103');
    expect(labelsExplanation(fakeResult({ outcome: new Uint8Array(4) }))).toMatch(/^Nothing was selected/);
  });

  it("fall back to a placeholder for ids not looked up, and cap the shown shape", () => {
    expect(tokenString(fakeResult(), 5)).toBe("<id 5>");
    expect(shownShape(100, 5000)).toEqual({ rows: 32, columns: 1024 });
  });
});

describe("chips drawn", () => {
  it("share LIMITS.chips over the shown rows, each capped at the shown columns", () => {
    expect(chipRows({ shownRows: 2, shownColumns: 12, seqLen: 12 })).toEqual({ counts: [12, 12], cut: false });
    expect(chipRows({ shownRows: 1, shownColumns: 1024, seqLen: 6000 })).toEqual({ counts: [1024], cut: true });
    const many = chipRows({ shownRows: 32, shownColumns: 300, seqLen: 300 });
    expect(many.counts.reduce((a, b) => a + b, 0)).toBe(LIMITS.chips);
    expect(many.counts).toEqual([300, 300, 300, 300, 300, 300, LIMITS.chips - 6 * 300]);
    expect(many.cut).toBe(true);
  });
});
