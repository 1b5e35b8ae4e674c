//! Shared inputs of the native benches: a vendored tokenizer and the benchmark corpus's lines
//! (bench/corpus.mjs builds the same lines for the JS benchmark). Each bench uses a part.
#![allow(dead_code, unused_imports)]

#[path = "../../tests/common/data.rs"]
mod data;

pub use data::corpus_lines as lines;
pub use data::tokenizer_json;

pub fn tokenizer(name: &str) -> mlmask::Tokenizer {
    mlmask::Tokenizer::from_json(&data::tokenizer_json(name)).unwrap()
}
