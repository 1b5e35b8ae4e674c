// The masking strategies the demo offers, one entry per strategy of mlmask. The selector, the
// parameter controls, the URL state, the views and the Python snippet all read this list.
//
// The parameters come from the package: `strategies()` lists each one with its kind, default and
// range, and `strategyList` turns that catalog into controls. The demo adds only words (labels,
// hints, value names), keyed by the package's names, and may narrow a range for its control.

import type { MaskingStrategy, ParamInfo, StrategyInfo as PackageStrategy } from "mlmask";

export type StrategyId = MaskingStrategy["type"];
export type ParamValue = number | string;

/** One parameter of a strategy, as a control: a number field or a choice. */
export type ParamSpec =
  | { key: string; label: string; hint: string; kind: "number"; integer: boolean; min: number; max: number; step: number; default: number }
  | { key: string; label: string; hint: string; kind: "choice"; options: readonly { value: string; label: string }[]; default: string };

/**
 * The demo's words for one parameter of the package: the control's label and hint, a name for
 * each value of an enum (`yes` / `no` for a boolean), and for a number a narrower range or step
 * for the control. `omitted` says why the demo leaves a parameter at the package's default.
 */
export type ParamText =
  | { label: string; hint: string; values?: Readonly<Record<string, string>>; min?: number; max?: number; step?: number }
  | { omitted: string };

/** What the strategy needs from the tokenizer. */
export type Needs = "maskToken" | "sentinels" | "fimTokens";

/** Where the strategy comes from in Python. */
export type PythonOrigin =
  | { kind: "collator"; args: string[]; note?: string[] }
  | { kind: "original"; name: string; lines: string[] };

export interface StrategyInfo {
  id: StrategyId;
  label: string;
  description: string;
  params: readonly ParamSpec[];
  needs: Needs;
  /**
   * T5, BART and UL2 change the sequences: the view shows two sequences side by side; FIM
   * rearranges one sequence into three coloured parts.
   */
  seq2seq: "t5" | "bart" | "ul2" | "fim" | null;
  /** Whether mlm_probability and the mask / random / keep split apply. */
  usesProbability: boolean;
  usesSplit: boolean;
  python: PythonOrigin;
  /** The strategy's steps, in words (the token strategy has its own step-through instead). */
  steps: readonly string[];
}

/** A strategy in the demo's words: everything but the controls, which the package's catalog gives. */
export type StrategyText = Omit<StrategyInfo, "params"> & { params: Readonly<Record<string, ParamText>> };

const WORD_BOUNDARY: ParamText = {
  label: "Word boundary",
  hint: "Where words begin.",
  values: {
    wordIds: "the tokenizer's word ids",
    offsetsGap: "touching offsets (transformers 5.x)",
    wordpiecePrefix: "the ## prefix (legacy)",
  },
};

const KEPT_AT_DEFAULT = "the demo keeps the package's default";

