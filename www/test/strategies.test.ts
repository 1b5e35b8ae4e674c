import { describe, expect, it } from "vitest";
import { strategies } from "mlmask";
import { findStrategy, paramValues, parseParam, STRATEGIES, STRATEGY_TEXTS, strategyList, strategyOption, strategyProblem } from "../src/model/strategies";
import { groupMembers, groupPlaces } from "../src/model/groups";
import { bartSides, sentinelNumber, sideBySide, spanStandIns, t5Sides } from "../src/model/seq2seq";
import { aligned, describePosition, positionInfo } from "../src/model/result";
import { fakeResult } from "./fixtures";

describe("strategy list", () => {
  it("offers every MaskingStrategy of mlmask, token first", () => {
    expect(STRATEGIES.map((s) => s.id)).toEqual(["token", "exactCount", "wholeWord", "ngram", "span", "t5SpanCorruption", "bartInfilling", "ul2", "fim", "lexiconSpans"]);
    for (const s of STRATEGIES) {
      expect(s.label).not.toBe("");
      expect(s.description).not.toBe("");
      expect(strategyOption(s.id).type).toBe(s.id);
      if (s.id !== "token") expect(s.steps.length).toBeGreaterThanOrEqual(4);
      for (const p of s.params) expect(parseParam(p, String(p.default))).toBe(p.default);
    }
  });

  it("has words for every strategy and parameter of the package, and for none it lacks", () => {
    const catalog = strategies();
    expect(STRATEGY_TEXTS.map((t) => t.id)).toEqual(catalog.map((s) => s.name));
    for (const s of catalog) {
      const text = STRATEGY_TEXTS.find((t) => t.id === s.name)!;
      expect(Object.keys(text.params).sort(), s.name).toEqual(s.params.map((p) => p.name).sort());
      for (const p of s.params) {
        const words = text.params[p.name];
        if ("omitted" in words) {
          expect(words.omitted, `${s.name}.${p.name}`).not.toBe("");
          continue;
        }
        expect(words.label, `${s.name}.${p.name}`).not.toBe("");
        // Every value of a choice has a name, and no name is for a value the package lacks.
        const values = p.kind === "enum" ? p.values : p.kind === "boolean" ? ["no", "yes"] : [];
        expect(Object.keys(words.values ?? {}).sort(), `${s.name}.${p.name} values`).toEqual([...values].sort());
        expect(["enum", "boolean", "number", "integer"], `${s.name}.${p.name} has a control`).toContain(p.kind);
      }
    }
  });

  it("takes kinds, defaults and ranges from the package, narrowing a range only inward", () => {
    const catalog = strategies();
    for (const info of strategyList(catalog)) {
      for (const spec of info.params) {
        const p = catalog.find((s) => s.name === info.id)!.params.find((q) => q.name === spec.key)!;
        if (spec.kind === "choice") {
          expect(spec.default, `${info.id}.${spec.key}`).toBe(p.kind === "boolean" ? (p.default ? "yes" : "no") : p.default);
          continue;
        }
        expect(spec.default, `${info.id}.${spec.key}`).toBe(p.default);
        expect(spec.integer).toBe(p.kind === "integer");
        if (p.min !== undefined) expect(p.minExclusive ? spec.min > p.min : spec.min >= p.min, `${info.id}.${spec.key} min`).toBe(true);
        if (p.max !== undefined) expect(spec.max, `${info.id}.${spec.key} max`).toBeLessThanOrEqual(p.max);
      }
    }
    // Without a catalog there are no controls (the page has not loaded the module yet).
    expect(strategyList([]).every((s) => s.params.length === 0)).toBe(true);
  });

  it("has the main parameters of each strategy", () => {
    const keys = (id: string) => findStrategy(id)!.params.map((p) => p.key);
    expect(keys("exactCount")).toContain("maxPredictions");
    expect(keys("wholeWord")).toEqual(["wordBoundary", "replacement", "selection"]);
    expect(keys("ngram")).toContain("maxN");
    expect(keys("span")).toEqual(expect.arrayContaining(["geometricP", "maxSpan"]));
    expect(keys("t5SpanCorruption")).toEqual(["noiseDensity", "meanNoiseSpanLength"]);
    expect(keys("bartInfilling")).toEqual(["maskRatio", "poissonLambda", "randomRatio"]);
  });

  it("builds the Masker's strategy option from the parameters, defaults filled in", () => {
    expect(strategyOption("token", { maxN: 3 })).toEqual({ type: "token" });
    expect(strategyOption("ngram", { maxN: 2 })).toEqual({ type: "ngram", maxN: 2, wordBoundary: "wordIds" });
    expect(strategyOption("exactCount", { countSpecialTokens: "yes" })).toEqual({ type: "exactCount", maxPredictions: 20, countSpecialTokens: true });
    expect(strategyOption("t5SpanCorruption")).toEqual({ type: "t5SpanCorruption", noiseDensity: 0.15, meanNoiseSpanLength: 3 });
    expect(strategyOption("bartInfilling", { randomRatio: 0.2 })).toEqual({ type: "bartInfilling", maskRatio: 0.3, poissonLambda: 3, randomRatio: 0.2 });
    expect(strategyOption("nope")).toEqual({ type: "token" });
    expect(paramValues(findStrategy("span")!, { maxSpan: 4 })).toEqual({ geometricP: 0.2, maxSpan: 4, replacement: "perSpan" });
  });

  it("parses parameter values strictly", () => {
    const maxN = findStrategy("ngram")!.params[0];
    expect(parseParam(maxN, "3")).toBe(3);
    expect(parseParam(maxN, "2.5")).toBeUndefined();
    expect(parseParam(maxN, "0")).toBeUndefined();
    expect(parseParam(maxN, "")).toBeUndefined();
    const boundary = findStrategy("wholeWord")!.params[0];
    expect(parseParam(boundary, "offsetsGap")).toBe("offsetsGap");
    expect(parseParam(boundary, "spaces")).toBeUndefined();
  });

  it("says clearly when the tokenizer cannot serve the strategy", () => {
    const bert = { name: "bert-base-uncased", hasMaskToken: true, hasSentinels: false, hasFimTokens: false };
    const t5 = { name: "tokenizer.json", hasMaskToken: false, hasSentinels: true, hasFimTokens: false };
    expect(strategyProblem("token", bert)).toBeNull();
    expect(strategyProblem("ul2", t5)).toBeNull();
    expect(strategyProblem("ul2", bert)).toMatch(/<extra_id_0>.*bert-base-uncased has none/);
    expect(strategyProblem("fim", bert)).toMatch(/<fim_prefix>, <fim_middle>, <fim_suffix>, <fim_pad>, and bert-base-uncased has none of them/);
    expect(strategyProblem("fim", { ...bert, hasFimTokens: true })).toBeNull();
    expect(strategyProblem("lexiconSpans", bert)).toBeNull();
    expect(strategyProblem("t5SpanCorruption", t5)).toBeNull();
    expect(strategyProblem("t5SpanCorruption", bert)).toMatch(/<extra_id_0>.*bert-base-uncased has none/);
    expect(strategyProblem("span", t5)).toMatch(/has none\. Add <mask> as a new special token with the button below \(as tokenizer\.add_special_tokens\(\{"mask_token": "<mask>"\}\) does\)/);
  });
});

