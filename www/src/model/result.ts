// The plain-data result of one masking run, as the engine (main thread or worker) hands it to
// the views. Flat, row-major arrays: position j of row r is at r * seqLen + j.

export interface MaskResult {
  texts: string[];
  /** Where each text starts in the whole input (batch mode: line starts). */
  starts: number[];
  batchSize: number;
  seqLen: number;
  ids: Uint32Array;
  /** start, end per position, UTF-16 code units of that row's text. */
  offsets: Uint32Array;
  /** The word of each position, -1 for none (for the word-level strategies' re-rolls). */
  wordIds: Int32Array;
  specialTokensMask: Uint8Array;
  attentionMask: Uint8Array;
  /** Rows of `inputLen` entries (= seqLen except for T5 and BART). */
  inputIds: Int32Array;
  /** Rows of `labelsLen` entries (= seqLen except for T5 and BART). */
  labels: Int32Array;
  /** Per input position (rows of seqLen). */
  outcome: Uint8Array;
  /** The strategy that made it. */
  strategy: string;
  /** Row lengths of inputIds (with inputAttention) and of labels. */
  inputLen: number;
  labelsLen: number;
  /** The attention mask of inputIds (= attentionMask except for T5 and BART). */
  inputAttention: Uint8Array;
  /** Word-, n-gram- and span-level strategies: the group of each selected position, -1 elsewhere. */
  spanIds: Int32Array | null;
  /** exactCount: BERT's masked_lm_positions / ids / weights, maxPredictions per row. */
  maskedLm: { maxPredictions: number; positions: Int32Array; ids: Int32Array; weights: Float32Array } | null;
  maskTokenId: number;
  /** Token strings of every id the views may show (original and new ids of the shown cells). */
  tokenStrings: Map<number, string>;
  /** Rows and columns the views render; the arrays hold everything. */
  shownRows: number;
  shownColumns: number;
  /** Milliseconds spent tokenizing and masking. */
  elapsedMs: number;
  /** Whether the run went through the Web Worker. */
  viaWorker: boolean;
  /** ul2: each row's denoiser, each denoiser's name, and its mode token's length in tokens. */
  ul2: { denoiser: Uint8Array; names: string[]; modeLengths: number[] } | null;
  /** fim: each row's layout (0 none, 1 PSM, 2 SPM) and the ids of <fim_prefix>, <fim_middle>, <fim_suffix>, <fim_pad>. */
  fim: { layout: Uint8Array; tokens: number[] } | null;
  /** views > 1: the first text masked `count` times by one masker (`views: count`), rows of `seqLen`. */
  views: {
    count: number;
    seqLen: number;
    /** The first row's ids. */
    ids: Uint32Array;
    /** Each view's input_ids (rows of seqLen); null when the strategy changes lengths. */
    inputIds: Int32Array | null;
    outcome: Uint8Array;
    attentionMask: Uint8Array;
  } | null;
  /** Why nothing was masked (the strategy cannot run with the tokenizer): the tokens only. */
  notMasked: string | null;
  /** run_mlm.py's group_texts: the block size, the stream's tokens and the remainder dropped. */
  blocks: { size: number; tokens: number; dropped: number } | null;
  /** Batch mode with packing: the packed rows, or why they cannot be made. */
  packed: PackedRows | { error: string } | null;
}

/** `collate(texts, { packing })`'s rows: several texts to a row, padding only at the end. */
export interface PackedRows {
  maxLength: number;
  batchSize: number;
  seqLen: number;
  inputIds: Int32Array;
  /** Per position of inputIds; null when the strategy changed lengths (FIM): its outcomes describe the source. */
  outcome: Uint8Array | null;
  attentionMask: Uint8Array;
  sequenceIds: Int32Array;
  positionIds: Int32Array;
  cuSeqlens: Int32Array;
}

/** What the views may render at most (the data itself is never cut). */
export const LIMITS = {
  /** Token chips in the token view, over all rows. */
  chips: 2000,
  /** Rows and columns with token strings looked up. */
  rows: 32,
  columns: 1024,
  /** Tensor view. */
  tensorRows: 8,
  tensorColumns: 256,
  /** Step-through view columns. */
  stepColumns: 128,
};

export function shownShape(batchSize: number, seqLen: number): { rows: number; columns: number } {
  return { rows: Math.min(batchSize, LIMITS.rows), columns: Math.min(seqLen, LIMITS.columns) };
}

/**
 * The chips the token view draws: for each shown row (in order), how many of its positions, with
 * LIMITS.chips shared over all rows; `cut` when a drawn row stops short of its length.
 */
export function chipRows(r: Pick<MaskResult, "shownRows" | "shownColumns" | "seqLen">): { counts: number[]; cut: boolean } {
  const counts: number[] = [];
  let budget = LIMITS.chips;
  for (let row = 0; row < r.shownRows && budget > 0; row++) {
    const n = Math.min(r.shownColumns, budget);
    counts.push(n);
    budget -= n;
  }
  return { counts, cut: counts.some((n) => n < r.seqLen) };
}

/** Whether inputIds / labels are aligned with the input positions (false for T5 and BART). */
export function aligned(r: Pick<MaskResult, "seqLen" | "inputLen" | "labelsLen">): boolean {
  return r.inputLen === r.seqLen && r.labelsLen === r.seqLen;
}

