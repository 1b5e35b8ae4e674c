import { describe, expect, it } from "vitest";
import { binomialPmf, expectedCounts, logGamma, rerollCaption, rerollCount, selectionHistogram } from "../src/model/stats";

describe("binomial expectation", () => {
  it("logGamma matches factorials", () => {
    expect(Math.exp(logGamma(6))).toBeCloseTo(120, 9);
    expect(logGamma(1)).toBeCloseTo(0, 12);
    expect(Math.exp(logGamma(0.5))).toBeCloseTo(Math.sqrt(Math.PI), 12);
  });

  it("the pmf sums to 1 and has the right mean", () => {
    for (const [n, p] of [[20, 0.15], [512, 0.15], [3, 0.5], [1000, 0.9]]) {
      let sum = 0;
      let mean = 0;
      for (let k = 0; k <= n; k++) {
        const q = binomialPmf(n, p, k);
        sum += q;
        mean += k * q;
      }
      expect(sum).toBeCloseTo(1, 9);
      expect(mean).toBeCloseTo(n * p, 6);
    }
    expect(binomialPmf(4, 0.5, 2)).toBeCloseTo(6 / 16, 12);
  });

  it("handles p = 0 and p = 1", () => {
    expect(binomialPmf(10, 0, 0)).toBe(1);
    expect(binomialPmf(10, 1, 10)).toBe(1);
    expect(binomialPmf(10, 1, 9)).toBe(0);
  });

  it("expects counts from the split", () => {
    const e = expectedCounts(100, 0.15, { maskReplaceProb: 0.8, randomReplaceProb: 0.1 });
    expect(e.selected).toBeCloseTo(15);
    expect(e.mask).toBeCloseTo(12);
    expect(e.random).toBeCloseTo(1.5);
    expect(e.kept).toBeCloseTo(1.5);
    expect(e.selectedSd).toBeCloseTo(Math.sqrt(100 * 0.15 * 0.85));
    const all = expectedCounts(10, 1, { maskReplaceProb: 1, randomReplaceProb: 0 });
    expect([all.selected, all.mask, all.random, all.kept]).toEqual([10, 10, 0, 0]);
  });

  it("bins observed counts next to the expectation", () => {
    const h = selectionHistogram([2, 3, 3, 4], 10, 0.3);
    expect(h.runs).toBe(4);
    expect(h.mean).toBe(3);
    expect(h.observed.reduce((a, b) => a + b)).toBe(4);
    expect(h.observed[3 - h.min]).toBe(2);
    expect(h.expected.reduce((a, b) => a + b)).toBeGreaterThan(3.9);
    expect(h.min).toBe(0);
    expect(h.max).toBe(9); // mean + 4 sd = 8.8
  });

  it("uses fewer re-rolls for big batches", () => {
    expect(rerollCount(100)).toBe(1000);
    expect(rerollCount(200_000)).toBe(50);
    expect(rerollCount(40_000)).toBe(100);
  });
});

describe("rerollCaption", () => {
  const h = selectionHistogram([2, 3, 4, 3], 20, 0.15);
  it("compares with the binomial expectation for token masking", () => {
    expect(rerollCaption(h, 20, 0.15, true, "Token masking")).toBe(
      "Tokens selected over 4 seeds (0–3): mean 3.00, binomial expectation 3.00 ± 1.60 (n = 20, p = 0.15).",
    );
  });
  it("names the strategy's own rule otherwise", () => {
    expect(rerollCaption(h, 1234, 0.15, false, "Whole-word masking")).toBe(
      "Tokens selected over 4 seeds (0–3): mean 3.00 of 1,234 eligible. " +
        "Whole-word masking selects by its own rule (words, spans or a budget), so there is no binomial curve to compare with.",
    );
  });
});
