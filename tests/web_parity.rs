//! Browser parity tests (`wasm-pack test --headless --chrome --test web_parity`): the recorded
//! transformers collators of `tests/fixtures/parity/` replayed in Chromium, through the core
//! `Masker` for every fixture and through the exported JS class for bert-base-uncased (both
//! streams), with exact equality of `input_ids` and `labels`.
#![cfg(target_arch = "wasm32")]

#[path = "parity/fixture.rs"]
mod fixture;

use fixture::{parse, replay, FIXTURES};
use js_sys::{Int32Array, Object, Reflect, Uint32Array, Uint8Array};
use mlmask::wasm::{JsMasker, JsTokenizer};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[macro_use]
#[path = "common/data.rs"]
mod data;

fn bert() -> &'static str {
    embedded_tokenizer!("bert-base-uncased")
}

fn set(object: &Object, key: &str, value: impl Into<JsValue>) {
    Reflect::set(object, &JsValue::from_str(key), &value.into()).unwrap();
}

fn get_i32s(object: &JsValue, key: &str) -> Vec<i32> {
    Reflect::get(object, &JsValue::from_str(key)).unwrap().unchecked_into::<Int32Array>().to_vec()
}

#[wasm_bindgen_test]
fn every_recorded_collator_is_reproduced_through_the_core_api() {
    let mut calls = 0;
    for (_, json) in FIXTURES {
        let fixture = parse(json);
        for collator in &fixture.collators {
            calls += replay(&fixture, collator);
        }
    }
    assert_eq!(calls, 180);
}

#[wasm_bindgen_test]
fn the_js_masker_reproduces_both_streams() {
    let fixture = parse(FIXTURES[0].1);
    assert_eq!(fixture.tokenizer, "bert-base-uncased");
    let tokenizer = JsTokenizer::from_json(JsValue::from_str(bert()).unchecked_into(), None).unwrap();
    let mut backends = Vec::new();
    for collator in &fixture.collators {
        let options = Object::new();
        set(&options, "seed", collator.seed as f64);
        set(&options, "rng", if collator.return_tensors == "np" { "numpy" } else { "torch" });
        set(&options, "specialTokens", if collator.path == "dict" { "mask" } else { "ids" });
        set(&options, "mlmProbability", collator.mlm_probability);
        set(&options, "maskReplaceProb", collator.mask_replace_prob);
        set(&options, "randomReplaceProb", collator.random_replace_prob);
        let mut masker = JsMasker::new(&tokenizer, Some(options.unchecked_into())).unwrap();
        for (k, (call, batch)) in collator.calls.iter().zip(&fixture.batches).enumerate() {
            let input = Object::new();
            set(&input, "ids", Uint32Array::from(&batch.ids[..]));
            set(&input, "specialTokensMask", Uint8Array::from(&fixture::input_arrays(collator, batch)[..]));
            set(&input, "attentionMask", Uint8Array::from(&batch.attention_mask[..]));
            set(&input, "batchSize", batch.batch_size as f64);
            set(&input, "seqLen", batch.seq_len as f64);
            let out: JsValue = masker.mask(input.unchecked_into()).unwrap().into();
            let (input_ids, labels) = call.expected(batch);
            assert_eq!(get_i32s(&out, "inputIds"), input_ids, "{} call {k}: inputIds", collator.name);
            assert_eq!(get_i32s(&out, "labels"), labels, "{} call {k}: labels", collator.name);
        }
        backends.push(collator.return_tensors.clone());
    }
    assert!(backends.iter().any(|b| b == "np") && backends.iter().any(|b| b == "pt"));
}

#[wasm_bindgen_test]
fn wasm_libm_agrees_with_glibc_on_numpys_binomial_threshold() {
    assert_eq!(fixture::libm_disagreements(), Vec::<u32>::new());
}
