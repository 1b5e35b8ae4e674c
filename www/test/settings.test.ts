import { describe, expect, it } from "vitest";
import {
  COMPRESS_ABOVE,
  decodeSettings,
  DEFAULTS,
  deflateBase64url,
  encodeSettings,
  fromBase64url,
  inflateBase64url,
  toBase64url,
  type Settings,
} from "../src/model/settings";

describe("URL state", () => {
  it("writes nothing for the defaults, and reads the defaults back", async () => {
    expect(await encodeSettings({ ...DEFAULTS })).toBe("");
    expect(await decodeSettings("")).toEqual({ settings: { ...DEFAULTS }, warnings: [] });
  });

  it("round-trips every setting", async () => {
    const s: Settings = {
      tokenizer: "roberta-base",
      text: "Ünïcode & <script>alert(1)</script> 👋🏽\n\tnew line + plus # hash",
      batch: true,
      mlmProbability: 0.3,
      maskReplaceProb: 0.5,
      randomReplaceProb: 0.25,
      seed: 123456,
      addSpecialTokens: false,
      randomTokens: "nonSpecial",
      padToMultipleOf: 8,
      maxLength: 64,
      strategy: "token",
      strategyParams: {},
      rng: "torch",
      specialTokens: "ids",
      whitespace: true,
      step: 5,
      views: 4,
      packing: 64,
      blocks: 128,
    };
    const frag = await encodeSettings(s);
    expect(frag).toContain("p=0.3");
    expect(frag).toContain("blocks=128");
    expect(await decodeSettings(`#${frag}`)).toEqual({ settings: s, warnings: [] });
  });

  it("round-trips each strategy with its parameters, and drops the defaults", async () => {
    const cases: Partial<Settings>[] = [
      { strategy: "exactCount", strategyParams: { maxPredictions: 7, countSpecialTokens: "no" } },
      { strategy: "wholeWord", strategyParams: { wordBoundary: "offsetsGap", replacement: "perWord", selection: "exactCount" } },
      { strategy: "ngram", strategyParams: { maxN: 3 } },
      { strategy: "span", strategyParams: { geometricP: 0.3, maxSpan: 5 } },
      { strategy: "t5SpanCorruption", strategyParams: { noiseDensity: 0.3, meanNoiseSpanLength: 2 } },
      { strategy: "bartInfilling", strategyParams: { maskRatio: 0.4, poissonLambda: 2.5, randomRatio: 0.1 }, rng: "numpy" },
    ];
    for (const c of cases) {
      const s: Settings = { ...DEFAULTS, ...c };
      const frag = await encodeSettings(s);
      expect(frag).toContain(`strategy=${s.strategy}`);
      expect(await decodeSettings(frag)).toEqual({ settings: s, warnings: [] });
    }
    // A parameter at its default is not written; a parameter of another strategy is refused.
    expect(await encodeSettings({ ...DEFAULTS, strategy: "ngram", strategyParams: { maxN: 4 } })).toBe("strategy=ngram");
    const bad = await decodeSettings("strategy=span&s.maxN=3&s.geometricP=7&rng=pcg&st=all");
    expect(bad.settings).toEqual({ ...DEFAULTS, strategy: "span" });
    expect(bad.warnings).toHaveLength(4);
  });

  it("deflates long texts and inflates them back", async () => {
    const text = "The quick brown fox. ".repeat(500) + "🎉";
    expect(text.length).toBeGreaterThan(COMPRESS_ABOVE);
    const frag = await encodeSettings({ ...DEFAULTS, text });
    expect(frag).toMatch(/^z=[A-Za-z0-9_-]+$/);
    expect(frag.length).toBeLessThan(text.length / 5);
    expect((await decodeSettings(frag)).settings.text).toBe(text);
  });

  it("ignores invalid values, with a warning for each", async () => {
    const { settings, warnings } = await decodeSettings("p=2&seed=-1&mask=abc&pad=0&max=1.5&step=9&strategy=nope&rt=x&z=%%%");
    expect(settings).toEqual({ ...DEFAULTS });
    expect(warnings.length).toBe(9);
    expect(warnings.join(" ")).toMatch(/mlm_probability must be a number from 0 to 1/);
  });

  it("lowers random_replace_prob when the link's split sums above 1", async () => {
    const { settings, warnings } = await decodeSettings("mask=0.9&random=0.5");
    expect(settings.maskReplaceProb).toBe(0.9);
    expect(settings.randomReplaceProb).toBeCloseTo(0.1, 12);
    expect(warnings).toHaveLength(1);
  });

  it("keeps a user tokenizer's name, so the page can ask before fetching it", async () => {
    const url = "url:https://example.org/tok.json?x=1&y=2";
    const frag = await encodeSettings({ ...DEFAULTS, tokenizer: url });
    expect((await decodeSettings(frag)).settings.tokenizer).toBe(url);
  });

  it("base64url and deflate helpers are inverse", async () => {
    const bytes = new Uint8Array([0, 1, 250, 251, 252, 253, 254, 255]);
    expect(Array.from(fromBase64url(toBase64url(bytes)))).toEqual(Array.from(bytes));
    expect(await inflateBase64url(await deflateBase64url("héllo"))).toBe("héllo");
    await expect(inflateBase64url("AAAA")).rejects.toThrow();
  });
});
