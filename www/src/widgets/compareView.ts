// Side by side: a second row of chips for the same text and seed under another strategy or
// random stream, the positions where the two runs differ marked in both rows.

import { byId, el } from "./dom";
import type { MaskResult } from "../model/result";
import type { Settings } from "../model/settings";
import { STRATEGIES } from "../model/strategies";
import { differingPositions } from "../model/compare";
import { count } from "../model/format";
import type { TokenView } from "./tokenView";

export interface CompareChoice {
  strategy: string;
  rng: "torch" | "numpy" | "mlmask";
}

export interface CompareView {
  /** The second configuration, or null when comparing is off. */
  choice(): CompareChoice | null;
  /**
   * Show `other` (the same text under the choice) beside `main`, or why it cannot run; resolves
   * as TokenView.render does, once the second row's chips are drawn.
   */
  render(main: MaskResult, other: MaskResult | { error: string } | null, s: Settings): Promise<boolean>;
  /** Fill the strategy list once the package's catalogue is known. */
  useStrategies(current: string): void;
}

export function setUpCompareView(root: HTMLElement, otherView: TokenView, mainView: TokenView, changed: () => void): CompareView {
  const on = byId<HTMLInputElement>("compare-on", root);
  const strategy = byId<HTMLSelectElement>("compare-strategy", root);
  const rng = byId<HTMLSelectElement>("compare-rng", root);
  const box = byId("compare-view", root);
  const note = byId("compare-note", root);
  const summary = byId("compare-summary", root);
  for (const c of [on, strategy, rng]) c.addEventListener("change", changed);


  return {
    choice: () => (on.checked ? { strategy: strategy.value, rng: rng.value as CompareChoice["rng"] } : null),
    useStrategies(current) {
      strategy.replaceChildren(...STRATEGIES.map((s) => Object.assign(el("option", undefined, s.label), { value: s.id })));
      strategy.value = current;
    },
    render(main, other, s) {
      box.hidden = other === null;
      note.hidden = true;
      if (other === null) {
        otherView.clear();
        summary.textContent = "";
        mainView.markDiffering(new Set());
        return Promise.resolve(true);
      }
      if ("error" in other) {
        otherView.clear();
        summary.textContent = `The second configuration cannot run: ${other.error}`;
        mainView.markDiffering(new Set());
        return Promise.resolve(true);
      }
      const drawn = otherView.render(other, s);
      const differ = differingPositions(main, other);
      const set = new Set(differ);
      mainView.markDiffering(set);
      otherView.markDiffering(set);
      const positions = main.batchSize * main.seqLen;
      summary.textContent = `Same text, same seed: ${count(differ.length)} of ${count(positions)} positions differ (marked with a dashed underline in both rows).`;
      return drawn;
    },
  };
}
