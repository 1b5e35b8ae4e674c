// The masking strategies the demo offers, one entry per `MaskingStrategy` of mlmask. The
// selector, the parameter controls, the URL state, the views and the Python snippet all read
// this list.

import type { MaskingStrategy } from "mlmask";

export type StrategyId = MaskingStrategy["type"];
export type ParamValue = number | string;

/** One parameter of a strategy, as a control: a number field or a choice. */
export type ParamSpec =
  | { key: string; label: string; hint: string; kind: "number"; integer: boolean; min: number; max: number; step: number; default: number }
  | { key: string; label: string; hint: string; kind: "choice"; options: readonly { value: string; label: string }[]; default: string };

/** What the strategy needs from the tokenizer. */
export type Needs = "maskToken" | "sentinels";

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
  /** T5 and BART change the sequences: the view shows two sequences side by side. */
  seq2seq: "t5" | "bart" | null;
  /** Whether mlm_probability and the mask / random / keep split apply. */
  usesProbability: boolean;
  usesSplit: boolean;
  python: PythonOrigin;
  /** The strategy's steps, in words (the token strategy has its own step-through instead). */
  steps: readonly string[];
}

const WORD_BOUNDARY: ParamSpec = {
  key: "wordBoundary",
  label: "Word boundary",
  hint: "Where words begin.",
  kind: "choice",
  options: [
    { value: "wordIds", label: "the tokenizer's word ids" },
    { value: "offsetsGap", label: "touching offsets (transformers 5.x)" },
    { value: "wordpiecePrefix", label: "the ## prefix (legacy)" },
  ],
  default: "wordIds",
};

export const STRATEGIES: readonly StrategyInfo[] = [
  {
    id: "token",
    label: "Token (transformers' default)",
    description: "Every token that is neither special nor padding is selected on its own, with probability mlm_probability.",
    params: [],
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
    params: [
      { key: "maxPredictions", label: "max_predictions", hint: "At most this many tokens per sequence; the lists are padded to it.", kind: "number", integer: true, min: 1, max: 512, step: 1, default: 20 },
      {
        key: "countSpecialTokens",
        label: "n counts",
        hint: "Which tokens n counts (specials are never selected either way).",
        kind: "choice",
        options: [
          { value: "no", label: "ordinary tokens only" },
          { value: "yes", label: "special tokens too (BERT's script)" },
        ],
        // mlmask's default, as BERT counts.
        default: "yes",
      },
    ],
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
    params: [
      WORD_BOUNDARY,
      {
        key: "replacement",
        label: "Replacement",
        hint: "transformers 5.x masks every selected token; fairseq decides per word; BERT per token.",
        kind: "choice",
        options: [
          { value: "mask", label: "always the mask token (transformers 5.x)" },
          { value: "perWord", label: "one decision per word (fairseq)" },
          { value: "perToken", label: "one decision per token (BERT)" },
        ],
        default: "mask",
      },
      {
        key: "selection",
        label: "Selection",
        hint: "A coin per word, or an exact count filled with whole words.",
        kind: "choice",
        options: [
          { value: "bernoulli", label: "a coin per word (transformers 5.x)" },
          { value: "exactCount", label: "exact count (BERT, legacy collator)" },
        ],
        default: "bernoulli",
      },
    ],
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
    params: [
      { key: "maxN", label: "max_n", hint: "Longest n-gram, in words; n is drawn with probabilities 0.4 / 0.3 / 0.2 / 0.1 by default.", kind: "number", integer: true, min: 1, max: 10, step: 1, default: 4 },
      WORD_BOUNDARY,
    ],
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
    params: [
      { key: "geometricP", label: "Geometric p", hint: "Span lengths in words ~ Geometric(p), clipped; SpanBERT uses 0.2 (mean 3.8 words).", kind: "number", integer: false, min: 0.01, max: 1, step: 0.01, default: 0.2 },
      { key: "maxSpan", label: "Longest span (words)", hint: "SpanBERT clips at 10.", kind: "number", integer: true, min: 1, max: 50, step: 1, default: 10 },
      {
        key: "replacement",
        label: "Replacement",
        hint: "SpanBERT decides once per span.",
        kind: "choice",
        options: [
          { value: "perSpan", label: "one decision per span (SpanBERT)" },
          { value: "perToken", label: "one decision per token" },
        ],
        default: "perSpan",
      },
    ],
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
    params: [
      { key: "noiseDensity", label: "noise_density", hint: "Share of the tokens that become noise (T5: 0.15).", kind: "number", integer: false, min: 0.01, max: 0.99, step: 0.01, default: 0.15 },
      { key: "meanNoiseSpanLength", label: "mean_noise_span_length", hint: "Average span length in tokens (T5: 3).", kind: "number", integer: false, min: 1, max: 20, step: 0.5, default: 3 },
    ],
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
    params: [
      { key: "maskRatio", label: "mask_ratio", hint: "Share of the words covered by spans (BART: 0.3).", kind: "number", integer: false, min: 0, max: 1, step: 0.01, default: 0.3 },
      { key: "poissonLambda", label: "Poisson λ", hint: "Mean span length in words (BART: 3).", kind: "number", integer: false, min: 0.1, max: 20, step: 0.1, default: 3 },
      { key: "randomRatio", label: "random_ratio", hint: "Chance that a span (or insertion) becomes a random token instead of the mask token.", kind: "number", integer: false, min: 0, max: 1, step: 0.01, default: 0 },
    ],
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
];

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

/** The `strategy` option of `new Masker` for a strategy and its parameters. */
export function strategyOption(id: string, params: Readonly<Record<string, ParamValue>> = {}): MaskingStrategy {
  const info = findStrategy(id) ?? STRATEGIES[0];
  const v = paramValues(info, params);
  switch (info.id) {
    case "token":
      return { type: "token" };
    case "exactCount":
      return { type: "exactCount", maxPredictions: v.maxPredictions as number, countSpecialTokens: v.countSpecialTokens === "yes" };
    case "wholeWord":
      return {
        type: "wholeWord",
        wordBoundary: v.wordBoundary as "wordIds",
        replacement: v.replacement as "mask",
        selection: v.selection as "bernoulli",
      };
    case "ngram":
      return { type: "ngram", maxN: v.maxN as number, wordBoundary: v.wordBoundary as "wordIds" };
    case "span":
      return { type: "span", geometricP: v.geometricP as number, maxSpan: v.maxSpan as number, replacement: v.replacement as "perSpan" };
    case "t5SpanCorruption":
      return { type: "t5SpanCorruption", noiseDensity: v.noiseDensity as number, meanNoiseSpanLength: v.meanNoiseSpanLength as number };
    case "bartInfilling":
      return { type: "bartInfilling", maskRatio: v.maskRatio as number, poissonLambda: v.poissonLambda as number, randomRatio: v.randomRatio as number };
  }
}

/** What the loaded tokenizer offers, for `strategyProblem`. */
export interface TokenizerAbilities {
  name: string;
  hasMaskToken: boolean;
  hasSentinels: boolean;
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
  if (info.needs === "maskToken" && !tok.hasMaskToken) {
    return (
      `${info.label} replaces tokens with the mask token, and ${tok.name} has none. ` +
      `Choose T5 span corruption (it uses the <extra_id_N> sentinels instead), or name a mask token under "Use your own tokenizer.json" and load the file again.`
    );
  }
  return null;
}
