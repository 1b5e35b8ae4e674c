import { describe, expect, it } from "vitest";
import { chipLabel, endsWithNewline, segmentsFromOffsets, tokenToSegment, visibleWhitespace } from "../src/model/segments";

const join = (segs: { text: string }[]) => segs.map((s) => s.text).join("");

describe("segmentsFromOffsets", () => {
  it("puts WordPiece tokens on their spans, spaces in gaps, special tokens as markers", () => {
    const text = "hello world";
    // [CLS] hello world [SEP]
    const offsets = [0, 0, 0, 5, 6, 11, 0, 0];
    const special = [true, false, false, true];
    const segs = segmentsFromOffsets(text, offsets, 4, (i) => !special[i]);
    expect(segs.map((s) => [s.kind, s.text, s.tokens])).toEqual([
      ["marker", "", [0]],
      ["tokens", "hello", [1]],
      ["gap", " ", []],
      ["tokens", "world", [2]],
      ["marker", "", [3]],
    ]);
    expect(segs[4].start).toBe(11); // [SEP] sits after the text
    expect(join(segs)).toBe(text);
  });

  it("groups byte-level pieces that share one emoji's UTF-16 span", () => {
    const text = "hi 👋🏽!";
    // "hi", "Ġ👋" split into two byte pieces on [2,5)… as roberta reports: pieces share offsets.
    const offsets = [0, 2, 3, 5, 3, 5, 5, 7, 5, 7, 5, 7, 7, 8];
    const segs = segmentsFromOffsets(text, offsets, 7);
    expect(segs.map((s) => [s.kind, s.text, s.tokens])).toEqual([
      ["tokens", "hi", [0]],
      ["gap", " ", []],
      ["tokens", "👋", [1, 2]],
      ["tokens", "🏽", [3, 4, 5]],
      ["tokens", "!", [6]],
    ]);
    expect(join(segs)).toBe(text);
    // Slicing by the offsets gives whole code points (surrogate pairs are never split).
    expect(text.slice(3, 5)).toBe("👋");
  });

  it("covers CJK and combining marks by UTF-16 offsets", () => {
    const text = "e\u0301 你好";
    const offsets = [0, 2, 3, 4, 4, 5];
    const segs = segmentsFromOffsets(text, offsets, 3);
    expect(segs.map((s) => s.text)).toEqual(["e\u0301", " ", "你", "好"]);
    expect(join(segs)).toBe(text);
  });

  it("marks text cut off by truncation as a tail, and trailing spaces as a gap", () => {
    expect(segmentsFromOffsets("one two three", [0, 3, 4, 7], 2).at(-1)).toMatchObject({ kind: "tail", text: " three" });
    expect(segmentsFromOffsets("one  ", [0, 3], 1).at(-1)).toMatchObject({ kind: "gap", text: "  " });
  });

  it("places padding after the text and reads only its own row (first)", () => {
    const offsets = [9, 9, 0, 2, 0, 0, 0, 0]; // row 0 (ignored) then row 1: "ab", [PAD], [PAD]
    const segs = segmentsFromOffsets("ab", offsets, 3, (i) => i === 1, 1);
    expect(segs.map((s) => [s.kind, s.tokens, s.start])).toEqual([
      ["tokens", [1], 0],
      ["marker", [2], 2],
      ["marker", [3], 2],
    ]);
    expect(Array.from(tokenToSegment(segs, 3, 1))).toEqual([0, 1, 2]);
  });

  it("survives offsets beyond the text and tokens going backwards", () => {
    const segs = segmentsFromOffsets("abc", [0, 2, 1, 2, 0, 1, 2, 99], 4);
    expect(join(segs)).toBe("abc");
    expect(segs.flatMap((s) => s.tokens)).toEqual([0, 1, 2, 3]);
  });

  it("gives an empty text no segments but its markers", () => {
    expect(segmentsFromOffsets("", [0, 0, 0, 0], 2, () => false).map((s) => s.kind)).toEqual(["marker", "marker"]);
  });
});

describe("whitespace", () => {
  it("makes spaces, tabs and newlines visible", () => {
    expect(visibleWhitespace("a b\tc\nd\r\ne\u00a0f")).toBe("a·b→c↵d↵e␣f");
  });
  it("never leaves a chip blank, and keeps text as it is otherwise", () => {
    expect(chipLabel(" ", false)).toBe("·");
    expect(chipLabel("\n", false)).toBe("↵");
    expect(chipLabel(" word", false)).toBe(" word");
    expect(chipLabel(" word", true)).toBe("·word");
    expect(chipLabel("<img src=x onerror=alert(1)>", false)).toBe("<img src=x onerror=alert(1)>");
  });
  it("knows when a span ends a line", () => {
    expect(endsWithNewline("a\n")).toBe(true);
    expect(endsWithNewline("a")).toBe(false);
  });
});
