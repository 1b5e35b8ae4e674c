//! Arbitrary bytes as a tokenizer.json: loading either succeeds or returns an error, never
//! panics; whatever loads can encode a short text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mlmask::{EncodeOptions, Tokenizer};

fuzz_target!(|data: &[u8]| {
    if let Ok(tokenizer) = Tokenizer::from_bytes(data) {
        let _ = tokenizer.encode("Hello world, 😀 東京!", Some("pair"), &EncodeOptions::default());
        let _ = tokenizer.vocab_info();
    }
});
