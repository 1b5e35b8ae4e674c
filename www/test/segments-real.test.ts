// The segment model on real offsets: the bundled tokenizers through mlmask's Node entry.
import { afterAll, describe, expect, it } from "vitest";
import { Tokenizer } from "mlmask";
import bertJson from "../public/tokenizers/bert-base-uncased.json?raw";
import robertaJson from "../public/tokenizers/roberta-base.json?raw";
import { segmentsFromOffsets } from "../src/model/segments";

const TEXTS = [
  "Hello, world! Bonjour le monde.",
  "Training done 🎉🚀 thumbs up 👍🏽, family 👨‍👩‍👧, flag 🇫🇷!",
  "你好，世界。こんにちは世界。مرحبا بالعالم",
  "e\u0301 n\u0303 — combining marks",
  "tabs\tand\nnewlines\r\n  double  spaces ",
  "<img src=x onerror=alert(1)> <script>alert(2)</script>",
];

const tokenizers = { bert: Tokenizer.fromJSON(bertJson), roberta: Tokenizer.fromJSON(robertaJson) };
afterAll(() => Object.values(tokenizers).forEach((t) => t.free()));

describe.each(Object.entries(tokenizers))("segments from %s offsets", (_name, tok) => {
  it.each(TEXTS)("cover %j exactly once, every token in order", (text) => {
    const enc = tok.encode(text, { addSpecialTokens: true, truncation: false, padding: false });
    const offsets = enc.offsets;
    if (offsets === undefined) throw new Error("encoded with offsets, yet none came back");
    const n = enc.ids.length;
    const segs = segmentsFromOffsets(text, offsets, n, (i) => enc.specialTokensMask[i] === 0);
    expect(segs.map((s) => s.text).join("")).toBe(text);
    expect(segs.flatMap((s) => s.tokens)).toEqual(Array.from({ length: n }, (_, i) => i));
    for (const s of segs) {
      expect(text.slice(s.start, s.end)).toBe(s.text);
      if (s.kind === "tokens") {
        // Each token's own offsets lie inside its segment.
        for (const i of s.tokens) {
          expect(offsets[2 * i]).toBeGreaterThanOrEqual(s.start);
          expect(offsets[2 * i + 1]).toBeLessThanOrEqual(s.end);
        }
      }
      // No segment starts or ends inside a surrogate pair.
      const inPair = (k: number) => k > 0 && k < text.length && /[\udc00-\udfff]/.test(text[k]);
      expect(inPair(s.start) || inPair(s.end)).toBe(false);
    }
    expect(segs[0].kind).toBe("marker");
    expect(segs.at(-1)!.kind === "marker" || segs.at(-1)!.kind === "gap").toBe(true);
  });
});
