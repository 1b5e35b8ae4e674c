// T5 and BART change the sequences: the encoder input / source and the target have their own
// lengths. This lines them up with the input positions, for the side-by-side view.

import type { MaskResult } from "./result";
import { tokenString } from "./result";
import { groupMembers } from "./groups";

export type CellKind =
  /** Copied unchanged from the input. */
  | "copy"
  /** A special token ([CLS], </s>, …) copied unchanged. */
  | "special"
  /** T5: the sentinel that stands for a noise span. */
  | "sentinel"
  /** BART: the mask token (or random token) that stands for a span. */
  | "mask"
  | "random"
  /** BART: a mask (or random) token inserted where nothing was removed. */
  | "insert"
  /** A token of a noise span (T5 target, BART original). */
  | "noise"
  | "eos"
  | "pad"
  /** UL2: the denoiser's mode token, first in the encoder input. */
  | "mode";

export interface SeqCell {
  id: number;
  token: string;
  kind: CellKind;
  /** The noise span it stands for or belongs to (-1: none). */
  span: number;
  /** The input positions (flat indices) it comes from. */
  sources: number[];
}

export interface SideBySide {
  /** T5: the encoder input; BART: the source (input_ids). */
  left: SeqCell[];
  /** T5: the target (labels); BART: the original (labels). */
  right: SeqCell[];
}

const SENTINEL = /^<extra_id_(\d+)>$/;

/** The number of a T5 sentinel token (`<extra_id_N>` → N), or null. */
export function sentinelNumber(token: string): number | null {
  const m = SENTINEL.exec(token);
  return m ? Number(m[1]) : null;
}

type Source = Pick<
  MaskResult,
  "ids" | "attentionMask" | "specialTokensMask" | "seqLen" | "inputIds" | "inputAttention" | "inputLen" | "labels" | "labelsLen" | "spanIds" | "outcome" | "tokenStrings" | "maskTokenId"
>;

function cell(r: Source, id: number, kind: CellKind, span = -1, sources: number[] = []): SeqCell {
  return { id, token: id < 0 ? String(id) : tokenString(r, id), kind, span, sources };
}

/**
 * T5: the encoder input (one sentinel per noise span) and the target (sentinel, span tokens, …,
 * </s>). UL2 rows are the same with `modeLength` mode tokens first; its S rows (`prefixLm`) have
 * no sentinel, and the whole target is span 0.
 */
export function t5Sides(r: Source, row: number, modeLength = 0, prefixLm = false): SideBySide {
  const first = row * r.seqLen;
  const members = groupMembers(r.spanIds, first, r.seqLen);
  const left: SeqCell[] = [];
  // Input positions that are copied, in order, to pair with the encoder's non-sentinel tokens.
  const copied: number[] = [];
  for (let j = first; j < first + r.seqLen; j++) {
    if (r.attentionMask[j] === 1 && (r.spanIds ? r.spanIds[j] : -1) < 0) copied.push(j);
  }
  let c = 0;
  let mode = modeLength;
  for (let p = row * r.inputLen; p < (row + 1) * r.inputLen; p++) {
    const id = r.inputIds[p];
    if (r.inputAttention[p] === 0) {
      left.push(cell(r, id, "pad"));
      continue;
    }
    if (mode > 0) {
      mode--;
      left.push(cell(r, id, "mode"));
      continue;
    }
    const n = sentinelNumber(tokenString(r, id));
    if (n !== null && members.has(n)) {
      left.push(cell(r, id, "sentinel", n, members.get(n)));
      continue;
    }
    const src = c < copied.length && r.ids[copied[c]] === id ? copied[c++] : -1;
    left.push(cell(r, id, src >= 0 && r.specialTokensMask[src] === 1 ? "special" : "copy", -1, src >= 0 ? [src] : []));
  }
  const right: SeqCell[] = [];
  let span = prefixLm ? 0 : -1;
  let k = 0;
  let ended = false;
  for (let p = row * r.labelsLen; p < (row + 1) * r.labelsLen; p++) {
    const id = r.labels[p];
    if (ended || id < 0) {
      right.push(cell(r, id, "pad"));
      continue;
    }
    const n = sentinelNumber(tokenString(r, id));
    if (n !== null) {
      span = n;
      k = 0;
      right.push(cell(r, id, "sentinel", n, members.get(n) ?? []));
      continue;
    }
    const list = members.get(span);
    if (list && k < list.length) {
      right.push(cell(r, id, "noise", span, [list[k++]]));
      continue;
    }
    right.push(cell(r, id, "eos"));
    ended = true;
  }
  return { left, right };
}

