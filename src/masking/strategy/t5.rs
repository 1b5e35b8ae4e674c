//! T5 span corruption (`random_spans_noise_mask`, as in HF's `FlaxDataCollatorForT5MLM` and
//! T5's `preprocessors`): of the `n` selectable tokens of a sequence,
//! `num_noise = min(max(round(n * noise_density), 1), n - 1)` form
//! `num_spans = max(round(num_noise / mean_noise_span_length), 1)` noise spans, their lengths
//! and the gaps between them drawn by random segmentation; noise spans never start at the first
//! selectable token. Each noise span becomes one sentinel (`<extra_id_0>`, `<extra_id_1>`, ...,
//! numbered per sequence) in the encoder input; the labels are the target sequence
//! `<extra_id_0> span₀ <extra_id_1> span₁ ... </s>`.
//!
//! Differences: special tokens (`</s>`, ...) are never noise and stay in the encoder input where
//! they were; `num_spans` is also capped by the number of non-noise tokens (T5 assumes it is
//! not larger); sentinels are looked up by name, not as `len(tokenizer) - k`.

use crate::error::{Error, Result};
use crate::masking::sample;
use crate::masking::{MaskInput, MaskedBatch, MaskingConfig, Outcome, Strategy, IGNORE_INDEX};
use crate::rng::MaskRng;
use crate::schema::Param;
use crate::tokenize::VocabInfo;
use serde::Deserialize;

/// Options of [`T5SpanCorruption`].
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct T5Options {
    /// The share of tokens that are noise.
    pub noise_density: f64,
    /// The mean length of a noise span, in tokens.
    pub mean_noise_span_length: f64,
}

impl Default for T5Options {
    fn default() -> Self {
        Self { noise_density: 0.15, mean_noise_span_length: 3.0 }
    }
}

impl T5Options {
    /// The parameters, with the ranges [`T5SpanCorruption::new`] accepts.
    pub fn params() -> Vec<Param> {
        let d = Self::default();
        vec![
            Param::number("noiseDensity", d.noise_density).within(0.0, 1.0),
            Param::number("meanNoiseSpanLength", d.mean_noise_span_length).at_least(1.0),
        ]
    }
}

/// The T5 strategy.
#[derive(Debug, Clone)]
pub struct T5SpanCorruption {
    options: T5Options,
    tokens: SentinelTokens,
}

/// The tokens sentinel corruption writes: the sentinels in order, the EOS that ends a target,
/// and the pad id rows are padded with.
#[derive(Debug, Clone)]
pub(super) struct SentinelTokens {
    sentinels: Vec<u32>,
    eos: u32,
    pad: Option<u32>,
}

impl SentinelTokens {
    /// Find them in `vocab`, for `strategy` (named in the errors).
    pub(super) fn find(vocab: &VocabInfo, strategy: &'static str) -> Result<Self> {
        if vocab.sentinel_ids.is_empty() {
            return Err(Error::MissingStrategyToken {
                strategy,
                token: "<extra_id_0>".into(),
                hint: "; use a T5-style tokenizer, whose vocabulary has the <extra_id_N> sentinels",
            });
        }
        let eos = vocab.eos_token_id.ok_or_else(|| Error::MissingStrategyToken {
            strategy,
            token: "</s>".into(),
            hint: " to end the target sequence",
        })?;
        Ok(Self { sentinels: vocab.sentinel_ids.clone(), eos, pad: vocab.pad_token_id })
    }
}

/// Check T5's two parameters.
pub(super) fn check_noise(noise_density: f64, mean_noise_span_length: f64) -> Result<()> {
    if !(0.0..=1.0).contains(&noise_density) {
        return Err(Error::ProbabilityOutOfRange { name: "noise_density", value: noise_density });
    }
    if !(mean_noise_span_length >= 1.0 && mean_noise_span_length.is_finite()) {
        return Err(Error::InvalidParameter {
            name: "mean_noise_span_length",
            requirement: "must be a number of at least 1",
            value: mean_noise_span_length.to_string(),
        });
    }
    Ok(())
}

impl T5SpanCorruption {
    /// Check the options and find the sentinel and EOS tokens.
    pub fn new(options: &T5Options, vocab: &VocabInfo) -> Result<Self> {
        check_noise(options.noise_density, options.mean_noise_span_length)?;
        Ok(Self { options: *options, tokens: SentinelTokens::find(vocab, "t5SpanCorruption")? })
    }
}

