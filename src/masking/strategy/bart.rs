//! BART text infilling (fairseq `DenoisingDataset.add_whole_word_mask` with
//! `mask_length='span-poisson'` and `replace_length=1`): `ceil(words * mask_ratio)` words are
//! covered by spans whose lengths (in words) are drawn from Poisson(λ) until they add up to the
//! budget (the last one trimmed); each span starts at a distinct random word, its first token
//! becomes one mask token (or, with probability `random_ratio`, a random id) and the rest of its
//! tokens are deleted. Zero-length spans become insertions of a mask token at random places.
//! The labels are the original sequence.
//!
//! Differences: random ids follow `randomTokens` (fairseq draws from `[1, len(vocab))`); a span
//! whose start word an earlier span already covered is dropped instead of compounding; the
//! Poisson table is cut past its mode (fairseq's cut empties it for λ above about 16); at most
//! `4 * budget + 16` spans are drawn per sequence, the rest of the budget going to one last span.

use crate::error::{Error, Result};
use crate::masking::sample;
use crate::masking::words::{words, WordBoundary, WordContext};
use crate::masking::{MaskInput, MaskedBatch, MaskingConfig, Outcome, Strategy, IGNORE_INDEX};
use crate::rng::MaskRng;
use crate::schema::Param;
use serde::Deserialize;

/// Options of [`BartInfilling`].
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct BartOptions {
    /// The share of words covered by spans.
    pub mask_ratio: f64,
    /// λ of the span-length distribution.
    pub poisson_lambda: f64,
    /// The chance that a span (or an insertion) becomes a random id instead of the mask token.
    pub random_ratio: f64,
    /// Where words begin.
    pub word_boundary: WordBoundary,
}

impl Default for BartOptions {
    fn default() -> Self {
        Self { mask_ratio: 0.3, poisson_lambda: 3.0, random_ratio: 0.0, word_boundary: WordBoundary::WordIds }
    }
}

/// The largest `poisson_lambda`: the span-length table is cut past its mode.
const MAX_POISSON_LAMBDA: f64 = 64.0;

impl BartOptions {
    /// The parameters, with the ranges [`BartInfilling::new`] accepts.
    pub fn params() -> Vec<Param> {
        let d = Self::default();
        vec![
            Param::number("maskRatio", d.mask_ratio).within(0.0, 1.0),
            Param::number("poissonLambda", d.poisson_lambda).above(0.0).at_most(MAX_POISSON_LAMBDA),
            Param::number("randomRatio", d.random_ratio).within(0.0, 1.0),
            Param::choice::<WordBoundary>("wordBoundary", d.word_boundary as usize),
        ]
    }
}

/// The BART strategy.
#[derive(Debug, Clone)]
pub struct BartInfilling {
    options: BartOptions,
    cdf: Vec<f64>,
}

impl BartInfilling {
    /// Check the options.
    pub fn new(options: &BartOptions) -> Result<Self> {
        for (name, value) in [("mask_ratio", options.mask_ratio), ("random_ratio", options.random_ratio)] {
            if !(0.0..=1.0).contains(&value) {
                return Err(Error::ProbabilityOutOfRange { name, value });
            }
        }
        if !(options.poisson_lambda > 0.0 && options.poisson_lambda <= MAX_POISSON_LAMBDA) {
            return Err(Error::InvalidParameter {
                name: "poisson_lambda",
                requirement: "must be a number in (0, 64]",
                value: options.poisson_lambda.to_string(),
            });
        }
        Ok(Self { options: *options, cdf: sample::poisson_cdf(options.poisson_lambda) })
    }

    /// Span lengths in words adding up to `budget`, the last trimmed; zeros are insertions.
    fn span_lengths(&self, budget: usize, rng: &mut dyn MaskRng) -> Vec<usize> {
        let mut lengths = Vec::new();
        let mut total = 0;
        while total < budget {
            // A small λ draws mostly empty spans; bound the insertions they become.
            let length =
                if lengths.len() >= 4 * budget + 16 { budget - total } else { sample::from_cdf(rng, &self.cdf) };
            let length = length.min(budget - total);
            total += length;
            lengths.push(length);
        }
        lengths
    }