describe("joined chips", () => {
  it("place each position in its group's run", () => {
    const spanIds = [-1, 0, 0, 0, -1, 1, 2, 2, -1];
    expect(groupPlaces(spanIds, 0, spanIds.length).map((p) => p.part)).toEqual([null, "start", "middle", "end", null, "solo", "start", "end", null]);
    expect(groupPlaces(spanIds, 0, spanIds.length).map((p) => p.span)).toEqual(spanIds);
    // A row of a batch, cut at the view's cap: the run ends where the view ends.
    expect(groupPlaces([5, 5, -1, 0, 0, 0], 3, 2).map((p) => p.part)).toEqual(["start", "end"]);
    expect(groupPlaces(null, 0, 3).every((p) => p.part === null && p.span === -1)).toBe(true);
  });

  it("list each group's members", () => {
    expect([...groupMembers([-1, 0, 0, 1, -1, 1], 0, 6)]).toEqual([
      [0, [1, 2]],
      [1, [3, 5]],
    ]);
  });
});

// "[CLS]/<s> a b c d e </s>" style rows, made by hand as mlmask returns them.
const strings = new Map<number, string>([
  [1, "</s>"],
  [0, "<pad>"],
  [10, "▁a"],
  [11, "▁b"],
  [12, "▁c"],
  [13, "▁d"],
  [14, "▁e"],
  [15, "▁f"],
  [100, "<extra_id_0>"],
  [99, "<extra_id_1>"],
  [50, "<mask>"],
  [77, "▁zz"],
]);

function t5Result() {
  // source: a b c d e f </s> <pad>; noise: "b c" (span 0) and "e" (span 1)
  return fakeResult({
    strategy: "t5SpanCorruption",
    texts: ["a b c d e f"],
    seqLen: 8,
    ids: new Uint32Array([10, 11, 12, 13, 14, 15, 1, 0]),
    offsets: new Uint32Array(16),
    wordIds: new Int32Array([0, 1, 2, 3, 4, 5, -1, -1]),
    specialTokensMask: new Uint8Array([0, 0, 0, 0, 0, 0, 1, 1]),
    attentionMask: new Uint8Array([1, 1, 1, 1, 1, 1, 1, 0]),
    outcome: new Uint8Array([0, 1, 1, 0, 1, 0, 0, 0]),
    spanIds: new Int32Array([-1, 0, 0, -1, 1, -1, -1, -1]),
    inputLen: 6,
    inputIds: new Int32Array([10, 100, 13, 99, 15, 1]),
    inputAttention: new Uint8Array([1, 1, 1, 1, 1, 1]),
    labelsLen: 6,
    labels: new Int32Array([100, 11, 12, 99, 14, 1]),
    tokenStrings: strings,
    maskTokenId: -1,
  });
}

