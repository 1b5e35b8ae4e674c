//! PMI-masking (Levine et al. 2021, "PMI-Masking: Principled masking of correlated spans"):
//! the caller passes a lexicon of n-grams (the paper ranks them by PMI over a corpus), and
//! every match in the text is masked as one unit. A row is cut into units, left to right: at
//! each word the longest lexicon entry that starts there and ends at a word's end is one unit,
//! otherwise the word alone is. The budget and the rest follow [`Ngram`](super::Ngram):
//! `round(p * words)` words per row, units taken in random order; a unit that would overflow
//! the budget is skipped (a collocation is never cut), so a row may end a little under it.
//!
//! Entries are strings or id sequences. A string matches as the tokenizer reads it both at the
//! start of a text and after a space (`"new york"` and `" new york"`: byte-level BPE tokenizes
//! the two differently).

use std::collections::HashSet;

use serde::Deserialize;

use super::BuildContext;
use crate::error::{Error, Result};
use crate::masking::replace::{apply_groups, Group, Replacement};
use crate::masking::sample;
use crate::masking::words::{words, WordBoundary, WordContext};
use crate::masking::{MaskInput, MaskedBatch, MaskingConfig, Strategy};
use crate::rng::MaskRng;
use crate::schema::{Kind, Param};

/// One lexicon entry.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged, expecting = "a string or a list of token ids")]
pub enum LexiconEntry {
    /// Text, tokenized by the masker's tokenizer.
    Text(String),
    /// Token ids.
    Ids(Vec<u32>),
}

/// Options of [`LexiconSpans`].
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LexiconSpansOptions {
    /// The n-grams masked as units.
    pub lexicon: Vec<LexiconEntry>,
    /// Where words begin.
    #[serde(default)]
    pub word_boundary: WordBoundary,
    /// How selected words are replaced (as [`Ngram`](super::Ngram): per word).
    #[serde(default = "per_word")]
    pub replacement: Replacement,
}

fn per_word() -> Replacement {
    Replacement::PerWord
}

impl LexiconSpansOptions {
    /// The parameters, with the ranges [`LexiconSpans::new`] accepts.
    pub fn params() -> Vec<Param> {
        let entry = Kind::Either { kinds: vec![Kind::String, Kind::List { items: Box::new(Kind::Integer) }] };
        vec![
            Param::of("lexicon", Kind::List { items: Box::new(entry) }).required(),
            Param::choice::<WordBoundary>("wordBoundary", WordBoundary::default() as usize),
            Param::choice::<Replacement>("replacement", per_word() as usize),
        ]
    }
}

/// The lexicon-span strategy.
#[derive(Debug, Clone)]
pub struct LexiconSpans {
    entries: HashSet<Vec<u32>>,
    /// The longest entry, in tokens.
    longest: usize,
    word_boundary: WordBoundary,
    replacement: Replacement,
}

impl LexiconSpans {
    /// Tokenize the string entries.
    pub fn new(options: &LexiconSpansOptions, context: &BuildContext) -> Result<Self> {
        let mut entries = HashSet::new();
        let empty = |index: usize| Error::InvalidParameter {
            name: "lexicon",
            requirement: "entries must each hold at least one token",
            value: format!("an empty entry at index {index}"),
        };
        for (index, entry) in options.lexicon.iter().enumerate() {
            match entry {
                LexiconEntry::Ids(ids) if ids.is_empty() => return Err(empty(index)),
                LexiconEntry::Text(text) if text.trim().is_empty() => return Err(empty(index)),
                LexiconEntry::Ids(ids) => {
                    if let Some(&id) = ids.iter().find(|&&id| id >= context.vocab.vocab_size) {
                        return Err(Error::InvalidParameter {
                            name: "lexicon",
                            requirement: "entries must hold ids of this tokenizer's vocabulary",
                            value: id.to_string(),
                        });
                    }
                    entries.insert(ids.clone());
                }
                LexiconEntry::Text(text) => {
                    let text = text.trim();
                    for variant in [text.to_string(), format!(" {text}")] {
                        let ids = context.text_ids(&variant, "lexiconSpans", "the lexicon's strings")?;
                        if ids.is_empty() {
                            return Err(empty(index));
                        }
                        entries.insert(ids);
                    }
                }
            }
        }
        let longest = entries.iter().map(Vec::len).max().unwrap_or(0);
        Ok(Self { entries, longest, word_boundary: options.word_boundary, replacement: options.replacement })
    }

    /// The units of a row: runs of words, a lexicon match or a single word each.
    fn units(&self, row: &[std::ops::Range<usize>], ids: &[u32]) -> Vec<std::ops::Range<usize>> {
        let mut units = Vec::new();
        let mut w = 0;
        while w < row.len() {
            let mut end = w + 1;
            let mut candidate = Vec::new();
            for (k, word) in row[w..].iter().enumerate() {
                // A unit is a run of adjacent words: nothing between them but the words.
                if k > 0 && word.start != row[w + k - 1].end {
                    break;
                }
                candidate.extend_from_slice(&ids[word.clone()]);
                if candidate.len() > self.longest {
                    break;
                }
                if k > 0 && self.entries.contains(&candidate) {
                    end = w + k + 1;
                }
            }
            units.push(w..end);
            w = end;
        }
        units
    }
}

impl Strategy for LexiconSpans {
    fn mask(&self, input: &MaskInput, config: &MaskingConfig, rng: &mut dyn MaskRng) -> Result<MaskedBatch> {
        let mut out = MaskedBatch::unmasked(input);
        let eligible = config.eligible(input);
        let context = WordContext { eligible: &eligible, continuation_ids: &config.continuation_ids };
        for row in words(self.word_boundary, input, &context)? {
            let budget = if row.is_empty() {
                0
            } else {
                sample::round_half_even(row.len() as f64 * config.mlm_probability).clamp(1, row.len())
            };
            let mut units = self.units(&row, input.ids);
            sample::shuffle(rng, &mut units);
            let mut count = 0;
            let mut chosen: Vec<std::ops::Range<usize>> = Vec::new();
            for unit in units {
                if count >= budget {
                    break;
                }
                if count + unit.len() <= budget {
                    count += unit.len();
                    chosen.push(unit);
                }
            }
            chosen.sort_unstable_by_key(|u| u.start);
            let groups: Vec<Group> = chosen.into_iter().map(|u| row[u].to_vec()).collect();
            apply_groups(&mut out, input, config, rng, &groups, self.replacement);
        }
        Ok(out)
    }
}
