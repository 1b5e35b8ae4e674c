//! Masked-language-model masking: the validated configuration, the [`Strategy`] trait that
//! every masking scheme implements (one per file), and the [`Masker`] that ties a strategy to a
//! random stream.
//!
//! The default strategy, [`TokenStrategy`], is transformers' `DataCollatorForLanguageModeling`.

mod bart;
mod exact_count;
mod ngram;
mod replace;
mod sample;
mod span;
mod t5;
mod token;
mod whole_word;
mod words;

pub use bart::{BartInfilling, BartOptions};
pub use exact_count::{ExactCount, ExactCountOptions};
pub use ngram::{Ngram, NgramOptions};
pub use replace::Replacement;
pub use span::{Span, SpanOptions};
pub use t5::{T5Options, T5SpanCorruption};
pub use token::TokenStrategy;
pub use whole_word::{Selection, WholeWord, WholeWordOptions};
pub use words::WordBoundary;

use crate::collate::Batch;
use crate::error::{Error, Result};
use crate::rng::{entropy_seed, seeded, MaskRng, RngKind, MAX_SAFE_SEED};
use crate::tokenize::{EncodeOptions, Padding, Setting, Tokenizer, VocabInfo};

/// The label of positions the loss ignores (PyTorch's `ignore_index`).
pub const IGNORE_INDEX: i32 = -100;

/// What happened to one position, for visualisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum Outcome {
    /// Not selected for prediction (label -100).
    Unselected = 0,
    /// Selected and replaced by the mask token.
    Mask = 1,
    /// Selected and replaced by a random id.
    Random = 2,
    /// Selected and left unchanged (still predicted).
    Kept = 3,
}

/// Which ids a random replacement is drawn from.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum RandomTokens {
    /// Uniform over `[0, len(tokenizer))`, specials included: transformers' behaviour.
    #[default]
    Vocab,
    /// Uniform over the ids that are not special added tokens: fairseq's behaviour.
    NonSpecial,
    /// Each id with a probability proportional to its weight (one weight per id of the
    /// vocabulary): fairseq's `freq_weighted_replacement`, with corpus counts as weights.
    Weights(Vec<f32>),
}

/// Which positions count as special, and so are never selected. Padding (attention mask 0) is
/// never selected in either mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SpecialTokens {
    /// The encoding's special-tokens mask: the tokens the post-processor added ([CLS], [SEP],
    /// <s>, ...). transformers' path for dict examples that carry `special_tokens_mask`
    /// (`tokenizer(..., return_special_tokens_mask=True)`), where padding counts as special.
    #[default]
    Mask,
    /// Every position whose id is a special id: the tokenizer's added tokens flagged special,
    /// plus its pad and mask tokens. transformers' path for id lists, or for dicts without
    /// `special_tokens_mask` (`get_special_tokens_mask(already_has_special_tokens=True)`, that is
    /// `id in all_special_ids`): an [UNK] or a literal `[MASK]` in the text is never selected.
    Ids,
}

/// The masking scheme and its parameters. Each scheme is implemented in its own file.
#[derive(Debug, Clone, PartialEq, Default)]
#[non_exhaustive]
pub enum StrategyOptions {
    /// Per-token Bernoulli selection, exactly as transformers does it.
    #[default]
    Token,
    /// A fixed number of tokens per sequence, as BERT's `create_pretraining_data.py`.
    ExactCount(ExactCountOptions),
    /// Whole words selected together.
    WholeWord(WholeWordOptions),
    /// MacBERT / ERNIE n-gram masking over whole words.
    Ngram(NgramOptions),
    /// SpanBERT geometric spans.
    Span(SpanOptions),
    /// T5's span corruption with sentinels.
    T5SpanCorruption(T5Options),
    /// BART's text infilling with Poisson spans.
    BartInfilling(BartOptions),
}

impl StrategyOptions {
    /// How a word-level strategy finds words; `None` for the token-level ones, which read
    /// neither word ids nor offsets.
    pub fn word_boundary(&self) -> Option<WordBoundary> {
        match self {
            Self::WholeWord(o) => Some(o.word_boundary),
            Self::Ngram(o) => Some(o.word_boundary),
            Self::Span(o) => Some(o.word_boundary),
            Self::BartInfilling(o) => Some(o.word_boundary),
            Self::Token | Self::ExactCount(_) | Self::T5SpanCorruption(_) => None,
        }
    }

