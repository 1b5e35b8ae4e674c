//! Per-token masking, step for step as transformers' `DataCollatorForLanguageModeling`
//! (`numpy_mask_tokens` / `torch_mask_tokens`):
//!
//! 1. every token that is neither special nor padding is selected with `mlm_probability`;
//! 2. labels keep the original id where selected, -100 elsewhere;
//! 3. a `mask_replace_prob` draw over the whole grid picks the selected tokens that become the
//!    mask token;
//! 4. if `mask_replace_prob == 1` or `random_replace_prob == 0`, stop;
//! 5. a draw with `random_replace_prob / (1 - mask_replace_prob)` over the whole grid picks,
//!    among the selected and unmasked tokens, those that become a random id;
//! 6. the random ids are drawn for exactly those cells, in row-major order;
//! 7. the remaining selected tokens keep their id (and their label).
//!
//! "Over the whole grid" holds for the numpy and torch streams, which must reproduce
//! transformers' draws. mlmask's own stream (`MaskRng::draws_full_grid` false) takes one pass
//! instead: a selection draw per eligible token, then for a selected token one draw that picks
//! mask (`mask_replace_prob`), random (`random_replace_prob`) or keep, and its random id. The
//! probabilities are the same; the work is one loop instead of six grids, which made masking
//! alone three times faster in WebAssembly.

use crate::error::Result;
use crate::masking::{MaskInput, MaskedBatch, MaskingConfig, Outcome, Strategy};
use crate::rng::MaskRng;

/// transformers' per-token Bernoulli masking.
#[derive(Debug, Clone, Copy, Default)]
pub struct TokenStrategy;

impl Strategy for TokenStrategy {
    fn mask(&self, input: &MaskInput, config: &MaskingConfig, rng: &mut dyn MaskRng) -> Result<MaskedBatch> {
        if !rng.draws_full_grid() {
            return Ok(one_pass(input, config, rng));
        }
        let mut out = MaskedBatch::unmasked(input);
        let cells = input.ids.len();
        let mut selected = vec![false; cells];
        rng.bernoulli(config.mlm_probability, Some(&config.eligible(input)), &mut selected);

        let mut masked = vec![false; cells];
        rng.bernoulli(config.mask_replace_prob, None, &mut masked);
        for i in 0..cells {
            if !selected[i] {
                continue;
            }
            out.labels[i] = input.ids[i] as i32;
            if masked[i] {
                out.input_ids[i] = config.mask_token_id as i32;
                out.outcome[i] = Outcome::Mask as u8;
            } else {
                out.outcome[i] = Outcome::Kept as u8;
            }
        }
        if config.mask_replace_prob == 1.0 || config.random_replace_prob == 0.0 {
            return Ok(out);
        }

        let mut random = vec![false; cells];
        rng.bernoulli(config.random_given_unmasked, None, &mut random);
        for i in 0..cells {
            random[i] &= selected[i] && !masked[i];
        }
        let mut draws = vec![0u32; cells];
        config.random_ids.draw(rng, &random, &mut draws);
        for i in (0..cells).filter(|&i| random[i]) {
            out.input_ids[i] = draws[i] as i32;
            out.outcome[i] = Outcome::Random as u8;
        }
        Ok(out)
    }
}

/// The same selection and replacement probabilities in one pass, drawing only where a draw
/// decides something (for streams not bound to transformers' draws).
fn one_pass(input: &MaskInput, config: &MaskingConfig, rng: &mut dyn MaskRng) -> MaskedBatch {
    let mut out = MaskedBatch::unmasked(input);
    let (p, mask_p, random_p) = (config.mlm_probability, config.mask_replace_prob, config.random_replace_prob);
    for i in 0..input.ids.len() {
        // As `bernoulli`: p = 0 draws nothing, p = 1 still draws.
        if !config.eligible_at(input, i) || p == 0.0 || rng.next_unit() >= p {
            continue;
        }
        out.labels[i] = input.ids[i] as i32;
        let u = if mask_p == 1.0 { 0.0 } else { rng.next_unit() };
        if u < mask_p {
            out.input_ids[i] = config.mask_token_id as i32;
            out.outcome[i] = Outcome::Mask as u8;
        } else if u < mask_p + random_p {
            out.input_ids[i] = config.random_ids.draw_one(rng) as i32;
            out.outcome[i] = Outcome::Random as u8;
        } else {
            out.outcome[i] = Outcome::Kept as u8;
        }
    }
    out
}
