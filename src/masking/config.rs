//! [`MaskingOptions`] checked against a tokenizer's vocabulary, once: the [`MaskingConfig`]
//! every strategy reads, and the ids random replacement draws from.

use super::input::MaskInput;
use super::options::{MaskingOptions, RandomTokens, SpecialTokens};
use super::sample;
use super::strategy::{BartOptions, StrategyOptions};
use crate::error::{Error, Result};
use crate::rng::{MaskRng, MAX_SAFE_SEED};
use crate::tokenize::VocabInfo;

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
        input.is_text_at(i) && (self.never_select.is_empty() || self.never_select.binary_search(&input.ids[i]).is_err())
    }
}

impl MaskingOptions {
    /// Check every option against the vocabulary, once.
    pub fn validate(&self, vocab: &VocabInfo) -> Result<MaskingConfig> {
        for (name, value) in [
            ("mlm_probability", self.mlm_probability),
            ("mask_replace_prob", self.mask_replace_prob),
            ("random_replace_prob", self.random_replace_prob),
        ] {
            if !(0.0..=1.0).contains(&value) {
                return Err(Error::ProbabilityOutOfRange { name, value });
            }
        }
        let (mask, random) = (self.mask_replace_prob, self.random_replace_prob);
        if mask + random > 1.0 {
            return Err(Error::ReplacementSplitAboveOne { mask, random, sum: mask + random });
        }
        if !(1..=super::options::MAX_VIEWS).contains(&self.views) {
            return Err(Error::InvalidParameter {
                name: "views",
                requirement: "must be an integer from 1 to 1024",
                value: self.views.to_string(),
            });
        }
        if self.pad_to_multiple_of == Some(0) {
            return Err(Error::NotPositive { name: "pad_to_multiple_of", value: 0 });
        }
        if let Some(seed) = self.seed {
            if seed > MAX_SAFE_SEED {
                return Err(Error::InvalidSeed(seed as f64));
            }
        }
        let needs_mask_token = self.mlm && self.strategy.uses_mask_token();
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
                        name: "random_tokens.weights",
                        requirement: "must have one weight per id of the vocabulary (`vocab_size` entries)",
                        value: format!("{} entries for a vocabulary of {}", weights.len(), vocab.vocab_size),
                    });
                }
                if let Some(bad) = weights.iter().find(|w| !w.is_finite() || **w < 0.0) {
                    return Err(Error::InvalidParameter {
                        name: "random_tokens.weights",
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
