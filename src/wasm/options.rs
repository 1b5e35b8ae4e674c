//! Arguments and option bags: JS values read into the core's option types, and the core's
//! errors and option catalog made ready for JS.
//!
//! An option bag is copied into plain data by `plainCopy` in arrays.js (so reading it cannot
//! throw), then deserialized by the core type's own `Deserialize` (see `crate::schema`): the
//! names, defaults and unknown-key checks are the core's, and nothing here repeats them.

use js_sys::Array;
use serde::Deserialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::de::{self, ErrorKind};
use super::results::{boolean_encode_options, plain_copy};
use crate::encoding::{EncodeOptions, OffsetUnit};
use crate::masking::{MaskingOptions, Packing};
use crate::schema::{self, fields_of, Kind, Param};
use crate::tokenize::LoadOptions;
use crate::StrategyOptions;

pub type JsResult<T> = Result<T, JsError>;

/// A core error for JS callers: each backticked Rust name (`mlm_probability`) becomes its
/// camelCase JS name (`mlmProbability`), as serde's `rename_all = "camelCase"` spells it. The
/// errors that quote a tokenizer file or the `tokenizers` crate are passed on as they are.
pub fn js_error(error: crate::Error) -> JsError {
    let message = error.to_string();
    match error {
        crate::Error::TokenizerLoad(_) | crate::Error::TokenizerNotUtf8(_) | crate::Error::Encode(_) => {
            JsError::new(&message)
        }
        _ => JsError::new(&camel_case_names(&message)),
    }
}

/// `snake_case` names in backticks turned into camelCase; everything else unchanged.
fn camel_case_names(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut in_code = false;
    let mut chars = message.chars().peekable();
    let mut previous = ' ';
    while let Some(c) = chars.next() {
        if c == '`' {
            in_code = !in_code;
        }
        let next = chars.peek().copied().unwrap_or(' ');
        if in_code && c == '_' && previous.is_ascii_alphanumeric() && next.is_ascii_lowercase() {
            out.push(next.to_ascii_uppercase());
            chars.next();
            previous = next;
            continue;
        }
        out.push(c);
        previous = c;
    }
    out
}

/// Deserialize an optional option bag; `undefined` and `null` give the defaults.
fn options<T: for<'de> Deserialize<'de> + Default>(value: JsValue, what: &str) -> JsResult<T> {
    if value.is_undefined() || value.is_null() {
        return Ok(T::default());
    }
    if !value.is_object() || Array::is_array(&value) {
        return Err(JsError::new(&format!("{what} must be an object, got {}", type_name(&value))));
    }
    de::from_js(plain(&value, what)?).map_err(|e| deserialize_error(e, what))
}

/// `value` copied into plain data (see `plainCopy` in arrays.js), so reading it cannot throw.
fn plain(value: &JsValue, what: &str) -> JsResult<JsValue> {
    let copy = plain_copy(value);
    match copy.dyn_ref::<js_sys::Error>() {
        Some(e) => Err(JsError::new(&format!("could not read the {what}: {}", String::from(e.message())))),
        None => Ok(copy),
    }
}

/// serde's error, with the path of the option at fault.
fn deserialize_error(error: de::Error, what: &str) -> JsError {
    let path = error.path();
    JsError::new(&match (&error.kind, path.as_str()) {
        (ErrorKind::UnknownField { field, expected }, "") => {
            format!("unknown option `{field}` in {what}; {}", the_options(expected))
        }
        (ErrorKind::UnknownField { field, expected }, path) => {
            format!("unknown option `{field}` in `{path}`; {}", the_options(expected))
        }
        (ErrorKind::Message(reason), "") => format!("invalid {what}: {reason}"),
        (ErrorKind::Message(reason), path) => format!("invalid {what}: `{path}`: {reason}"),
    })
}

