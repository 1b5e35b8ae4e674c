import { describe, expect, it } from "vitest";
import { controlReasons } from "../src/model/controls";
import { DEFAULTS } from "../src/model/settings";

describe("controls that do not apply", () => {
  it("all apply to the token strategy, except packing outside batch mode", () => {
    expect(controlReasons({ ...DEFAULTS })).toEqual({
      mlmProbability: null,
      split: null,
      randomTokens: null,
      packing: "Packing lays out a batch: turn on batch mode (one text per line).",
    });
    expect(controlReasons({ ...DEFAULTS, batch: true }).packing).toBeNull();
  });

  it("whole words with replacement \"mask\" ignore the split and the random ids", () => {
    const r = controlReasons({ ...DEFAULTS, strategy: "wholeWord" });
    expect(r.split).toMatch(/^Replacement is "always the mask token \(transformers 5\.x\)": every selected token becomes the mask token/);
    expect(r.randomTokens).toMatch(/No token is replaced by a random id/);
    expect(r.mlmProbability).toBeNull();
    const perWord = controlReasons({ ...DEFAULTS, strategy: "wholeWord", strategyParams: { replacement: "perWord" } });
    expect(perWord.split).toBeNull();
    expect(perWord.randomTokens).toBeNull();
  });

  it("strategies with their own budget and tokens say so, and encoder-decoder ones cannot be packed", () => {
    for (const strategy of ["t5SpanCorruption", "ul2", "bartInfilling", "fim"]) {
      const r = controlReasons({ ...DEFAULTS, strategy, batch: true });
      expect(r.mlmProbability).toMatch(/so mlm_probability does not apply\.$/);
      expect(r.split).toMatch(/so mask_replace_prob and random_replace_prob do not apply\.$/);
      expect(r.packing === null).toBe(strategy === "fim");
    }
    // BART draws random ids (random_ratio) from randomTokens.
    expect(controlReasons({ ...DEFAULTS, strategy: "bartInfilling" }).randomTokens).toBeNull();
    expect(controlReasons({ ...DEFAULTS, strategy: "t5SpanCorruption" }).randomTokens).not.toBeNull();
  });
});
