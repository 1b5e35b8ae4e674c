//! A fixed number of tokens per sequence, as BERT's `create_pretraining_data.py`, TF Text's
//! `RandomItemSelector` and ELECTRA count them:
//! `min(max_predictions, max(1, round(n * mlm_probability)))` distinct tokens, chosen uniformly
//! without replacement, each then masked / replaced / kept on its own. The output adds BERT's
//! `masked_lm_positions` / `_ids` / `_weights`, padded to `max_predictions`.

use crate::error::{Error, Result};
use crate::masking::replace::{apply_groups, Replacement};
use crate::masking::sample;
use crate::masking::{MaskInput, MaskedBatch, MaskingConfig, Predictions, Strategy};
use crate::rng::MaskRng;
use crate::schema::Param;
use serde::Deserialize;

/// Options of [`ExactCount`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct ExactCountOptions {
    /// At most this many predictions per sequence; also the length of the prediction lists
    /// (BERT's `max_predictions_per_seq`, 20 in its README for 128-token sequences).
    pub max_predictions: usize,
    /// Count special tokens in `n`, as BERT does (`len(tokens)` includes `[CLS]` and `[SEP]`);
    /// false counts only the selectable tokens, as TF Text does.
    pub count_special_tokens: bool,
}

impl Default for ExactCountOptions {
    fn default() -> Self {
        Self { max_predictions: 20, count_special_tokens: true }
    }
}

impl ExactCountOptions {
    /// The parameters, with the ranges [`ExactCount::new`] accepts.
    pub fn params() -> Vec<Param> {
        let d = Self::default();
        vec![
            Param::integer("maxPredictions", d.max_predictions).at_least(1.0),
            Param::boolean("countSpecialTokens", d.count_special_tokens),
        ]
    }
}

/// The exact-count strategy.
#[derive(Debug, Clone)]
pub struct ExactCount(ExactCountOptions);

impl ExactCount {
    /// Check the options.
    pub fn new(options: &ExactCountOptions) -> Result<Self> {
        if options.max_predictions == 0 {
            return Err(Error::NotPositive { name: "max_predictions", value: 0 });
        }
        Ok(Self(*options))
    }
}

/// BERT's number of predictions for a sequence that counts `n` tokens.
pub fn predictions_for(n: usize, p: f64, max_predictions: usize) -> usize {
    max_predictions.min(sample::round_half_even(n as f64 * p).max(1))
}

impl Strategy for ExactCount {
    fn mask(&self, input: &MaskInput, config: &MaskingConfig, rng: &mut dyn MaskRng) -> Result<MaskedBatch> {
        let mut out = MaskedBatch::unmasked(input);
        let eligible = config.eligible(input);
        let max = self.0.max_predictions;
        let mut predictions = Predictions {
            max_predictions: max,
            positions: vec![0; input.batch_size * max],
            ids: vec![0; input.batch_size * max],
            weights: vec![0.0; input.batch_size * max],
        };
        for row in 0..input.batch_size {
            let base = row * input.seq_len;
            let cells = base..base + input.seq_len;
            let mut candidates: Vec<usize> = cells.clone().filter(|&i| eligible[i]).collect();
            let n = if self.0.count_special_tokens {
                cells.filter(|&i| input.attention_mask[i] != 0).count()
            } else {
                candidates.len()
            };
            let count = predictions_for(n, config.mlm_probability, max).min(candidates.len());
            sample::shuffle(rng, &mut candidates);
            let mut chosen = candidates[..count].to_vec();
            chosen.sort_unstable();
            let groups: Vec<_> = chosen.iter().map(|&i| std::iter::once(i..i + 1).collect()).collect();
            apply_groups(&mut out, input, config, rng, &groups, Replacement::PerToken);
            for (k, &position) in chosen.iter().enumerate() {
                predictions.positions[row * max + k] = (position - base) as i32;
                predictions.ids[row * max + k] = input.ids[position] as i32;
                predictions.weights[row * max + k] = 1.0;
            }
        }
        out.span_ids = None;
        out.predictions = Some(predictions);
        Ok(out)
    }
}
