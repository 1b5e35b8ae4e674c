// "Same thing in Python": the transformers call that matches the current settings.

import type { Settings } from "./settings";
import { ADDED_MASK_TOKEN, DEMO_LEXICON, FIM_TOKENS, findStrategy, paramValues, STRATEGIES, type StrategyInfo } from "./strategies";
import { pyFloat, pyString } from "./format";

/**
 * The most texts, and characters in all, that the snippet quotes inline. Beyond either it reads
 * them, whole, from {@link SNIPPET_TEXTS_FILE}, which the page offers beside the code: the
 * snippet never cuts the input, since a cut text would mask differently.
 */
export const SNIPPET_INLINE_TEXTS = 8;
export const SNIPPET_INLINE_CHARS = 2000;
export const SNIPPET_TEXTS_FILE = "mlmask-texts.json";

/** Whether the snippet reads its texts from {@link SNIPPET_TEXTS_FILE} instead of quoting them. */
export function snippetReadsFile(texts: readonly string[]): boolean {
  return texts.length > SNIPPET_INLINE_TEXTS || texts.reduce((n, t) => n + t.length, 0) > SNIPPET_INLINE_CHARS;
}

/** The contents of {@link SNIPPET_TEXTS_FILE}: the texts as a JSON list, exactly as masked. */
export function snippetTextsFile(texts: readonly string[]): string {
  return JSON.stringify(texts, null, 1) + "\n";
}

/** The Hub name for a bundled tokenizer; a placeholder path for the user's own. */
export function pythonTokenizerSource(tokenizer: string): { code: string; comment?: string } {
  if (tokenizer === "bert-base-uncased") return { code: 'AutoTokenizer.from_pretrained("bert-base-uncased")' };
  if (tokenizer === "roberta-base") return { code: 'AutoTokenizer.from_pretrained("FacebookAI/roberta-base")' };
  return {
    code: 'PreTrainedTokenizerFast(tokenizer_file="tokenizer.json")',
    comment: "# your tokenizer.json; set mask_token= / pad_token= if they are not picked up",
  };
}

/**
 * Whether the snippet yields exactly the masks on screen, as the library's tests prove it: the
 * token strategy on the numpy or torch stream (the collator's draws, replayed), and whole-word
 * masking as transformers 5.x does it (`whole_word_mask=True`: touching offsets, one coin per
 * word, always the mask token) on the numpy stream, which tests/strategies.rs compares with
 * transformers' own output bit for bit.
 */
export function snippetIsExact(s: Settings): boolean {
  if (s.strategy === "token") return s.rng !== "mlmask";
  // In blocks, offsets restart with each text in Python: whole words are not claimed there.
  if (s.blocks !== null) return false;
  if (s.strategy !== "wholeWord" || s.rng !== "numpy") return false;
  const info = findStrategy("wholeWord");
  if (!info) return false;
  const p = paramValues(info, s.strategyParams);
  return p.wordBoundary === "offsetsGap" && p.replacement === "mask" && p.selection === "bernoulli";
}

/** The views strip and packed rows, in Python terms. */
function layoutNotes(s: Settings): string[] {
  const notes: string[] = [];
  if (s.views > 1)
    notes.push(
      `# The views strip: mlmask's views=${s.views} masks the batch with each row repeated ${s.views} times,`,
      `# [t for t in texts for _ in range(${s.views})], in one call.`,
    );
  if (s.batch && s.packing !== null)
    notes.push(
      `# Packed rows: mlmask masks as above, then packs the texts into rows of at most ${s.packing} tokens`,
      "# (position_ids, cu_seqlens), as DataCollatorWithFlattening lays out one row.",
    );
  return notes;
}

/**
 * The snippet for `texts` with settings `s`; `added` are the special tokens the demo appended to
 * the tokenizer (`additionalSpecialTokens`), which the snippet adds the same way.
 */
