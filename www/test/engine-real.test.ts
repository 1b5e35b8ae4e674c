// The engine and the side-by-side model on real mlmask output (the package's Node entry).
import { afterAll, describe, expect, it } from "vitest";
import { Tokenizer } from "mlmask";
import bertJson from "../public/tokenizers/bert-base-uncased.json?raw";
import robertaJson from "../public/tokenizers/roberta-base.json?raw";
import { runMasking } from "../src/engine";
import { DEFAULTS, SAMPLE_TEXTS } from "../src/model/settings";
import { STRATEGIES } from "../src/model/strategies";
import { bartSides } from "../src/model/seq2seq";
import { groupPlaces } from "../src/model/groups";

const bert = Tokenizer.fromJSON(bertJson);
const roberta = Tokenizer.fromJSON(robertaJson);
afterAll(() => [bert, roberta].forEach((t) => t.free()));
const texts = SAMPLE_TEXTS.find((t) => t.id === "batch")!.text.split("\n");

describe("real runs", () => {
  it.each(STRATEGIES.filter((s) => s.id !== "t5SpanCorruption").map((s) => s.id))("%s gives a consistent result", (strategy) => {
    const r = runMasking(bert, texts, [0, 0, 0], { ...DEFAULTS, strategy, mlmProbability: 0.4 });
    expect(r.outcome.length).toBe(r.batchSize * r.seqLen);
    expect(r.inputIds.length).toBe(r.batchSize * r.inputLen);
    expect(r.labels.length).toBe(r.batchSize * r.labelsLen);
    const grouped = ["wholeWord", "ngram", "span", "bartInfilling"].includes(strategy);
    expect(r.spanIds !== null).toBe(grouped);
    if (r.spanIds) {
      for (let i = 0; i < r.outcome.length; i++) expect(r.spanIds[i] >= 0).toBe(r.outcome[i] !== 0);
      const places = groupPlaces(r.spanIds, 0, r.seqLen);
      expect(places.some((p) => p.part !== null)).toBe(true);
    }
    expect(r.maskedLm !== null).toBe(strategy === "exactCount");
  });

  it("lines BART's source up with the original, over many seeds", () => {
    for (let seed = 0; seed < 60; seed++) {
      const r = runMasking(roberta, texts, [0, 0, 0], { ...DEFAULTS, strategy: "bartInfilling", seed, strategyParams: { randomRatio: 0.3, maskRatio: 0.4 } });
      for (let row = 0; row < r.batchSize; row++) {
        const { left, right } = bartSides(r, row);
        let live = 0;
        for (let p = 0; p < r.inputLen; p++) live += r.inputAttention[row * r.inputLen + p];
        expect(left.filter((c) => c.kind !== "pad")).toHaveLength(live);
        expect(left.map((c) => c.id)).toEqual(Array.from(r.inputIds.subarray(row * r.inputLen, (row + 1) * r.inputLen)));
        for (const c of left) if (c.kind === "copy" || c.kind === "special") expect(c.sources.map((j) => r.ids[j])).toEqual([c.id]);
        // One stand-in per span; every selected position is covered by exactly one.
        const spans = new Set<number>();
        for (let j = row * r.seqLen; j < (row + 1) * r.seqLen; j++) if (r.spanIds![j] >= 0) spans.add(r.spanIds![j]);
        const standIns = left.filter((c) => c.span >= 0);
        expect(standIns.map((c) => c.span).sort((a, b) => a - b)).toEqual([...spans].sort((a, b) => a - b));
        expect(right.filter((c) => c.kind === "noise").length).toBe(standIns.reduce((n, c) => n + c.sources.length, 0));
      }
    }
  });

  it("refuses T5 span corruption without sentinels, with the reason", () => {
    expect(() => runMasking(bert, ["a b c"], [0], { ...DEFAULTS, strategy: "t5SpanCorruption" })).toThrow(/<extra_id_0>/);
  });

  it("passes the rng and special-token modes to the Masker", () => {
    const base = { ...DEFAULTS, mlmProbability: 0.5 };
    const a = runMasking(bert, texts, [0, 0, 0], { ...base, rng: "numpy" });
    const b = runMasking(bert, texts, [0, 0, 0], { ...base, rng: "torch" });
    const c = runMasking(bert, texts, [0, 0, 0], { ...base, rng: "numpy", specialTokens: "ids" });
    expect(Array.from(a.outcome)).not.toEqual(Array.from(b.outcome));
    expect(Array.from(runMasking(bert, texts, [0, 0, 0], { ...base, rng: "numpy" }).outcome)).toEqual(Array.from(a.outcome));
    expect(c.outcome.length).toBe(a.outcome.length);
  });
});
