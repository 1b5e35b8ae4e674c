//! Arbitrary UTF-8 through every vendored tokenizer: encoding never panics, and the offsets stay
//! inside the text and in order.
#![no_main]

#[path = "../../tests/common/data.rs"]
mod data;

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use mlmask::{EncodeOptions, Setting, Tokenizer};

use data::TOKENIZERS as NAMES;

fn tokenizers() -> &'static Vec<Tokenizer> {
    static T: OnceLock<Vec<Tokenizer>> = OnceLock::new();
    T.get_or_init(|| NAMES.iter().map(|n| Tokenizer::from_json(&data::tokenizer_json(n)).unwrap()).collect())
}

fuzz_target!(|data: &[u8]| {
    let Some((&knob, rest)) = data.split_first() else { return };
    let Ok(text) = std::str::from_utf8(rest) else { return };
    let tokenizer = &tokenizers()[usize::from(knob) % NAMES.len()];
    let options = EncodeOptions {
        add_special_tokens: knob & 8 == 0,
        truncation: if knob & 16 == 0 { Setting::FromFile } else { Setting::Off },
        padding: Setting::Off,
        ..EncodeOptions::default()
    };
    let Ok(e) = tokenizer.encode(text, None, &options) else { return };
    let units = text.encode_utf16().count();
    for &(s, t) in e.offsets.as_deref().unwrap_or_default() {
        assert!(s <= t && t <= units, "offsets ({s}, {t}) outside a text of {units} UTF-16 units");
    }
});
