// Side by side: a second row of chips for the same text and seed under another strategy, random
// stream or tokenizer. With one tokenizer the positions where the two runs differ are marked in
// both rows; with two, the tokens each one splits out differently.

import { byId, el } from "./dom";
import type { MaskResult } from "../model/result";
import type { Settings } from "../model/settings";
import { STRATEGIES } from "../model/strategies";
import { differentSplits, differingPositions, splitSummary, type ComparedSide } from "../model/compare";
import { countOutcomes } from "../model/outcome";
import { count } from "../model/format";
import type { TokenView } from "./tokenView";

export interface CompareChoice {
  strategy: string;
  rng: "torch" | "numpy" | "mlmask";
  /** Another tokenizer (a choice of `useTokenizers`), or null for the page's. */
  tokenizer: string | null;
}

/** The second run: its result, and with another tokenizer the two tokenizers' labels. */
export interface Compared {
  result: MaskResult;
  tokenizers: { main: string; other: string } | null;
}

export interface CompareView {
  /** The second configuration, or null when comparing is off. */
  choice(): CompareChoice | null;
  /**
   * Show `other` (the same text under the choice) beside `main`, why it cannot run (`error`), or
   * that its tokenizer is still loading (`waiting`); resolves as TokenView.render does, once the
   * second row's chips are drawn.
   */
  render(main: MaskResult, other: Compared | { error: string } | { waiting: string } | null, s: Settings): Promise<boolean>;
  /** Fill the strategy list once the package's catalogue is known. */
  useStrategies(current: string): void;
  /** The tokenizers to offer beside "the same"; a choice no longer offered goes back to it. */
  useTokenizers(choices: { choice: string; label: string }[]): void;
}

export function setUpCompareView(root: HTMLElement, otherView: TokenView, mainView: TokenView, changed: () => void): CompareView {
  const on = byId<HTMLInputElement>("compare-on", root);
  const strategy = byId<HTMLSelectElement>("compare-strategy", root);
  const rng = byId<HTMLSelectElement>("compare-rng", root);
  const tokenizer = byId<HTMLSelectElement>("compare-tokenizer", root);
  const box = byId("compare-view", root);
  const note = byId("compare-note", root);
  const summary = byId("compare-summary", root);
  for (const c of [on, strategy, rng, tokenizer]) c.addEventListener("change", changed);

  /** No second row: nothing marked, and `text` in the summary. */
  const none = (text: string) => {
    otherView.clear();
    summary.textContent = text;
    mainView.markDiffering(new Set());
    return Promise.resolve(true);
  };

  return {
    choice: () => (on.checked ? { strategy: strategy.value, rng: rng.value as CompareChoice["rng"], tokenizer: tokenizer.value || null } : null),
    useStrategies(current) {
      strategy.replaceChildren(...STRATEGIES.map((s) => Object.assign(el("option", undefined, s.label), { value: s.id })));
      strategy.value = current;
    },
    useTokenizers(choices) {
      const was = tokenizer.value;
      tokenizer.replaceChildren(
        Object.assign(el("option", undefined, "the same"), { value: "" }),
        ...choices.map((c) => Object.assign(el("option", undefined, c.label), { value: c.choice })),
      );
      tokenizer.value = choices.some((c) => c.choice === was) ? was : "";
    },
    render(main, other, s) {
      box.hidden = other === null || !("result" in other);
      note.hidden = true;
      if (other === null) return none("");
      if ("error" in other) return none(`The second configuration cannot run: ${other.error}`);
      if ("waiting" in other) return none(other.waiting);
      const drawn = otherView.render(other.result, s);
      const positions = main.batchSize * main.seqLen;
      if (other.tokenizers) {
        const splits = differentSplits(main, other.result);
        mainView.markDiffering(new Set(splits.a));
        otherView.markDiffering(new Set(splits.b));
        const side = (r: MaskResult, label: string, differ: number): ComparedSide => {
          const c = countOutcomes(r.outcome, r.specialTokensMask, r.attentionMask);
          return { label, tokens: c.eligible, selected: c.selected, differ };
        };
        summary.textContent = splitSummary(
          side(main, other.tokenizers.main, splits.a.length),
          side(other.result, other.tokenizers.other, splits.b.length),
          other.result.notMasked,
        );
        return drawn;
      }
      const differ = new Set(differingPositions(main, other.result));
      mainView.markDiffering(differ);
      otherView.markDiffering(differ);
      summary.textContent = `Same text, same seed: ${count(differ.size)} of ${count(positions)} positions differ (marked with a dashed underline in both rows).`;
      return drawn;
    },
  };
}