export function pythonSnippet(s: Settings, texts: string[], added: readonly string[] = []): string {
  const info = findStrategy(s.strategy) ?? STRATEGIES[0];
  const src = pythonTokenizerSource(s.tokenizer);
  const head = [`tokenizer = ${src.code}${src.comment ? `  ${src.comment}` : ""}`];
  if (added.includes(ADDED_MASK_TOKEN))
    head.push(`tokenizer.add_special_tokens({"mask_token": ${pyString(ADDED_MASK_TOKEN)}})  # the file has none; the demo added it the same way`);
  if (snippetReadsFile(texts)) {
    const what = texts.length === 1 ? "the text" : `the ${texts.length} texts`;
    head.push(
      `# ${what} on screen, whole: download ${SNIPPET_TEXTS_FILE} beside this code`,
      `texts = json.load(open(${pyString(SNIPPET_TEXTS_FILE)}, encoding="utf-8"))`,
    );
  } else {
    head.push("texts = [", ...texts.map((t) => `    ${pyString(t)},`), "]");
  }
  const importTokenizer = src.code.startsWith("PreTrainedTokenizerFast") ? "PreTrainedTokenizerFast" : "AutoTokenizer";

  if (info.python.kind === "original") return originalSnippet(s, info, importTokenizer, head, texts);

  const tokArgs = [`add_special_tokens=${s.addSpecialTokens ? "True" : "False"}`, "return_special_tokens_mask=True"];
  if (info.id === "wholeWord") tokArgs.push("return_offsets_mapping=True");
  if (s.maxLength !== null) tokArgs.push("truncation=True", `max_length=${s.maxLength}`);
  const idLists = s.specialTokens === "ids";

  const collatorArgs = [
    "tokenizer",
    `mlm_probability=${pyFloat(s.mlmProbability)}`,
    `mask_replace_prob=${pyFloat(s.maskReplaceProb)}`,
    `random_replace_prob=${pyFloat(s.randomReplaceProb)}`,
  ];
  if (s.padToMultipleOf !== null) collatorArgs.push(`pad_to_multiple_of=${s.padToMultipleOf}`);
  collatorArgs.push(...info.python.args);
  collatorArgs.push(`seed=${s.seed}`);
  const tensors = s.rng === "numpy" ? "np" : "pt";
  if (s.rng !== "mlmask") collatorArgs.push(`return_tensors="${tensors}"`);

  const lines = [...jsonImport(texts), `from transformers import ${importTokenizer}, DataCollatorForLanguageModeling`, "", ...head];
  const blocks = s.blocks !== null ? groupTextsLines(s.blocks) : [];
  if (idLists) {
    lines.push(
      `examples = [tokenizer(t, ${tokArgs.filter((a) => a !== "return_special_tokens_mask=True").join(", ")})["input_ids"] for t in texts]`,
      "# id lists: the collator then treats every special id (padding included) as special.",
    );
  } else {
    lines.push(`examples = [tokenizer(t, ${tokArgs.join(", ")}) for t in texts]`);
  }
  lines.push(...blocks);
  lines.push(
    "",
    "collator = DataCollatorForLanguageModeling(",
    ...collatorArgs.map((a) => `    ${a},`),
    ")",
    `batch = collator(examples)  # a dict of ${tensors === "np" ? "numpy arrays" : "torch tensors"}`,
    'print(batch["input_ids"], batch["attention_mask"], batch["labels"], sep="\\n")',
  );
  if (info.python.note) lines.push(...info.python.note);
  if (s.randomTokens === "nonSpecial") {
    lines.push(
      "# randomTokens=\"nonSpecial\" (never draw a special id, as fairseq does) has no transformers",
      "# equivalent: DataCollatorForLanguageModeling draws from the whole vocabulary.",
    );
  }
  if (snippetIsExact(s) && info.id === "wholeWord") {
    lines.push(
      `# With the "numpy" stream chosen, this yields exactly the masks on screen: mlmask replays`,
      `# numpy's PCG64 generator as whole_word_mask=True draws it with seed=${s.seed} (return_tensors="np").`,
      "# It must be the same padded batch: the same tokenizer, texts in the same order, the same",
      "# add_special_tokens / truncation / pad_to_multiple_of, collated in one call (the first call;",
      "# later calls continue the stream).",
    );
  } else if (snippetIsExact(s) && s.randomTokens === "vocab") {
    const gen = s.rng === "numpy" ? "numpy's PCG64 generator" : "torch's mt19937 CPU generator";
    lines.push(
      `# With the "${s.rng}" stream chosen, this yields exactly the masks on screen: mlmask replays`,
      `# ${gen} as the collator seeded with seed=${s.seed} draws it (return_tensors="${tensors}").`,
      "# It must be the same padded batch: the same tokenizer, texts in the same order, the same",
      "# add_special_tokens / truncation / pad_to_multiple_of, collated in one call (the first call;",
      "# later calls continue the stream).",
    );
  } else if (s.rng !== "mlmask" && info.id !== "token") {
    lines.push(
      `# The "${s.rng}" stream reproduces Python bit for bit only for the token strategy, and for`,
      "# whole words as transformers 5.x masks them (touching offsets, always the mask token, a coin",
      `# per word) on the numpy stream; with these settings the masks here follow the same`,
      "# distribution but other draws.",
    );
  } else {
    lines.push(
      "# Same settings and the same distribution. The positions differ: torch's generator is a",
      "# different random stream from mlmask's, so seed=… picks other tokens there. Choose the",
      "# numpy or torch stream to get exactly the same masks.",
    );
  }
  lines.push(...layoutNotes(s));
  return lines.join("\n") + "\n";
}

