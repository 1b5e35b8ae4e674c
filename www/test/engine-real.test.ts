// The engine and the side-by-side model on real mlmask output (the package's Node entry).
/// <reference types="node" />
import { afterAll, describe, expect, it } from "vitest";
import { Tokenizer } from "mlmask";
import bertJson from "../public/tokenizers/bert-base-uncased.json?raw";
import robertaJson from "../public/tokenizers/roberta-base.json?raw";
import { useInstantiated } from "../src/build";
import { runMasking } from "../src/engine";
import { DEFAULTS, SAMPLE_TEXTS } from "../src/model/settings";
import { STRATEGIES } from "../src/model/strategies";
import { bartSides, sideBySide } from "../src/model/seq2seq";
import { fimSegments, packedTexts, staticCopies, stripDupeFactor, viewsStrip } from "../src/model/corruption";
import { DEMO_LEXICON, FIM_TOKENS } from "../src/model/strategies";
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { groupPlaces } from "../src/model/groups";
import { differentSplits } from "../src/model/compare";

// The engine masks with the page's active build: here the full one, which the Node entry
// instantiated on import.
useInstantiated("full");
const bert = Tokenizer.fromJSON(bertJson);
const roberta = Tokenizer.fromJSON(robertaJson);
// The FIM tokens as the demo's button adds them; t5-small from the repository's test data.
const bertFim = Tokenizer.fromJSON(bertJson, { additionalSpecialTokens: [...FIM_TOKENS] });
const t5 = Tokenizer.fromJSON(gunzipSync(readFileSync(new URL("../../tests/data/tokenizers/t5-small.json.gz", import.meta.url))));
afterAll(() => [bert, roberta, bertFim, t5].forEach((t) => t.free()));
const texts = SAMPLE_TEXTS.find((t) => t.id === "batch")!.text.split("\n");

