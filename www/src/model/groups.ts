// Joined chips: where each position sits in its word / n-gram / span group (from `spanIds`).

export type GroupPart = "solo" | "start" | "middle" | "end";

export interface GroupPlace {
  /** The group of the position (-1: none). */
  span: number;
  /** Where it sits in the run of adjacent positions of that group; null outside a group. */
  part: GroupPart | null;
}

/** Number of distinct band colours the view cycles through. */
export const BAND_COLOURS = 6;

/**
 * For `count` positions from `first`: the group of each and its place in the run of adjacent
 * positions sharing it, so the view can fuse them (rounded ends only at the run's ends).
 */
export function groupPlaces(spanIds: ArrayLike<number> | null, first: number, count: number): GroupPlace[] {
  const out: GroupPlace[] = [];
  for (let k = 0; k < count; k++) {
    const span = spanIds ? spanIds[first + k] : -1;
    if (span < 0) {
      out.push({ span: -1, part: null });
      continue;
    }
    const prev = k > 0 && spanIds![first + k - 1] === span;
    const next = k + 1 < count && spanIds![first + k + 1] === span;
    out.push({ span, part: prev && next ? "middle" : prev ? "end" : next ? "start" : "solo" });
  }
  return out;
}

/** The groups of a row: span id → its positions (flat indices), in order. */
export function groupMembers(spanIds: ArrayLike<number> | null, first: number, count: number): Map<number, number[]> {
  const m = new Map<number, number[]>();
  if (!spanIds) return m;
  for (let k = 0; k < count; k++) {
    const span = spanIds[first + k];
    if (span < 0) continue;
    const list = m.get(span);
    if (list) list.push(first + k);
    else m.set(span, [first + k]);
  }
  return m;
}