/** The token string of an id, or a placeholder when it was not looked up. */
export function tokenString(r: Pick<MaskResult, "tokenStrings">, id: number): string {
  return r.tokenStrings.get(id) ?? `<id ${id}>`;
}

export interface PositionInfo {
  row: number;
  column: number;
  index: number;
  originalId: number;
  originalToken: string;
  newId: number;
  newToken: string;
  label: number;
  outcome: number;
  special: boolean;
  padding: boolean;
  /** Source text span, if the token has one. */
  span: { start: number; end: number; text: string } | null;
  /** The word / n-gram / span group it belongs to, -1 for none. */
  group: number;
  /** False for T5 and BART: newId and label are not per position. */
  aligned: boolean;
}

export function positionInfo(r: MaskResult, index: number): PositionInfo {
  const row = Math.floor(index / r.seqLen);
  const column = index - row * r.seqLen;
  const s = r.offsets[2 * index];
  const e = r.offsets[2 * index + 1];
  const padding = r.attentionMask[index] === 0;
  const special = !padding && r.specialTokensMask[index] === 1;
  const same = aligned(r);
  return {
    row,
    column,
    index,
    originalId: r.ids[index],
    originalToken: tokenString(r, r.ids[index]),
    newId: same ? r.inputIds[index] : r.ids[index],
    newToken: same ? tokenString(r, r.inputIds[index]) : tokenString(r, r.ids[index]),
    label: same ? r.labels[index] : -100,
    outcome: r.outcome[index],
    special,
    padding,
    span: !padding && !special && e > s ? { start: s, end: e, text: r.texts[row].slice(s, e) } : null,
    group: r.spanIds ? r.spanIds[index] : -1,
    aligned: same,
  };
}

/** The tooltip's lines for one position. */
export function describePosition(p: PositionInfo, batchSize: number): string[] {
  const where = batchSize > 1 ? `Row ${p.row}, position ${p.column}` : `Position ${p.column}`;
  const kind = p.padding ? " (padding)" : p.special ? " (special token)" : "";
  const lines = [`${where}${kind}`, `Original: ${JSON.stringify(p.originalToken)} (id ${p.originalId})`];
  if (!p.aligned) {
    lines.push(
      p.outcome === 0
        ? "Copied to the input unchanged"
        : `In noise span ${p.group}: ${p.outcome === 2 ? "replaced by a random token" : "replaced (with the rest of its span) by one token"} in the input; the target holds it`,
    );
    if (p.span) lines.push(`Text: ${JSON.stringify(p.span.text)} [${p.span.start}, ${p.span.end})`);
    return lines;
  }
  if (p.group >= 0) lines.push(`Group ${p.group} (selected together)`);
  const became =
    p.outcome === 1 ? "mask token" : p.outcome === 2 ? "random token" : p.outcome === 3 ? "selected, kept" : "not selected";
  lines.push(`Now: ${JSON.stringify(p.newToken)} (id ${p.newId}) — ${became}`);
  lines.push(p.label === -100 ? "Label: -100 (ignored by the loss)" : `Label: ${p.label} (the model must predict it)`);
  if (p.span) lines.push(`Text: ${JSON.stringify(p.span.text)} [${p.span.start}, ${p.span.end})`);
  return lines;
}

/** The one-line explanation under the tensors, tied to the current example. */
export function labelsExplanation(r: MaskResult): string {
  if (r.strategy === "ul2")
    return "UL2: input_ids is the encoder input, led by the row's mode token, with one sentinel per noise span (none for the S denoiser, which keeps a prefix); labels is the target (sentinels and spans, or the suffix) then </s>.";
  if (r.strategy === "fim")
    return "Fill-in-the-middle: input_ids is the rearranged row (PSM or SPM, or unchanged); labels are the causal-LM targets, each position's next id, -100 on the last token and on padding.";
  if (r.strategy === "t5SpanCorruption")
    return "T5 span corruption: input_ids is the encoder input, with one sentinel per noise span; labels is the target sequence (each sentinel, then the tokens it replaced, then </s>). The two have their own lengths.";
  if (r.strategy === "bartInfilling")
    return "BART text infilling: input_ids is the corrupted source (one mask token per span, insertions added, the rest of each span deleted); labels is the whole original sequence, which the decoder must reproduce.";
  const base = "labels keep the original id only where a token was selected; the loss ignores -100.";
  const rows = Math.min(r.batchSize, LIMITS.tensorRows);
  const cols = Math.min(r.seqLen, LIMITS.tensorColumns);
  for (let row = 0; row < rows; row++) {
    for (let c = 0; c < cols; c++) {
      const i = row * r.seqLen + c;
      if (r.outcome[i] === 0) continue;
      const p = positionInfo(r, i);
      const now =
        p.outcome === 1 ? `input_ids holds the mask token ${p.newId}` : p.outcome === 2 ? `input_ids holds the random id ${p.newId}` : "input_ids is unchanged";
      const where = r.batchSize > 1 ? `row ${row}, position ${c}` : `position ${c}`;
      return `Here ${where} (${JSON.stringify(p.originalToken)}) was selected: ${now}, and labels holds its original id ${p.originalId}. Everywhere else labels is -100. In short: ${base}`;
    }
  }
  return `Nothing was selected this time, so labels is -100 everywhere. In general: ${base}`;
}
