//! Masked-language-model masking: the validated configuration, the [`Strategy`] trait that
//! every masking scheme implements (one per file), and the [`Masker`] that ties a strategy to a
//! random stream.
//!
//! The default strategy, [`TokenStrategy`], is transformers' `DataCollatorForLanguageModeling`.
//!
//! The files read as a table of contents: what a caller passes ([`options`]), what validation
//! makes of it ([`config`]), what masking reads ([`input`]) and returns ([`output`]), the
//! [`Masker`] that runs it ([`masker`]), and the schemes themselves ([`strategy`], one per
//! file). `words`, `replace` and `sample` are building blocks the schemes share.

pub mod config;
pub mod input;
pub mod masker;
pub mod options;
pub mod output;
pub mod packing;
mod replace;
mod sample;
pub mod strategy;
mod words;

pub use config::{MaskingConfig, RandomIds};
pub use input::MaskInput;
pub use masker::{Masker, WordInputs};
pub use options::{MaskingOptions, RandomTokens, SpecialTokens};
pub use output::{FimLayout, MaskedBatch, Outcome, Packed, Predictions, IGNORE_INDEX};
pub use packing::Packing;
pub use replace::Replacement;
pub use strategy::{
    BartInfilling, BartOptions, BuildContext, Denoiser, DenoiserKind, ExactCount, ExactCountOptions, Fim, FimLevel,
    FimOptions, FimTokens, LexiconEntry, LexiconSpans, LexiconSpansOptions, Ngram, NgramOptions, Selection, Span,
    SpanOptions, Strategy, StrategyOptions, T5Options, T5SpanCorruption, TokenStrategy, Ul2, Ul2Options, WholeWord,
    WholeWordOptions,
};
pub use words::WordBoundary;