/// Which of `length` tokens are noise: T5's `random_spans_noise_mask`.
pub(super) fn noise_mask(
    length: usize,
    noise_density: f64,
    mean_noise_span_length: f64,
    rng: &mut dyn MaskRng,
) -> Vec<bool> {
    if length < 2 {
        return vec![false; length];
    }
    let num_noise = sample::round_half_even(length as f64 * noise_density).clamp(1, length - 1);
    let num_nonnoise = length - num_noise;
    let num_spans =
        sample::round_half_even(num_noise as f64 / mean_noise_span_length).max(1).min(num_noise).min(num_nonnoise);
    let noise = random_segmentation(rng, num_noise, num_spans);
    let gaps = random_segmentation(rng, num_nonnoise, num_spans);
    let mut mask = Vec::with_capacity(length);
    for (gap, span) in gaps.into_iter().zip(noise) {
        mask.extend(std::iter::repeat_n(false, gap));
        mask.extend(std::iter::repeat_n(true, span));
    }
    mask
}

/// Split `items` into `segments` non-empty runs uniformly at random; their lengths, in order.
pub(super) fn random_segmentation(rng: &mut dyn MaskRng, items: usize, segments: usize) -> Vec<usize> {
    let mut first_of_segment = vec![false; items.saturating_sub(1)];
    first_of_segment[..segments - 1].fill(true);
    sample::shuffle(rng, &mut first_of_segment);
    let mut lengths = vec![1];
    for boundary in first_of_segment {
        if boundary {
            lengths.push(1);
        } else if let Some(last) = lengths.last_mut() {
            *last += 1;
        }
    }
    lengths
}

/// The eligible positions of each row, in order.
pub(super) fn text_of_rows(input: &MaskInput, config: &MaskingConfig) -> Vec<Vec<usize>> {
    let eligible = config.eligible(input);
    (0..input.batch_size)
        .map(|row| (row * input.seq_len..(row + 1) * input.seq_len).filter(|&i| eligible[i]).collect())
        .collect()
}

/// Encoder inputs and targets being built, row by row, by sentinel corruption.
pub(super) struct Corrupted {
    inputs: Vec<Vec<i32>>,
    targets: Vec<Vec<i32>>,
    span_ids: Vec<i32>,
}

impl Corrupted {
    pub(super) fn new(input: &MaskInput) -> Self {
        Self { inputs: Vec::new(), targets: Vec::new(), span_ids: vec![-1; input.ids.len()] }
    }

    /// Corrupt one row: each run of noise positions becomes the next sentinel in the encoder
    /// input and, after that sentinel, the run's ids in the target (without `sentinels`: the
    /// noise goes to the target as it is, a prefix-LM split). `prefix` goes first in the encoder
    /// input (UL2's mode token). `noise` holds the row's noise positions, sorted.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn row(
        &mut self,
        input: &MaskInput,
        row: usize,
        noise: &[usize],
        tokens: &SentinelTokens,
        sentinels: bool,
        prefix: &[u32],
        strategy: &'static str,
        out: &mut MaskedBatch,
    ) -> Result<()> {
        let mut is_noise = noise.iter().copied().peekable();
        let (mut encoder, mut target) = (prefix.iter().map(|&id| id as i32).collect::<Vec<_>>(), Vec::new());
        let mut span = -1i32;
        let first = row * input.seq_len;
        for i in first..first + input.seq_len {
            if input.attention_mask[i] == 0 {
                continue;
            }
            if is_noise.peek() != Some(&i) {
                encoder.push(input.ids[i] as i32);
                continue;
            }
            is_noise.next();
            // Without sentinels all the noise is one span (a prefix-LM target).
            let starts_span = if sentinels { i == first || self.span_ids[i - 1] < 0 } else { span < 0 };
            if starts_span {
                span += 1;
                if sentinels {
                    let sentinel =
                        *tokens.sentinels.get(span as usize).ok_or_else(|| Error::MissingStrategyToken {
                            strategy,
                            token: format!("<extra_id_{span}>"),
                            hint: "; this sequence has more noise spans than the tokenizer has sentinels: lower noiseDensity or raise meanNoiseSpanLength",
                        })?;
                    encoder.push(sentinel as i32);
                    target.push(sentinel as i32);
                }
            }
            target.push(input.ids[i] as i32);
            self.span_ids[i] = span;
            out.outcome[i] = Outcome::Mask as u8;
        }
        target.push(tokens.eos as i32);
        self.inputs.push(encoder);
        self.targets.push(target);
        Ok(())
    }

    /// Lay the rows out in `out`: encoder inputs padded with the pad id, targets with -100.
    pub(super) fn finish(self, tokens: &SentinelTokens, out: &mut MaskedBatch) -> Result<()> {
        let (input_ids, attention_mask, seq_len) = pad_rows(&self.inputs, tokens.pad)?;
        let (labels, _, labels_len) = pad_rows_with(&self.targets, IGNORE_INDEX);
        out.input_ids = input_ids;
        out.attention_mask = attention_mask;
        out.seq_len = seq_len;
        out.labels = labels;
        out.labels_len = labels_len;
        out.span_ids = Some(self.span_ids);
        Ok(())
    }
}

