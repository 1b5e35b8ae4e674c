//! Browser tests (`wasm-pack test --headless --chrome`): the exported classes called with real
//! JS values in Chromium, checking what crosses the boundary: typed-array types, UTF-16 offsets
//! by slicing the JS string, error messages, and reuse after an error.
#![cfg(target_arch = "wasm32")]

use js_sys::{Array, Int32Array, Int8Array, JsString, Object, Reflect, Uint32Array, Uint8Array};
use mlmask::wasm::{JsMasker, JsTokenizer};
use wasm_bindgen::{JsCast, JsError, JsValue};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[macro_use]
#[path = "common/data.rs"]
mod data;

fn bert() -> &'static str {
    embedded_tokenizer!("bert-base-uncased")
}
fn roberta() -> &'static str {
    embedded_tokenizer!("roberta-base")
}

fn tokenizer(json: &str) -> JsTokenizer {
    JsTokenizer::from_json(JsValue::from_str(json).unchecked_into(), None).expect("loads")
}

fn get(object: &JsValue, key: &str) -> JsValue {
    Reflect::get(object, &JsValue::from_str(key)).unwrap()
}

fn options(json: &str) -> JsValue {
    js_sys::JSON::parse(json).unwrap()
}

/// The message of the JS `Error` a call failed with.
fn err<T>(result: Result<T, JsError>) -> String {
    let Err(error) = result else { panic!("expected an error") };
    let value: JsValue = error.into();
    let error = value.dyn_into::<js_sys::Error>().expect("a JS Error");
    error.message().into()
}

#[wasm_bindgen_test]
fn runs_in_chromium() {
    let agent = web_sys_user_agent();
    assert!(agent.contains("Chrome"), "{agent}");
}

fn web_sys_user_agent() -> String {
    let navigator = get(&js_sys::global(), "navigator");
    get(&navigator, "userAgent").as_string().unwrap()
}

#[wasm_bindgen_test]
fn encodings_are_typed_arrays() {
    let tok = tokenizer(bert());
    let enc: JsValue = tok.encode(JsValue::from_str("Hello, world!"), None).unwrap().into();
    let ids = get(&enc, "ids").dyn_into::<Uint32Array>().expect("ids is a Uint32Array");
    assert_eq!(ids.to_vec(), [101, 7592, 1010, 2088, 999, 102]);
    assert!(get(&enc, "offsets").is_instance_of::<Uint32Array>());
    assert!(get(&enc, "typeIds").is_instance_of::<Uint32Array>());
    assert!(get(&enc, "specialTokensMask").is_instance_of::<Uint8Array>());
    assert!(get(&enc, "attentionMask").is_instance_of::<Uint8Array>());
    assert!(get(&enc, "wordIds").is_instance_of::<Int32Array>());
    assert!(get(&enc, "sequenceIds").is_instance_of::<Int8Array>());
    let tokens = get(&enc, "tokens").dyn_into::<Array>().unwrap();
    assert_eq!(tokens.get(1).as_string().as_deref(), Some("hello"));
    assert_eq!(tok.vocab_size(), 30522);
    assert_eq!(tok.mask_token_id(), Some(103));
    assert_eq!(tok.pad_token_id(), Some(0));
}

/// Slicing the JS string with the offsets gives each token's source text, astral and combining
/// characters included.
#[wasm_bindgen_test]
fn utf16_offsets_slice_the_js_string() {
    let text = "Héllo 😀 wörld 東京 e\u{301}!";
    let js_text = JsString::from(text);
    for (json, expected) in [
        // BERT strips accents, so the combining mark belongs to no token.
        (bert(), vec!["Héllo", "😀", "wörld", "東", "京", "e", "!"]),
        // The same slices Python `tokenizers` gives with its code point offsets.
        (
            roberta(),
            vec![
                "H", "é", "llo", "😀", "😀", "w", "ör", "ld", "東", "東", "東", "京", "京", "e", "\u{301}", "\u{301}",
                "!",
            ],
        ),
    ] {
        let tok = tokenizer(json);
        let enc: JsValue = tok.encode(JsValue::from_str(text), None).unwrap().into();
        let offsets = get(&enc, "offsets").dyn_into::<Uint32Array>().unwrap().to_vec();
        let special = get(&enc, "specialTokensMask").dyn_into::<Uint8Array>().unwrap().to_vec();
        let slices: Vec<String> = (0..special.len())
            .filter(|&i| special[i] == 0)
            .map(|i| js_text.slice(offsets[2 * i], offsets[2 * i + 1]).into())
            .collect();
        assert_eq!(slices, expected);
    }
}

