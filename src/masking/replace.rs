//! Turning selected groups into replacements, shared by the group-level strategies.

use std::ops::Range;

use super::{MaskInput, MaskedBatch, MaskingConfig, Outcome};
use crate::rng::MaskRng;

/// How selected tokens are replaced. The split comes from `maskReplaceProb` and
/// `randomReplaceProb`; a random replacement draws a separate id for every token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Replacement {
    /// Every selected token becomes the mask token (transformers 5.x whole-word masking).
    #[serde(rename = "mask")]
    MaskOnly,
    /// One mask / random / keep decision per token (BERT's `create_pretraining_data.py`).
    PerToken,
    /// One decision per word, applied to all its tokens (fairseq's whole-word masking).
    PerWord,
    /// One decision per selected group: span, n-gram (SpanBERT's `replacement='span'`).
    PerSpan,
}

/// One selected group: its words, each a range of row-major positions.
pub type Group = Vec<Range<usize>>;

fn decide(rng: &mut dyn MaskRng, config: &MaskingConfig, replacement: Replacement) -> Outcome {
    if replacement == Replacement::MaskOnly {
        return Outcome::Mask;
    }
    let u = rng.next_unit();
    if u < config.mask_replace_prob {
        Outcome::Mask
    } else if u < config.mask_replace_prob + config.random_replace_prob {
        Outcome::Random
    } else {
        Outcome::Kept
    }
}

/// Label, replace and number the groups of one row (`groups` in position order; group `k` gets
/// span id `k`).
pub fn apply_groups(
    out: &mut MaskedBatch,
    input: &MaskInput,
    config: &MaskingConfig,
    rng: &mut dyn MaskRng,
    groups: &[Group],
    replacement: Replacement,
) {
    let span_ids = out.span_ids.get_or_insert_with(|| vec![-1; input.ids.len()]);
    for (k, group) in groups.iter().enumerate() {
        for position in group.iter().flat_map(Range::clone) {
            span_ids[position] = k as i32;
        }
    }
    for group in groups {
        let mut outcome = decide(rng, config, replacement);
        for word in group {
            if replacement == Replacement::PerWord {
                outcome = decide(rng, config, replacement);
            }
            for position in word.clone() {
                if replacement == Replacement::PerToken {
                    outcome = decide(rng, config, replacement);
                }
                set(out, input, config, rng, position, outcome);
            }
        }
    }
}

/// Record one selected position with its outcome.
pub fn set(
    out: &mut MaskedBatch,
    input: &MaskInput,
    config: &MaskingConfig,
    rng: &mut dyn MaskRng,
    position: usize,
    outcome: Outcome,
) {
    out.labels[position] = input.ids[position] as i32;
    out.outcome[position] = outcome as u8;
    out.input_ids[position] = match outcome {
        Outcome::Mask => config.mask_token_id as i32,
        Outcome::Random => config.random_ids.draw_one(rng) as i32,
        Outcome::Kept | Outcome::Unselected => input.ids[position] as i32,
    };
}
