// The step-through view: transformers' torch_mask_tokens, one step per row.

import type { MaskResult } from "./result";
import { tokenString } from "./result";
import type { Settings } from "./settings";
import { pyFloat } from "./format";
import { randomGivenUnmasked } from "./split";

export interface Step {
  n: number;
  title: string;
  /** The plain sentence naming the step as transformers implements it (filled with the settings). */
  sentence: string;
  /** The line(s) of transformers' torch_mask_tokens. */
  code: string;
}

export interface StepContext {
  settings: Settings;
  maskToken: string;
  selected: number;
  eligible: number;
  masked: number;
  random: number;
}

export function steps(c: StepContext): Step[] {
  const s = c.settings;
  const p = pyFloat(s.mlmProbability);
  const cond = randomGivenUnmasked(s);
  return [
    {
      n: 1,
      title: "Probability matrix",
      sentence: `A matrix the shape of the batch is filled with mlm_probability = ${p}: every position starts with the same chance of being selected.`,
      code: "probability_matrix = torch.full(labels.shape, self.mlm_probability)",
    },
    {
      n: 2,
      title: "Special tokens and padding set to 0",
      sentence: "Special tokens and padding get probability 0, so they can never be selected.",
      code: "probability_matrix.masked_fill_(special_tokens_mask, value=0.0)",
    },
    {
      n: 3,
      title: "Bernoulli selection",
      sentence: `One biased coin per position picks the selected tokens: here ${c.selected} of the ${c.eligible} eligible tokens (expected ${(c.eligible * s.mlmProbability).toFixed(1)}). This is where masking happens.`,
      code: "masked_indices = torch.bernoulli(probability_matrix, generator=self.generator).bool()",
    },
    {
      n: 4,
      title: "Labels set to -100 where not selected",
      sentence: "labels is a copy of input_ids with -100 wherever nothing was selected; the loss ignores -100, so the model is trained only on the selected tokens.",
      code: "labels[~masked_indices] = -100  # We only compute loss on masked tokens",
    },
    {
      n: 5,
      title: "Mask-token draw",
      sentence: `Each selected token becomes the mask token ${c.maskToken} with probability mask_replace_prob = ${pyFloat(s.maskReplaceProb)}: ${c.masked} did.`,
      code:
        "indices_replaced = torch.bernoulli(torch.full(labels.shape, self.mask_replace_prob), generator=self.generator).bool() & masked_indices\n" +
        "inputs[indices_replaced] = self.tokenizer.convert_tokens_to_ids(self.tokenizer.mask_token)",
    },
    {
      n: 6,
      title: "Random-token draw",
      sentence:
        cond === null
          ? `Skipped: with mask_replace_prob = ${pyFloat(s.maskReplaceProb)} and random_replace_prob = ${pyFloat(s.randomReplaceProb)}, transformers returns before this draw, so no token becomes a random one.`
          : `Each selected token that was not masked becomes a random token with probability random_replace_prob / (1 − mask_replace_prob) = ${cond.toFixed(4).replace(/0+$/, "").replace(/\.$/, "")}, drawn ${s.randomTokens === "vocab" ? "from the whole vocabulary" : "from the non-special tokens"}: ${c.random} did. The rest stay as they were.`,
      code:
        "indices_random = torch.bernoulli(torch.full(labels.shape, random_replace_prob_scaled), generator=self.generator).bool() & masked_indices & ~indices_replaced\n" +
        "random_words = torch.randint(len(self.tokenizer), labels.shape, dtype=torch.long, generator=self.generator)\n" +
        "inputs[indices_random] = random_words[indices_random]",
    },
    {
      n: 7,
      title: "Final input_ids",
      sentence: "input_ids (what the model reads) and labels (what it must predict) are returned, with attention_mask from padding.",
      code: "return inputs, labels",
    },
  ];
}

/** What the view says about what it can and cannot show. */
export const STEP_NOTE =
  "mlmask returns the outcome of every position, not the individual coin flips, so each row shows the result of its step: " +
  "the mask and random draws are shown where they changed a selected token.";

export type CellTone = "p" | "zero" | "on" | "off" | "ignored" | "label" | "mask" | "random" | "same" | "pad";

export interface StepCell {
  text: string;
  tone: CellTone;
}

/** The cell of `step` (1..7) at flat position `i`. */
export function stepCell(step: number, i: number, r: MaskResult, s: Settings): StepCell {
  const padding = r.attentionMask[i] === 0;
  const special = r.specialTokensMask[i] === 1;
  const o = r.outcome[i];
  const original = tokenString(r, r.ids[i]);
  switch (step) {
    case 1:
      return { text: pyFloat(s.mlmProbability), tone: "p" };
    case 2:
      return special || padding ? { text: "0", tone: "zero" } : { text: pyFloat(s.mlmProbability), tone: "p" };
    case 3:
      return o !== 0 ? { text: "1", tone: "on" } : { text: "0", tone: special || padding ? "zero" : "off" };
    case 4:
      return o !== 0 ? { text: String(r.labels[i]), tone: "label" } : { text: "-100", tone: "ignored" };
    case 5:
      return o === 1 ? { text: tokenString(r, r.inputIds[i]), tone: "mask" } : { text: original, tone: padding ? "pad" : "same" };
    case 6:
      if (o === 1) return { text: tokenString(r, r.inputIds[i]), tone: "mask" };
      if (o === 2) return { text: tokenString(r, r.inputIds[i]), tone: "random" };
      return { text: original, tone: padding ? "pad" : "same" };
    default:
      return { text: String(r.inputIds[i]), tone: o === 1 ? "mask" : o === 2 ? "random" : padding ? "pad" : "same" };
  }
}
