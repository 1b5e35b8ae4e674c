//! Conversions between JavaScript values and the core's types. Option bags go through
//! `serde-wasm-bindgen` (unknown keys are rejected, so a misspelt option fails loudly);
//! results are plain objects of typed arrays.

use js_sys::{Array, Float32Array, Int32Array, Int8Array, Object, Reflect, Uint32Array, Uint8Array};
use serde::Deserialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::masking::{
    BartOptions, ExactCountOptions, MaskedBatch, MaskingOptions, NgramOptions, RandomTokens, Replacement, Selection,
    SpanOptions, SpecialTokens, StrategyOptions, T5Options, WholeWordOptions, WordBoundary,
};
use crate::rng::{RngKind, MAX_SAFE_SEED};
use crate::tokenize::{
    EncodeOptions, Encoding, LoadOptions, OffsetUnit, Padding, Setting, Side, Truncation, TruncationStrategy,
};
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
    reject_unknown_keys(&value, what, known)?;
    serde_path_to_error::deserialize(serde_wasm_bindgen::Deserializer::from(value)).map_err(|e| {
        let inner = e.inner().to_string();
        let reason = inner.strip_prefix("Error: ").unwrap_or(&inner);
        match e.path().to_string().as_str() {
            "." => JsError::new(&format!("invalid {what}: {reason}")),
            field => JsError::new(&format!("invalid {what}: `{field}`: {reason}")),
        }
    })
}

