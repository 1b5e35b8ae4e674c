// The split of selected tokens between mask, random and keep (maskReplaceProb + randomReplaceProb ≤ 1).

export interface Split {
  maskReplaceProb: number;
  randomReplaceProb: number;
}

const round = (x: number) => Math.round(x * 1e6) / 1e6;
const clamp01 = (x: number) => (Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0);

/**
 * Apply a new value of one of the two shares, lowering the other if the sum would exceed 1
 * (the edited value wins, as the user just set it).
 */
export function adjustSplit(current: Split, changed: keyof Split, value: number): Split {
  const v = round(clamp01(value));
  const other: keyof Split = changed === "maskReplaceProb" ? "randomReplaceProb" : "maskReplaceProb";
  const next = { ...current, [changed]: v } as Split;
  if (next[other] + v > 1) next[other] = round(1 - v);
  return next;
}

/** The share kept unchanged: 1 − mask − random. */
export function keepShare(s: Split): number {
  return round(Math.max(0, 1 - s.maskReplaceProb - s.randomReplaceProb));
}

/**
 * transformers' conditional probability of a random replacement, given "selected and not
 * masked": random / (1 − mask). Undefined (the draw is skipped) when mask = 1 or random = 0.
 */
export function randomGivenUnmasked(s: Split): number | null {
  if (s.maskReplaceProb === 1 || s.randomReplaceProb === 0) return null;
  return s.randomReplaceProb / (1 - s.maskReplaceProb);
}
