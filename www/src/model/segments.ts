// Tokens → spans of the source text, from UTF-16 offsets (mlmask's `offsets`: start, end per token).

export interface Segment {
  /**
   * "tokens": text covered by one or more tokens (several when tokens share characters, such as
   * the byte-level pieces of one emoji); "gap": text no token covers (e.g. spaces for WordPiece);
   * "tail": text after the last token, cut off by truncation; "marker": a token with no text
   * (special tokens, padding), placed where it occurs in the sequence.
   */
  kind: "tokens" | "gap" | "tail" | "marker";
  /** [start, end) in UTF-16 code units of the text. */
  start: number;
  end: number;
  text: string;
  /** Token positions in this segment, in order (empty for gaps). */
  tokens: number[];
}

/**
 * Cut `text` into segments following the tokens' offsets.
 * `offsets` holds start, end for each of `count` tokens (from `first`); `placed(i)` says whether
 * token i's offsets refer to this text at all (false for special tokens and padding, whose
 * offsets are 0, 0 — they become markers).
 * The segments cover the text exactly once, in order: joining their `text` gives `text` back.
 */
export function segmentsFromOffsets(
  text: string,
  offsets: ArrayLike<number>,
  count: number,
  placed: (i: number) => boolean = () => true,
  first = 0,
): Segment[] {
  const segs: Segment[] = [];
  let cursor = 0;
  let lastTokens: Segment | null = null;
  for (let k = 0; k < count; k++) {
    const i = first + k;
    let s = Math.min(offsets[2 * i], text.length);
    const e = Math.min(offsets[2 * i + 1], text.length);
    const merges = lastTokens !== null && placed(i) && e > s && s < lastTokens.end;
    if (!merges && (!placed(i) || e <= s || e <= cursor)) {
      // No text of its own (or none left to give it): a marker where it occurs.
      segs.push({ kind: "marker", start: cursor, end: cursor, text: "", tokens: [i] });
      lastTokens = null;
      continue;
    }
    if (merges && lastTokens) {
      // Shares characters with the previous token: same segment.
      lastTokens.tokens.push(i);
      if (e > lastTokens.end) {
        lastTokens.end = e;
        lastTokens.text = text.slice(lastTokens.start, e);
      }
      cursor = Math.max(cursor, e);
      continue;
    }
    if (s < cursor) s = cursor;
    if (s > cursor) segs.push({ kind: "gap", start: cursor, end: s, text: text.slice(cursor, s), tokens: [] });
    lastTokens = { kind: "tokens", start: s, end: e, text: text.slice(s, e), tokens: [i] };
    segs.push(lastTokens);
    cursor = e;
  }
  if (cursor < text.length) {
    const rest = text.slice(cursor);
    // Trailing whitespace is an ordinary gap; anything else was cut off by truncation.
    const kind = /\S/.test(rest) ? "tail" : "gap";
    segs.push({ kind, start: cursor, end: text.length, text: rest, tokens: [] });
  }
  return segs;
}

/** The segment of each token position: index into `segments`, -1 when absent. */
export function tokenToSegment(segments: Segment[], count: number, first = 0): Int32Array {
  const out = new Int32Array(count).fill(-1);
  segments.forEach((seg, j) => {
    for (const t of seg.tokens) if (t - first >= 0 && t - first < count) out[t - first] = j;
  });
  return out;
}

/**
 * Whitespace made visible: space → ·, tab → →, newline → ↵ (CR LF counts as one), other
 * Unicode spaces → ␣. Only used when the whitespace toggle is on.
 */
export function visibleWhitespace(s: string): string {
  return s
    .replace(/\r\n/g, "↵")
    .replace(/ /g, "·")
    .replace(/\t/g, "→")
    .replace(/[\n\r]/g, "↵")
    .replace(/[\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/g, "␣");
}

/**
 * The text a chip shows for its span. A chip must never be empty or blank, so a span of pure
 * whitespace always shows its visible form; `showWhitespace` makes all whitespace visible.
 * Newlines inside a chip are always shown as ↵ (a chip stays on one line).
 */
export function chipLabel(span: string, showWhitespace: boolean): string {
  if (showWhitespace || !/\S/.test(span)) return visibleWhitespace(span);
  return span.replace(/\r\n|[\n\r]/g, "↵");
}

/** Whether a span ends a line (the view breaks the line after the chip). */
export function endsWithNewline(span: string): boolean {
  return /[\n\r]$/.test(span);
}
