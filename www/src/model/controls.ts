// Which controls apply to the current settings, and why not when they do not: a control that
// cannot change the result is disabled with its reason, rather than left live.

import type { Settings } from "./settings";
import { findStrategy, paramValues, STRATEGIES } from "./strategies";

export type ControlId = "mlmProbability" | "split" | "randomTokens" | "packing";

/** Why each strategy that sets its own budget ignores mlm_probability. */
const OWN_BUDGET: Readonly<Record<string, string>> = {
  t5SpanCorruption: "T5 span corruption sets its budget with noise_density",
  ul2: "UL2's denoisers each set their own noise density",
  bartInfilling: "BART text infilling covers mask_ratio of the words",
  fim: "fill-in-the-middle rearranges rows (fim_rate) and selects nothing at a rate",
};

/** Why each strategy that writes its own tokens ignores the mask / random / keep split. */
const OWN_TOKENS: Readonly<Record<string, string>> = {
  t5SpanCorruption: "T5 span corruption replaces each span with a sentinel",
  ul2: "UL2 replaces spans with sentinels (or keeps a prefix)",
  bartInfilling: "BART replaces each span with one mask token (random_ratio decides random ones)",
  fim: "fill-in-the-middle moves tokens instead of replacing them",
};

/** Strategies whose targets are sequences of their own, which packing cannot lay out. */
const ENCODER_DECODER = new Set(["t5SpanCorruption", "bartInfilling", "ul2"]);

/** For each control, null when it applies, else why it does not (a sentence the page shows). */
export function controlReasons(s: Settings): Record<ControlId, string | null> {
  const info = findStrategy(s.strategy) ?? STRATEGIES[0];
  const params = paramValues(info, s.strategyParams);
  const maskOnly = params.replacement === "mask";
  const split = !info.usesSplit
    ? `${OWN_TOKENS[info.id] ?? `${info.label} has no replacement split`}, so mask_replace_prob and random_replace_prob do not apply.`
    : maskOnly
      ? `Replacement is "${findParamLabel(info.id, "replacement", "mask")}": every selected token becomes the mask token, so the split does not apply.`
      : null;
  // Random ids come from randomTokens only where something is replaced by a random id.
  const drawsRandom = info.id === "bartInfilling" || split === null;
  return {
    mlmProbability: info.usesProbability ? null : `${OWN_BUDGET[info.id] ?? `${info.label} sets its own budget`}, so mlm_probability does not apply.`,
    split,
    randomTokens: drawsRandom ? null : "No token is replaced by a random id here, so where random ids come from does not apply.",
    packing: !s.batch
      ? "Packing lays out a batch: turn on batch mode (one text per line)."
      : ENCODER_DECODER.has(info.id)
        ? `${info.label} makes a separate target sequence per text (encoder-decoder), which packed rows cannot hold.`
        : null,
  };
}

function findParamLabel(id: string, key: string, value: string): string {
  const spec = findStrategy(id)?.params.find((p) => p.key === key);
  return spec?.kind === "choice" ? (spec.options.find((o) => o.value === value)?.label ?? value) : value;
}