/** The demo's words for every strategy of the package, in the order the selector lists them. */
export const STRATEGY_TEXTS: readonly StrategyText[] = [
  {
    id: "token",
    label: "Token (transformers' default)",
    description: "Every token that is neither special nor padding is selected on its own, with probability mlm_probability.",
    params: {},
    needs: "maskToken",
    seq2seq: null,
    usesProbability: true,
    usesSplit: true,
    python: { kind: "collator", args: [] },
    steps: [],
  },
  {
    id: "exactCount",
    label: "Exact count (BERT pre-training data, ELECTRA)",
    description:
      "Exactly min(max_predictions, max(1, round(n × mlm_probability))) tokens per sequence, chosen without replacement; adds BERT's masked_lm_positions / ids / weights.",
    params: {
      maxPredictions: { label: "max_predictions", hint: "At most this many tokens per sequence; the lists are padded to it.", max: 512 },
      countSpecialTokens: {
        label: "n counts",
        hint: "Which tokens n counts (specials are never selected either way).",
        values: { no: "ordinary tokens only", yes: "special tokens too (BERT's script)" },
      },
    },
    needs: "maskToken",
    seq2seq: null,
    usesProbability: true,
    usesSplit: true,
    python: {
      kind: "original",
      name: "google-research/bert create_pretraining_data.py (also TF Text's MaskedLMMaskGenerator / ELECTRA)",
      lines: ["create_masked_lm_predictions(tokens, masked_lm_prob, max_predictions_per_seq, vocab_words, rng)"],
    },
    steps: [
      "Count n, the tokens that may be selected, and compute the target: min(max_predictions, max(1, round(n × mlm_probability))).",
      "Shuffle the candidate positions and take exactly that many, without replacement.",
      "Each chosen token becomes the mask token, a random token or stays, per mask_replace_prob / random_replace_prob.",
      "labels keep the original id at the chosen positions, -100 elsewhere.",
      "masked_lm_positions / ids / weights list the chosen positions in order, zero-padded to max_predictions (weight 0 for padding).",
    ],
  },
  {
    id: "wholeWord",
    label: "Whole word",
    description: "All the tokens of a word are selected together; words come from the tokenizer, so it works for WordPiece, BPE and SentencePiece.",
    params: {
      wordBoundary: WORD_BOUNDARY,
      replacement: {
        label: "Replacement",
        hint: "transformers 5.x masks every selected token; fairseq decides per word; BERT per token.",
        values: {
          mask: "always the mask token (transformers 5.x)",
          perWord: "one decision per word (fairseq)",
          perToken: "one decision per token (BERT)",
        },
      },
      selection: {
        label: "Selection",
        hint: "A coin per word, or an exact count filled with whole words.",
        values: { bernoulli: "a coin per word (transformers 5.x)", exactCount: "exact count (BERT, legacy collator)" },
      },
      maxPredictions: { omitted: `${KEPT_AT_DEFAULT} (the cap of an exact count)` },
    },
    needs: "maskToken",
    seq2seq: null,
    usesProbability: true,
    usesSplit: true,
    python: {
      kind: "collator",
      args: ["whole_word_mask=True"],
      note: [
        "# whole_word_mask=True (transformers 5.x) finds words from the offsets: tokenize with",
        "# return_offsets_mapping=True (done above). It always uses the mask token, one coin per word:",
        "# the demo's \"touching offsets\" boundary, \"always the mask token\" and \"a coin per word\".",
      ],
    },
    steps: [
      "Group the tokens into words (word ids, touching offsets or the ## prefix); special tokens and padding belong to none.",
      "Select words: one coin with mlm_probability per word, drawn at its first token — or an exact count of tokens filled with whole shuffled words.",
      "Spread each selected word to all its tokens, so a word is never split.",
      "Replace: every selected token becomes the mask token (transformers 5.x), or one mask / random / keep decision per word or per token.",
      "labels keep the original id at every selected token, -100 elsewhere.",
    ],
  },
  {
    id: "ngram",
    label: "N-gram (MacBERT / ERNIE)",
    description: "round(mlm_probability × words) words per sequence are covered by n-grams of 1 to max_n consecutive whole words.",
    params: {
      maxN: { label: "max_n", hint: "Longest n-gram, in words; n is drawn with probabilities 0.4 / 0.3 / 0.2 / 0.1 by default.", max: 10 },
      ngramProbabilities: { omitted: `${KEPT_AT_DEFAULT} (MacBERT's 0.4 / 0.3 / 0.2 / 0.1)` },
      wordBoundary: WORD_BOUNDARY,
      replacement: { omitted: `${KEPT_AT_DEFAULT} (one decision per word, as MacBERT)` },
    },
    needs: "maskToken",
    seq2seq: null,
    usesProbability: true,
    usesSplit: true,
    python: {
      kind: "original",
      name: "MacBERT / ERNIE n-gram masking (ALBERT's create_pretraining_data.py ngram rule)",
      lines: ["create_masked_lm_predictions(..., ngram=max_n)  # ALBERT's script; MacBERT replaces with similar words instead"],
    },
    steps: [
      "Group the tokens into words and set the budget: round(mlm_probability × words).",
      "Visit the words in random order; at each, draw n from 1 to max_n (0.4 / 0.3 / 0.2 / 0.1 by default).",
      "Shorten an n-gram that would overlap a chosen one, run off the end or overflow the budget, so the budget is met exactly.",
      "Each n-gram's tokens become the mask token, a random token or stay, per mask_replace_prob / random_replace_prob.",
      "labels keep the original id at every selected token, -100 elsewhere.",
    ],
  },
  {
    id: "span",
    label: "Span (SpanBERT)",
    description: "Spans of whole words, their lengths geometric, until mlm_probability of the tokens are covered; one mask / random / keep decision per span.",
    params: {
      geometricP: { label: "Geometric p", hint: "Span lengths in words ~ Geometric(p), clipped; SpanBERT uses 0.2 (mean 3.8 words).", min: 0.01 },
      minSpan: { omitted: `${KEPT_AT_DEFAULT} (SpanBERT's shortest span, 1 word)` },
      maxSpan: { label: "Longest span (words)", hint: "SpanBERT clips at 10.", max: 50 },
      wordBoundary: { omitted: `${KEPT_AT_DEFAULT} (the tokenizer's word ids)` },
      replacement: {
        label: "Replacement",
        hint: "SpanBERT decides once per span.",
        values: {
          mask: "always the mask token",
          perToken: "one decision per token",
          perWord: "one decision per word",
          perSpan: "one decision per span (SpanBERT)",
        },
      },
    },
    needs: "maskToken",
    seq2seq: null,
    usesProbability: true,
    usesSplit: true,
    python: {
      kind: "original",
      name: "SpanBERT (facebookresearch/SpanBERT, PairWithSpanMaskingScheme)",
      lines: ["PairWithSpanMaskingScheme(args, tokens, pad, mask_id, paragraph_info)  # span_lower=1, span_upper=10, geometric_p=0.2"],
    },
    steps: [
      "Set the budget: ceil(mlm_probability × tokens).",
      "Draw a span length in words from Geometric(p), clipped to [1, longest span].",
      "Pick an anchor uniformly among the tokens not yet covered and move it back to the start of its word.",
      "Extend forward whole word by whole word until the span has its length or the budget is reached; repeat until the budget is met.",
      "Each span becomes the mask token, random tokens or stays, with one decision per span; labels keep the original ids of the span tokens.",
    ],
  },
  {
    id: "t5SpanCorruption",
    label: "T5 span corruption",
    description: "noise_density of the tokens form noise spans; each span is replaced by one sentinel <extra_id_N> in the encoder input, and the target lists the spans after their sentinels.",
    params: {
      noiseDensity: { label: "noise_density", hint: "Share of the tokens that become noise (T5: 0.15).", min: 0.01, max: 0.99 },
      meanNoiseSpanLength: { label: "mean_noise_span_length", hint: "Average span length in tokens (T5: 3).", max: 20, step: 0.5 },
    },
    needs: "sentinels",
    seq2seq: "t5",
    usesProbability: false,
    usesSplit: false,
    python: {
      kind: "original",
      name: "T5's random_spans_noise_mask, as in transformers' examples FlaxDataCollatorForT5MLM",
      lines: [
        "# examples/flax/language-modeling/run_t5_mlm_flax.py (not in the transformers package):",
        "collator = FlaxDataCollatorForT5MLM(tokenizer, noise_density, mean_noise_span_length, input_length, target_length, pad_token_id, decoder_start_token_id)",
      ],
    },
    steps: [
      "Count n, the tokens that may be noise; num_noise = min(max(round(n × noise_density), 1), n − 1).",
      "num_spans = max(round(num_noise / mean_noise_span_length), 1); the noise and the gaps between spans are cut into that many random pieces.",
      "Interleave gaps and noise spans, so no span starts at the first token.",
      "Encoder input: each noise span is replaced by one sentinel, <extra_id_0>, <extra_id_1>, … in order; the rest (and </s>) stays.",
      "Target (labels): each sentinel followed by the tokens it replaced, then </s>.",
    ],
  },
  {
    id: "bartInfilling",
    label: "BART text infilling",
    description: "Spans with Poisson(λ) lengths cover mask_ratio of the words; each span becomes one mask token, zero-length spans insert one; the target is the original text.",
    params: {
      maskRatio: { label: "mask_ratio", hint: "Share of the words covered by spans (BART: 0.3)." },
      poissonLambda: { label: "Poisson λ", hint: "Mean span length in words (BART: 3).", min: 0.1, max: 20, step: 0.1 },
      randomRatio: { label: "random_ratio", hint: "Chance that a span (or insertion) becomes a random token instead of the mask token." },
      wordBoundary: { omitted: `${KEPT_AT_DEFAULT} (the tokenizer's word ids)` },
    },
    needs: "maskToken",
    seq2seq: "bart",
    usesProbability: false,
    usesSplit: false,
    python: {
      kind: "original",
      name: "fairseq's DenoisingDataset (mask_length='span-poisson', replace_length=1)",
      lines: ["DenoisingDataset(dataset, sizes, vocab, mask_idx, mask_whole_words, shuffle=False, seed=seed, args)  # --mask 0.3 --poisson-lambda 3.0 --mask-length span-poisson --replace-length 1"],
    },
    steps: [
      "Group the tokens into words; the budget is ceil(words × mask_ratio).",
      "Draw span lengths in words from Poisson(λ) until they add up to the budget (the last one trimmed).",
      "Start each span at a distinct random word; its first token becomes one mask token (or a random token, with random_ratio), its other tokens are deleted.",
      "Each zero-length span inserts one mask token at a random place between the words.",
      "The labels (the decoder's target) are the original sequence.",
    ],
  },
  {
    id: "ul2",
    label: "UL2 mixture of denoisers",
    description:
      "Each row draws one of UL2's seven denoisers: R (T5 span corruption, mean 3 or 8, 15 %), X (extreme: long spans or 50 % noise) or S (a prefix-LM split). Its mode token [NLU], [NLG] or [S2S] goes first in the encoder input.",
    params: { denoisers: { omitted: "the demo uses the paper's seven denoisers, weighted equally" } },
    needs: "sentinels",
    seq2seq: "ul2",
    usesProbability: false,
    usesSplit: false,
    python: {
      kind: "original",
      name: "UL2 (Tay et al. 2022): NeMo's UL2Dataset / levanter's ul2r, following t5x's ul2_objective",
      lines: [
        "# R: span_corruption(mean_noise_span_length=3|8, noise_density=0.15)  X: (3, 0.5) (8, 0.5) (64, 0.15) (64, 0.5)",
        "# S: prefix_lm with random_prefix_noise_mask(noise_density=0.25); mode tokens [NLU] [NLG] [S2S] prepended",
      ],
    },
    steps: [
      "Draw one denoiser per row from the weights (here the paper's seven, equally likely).",
      "R and X: T5's random_spans_noise_mask with the denoiser's mean span length and noise density; each noise span becomes a sentinel, as in T5 span corruption.",
      "S: keep a prefix of uniform length between (1 − 2 × 0.25) and all of the text; the rest is the target, with no sentinel.",
      "Prepend the denoiser's mode token ([NLU] for R, [NLG] for X, [S2S] for S) to the encoder input.",
      "Target (labels): sentinel, span, … then </s> (S: the suffix then </s>); `denoiser` records the choice per row.",
    ],
  },
  {
    id: "fim",
    label: "Fill-in-the-middle (code models)",
    description:
      "With probability fim_rate a row is cut at two random points into prefix, middle and suffix, and rearranged so a causal LM learns to write the middle last: PSM (<fim_prefix> prefix <fim_suffix> suffix <fim_middle> middle) or, with spm_rate, SPM.",
    params: {
      fimRate: { label: "fim_rate", hint: "Chance that a row is rearranged (StarCoder: 0.5)." },
      spmRate: { label: "spm_rate", hint: "Chance that a rearranged row is SPM rather than PSM (StarCoder: 0.5)." },
      level: {
        label: "Split points",
        hint: "Where the two cuts are drawn.",
        values: { character: "on characters, parts re-tokenized (bigcode)", token: "on tokens" },
      },
      fimTokens: { omitted: "the demo adds <fim_prefix>, <fim_middle>, <fim_suffix> and <fim_pad> when the tokenizer lacks them" },
    },
    needs: "fimTokens",
    seq2seq: "fim",
    usesProbability: false,
    usesSplit: false,
    python: {
      kind: "original",
      name: "bigcode Megatron-LM's permute() in gpt_dataset.py (StarCoder, SantaCoder)",
      lines: ["sample, np_rng = permute(sample, np_rng, args, tokenizer, truncate_or_pad=False, suffix_tok_id, prefix_tok_id, middle_tok_id, pad_tok_id)  # fim_rate, fim_spm_rate"],
    },
    steps: [
      "With probability fim_rate, draw two cut points uniformly (randint(0, len + 1) twice, sorted); otherwise the row stays as it is.",
      "Character level: decode the row, cut the text, tokenize each part alone. Token level: cut the tokens.",
      "With probability spm_rate lay it out as SPM: <fim_prefix> <fim_suffix> suffix <fim_middle> prefix middle; otherwise PSM: <fim_prefix> prefix <fim_suffix> suffix <fim_middle> middle.",
      "Labels are the causal-LM targets: each position's label is the next id; the last token's is -100.",
    ],
  },
  {
    id: "lexiconSpans",
    label: "Lexicon spans (PMI-masking)",
    description:
      "Collocations from a lexicon (PMI-masking ranks them over a corpus) are masked as one unit: here the demo's example lexicon, with \"new york\", \"machine learning\", \"in order to\" and more. The budget follows n-gram masking.",
    params: {
      lexicon: { omitted: "the demo passes its example lexicon (see DEMO_LEXICON)" },
      wordBoundary: WORD_BOUNDARY,
      replacement: {
        label: "Replacement",
        hint: "One decision per word (as n-gram masking), per token, per unit, or always the mask token.",
        values: { mask: "always the mask token", perToken: "per token", perWord: "per word", perSpan: "per unit" },
      },
    },
    needs: "maskToken",
    seq2seq: null,
    usesProbability: true,
    usesSplit: true,
    python: {
      kind: "original",
      name: "PMI-Masking (Levine et al. 2021, AI21 Labs): masking correlated spans from a PMI-ranked n-gram lexicon",
      lines: ["# no packaged collator: the lexicon of n-grams is the input, each match in the text is one masking unit"],
    },
    steps: [
      "Cut each row into units, left to right: the longest lexicon entry starting at a word (and ending at a word's end), else the word alone.",
      "The budget is round(mlm_probability × words), as n-gram masking's.",
      "Take units in random order while they fit the budget; a unit is never cut, so a row may end just under it.",
      "Each chosen word becomes the mask token, a random token or stays, per mask_replace_prob / random_replace_prob.",
    ],
  },
];


