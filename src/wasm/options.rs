//! Arguments and option bags: JS values read into the core's option types. Option bags go
//! through `serde-wasm-bindgen` (unknown keys are rejected, so a misspelt option fails loudly),
//! and are first copied into plain data by `plainCopy` in arrays.js, so reading them cannot throw.

use js_sys::{Array, Float32Array, Object, Reflect};
use serde::Deserialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::results::{boolean_encode_options, plain_copy};
use crate::encoding::{EncodeOptions, OffsetUnit, Padding, Setting, Side, Truncation, TruncationStrategy};
use crate::masking::{
    BartOptions, ExactCountOptions, MaskingOptions, NgramOptions, RandomTokens, Replacement, Selection, SpanOptions,
    SpecialTokens, StrategyOptions, T5Options, WholeWordOptions, WordBoundary,
};
use crate::rng::{RngKind, MAX_SAFE_SEED};
use crate::tokenize::LoadOptions;

pub type JsResult<T> = Result<T, JsError>;

/// Deserialize an optional option bag; `undefined` and `null` give the defaults.
fn options<T: for<'de> Deserialize<'de> + Default>(value: JsValue, what: &str, known: &[&str]) -> JsResult<T> {
    if value.is_undefined() || value.is_null() {
        return Ok(T::default());
    }
    parse_object(plain(&value, what)?, what, known)
}

/// `value` copied into plain data (see `plainCopy` in arrays.js), so reading it cannot throw.
fn plain(value: &JsValue, what: &str) -> JsResult<JsValue> {
    let copy = plain_copy(value);
    match copy.dyn_ref::<js_sys::Error>() {
        Some(e) => Err(JsError::new(&format!("could not read the {what}: {}", String::from(e.message())))),
        None => Ok(copy),
    }
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
    let copy = if Array::is_array(value) { plain(value, &format!("`{name}`"))? } else { value.clone() };
    let array = copy
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
    // The common per-call bags ({ offsets: false }, { addSpecialTokens: false }, none) in one
    // crossing; anything else takes the general path below.
    if let Ok(bits) = u8::try_from(boolean_encode_options(&value)) {
        let given = |bit: u8, default: bool| if bits & bit != 0 { bits & (bit << 1) != 0 } else { default };
        return Ok(EncodeArgs {
            options: EncodeOptions {
                add_special_tokens: given(1, true),
                offsets: if given(4, true) { OffsetUnit::Utf16 } else { OffsetUnit::None },
                token_strings: false,
                ..EncodeOptions::default()
            },
            pair: None,
            pairs: None,
        });
    }
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
            // The JS side builds an encoding's token strings from its ids when they are read.
            token_strings: false,
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

/// A property name as a JS string, decoded once and then cached: decoding a string out of
/// wasm memory (TextDecoder) costs several times the property access itself (bench/README.md).
/// The names are few (option fields), so a short list scanned in order will do.
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