impl Strategy for T5SpanCorruption {
    fn mask(&self, input: &MaskInput, config: &MaskingConfig, rng: &mut dyn MaskRng) -> Result<MaskedBatch> {
        let mut out = MaskedBatch::unmasked(input);
        let mut corrupted = Corrupted::new(input);
        for (row, text) in text_of_rows(input, config).into_iter().enumerate() {
            let mask = noise_mask(text.len(), self.options.noise_density, self.options.mean_noise_span_length, rng);
            let noise: Vec<usize> = text.iter().zip(&mask).filter(|(_, &n)| n).map(|(&i, _)| i).collect();
            corrupted.row(input, row, &noise, &self.tokens, true, &[], "t5SpanCorruption", &mut out)?;
        }
        corrupted.finish(&self.tokens, &mut out)?;
        Ok(out)
    }
}

/// Rows padded to the longest with the pad id (an error if padding is needed and there is none),
/// their attention mask, and the row length.
pub fn pad_rows(rows: &[Vec<i32>], pad: Option<u32>) -> Result<(Vec<i32>, Vec<u8>, usize)> {
    let longest = rows.iter().map(Vec::len).max().unwrap_or(0);
    let needs_padding = rows.iter().any(|r| r.len() < longest);
    let pad = match pad {
        Some(pad) => pad as i32,
        None if needs_padding => return Err(Error::NoPadToken),
        None => 0,
    };
    Ok(pad_rows_with(rows, pad))
}

/// Rows padded to the longest with `value`, their attention mask, and the row length.
pub fn pad_rows_with(rows: &[Vec<i32>], value: i32) -> (Vec<i32>, Vec<u8>, usize) {
    let longest = rows.iter().map(Vec::len).max().unwrap_or(0);
    let mut ids = Vec::with_capacity(rows.len() * longest);
    let mut attention = Vec::with_capacity(rows.len() * longest);
    for row in rows {
        ids.extend(row);
        ids.extend(std::iter::repeat_n(value, longest - row.len()));
        attention.extend(std::iter::repeat_n(1, row.len()));
        attention.extend(std::iter::repeat_n(0, longest - row.len()));
    }
    (ids, attention, longest)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::masking::sample::{chi_square, cumulative, CHI_SQUARE_999};
    use crate::rng::MlmaskRng;

    #[test]
    fn noise_masks_have_t5s_counts_and_never_start_with_noise() {
        let vocab = VocabInfo { sentinel_ids: (0..100).collect(), eos_token_id: Some(1), ..VocabInfo::default() };
        let t5 = T5SpanCorruption::new(&T5Options::default(), &vocab).unwrap();
        let mut rng = MlmaskRng::from_seed(1);
        for length in [2, 3, 10, 57, 100, 512] {
            let mask = noise_mask(length, t5.options.noise_density, t5.options.mean_noise_span_length, &mut rng);
            let noise = mask.iter().filter(|&&m| m).count();
            assert_eq!(noise, ((length as f64 * 0.15).round_ties_even() as usize).clamp(1, length - 1));
            let spans = mask.windows(2).filter(|w| !w[0] && w[1]).count();
            assert_eq!(spans, ((noise as f64 / 3.0).round_ties_even() as usize).max(1).min(length - noise));
            assert!(!mask[0]);
        }
    }

    #[test]
    fn random_segmentation_is_uniform_over_compositions() {
        // 6 items in 3 non-empty segments: the first segment's length is 1..=4 with weights
        // C(5 - l, 1) = 4, 3, 2, 1 over the C(5, 2) = 10 compositions.
        let mut rng = MlmaskRng::from_seed(3);
        let cdf = cumulative([4.0, 3.0, 2.0, 1.0]);
        let (stat, df) = chi_square(&cdf, (0..20_000).map(|_| random_segmentation(&mut rng, 6, 3)[0] - 1));
        assert!(stat < CHI_SQUARE_999[df - 1], "chi-square {stat:.2} with {df} df");
    }
}
