// Outcome codes as mlmask's `Outcome` enum stores them, and what the view makes of them.

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

/** The CSS classes of a token chip. */
export function chipClasses(code: number, kind: PositionKind): string[] {
  return ["chip", `outcome-${outcomeName(code)}`, `kind-${kind}`];
}