describe("T5 side by side", () => {
  it("links each sentinel of the encoder input and the target to its noise span", () => {
    const r = t5Result();
    expect(aligned(r)).toBe(false);
    const { left, right } = t5Sides(r, 0);
    expect(left.map((c) => c.kind)).toEqual(["copy", "sentinel", "copy", "sentinel", "copy", "special"]);
    expect(left[1]).toMatchObject({ token: "<extra_id_0>", span: 0, sources: [1, 2] });
    expect(left[3]).toMatchObject({ token: "<extra_id_1>", span: 1, sources: [4] });
    expect(left[2].sources).toEqual([3]);
    expect(right.map((c) => [c.kind, c.span])).toEqual([
      ["sentinel", 0],
      ["noise", 0],
      ["noise", 0],
      ["sentinel", 1],
      ["noise", 1],
      ["eos", -1],
    ]);
    expect(right[2].sources).toEqual([2]);
    expect(spanStandIns({ left, right }).get(1)?.token).toBe("<extra_id_1>");
    expect(sentinelNumber("<extra_id_12>")).toBe(12);
    expect(sentinelNumber("extra_id_1")).toBeNull();
  });

  it("describes noise positions without claiming a per-position label", () => {
    const r = t5Result();
    const p = positionInfo(r, 1);
    expect(p.aligned).toBe(false);
    expect(describePosition(p, 1).join("\n")).toMatch(/noise span 0/);
  });
});

describe("BART side by side", () => {
  it("lines the source (mask per span, insertions) up with the original", () => {
    // original: <s> a b c d e </s> <pad>; span 0 = "b c", an insertion before "e", padding
    const r = fakeResult({
      strategy: "bartInfilling",
      texts: ["a b c d e"],
      seqLen: 8,
      ids: new Uint32Array([1, 10, 11, 12, 13, 14, 1, 0]),
      offsets: new Uint32Array(16),
      wordIds: new Int32Array([-1, 0, 1, 2, 3, 4, -1, -1]),
      specialTokensMask: new Uint8Array([1, 0, 0, 0, 0, 0, 1, 1]),
      attentionMask: new Uint8Array([1, 1, 1, 1, 1, 1, 1, 0]),
      outcome: new Uint8Array([0, 0, 1, 1, 0, 0, 0, 0]),
      spanIds: new Int32Array([-1, -1, 0, 0, -1, -1, -1, -1]),
      inputLen: 8,
      inputIds: new Int32Array([1, 10, 50, 13, 50, 14, 1, 0]),
      inputAttention: new Uint8Array([1, 1, 1, 1, 1, 1, 1, 0]),
      labelsLen: 8,
      labels: new Int32Array([1, 10, 11, 12, 13, 14, 1, -100]),
      tokenStrings: strings,
      maskTokenId: 50,
    });
    const { left, right } = bartSides(r, 0);
    expect(left.map((c) => c.kind)).toEqual(["special", "copy", "mask", "copy", "insert", "copy", "special", "pad"]);
    expect(left[2]).toMatchObject({ span: 0, sources: [2, 3], token: "<mask>" });
    expect(left[4]).toMatchObject({ span: -1, sources: [] });
    expect(right.map((c) => c.kind)).toEqual(["special", "copy", "noise", "noise", "copy", "copy", "special", "pad"]);
    expect(sideBySide(r, 0)).toEqual({ left, right });
    expect(sideBySide(fakeResult(), 0)).toBeNull();
  });

  it("tells a random stand-in and a trailing insertion apart", () => {
    const r = fakeResult({
      strategy: "bartInfilling",
      texts: ["a b"],
      seqLen: 3,
      ids: new Uint32Array([10, 11, 1]),
      offsets: new Uint32Array(6),
      wordIds: new Int32Array([0, 1, -1]),
      specialTokensMask: new Uint8Array([0, 0, 1]),
      attentionMask: new Uint8Array([1, 1, 1]),
      outcome: new Uint8Array([2, 0, 0]),
      spanIds: new Int32Array([0, -1, -1]),
      inputLen: 4,
      inputIds: new Int32Array([77, 11, 50, 1]),
      inputAttention: new Uint8Array([1, 1, 1, 1]),
      labelsLen: 3,
      labels: new Int32Array([10, 11, 1]),
      tokenStrings: strings,
      maskTokenId: 50,
    });
    expect(bartSides(r, 0).left.map((c) => c.kind)).toEqual(["random", "copy", "insert", "special"]);
  });
});