/** The control of one package parameter, in the demo's words; null when the demo omits it. */
function paramSpec(p: ParamInfo, text: ParamText | undefined): ParamSpec | null {
  if (!text || "omitted" in text) return null;
  const { label, hint } = text;
  if (p.kind === "enum" || p.kind === "boolean") {
    const values = p.kind === "enum" ? p.values : ["no", "yes"];
    const name = (v: string) => text.values?.[v] ?? v;
    const def = p.kind === "boolean" ? (p.default ? "yes" : "no") : String(p.default ?? values[0]);
    return { key: p.name, label, hint, kind: "choice", options: values.map((v) => ({ value: v, label: name(v) })), default: def };
  }
  if (p.kind === "number" || p.kind === "integer") {
    const integer = p.kind === "integer";
    const step = text.step ?? (integer ? 1 : 0.01);
    // The package's range; an exclusive minimum becomes its first step above.
    const packageMin = p.min === undefined ? 0 : p.minExclusive ? p.min + step : p.min;
    const min = Math.max(text.min ?? packageMin, packageMin);
    const max = Math.min(text.max ?? p.max ?? Number.MAX_SAFE_INTEGER, p.max ?? Number.MAX_SAFE_INTEGER);
    const def = typeof p.default === "number" ? p.default : min;
    return { key: p.name, label, hint, kind: "number", integer, min, max, step, default: def };
  }
  return null; // lists and objects have no control; their text must say `omitted`
}

