//! TypeScript declarations of the option bags and result objects, and the extern types that
//! let the exported functions name them in the generated `.d.ts`.
//!
//! The option bags are the core's serde schema (`crate::schema`) written in TypeScript;
//! tests/js/schema.test.mjs fails when the two disagree (keys, optionality, string values).

use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &'static str = r#"
/** The contents of a tokenizer.json file: its text, or its bytes. */
export type TokenizerSource = string | Uint8Array | ArrayBuffer;

/** Options of `Tokenizer.fromJSON`. */
export interface LoadOptions {
  /** Use this token as the mask token instead of `[MASK]` / `<mask>`. */
  maskToken?: string;
  /** Use this token as the pad token instead of the file's, `[PAD]` or `<pad>`. */
  padToken?: string;
  /**
   * Append these tokens to the vocabulary as special tokens, each with the next free id, as
   * transformers' `tokenizer.add_special_tokens({"additional_special_tokens": [...]})` does
   * (tokens the vocabulary has keep their ids): a `"<mask>"` becomes the mask token, and FIM's
   * `<fim_prefix>`… make the fim strategy usable. Default [].
   */
  additionalSpecialTokens?: string[];
}

/**
 * Where `Tokenizer.load` finds a tokenizer.json: its URL (a string is resolved as `fetch`
 * resolves it; in Node a string without a scheme, or a `file:` URL, is a local file), a `Request`
 * (for credentials, headers…), a `Response`, a `Blob` or `File`, or the file's bytes.
 */
export type LoadSource = string | URL | Request | Response | Blob | ArrayBuffer | ArrayBufferView;

/** How much of a tokenizer.json `Tokenizer.load` has read. */
export interface LoadProgress {
  /** Bytes read so far. */
  loaded: number;
  /** The file's size, when the server says it (Content-Length, uncompressed); the last call always has it. */
  total?: number;
}

/** Options of `Tokenizer.load`: those of `Tokenizer.fromJSON`, plus the download's. */
export interface LoadSourceOptions extends LoadOptions {
  /** Abort the download: `load` then rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Called as the file arrives, and a last time with `loaded === total`. */
  onProgress?: (progress: LoadProgress) => void;
  /**
   * The WebAssembly module, already compiled (or a promise of it), to instantiate instead of
   * fetching `mlmask_bg.wasm`: a page that compiles it once to send it to its workers passes it
   * here. Ignored once the module is instantiated (and by the Node entry, which is at import).
   */
  module?: WebAssembly.Module | PromiseLike<WebAssembly.Module>;
}

export namespace Tokenizer {
  /**
   * Fetch a tokenizer.json and load it, starting `init()` at the same time, so the WebAssembly
   * module compiles while the file downloads: no `await init()` is needed before it. Rejects with
   * an `Error` naming the URL and what went wrong (HTTP status, not a tokenizer.json…).
   */
  function load(source: LoadSource | PromiseLike<LoadSource>, options?: LoadSourceOptions): Promise<Tokenizer>;
}

/** Truncation to at most `maxLength` tokens, special tokens included. */
export interface TruncationOptions {
  maxLength: number;
  /** How a pair shares the budget. Default "longestFirst". */
  strategy?: "longestFirst" | "onlyFirst" | "onlySecond";
  /** Which end loses tokens. Default "right". */
  side?: "left" | "right";
}

/** Padding to the longest sequence, or to `length`. */
export interface PaddingOptions {
  /** Pad every sequence to exactly this many tokens; omit to pad to the longest. */
  length?: number;
  /** Round the padded length up to a multiple of this. */
  padToMultipleOf?: number;
  /** Which end receives padding. Default "right". */
  side?: "left" | "right";
}

/** Options of `encode` and `encodeBatch`. Truncation and padding default to the file's own. */
export interface EncodeOptions {
  /** Add the model's special tokens ([CLS], [SEP], <s>, ...). Default true. */
  addSpecialTokens?: boolean;
  /** `encode` only: a second text, encoded as a pair. */
  pair?: string;
  /** `encodeBatch` only: one second text per text. */
  pairs?: string[];
  /** `false` turns the file's truncation off; an object replaces it. */
  truncation?: false | TruncationOptions;
  /** `false` turns the file's padding off; an object replaces it. A batch is always padded to its longest row. */
  padding?: false | PaddingOptions;
  /** Round the padded length up to a multiple of this (turns padding on). */
  padToMultipleOf?: number;
  /**
   * `collate` only: mask the texts as without packing, then lay them out several to a row of at
   * most `maxLength` tokens, padding only at the end of a row; the result gains `positionIds`,
   * `sequenceIds` and `cuSeqlens`. For every strategy whose labels line up with its inputIds (not
   * the encoder-decoder t5SpanCorruption, bartInfilling or ul2).
   */
  packing?: { maxLength: number };
  /** `false`: skip computing offsets (the result then has no `offsets`), which makes bulk tokenization cheaper. Default true. */
  offsets?: boolean;
}