    /// Validate the parameters and build the strategy.
    pub fn build(&self, vocab: &VocabInfo) -> Result<Box<dyn Strategy>> {
        Ok(match self {
            StrategyOptions::Token => Box::new(TokenStrategy),
            StrategyOptions::ExactCount(o) => Box::new(ExactCount::new(o)?),
            StrategyOptions::WholeWord(o) => Box::new(WholeWord::new(o)?),
            StrategyOptions::Ngram(o) => Box::new(Ngram::new(o)?),
            StrategyOptions::Span(o) => Box::new(Span::new(o)?),
            StrategyOptions::T5SpanCorruption(o) => Box::new(T5SpanCorruption::new(o, vocab)?),
            StrategyOptions::BartInfilling(o) => Box::new(BartInfilling::new(o)?),
        })
    }
}

/// The options of a [`Masker`], with transformers' defaults. JavaScript spells them in
/// camelCase (`mlmProbability`, ...).
#[derive(Debug, Clone, PartialEq)]
pub struct MaskingOptions {
    /// `mlm`: false makes labels a copy of the ids (causal LM), with -100 on padding.
    pub mlm: bool,
    /// `mlm_probability`: the chance that an eligible token is selected.
    pub mlm_probability: f64,
    /// `mask_replace_prob`: the share of selected tokens replaced by the mask token.
    pub mask_replace_prob: f64,
    /// `random_replace_prob`: the share of selected tokens replaced by a random id.
    pub random_replace_prob: f64,
    /// Which ids random replacement draws from.
    pub random_tokens: RandomTokens,
    /// `seed`: a fixed seed makes the masker deterministic; `None` draws one from the system.
    pub seed: Option<u64>,
    /// `pad_to_multiple_of`, used by [`Masker::collate`].
    pub pad_to_multiple_of: Option<usize>,
    /// The masking scheme.
    pub strategy: StrategyOptions,
    /// The random stream.
    pub rng: RngKind,
    /// Which positions count as special.
    pub special_tokens: SpecialTokens,
    /// Ids that are never selected, whatever the strategy (besides special tokens and padding).
    pub never_select: Vec<u32>,
}

impl Default for MaskingOptions {
    fn default() -> Self {
        Self {
            mlm: true,
            mlm_probability: 0.15,
            mask_replace_prob: 0.8,
            random_replace_prob: 0.1,
            random_tokens: RandomTokens::Vocab,
            seed: None,
            pad_to_multiple_of: None,
            strategy: StrategyOptions::Token,
            rng: RngKind::Mlmask,
            special_tokens: SpecialTokens::Mask,
            never_select: Vec::new(),
        }
    }
}

/// Where random replacement ids come from, resolved against a vocabulary.
#[derive(Debug, Clone, PartialEq)]
pub enum RandomIds {
    /// Every id below this bound.
    Below(u32),
    /// One of these ids.
    OneOf(Vec<u32>),
    /// Id `k` with probability `(cdf[k] - cdf[k - 1]) / cdf[last]`.
    Weighted(Vec<f64>),
}

impl RandomIds {
    /// How many ids there are to draw from.
    pub fn count(&self) -> u32 {
        let count = match self {
            RandomIds::Below(n) => return *n,
            RandomIds::OneOf(ids) => ids.len(),
            RandomIds::Weighted(cdf) => cdf.len(),
        };
        u32::try_from(count).unwrap_or(u32::MAX)
    }

    /// Draw an id for every chosen cell (row-major), leaving the others alone. Uniform draws go
    /// through [`MaskRng::uniform_below`], so exact ports of other streams stay exact.
    pub fn draw(&self, rng: &mut dyn MaskRng, chosen: &[bool], out: &mut [u32]) {
        match self {
            RandomIds::Below(n) => rng.uniform_below(*n, chosen, out),
            RandomIds::OneOf(ids) => {
                rng.uniform_below(self.count(), chosen, out);
                for (cell, _) in out.iter_mut().zip(chosen).filter(|(_, &c)| c) {
                    *cell = ids[*cell as usize];
                }
            }
            RandomIds::Weighted(cdf) => {
                for (cell, _) in out.iter_mut().zip(chosen).filter(|(_, &c)| c) {
                    *cell = sample::from_cdf(rng, cdf) as u32;
                }
            }
        }
    }

