// Outcome codes as mlmask's `Outcome` enum stores them, and what the view makes of them.

import { count } from "./format";

export type OutcomeName = "unselected" | "mask" | "random" | "kept";

/** Index = the code in `MaskedBatch.outcome` (0 unselected, 1 mask, 2 random, 3 kept). */
export const OUTCOME_NAMES: readonly OutcomeName[] = ["unselected", "mask", "random", "kept"];

export interface OutcomeInfo {
  name: OutcomeName;
  label: string;
  /** Non-colour cue shown on the chip and in the legend. */
  icon: string;
  description: string;
}

export const OUTCOMES: Record<OutcomeName, OutcomeInfo> = {
  unselected: {
    name: "unselected",
    label: "Not selected",
    icon: "",
    description: "Left alone; its label is -100, so the loss ignores it.",
  },
  mask: {
    name: "mask",
    label: "Replaced by the mask token",
    icon: "■",
    description: "Selected, then replaced by the mask token; its label is the original id.",
  },
  random: {
    name: "random",
    label: "Replaced by a random token",
    icon: "⇄",
    description: "Selected, then replaced by a random id; its label is the original id.",
  },
  kept: {
    name: "kept",
    label: "Selected but kept",
    icon: "✓",
    description: "Selected, but left unchanged; its label is still the original id.",
  },
};

/** The name of an outcome code; anything out of range reads as "unselected". */
export function outcomeName(code: number): OutcomeName {
  return OUTCOME_NAMES[code] ?? "unselected";
}

/** What a position is, beyond its outcome: padding and special tokens are never selected. */
export type PositionKind = "token" | "special" | "padding";

export function positionKind(special: number, attention: number): PositionKind {
  if (attention === 0) return "padding";
  return special ? "special" : "token";
}

export interface OutcomeCounts {
  /** Tokens that could be selected: neither special nor padding. */
  eligible: number;
  selected: number;
  mask: number;
  random: number;
  kept: number;
  special: number;
  padding: number;
}

export function countOutcomes(
  outcome: ArrayLike<number>,
  specialTokensMask: ArrayLike<number>,
  attentionMask: ArrayLike<number>,
): OutcomeCounts {
  const c: OutcomeCounts = { eligible: 0, selected: 0, mask: 0, random: 0, kept: 0, special: 0, padding: 0 };
  for (let i = 0; i < outcome.length; i++) {
    const kind = positionKind(specialTokensMask[i], attentionMask[i]);
    if (kind === "padding") c.padding++;
    else if (kind === "special") c.special++;
    else c.eligible++;
    const o = outcome[i];
    if (o === 1) c.mask++;
    else if (o === 2) c.random++;
    else if (o === 3) c.kept++;
  }
  c.selected = c.mask + c.random + c.kept;
  return c;
}

/** What the strategy's selected positions are, in the status line's words. */
const SELECTED_WORDS: Readonly<Record<string, string>> = {
  t5SpanCorruption: "in noise spans",
  ul2: "in noise spans or targets",
  bartInfilling: "in masked spans",
  fim: "in the middle part",
};

/**
 * The status line of a run, saying what each number counts: the positions processed (the
 * padded batch), the tokens among them, those that could be selected, and what became of the
 * selected ones.
 */
export function runSummary(
  r: { outcome: ArrayLike<number>; specialTokensMask: ArrayLike<number>; attentionMask: ArrayLike<number>; strategy: string },
  time: string,
): string {
  const c = countOutcomes(r.outcome, r.specialTokensMask, r.attentionMask);
  const n = count;
  const positions = r.outcome.length;
  const head = `${n(positions)} positions (${n(positions - c.padding)} tokens, ${n(c.eligible)} selectable)`;
  const words = SELECTED_WORDS[r.strategy];
  const selected = words
    ? `${n(c.selected)} ${words}`
    : `${n(c.selected)} selected: ${n(c.mask)} → mask token, ${n(c.random)} → random token, ${n(c.kept)} kept`;
  return `${head}; ${selected}. ${time}`;
}

/** The CSS classes of a token chip. */
export function chipClasses(code: number, kind: PositionKind): string[] {
  return ["chip", `outcome-${outcomeName(code)}`, `kind-${kind}`];
}
