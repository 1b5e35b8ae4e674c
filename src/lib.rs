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
//! let json = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/www/public/tokenizers/bert-base-uncased.json"))?;
//! let tokenizer = Tokenizer::from_json(&json)?;
//! let mut masker = Masker::new(
//!     &tokenizer.vocab_info(),
//!     &MaskingOptions { mlm_probability: 0.5, seed: Some(42), ..MaskingOptions::default() },
//! )?;
//!
//! let (batch, masked) = masker.collate(&tokenizer, &["Hello world", "Masking happens at batch time."], &EncodeOptions::default())?;
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
pub mod encoding;
pub mod error;
mod fast;
pub mod masking;
pub mod rng;
pub mod schema;
pub mod tokenize;
mod tokenizer_json;

#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use collate::{Batch, PadToken};
pub use encoding::{EncodeOptions, Encoding, OffsetUnit, Padding, Setting, Side, Truncation, TruncationStrategy};
pub use error::{Error, Result};
pub use masking::{
    MaskInput, MaskedBatch, Masker, MaskingConfig, MaskingOptions, Outcome, RandomTokens, SpecialTokens, Strategy,
    StrategyOptions, IGNORE_INDEX,
};
pub use rng::{MaskRng, MlmaskRng, NumpyRng, RngKind, TorchRng};
pub use tokenize::{LoadOptions, Tokenizer, VocabInfo};
