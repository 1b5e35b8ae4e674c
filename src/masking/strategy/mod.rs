//! The masking schemes, one per file, each implementing [`Strategy`], and the tagged
//! [`StrategyOptions`] that chooses one and carries its parameters.

mod bart;
mod exact_count;
mod ngram;
mod span;
mod t5;
mod token;
mod whole_word;

pub use bart::{BartInfilling, BartOptions};
pub use exact_count::{ExactCount, ExactCountOptions};
pub use ngram::{Ngram, NgramOptions};
pub use span::{Span, SpanOptions};
pub use t5::{T5Options, T5SpanCorruption};
pub use token::TokenStrategy;
pub use whole_word::{Selection, WholeWord, WholeWordOptions};

use super::config::MaskingConfig;
use super::input::MaskInput;
use super::output::MaskedBatch;
use super::words::WordBoundary;
use crate::error::Result;
use crate::rng::MaskRng;
use crate::tokenize::VocabInfo;

/// One masking scheme. Implementations live one per file in this module.
pub trait Strategy: std::fmt::Debug {
    /// Select and replace tokens of `input`. `config.eligible(input)` tells which positions may
    /// be selected.
    fn mask(&self, input: &MaskInput, config: &MaskingConfig, rng: &mut dyn MaskRng) -> Result<MaskedBatch>;
}

/// The masking scheme and its parameters. Each scheme is implemented in its own file.
#[derive(Debug, Clone, PartialEq, Default)]
#[non_exhaustive]
pub enum StrategyOptions {
    /// Per-token Bernoulli selection, exactly as transformers does it.
    #[default]
    Token,
    /// A fixed number of tokens per sequence, as BERT's `create_pretraining_data.py`.
    ExactCount(ExactCountOptions),
    /// Whole words selected together.
    WholeWord(WholeWordOptions),
    /// MacBERT / ERNIE n-gram masking over whole words.
    Ngram(NgramOptions),
    /// SpanBERT geometric spans.
    Span(SpanOptions),
    /// T5's span corruption with sentinels.
    T5SpanCorruption(T5Options),
    /// BART's text infilling with Poisson spans.
    BartInfilling(BartOptions),
}

impl StrategyOptions {
    /// How a word-level strategy finds words; `None` for the token-level ones, which read
    /// neither word ids nor offsets.
    pub fn word_boundary(&self) -> Option<WordBoundary> {
        match self {
            Self::WholeWord(o) => Some(o.word_boundary),
            Self::Ngram(o) => Some(o.word_boundary),
            Self::Span(o) => Some(o.word_boundary),
            Self::BartInfilling(o) => Some(o.word_boundary),
            Self::Token | Self::ExactCount(_) | Self::T5SpanCorruption(_) => None,
        }
    }

    /// Validate the parameters and build the strategy.
    pub fn build(&self, vocab: &VocabInfo) -> Result<Box<dyn Strategy>> {
        Ok(match self {
            StrategyOptions::Token => Box::new(TokenStrategy),
            StrategyOptions::ExactCount(o) => Box::new(ExactCount::new(o)?),
            StrategyOptions::WholeWord(o) => Box::new(WholeWord::new(o)?),
            StrategyOptions::Ngram(o) => Box::new(Ngram::new(o)?),
            StrategyOptions::Span(o) => Box::new(Span::new(o)?),
            StrategyOptions::T5SpanCorruption(o) => Box::new(T5SpanCorruption::new(o, vocab)?),
            StrategyOptions::BartInfilling(o) => Box::new(BartInfilling::new(o)?),
        })
    }
}
