//! Whole-word masking: the tokens of a word are selected together, with words taken from the
//! tokenizer's word ids (or transformers' offsets rule, or the legacy `##` rule).
//!
//! - `selection: Bernoulli` is transformers 5.x `whole_word_mask=True`: one Bernoulli draw per
//!   word, made at its first token (the draw is laid out over the whole batch as transformers
//!   lays it out, so an exact numpy or torch stream gives transformers' selection), then
//!   expanded to the word.
//! - `selection: ExactCount` is BERT's / the legacy `DataCollatorForWholeWordMask`:
//!   `min(max_predictions, max(1, round(n * p)))` tokens, filled greedily with shuffled whole
//!   words, skipping words that would overflow the count.
//!
//! Replacement: transformers 5.x forces the mask token on every selected token
//! ([`Replacement::MaskOnly`], the default); fairseq decides per word
//! ([`Replacement::PerWord`]); BERT decides per token ([`Replacement::PerToken`]).

use super::exact_count::predictions_for;
use crate::error::Result;
use crate::masking::replace::{apply_groups, Group, Replacement};
use crate::masking::sample;
use crate::masking::words::{words, WordBoundary, WordContext};
use crate::masking::{MaskInput, MaskedBatch, MaskingConfig, Strategy};
use crate::rng::MaskRng;
use crate::schema::Param;
use serde::Deserialize;

/// How words are chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Selection {
    /// Each word independently with `mlm_probability` (transformers 5.x).
    #[default]
    Bernoulli,
    /// A fixed token budget filled with whole words (BERT, legacy transformers).
    ExactCount,
}

/// Options of [`WholeWord`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct WholeWordOptions {
    /// Where words begin.
    pub word_boundary: WordBoundary,
    /// How selected words are replaced.
    pub replacement: Replacement,
    /// How words are chosen.
    pub selection: Selection,
    /// The token budget's cap for [`Selection::ExactCount`] (the legacy collator uses 512).
    pub max_predictions: usize,
}

impl Default for WholeWordOptions {
    fn default() -> Self {
        Self {
            word_boundary: WordBoundary::WordIds,
            replacement: Replacement::MaskOnly,
            selection: Selection::Bernoulli,
            max_predictions: 512,
        }
    }
}

impl WholeWordOptions {
    /// The replacements whole words take. Each selected group is one word, so
    /// [`Replacement::PerSpan`] would be [`Replacement::PerWord`]: it is refused.
    pub const REPLACEMENTS: [Replacement; 3] = [Replacement::MaskOnly, Replacement::PerWord, Replacement::PerToken];

    /// The parameters, with the ranges [`WholeWord::new`] accepts.
    pub fn params() -> Vec<Param> {
        let d = Self::default();
        vec![
            Param::choice::<WordBoundary>("wordBoundary", d.word_boundary as usize),
            Param::choice_of::<Replacement>(
                "replacement",
                d.replacement as usize,
                Self::REPLACEMENTS.map(|r| r as usize),
            ),
            Param::choice::<Selection>("selection", d.selection as usize),
            Param::integer("maxPredictions", d.max_predictions).at_least(1.0),
        ]
    }
}

/// The whole-word strategy.
#[derive(Debug, Clone)]
pub struct WholeWord(WholeWordOptions);

impl WholeWord {
    /// Check the options.
    pub fn new(options: &WholeWordOptions) -> Result<Self> {
        if options.max_predictions == 0 {
            return Err(crate::Error::NotPositive { name: "max_predictions", value: 0 });
        }
        if !WholeWordOptions::REPLACEMENTS.contains(&options.replacement) {
            return Err(crate::Error::InvalidParameter {
                name: "replacement",
                requirement: "must be \"mask\", \"perWord\" or \"perToken\" for whole words: each selected group is one word, so use \"perWord\" for one decision per word",
                value: format!("\"{}\"", crate::schema::variants_of::<Replacement>()[options.replacement as usize]),
            });
        }
        Ok(Self(*options))
    }
}

impl Strategy for WholeWord {
    fn mask(&self, input: &MaskInput, config: &MaskingConfig, rng: &mut dyn MaskRng) -> Result<MaskedBatch> {
        let mut out = MaskedBatch::unmasked(input);
        let eligible = config.eligible(input);
        let context = WordContext { eligible: &eligible, continuation_ids: &config.continuation_ids };
        let rows = words(self.0.word_boundary, input, &context)?;
        let selected: Vec<Vec<Group>> = match self.0.selection {
            Selection::Bernoulli => {
                let mut word_initial = vec![false; input.ids.len()];
                for word in rows.iter().flatten() {
                    word_initial[word.start] = true;
                }
                let mut drawn = vec![false; input.ids.len()];
                rng.bernoulli(config.mlm_probability, Some(&word_initial), &mut drawn);
                if self.0.replacement == Replacement::MaskOnly {
                    // transformers still draws its (forced) mask_replace_prob = 1 over the grid.
                    let mut forced = vec![false; input.ids.len()];
                    rng.bernoulli(1.0, None, &mut forced);
                }
                rows.iter()
                    .map(|row| row.iter().filter(|word| drawn[word.start]).map(|word| vec![word.clone()]).collect())
                    .collect()
            }
            Selection::ExactCount => rows
                .iter()
                .enumerate()
                .map(|(r, row)| {
                    let base = r * input.seq_len;
                    let n = (base..base + input.seq_len).filter(|&i| input.attention_mask[i] != 0).count();
                    let budget = predictions_for(n, config.mlm_probability, self.0.max_predictions);
                    let mut order: Vec<usize> = (0..row.len()).collect();
                    sample::shuffle(rng, &mut order);
                    let (mut taken, mut covered) = (Vec::new(), 0);
                    for w in order {
                        if covered >= budget {
                            break;
                        }
                        if covered + row[w].len() > budget {
                            continue;
                        }
                        covered += row[w].len();
                        taken.push(w);
                    }
                    taken.sort_unstable();
                    taken.into_iter().map(|w| vec![row[w].clone()]).collect()
                })
                .collect(),
        };
        for groups in &selected {
            apply_groups(&mut out, input, config, rng, groups, self.0.replacement);
        }
        Ok(out)
    }
}
