//! Hostile and extreme input never panics: property tests over random text from every Unicode
//! plane (NUL and control characters included), random encode options and every shared
//! tokenizer, checking that offsets stay in bounds and in order, and that ids round-trip through
//! decode where the tokenizer is lossless.

#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::sync::OnceLock;

use common::{load, TOKENIZERS};
use mlmask::{EncodeOptions, MaskInput, Masker, MaskingOptions, Padding, Setting, Side, Tokenizer, Truncation};
use proptest::prelude::*;

fn tokenizers() -> &'static Vec<Tokenizer> {
    static ALL: OnceLock<Vec<Tokenizer>> = OnceLock::new();
    ALL.get_or_init(|| TOKENIZERS.iter().map(|n| load(n)).collect())
}

/// Characters from every plane, weighted towards the awkward ones.
fn any_char() -> impl Strategy<Value = char> {
    prop_oneof![
        3 => proptest::char::range(' ', '~'),
        1 => proptest::char::range('\u{0}', '\u{1f}'),
        1 => proptest::char::range('\u{80}', '\u{7ff}'),
        1 => proptest::char::range('\u{300}', '\u{36f}'),
        1 => proptest::char::range('\u{4e00}', '\u{9fff}'),
        1 => proptest::char::range('\u{fff0}', '\u{ffff}'),
        1 => proptest::char::range('\u{1f300}', '\u{1faff}'),
        1 => any::<char>(),
    ]
}