    /// One random id.
    pub fn draw_one(&self, rng: &mut dyn MaskRng) -> u32 {
        let mut out = [0];
        self.draw(rng, &[true], &mut out);
        out[0]
    }
}

/// Options checked against a vocabulary: every value here is known to be usable.
#[derive(Debug, Clone, PartialEq)]
pub struct MaskingConfig {
    /// See [`MaskingOptions::mlm`].
    pub mlm: bool,
    /// See [`MaskingOptions::mlm_probability`].
    pub mlm_probability: f64,
    /// See [`MaskingOptions::mask_replace_prob`].
    pub mask_replace_prob: f64,
    /// See [`MaskingOptions::random_replace_prob`].
    pub random_replace_prob: f64,
    /// The chance of a random id given "selected and not masked":
    /// `random_replace_prob / (1 - mask_replace_prob)`, clamped to 1 because 0.2 / (1 - 0.8)
    /// is 1.0000000000000002 in floating point (numpy raises on it).
    pub random_given_unmasked: f64,
    /// The mask token's id (meaningful when `mlm`).
    pub mask_token_id: u32,
    /// The pad token's id, for `mlm: false` labels.
    pub pad_token_id: Option<u32>,
    /// Ids random replacement draws from.
    pub random_ids: RandomIds,
    /// The vocabulary size, to reject ids from another tokenizer.
    pub vocab_size: u32,
    /// See [`MaskingOptions::pad_to_multiple_of`].
    pub pad_to_multiple_of: Option<usize>,
    /// See [`MaskingOptions::special_tokens`].
    pub special_tokens: SpecialTokens,
    /// The ids [`SpecialTokens::Ids`] treats as special, sorted: the special added tokens, the
    /// pad token and the mask token.
    pub special_ids: Vec<u32>,
    /// See [`MaskingOptions::never_select`], sorted.
    pub never_select: Vec<u32>,
    /// Sorted ids whose token starts with `##`, for [`WordBoundary::WordpiecePrefix`].
    pub continuation_ids: std::sync::Arc<[u32]>,
}

impl MaskingConfig {
    /// True where a token may be selected: neither special, nor padding, nor excluded.
    pub fn eligible(&self, input: &MaskInput) -> Vec<bool> {
        (0..input.ids.len()).map(|i| self.eligible_at(input, i)).collect()
    }

    /// [`MaskingConfig::eligible`] of one position.
    #[inline]
    pub fn eligible_at(&self, input: &MaskInput, i: usize) -> bool {
        input.eligible_at(i)
            && (self.never_select.is_empty() || self.never_select.binary_search(&input.ids[i]).is_err())
    }
}

