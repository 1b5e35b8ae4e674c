import { describe, expect, it } from "vitest";
import { adjustSplit, keepShare, randomGivenUnmasked } from "../src/model/split";
import { splitTexts } from "../src/model/lines";

describe("mask / random / keep split", () => {
  const d = { maskReplaceProb: 0.8, randomReplaceProb: 0.1 };
  it("keeps the sum at most 1 by lowering the other share", () => {
    expect(adjustSplit(d, "maskReplaceProb", 0.95)).toEqual({ maskReplaceProb: 0.95, randomReplaceProb: 0.05 });
    expect(adjustSplit(d, "randomReplaceProb", 0.5)).toEqual({ maskReplaceProb: 0.5, randomReplaceProb: 0.5 });
    expect(adjustSplit(d, "maskReplaceProb", 0.5)).toEqual({ maskReplaceProb: 0.5, randomReplaceProb: 0.1 });
  });
  it("clamps to [0, 1]", () => {
    expect(adjustSplit(d, "maskReplaceProb", 7)).toEqual({ maskReplaceProb: 1, randomReplaceProb: 0 });
    expect(adjustSplit(d, "randomReplaceProb", -1)).toEqual({ maskReplaceProb: 0.8, randomReplaceProb: 0 });
    expect(adjustSplit(d, "randomReplaceProb", NaN).randomReplaceProb).toBe(0);
  });
  it("computes the kept share without float noise", () => {
    expect(keepShare(d)).toBe(0.1);
    expect(keepShare({ maskReplaceProb: 0.7, randomReplaceProb: 0.3 })).toBe(0);
  });
  it("gives transformers' conditional random probability, or null when it skips the draw", () => {
    expect(randomGivenUnmasked(d)).toBeCloseTo(0.5, 12);
    expect(randomGivenUnmasked({ maskReplaceProb: 0.5, randomReplaceProb: 0.4 })).toBeCloseTo(0.8, 12);
    expect(randomGivenUnmasked({ maskReplaceProb: 1, randomReplaceProb: 0 })).toBeNull();
    expect(randomGivenUnmasked({ maskReplaceProb: 0.3, randomReplaceProb: 0 })).toBeNull();
  });
});

describe("batch lines", () => {
  it("is one text without batch mode", () => {
    expect(splitTexts("a\nb", false)).toEqual({ texts: ["a\nb"], starts: [0] });
  });
  it("splits on LF and CR LF, skips blank lines, and keeps where each line starts", () => {
    const input = "one\r\n\r\ntwo\n  \nthree";
    const { texts, starts } = splitTexts(input, true);
    expect(texts).toEqual(["one", "two", "three"]);
    texts.forEach((t, i) => expect(input.slice(starts[i], starts[i] + t.length)).toBe(t));
  });
  it("gives one empty text for blank input", () => {
    expect(splitTexts("\n\n", true)).toEqual({ texts: [""], starts: [0] });
  });
});
