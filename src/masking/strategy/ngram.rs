//! MacBERT / ERNIE-style n-gram masking over whole words: `round(p * words)` words per sequence
//! are covered by n-grams of 1 to `max_n` consecutive words, `n` drawn with probabilities that
//! default to 0.4 / 0.3 / 0.2 / 0.1, starting from words in random order; an n-gram that would
//! overlap a chosen one, run off the end, or overflow the budget is shortened (the ALBERT
//! `create_pretraining_data.py` rule), so the budget is met exactly whenever there are enough
//! words. MacBERT replaces with similar words; mlmask uses the mask token, random ids and
//! keeping instead (`maskReplaceProb`, `randomReplaceProb`).

use crate::error::{Error, Result};
use crate::masking::replace::{apply_groups, Group, Replacement};
use crate::masking::sample;
use crate::masking::words::{words, WordBoundary, WordContext};
use crate::masking::{MaskInput, MaskedBatch, MaskingConfig, Strategy};
use crate::rng::MaskRng;
use crate::schema::{Kind, Param};
use serde::Deserialize;

/// Options of [`Ngram`].
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct NgramOptions {
    /// The longest n-gram, in words.
    pub max_n: usize,
    /// The probability of each n from 1 to `max_n` (normalised); `None` gives MacBERT's
    /// 0.4 / 0.3 / 0.2 / 0.1 for `max_n = 4` and weights proportional to 1/n otherwise.
    pub ngram_probabilities: Option<Vec<f64>>,
    /// Where words begin.
    pub word_boundary: WordBoundary,
    /// How selected words are replaced (MacBERT: per word).
    pub replacement: Replacement,
}

impl Default for NgramOptions {
    fn default() -> Self {
        Self {
            max_n: 4,
            ngram_probabilities: None,
            word_boundary: WordBoundary::WordIds,
            replacement: Replacement::PerWord,
        }
    }
}

/// The longest n-gram `max_n` allows.
const MAX_N: usize = 64;

impl NgramOptions {
    /// The parameters, with the ranges [`Ngram::new`] accepts.
    pub fn params() -> Vec<Param> {
        let d = Self::default();
        vec![
            Param::integer("maxN", d.max_n).within(1.0, MAX_N as f64),
            Param::of("ngramProbabilities", Kind::List { items: Box::new(Kind::Number) }).at_least(0.0),
            Param::choice::<WordBoundary>("wordBoundary", d.word_boundary as usize),
            Param::choice::<Replacement>("replacement", d.replacement as usize),
        ]
    }
}

/// The n-gram strategy.
#[derive(Debug, Clone)]
pub struct Ngram {
    options: NgramOptions,
    /// Cumulative probabilities of n = 1..=max_n.
    cdf: Vec<f64>,
}

impl Ngram {
    /// Check the options.
    pub fn new(options: &NgramOptions) -> Result<Self> {
        if options.max_n == 0 || options.max_n > MAX_N {
            return Err(Error::InvalidParameter {
                name: "max_n",
                requirement: "must be an integer from 1 to 64",
                value: options.max_n.to_string(),
            });
        }
        let weights: Vec<f64> = match &options.ngram_probabilities {
            Some(p) => {
                if p.len() != options.max_n
                    || p.iter().any(|w| !w.is_finite() || *w < 0.0)
                    || p.iter().sum::<f64>() <= 0.0
                {
                    return Err(Error::InvalidParameter {
                        name: "ngram_probabilities",
                        requirement: "must hold `max_n` non-negative numbers with a positive sum",
                        value: format!("{p:?}"),
                    });
                }
                p.clone()
            }
            None if options.max_n == 4 => vec![0.4, 0.3, 0.2, 0.1],
            None => (1..=options.max_n).map(|n| 1.0 / n as f64).collect(),
        };
        Ok(Self { options: options.clone(), cdf: sample::cumulative(weights) })
    }
}

impl Strategy for Ngram {
    fn mask(&self, input: &MaskInput, config: &MaskingConfig, rng: &mut dyn MaskRng) -> Result<MaskedBatch> {
        let mut out = MaskedBatch::unmasked(input);
        let eligible = config.eligible(input);
        let context = WordContext { eligible: &eligible, continuation_ids: &config.continuation_ids };
        for row in words(self.options.word_boundary, input, &context)? {
            let budget = if row.is_empty() {
                0
            } else {
                sample::round_half_even(row.len() as f64 * config.mlm_probability).clamp(1, row.len())
            };
            let mut order: Vec<usize> = (0..row.len()).collect();
            sample::shuffle(rng, &mut order);
            let mut covered = vec![false; row.len()];
            let (mut chosen, mut count) = (Vec::<(usize, usize)>::new(), 0);
            for start in order {
                if count >= budget {
                    break;
                }
                if covered[start] {
                    continue;
                }
                let mut n = (sample::from_cdf(rng, &self.cdf) + 1).min(budget - count);
                while n > 1 && (start + n > row.len() || covered[start..start + n].contains(&true)) {
                    n -= 1;
                }
                covered[start..start + n].fill(true);
                count += n;
                chosen.push((start, n));
            }
            chosen.sort_unstable();
            let groups: Vec<Group> = chosen.iter().map(|&(start, n)| row[start..start + n].to_vec()).collect();
            apply_groups(&mut out, input, config, rng, &groups, self.options.replacement);
        }
        Ok(out)
    }
}
