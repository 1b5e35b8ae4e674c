//! Masked-language-model masking: the validated configuration, the [`Strategy`] trait that
//! every masking scheme implements (one per file), and the [`Masker`] that ties a strategy to a
//! random stream.
//!
//! The default strategy, [`TokenStrategy`], is transformers' `DataCollatorForLanguageModeling`.

mod token;

pub use token::TokenStrategy;

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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RandomTokens {
    /// Uniform over `[0, len(tokenizer))`, specials included: transformers' behaviour.
    #[default]
    Vocab,
    /// Uniform over the ids that are not special added tokens: fairseq's behaviour.
    NonSpecial,
}

/// The masking scheme. Each variant is implemented in its own file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum StrategyOptions {
    /// Per-token Bernoulli selection, exactly as transformers does it.
    #[default]
    Token,
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
        }
    }
}

/// Where random replacement ids come from, resolved against a vocabulary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RandomIds {
    /// Every id below this bound.
    Below(u32),
    /// One of these ids.
    OneOf(Vec<u32>),
}

impl RandomIds {
    /// How many ids there are to draw from.
    pub fn count(&self) -> u32 {
        match self {
            RandomIds::Below(n) => *n,
            RandomIds::OneOf(ids) => u32::try_from(ids.len()).unwrap_or(u32::MAX),
        }
    }

    /// The `k`-th id, `k < count()`.
    pub fn get(&self, k: u32) -> u32 {
        match self {
            RandomIds::Below(_) => k,
            RandomIds::OneOf(ids) => ids[k as usize],
        }
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
        let mask_token_id = match (self.mlm, vocab.mask_token_id) {
            (true, None) => return Err(Error::NoMaskToken),
            (_, id) => id.unwrap_or(0),
        };
        let random_ids = match self.random_tokens {
            RandomTokens::Vocab => RandomIds::Below(vocab.vocab_size),
            RandomTokens::NonSpecial => RandomIds::OneOf(
                (0..vocab.vocab_size).filter(|id| vocab.special_ids.binary_search(id).is_err()).collect(),
            ),
        };
        let draws_random_ids = self.mlm && mask < 1.0 && random > 0.0;
        if draws_random_ids && random_ids.count() == 0 {
            return Err(Error::NoRandomCandidates);
        }
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
}

impl<'a> MaskInput<'a> {
    /// View a [`Batch`].
    pub fn from_batch(batch: &'a Batch) -> Self {
        Self {
            ids: &batch.ids,
            special_tokens_mask: &batch.special_tokens_mask,
            attention_mask: &batch.attention_mask,
            batch_size: batch.batch_size,
            seq_len: batch.seq_len,
        }
    }

    /// True where a token may be selected: neither special nor padding.
    pub fn eligible(&self) -> Vec<bool> {
        self.special_tokens_mask
            .iter()
            .zip(self.attention_mask)
            .map(|(&special, &attend)| special == 0 && attend != 0)
            .collect()
    }

    fn check(&self, vocab_size: u32) -> Result<()> {
        let expected = self.batch_size * self.seq_len;
        for (field, actual) in [
            ("ids", self.ids.len()),
            ("specialTokensMask", self.special_tokens_mask.len()),
            ("attentionMask", self.attention_mask.len()),
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

/// The result of masking a batch, row-major like the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MaskedBatch {
    /// Rows.
    pub batch_size: usize,
    /// Row length.
    pub seq_len: usize,
    /// The ids the model sees.
    pub input_ids: Vec<i32>,
    /// The original id where a token was selected, [`IGNORE_INDEX`] elsewhere.
    pub labels: Vec<i32>,
    /// Copied from the input.
    pub attention_mask: Vec<u8>,
    /// [`Outcome`] of each position, as its `u8` value.
    pub outcome: Vec<u8>,
}

impl MaskedBatch {
    /// The unmasked starting point: ids copied, every label ignored, nothing selected.
    pub fn unmasked(input: &MaskInput) -> Self {
        Self {
            batch_size: input.batch_size,
            seq_len: input.seq_len,
            input_ids: input.ids.iter().map(|&id| id as i32).collect(),
            labels: vec![IGNORE_INDEX; input.ids.len()],
            attention_mask: input.attention_mask.to_vec(),
            outcome: vec![Outcome::Unselected as u8; input.ids.len()],
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
    /// Select and replace tokens of `input`, writing into `out`, which starts as
    /// [`MaskedBatch::unmasked`].
    fn mask(&self, input: &MaskInput, config: &MaskingConfig, rng: &mut dyn MaskRng, out: &mut MaskedBatch);
}

fn strategy_for(options: StrategyOptions) -> Box<dyn Strategy> {
    match options {
        StrategyOptions::Token => Box::new(TokenStrategy),
    }
}

/// A configured masking scheme with its random stream. The stream carries over between calls,
/// like the seeded collator's generator, so batch `k` depends on the seed and on batches
/// `0..k`.
pub struct Masker {
    config: MaskingConfig,
    strategy: Box<dyn Strategy>,
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
            strategy: strategy_for(options.strategy),
            rng_kind: options.rng,
            rng: seeded(options.rng, seed),
        })
    }

    /// The validated configuration.
    pub fn config(&self) -> &MaskingConfig {
        &self.config
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
        let mut out = MaskedBatch::unmasked(input);
        if self.config.mlm {
            self.strategy.mask(input, &self.config, self.rng.as_mut(), &mut out);
        } else {
            // transformers: `labels[labels == pad_token_id] = -100`, so an EOS that doubles as
            // the pad token is ignored too.
            let pad = self.config.pad_token_id;
            for (label, &id) in out.labels.iter_mut().zip(input.ids) {
                *label = if Some(id) == pad { IGNORE_INDEX } else { id as i32 };
            }
        }
        Ok(out)
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