#[wasm_bindgen_test]
fn masking_from_js_values() {
    let tok = tokenizer(bert());
    let mut masker =
        JsMasker::new(&tok, Some(options(r#"{"seed": 42, "mlmProbability": 1}"#).unchecked_into())).unwrap();
    let enc: JsValue = tok.encode(JsValue::from_str("one two three four"), None).unwrap().into();
    let out: JsValue = masker.mask(enc.clone().unchecked_into()).unwrap().into();
    let labels = get(&out, "labels").dyn_into::<Int32Array>().expect("labels is an Int32Array").to_vec();
    assert_eq!(labels, [-100, 2028, 2048, 2093, 2176, -100]);
    let outcome = get(&out, "outcome").dyn_into::<Uint8Array>().unwrap().to_vec();
    assert!(outcome[1..5].iter().all(|&o| o != 0) && outcome[0] == 0 && outcome[5] == 0);
    assert!(get(&out, "inputIds").is_instance_of::<Int32Array>());
    assert_eq!(get(&out, "batchSize").as_f64(), Some(1.0));
    assert_eq!(get(&out, "seqLen").as_f64(), Some(6.0));

    // Plain arrays work too.
    let plain = options(r#"{"ids": [101, 2028, 102], "specialTokensMask": [1, 0, 1], "attentionMask": [1, 1, 1]}"#);
    let out: JsValue = masker.mask(plain.unchecked_into()).unwrap().into();
    assert_eq!(get(&out, "labels").dyn_into::<Int32Array>().unwrap().to_vec(), [-100, 2028, -100]);

    let texts: JsValue = Array::of2(&"a b c".into(), &"d".into()).into();
    let collated: JsValue = masker
        .collate(texts.unchecked_into(), Some(options(r#"{"padToMultipleOf": 8}"#).unchecked_into()))
        .unwrap()
        .into();
    assert_eq!(get(&collated, "seqLen").as_f64(), Some(8.0));
    let batch = get(&collated, "batch");
    assert!(batch.is_instance_of::<Object>());
    assert_eq!(get(&batch, "ids").dyn_into::<Uint32Array>().unwrap().length(), 16);
}

#[wasm_bindgen_test]
fn errors_are_js_errors_and_instances_survive_them() {
    let broken = JsTokenizer::from_json(JsValue::from_str("{\"model\": ").unchecked_into(), None);
    assert!(err(broken).starts_with("could not load tokenizer.json: "));
    let wrong_type = JsTokenizer::from_json(JsValue::from_f64(3.0).unchecked_into(), None);
    assert_eq!(
        err(wrong_type),
        "Tokenizer.fromJSON takes the tokenizer.json text (string) or bytes (Uint8Array or ArrayBuffer), got number"
    );

    let tok = tokenizer(bert());
    assert_eq!(err(tok.encode(JsValue::from_f64(1.0), None)), "`text` must be a string, got number");
    let typo = tok.encode(JsValue::from_str("x"), Some(options(r#"{"truncaton": 3}"#).unchecked_into()));
    assert!(err(typo).starts_with("unknown option `truncaton` in encode options"));
    let zero = tok.encode(JsValue::from_str("x"), Some(options(r#"{"padToMultipleOf": 0}"#).unchecked_into()));
    assert_eq!(err(zero), "`padToMultipleOf` must be a positive integer, got 0");
    let bad = JsMasker::new(&tok, Some(options(r#"{"mlmProbability": 2}"#).unchecked_into()));
    assert_eq!(err(bad), "`mlmProbability` must be a number between 0 and 1, got 2");
    let split =
        JsMasker::new(&tok, Some(options(r#"{"maskReplaceProb": 0.9, "randomReplaceProb": 0.2}"#).unchecked_into()));
    assert!(err(split).starts_with("`maskReplaceProb` + `randomReplaceProb` must be at most 1"));
    let seed = JsMasker::new(&tok, Some(options(r#"{"seed": 1.5}"#).unchecked_into()));
    assert_eq!(
        err(seed),
        "invalid masker options: `seed`: invalid value: floating point `1.5`, expected a non-negative integer no larger than 2^53 - 1"
    );
    // Core errors name Rust fields; JS callers see the camelCase names.
    let span = JsMasker::new(
        &tok,
        Some(options(r#"{"strategy": {"type": "span", "minSpan": 3, "maxSpan": 2}}"#).unchecked_into()),
    );
    assert_eq!(err(span), "`minSpan/maxSpan` must satisfy 1 <= `minSpan` <= `maxSpan` <= 1000, got 3/2");
    assert!(masker_reseed_error(&tok).starts_with("`seed` must be a non-negative integer"));

    let mut masker = JsMasker::new(&tok, Some(options(r#"{"seed": 1}"#).unchecked_into())).unwrap();
    let not_encoding = masker.mask(JsValue::from_str("text").unchecked_into());
    assert!(err(not_encoding).starts_with("mask() takes an encoding or batch object"));
    let empty = masker.collate(Array::new().unchecked_into(), None);
    assert_eq!(err(empty), "the batch is empty; pass at least one text");

    // Both instances still work.
    let enc: JsValue = tok.encode(JsValue::from_str("still works"), None).unwrap().into();
    assert!(masker.mask(enc.unchecked_into()).is_ok());

    let gpt2_like = JsTokenizer::from_json(
        JsValue::from_str(roberta()).unchecked_into(),
        Some(options(r#"{"maskToken": "nope"}"#).unchecked_into()),
    );
    assert!(err(gpt2_like).starts_with("`maskToken` names \"nope\""));
}

fn masker_reseed_error(tok: &JsTokenizer) -> String {
    let mut masker = JsMasker::new(tok, None).unwrap();
    err(masker.reseed(Some(-1.0)))
}

#[wasm_bindgen_test]
fn a_masker_outlives_its_freed_tokenizer() {
    let tok = tokenizer(bert());
    let mut masker = JsMasker::new(&tok, Some(options(r#"{"seed": 3}"#).unchecked_into())).unwrap();
    drop(tok);
    let texts: JsValue = Array::of1(&"hello there".into()).into();
    assert!(masker.collate(texts.unchecked_into(), None).is_ok());
}

/// `offsets: false` leaves the property absent (not zeros) on encode and encodeBatch, and a
/// strategy that needs offsets refuses such an encoding with a message that says what to do;
/// the masker keeps working.
#[wasm_bindgen_test]
fn offsets_false_leaves_offsets_absent_and_offsets_gap_refuses_it() {
    let tok = tokenizer(bert());
    let no_offsets = || Some(options(r#"{"offsets": false}"#).unchecked_into());
    let enc: JsValue = tok.encode(JsValue::from_str("Unbelievable words"), no_offsets()).unwrap().into();
    assert!(get(&enc, "offsets").is_undefined());
    assert!(!Reflect::has(&enc, &JsValue::from_str("offsets")).unwrap());
    let full: JsValue = tok.encode(JsValue::from_str("Unbelievable words"), None).unwrap().into();
    let ids = |e: &JsValue| get(e, "ids").dyn_into::<Uint32Array>().unwrap().to_vec();
    assert_eq!(ids(&enc), ids(&full));
    let texts: JsValue = Array::of2(&"a b".into(), &"c".into()).into();
    let batch: JsValue = tok.encode_batch(texts.clone().unchecked_into(), no_offsets()).unwrap().into();
    assert!(get(&batch, "offsets").is_undefined());
    let with: JsValue = tok.encode_batch(texts.unchecked_into(), None).unwrap().into();
    assert_eq!(get(&with, "offsets").dyn_into::<Uint32Array>().unwrap().length(), 2 * 2 * 4);

    let mut masker = JsMasker::new(
        &tok,
        Some(
            options(r#"{"seed": 1, "strategy": {"type": "wholeWord", "wordBoundary": "offsetsGap"}}"#).unchecked_into(),
        ),
    )
    .unwrap();
    let message = err(masker.mask(enc.clone().unchecked_into()));
    assert!(message.contains("no offsets") && message.contains("encode with offsets"), "{message}");
    assert!(masker.mask(with.unchecked_into()).is_ok());
}

/// The columns UL2, FIM, packing and views add cross the boundary as their typed arrays, in
/// Chromium as in Node.
#[wasm_bindgen_test]
fn corruption_columns_are_typed_arrays() {
    let tok = tokenizer(bert());
    let texts = || -> JsValue { Array::of3(&"new york city".into(), &"machine learning".into(), &"a b".into()).into() };

    let mut packer = JsMasker::new(&tok, Some(options(r#"{"seed": 3, "views": 2}"#).unchecked_into())).unwrap();
    let packed: JsValue = packer
        .collate(texts().unchecked_into(), Some(options(r#"{"packing": {"maxLength": 12}}"#).unchecked_into()))
        .unwrap()
        .into();
    let cu = get(&packed, "cuSeqlens").dyn_into::<Int32Array>().expect("cuSeqlens is an Int32Array").to_vec();
    // Six rows (three texts, two views each) of 5, 4 and 4 tokens.
    assert_eq!(cu, [0, 5, 10, 14, 18, 22, 26]);
    let sequence = get(&packed, "sequenceIds").dyn_into::<Int32Array>().expect("sequenceIds is an Int32Array").to_vec();
    let positions =
        get(&packed, "positionIds").dyn_into::<Int32Array>().expect("positionIds is an Int32Array").to_vec();
    assert_eq!(sequence.len(), positions.len());
    assert_eq!(&positions[..5], [0, 1, 2, 3, 4]);
    assert_eq!(get(&get(&packed, "batch"), "batchSize").as_f64(), Some(3.0));

    let named = r#"{"seed": 1, "strategy": {"type": "fim", "fimRate": 1, "level": "token",
        "fimTokens": {"prefix": "[unused0]", "middle": "[unused1]", "suffix": "[unused2]", "pad": "[PAD]"}}}"#;
    let mut fim = JsMasker::new(&tok, Some(options(named).unchecked_into())).unwrap();
    let out: JsValue = fim.collate(texts().unchecked_into(), None).unwrap().into();
    let layout = get(&out, "fimLayout").dyn_into::<Uint8Array>().expect("fimLayout is a Uint8Array").to_vec();
    assert_eq!(layout.len(), 3);
    assert!(layout.iter().all(|&l| l == 1 || l == 2));

    let mut ul2 = JsMasker::new(
        &tokenizer(embedded_tokenizer!("t5-small")),
        Some(options(r#"{"strategy": {"type": "ul2"}}"#).unchecked_into()),
    )
    .unwrap();
    let out: JsValue = ul2.collate(texts().unchecked_into(), None).unwrap().into();
    assert_eq!(get(&out, "denoiser").dyn_into::<Uint8Array>().expect("denoiser is a Uint8Array").length(), 3);
    let names = get(&out, "denoiserNames").dyn_into::<Array>().expect("denoiserNames is an array");
    assert_eq!(names.get(0).as_string().as_deref(), Some("r: mean 3, noise 0.15"));
    assert_eq!(
        err(packer.collate(texts().unchecked_into(), Some(options(r#"{"packing": {"maxLength": 2}}"#).unchecked_into()))),
        "text 0 has 5 tokens, more than packing `maxLength` 2; raise `maxLength`, or truncate with `truncation: { maxLength: 2 }`"
    );
}
