//! The one error type of the crate. Each message names the option or input at fault and says how
//! to fix it, because these messages are what a JavaScript user sees in the thrown `Error`.
//!
//! Options and fields are named as Rust names them, in backticks (`mlm_probability`); the
//! JavaScript binding renames each backticked `snake_case` name to its camelCase (serde) name
//! (`mlmProbability`). Values are named as serde spells them (`"nonSpecial"`).

/// Everything that can go wrong in mlmask.
#[derive(Debug, thiserror::Error, Clone, PartialEq)]
#[non_exhaustive]
pub enum Error {
    /// The tokenizer file could not be parsed.
    #[error(
        "could not load tokenizer.json: {0}. Pass the complete text (or bytes) of a Hugging Face tokenizer.json file"
    )]
    TokenizerLoad(String),

    /// The lite build (`mlmask/lite`, no `tokenizers` crate) cannot do this; the full build can.
    #[error("mlmask/lite cannot {0}; import \"mlmask\" (the full build, with the tokenizers crate) instead")]
    NeedsFullBuild(String),

    /// The tokenizer file bytes are not UTF-8.
    #[error("tokenizer.json is not valid UTF-8 ({0}); pass the file's bytes unchanged")]
    TokenizerNotUtf8(String),

    /// The `tokenizers` pipeline refused the input.
    #[error("tokenization failed: {0}")]
    Encode(String),

    /// A probability option is NaN or outside [0, 1].
    #[error("`{name}` must be a number between 0 and 1, got {value}")]
    ProbabilityOutOfRange {
        /// The option's name, as Rust spells it.
        name: &'static str,
        /// The rejected value.
        value: f64,
    },

    /// The mask and random replacement probabilities add up to more than one.
    #[error("`mask_replace_prob` + `random_replace_prob` must be at most 1, got {mask} + {random} = {sum}; the rest of the selected tokens stay unchanged, so lower one of them")]
    ReplacementSplitAboveOne {
        /// `mask_replace_prob`.
        mask: f64,
        /// `random_replace_prob`.
        random: f64,
        /// Their floating-point sum.
        sum: f64,
    },

    /// Masked-language-model masking needs a mask token and the tokenizer has none.
    #[error("this tokenizer has no mask token ([MASK] or <mask> among its added tokens), so `mlm: true` cannot mask; name one of its tokens with the `mask_token` option when loading it, or use `mlm: false`")]
    NoMaskToken,

    /// A token named by an option is not in the vocabulary.
    #[error("`{option}` names \"{token}\", which is not a token of this tokenizer; pass a token from its vocabulary")]
    UnknownToken {
        /// The option that named it.
        option: &'static str,
        /// The token that was not found.
        token: String,
    },

    /// Padding is needed but the tokenizer has no pad token.
    #[error("these sequences need padding but the tokenizer has no pad token; name one with the `pad_token` option when loading it (for example the end-of-text token)")]
    NoPadToken,

    /// `pad_to_multiple_of` (or a padding or truncation length) of zero.
    #[error("`{name}` must be a positive integer, got {value}")]
    NotPositive {
        /// The option's name, as Rust spells it.
        name: &'static str,
        /// The rejected value.
        value: usize,
    },

    /// A truncation length that cannot hold the special tokens the tokenizer adds.
    #[error("truncation `max_length` {max_length} leaves no room: this tokenizer adds {added} special tokens to {what}; use a `max_length` above {added} or `add_special_tokens: false`")]
    TruncationTooShort {
        /// The requested maximum length.
        max_length: usize,
        /// How many special tokens the post-processor adds.
        added: usize,
        /// "a single text" or "a pair".
        what: &'static str,
    },

    /// A fixed padding length shorter than a sequence that is not truncated.
    #[error("padding `length` {length} is shorter than a sequence of {longest} tokens; enable truncation with a `max_length` of at most {length}, or pad to a larger length")]
    PaddingShorterThanSequence {
        /// The fixed padding length.
        length: usize,
        /// The longest sequence's length.
        longest: usize,
    },

    /// A batch with no sequences.
    #[error("the batch is empty; pass at least one text")]
    EmptyBatch,

    /// `pairs` given for a batch, with a different count from the texts.
    #[error("`pairs` has {pairs} entries but there are {texts} texts; pass one pair text per text")]
    PairCountMismatch {
        /// Number of texts.
        texts: usize,
        /// Number of pair texts.
        pairs: usize,
    },

    /// The arrays of an encoding or batch passed to `mask` disagree in length.
    #[error("`{field}` has {actual} entries but the batch has {expected} positions ({batch_size} x {seq_len}); pass the arrays of one encoding or batch together")]
    ShapeMismatch {
        /// The offending field, as Rust spells it.
        field: &'static str,
        /// Its length.
        actual: usize,
        /// The expected length.
        expected: usize,
        /// Batch rows.
        batch_size: usize,
        /// Row length.
        seq_len: usize,
    },

    /// An id that the masker's tokenizer does not have.
    #[error("`ids` holds {id} at position {position}, outside this tokenizer's vocabulary of {vocab_size}; mask encodings made by the masker's own tokenizer")]
    IdOutsideVocab {
        /// The id.
        id: u32,
        /// Its row-major position.
        position: usize,
        /// The vocabulary size.
        vocab_size: u32,
    },

    /// An encoding array a strategy needs was not passed.
    #[error("`{field}` is missing from the encoding, and {needed_by} need it; pass the object returned by encode(), encodeBatch() or collate()'s `batch`")]
    MissingField {
        /// The missing field, as Rust spells it.
        field: &'static str,
        /// What needs it.
        needed_by: &'static str,
    },

    /// The encoding was made without offsets, and something needs them.
    #[error("the encoding has no offsets (it was encoded without them), and {needed_by} need them; encode with offsets, or choose another word boundary")]
    NoOffsets {
        /// What needs them.
        needed_by: &'static str,
    },

    /// A strategy parameter outside its range.
    #[error("`{name}` {requirement}, got {value}")]
    InvalidParameter {
        /// The parameter, as Rust spells it.
        name: &'static str,
        /// What it must be.
        requirement: &'static str,
        /// The rejected value, printed.
        value: String,
    },

    /// A strategy reads text or token names, and was built without the tokenizer.
    #[error("the {strategy} strategy reads {what} with the tokenizer; build the masker with `Masker::with_tokenizer` (the JavaScript `Masker` always has it)")]
    NeedsTokenizer {
        /// The strategy.
        strategy: &'static str,
        /// What it reads.
        what: &'static str,
    },
    /// Packing was asked of a sequence-to-sequence strategy.
    #[error("packing lays out rows whose labels line up with their input_ids, and the {strategy} strategy makes a separate target sequence per text (encoder-decoder); pack with token, exactCount, wholeWord, ngram, span, lexiconSpans or fim, or collate without packing")]
    PackingNeedsAlignedLabels {
        /// The strategy.
        strategy: &'static str,
    },
    /// A text longer than the packed row length.
    #[error("text {index} has {length} tokens, more than packing `max_length` {max_length}; raise `max_length`, or truncate with `truncation: {{ maxLength: {max_length} }}`")]
    TextLongerThanPackedRow {
        /// The text's index.
        index: usize,
        /// Its length in tokens.
        length: usize,
        /// The packed row length.
        max_length: usize,
    },
    /// A token the strategy needs is not in the vocabulary.
    #[error("the {strategy} strategy needs the token {token}, which this tokenizer does not have{hint}")]
    MissingStrategyToken {
        /// The strategy.
        strategy: &'static str,
        /// The token it needs.
        token: String,
        /// What to do about it.
        hint: &'static str,
    },

    /// A seed that is not an integer in the supported range.
    #[error("`seed` must be a non-negative integer no larger than 2^53 - 1, got {0}")]
    InvalidSeed(f64),

    /// `random_tokens: "nonSpecial"` on a vocabulary with no non-special id.
    #[error("`random_tokens: \"nonSpecial\"` leaves no id to draw: every id of this vocabulary is special; use `random_tokens: \"vocab\"`")]
    NoRandomCandidates,

    /// The operating system or browser gave no entropy for an unseeded masker.
    #[error("could not get random bytes from the system ({0}); pass a `seed`")]
    Entropy(String),
}

/// Shorthand for `Result<T, mlmask::Error>`.
pub type Result<T, E = Error> = std::result::Result<T, E>;
