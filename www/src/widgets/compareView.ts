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
  /** Show `other` (the same text under the choice) beside `main`, or why it cannot run. */
  render(main: MaskResult, other: MaskResult | { error: string } | null, s: Settings): void;
  /** Fill the strategy list once the package's catalogue is known. */
  useStrategies(current: string): void;
}

export function setUpCompareView(root: HTMLElement, otherView: TokenView, mainChips: HTMLElement, changed: () => void): CompareView {
  const on = byId<HTMLInputElement>("compare-on", root);
  const strategy = byId<HTMLSelectElement>("compare-strategy", root);
  const rng = byId<HTMLSelectElement>("compare-rng", root);
  const box = byId("compare-view", root);
  const note = byId("compare-note", root);
  const summary = byId("compare-summary", root);
  for (const c of [on, strategy, rng]) c.addEventListener("change", changed);

  /** Whether the main row carries marks to clear: with comparing off, renders skip the chips. */
  let marked = false;
  const mark = (container: HTMLElement, positions: Set<number>) => {
    if (container === mainChips) {
      if (positions.size === 0 && !marked) return;
      marked = positions.size > 0;
    }
    for (const c of container.querySelectorAll<HTMLElement>(".chip[data-index]")) {
      c.classList.toggle("differs", positions.has(Number(c.dataset.index)));
    }
  };

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
        summary.textContent = "";
        mark(mainChips, new Set());
        return;
      }
      if ("error" in other) {
        box.replaceChildren();
        summary.textContent = `The second configuration cannot run: ${other.error}`;
        mark(mainChips, new Set());
        return;
      }
      otherView.render(other, s);
      const differ = differingPositions(main, other);
      const set = new Set(differ);
      mark(mainChips, set);
      mark(box, set);
      const positions = main.batchSize * main.seqLen;
      summary.textContent = `Same text, same seed: ${count(differ.length)} of ${count(positions)} positions differ (marked with a dashed underline in both rows).`;
    },
  };
}
