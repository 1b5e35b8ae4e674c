import { describe, expect, it } from "vitest";
import { differingPositions, splitSummary } from "../src/model/compare";

describe("side by side", () => {
  it("marks the positions whose outcome or masked id differs", () => {
    const a = { outcome: Uint8Array.from([0, 1, 2, 0, 3]), inputIds: Int32Array.from([5, 103, 77, 8, 9]) };
    const b = { outcome: Uint8Array.from([0, 1, 2, 1, 0]), inputIds: Int32Array.from([5, 103, 78, 103, 9]) };
    // 2: both random, other ids; 3: unselected against mask; 4: kept against unselected.
    expect(differingPositions(a, b)).toEqual([2, 3, 4]);
    expect(differingPositions(a, a)).toEqual([]);
  });

  it("compares outcomes alone when a run's ids are not aligned with its positions (T5, BART)", () => {
    const a = { outcome: Uint8Array.from([0, 1, 0]), inputIds: Int32Array.from([5, 32099]) };
    const b = { outcome: Uint8Array.from([0, 1, 1]), inputIds: Int32Array.from([5, 6, 7]) };
    expect(differingPositions(a, b)).toEqual([2]);
  });
});

describe("two tokenizers", () => {
  const bert = { label: "bert-base-uncased", tokens: 9, selected: 2, differ: 2 };
  const roberta = { label: "roberta-base", tokens: 8, selected: 1, differ: 1 };

  it("name both tokenizers with their counts and the tokens split differently", () => {
    expect(splitSummary(bert, roberta, null)).toBe(
      "Same text, same seed: bert-base-uncased makes 9 tokens (2 selected), roberta-base makes 8 tokens (1 selected). " +
        "2 of the first's tokens and 1 of the second's split the text differently (marked with a dashed underline). " +
        "With other positions the same seed draws for other tokens, so the selections differ by more than the splits.",
    );
  });

  it("say when the splits agree, and why the second row is not masked", () => {
    const t5 = { label: "t5-small", tokens: 1, selected: 0, differ: 0 };
    expect(splitSummary({ ...bert, tokens: 1, differ: 0 }, t5, "no mask token.")).toBe(
      "Same text, same seed: bert-base-uncased makes 1 token (2 selected), t5-small makes 1 token. Both split the text the same way. " +
        "The second row is not masked: no mask token.",
    );
  });
});