/**
 * run_mlm.py's group_texts on `examples` (dicts or id lists): concatenated and cut into blocks of
 * `size` tokens, the remainder dropped (a stream shorter than a block stays one block).
 */
function groupTextsLines(size: number): string[] {
  return [
    `# The screen shows run_mlm.py's group_texts: the texts, with their special tokens, concatenated`,
    `# and cut into blocks of ${size} tokens; the remainder that does not fill a block is dropped.`,
    "from itertools import chain",
    "lists = not isinstance(examples[0], dict)",
    'rows = [{"input_ids": e} for e in examples] if lists else examples',
    "stream = {k: list(chain(*[r[k] for r in rows])) for k in rows[0].keys()}",
    'total = len(stream["input_ids"])',
    `total = total // ${size} * ${size} if total >= ${size} else total`,
    `step = min(${size}, total)`,
    "examples = [{k: v[i : i + step] for k, v in stream.items()} for i in range(0, total, step)]",
    "if lists:",
    '    examples = [e["input_ids"] for e in examples]',
  ];
}

function jsonImport(texts: readonly string[]): string[] {
  return snippetReadsFile(texts) ? ["import json"] : [];
}

function originalSnippet(s: Settings, info: StrategyInfo, importTokenizer: string, head: string[], texts: string[]): string {
  if (info.python.kind !== "original") return "";
  const values = paramValues(info, s.strategyParams);
  const params = Object.entries(values).map(([k, v]) => `${k}=${typeof v === "number" ? pyFloat(v).replace(/\.0$/, "") : JSON.stringify(v)}`);
  if (info.usesProbability) params.unshift(`mlm_probability=${pyFloat(s.mlmProbability)}`);
  if (info.usesSplit) params.push(`mask_replace_prob=${pyFloat(s.maskReplaceProb)}`, `random_replace_prob=${pyFloat(s.randomReplaceProb)}`);
  // What the strategy reads besides the parameters: FIM's tokens (the demo adds them when
  // missing, as this call does), the demo's lexicon.
  const extra: string[] = [];
  if (info.id === "fim")
    extra.push(`tokenizer.add_special_tokens({"additional_special_tokens": [${FIM_TOKENS.map((t) => pyString(t)).join(", ")}]})  # if it lacks them`);
  if (info.id === "lexiconSpans") extra.push(`lexicon = [${DEMO_LEXICON.map((t) => pyString(t)).join(", ")}]  # the demo's example`);
  const lines = [
    `# ${info.label}: no drop-in transformers collator. DataCollatorForLanguageModeling has no`,
    "# such option; the original is",
    `#   ${info.python.name}`,
    ...info.python.lines.map((l) => (l.startsWith("#") ? l : `#   ${l}`)),
    "",
    ...jsonImport(texts),
    `from transformers import ${importTokenizer}`,
    "",
    ...head,
    ...extra,
    `examples = [tokenizer(t, add_special_tokens=${s.addSpecialTokens ? "True" : "False"}${s.maxLength !== null ? `, truncation=True, max_length=${s.maxLength}` : ""}) for t in texts]`,
    "",
    `# mlmask's settings on screen: ${params.join(", ")}, seed=${s.seed}.`,
    "# The original follows the same algorithm (see mlmask's README for the known differences),",
    "# with its own random stream, so its masks differ from the ones on screen: no Python package",
    "# reproduces them bit for bit.",
    ...layoutNotes(s),
  ];
  return lines.join("\n") + "\n";
}
