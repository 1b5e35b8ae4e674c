// Side by side (issue 14): the same text and seed under a second configuration, and the positions
// where the two runs differ.

/** The flat positions whose outcome (unselected, mask, random, kept) or masked id differs. */
export function differingPositions(
  a: { outcome: Uint8Array; inputIds: Int32Array },
  b: { outcome: Uint8Array; inputIds: Int32Array },
): number[] {
  const out: number[] = [];
  const n = Math.min(a.outcome.length, b.outcome.length);
  for (let i = 0; i < n; i++) {
    const sameIds = a.inputIds.length !== a.outcome.length || b.inputIds.length !== b.outcome.length || a.inputIds[i] === b.inputIds[i];
    if (a.outcome[i] !== b.outcome[i] || !sameIds) out.push(i);
  }
  return out;
}

/** What `differentSplits` reads of a run. */
export interface SplitRun {
  texts: string[];
  batchSize: number;
  seqLen: number;
  offsets: ArrayLike<number>;
  attentionMask: ArrayLike<number>;
  specialTokensMask: ArrayLike<number>;
}

/**
 * Two tokenizers on the same texts: for each run, the flat positions of its tokens that the other
 * run does not split out the same way, so a token whose text span (in its row, without the
 * spaces a piece like `▁the` or `Ġthe` may carry) occurs a different number of times in the other
 * run. Special tokens and padding are not compared.
 */
export function differentSplits(a: SplitRun, b: SplitRun): { a: number[]; b: number[] } {
  const rows = Math.min(a.batchSize, b.batchSize);
  const spansOf = (r: SplitRun, row: number) => {
    const text = r.texts[row] ?? "";
    const spans = new Map<string, number[]>();
    for (let j = 0; j < r.seqLen; j++) {
      const i = row * r.seqLen + j;
      if (r.attentionMask[i] !== 1 || r.specialTokensMask[i] !== 0) continue;
      let start = r.offsets[2 * i];
      let end = r.offsets[2 * i + 1];
      while (start < end && /\s/.test(text[start])) start++;
      while (end > start && /\s/.test(text[end - 1])) end--;
      const key = `${start}:${end}`;
      const at = spans.get(key);
      if (at) at.push(i);
      else spans.set(key, [i]);
    }
    return spans;
  };
  const out = { a: [] as number[], b: [] as number[] };
  for (let row = 0; row < rows; row++) {
    const sa = spansOf(a, row);
    const sb = spansOf(b, row);
    for (const [key, at] of sa) if (sb.get(key)?.length !== at.length) out.a.push(...at);
    for (const [key, at] of sb) if (sa.get(key)?.length !== at.length) out.b.push(...at);
  }
  out.a.sort((x, y) => x - y);
  out.b.sort((x, y) => x - y);
  return out;
}

/** One run of a two-tokenizer comparison, as its summary names and counts it. */
export interface ComparedSide {
  label: string;
  /** Tokens that are neither special nor padding, and how many of them were selected. */
  tokens: number;
  selected: number;
  /** Tokens this run splits out differently from the other (marked). */
  differ: number;
}

/** The summary of two tokenizers on the same text and seed. */
export function splitSummary(main: ComparedSide, other: ComparedSide, otherNotMasked: string | null): string {
  const side = (s: ComparedSide) => `${s.label} makes ${s.tokens} token${s.tokens === 1 ? "" : "s"}${otherNotMasked && s === other ? "" : ` (${s.selected} selected)`}`;
  const differ =
    main.differ + other.differ === 0
      ? "Both split the text the same way."
      : `${main.differ} of the first's tokens and ${other.differ} of the second's split the text differently (marked with a dashed underline).`;
  return (
    `Same text, same seed: ${side(main)}, ${side(other)}. ${differ} ` +
    (otherNotMasked
      ? `The second row is not masked: ${otherNotMasked}`
      : "With other positions the same seed draws for other tokens, so the selections differ by more than the splits.")
  );
}
