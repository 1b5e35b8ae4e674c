// The corruption schemes beyond MLM and the layouts around them, in plain data for the views:
// FIM's three parts, UL2's denoiser per row, the packed rows' texts, and the views strip.

import type { MaskResult, PackedRows } from "./result";

/** UL2's mode token per denoiser family (the first letter of a denoiser's name). */
export const UL2_MODE_TOKENS: Readonly<Record<string, string>> = { r: "[NLU]", x: "[NLG]", s: "[S2S]" };

/** The denoiser of one row, in words: "x: mean 64, noise 0.5 · mode [NLG]". */
export function denoiserLabel(ul2: NonNullable<MaskResult["ul2"]>, row: number): string {
  const name = ul2.names[ul2.denoiser[row]] ?? "?";
  return `${name} · mode ${UL2_MODE_TOKENS[name[0]] ?? "none"}`;
}

export type FimPart = "prefix" | "middle" | "suffix" | "fim" | "other" | "pad";

export interface FimSegment {
  part: FimPart;
  ids: number[];
}

export const LAYOUT_NAMES = ["unchanged", "PSM", "SPM"] as const;

/**
 * One FIM row of `input_ids` cut into its parts, in the order they appear: the FIM tokens on
 * their own, then prefix, suffix and middle (PSM) or suffix, then prefix and middle together
 * (SPM, whose two parts follow <fim_middle> with nothing between them: `middle` here is the
 * whole run). A row left unchanged is one "other" segment.
 */
export function fimSegments(
  r: Pick<MaskResult, "inputIds" | "inputAttention" | "inputLen" | "specialTokensMask" | "attentionMask" | "seqLen">,
  fim: NonNullable<MaskResult["fim"]>,
  row: number,
): FimSegment[] {
  const ids: number[] = [];
  for (let p = row * r.inputLen; p < (row + 1) * r.inputLen; p++) if (r.inputAttention[p] === 1) ids.push(r.inputIds[p]);
  const layout = fim.layout[row];
  if (layout === 0) return [{ part: "other", ids }];
  // Special tokens after the text (EOS, [SEP]) stay after the rearranged part.
  let trail = 0;
  for (let j = (row + 1) * r.seqLen - 1; j >= row * r.seqLen; j--) {
    if (r.attentionMask[j] === 0) continue;
    if (r.specialTokensMask[j] === 0) break;
    trail++;
  }
  const [pre, mid, suf] = fim.tokens;
  const p = ids.indexOf(pre);
  const s = ids.indexOf(suf);
  const m = ids.indexOf(mid);
  const out: FimSegment[] = [];
  const push = (part: FimPart, from: number, to: number) => {
    if (to > from) out.push({ part, ids: ids.slice(from, to) });
  };
  push("other", 0, p);
  if (layout === 1) {
    push("fim", p, p + 1);
    push("prefix", p + 1, s);
    push("fim", s, s + 1);
    push("suffix", s + 1, m);
    push("fim", m, m + 1);
    push("middle", m + 1, ids.length - trail);
  } else {
    push("fim", p, s + 1);
    push("suffix", s + 1, m);
    push("fim", m, m + 1);
    push("middle", m + 1, ids.length - trail);
  }
  push("other", ids.length - trail, ids.length);
  return out;
}

export interface PackedText {
  /** The text's index in the batch. */
  text: number;
  /** Its first and last position (exclusive) in the packed row. */
  start: number;
  end: number;
}

/** The texts of one packed row, in order, from `sequenceIds`. */
export function packedTexts(p: PackedRows, row: number): PackedText[] {
  const out: PackedText[] = [];
  for (let j = 0; j < p.seqLen; j++) {
    const text = p.sequenceIds[row * p.seqLen + j];
    if (text < 0) break;
    const last = out[out.length - 1];
    if (last && last.text === text) last.end = j + 1;
    else out.push({ text, start: j, end: j + 1 });
  }
  return out;
}

/** Each view's outcomes (rows of the strip) and how many views selected each position. */
/**
 * BERT's static masking beside the views' dynamic masking: `create_pretraining_data.py` masks
 * `dupe_factor` copies of the text once, and training repeats them, epoch e reading copy
 * e mod dupe_factor. Here the copies are the first `dupeFactor` calls of the views strip (the
 * same masker, so the same distribution); returns which copy each of the `epochs` shows.
 */
export function staticCopies(epochs: number, dupeFactor: number): number[] {
  return Array.from({ length: epochs }, (_, e) => e % dupeFactor);
}

/** The dupe_factor the strip shows for `epochs` epochs: each static copy comes back at least once. */
export function stripDupeFactor(epochs: number): number {
  return Math.max(1, Math.floor(epochs / 2));
}

export function viewsStrip(v: NonNullable<MaskResult["views"]>): { rows: Uint8Array[]; selectedIn: number[] } {
  const rows = Array.from({ length: v.count }, (_, k) => v.outcome.subarray(k * v.seqLen, (k + 1) * v.seqLen));
  const selectedIn = Array.from({ length: v.seqLen }, (_, j) => rows.filter((row) => row[j] !== 0).length);
  return { rows, selectedIn };
}