fn the_options(expected: &[&str]) -> String {
    match expected {
        [] => "it takes none".into(),
        _ => format!("the options are: {}", expected.join(", ")),
    }
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

pub fn load_options(value: JsValue) -> JsResult<LoadOptions> {
    options(value, "tokenizer load options")
}

/// What `encode` (`pair`), `encodeBatch` (`pairs`) and `collate` (`packing`) take in their
/// options bag besides the core's [`EncodeOptions`].
#[derive(Deserialize, Default)]
#[serde(default)]
struct CallExtras {
    pair: Option<String>,
    pairs: Option<Vec<String>>,
    packing: Option<Packing>,
}

/// Encode options, the pair text(s) and packing they carry.
pub struct EncodeArgs {
    pub options: EncodeOptions,
    pub pair: Option<String>,
    pub pairs: Option<Vec<String>>,
    pub packing: Option<Packing>,
}

/// Which call the encode options are for: each takes its own extras.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum EncodeCall {
    Encode,
    EncodeBatch,
    Collate,
}

pub fn encode_options(value: JsValue, call: EncodeCall) -> JsResult<EncodeArgs> {
    let batch = call != EncodeCall::Encode;
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
            packing: None,
        });
    }
    const WHAT: &str = "encode options";
    if !value.is_object() || Array::is_array(&value) {
        return Err(JsError::new(&format!("{WHAT} must be an object, got {}", type_name(&value))));
    }
    // The extras first, then the options without them (the copy is ours to change).
    let bag = plain(&value, WHAT)?;
    let extras: CallExtras = de::from_js(bag.clone()).map_err(|e| deserialize_error(e, WHAT))?;
    for key in fields_of::<CallExtras>() {
        js_sys::Reflect::delete_property(bag.unchecked_ref::<js_sys::Object>(), &JsValue::from_str(key))
            .map_err(|_| JsError::new("could not read the encode options"))?;
    }
    let options: EncodeOptions = de::from_js(bag).map_err(|e| match e.kind {
        // The unknown-key message lists the call's extras too.
        ErrorKind::UnknownField { ref field, .. } if e.path.is_empty() => {
            let mut known: Vec<&str> = fields_of::<EncodeOptions>().to_vec();
            known.extend(fields_of::<CallExtras>().iter().filter(|&&f| f != "packing" || call == EncodeCall::Collate));
            JsError::new(&format!("unknown option `{field}` in {WHAT}; the options are: {}", known.join(", ")))
        }
        _ => deserialize_error(e, WHAT),
    })?;
    if batch && extras.pair.is_some() {
        return Err(JsError::new("`pair` is for encode(); encodeBatch() takes `pairs`, one per text"));
    }
    if !batch && extras.pairs.is_some() {
        return Err(JsError::new("`pairs` is for encodeBatch(); encode() takes one `pair` text"));
    }
    if call != EncodeCall::Collate && extras.packing.is_some() {
        return Err(JsError::new("`packing` is for collate(), which masks and then packs the texts"));
    }
    // The JS side builds an encoding's token strings from its ids when they are read.
    Ok(EncodeArgs {
        options: EncodeOptions { token_strings: false, ..options },
        pair: extras.pair,
        pairs: extras.pairs,
        packing: extras.packing,
    })
}

/// A JS number as a seed (see `crate::rng::seed_from_number`).
pub fn seed(value: f64) -> JsResult<u64> {
    crate::rng::seed_from_number(value).map_err(js_error)
}

pub fn masker_options(value: JsValue) -> JsResult<MaskingOptions> {
    options(value, "masker options")
}

/// Every strategy with its parameters (see `StrategyOptions::catalog`).
pub fn strategies() -> JsValue {
    js_sys::JSON::parse(&schema::to_json(&StrategyOptions::catalog())).expect("valid JSON")
}

/// The option sets of the JS API: the core's, with the pair texts and packing in `EncodeOptions`.
pub fn option_schema() -> JsValue {
    let mut sets = crate::option_sets();
    for set in sets.iter_mut().filter(|s| s.name == "EncodeOptions") {
        set.params.push(Param::of("pair", Kind::String));
        set.params.push(Param::of("pairs", Kind::List { items: Box::new(Kind::String) }));
        set.params.push(Param::of("packing", Kind::Object { set: "Packing" }));
    }
    js_sys::JSON::parse(&schema::to_json(&sets)).expect("valid JSON")
}