/**
 * One encoded text. Offsets are [start, end) pairs in UTF-16 code units: `text.slice(start, end)`.
 * The typed arrays are views of one shared ArrayBuffer.
 */
export interface Encoding {
  ids: Uint32Array;
  /**
   * The token strings. Made on first read from `ids` when a fast path encoded the text: until
   * then a getter on the prototype, which spreading and structured cloning leave out.
   */
  tokens: string[];
  typeIds: Uint32Array;
  /**
   * Two entries per token: start, end (UTF-16 code units of the text the token came from).
   * Absent when encoded with `offsets: false`.
   */
  offsets?: Uint32Array;
  /** 1 for special tokens and padding. */
  specialTokensMask: Uint8Array;
  /** 0 for padding. */
  attentionMask: Uint8Array;
  /** The word of each token, -1 for special tokens and padding. */
  wordIds: Int32Array;
  /** Which text the offsets refer to: 0 the text, 1 the pair, -1 none. */
  sequenceIds: Int8Array;
}

/**
 * A padded batch, row-major: position j of row i is at i * seqLen + j (offsets: twice that).
 * The typed arrays are views of one shared ArrayBuffer.
 */
export interface BatchEncoding {
  batchSize: number;
  seqLen: number;
  ids: Uint32Array;
  typeIds: Uint32Array;
  /** Absent when encoded with `offsets: false`. */
  offsets?: Uint32Array;
  specialTokensMask: Uint8Array;
  attentionMask: Uint8Array;
  wordIds: Int32Array;
  sequenceIds: Int8Array;
}

/** What `Masker.mask` reads: an `Encoding`, a `BatchEncoding`, or any object with these arrays. */
export interface MaskInput {
  ids: Uint32Array | number[];
  specialTokensMask: Uint8Array | number[];
  attentionMask: Uint8Array | number[];
  /** Needed by word-level strategies with `wordBoundary: "wordIds"` (the default). */
  wordIds?: Int32Array | number[];
  /** Needed by `wordBoundary: "offsetsGap"`. */
  offsets?: Uint32Array | number[];
  /** Rows; default 1. */
  batchSize?: number;
  /** Row length; default ids.length / batchSize. */
  seqLen?: number;
}

/** Where words begin, for the word-level strategies. */
export type WordBoundary = "wordIds" | "offsetsGap" | "wordpiecePrefix";

/**
 * How selected tokens are replaced: "mask" (all become the mask token), or one mask/random/keep
 * decision "perToken", "perWord" or "perSpan" (using maskReplaceProb and randomReplaceProb).
 */
export type Replacement = "mask" | "perToken" | "perWord" | "perSpan";

/** The masking scheme; see the README's strategy table for origins and defaults. */
export type MaskingStrategy =
  | { type: "token" }
  | { type: "exactCount"; maxPredictions?: number; countSpecialTokens?: boolean }
  | {
      type: "wholeWord";
      wordBoundary?: WordBoundary;
      replacement?: "mask" | "perWord" | "perToken";
      selection?: "bernoulli" | "exactCount";
      maxPredictions?: number;
    }
  | { type: "ngram"; maxN?: number; ngramProbabilities?: number[]; wordBoundary?: WordBoundary; replacement?: Replacement }
  | {
      type: "span";
      geometricP?: number;
      minSpan?: number;
      maxSpan?: number;
      wordBoundary?: WordBoundary;
      replacement?: Replacement;
    }
  | { type: "t5SpanCorruption"; noiseDensity?: number; meanNoiseSpanLength?: number }
  | { type: "bartInfilling"; maskRatio?: number; poissonLambda?: number; randomRatio?: number; wordBoundary?: WordBoundary }
  | { type: "ul2"; denoisers?: Ul2Denoiser[] }
  | {
      type: "fim";
      fimRate?: number;
      spmRate?: number;
      level?: "character" | "token";
      fimTokens?: { prefix: string; middle: string; suffix: string; pad: string };
    }
  | { type: "lexiconSpans"; lexicon: (string | number[])[]; wordBoundary?: WordBoundary; replacement?: Replacement };