    fn replacement(&self, config: &MaskingConfig, rng: &mut dyn MaskRng) -> (i32, Outcome) {
        if self.options.random_ratio > 0.0 && rng.next_unit() < self.options.random_ratio {
            (config.random_ids.draw_one(rng) as i32, Outcome::Random)
        } else {
            (config.mask_token_id as i32, Outcome::Mask)
        }
    }
}

impl Strategy for BartInfilling {
    fn mask(&self, input: &MaskInput, config: &MaskingConfig, rng: &mut dyn MaskRng) -> Result<MaskedBatch> {
        let mut out = MaskedBatch::unmasked(input);
        let eligible = config.eligible(input);
        let context = WordContext { eligible: &eligible, continuation_ids: &config.continuation_ids };
        let mut span_ids = vec![-1; input.ids.len()];
        let mut sources = Vec::with_capacity(input.batch_size);
        for (r, row) in words(self.options.word_boundary, input, &context)?.into_iter().enumerate() {
            let budget = (row.len() as f64 * self.options.mask_ratio).ceil() as usize;
            let lengths = self.span_lengths(budget, rng);
            let spans: Vec<usize> = lengths.iter().copied().filter(|&l| l > 0).collect();
            let insertions = lengths.len() - spans.len();
            let mut starts: Vec<usize> = (0..row.len()).collect();
            sample::shuffle(rng, &mut starts);
            // What replaces each position: None keeps it, Some(None) deletes it.
            let mut replaced: Vec<Option<Option<i32>>> = vec![None; input.seq_len];
            let base = r * input.seq_len;
            let mut covered = vec![false; row.len()];
            let mut span_number = 0;
            let mut by_start: Vec<(usize, usize)> = starts.into_iter().zip(spans).collect();
            by_start.sort_unstable();
            for (start, length) in by_start {
                if covered[start] {
                    continue;
                }
                let (id, outcome) = self.replacement(config, rng);
                let end = (start + length).min(row.len());
                for (w, word) in row.iter().enumerate().take(end).skip(start) {
                    if covered[w] {
                        break;
                    }
                    covered[w] = true;
                    for i in word.clone() {
                        replaced[i - base] = Some(if i == row[start].start { Some(id) } else { None });
                        out.outcome[i] = outcome as u8;
                        span_ids[i] = span_number;
                    }
                }
                span_number += 1;
            }
            // The new row, then insertions before random text tokens (or after the last one).
            let mut source: Vec<i32> = Vec::with_capacity(input.seq_len + insertions);
            let mut text_slots = Vec::new();
            for j in 0..input.seq_len {
                if input.attention_mask[base + j] == 0 {
                    continue;
                }
                match replaced[j] {
                    None => {
                        if eligible[base + j] {
                            text_slots.push(source.len());
                        }
                        source.push(input.ids[base + j] as i32);
                    }
                    Some(Some(id)) => source.push(id),
                    Some(None) => {}
                }
            }
            if let Some(&last) = text_slots.last() {
                text_slots.push(last + 1);
                sample::shuffle(rng, &mut text_slots);
                let mut at: Vec<usize> = text_slots.into_iter().take(insertions).collect();
                at.sort_unstable_by(|a, b| b.cmp(a));
                for slot in at {
                    let (id, _) = self.replacement(config, rng);
                    source.insert(slot, id);
                }
            }
            sources.push(source);
        }
        let (input_ids, attention_mask, seq_len) = super::t5::pad_rows(&sources, config.pad_token_id)?;
        for (label, (&id, &attend)) in out.labels.iter_mut().zip(input.ids.iter().zip(input.attention_mask)) {
            *label = if attend != 0 { id as i32 } else { IGNORE_INDEX };
        }
        out.input_ids = input_ids;
        out.attention_mask = attention_mask;
        out.seq_len = seq_len;
        out.span_ids = Some(span_ids);
        Ok(out)
    }
}