fn options() -> impl Strategy<Value = EncodeOptions> {
    (
        any::<bool>(),
        prop::option::of(1usize..64),
        prop::option::of(1usize..96),
        prop::option::of(1usize..9),
        any::<bool>(),
    )
        .prop_map(|(add_special_tokens, max, length, multiple, left)| EncodeOptions {
            add_special_tokens,
            truncation: max.map_or(Setting::Off, |m| Setting::Set(Truncation::to(m))),
            padding: Setting::Set(Padding {
                length,
                pad_to_multiple_of: multiple,
                side: if left { Side::Left } else { Side::Right },
            }),
            ..EncodeOptions::default()
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn encoding_never_panics_and_offsets_stay_in_bounds(
        text in prop::collection::vec(any_char(), 0..200).prop_map(|c| c.into_iter().collect::<String>()),
        pair in prop::option::of(prop::collection::vec(any_char(), 0..40).prop_map(|c| c.into_iter().collect::<String>())),
        which in 0..TOKENIZERS.len(),
        options in options(),
    ) {
        let tokenizer = &tokenizers()[which];
        // Errors are allowed (a too-short truncation, a padding length below the text, no pad
        // token); panics are not, and a success must be well-formed.
        let Ok(e) = tokenizer.encode(&text, pair.as_deref(), &options) else { return Ok(()) };
        let lengths = [e.tokens.len(), e.type_ids.len(), e.offsets.as_ref().unwrap().len(), e.special_tokens_mask.len(), e.attention_mask.len(), e.word_ids.len(), e.sequence_ids.len()];
        prop_assert!(lengths.iter().all(|&l| l == e.ids.len()));
        let units = [text.encode_utf16().count(), pair.as_deref().unwrap_or("").encode_utf16().count()];
        let mut last_start = [0usize; 2];
        for i in 0..e.len() {
            let (s, t) = e.offsets.as_ref().unwrap()[i];
            prop_assert!(s <= t, "offsets ({s}, {t}) out of order");
            match e.sequence_ids[i] {
                seq @ (0 | 1) => {
                    let seq = seq as usize;
                    prop_assert!(t <= units[seq], "offset {t} past the text ({})", units[seq]);
                    prop_assert!(s >= last_start[seq] || e.special_tokens_mask[i] == 1, "starts go backwards");
                    last_start[seq] = s;
                }
                _ => prop_assert_eq!((s, t), (0, 0)),
            }
        }
        // Masking whatever came out never panics either.
        if let Ok(mut masker) = Masker::new(&tokenizer.vocab_info(), &MaskingOptions { seed: Some(1), mlm: tokenizer.mask_token_id().is_some(), ..MaskingOptions::default() }) {
            let batch = mlmask::Batch::from_encoding(e);
            prop_assert!(masker.mask(&MaskInput::from_batch(&batch)).is_ok());
        }
    }

    #[test]
    fn plain_text_round_trips_through_decode(
        words in prop::collection::vec("[a-z]{1,12}", 1..30),
        which in prop::sample::select(vec![3usize, 4, 6]), // roberta, gpt2, mistral: lossless
    ) {
        let tokenizer = &tokenizers()[which];
        let text = words.join(" ");
        let options = EncodeOptions { add_special_tokens: false, truncation: Setting::Off, padding: Setting::Off, ..EncodeOptions::default() };
        let e = tokenizer.encode(&text, None, &options).unwrap();
        let decoded = tokenizer.decode(&e.ids, false).unwrap();
        prop_assert_eq!(decoded.trim_start(), text.as_str());
    }
}

#[test]
fn a_hundred_thousand_characters_encode_and_mask() {
    let text: String = "Ünïcödé 😀 words 東京 and\u{0}controls ".repeat(3500).chars().take(100_000).collect();
    for tokenizer in tokenizers() {
        let options = EncodeOptions { truncation: Setting::Off, padding: Setting::Off, ..EncodeOptions::default() };
        let e = tokenizer.encode(&text, None, &options).unwrap();
        assert!(e.len() > 10_000, "{} tokens", e.len());
        let units = text.encode_utf16().count();
        assert!(e.offsets.as_ref().unwrap().iter().all(|&(s, t)| s <= t && t <= units));
    }
}

/// Fuzz regression (`load`): a TemplateProcessing naming a special token it does not define made
/// the crate panic while encoding; it is now refused when loading.
#[test]
fn a_template_with_an_undefined_special_token_is_refused_at_load() {
    let path =
        format!("{}/tests/fixtures/regressions/load-template-undefined-special-token.json", env!("CARGO_MANIFEST_DIR"));
    let err = Tokenizer::from_bytes(&std::fs::read(path).unwrap()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "could not load tokenizer.json: its post_processor is inconsistent: the single template uses the special token \"[CLS]\", which special_tokens does not define. Pass the complete text (or bytes) of a Hugging Face tokenizer.json file"
    );
    // The same with a misspelt "type" (the crate matches the template by shape) and a renamed key.
    let path =
        format!("{}/tests/fixtures/regressions/load-untyped-template-renamed-key.json", env!("CARGO_MANIFEST_DIR"));
    let err = Tokenizer::from_bytes(&std::fs::read(path).unwrap()).unwrap_err();
    assert!(
        err.to_string().contains("uses the special token \"[CLS]\", which special_tokens does not define"),
        "{err}"
    );
    let single_b = common::tokenizer_json("bert-base-uncased").replacen(
        r#""single":[{"SpecialToken":{"id":"[CLS]","type_id":0}},{"Sequence":{"id":"A""#,
        r#""single":[{"SpecialToken":{"id":"[CLS]","type_id":0}},{"Sequence":{"id":"B""#,
        1,
    );
    assert!(Tokenizer::from_json(&single_b)
        .unwrap_err()
        .to_string()
        .contains("the single template uses the second sequence $B"));
}

/// Fuzz regression (`mask`): BART infilling with λ = 21.25 used to loop forever drawing empty
/// spans (fairseq's table cut leaves only P(0) for such λ).
#[test]
fn bart_with_a_large_lambda_terminates() {
    let tokenizer = &tokenizers()[3]; // roberta-base
    let options = MaskingOptions {
        seed: Some(3),
        strategy: mlmask::StrategyOptions::BartInfilling(mlmask::masking::BartOptions {
            mask_ratio: 0.5,
            poisson_lambda: 21.25,
            ..Default::default()
        }),
        ..MaskingOptions::default()
    };
    let mut masker = Masker::new(&tokenizer.vocab_info(), &options).unwrap();
    let (_, out) = masker
        .collate(tokenizer, &["Masking happens at batch time, one long span here."], &EncodeOptions::default())
        .unwrap();
    assert!(out.outcome.iter().any(|&o| o != 0));
}

/// Fuzz regressions (`load`): malformed JSON inside the decoder, and a Precompiled normalizer
/// whose charsmap does not parse, made the crate's deserializers panic (`expect`); both are now
/// load errors.
#[test]
fn malformed_decoders_and_charsmaps_are_load_errors() {
    let path = format!("{}/tests/fixtures/regressions/load-malformed-decoder.json", env!("CARGO_MANIFEST_DIR"));
    let err = Tokenizer::from_bytes(&std::fs::read(path).unwrap()).unwrap_err().to_string();
    assert!(err.starts_with("could not load tokenizer.json: it is not valid JSON ("), "{err}");
    let t5 = common::tokenizer_json("t5-small");
    let start = t5.find(r#""precompiled_charsmap":""#).unwrap() + r#""precompiled_charsmap":""#.len();
    let broken = format!("{}AAAA{}", &t5[..start], &t5[t5[start..].find('"').unwrap() + start..]);
    let err = Tokenizer::from_json(&broken).unwrap_err().to_string();
    assert!(err.starts_with("could not load tokenizer.json: its Precompiled normalizer does not parse"), "{err}");
}

/// Fuzz regression (`load`): a BPE merge whose result is longer than every vocabulary token
/// overflowed the BPE builder's buffer.
#[test]
fn a_bpe_merge_longer_than_the_vocabulary_is_a_load_error() {
    let path =
        format!("{}/tests/fixtures/regressions/load-bpe-merge-longer-than-vocab.json", env!("CARGO_MANIFEST_DIR"));
    let err = Tokenizer::from_bytes(&std::fs::read(path).unwrap()).unwrap_err().to_string();
    assert!(
        err.starts_with(
            "could not load tokenizer.json: its BPE merge number 0 makes a token longer than any in the vocabulary"
        ),
        "{err}"
    );
    // Every real file still loads (BPE ones with merges in both notations).
    for name in common::TOKENIZERS {
        assert!(Tokenizer::from_json(&common::tokenizer_json(name)).is_ok(), "{name}");
    }
}
