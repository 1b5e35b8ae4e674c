// The re-roll histogram of the statistics view: the selected-token counts over many seeds,
// recomputed when the batch or the selection settings change (not the seed or the replacement).

import type { Loaded } from "./loading";
import type { MaskResult } from "./model/result";
import type { Settings } from "./model/settings";
import { findStrategy } from "./model/strategies";
import { countOutcomes } from "./model/outcome";
import { rerollCaption, rerollCount, selectionHistogram, type Histogram } from "./model/stats";
import type { Runner } from "./runner";
import type { StatsView } from "./widgets/statsView";

export interface RerollHistogram {
  /** Re-roll for `r` unless the last re-roll already covers its batch and selection settings. */
  update(r: MaskResult, tokenizer: Loaded, s: Settings): void;
  /** Forget the last re-roll, so the next result re-rolls (a new tokenizer). */
  reset(): void;
  /** The finished histogram for the current result, if any. */
  current(): { h: Histogram; caption: string } | null;
}

const label = (s: Settings) => findStrategy(s.strategy)?.label ?? s.strategy;

/** Wait this long after the last change before re-rolling. */
const DELAY_MS = 200;

export function setUpRerolls(statsView: StatsView, runner: Runner, latest: () => MaskResult | null): RerollHistogram {
  let key = "";
  let timer = 0;
  let cancel = () => {};
  let histogram: { h: Histogram; caption: string } | null = null;

  return {
    update(r, tokenizer, s) {
      const k = JSON.stringify([
        tokenizer.key,
        r.texts,
        s.addSpecialTokens,
        s.maxLength,
        s.padToMultipleOf,
        s.mlmProbability,
        s.strategy,
        s.strategyParams,
        s.rng,
        s.specialTokens,
      ]);
      if (k === key) return;
      key = k;
      histogram = null;
      clearTimeout(timer);
      cancel();
      const c = countOutcomes(r.outcome, r.specialTokensMask, r.attentionMask);
      statsView.plot(null, c.selected, "Re-rolling…");
      statsView.heatmap(null, null, 0, "");
      timer = window.setTimeout(() => {
        const runs = rerollCount(r.batchSize * r.seqLen);
        const job = runner.rerolls(r, tokenizer, s, runs, (f) =>
          statsView.plot(null, 0, `Re-rolling in the background… ${Math.round(f * 100)} %`),
        );
        cancel = job.cancel;
        job.done.then(
          ({ counts, positions }) => {
            const now = latest();
            if (k !== key || !now) return;
            const h = selectionHistogram(counts, c.eligible, s.mlmProbability);
            statsView.heatmap(now, positions, runs, label(s));
            const binomial = s.strategy === "token";
            histogram = { h, caption: rerollCaption(h, c.eligible, s.mlmProbability, binomial, label(s)) };
            statsView.plot(h, countOutcomes(now.outcome, now.specialTokensMask, now.attentionMask).selected, histogram.caption, binomial);
          },
          (e: Error) => {
            if (k === key) statsView.plot(null, 0, `Re-rolling failed: ${e.message}`);
          },
        );
      }, DELAY_MS);
    },

    reset() {
      key = "";
    },

    current: () => histogram,
  };
}
