//! SpanBERT span masking (`PairWithSpanMaskingScheme`): until `ceil(p * tokens)` tokens are
//! covered, draw a span length in words from a geometric distribution (p = 0.2) clipped to
//! `[min_span, max_span]`, pick an anchor uniformly among the tokens not yet covered, extend it
//! back to the start of its word, then forward whole word by whole word until the span has its
//! length or the budget is reached (the last span is cut at the budget, as SpanBERT cuts it).
//! Spans never cross an ineligible token or a covered one, so they stay contiguous. By default
//! each span gets one mask / random / keep decision (`replacement='span'`).

use crate::error::{Error, Result};
use crate::masking::replace::{apply_groups, Group, Replacement};
use crate::masking::sample;
use crate::masking::words::{words, WordBoundary, WordContext};
use crate::masking::{MaskInput, MaskedBatch, MaskingConfig, Strategy};
use crate::rng::MaskRng;
use crate::schema::Param;
use serde::Deserialize;

/// Options of [`Span`].
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct SpanOptions {
    /// The geometric distribution's parameter.
    pub geometric_p: f64,
    /// The shortest span, in words.
    pub min_span: usize,
    /// The longest span, in words.
    pub max_span: usize,
    /// Where words begin.
    pub word_boundary: WordBoundary,
    /// How spans are replaced: [`Replacement::PerSpan`] (SpanBERT) or per token (`word_piece`).
    pub replacement: Replacement,
}

impl Default for SpanOptions {
    fn default() -> Self {
        Self {
            geometric_p: 0.2,
            min_span: 1,
            max_span: 10,
            word_boundary: WordBoundary::WordIds,
            replacement: Replacement::PerSpan,
        }
    }
}

/// The longest span `max_span` allows, in words.
const MAX_SPAN: usize = 1000;

impl SpanOptions {
    /// The parameters, with the ranges [`Span::new`] accepts (and `min_span <= max_span`).
    pub fn params() -> Vec<Param> {
        let d = Self::default();
        vec![
            Param::number("geometricP", d.geometric_p).above(0.0).at_most(1.0),
            Param::integer("minSpan", d.min_span).within(1.0, MAX_SPAN as f64),
            Param::integer("maxSpan", d.max_span).within(1.0, MAX_SPAN as f64),
            Param::choice::<WordBoundary>("wordBoundary", d.word_boundary as usize),
            Param::choice::<Replacement>("replacement", d.replacement as usize),
        ]
    }
}

/// The SpanBERT strategy.
#[derive(Debug, Clone)]
pub struct Span {
    options: SpanOptions,
    /// Cumulative weights of lengths min_span..=max_span.
    cdf: Vec<f64>,
}

impl Span {
    /// Check the options.
    pub fn new(options: &SpanOptions) -> Result<Self> {
        if !(options.geometric_p > 0.0 && options.geometric_p <= 1.0) {
            return Err(Error::InvalidParameter {
                name: "geometric_p",
                requirement: "must be a number in (0, 1]",
                value: options.geometric_p.to_string(),
            });
        }
        if options.min_span == 0 || options.max_span < options.min_span || options.max_span > MAX_SPAN {
            return Err(Error::InvalidParameter {
                name: "min_span/max_span",
                requirement: "must satisfy 1 <= `min_span` <= `max_span` <= 1000",
                value: format!("{}/{}", options.min_span, options.max_span),
            });
        }
        Ok(Self {
            options: *options,
            cdf: sample::truncated_geometric_cdf(options.geometric_p, options.min_span, options.max_span),
        })
    }
}

impl Strategy for Span {
    fn mask(&self, input: &MaskInput, config: &MaskingConfig, rng: &mut dyn MaskRng) -> Result<MaskedBatch> {
        let mut out = MaskedBatch::unmasked(input);
        let eligible = config.eligible(input);
        let context = WordContext { eligible: &eligible, continuation_ids: &config.continuation_ids };
        for (r, row) in words(self.options.word_boundary, input, &context)?.into_iter().enumerate() {
            let base = r * input.seq_len;
            // word_of[j]: the word of position base + j, for positions inside words.
            let mut word_of = vec![usize::MAX; input.seq_len];
            for (w, word) in row.iter().enumerate() {
                for i in word.clone() {
                    word_of[i - base] = w;
                }
            }
            let tokens: Vec<usize> = row.iter().flat_map(|w| w.clone()).collect();
            let budget = ((tokens.len() as f64 * config.mlm_probability).ceil() as usize).min(tokens.len());
            let mut covered = vec![false; input.seq_len];
            let mut count = 0;
            let mut spans: Vec<Group> = Vec::new();
            while count < budget {
                let length = self.options.min_span + sample::from_cdf(rng, &self.cdf);
                // SpanBERT draws anchors uniformly and skips covered ones.
                let anchor = loop {
                    let candidate = tokens[sample::index_below(rng, tokens.len())];
                    if !covered[candidate - base] {
                        break candidate;
                    }
                };
                let mut w = word_of[anchor - base];
                // Back to the start of the anchor's word, or to the first uncovered token of it.
                let mut position = anchor;
                while position > row[w].start && !covered[position - 1 - base] {
                    position -= 1;
                }
                let mut span: Group = Vec::new();
                while span.len() < length {
                    let mut piece = position..position;
                    while piece.end < row[w].end && !covered[piece.end - base] && count < budget {
                        covered[piece.end - base] = true;
                        count += 1;
                        piece.end += 1;
                    }
                    let word_done = piece.end == row[w].end;
                    if !piece.is_empty() {
                        span.push(piece);
                    }
                    let next_is_adjacent = w + 1 < row.len() && row[w + 1].start == row[w].end;
                    if !word_done || count == budget || !next_is_adjacent || covered[row[w + 1].start - base] {
                        break;
                    }
                    w += 1;
                    position = row[w].start;
                }
                if !span.is_empty() {
                    spans.push(span);
                }
            }
            spans.sort_by_key(|span| span[0].start);
            apply_groups(&mut out, input, config, rng, &spans, self.options.replacement);
        }
        Ok(out)
    }
}