impl MaskingOptions {
    /// Check every option against the vocabulary, once.
    pub fn validate(&self, vocab: &VocabInfo) -> Result<MaskingConfig> {
        for (name, value) in [
            ("mlmProbability", self.mlm_probability),
            ("maskReplaceProb", self.mask_replace_prob),
            ("randomReplaceProb", self.random_replace_prob),
        ] {
            if !(0.0..=1.0).contains(&value) {
                return Err(Error::ProbabilityOutOfRange { name, value });
            }
        }
        let (mask, random) = (self.mask_replace_prob, self.random_replace_prob);
        if mask + random > 1.0 {
            return Err(Error::ReplacementSplitAboveOne { mask, random, sum: mask + random });
        }
        if self.pad_to_multiple_of == Some(0) {
            return Err(Error::NotPositive { name: "padToMultipleOf", value: 0 });
        }
        if let Some(seed) = self.seed {
            if seed > MAX_SAFE_SEED {
                return Err(Error::InvalidSeed(seed as f64));
            }
        }
        let needs_mask_token = self.mlm && !matches!(self.strategy, StrategyOptions::T5SpanCorruption(_));
        let mask_token_id = match (needs_mask_token, vocab.mask_token_id) {
            (true, None) => return Err(Error::NoMaskToken),
            (_, id) => id.unwrap_or(0),
        };
        let random_ids = match &self.random_tokens {
            RandomTokens::Vocab => RandomIds::Below(vocab.vocab_size),
            RandomTokens::NonSpecial => RandomIds::OneOf(
                (0..vocab.vocab_size).filter(|id| vocab.special_ids.binary_search(id).is_err()).collect(),
            ),
            RandomTokens::Weights(weights) => {
                if weights.len() != vocab.vocab_size as usize {
                    return Err(Error::InvalidParameter {
                        name: "randomTokens.weights",
                        requirement: "must have one weight per id of the vocabulary (vocabSize entries)",
                        value: format!("{} entries for a vocabulary of {}", weights.len(), vocab.vocab_size),
                    });
                }
                if let Some(bad) = weights.iter().find(|w| !w.is_finite() || **w < 0.0) {
                    return Err(Error::InvalidParameter {
                        name: "randomTokens.weights",
                        requirement: "must be finite and non-negative",
                        value: bad.to_string(),
                    });
                }
                let cdf = sample::cumulative(weights.iter().map(|&w| f64::from(w)));
                if cdf.last().is_none_or(|&total| total <= 0.0) {
                    RandomIds::OneOf(Vec::new())
                } else {
                    RandomIds::Weighted(cdf)
                }
            }
        };
        let draws_random_ids = needs_mask_token && mask < 1.0 && random > 0.0
            || matches!(self.strategy, StrategyOptions::BartInfilling(BartOptions { random_ratio, .. }) if random_ratio > 0.0);
        if draws_random_ids && random_ids.count() == 0 {
            return Err(Error::NoRandomCandidates);
        }
        let mut special_ids = vocab.special_ids.clone();
        special_ids.extend(vocab.pad_token_id.into_iter().chain(vocab.mask_token_id));
        special_ids.sort_unstable();
        special_ids.dedup();
        Ok(MaskingConfig {
            mlm: self.mlm,
            mlm_probability: self.mlm_probability,
            mask_replace_prob: mask,
            random_replace_prob: random,
            random_given_unmasked: if mask < 1.0 { (random / (1.0 - mask)).min(1.0) } else { 0.0 },
            mask_token_id,
            pad_token_id: vocab.pad_token_id,
            random_ids,
            vocab_size: vocab.vocab_size,
            pad_to_multiple_of: self.pad_to_multiple_of,
            special_tokens: self.special_tokens,
            special_ids,
            never_select: {
                let mut ids = self.never_select.clone();
                ids.sort_unstable();
                ids.dedup();
                ids
            },
            continuation_ids: vocab.continuation_ids.clone(),
        })
    }
}

/// A borrowed view of a rectangular batch: what masking reads. Arrays are row-major with
/// `batch_size * seq_len` entries.
#[derive(Debug, Clone, Copy)]
pub struct MaskInput<'a> {
    /// Token ids.
    pub ids: &'a [u32],
    /// 1 where a token is special (padding included): never selected.
    pub special_tokens_mask: &'a [u8],
    /// 0 where a position is padding: never selected.
    pub attention_mask: &'a [u8],
    /// Rows.
    pub batch_size: usize,
    /// Row length.
    pub seq_len: usize,
    /// The word of each token (-1 for none), for word-level strategies.
    pub word_ids: Option<&'a [i32]>,
    /// `start, end` per token (two entries each), for [`WordBoundary::OffsetsGap`].
    pub offsets: Option<&'a [u32]>,
}

impl<'a> MaskInput<'a> {
    /// A view of the arrays token-level masking needs; add `word_ids` and `offsets` with
    /// struct update syntax for the word-level strategies.
    pub fn new(
        ids: &'a [u32],
        special_tokens_mask: &'a [u8],
        attention_mask: &'a [u8],
        batch_size: usize,
        seq_len: usize,
    ) -> Self {
        Self { ids, special_tokens_mask, attention_mask, batch_size, seq_len, word_ids: None, offsets: None }
    }

    /// View a [`Batch`].
    pub fn from_batch(batch: &'a Batch) -> Self {
        Self {
            ids: &batch.ids,
            special_tokens_mask: &batch.special_tokens_mask,
            attention_mask: &batch.attention_mask,
            batch_size: batch.batch_size,
            seq_len: batch.seq_len,
            word_ids: Some(&batch.word_ids),
            offsets: Some(&batch.offsets),
        }
    }

    /// True where a token may be selected: neither special (per `special_tokens_mask`) nor
    /// padding. [`Masker::mask`] hands strategies a mask that follows
    /// [`MaskingOptions::special_tokens`].
    pub fn eligible(&self) -> Vec<bool> {
        (0..self.ids.len()).map(|i| self.eligible_at(i)).collect()
    }

    /// [`MaskInput::eligible`] of one position.
    #[inline]
    pub fn eligible_at(&self, i: usize) -> bool {
        self.special_tokens_mask[i] == 0 && self.attention_mask[i] != 0
    }