/**
 * One denoiser of UL2's mixture: "r" and "x" are T5 span corruption with their own mean span
 * length and noise density, "s" a prefix-LM split. Omitted `denoisers` give the paper's seven.
 */
export interface Ul2Denoiser {
  kind: "r" | "x" | "s";
  /** Mean noise span length in tokens (r, x). Default 3. */
  meanSpanLength?: number;
  /** Share of the text that is noise (s: the expected share of the target). Default r 0.15, x 0.5, s 0.25. */
  noiseDensity?: number;
  /** Weight in the per-row draw. Default 1. */
  weight?: number;
  /** Text prepended to the encoder input. Default "[NLU]" (r), "[NLG]" (x), "[S2S]" (s); "" for none. */
  modeToken?: string;
}

/** What values a parameter takes, as `strategies()` describes it. */
export type ParamKind =
  | { kind: "number" | "integer" | "boolean" | "string" }
  | { kind: "enum"; values: string[] }
  | { kind: "list"; items: ParamKind }
  | { kind: "object" | "offOrObject"; set: string }
  | { kind: "either"; kinds: ParamKind[] };

/** One parameter of a strategy (or of an option set). */
export type ParamInfo = ParamKind & {
  /** Its name in the options object. */
  name: string;
  /** The value it takes when absent; absent where absence means something else. */
  default?: number | boolean | string | (number | boolean | string)[];
  /** It must be given. */
  required: boolean;
  /** The smallest value `new Masker` accepts (for a list: of each item). */
  min?: number;
  /** `min` itself is refused: the value must be above it. */
  minExclusive?: boolean;
  /** The largest value `new Masker` accepts. */
  max?: number;
};

/** One masking strategy, as `strategies()` lists it. */
export interface StrategyInfo {
  /** The strategy's `type`. */
  name: MaskingStrategy["type"];
  /** Its parameters, besides `type`. */
  params: ParamInfo[];
}

/** Options of `new Masker`, with transformers' names in camelCase and its defaults. */
export interface MaskerOptions {
  /** false: labels are the ids (causal LM), -100 on the pad id. Default true. */
  mlm?: boolean;
  /** Chance that a token that is neither special nor padding is selected. Default 0.15. */
  mlmProbability?: number;
  /** Share of selected tokens replaced by the mask token. Default 0.8. */
  maskReplaceProb?: number;
  /** Share of selected tokens replaced by a random id. Default 0.1. */
  randomReplaceProb?: number;
  /**
   * "vocab" (transformers, default), "nonSpecial" (fairseq: never a special id), or
   * `{ weights }` with one weight per vocabulary id (fairseq's frequency-weighted replacement).
   */
  randomTokens?: "vocab" | "nonSpecial" | { weights: Float32Array | number[] };
  /** Ids never selected, whatever the strategy (special tokens and padding never are). */
  neverSelect?: number[] | Uint32Array;
  /** A non-negative integer: the same seed gives the same masks. Default: random. */
  seed?: number;
  /** `collate` rounds the padded length up to a multiple of this. */
  padToMultipleOf?: number;
  /** Default { type: "token" }. */
  strategy?: MaskingStrategy;
  /**
   * The random stream. "mlmask" (default): mlmask's own fast stream. "numpy" / "torch": with a
   * `seed`, the exact masks of transformers' `DataCollatorForLanguageModeling(seed=seed,
   * return_tensors="np" / "pt")` on the same padded batch, call after call.
   */
  rng?: "mlmask" | "numpy" | "torch";
  /**
   * Which positions are special (never selected; padding never is either). "mask" (default):
   * the encoding's `specialTokensMask`, as the collator uses for dicts carrying
   * `special_tokens_mask`. "ids": every special id (special added tokens, pad, mask), as the
   * collator uses for id lists.
   */
  specialTokens?: "mask" | "ids";
  /**
   * Independently masked copies of each row (1 to 1024, default 1): `mask` and `collate` return
   * batchSize × views rows, the views of one row adjacent (row r, view v at r * views + v).
   */
  views?: number;
}