/**
 * The demo's strategies from the package's catalog (`strategies()`): each strategy the demo
 * has words for, with one control per parameter it shows, in the package's order.
 */
export function strategyList(catalog: readonly PackageStrategy[], texts: readonly StrategyText[] = STRATEGY_TEXTS): StrategyInfo[] {
  return texts.map((t) => {
    const params = catalog.find((s) => s.name === t.id)?.params ?? [];
    return { ...t, params: params.map((p) => paramSpec(p, t.params[p.name])).filter((p): p is ParamSpec => p !== null) };
  });
}

/** The strategies with their controls once `useCatalog` has been given the package's catalog. */
export let STRATEGIES: readonly StrategyInfo[] = strategyList([]);
let catalog: readonly PackageStrategy[] = [];

/** Takes the package's catalog (`strategies()` once the module is initialised). */
export function useCatalog(packageCatalog: readonly PackageStrategy[]) {
  catalog = packageCatalog;
  STRATEGIES = strategyList(catalog);
}

/** Whether a parameter is a boolean in the package (the demo shows it as a yes / no choice). */
function isBoolean(id: string, key: string): boolean {
  return catalog.find((s) => s.name === id)?.params.find((p) => p.name === key)?.kind === "boolean";
}

export const DEFAULT_STRATEGY: StrategyId = "token";

