import { describe, expect, it } from "vitest";
import { groupTexts, rowsOverLength, type BlockBatch } from "../src/model/blocks";

/** A padded batch of two texts, "ab cd" and "ef", as [CLS] a b [SEP] tokens with offsets. */
function batch(): { b: BlockBatch; texts: string[]; starts: number[] } {
  // Row 0: [CLS] ab cd [SEP]; row 1: [CLS] ef [SEP] [PAD]. Ids: CLS 1, SEP 2, PAD 0.
  const ids = Uint32Array.from([1, 10, 11, 2, 1, 12, 2, 0]);
  const offsets = Uint32Array.from([0, 0, 0, 2, 3, 5, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0]);
  const wordIds = Int32Array.from([-1, 0, 1, -1, -1, 0, -1, -1]);
  const specialTokensMask = Uint8Array.from([1, 0, 0, 1, 1, 0, 1, 1]);
  const attentionMask = Uint8Array.from([1, 1, 1, 1, 1, 1, 1, 0]);
  return { b: { ids, offsets, wordIds, specialTokensMask, attentionMask, batchSize: 2, seqLen: 4 }, texts: ["ab cd", "ef"], starts: [0, 6] };
}

describe("group_texts", () => {
  it("concatenates the rows and cuts blocks, dropping the remainder, as run_mlm.py does", () => {
    const { b, texts, starts } = batch();
    const g = groupTexts(b, texts, starts, 3);
    expect(g.tokens).toBe(7);
    expect(g.dropped).toBe(1);
    expect(g.batch.batchSize).toBe(2);
    expect(g.batch.seqLen).toBe(3);
    expect([...g.batch.ids]).toEqual([1, 10, 11, 2, 1, 12]);
    expect([...g.batch.specialTokensMask]).toEqual([1, 0, 0, 1, 1, 0]);
    // Word ids stay apart across texts: "ef" is word 2, after "ab" and "cd".
    expect([...g.batch.wordIds]).toEqual([-1, 0, 1, -1, -1, 2]);
    // Each block's stretch of the input, offsets relative to it; specials sit where the text before ends.
    expect(g.texts).toEqual(["ab cd", "ef"]);
    expect(g.starts).toEqual([0, 6]);
    expect([...g.batch.offsets]).toEqual([0, 0, 0, 2, 3, 5, 0, 0, 0, 0, 0, 2]);
    expect([...g.batch.attentionMask]).toEqual([1, 1, 1, 1, 1, 1]);
  });

  it("keeps a stream shorter than a block as one block", () => {
    const { b, texts, starts } = batch();
    const g = groupTexts(b, texts, starts, 512);
    expect(g.batch.batchSize).toBe(1);
    expect(g.batch.seqLen).toBe(7);
    expect(g.dropped).toBe(0);
    expect(g.texts).toEqual(["ab cd\nef"]);
  });

  it("finds the rows over the model's maximum length", () => {
    const { b } = batch();
    expect(rowsOverLength(b.attentionMask, 2, 4, 3)).toEqual([[0, 4]]);
    expect(rowsOverLength(b.attentionMask, 2, 4, 4)).toEqual([]);
  });
});
