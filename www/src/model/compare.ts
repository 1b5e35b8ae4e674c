// Side by side (issue 14): the same text and seed under a second configuration, and the positions
// where the two runs differ.

/** The flat positions whose outcome (unselected, mask, random, kept) or masked id differs. */
export function differingPositions(
  a: { outcome: Uint8Array; inputIds: Int32Array },
  b: { outcome: Uint8Array; inputIds: Int32Array },
): number[] {
  const out: number[] = [];
  const n = Math.min(a.outcome.length, b.outcome.length);
  for (let i = 0; i < n; i++) {
    const sameIds = a.inputIds.length !== a.outcome.length || b.inputIds.length !== b.outcome.length || a.inputIds[i] === b.inputIds[i];
    if (a.outcome[i] !== b.outcome[i] || !sameIds) out.push(i);
  }
  return out;
}