export function findStrategy(id: string): StrategyInfo | undefined {
  return STRATEGIES.find((s) => s.id === id);
}

/** A parameter's value from its text (URL or field), or undefined when it is not valid. */
export function parseParam(spec: ParamSpec, text: string): ParamValue | undefined {
  if (spec.kind === "choice") return spec.options.some((o) => o.value === text) ? text : undefined;
  if (text.trim() === "") return undefined;
  const v = Number(text);
  if (!Number.isFinite(v) || v < spec.min || v > spec.max) return undefined;
  if (spec.integer && !Number.isInteger(v)) return undefined;
  return v;
}

/** The value of every parameter of `info`: the given ones, else the defaults. */
export function paramValues(info: StrategyInfo, params: Readonly<Record<string, ParamValue>>): Record<string, ParamValue> {
  const out: Record<string, ParamValue> = {};
  for (const p of info.params) out[p.key] = params[p.key] ?? p.default;
  return out;
}

/** The `strategy` option of `new Masker` for a strategy and its parameters (the shown ones, defaults filled in). */
export function strategyOption(id: string, params: Readonly<Record<string, ParamValue>> = {}): MaskingStrategy {
  const info = findStrategy(id) ?? STRATEGIES[0];
  const option: Record<string, ParamValue | boolean> = { type: info.id };
  for (const [key, value] of Object.entries(paramValues(info, params))) {
    option[key] = isBoolean(info.id, key) ? value === "yes" : value;
  }
  // The lexicon is the demo's own example (a list the controls cannot edit).
  if (info.id === "lexiconSpans") (option as Record<string, unknown>).lexicon = [...DEMO_LEXICON];
  // The values are the package's own names and numbers, checked by parseParam.
  return option as unknown as MaskingStrategy;
}

