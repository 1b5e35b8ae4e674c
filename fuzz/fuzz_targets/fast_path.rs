//! The fused fast paths (src/fast/) against the `tokenizers` crate path on arbitrary UTF-8:
//! every field of the encoding, offsets in every unit, with and without special tokens and
//! truncation, for every vendored tokenizer that has a fast path.
#![no_main]

#[path = "../../tests/common/data.rs"]
mod data;

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use mlmask::{EncodeOptions, OffsetUnit, Setting, Side, Tokenizer, Truncation, TruncationStrategy};

const NAMES: [&str; 7] = [
    "bert-base-uncased",
    "all-minilm-l6-v2",
    "bert-base-multilingual-cased",
    "roberta-base",
    "gpt2",
    "mistral-7b-v0.1",
    "t5-small",
];

/// Byte-level files with the options the vendored ones leave off: (base, pre-tokenizer in the
/// file, replacement). RoBERTa with a prefix space trims it with `add_prefix_space: false`.
const VARIANTS: [(&str, &str, &str); 2] = [
    (
        "roberta-base",
        r#""pre_tokenizer":{"type":"ByteLevel","add_prefix_space":false,"trim_offsets":true}"#,
        r#""pre_tokenizer":{"type":"ByteLevel","add_prefix_space":true,"trim_offsets":true}"#,
    ),
    (
        "gpt2",
        r#""pre_tokenizer":{"type":"ByteLevel","add_prefix_space":false,"trim_offsets":true,"use_regex":true}"#,
        r#""pre_tokenizer":{"type":"ByteLevel","add_prefix_space":true,"trim_offsets":true,"use_regex":false}"#,
    ),
];

/// (with fast path, crate only) per tokenizer.
fn tokenizers() -> &'static Vec<(Tokenizer, Tokenizer)> {
    static T: OnceLock<Vec<(Tokenizer, Tokenizer)>> = OnceLock::new();
    T.get_or_init(|| {
        let vendored = NAMES.iter().map(|name| (name.to_string(), data::tokenizer_json(name)));
        let variants = VARIANTS.iter().map(|(name, from, to)| {
            let json = data::tokenizer_json(name);
            assert!(json.contains(from), "{name}: no {from}");
            (format!("{name} with {to}"), json.replace(from, to))
        });
        vendored
            .chain(variants)
            .map(|(name, json)| {
                let fast = Tokenizer::from_json(&json).unwrap();
                assert!(fast.fast_path().is_some(), "{name} has no fast path");
                let slow = fast.without_fast_path();
                (fast, slow)
            })
            .collect()
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    // The first byte picks the options, so the corpus explores them too.
    let knob = data.first().copied().unwrap_or(0);
    let unit = [OffsetUnit::Utf16, OffsetUnit::Char, OffsetUnit::Byte, OffsetUnit::None][usize::from(knob & 3)];
    let truncation = match (knob >> 2) & 3 {
        0 => Setting::Off,
        1 => Setting::Set(Truncation {
            max_length: 3 + usize::from(knob >> 4),
            strategy: TruncationStrategy::LongestFirst,
            side: Side::Right,
        }),
        2 => Setting::Set(Truncation {
            max_length: 3 + usize::from(knob >> 4),
            strategy: TruncationStrategy::OnlyFirst,
            side: Side::Left,
        }),
        _ => Setting::FromFile,
    };
    let options = EncodeOptions {
        add_special_tokens: knob & 0x40 == 0,
        truncation,
        padding: Setting::Off,
        offsets: unit,
        ..EncodeOptions::default()
    };
    for (fast, slow) in tokenizers() {
        let a = fast.encode(text, None, &options).map_err(|e| e.to_string());
        let b = slow.encode(text, None, &options).map_err(|e| e.to_string());
        assert_eq!(a, b, "{text:?} {options:?}");
    }
});