/** BART: the source (one mask token per span, insertions) and the original sequence. */
export function bartSides(r: Source, row: number): SideBySide {
  const first = row * r.seqLen;
  const left: SeqCell[] = [];
  let p = row * r.inputLen;
  const end = (row + 1) * r.inputLen;
  const live = (q: number) => q < end && r.inputAttention[q] === 1;
  const replacement = (q: number, span: number, sources: number[]) =>
    cell(r, r.inputIds[q], r.inputIds[q] === r.maskTokenId ? "mask" : "random", span, sources);
  let j = first;
  while (j < first + r.seqLen) {
    if (r.attentionMask[j] === 0) {
      j++;
      continue;
    }
    const span = r.spanIds ? r.spanIds[j] : -1;
    if (span >= 0) {
      const sources: number[] = [];
      while (j < first + r.seqLen && r.spanIds![j] === span) sources.push(j++);
      if (live(p)) left.push(replacement(p++, span, sources));
      continue;
    }
    // Insertions come before a copied token (or after the last one).
    while (live(p) && r.inputIds[p] !== r.ids[j]) {
      const c = replacement(p++, -1, []);
      left.push({ ...c, kind: "insert" });
    }
    if (live(p)) left.push(cell(r, r.inputIds[p++], r.specialTokensMask[j] === 1 ? "special" : "copy", -1, [j]));
    j++;
  }
  for (; p < end; p++) {
    if (live(p)) left.push({ ...replacement(p, -1, []), kind: "insert" });
    else left.push(cell(r, r.inputIds[p], "pad"));
  }
  const right: SeqCell[] = [];
  for (let q = 0; q < r.labelsLen; q++) {
    const i = first + q;
    const id = r.labels[row * r.labelsLen + q];
    const span = r.spanIds && q < r.seqLen ? r.spanIds[i] : -1;
    if (id < 0 || (q < r.seqLen && r.attentionMask[i] === 0)) right.push(cell(r, id, "pad"));
    else if (span >= 0) right.push(cell(r, id, "noise", span, [i]));
    else right.push(cell(r, id, q < r.seqLen && r.specialTokensMask[i] === 1 ? "special" : "copy", -1, q < r.seqLen ? [i] : []));
  }
  return { left, right };
}

/** The side-by-side sequences of a T5, UL2 or BART result, or null for the other strategies. */
export function sideBySide(r: Source & Pick<MaskResult, "strategy" | "ul2">, row: number): SideBySide | null {
  if (r.strategy === "t5SpanCorruption") return t5Sides(r, row);
  if (r.strategy === "ul2" && r.ul2) {
    const d = r.ul2.denoiser[row];
    return t5Sides(r, row, r.ul2.modeLengths[d] ?? 0, r.ul2.names[d]?.startsWith("s") ?? false);
  }
  if (r.strategy === "bartInfilling") return bartSides(r, row);
  return null;
}

/** What stands in for each span in the input (for the chips' badges): span → token. */
export function spanStandIns(sides: SideBySide): Map<number, SeqCell> {
  const m = new Map<number, SeqCell>();
  for (const c of sides.left) if (c.span >= 0 && !m.has(c.span)) m.set(c.span, c);
  return m;
}