/**
 * The demo's example lexicon for lexiconSpans: collocations of the kind PMI-masking finds (a
 * real lexicon ranks hundreds of thousands of n-grams by PMI over a corpus).
 */
export const DEMO_LEXICON: readonly string[] = [
  "new york",
  "machine learning",
  "language models",
  "language model",
  "in order to",
  "as well as",
  "the united states",
  "lazy dog",
  "brown fox",
  "hello world",
  "filling in",
];

/** The mask token the demo adds to a tokenizer that has none, as `add_special_tokens({"mask_token": "<mask>"})`. */
export const ADDED_MASK_TOKEN = "<mask>";

/** StarCoder's FIM tokens, which the demo adds to a tokenizer that lacks them. */
export const FIM_TOKENS = ["<fim_prefix>", "<fim_middle>", "<fim_suffix>", "<fim_pad>"] as const;

/** What the loaded tokenizer offers, for `strategyProblem`. */
export interface TokenizerAbilities {
  name: string;
  hasMaskToken: boolean;
  hasSentinels: boolean;
  hasFimTokens: boolean;
}

/** Why the strategy cannot run with this tokenizer, in words; null when it can. */
export function strategyProblem(id: string, tok: TokenizerAbilities): string | null {
  const info = findStrategy(id) ?? STRATEGIES[0];
  if (info.needs === "sentinels" && !tok.hasSentinels) {
    return (
      `${info.label} needs the sentinel tokens <extra_id_0>, <extra_id_1>, … of a T5 tokenizer, and ${tok.name} has none. ` +
      `Load a T5 tokenizer.json (t5-small's, for example) under "Use your own tokenizer.json", or choose another strategy.`
    );
  }
  if (info.needs === "fimTokens" && !tok.hasFimTokens) {
    return (
      `${info.label} rearranges rows around the tokens ${FIM_TOKENS.join(", ")}, and ${tok.name} has none of them. ` +
      `Add them as new special tokens (as tokenizer.add_special_tokens does) with the button below, or load a code model's tokenizer.json.`
    );
  }
  if (info.needs === "maskToken" && !tok.hasMaskToken) {
    return (
      `${info.label} replaces tokens with the mask token, and ${tok.name} has none. ` +
      `Add ${ADDED_MASK_TOKEN} as a new special token with the button below (as tokenizer.add_special_tokens({"mask_token": "${ADDED_MASK_TOKEN}"}) does), ` +
      `name one of its tokens under "Use your own tokenizer.json" and load the file again, or choose a strategy that needs no mask token.`
    );
  }
  return null;
}
