//! Conversions between JavaScript values and the core's types. Option bags go through
//! `serde-wasm-bindgen` (unknown keys are rejected, so a misspelt option fails loudly);
//! results are plain objects of typed arrays.

use js_sys::{Array, Int32Array, Int8Array, Object, Reflect, Uint32Array, Uint8Array};
use serde::Deserialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::masking::{MaskedBatch, MaskingOptions, RandomTokens, StrategyOptions};
use crate::rng::{RngKind, MAX_SAFE_SEED};
use crate::tokenize::{EncodeOptions, Encoding, LoadOptions, Padding, Setting, Side, Truncation, TruncationStrategy};
use crate::Batch;

pub type JsResult<T> = Result<T, JsError>;

/// Deserialize an optional option bag; `undefined` and `null` give the defaults.
fn options<T: for<'de> Deserialize<'de> + Default>(value: JsValue, what: &str, known: &[&str]) -> JsResult<T> {
    if value.is_undefined() || value.is_null() {
        return Ok(T::default());
    }
    parse_object(value, what, known)
}

/// Deserialize an object, rejecting keys it does not know: serde-wasm-bindgen reads only the
/// fields a struct declares, so a misspelt option would otherwise be ignored silently.
fn parse_object<T: for<'de> Deserialize<'de>>(value: JsValue, what: &str, known: &[&str]) -> JsResult<T> {
    if !value.is_object() || Array::is_array(&value) {
        return Err(JsError::new(&format!("{what} must be an object, got {}", type_name(&value))));
    }
    for key in Object::keys(value.unchecked_ref::<Object>()).iter().filter_map(|k| k.as_string()) {
        if !known.contains(&key.as_str()) {
            return Err(JsError::new(&format!(
                "unknown option `{key}` in {what}; the options are: {}",
                known.join(", ")
            )));
        }
    }
    serde_path_to_error::deserialize(serde_wasm_bindgen::Deserializer::from(value)).map_err(|e| {
        let inner = e.inner().to_string();
        let reason = inner.strip_prefix("Error: ").unwrap_or(&inner);
        match e.path().to_string().as_str() {
            "." => JsError::new(&format!("invalid {what}: {reason}")),
            field => JsError::new(&format!("invalid {what}: `{field}`: {reason}")),
        }
    })
}

/// `typeof`, with arrays and null told apart, for error messages.
pub fn type_name(value: &JsValue) -> String {
    if value.is_null() {
        "null".into()
    } else if Array::is_array(value) {
        "an array".into()
    } else {
        value.js_typeof().as_string().unwrap_or_default()
    }
}

/// A required string argument.
pub fn string_arg(value: &JsValue, name: &str) -> JsResult<String> {
    value.as_string().ok_or_else(|| JsError::new(&format!("`{name}` must be a string, got {}", type_name(value))))
}

