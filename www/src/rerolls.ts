// The re-roll distribution: how many tokens the current settings select over many seeds. It
// depends on the batch and the settings, not on the seed, so it is recomputed only when those
// change: in slices on this thread, or in the worker when the result came from there.

import { selectionCounts } from "./engine";
import type { Loaded } from "./loading";
import type { MaskResult } from "./model/result";
import type { Settings } from "./model/settings";
import { countOutcomes } from "./model/outcome";
import { rerollCount, selectionHistogram } from "./model/stats";
import { findStrategy } from "./model/strategies";
import { count } from "./model/format";
import type { Runner } from "./runner";
import type { setUpStatsView } from "./widgets/statsView";

export type Histogram = { h: ReturnType<typeof selectionHistogram>; caption: string };

export function createRerolls(
  statsView: ReturnType<typeof setUpStatsView>,
  runner: Runner,
  page: () => { active: Loaded | null; settings: Settings; lastResult: MaskResult | null },
) {
  let rerollKey = "";
  let rerollTimer = 0;
  let rerollRun = 0;
  let histogram: Histogram | null = null;

  function schedule(r: MaskResult) {
    const { active, settings } = page();
    const key = JSON.stringify([
      active?.key,
      r.texts,
      settings.addSpecialTokens,
      settings.maxLength,
      settings.padToMultipleOf,
      settings.mlmProbability,
      settings.strategy,
      settings.strategyParams,
      settings.rng,
      settings.specialTokens,
    ]);
    if (key === rerollKey) return;
    rerollKey = key;
    histogram = null;
    const id = ++rerollRun;
    clearTimeout(rerollTimer);
    const c = countOutcomes(r.outcome, r.specialTokensMask, r.attentionMask);
    statsView.plot(null, c.selected, "Re-rolling…");
    rerollTimer = window.setTimeout(() => {
      const runs = rerollCount(r.batchSize * r.seqLen);
      const done = (counts: Int32Array) => {
        const lastResult = page().lastResult;
        if (id !== rerollRun || !lastResult) return;
        const h = selectionHistogram(counts, c.eligible, settings.mlmProbability);
        const sd = Math.sqrt(c.eligible * settings.mlmProbability * (1 - settings.mlmProbability));
        const binomial = settings.strategy === "token";
        histogram = {
          h,
          caption: binomial
            ? `Tokens selected over ${count(runs)} seeds (0–${runs - 1}): mean ${h.mean.toFixed(2)}, binomial expectation ${(
                c.eligible * settings.mlmProbability
              ).toFixed(2)} ± ${sd.toFixed(2)} (n = ${count(c.eligible)}, p = ${settings.mlmProbability}).`
            : `Tokens selected over ${count(runs)} seeds (0–${runs - 1}): mean ${h.mean.toFixed(2)} of ${count(c.eligible)} eligible. ` +
              `${findStrategy(settings.strategy)?.label ?? settings.strategy} selects by its own rule (words, spans or a budget), so there is no binomial curve to compare with.`,
        };
        const now = countOutcomes(lastResult.outcome, lastResult.specialTokensMask, lastResult.attentionMask);
        statsView.plot(h, now.selected, histogram.caption, binomial);
      };
      if (!r.viaWorker || !runner.hasWorker() || !active) {
        // On the main thread, in slices so that typing stays smooth.
        const counts = new Int32Array(runs);
        const tok = active!.tok;
        let k = 0;
        const slice = () => {
          if (id !== rerollRun) return;
          const n = Math.min(100, runs - k);
          try {
            counts.set(selectionCounts(tok, r, settings, k, n), k);
          } catch (e) {
            statsView.plot(null, 0, `Re-rolling failed: ${e instanceof Error ? e.message : String(e)}`);
            return;
          }
          k += n;
          if (k < runs) setTimeout(slice, 0);
          else done(counts);
        };
        slice();
      } else {
        const input = {
          ids: r.ids,
          specialTokensMask: r.specialTokensMask,
          attentionMask: r.attentionMask,
          batchSize: r.batchSize,
          seqLen: r.seqLen,
          offsets: r.offsets,
          wordIds: r.wordIds,
        };
        runner.rerollInWorker(id, active, input, settings, runs, done, (message) => statsView.plot(null, 0, `Re-rolling failed: ${message}`));
      }
    }, 200);
  }

  return {
    /** Recompute for `r` unless its batch and settings are those of the last computation. */
    schedule,
    /** Forget the last computation (a new tokenizer), so that the next result recomputes. */
    forget: () => void (rerollKey = ""),
    /** The latest distribution, once computed. */
    histogram: () => histogram,
  };
}