fn reject_unknown_keys(value: &JsValue, what: &str, known: &[&str]) -> JsResult<()> {
    if !value.is_object() || Array::is_array(value) {
        return Err(JsError::new(&format!("{what} must be an object, got {}", type_name(value))));
    }
    for key in Object::keys(value.unchecked_ref::<Object>()).iter().filter_map(|k| k.as_string()) {
        if !known.contains(&key.as_str()) {
            return Err(JsError::new(&format!(
                "unknown option `{key}` in {what}; the options are: {}",
                known.join(", ")
            )));
        }
    }
    Ok(())
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
    offsets: Option<bool>,
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
        &["addSpecialTokens", "pair", "pairs", "truncation", "padding", "padToMultipleOf", "offsets"],
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
            // `offsets: false` skips computing them (all 0): cheaper for bulk tokenization.
            offsets: if o.offsets == Some(false) { OffsetUnit::None } else { OffsetUnit::Utf16 },
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
    #[serde(default, with = "serde_wasm_bindgen::preserve")]
    random_tokens: JsValue,
    never_select: Option<Vec<u32>>,
    seed: Option<f64>,
    pad_to_multiple_of: Option<usize>,
    #[serde(default, with = "serde_wasm_bindgen::preserve")]
    strategy: JsValue,
    rng: Option<RngDe>,
    special_tokens: Option<SpecialTokensDe>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
enum RngDe {
    Mlmask,
    Numpy,
    Torch,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
enum SpecialTokensDe {
    Mask,
    Ids,
}

#[derive(Deserialize)]
#[serde(tag = "type", rename_all = "camelCase", rename_all_fields = "camelCase")]
enum StrategyDe {
    Token,
    ExactCount {
        max_predictions: Option<usize>,
        count_special_tokens: Option<bool>,
    },
    WholeWord {
        word_boundary: Option<WordBoundaryDe>,
        replacement: Option<ReplacementDe>,
        selection: Option<SelectionDe>,
        max_predictions: Option<usize>,
    },
    Ngram {
        max_n: Option<usize>,
        ngram_probabilities: Option<Vec<f64>>,
        word_boundary: Option<WordBoundaryDe>,
        replacement: Option<ReplacementDe>,
    },
    Span {
        geometric_p: Option<f64>,
        min_span: Option<usize>,
        max_span: Option<usize>,
        word_boundary: Option<WordBoundaryDe>,
        replacement: Option<ReplacementDe>,
    },
    T5SpanCorruption {
        noise_density: Option<f64>,
        mean_noise_span_length: Option<f64>,
    },
    BartInfilling {
        mask_ratio: Option<f64>,
        poisson_lambda: Option<f64>,
        random_ratio: Option<f64>,
        word_boundary: Option<WordBoundaryDe>,
    },
}

#[derive(Deserialize, Clone, Copy)]
#[serde(rename_all = "camelCase")]
enum WordBoundaryDe {
    WordIds,
    OffsetsGap,
    WordpiecePrefix,
}

#[derive(Deserialize, Clone, Copy)]
#[serde(rename_all = "camelCase")]
enum ReplacementDe {
    Mask,
    PerToken,
    PerWord,
    PerSpan,
}

#[derive(Deserialize, Clone, Copy)]
#[serde(rename_all = "camelCase")]
enum SelectionDe {
    Bernoulli,
    ExactCount,
}

fn word_boundary(value: Option<WordBoundaryDe>) -> WordBoundary {
    match value {
        Some(WordBoundaryDe::WordIds) | None => WordBoundary::WordIds,
        Some(WordBoundaryDe::OffsetsGap) => WordBoundary::OffsetsGap,
        Some(WordBoundaryDe::WordpiecePrefix) => WordBoundary::WordpiecePrefix,
    }
}

fn replacement(value: Option<ReplacementDe>, default: Replacement) -> Replacement {
    match value {
        None => default,
        Some(ReplacementDe::Mask) => Replacement::MaskOnly,
        Some(ReplacementDe::PerToken) => Replacement::PerToken,
        Some(ReplacementDe::PerWord) => Replacement::PerWord,
        Some(ReplacementDe::PerSpan) => Replacement::PerSpan,
    }
}

/// The keys each strategy type takes, for the unknown-key check.
fn strategy_keys(kind: &str) -> &'static [&'static str] {
    match kind {
        "exactCount" => &["type", "maxPredictions", "countSpecialTokens"],
        "wholeWord" => &["type", "wordBoundary", "replacement", "selection", "maxPredictions"],
        "ngram" => &["type", "maxN", "ngramProbabilities", "wordBoundary", "replacement"],
        "span" => &["type", "geometricP", "minSpan", "maxSpan", "wordBoundary", "replacement"],
        "t5SpanCorruption" => &["type", "noiseDensity", "meanNoiseSpanLength"],
        "bartInfilling" => &["type", "maskRatio", "poissonLambda", "randomRatio", "wordBoundary"],
        _ => &["type"],
    }
}

fn strategy(value: JsValue) -> JsResult<StrategyOptions> {
    if value.is_undefined() || value.is_null() {
        return Ok(StrategyOptions::Token);
    }
    let kind = if value.is_object() { field(&value, "type")?.as_string().unwrap_or_default() } else { String::new() };
    let parsed: StrategyDe = parse_object(value, "`strategy`", strategy_keys(&kind))?;
    Ok(match parsed {
        StrategyDe::Token => StrategyOptions::Token,
        StrategyDe::ExactCount { max_predictions, count_special_tokens } => {
            let d = ExactCountOptions::default();
            StrategyOptions::ExactCount(ExactCountOptions {
                max_predictions: max_predictions.unwrap_or(d.max_predictions),
                count_special_tokens: count_special_tokens.unwrap_or(d.count_special_tokens),
            })
        }
        StrategyDe::WholeWord { word_boundary: b, replacement: r, selection, max_predictions } => {
            let d = WholeWordOptions::default();
            StrategyOptions::WholeWord(WholeWordOptions {
                word_boundary: word_boundary(b),
                replacement: replacement(r, d.replacement),
                selection: match selection {
                    Some(SelectionDe::Bernoulli) | None => Selection::Bernoulli,
                    Some(SelectionDe::ExactCount) => Selection::ExactCount,
                },
                max_predictions: max_predictions.unwrap_or(d.max_predictions),
            })
        }
        StrategyDe::Ngram { max_n, ngram_probabilities, word_boundary: b, replacement: r } => {
            let d = NgramOptions::default();
            StrategyOptions::Ngram(NgramOptions {
                max_n: max_n.unwrap_or(d.max_n),
                probabilities: ngram_probabilities,
                word_boundary: word_boundary(b),
                replacement: replacement(r, d.replacement),
            })
        }
        StrategyDe::Span { geometric_p, min_span, max_span, word_boundary: b, replacement: r } => {
            let d = SpanOptions::default();
            StrategyOptions::Span(SpanOptions {
                geometric_p: geometric_p.unwrap_or(d.geometric_p),
                min_span: min_span.unwrap_or(d.min_span),
                max_span: max_span.unwrap_or(d.max_span),
                word_boundary: word_boundary(b),
                replacement: replacement(r, d.replacement),
            })
        }
        StrategyDe::T5SpanCorruption { noise_density, mean_noise_span_length } => {
            let d = T5Options::default();
            StrategyOptions::T5SpanCorruption(T5Options {
                noise_density: noise_density.unwrap_or(d.noise_density),
                mean_noise_span_length: mean_noise_span_length.unwrap_or(d.mean_noise_span_length),
            })
        }
        StrategyDe::BartInfilling { mask_ratio, poisson_lambda, random_ratio, word_boundary: b } => {
            let d = BartOptions::default();
            StrategyOptions::BartInfilling(BartOptions {
                mask_ratio: mask_ratio.unwrap_or(d.mask_ratio),
                poisson_lambda: poisson_lambda.unwrap_or(d.poisson_lambda),
                random_ratio: random_ratio.unwrap_or(d.random_ratio),
                word_boundary: word_boundary(b),
            })
        }
    })
}

/// `"vocab"`, `"nonSpecial"`, or `{ weights }` with one weight per vocabulary id.
fn random_tokens(value: JsValue) -> JsResult<RandomTokens> {
    if value.is_undefined() || value.is_null() {
        return Ok(RandomTokens::Vocab);
    }
    match value.as_string().as_deref() {
        Some("vocab") => return Ok(RandomTokens::Vocab),
        Some("nonSpecial") => return Ok(RandomTokens::NonSpecial),
        _ => {}
    }
    if !value.is_object() || Array::is_array(&value) {
        return Err(JsError::new(&format!(
            "`randomTokens` must be \"vocab\", \"nonSpecial\" or {{ weights: Float32Array }}, got {}",
            value.as_string().map_or_else(|| type_name(&value), |s| format!("\"{s}\""))
        )));
    }
    reject_unknown_keys(&value, "`randomTokens`", &["weights"])?;
    let weights = number_array(&value, "weights")?;
    Ok(RandomTokens::Weights(Float32Array::new(&weights).to_vec()))
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
            "neverSelect",
            "specialTokens",
        ],
    )?;
    let defaults = MaskingOptions::default();
    Ok(MaskingOptions {
        mlm: o.mlm.unwrap_or(defaults.mlm),
        mlm_probability: o.mlm_probability.unwrap_or(defaults.mlm_probability),
        mask_replace_prob: o.mask_replace_prob.unwrap_or(defaults.mask_replace_prob),
        random_replace_prob: o.random_replace_prob.unwrap_or(defaults.random_replace_prob),
        random_tokens: random_tokens(o.random_tokens)?,
        never_select: o.never_select.unwrap_or_default(),
        seed: o.seed.map(seed).transpose()?,
        pad_to_multiple_of: o.pad_to_multiple_of,
        strategy: strategy(o.strategy)?,
        rng: match o.rng {
            Some(RngDe::Mlmask) | None => RngKind::Mlmask,
            Some(RngDe::Numpy) => RngKind::Numpy,
            Some(RngDe::Torch) => RngKind::Torch,
        },
        special_tokens: match o.special_tokens {
            Some(SpecialTokensDe::Mask) | None => SpecialTokens::Mask,
            Some(SpecialTokensDe::Ids) => SpecialTokens::Ids,
        },
    })
}