    fn check(&self, vocab_size: u32) -> Result<()> {
        let expected = self.batch_size * self.seq_len;
        for (field, actual) in [
            ("ids", self.ids.len()),
            ("specialTokensMask", self.special_tokens_mask.len()),
            ("attentionMask", self.attention_mask.len()),
            ("wordIds", self.word_ids.map_or(expected, <[i32]>::len)),
            // Two entries per position: an odd length can never match.
            (
                "offsets (pairs)",
                self.offsets.map_or(expected, |o| if o.len() % 2 == 0 { o.len() / 2 } else { o.len() }),
            ),
        ] {
            if actual != expected {
                return Err(Error::ShapeMismatch {
                    field,
                    actual,
                    expected,
                    batch_size: self.batch_size,
                    seq_len: self.seq_len,
                });
            }
        }
        if let Some((position, &id)) = self.ids.iter().enumerate().find(|(_, &id)| id >= vocab_size) {
            return Err(Error::IdOutsideVocab { id, position, vocab_size });
        }
        Ok(())
    }
}

/// The result of masking a batch. Every array is row-major.
///
/// For the token-level strategies all three row lengths are equal. T5 span corruption and BART
/// infilling change the sequences: `input_ids` then has rows of `seq_len` (padded with the pad
/// id, attention mask 0) and `labels` rows of `labels_len` (padded with -100), while `outcome`
/// and `span_ids` still describe the positions of the input batch (`source_len` per row).
#[derive(Debug, Clone, PartialEq)]
pub struct MaskedBatch {
    /// Rows.
    pub batch_size: usize,
    /// Row length of `input_ids` and `attention_mask`.
    pub seq_len: usize,
    /// The ids the model sees.
    pub input_ids: Vec<i32>,
    /// 0 where `input_ids` is padding.
    pub attention_mask: Vec<u8>,
    /// Row length of `labels`.
    pub labels_len: usize,
    /// The original id where a token was selected and [`IGNORE_INDEX`] elsewhere; for T5 and
    /// BART, the target sequence.
    pub labels: Vec<i32>,
    /// Row length of `outcome` and `span_ids`: the input batch's.
    pub source_len: usize,
    /// [`Outcome`] of each input position, as its `u8` value.
    pub outcome: Vec<u8>,
    /// For strategies that select groups (words, n-grams, spans, sentinel spans): the group each
    /// selected input position belongs to, numbered from 0 per row; -1 elsewhere.
    pub span_ids: Option<Vec<i32>>,
    /// For exact-count selection: BERT's `masked_lm_positions` / `_ids` / `_weights`.
    pub predictions: Option<Predictions>,
}

/// The prediction lists of BERT's TFRecords and Keras' `MaskedLMMaskGenerator`: per row,
/// `max_predictions` entries, real ones first (sorted by position), then zero padding.
#[derive(Debug, Clone, PartialEq)]
pub struct Predictions {
    /// Entries per row.
    pub max_predictions: usize,
    /// Positions of the selected tokens within their row.
    pub positions: Vec<i32>,
    /// Their original ids.
    pub ids: Vec<i32>,
    /// 1.0 for a real entry, 0.0 for padding.
    pub weights: Vec<f32>,
}

impl MaskedBatch {
    /// The unmasked starting point: ids copied, every label ignored, nothing selected.
    pub fn unmasked(input: &MaskInput) -> Self {
        Self {
            batch_size: input.batch_size,
            seq_len: input.seq_len,
            input_ids: input.ids.iter().map(|&id| id as i32).collect(),
            attention_mask: input.attention_mask.to_vec(),
            labels_len: input.seq_len,
            labels: vec![IGNORE_INDEX; input.ids.len()],
            source_len: input.seq_len,
            outcome: vec![Outcome::Unselected as u8; input.ids.len()],
            span_ids: None,
            predictions: None,
        }
    }

    /// How many positions have each outcome, indexed by `Outcome as usize`.
    pub fn outcome_counts(&self) -> [usize; 4] {
        let mut counts = [0; 4];
        for &o in &self.outcome {
            counts[usize::from(o)] += 1;
        }
        counts
    }
}

/// One masking scheme. Implementations live one per file in this module.
pub trait Strategy: std::fmt::Debug {
    /// Select and replace tokens of `input`. `config.eligible(input)` tells which positions may
    /// be selected.
    fn mask(&self, input: &MaskInput, config: &MaskingConfig, rng: &mut dyn MaskRng) -> Result<MaskedBatch>;
}

