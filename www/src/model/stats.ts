// Expected counts and the binomial distribution of the number of selected tokens.

import { keepShare, type Split } from "./split";
import { count } from "./format";

export interface Expected {
  selected: number;
  mask: number;
  random: number;
  kept: number;
  /** Standard deviation of the selected count: sqrt(n p (1 − p)). */
  selectedSd: number;
}

/**
 * Expected counts for `eligible` tokens: each is selected with probability p; a selected token
 * becomes the mask token with maskReplaceProb, a random token with randomReplaceProb, and is kept
 * otherwise (transformers draws the random share as random / (1 − mask) among the unmasked,
 * which comes to the same).
 */
export function expectedCounts(eligible: number, p: number, split: Split): Expected {
  const selected = eligible * p;
  const randomShare = split.maskReplaceProb === 1 ? 0 : split.randomReplaceProb;
  return {
    selected,
    mask: selected * split.maskReplaceProb,
    random: selected * randomShare,
    kept: selected * (split.maskReplaceProb === 1 ? 0 : keepShare(split)),
    selectedSd: Math.sqrt(eligible * p * (1 - p)),
  };
}

/** ln Γ(x) for x > 0 (Lanczos, g = 7; ~15 significant digits). */
export function logGamma(x: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  x -= 1;
  let a = c[0];
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

/** P(K = k) for K ~ Binomial(n, p). */
export function binomialPmf(n: number, p: number, k: number): number {
  if (k < 0 || k > n || !Number.isInteger(k)) return 0;
  if (p === 0) return k === 0 ? 1 : 0;
  if (p === 1) return k === n ? 1 : 0;
  const logC = logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1);
  return Math.exp(logC + k * Math.log(p) + (n - k) * Math.log1p(-p));
}

export interface Histogram {
  /** Smallest and largest k shown. */
  min: number;
  max: number;
  /** observed[k - min]: how many runs selected exactly k tokens. */
  observed: number[];
  /** expected[k - min]: runs × P(K = k). */
  expected: number[];
  runs: number;
  mean: number;
}

/**
 * Observed counts of selected tokens over several runs, next to the binomial expectation,
 * over a range that covers both (at least mean ± 4 sd, clipped to [0, n]).
 */
export function selectionHistogram(counts: ArrayLike<number>, n: number, p: number): Histogram {
  const runs = counts.length;
  const mean = n * p;
  const sd = Math.sqrt(n * p * (1 - p));
  let lo = Math.max(0, Math.floor(mean - 4 * sd));
  let hi = Math.min(n, Math.ceil(mean + 4 * sd));
  let sum = 0;
  for (let i = 0; i < runs; i++) {
    lo = Math.min(lo, counts[i]);
    hi = Math.max(hi, counts[i]);
    sum += counts[i];
  }
  const observed = new Array<number>(hi - lo + 1).fill(0);
  for (let i = 0; i < runs; i++) observed[counts[i] - lo]++;
  const expected = observed.map((_, j) => runs * binomialPmf(n, p, lo + j));
  return { min: lo, max: hi, observed, expected, runs, mean: runs ? sum / runs : 0 };
}

/** How many re-rolls to draw for the plot so that it stays quick: fewer for large batches. */
export function rerollCount(cells: number, budgetCells = 4_000_000, most = 1000, least = 50): number {
  if (cells <= 0) return most;
  return Math.max(least, Math.min(most, Math.floor(budgetCells / cells)));
}

/**
 * The caption under the re-roll histogram: the mean over the seeds, compared with the binomial
 * expectation when the strategy selects token by token (`binomial`), else with the eligible count.
 */
export function rerollCaption(h: Histogram, eligible: number, p: number, binomial: boolean, strategyLabel: string): string {
  const seeds = `Tokens selected over ${count(h.runs)} seeds (0–${h.runs - 1}): mean ${h.mean.toFixed(2)}`;
  if (!binomial) {
    return (
      `${seeds} of ${count(eligible)} eligible. ` +
      `${strategyLabel} selects by its own rule (words, spans or a budget), so there is no binomial curve to compare with.`
    );
  }
  const sd = Math.sqrt(eligible * p * (1 - p));
  return `${seeds}, binomial expectation ${(eligible * p).toFixed(2)} ± ${sd.toFixed(2)} (n = ${count(eligible)}, p = ${p}).`;
}
