//! Shared helpers of the native integration tests: the vendored tokenizers and corpus
//! (`data.rs`), and loading them.
#![allow(dead_code, unused_imports)] // each test binary uses a different part

mod data;

pub use data::{corpus, gunzip, tokenizer_json, TOKENIZERS};

use mlmask::Tokenizer;

pub fn load(name: &str) -> Tokenizer {
    Tokenizer::from_json(&tokenizer_json(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// The first `limit` non-empty lines of the English corpus, BOM and CR stripped.
pub fn corpus_lines(limit: usize) -> Vec<String> {
    data::corpus_lines().into_iter().take(limit).collect()
}

/// Words the property tests build texts from: accents, CJK, emoji, contractions, numbers and
/// punctuation, so that every tokenizer splits some of them into several tokens.
pub const WORDS: [&str; 20] = [
    "the",
    "masking",
    "unbelievable",
    "co-operate",
    "naïve",
    "café",
    "東京",
    "😀",
    "tokenizer",
    "don't",
    "12,345",
    "a",
    "Transformers",
    "words",
    "!",
    "...",
    "hello",
    "world",
    "ελληνικά",
    "données",
];