/// A configured masking scheme with its random stream. The stream carries over between calls,
/// like the seeded collator's generator, so batch `k` depends on the seed and on batches
/// `0..k`.
pub struct Masker {
    config: MaskingConfig,
    strategy: Box<dyn Strategy>,
    word_boundary: Option<WordBoundary>,
    rng_kind: RngKind,
    rng: Box<dyn MaskRng>,
}

impl std::fmt::Debug for Masker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Masker")
            .field("config", &self.config)
            .field("strategy", &self.strategy)
            .field("rng", &self.rng_kind)
            .finish_non_exhaustive()
    }
}

impl Masker {
    /// Validate `options` against the tokenizer's vocabulary and seed the stream.
    pub fn new(vocab: &VocabInfo, options: &MaskingOptions) -> Result<Self> {
        let config = options.validate(vocab)?;
        let seed = match options.seed {
            Some(seed) => seed,
            None => entropy_seed()?,
        };
        Ok(Self {
            config,
            strategy: options.strategy.build(vocab)?,
            word_boundary: options.strategy.word_boundary(),
            rng_kind: options.rng,
            rng: seeded(options.rng, seed),
        })
    }

    /// The validated configuration.
    pub fn config(&self) -> &MaskingConfig {
        &self.config
    }

    /// Whether [`Masker::mask`] reads `word_ids` and `offsets` of its input (a binding need not
    /// copy them otherwise).
    pub fn reads_words(&self) -> (bool, bool) {
        match self.word_boundary {
            Some(WordBoundary::WordIds) => (true, false),
            Some(WordBoundary::OffsetsGap) => (false, true),
            Some(WordBoundary::WordpiecePrefix) | None => (false, false),
        }
    }

    /// Restart the stream from `seed`, or from fresh system entropy.
    pub fn reseed(&mut self, seed: Option<u64>) -> Result<()> {
        let seed = match seed {
            Some(seed) if seed > MAX_SAFE_SEED => return Err(Error::InvalidSeed(seed as f64)),
            Some(seed) => seed,
            None => entropy_seed()?,
        };
        self.rng = seeded(self.rng_kind, seed);
        Ok(())
    }

    /// Mask a batch (or a single encoding viewed as a one-row batch).
    pub fn mask(&mut self, input: &MaskInput) -> Result<MaskedBatch> {
        input.check(self.config.vocab_size)?;
        if self.config.mlm {
            let special_ids_mask: Vec<u8>;
            let input = match self.config.special_tokens {
                SpecialTokens::Mask => *input,
                SpecialTokens::Ids => {
                    let special = &self.config.special_ids;
                    special_ids_mask = input.ids.iter().map(|id| u8::from(special.binary_search(id).is_ok())).collect();
                    MaskInput { special_tokens_mask: &special_ids_mask, ..*input }
                }
            };
            self.strategy.mask(&input, &self.config, self.rng.as_mut())
        } else {
            // transformers: `labels[labels == pad_token_id] = -100`, so an EOS that doubles as
            // the pad token is ignored too.
            let mut out = MaskedBatch::unmasked(input);
            let pad = self.config.pad_token_id;
            for (label, &id) in out.labels.iter_mut().zip(input.ids) {
                *label = if Some(id) == pad { IGNORE_INDEX } else { id as i32 };
            }
            Ok(out)
        }
    }

    /// Tokenize `texts`, pad them to the longest (rounded up to `pad_to_multiple_of`), and
    /// mask the batch: what the collator does with a list of tokenized examples.
    pub fn collate(
        &mut self,
        tokenizer: &Tokenizer,
        texts: &[&str],
        options: &EncodeOptions,
    ) -> Result<(Batch, MaskedBatch)> {
        // The collator pads with `tokenizer.pad(padding=True)`: to the longest example.
        let options = EncodeOptions {
            padding: match options.padding {
                Setting::Set(padding) => Setting::Set(padding),
                Setting::FromFile | Setting::Off => Setting::Set(Padding::longest()),
            },
            pad_to_multiple_of: options.pad_to_multiple_of.or(self.config.pad_to_multiple_of),
            ..*options
        };
        let batch = tokenizer.encode_batch(texts, None, &options)?;
        let masked = self.mask(&MaskInput::from_batch(&batch))?;
        Ok((batch, masked))
    }
}