/// The arrays `Masker.mask` reads, copied out of JS.
pub struct MaskArrays {
    pub ids: Vec<u32>,
    pub special_tokens_mask: Vec<u8>,
    pub attention_mask: Vec<u8>,
    pub word_ids: Option<Vec<i32>>,
    pub offsets: Option<Vec<u32>>,
    pub batch_size: usize,
    pub seq_len: usize,
}

/// A property name as a JS string, decoded once and then cached: decoding a string out of
/// wasm memory (TextDecoder) costs several times the property access itself (bench/README.md).
/// The names are few (the result and option fields), so a short list scanned in order will do.
fn key(name: &str) -> JsValue {
    thread_local!(static KEYS: std::cell::RefCell<Vec<(String, JsValue)>> = const { std::cell::RefCell::new(Vec::new()) });
    KEYS.with(|keys| {
        if let Some((_, k)) = keys.borrow().iter().find(|(n, _)| n == name) {
            return k.clone();
        }
        let k = JsValue::from_str(name);
        keys.borrow_mut().push((name.to_owned(), k.clone()));
        k
    })
}

#[wasm_bindgen]
extern "C" {
    /// A plain object, written with `o[key] = value`.
    #[wasm_bindgen(js_name = Object)]
    type PlainObject;
    /// `Reflect.set` goes through wasm-bindgen's exception wrapper; a fresh plain object's own
    /// property cannot throw, so plain assignment does.
    #[wasm_bindgen(method, structural, indexing_setter)]
    fn put(this: &PlainObject, key: &JsValue, value: &JsValue);
}

