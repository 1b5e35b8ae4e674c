//! # mlmask
//!
//! Hugging Face `tokenizers` plus masked-language-model masking that follows transformers'
//! `DataCollatorForLanguageModeling`, as a plain Rust crate and, compiled to WebAssembly, as the
//! `mlmask` npm package.
//!
//! The pipeline is **text → [`Encoding`] → selection → replacement → labels**:
//!
//! 1. [`Tokenizer`] loads any `tokenizer.json` and encodes text with ids, tokens, special-tokens
//!    mask, word ids and offsets (UTF-16 by default, so JavaScript can `slice` with them);
//! 2. [`Batch`] pads encodings to one length (`pad_to_multiple_of` included);
//! 3. a [`Masker`] selects about `mlm_probability` of the tokens that are neither special nor
//!    padding, replaces 80% of them with the mask token and 10% with a random id, keeps 10%,
//!    and returns `labels` holding the original id where a token was selected and -100
//!    elsewhere.
//!
//! ```
//! use mlmask::{EncodeOptions, MaskInput, Masker, MaskingOptions, Tokenizer, IGNORE_INDEX};
//!
//! // The text of any tokenizer.json, e.g. `std::fs::read_to_string("tokenizer.json")?`; here a
//! // tiny BERT-style WordPiece vocabulary, so that the example runs as it is.
//! # let json = r###"{"version": "1.0", "truncation": null, "padding": null,
//! #   "added_tokens": [
//! #     {"id": 0, "content": "[PAD]", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true},
//! #     {"id": 1, "content": "[UNK]", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true},
//! #     {"id": 2, "content": "[CLS]", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true},
//! #     {"id": 3, "content": "[SEP]", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true},
//! #     {"id": 4, "content": "[MASK]", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true}],
//! #   "normalizer": {"type": "BertNormalizer", "clean_text": true, "handle_chinese_chars": true, "strip_accents": null, "lowercase": true},
//! #   "pre_tokenizer": {"type": "BertPreTokenizer"},
//! #   "post_processor": {"type": "TemplateProcessing",
//! #     "single": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}, {"SpecialToken": {"id": "[SEP]", "type_id": 0}}],
//! #     "pair": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}, {"SpecialToken": {"id": "[SEP]", "type_id": 0}}, {"Sequence": {"id": "B", "type_id": 1}}, {"SpecialToken": {"id": "[SEP]", "type_id": 1}}],
//! #     "special_tokens": {"[CLS]": {"id": "[CLS]", "ids": [2], "tokens": ["[CLS]"]}, "[SEP]": {"id": "[SEP]", "ids": [3], "tokens": ["[SEP]"]}}},
//! #   "decoder": {"type": "WordPiece", "prefix": "##", "cleanup": true},
//! #   "model": {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##", "max_input_chars_per_word": 100,
//! #     "vocab": {"[PAD]": 0, "[UNK]": 1, "[CLS]": 2, "[SEP]": 3, "[MASK]": 4, "hello": 5, "world": 6, "mask": 7, "##ing": 8,
//! #       "happens": 9, "at": 10, "batch": 11, "time": 12, ".": 13}}}"###;
//! let tokenizer = Tokenizer::from_json(&json)?;
//! let mut masker = Masker::new(
//!     &tokenizer.vocab_info(),
//!     &MaskingOptions { mlm_probability: 0.5, seed: Some(42), ..MaskingOptions::default() },
//! )?;
//!
//! let (batch, masked) = masker.collate(&tokenizer, &["Hello world", "Masking happens at batch time."], &EncodeOptions::default())?;
//! // [CLS] mask ##ing happens at batch time . [SEP]: the longer row sets the length.
//! assert_eq!((batch.batch_size, batch.seq_len), (2, 9));
//! assert_eq!(masked.input_ids.len(), batch.batch_size * batch.seq_len);
//! for (i, &label) in masked.labels.iter().enumerate() {
//!     // A label is either ignored or the original id of a selected token.
//!     assert!(label == IGNORE_INDEX || label == batch.ids[i] as i32);
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! The JavaScript binding lives in the `wasm` module, compiled only for `wasm32` (its classes
//! are what the npm package exports); everything else is target-independent and tested natively.
#![warn(missing_docs)]

pub mod collate;
#[cfg(feature = "full")]
mod crate_path;
pub mod encoding;
pub mod error;
mod fast;
mod file;
mod hash;
#[cfg(not(feature = "full"))]
mod lite;
pub mod masking;
mod post_processor;
pub mod rng;
pub mod schema;
#[cfg(test)]
mod schema_tests;
pub mod tokenize;
mod tokenizer_json;

#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use collate::{Batch, PadToken};
pub use encoding::{EncodeOptions, Encoding, OffsetUnit, Padding, Setting, Side, Truncation, TruncationStrategy};
pub use error::{Error, Result};
pub use masking::{
    FimLayout, MaskInput, MaskedBatch, Masker, MaskingConfig, MaskingOptions, Outcome, Packed, Packing, RandomTokens,
    SpecialTokens, Strategy, StrategyOptions, IGNORE_INDEX,
};
pub use rng::{MaskRng, MlmaskRng, NumpyRng, RngKind, TorchRng};
pub use tokenize::{LoadOptions, Tokenizer, VocabInfo};

/// Every option set of the crate's serde schema: [`LoadOptions`], [`EncodeOptions`],
/// [`Truncation`], [`Padding`], [`MaskingOptions`], the weights object of [`RandomTokens`],
/// [`Packing`], and the objects inside strategies (UL2's denoisers, FIM's tokens). The strategies are in [`StrategyOptions::catalog`]. Gathered here, above the modules that
/// define them, so that [`schema`] imports none of them.
pub fn option_sets() -> Vec<schema::OptionSet> {
    vec![
        LoadOptions::option_set(),
        EncodeOptions::option_set(),
        Truncation::option_set(),
        Padding::option_set(),
        MaskingOptions::option_set(),
        RandomTokens::weights_option_set(),
        Packing::option_set(),
        masking::Denoiser::option_set(),
        masking::FimTokens::option_set(),
    ]
}