/// A required `string[]` argument.
pub fn string_array_arg(value: &JsValue, name: &str) -> JsResult<Vec<String>> {
    let array = value
        .dyn_ref::<Array>()
        .ok_or_else(|| JsError::new(&format!("`{name}` must be an array of strings, got {}", type_name(value))))?;
    array.iter().enumerate().map(|(i, item)| string_arg(&item, &format!("{name}[{i}]"))).collect()
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct LoadOptionsDe {
    mask_token: Option<String>,
    pad_token: Option<String>,
}

pub fn load_options(value: JsValue) -> JsResult<LoadOptions> {
    let o: LoadOptionsDe = options(value, "tokenizer load options", &["maskToken", "padToken"])?;
    Ok(LoadOptions { mask_token: o.mask_token, pad_token: o.pad_token })
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct EncodeOptionsDe {
    add_special_tokens: Option<bool>,
    pair: Option<String>,
    pairs: Option<Vec<String>>,
    #[serde(default, with = "serde_wasm_bindgen::preserve")]
    truncation: JsValue,
    #[serde(default, with = "serde_wasm_bindgen::preserve")]
    padding: JsValue,
    pad_to_multiple_of: Option<usize>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
enum SideDe {
    Left,
    Right,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct TruncationDe {
    max_length: usize,
    strategy: Option<TruncationStrategyDe>,
    side: Option<SideDe>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
enum TruncationStrategyDe {
    LongestFirst,
    OnlyFirst,
    OnlySecond,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct PaddingDe {
    length: Option<usize>,
    pad_to_multiple_of: Option<usize>,
    side: Option<SideDe>,
}

fn side(side: Option<SideDe>) -> Side {
    match side {
        Some(SideDe::Left) => Side::Left,
        Some(SideDe::Right) | None => Side::Right,
    }
}

/// `undefined` defers to the file, `false` turns the setting off, an object replaces it.
fn setting<T, D: for<'de> Deserialize<'de>>(
    value: JsValue,
    name: &str,
    known: &[&str],
    make: impl FnOnce(D) -> T,
) -> JsResult<Setting<T>> {
    if value.is_undefined() || value.is_null() {
        return Ok(Setting::FromFile);
    }
    if value.as_bool() == Some(false) {
        return Ok(Setting::Off);
    }
    if !value.is_object() || Array::is_array(&value) {
        return Err(JsError::new(&format!(
            "`{name}` must be false or an object with {}, got {}",
            known.join(", "),
            type_name(&value)
        )));
    }
    Ok(Setting::Set(make(parse_object(value, &format!("`{name}`"), known)?)))
}

/// Encode options, the pair text(s) they carry, and whether they came from `encodeBatch`.
pub struct EncodeArgs {
    pub options: EncodeOptions,
    pub pair: Option<String>,
    pub pairs: Option<Vec<String>>,
}

pub fn encode_options(value: JsValue, batch: bool) -> JsResult<EncodeArgs> {
    let o: EncodeOptionsDe = options(
        value,
        "encode options",
        &["addSpecialTokens", "pair", "pairs", "truncation", "padding", "padToMultipleOf"],
    )?;
    if batch && o.pair.is_some() {
        return Err(JsError::new("`pair` is for encode(); encodeBatch() takes `pairs`, one per text"));
    }
    if !batch && o.pairs.is_some() {
        return Err(JsError::new("`pairs` is for encodeBatch(); encode() takes one `pair` text"));
    }
    let truncation =
        setting(o.truncation, "truncation", &["maxLength", "strategy", "side"], |t: TruncationDe| Truncation {
            max_length: t.max_length,
            strategy: match t.strategy {
                Some(TruncationStrategyDe::LongestFirst) | None => TruncationStrategy::LongestFirst,
                Some(TruncationStrategyDe::OnlyFirst) => TruncationStrategy::OnlyFirst,
                Some(TruncationStrategyDe::OnlySecond) => TruncationStrategy::OnlySecond,
            },
            side: side(t.side),
        })?;
    let padding = setting(o.padding, "padding", &["length", "padToMultipleOf", "side"], |p: PaddingDe| Padding {
        length: p.length,
        pad_to_multiple_of: p.pad_to_multiple_of,
        side: side(p.side),
    })?;
    Ok(EncodeArgs {
        options: EncodeOptions {
            add_special_tokens: o.add_special_tokens.unwrap_or(true),
            truncation,
            padding,
            pad_to_multiple_of: o.pad_to_multiple_of,
            ..EncodeOptions::default()
        },
        pair: o.pair,
        pairs: o.pairs,
    })
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct MaskerOptionsDe {
    mlm: Option<bool>,
    mlm_probability: Option<f64>,
    mask_replace_prob: Option<f64>,
    random_replace_prob: Option<f64>,
    random_tokens: Option<RandomTokensDe>,
    seed: Option<f64>,
    pad_to_multiple_of: Option<usize>,
    #[serde(default, with = "serde_wasm_bindgen::preserve")]
    strategy: JsValue,
    rng: Option<RngDe>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
enum RngDe {
    Mlmask,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
enum RandomTokensDe {
    Vocab,
    NonSpecial,
}

#[derive(Deserialize)]
#[serde(tag = "type", rename_all = "camelCase")]
enum StrategyDe {
    Token,
}

fn strategy(value: JsValue) -> JsResult<StrategyOptions> {
    if value.is_undefined() || value.is_null() {
        return Ok(StrategyOptions::Token);
    }
    let parsed: StrategyDe = parse_object(value, "`strategy`", &["type"])?;
    Ok(match parsed {
        StrategyDe::Token => StrategyOptions::Token,
    })
}

/// A JS number as a seed: a non-negative integer that a double holds exactly.
pub fn seed(value: f64) -> JsResult<u64> {
    if value.fract() != 0.0 || !(0.0..=MAX_SAFE_SEED as f64).contains(&value) {
        return Err(crate::Error::InvalidSeed(value).into());
    }
    Ok(value as u64)
}

pub fn masker_options(value: JsValue) -> JsResult<MaskingOptions> {
    let o: MaskerOptionsDe = options(
        value,
        "masker options",
        &[
            "mlm",
            "mlmProbability",
            "maskReplaceProb",
            "randomReplaceProb",
            "randomTokens",
            "seed",
            "padToMultipleOf",
            "strategy",
            "rng",
        ],
    )?;
    let defaults = MaskingOptions::default();
    Ok(MaskingOptions {
        mlm: o.mlm.unwrap_or(defaults.mlm),
        mlm_probability: o.mlm_probability.unwrap_or(defaults.mlm_probability),
        mask_replace_prob: o.mask_replace_prob.unwrap_or(defaults.mask_replace_prob),
        random_replace_prob: o.random_replace_prob.unwrap_or(defaults.random_replace_prob),
        random_tokens: match o.random_tokens {
            Some(RandomTokensDe::Vocab) | None => RandomTokens::Vocab,
            Some(RandomTokensDe::NonSpecial) => RandomTokens::NonSpecial,
        },
        seed: o.seed.map(seed).transpose()?,
        pad_to_multiple_of: o.pad_to_multiple_of,
        strategy: strategy(o.strategy)?,
        rng: match o.rng {
            Some(RngDe::Mlmask) | None => RngKind::Mlmask,
        },
    })
}

/// The arrays `Masker.mask` reads, copied out of JS.
pub struct MaskArrays {
    pub ids: Vec<u32>,
    pub special_tokens_mask: Vec<u8>,
    pub attention_mask: Vec<u8>,
    pub batch_size: usize,
    pub seq_len: usize,
}

fn field(object: &JsValue, name: &str) -> JsResult<JsValue> {
    Reflect::get(object, &JsValue::from_str(name)).map_err(|_| JsError::new(&format!("could not read `{name}`")))
}

fn number_array(object: &JsValue, name: &str) -> JsResult<JsValue> {
    let value = field(object, name)?;
    if value.is_undefined() {
        return Err(JsError::new(&format!(
            "the encoding has no `{name}`; pass the object returned by encode() or encodeBatch()"
        )));
    }
    if !(Array::is_array(&value) || js_sys::ArrayBuffer::is_view(&value)) {
        return Err(JsError::new(&format!(
            "`{name}` must be a typed array or an array of numbers, got {}",
            type_name(&value)
        )));
    }
    Ok(value)
}

fn dimension(object: &JsValue, name: &str) -> JsResult<Option<usize>> {
    let value = field(object, name)?;
    if value.is_undefined() {
        return Ok(None);
    }
    match value.as_f64() {
        Some(n) if n.fract() == 0.0 && n >= 0.0 && n <= u32::MAX as f64 => Ok(Some(n as usize)),
        _ => Err(JsError::new(&format!("`{name}` must be a non-negative integer, got {value:?}"))),
    }
}

pub fn mask_arrays(value: &JsValue) -> JsResult<MaskArrays> {
    if !value.is_object() {
        return Err(JsError::new(&format!(
            "mask() takes an encoding or batch object from encode() or encodeBatch(), got {}",
            type_name(value)
        )));
    }
    let ids = Uint32Array::new(&number_array(value, "ids")?).to_vec();
    let special_tokens_mask = Uint8Array::new(&number_array(value, "specialTokensMask")?).to_vec();
    let attention_mask = Uint8Array::new(&number_array(value, "attentionMask")?).to_vec();
    let batch_size = dimension(value, "batchSize")?.unwrap_or(1);
    let seq_len = match dimension(value, "seqLen")? {
        Some(n) => n,
        None if batch_size == 0 => 0,
        None => ids.len() / batch_size,
    };
    Ok(MaskArrays { ids, special_tokens_mask, attention_mask, batch_size, seq_len })
}

fn set(object: &Object, key: &str, value: impl Into<JsValue>) {
    // Setting a fresh plain object's own property cannot fail.
    let _ = Reflect::set(object, &JsValue::from_str(key), &value.into());
}

fn strings(items: &[String]) -> Array {
    items.iter().map(|s| JsValue::from_str(s)).collect()
}

pub fn encoding_object(e: &Encoding) -> Object {
    let o = Object::new();
    let offsets: Vec<u32> = e
        .offsets
        .iter()
        .flat_map(|&(s, end)| [crate::collate::saturate_u32(s), crate::collate::saturate_u32(end)])
        .collect();
    set(&o, "ids", Uint32Array::from(&e.ids[..]));
    set(&o, "tokens", strings(&e.tokens));
    set(&o, "typeIds", Uint32Array::from(&e.type_ids[..]));
    set(&o, "offsets", Uint32Array::from(&offsets[..]));
    set(&o, "specialTokensMask", Uint8Array::from(&e.special_tokens_mask[..]));
    set(&o, "attentionMask", Uint8Array::from(&e.attention_mask[..]));
    set(&o, "wordIds", Int32Array::from(&e.word_ids[..]));
    set(&o, "sequenceIds", Int8Array::from(&e.sequence_ids[..]));
    o
}

pub fn batch_object(b: &Batch) -> Object {
    let o = Object::new();
    set(&o, "batchSize", b.batch_size as f64);
    set(&o, "seqLen", b.seq_len as f64);
    set(&o, "ids", Uint32Array::from(&b.ids[..]));
    set(&o, "typeIds", Uint32Array::from(&b.type_ids[..]));
    set(&o, "offsets", Uint32Array::from(&b.offsets[..]));
    set(&o, "specialTokensMask", Uint8Array::from(&b.special_tokens_mask[..]));
    set(&o, "attentionMask", Uint8Array::from(&b.attention_mask[..]));
    set(&o, "wordIds", Int32Array::from(&b.word_ids[..]));
    set(&o, "sequenceIds", Int8Array::from(&b.sequence_ids[..]));
    o
}

pub fn masked_object(m: &MaskedBatch) -> Object {
    let o = Object::new();
    set(&o, "batchSize", m.batch_size as f64);
    set(&o, "seqLen", m.seq_len as f64);
    set(&o, "inputIds", Int32Array::from(&m.input_ids[..]));
    set(&o, "labels", Int32Array::from(&m.labels[..]));
    set(&o, "attentionMask", Uint8Array::from(&m.attention_mask[..]));
    set(&o, "outcome", Uint8Array::from(&m.outcome[..]));
    o
}

pub fn with_batch(masked: Object, batch: &Batch) -> Object {
    set(&masked, "batch", batch_object(batch));
    masked
}