/// Typed arrays that share one fresh `ArrayBuffer`: one copy out of wasm memory and one
/// allocation for all of a result's arrays, instead of one of each per array. Each array is
/// a view at a 4-aligned offset (`array.buffer` is the shared buffer).
struct Pack {
    bytes: Vec<u8>,
    fields: Vec<(&'static str, u8, usize, usize)>,
}

impl Pack {
    fn add<const N: usize>(&mut self, name: &'static str, kind: u8, items: impl ExactSizeIterator<Item = [u8; N]>) {
        self.bytes.resize(self.bytes.len().next_multiple_of(4), 0);
        self.fields.push((name, kind, self.bytes.len(), items.len()));
        self.bytes.reserve(items.len() * N);
        items.for_each(|b| self.bytes.extend_from_slice(&b));
    }
    fn u32(&mut self, name: &'static str, xs: &[u32]) {
        self.add(name, 0, xs.iter().map(|x| x.to_le_bytes()));
    }
    fn i32(&mut self, name: &'static str, xs: &[i32]) {
        self.add(name, 1, xs.iter().map(|x| x.to_le_bytes()));
    }
    fn u8(&mut self, name: &'static str, xs: &[u8]) {
        self.add(name, 2, xs.iter().map(|&x| [x]));
    }
    fn i8(&mut self, name: &'static str, xs: &[i8]) {
        self.add(name, 3, xs.iter().map(|x| x.to_le_bytes()));
    }
    fn set_on(self, o: &Object) {
        let buffer = Uint8Array::from(&self.bytes[..]).buffer();
        for (name, kind, at, len) in self.fields {
            let (at, len) = (at as u32, len as u32);
            let view: JsValue = match kind {
                0 => Uint32Array::new_with_byte_offset_and_length(&buffer, at, len).into(),
                1 => Int32Array::new_with_byte_offset_and_length(&buffer, at, len).into(),
                2 => Uint8Array::new_with_byte_offset_and_length(&buffer, at, len).into(),
                _ => Int8Array::new_with_byte_offset_and_length(&buffer, at, len).into(),
            };
            set(o, name, view);
        }
    }
}

fn field(object: &JsValue, name: &str) -> JsResult<JsValue> {
    Reflect::get(object, &key(name)).map_err(|_| JsError::new(&format!("could not read `{name}`")))
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
    // A typed array of the right type is read as it is; anything else is converted first.
    let ids = number_array(value, "ids")?.dyn_into().unwrap_or_else(|v| Uint32Array::new(&v)).to_vec();
    let special_tokens_mask =
        number_array(value, "specialTokensMask")?.dyn_into().unwrap_or_else(|v| Uint8Array::new(&v)).to_vec();
    let attention_mask =
        number_array(value, "attentionMask")?.dyn_into().unwrap_or_else(|v| Uint8Array::new(&v)).to_vec();
    let optional = |name: &str| -> JsResult<Option<JsValue>> {
        if field(value, name)?.is_undefined() {
            Ok(None)
        } else {
            number_array(value, name).map(Some)
        }
    };
    let word_ids = optional("wordIds")?.map(|v| v.dyn_into().unwrap_or_else(|v| Int32Array::new(&v)).to_vec());
    let offsets = optional("offsets")?.map(|v| v.dyn_into().unwrap_or_else(|v| Uint32Array::new(&v)).to_vec());
    let batch_size = dimension(value, "batchSize")?.unwrap_or(1);
    let seq_len = match dimension(value, "seqLen")? {
        Some(n) => n,
        None if batch_size == 0 => 0,
        None => ids.len() / batch_size,
    };
    Ok(MaskArrays { ids, special_tokens_mask, attention_mask, word_ids, offsets, batch_size, seq_len })
}

fn set(object: &Object, key: &str, value: impl Into<JsValue>) {
    object.unchecked_ref::<PlainObject>().put(&self::key(key), &value.into());
}

/// A `string[]`: one string crossing and a native `split` rather than one decode per item,
/// unless an item contains the separator.
fn strings(items: &[String]) -> Array {
    if items.len() > 1 && !items.iter().any(|s| s.contains('\0')) {
        return js_sys::JsString::from(items.join("\0").as_str()).split("\0");
    }
    items.iter().map(|s| JsValue::from_str(s)).collect()
}

pub fn encoding_object(e: &Encoding) -> Object {
    let o = Object::new();
    let offsets: Vec<u32> = e
        .offsets
        .iter()
        .flat_map(|&(s, end)| [crate::collate::saturate_u32(s), crate::collate::saturate_u32(end)])
        .collect();
    let mut pack = Pack { bytes: Vec::with_capacity(e.ids.len() * 24 + 32), fields: Vec::with_capacity(7) };
    pack.u32("ids", &e.ids);
    set(&o, "tokens", strings(&e.tokens));
    pack.u32("typeIds", &e.type_ids);
    pack.u32("offsets", &offsets);
    pack.u8("specialTokensMask", &e.special_tokens_mask);
    pack.u8("attentionMask", &e.attention_mask);
    pack.i32("wordIds", &e.word_ids);
    pack.i8("sequenceIds", &e.sequence_ids);
    pack.set_on(&o);
    o
}

pub fn batch_object(b: &Batch) -> Object {
    let o = Object::new();
    set(&o, "batchSize", b.batch_size as f64);
    set(&o, "seqLen", b.seq_len as f64);
    let mut pack = Pack { bytes: Vec::with_capacity(b.ids.len() * 24 + 32), fields: Vec::with_capacity(7) };
    pack.u32("ids", &b.ids);
    pack.u32("typeIds", &b.type_ids);
    pack.u32("offsets", &b.offsets);
    pack.u8("specialTokensMask", &b.special_tokens_mask);
    pack.u8("attentionMask", &b.attention_mask);
    pack.i32("wordIds", &b.word_ids);
    pack.i8("sequenceIds", &b.sequence_ids);
    pack.set_on(&o);
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
    set(&o, "labelsLen", m.labels_len as f64);
    set(&o, "sourceLen", m.source_len as f64);
    if let Some(span_ids) = &m.span_ids {
        set(&o, "spanIds", Int32Array::from(&span_ids[..]));
    }
    if let Some(p) = &m.predictions {
        set(&o, "maxPredictions", p.max_predictions as f64);
        set(&o, "maskedPositions", Int32Array::from(&p.positions[..]));
        set(&o, "maskedIds", Int32Array::from(&p.ids[..]));
        set(&o, "maskedWeights", Float32Array::from(&p.weights[..]));
    }
    o
}

pub fn with_batch(masked: Object, batch: &Batch) -> Object {
    set(&masked, "batch", batch_object(batch));
    masked
}