/**
 * Masked ids and labels, row-major. For the token-level strategies `seqLen`, `labelsLen` and
 * `sourceLen` are equal; T5 span corruption, BART infilling, UL2 and FIM change the sequences, so
 * `inputIds` rows have `seqLen` entries, `labels` rows `labelsLen`, and `outcome`/`spanIds`
 * rows `sourceLen` (the input batch's positions). The typed arrays are views of one shared
 * ArrayBuffer.
 */
export interface MaskedBatch {
  batchSize: number;
  /** Row length of inputIds and attentionMask. */
  seqLen: number;
  /** What the model sees. */
  inputIds: Int32Array;
  attentionMask: Uint8Array;
  /** Row length of labels. */
  labelsLen: number;
  /** The original id where a token was selected, -100 elsewhere; for T5 and BART the target sequence. */
  labels: Int32Array;
  /** Row length of outcome and spanIds: the input batch's. */
  sourceLen: number;
  /** Per input position: 0 not selected, 1 mask token (or sentinel / infilled), 2 random id, 3 selected and kept (see `Outcome`). */
  outcome: Uint8Array;
  /** Word-, n-gram- and span-level strategies: the group of each selected position (0, 1, ... per row), -1 elsewhere. */
  spanIds?: Int32Array;
  /** exactCount: entries per row of the three lists below. */
  maxPredictions?: number;
  /** exactCount: positions of the selected tokens in their row, zero-padded to maxPredictions (BERT's masked_lm_positions). */
  maskedPositions?: Int32Array;
  /** exactCount: their original ids (masked_lm_ids). */
  maskedIds?: Int32Array;
  /** exactCount: 1 for a real entry, 0 for padding (masked_lm_weights). */
  maskedWeights?: Float32Array;
  /** ul2: per row, the index of its denoiser in `denoiserNames`. */
  denoiser?: Uint8Array;
  /** ul2: each denoiser's family and parameters, such as "r: mean 3, noise 0.15". */
  denoiserNames?: string[];
  /** fim: per row (packed: per text), 0 left as it was, 1 PSM, 2 SPM. */
  fimLayout?: Uint8Array;
  /** Packed rows: each token's position within its own text (0 on padding). */
  positionIds?: Int32Array;
  /** Packed rows: the text (its row in `batch`, or row * views + view) of each position, -1 on padding. */
  sequenceIds?: Int32Array;
  /** Packed rows: flash-attention's cu_seqlens over the rows' tokens without padding: [0, end of text 0, ...]. */
  cuSeqlens?: Int32Array;
}

/** `collate`'s result: the masked batch and the batch it was made from. */
export interface CollatedBatch extends MaskedBatch {
  batch: BatchEncoding;
}
"#;

#[wasm_bindgen]
extern "C" {
    /// `string | Uint8Array | ArrayBuffer`.
    #[wasm_bindgen(typescript_type = "TokenizerSource")]
    pub type TokenizerSource;
    /// `LoadOptions`.
    #[wasm_bindgen(typescript_type = "LoadOptions")]
    pub type LoadOptionsArg;
    /// `EncodeOptions`.
    #[wasm_bindgen(typescript_type = "EncodeOptions")]
    pub type EncodeOptionsArg;
    /// `string[]`.
    #[wasm_bindgen(typescript_type = "string[]")]
    pub type StringArray;
    /// `Encoding`.
    #[wasm_bindgen(typescript_type = "Encoding")]
    pub type EncodingResult;
    /// `BatchEncoding`.
    #[wasm_bindgen(typescript_type = "BatchEncoding")]
    pub type BatchEncodingResult;
    /// `MaskerOptions`.
    #[wasm_bindgen(typescript_type = "MaskerOptions")]
    pub type MaskerOptionsArg;
    /// `MaskInput`.
    #[wasm_bindgen(typescript_type = "MaskInput")]
    pub type MaskInputArg;
    /// `MaskedBatch`.
    #[wasm_bindgen(typescript_type = "MaskedBatch")]
    pub type MaskedBatchResult;
    /// `CollatedBatch`.
    #[wasm_bindgen(typescript_type = "CollatedBatch")]
    pub type CollatedBatchResult;
    /// `StrategyInfo[]`.
    #[wasm_bindgen(typescript_type = "StrategyInfo[]")]
    pub type StrategyInfoArray;
}