describe("real runs", () => {
  it.each(STRATEGIES.filter((s) => s.needs === "maskToken").map((s) => s.id))("%s gives a consistent result", (strategy) => {
    const r = runMasking(bert, texts, [0, 0, 0], { ...DEFAULTS, strategy, mlmProbability: 0.4 });
    expect(r.outcome.length).toBe(r.batchSize * r.seqLen);
    expect(r.inputIds.length).toBe(r.batchSize * r.inputLen);
    expect(r.labels.length).toBe(r.batchSize * r.labelsLen);
    const grouped = ["wholeWord", "ngram", "span", "bartInfilling", "lexiconSpans"].includes(strategy);
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

  it("lexiconSpans masks the demo lexicon's collocations whole", () => {
    const text = "New York is where machine learning meets language models, in order to help.";
    for (let seed = 0; seed < 30; seed++) {
      const r = runMasking(bert, [text], [0], { ...DEFAULTS, strategy: "lexiconSpans", seed, mlmProbability: 0.3 });
      const words = (t: string) => [...bert.encode(t, { addSpecialTokens: false }).ids];
      for (const entry of DEMO_LEXICON) {
        const ids = words(entry);
        for (let i = 0; i + ids.length <= r.seqLen; i++) {
          if (ids.every((id, k) => r.ids[i + k] === id)) {
            const selected = ids.map((_, k) => r.outcome[i + k] !== 0);
            expect(new Set(selected).size, `${entry} at ${i}, seed ${seed}`).toBe(1);
          }
        }
      }
    }
  });

  it("fim: the parts of each row re-join to its tokens, in both layouts", () => {
    const code = ["def add(a, b): return a + b", "for i in range(10): print(i)", "x = [n * n for n in xs]"];
    const layouts = new Set<number>();
    for (let seed = 0; seed < 10; seed++) {
      const r = runMasking(bertFim, code, [0, 0, 0], { ...DEFAULTS, strategy: "fim", seed, strategyParams: { fimRate: 1, level: "token" } });
      expect(r.fim).not.toBeNull();
      for (let row = 0; row < r.batchSize; row++) {
        const parts = fimSegments(r, r.fim!, row);
        const layout = r.fim!.layout[row];
        layouts.add(layout);
        const of = (part: string) => parts.filter((p) => p.part === part).flatMap((p) => p.ids);
        const original = Array.from(r.ids.subarray(row * r.seqLen, (row + 1) * r.seqLen)).filter((_, j) => r.attentionMask[row * r.seqLen + j]);
        // [CLS] stays first and [SEP] last, outside the rearranged part.
        const text = original.slice(1, -1);
        const rejoined = layout === 1 ? [...of("prefix"), ...of("middle"), ...of("suffix")] : [...of("middle"), ...of("suffix")];
        expect(rejoined).toEqual(text);
        expect(of("fim")).toHaveLength(3);
      }
    }
    expect([...layouts].sort()).toEqual([1, 2]);
  });

  it("ul2: the mode token leads, S rows are a prefix and a target", () => {
    const kinds = new Set<string>();
    for (let seed = 0; seed < 12; seed++) {
      const r = runMasking(t5, texts, [0, 0, 0], { ...DEFAULTS, strategy: "ul2", seed });
      expect(r.ul2!.names).toHaveLength(7);
      for (let row = 0; row < r.batchSize; row++) {
        const name = r.ul2!.names[r.ul2!.denoiser[row]];
        kinds.add(name[0]);
        const { left, right } = sideBySide(r, row)!;
        const modes = left.filter((c) => c.kind === "mode");
        expect(modes.length).toBe(r.ul2!.modeLengths[r.ul2!.denoiser[row]]);
        expect(left.findIndex((c) => c.kind !== "mode")).toBe(modes.length);
        if (name.startsWith("s")) {
          expect(left.some((c) => c.kind === "sentinel")).toBe(false);
          expect(right.filter((c) => c.kind === "noise").length).toBeGreaterThan(0);
        }
      }
    }
    expect([...kinds].sort()).toEqual(["r", "s", "x"]);
  });

  it("views and packing: the strip's copies and the packed rows' texts", () => {
    const r = runMasking(bert, texts, [0, 0, 0], { ...DEFAULTS, batch: true, views: 4, packing: 32, mlmProbability: 0.5 });
    const strip = viewsStrip(r.views!);
    expect(strip.rows).toHaveLength(4);
    expect(new Set(strip.rows.map((row) => row.join())).size).toBeGreaterThan(1);
    // Static masking beside it: ⌊N/2⌋ copies, repeated in order.
    expect([2, 3, 4, 5, 8].map(stripDupeFactor)).toEqual([1, 1, 2, 2, 4]);
    expect(staticCopies(4, stripDupeFactor(4))).toEqual([0, 1, 0, 1]);
    expect(staticCopies(5, 2)).toEqual([0, 1, 0, 1, 0]);
    const p = r.packed!;
    if ("error" in p) throw new Error(p.error);
    const lengths = [0, 1, 2].map((row) => r.attentionMask.subarray(row * r.seqLen, (row + 1) * r.seqLen).reduce((a, b) => a + b, 0));
    const all = Array.from({ length: p.batchSize }, (_, row) => packedTexts(p, row)).flat();
    expect(all.map((t) => t.text)).toEqual([0, 1, 2]);
    expect(all.map((t) => t.end - t.start)).toEqual(lengths);
    expect(Array.from(p.cuSeqlens)).toEqual([0, lengths[0], lengths[0] + lengths[1], lengths[0] + lengths[1] + lengths[2]]);
    const refused = runMasking(t5, texts, [0, 0, 0], { ...DEFAULTS, batch: true, packing: 32, strategy: "t5SpanCorruption" }).packed!;
    expect("error" in refused && refused.error).toMatch(/makes a separate target sequence per text/);
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

describe("two tokenizers side by side", () => {
  // Offsets from Python tokenizers 0.23.3 for this text: bert [CLS] token(0,5) ##izer(5,9) ##s(9,10)
  // disagree …; roberta <s> Token(0,5) izers(5,10) Ġdisagree(11,19) …; t5 ▁To(0,2) ken(2,5)
  // izer(5,9) s(9,10) ▁disagree(11,19) … (the same words after that in all three).
  const text = "Tokenizers disagree about unbelievable words.";
  const run = (tok: Tokenizer, notMasked?: string) => runMasking(tok, [text], [0], { ...DEFAULTS, notMasked });

  it("marks the tokens each run splits out differently, and nothing else", () => {
    const b = run(bert);
    expect(differentSplits(b, run(roberta))).toEqual({ a: [2, 3], b: [2] });
    expect(differentSplits(b, run(t5, "no mask token"))).toEqual({ a: [1], b: [0, 1] });
    expect(differentSplits(b, b)).toEqual({ a: [], b: [] });
  });

  it("counts a span split into more tokens of the same offsets (bytes of one character) as differing", () => {
    const emoji = "ok 🎉";
    const r = runMasking(roberta, [emoji], [0], DEFAULTS);
    const b = runMasking(bert, [emoji], [0], DEFAULTS);
    const split = differentSplits(b, r);
    // RoBERTa spells 🎉 as byte pieces sharing its offsets; BERT has one [UNK] over it.
    const pieces = Array.from(r.offsets).filter((_, k) => k % 2 === 0).filter((start, i) => start === 3 && r.specialTokensMask[i] === 0).length;
    expect(pieces).toBeGreaterThan(1);
    expect(split.a).toEqual([2]);
    expect(split.b.length).toBe(pieces);
  });
});
