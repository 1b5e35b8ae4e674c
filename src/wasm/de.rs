//! A serde `Deserializer` over plain JS data (what `plainCopy` in arrays.js returns), so the
//! core's option types deserialize straight from a JS value.
//!
//! Unlike serde-wasm-bindgen, which reads only the fields a struct declares, it walks an
//! object's own keys, so `deny_unknown_fields` sees a misspelt option. A key whose value is
//! `undefined` or `null` counts as absent, as optional properties do in TypeScript. Integral
//! numbers are read as integers, others as floats; typed arrays are read in one copy. Errors
//! carry the path of the value at fault (`strategy.type`).

use js_sys::{Array, Float64Array, Object, Reflect};
use serde::de::{self, DeserializeSeed, IntoDeserializer, Visitor};
use wasm_bindgen::{JsCast, JsValue};

/// A deserialization error and where it happened.
#[derive(Debug)]
pub struct Error {
    /// The keys (and `[index]`es) from the outer value to the one at fault, outermost first.
    pub path: Vec<String>,
    /// What went wrong.
    pub kind: ErrorKind,
}

/// What went wrong.
#[derive(Debug)]
pub enum ErrorKind {
    /// A key the object's type does not take, and the ones it does.
    UnknownField { field: String, expected: &'static [&'static str] },
    /// serde's message.
    Message(String),
}

impl Error {
    /// The error, one level further out: inside the value at `segment`.
    fn at(mut self, segment: String) -> Self {
        self.path.insert(0, segment);
        self
    }

    /// The path, dotted: `strategy.type`, `pairs[1]`.
    pub fn path(&self) -> String {
        let mut out = String::new();
        for segment in &self.path {
            if !out.is_empty() && !segment.starts_with('[') {
                out.push('.');
            }
            out.push_str(segment);
        }
        out
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.kind {
            ErrorKind::UnknownField { field, expected } => write!(f, "unknown field `{field}`, expected {expected:?}"),
            ErrorKind::Message(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for Error {}

impl de::Error for Error {
    fn custom<T: std::fmt::Display>(message: T) -> Self {
        Error { path: Vec::new(), kind: ErrorKind::Message(message.to_string()) }
    }

    fn unknown_field(field: &str, expected: &'static [&'static str]) -> Self {
        Error { path: Vec::new(), kind: ErrorKind::UnknownField { field: field.to_owned(), expected } }
    }
}

type Result<T> = std::result::Result<T, Error>;

/// Deserialize `T` from plain JS data.
pub fn from_js<T: de::DeserializeOwned>(value: JsValue) -> Result<T> {
    T::deserialize(Input::Js(value))
}

/// A value to deserialize: a JS value, or one number of a typed array already copied out.
enum Input {
    Js(JsValue),
    Number(f64),
}

/// The largest integer a double holds exactly.
const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

fn visit_number<'de, V: Visitor<'de>>(n: f64, visitor: V) -> Result<V::Value> {
    if n.fract() == 0.0 && n.abs() <= MAX_SAFE_INTEGER {
        if n >= 0.0 {
            visitor.visit_u64(n as u64)
        } else {
            visitor.visit_i64(n as i64)
        }
    } else {
        visitor.visit_f64(n)
    }
}

/// `typeof`, with arrays and null told apart, as serde's `Unexpected` words it.
fn unexpected(value: &JsValue) -> de::Unexpected<'static> {
    if value.is_null() {
        de::Unexpected::Other("null")
    } else if value.is_undefined() {
        de::Unexpected::Other("undefined")
    } else if Array::is_array(value) || js_sys::ArrayBuffer::is_view(value) {
        de::Unexpected::Seq
    } else if value.is_object() {
        de::Unexpected::Map
    } else {
        de::Unexpected::Other("a value of another JS type")
    }
}

impl Input {
    fn js(&self) -> Option<&JsValue> {
        match self {
            Input::Js(value) => Some(value),
            Input::Number(_) => None,
        }
    }

    /// An object that is not an array (a map or a struct).
    fn object(&self) -> Option<&Object> {
        let value = self.js()?;
        (value.is_object() && !Array::is_array(value) && !js_sys::ArrayBuffer::is_view(value))
            .then(|| value.unchecked_ref::<Object>())
    }
}

impl<'de> de::Deserializer<'de> for Input {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let value = match self {
            Input::Number(n) => return visit_number(n, visitor),
            Input::Js(value) => value,
        };
        if value.is_undefined() || value.is_null() {
            visitor.visit_unit()
        } else if let Some(b) = value.as_bool() {
            visitor.visit_bool(b)
        } else if let Some(n) = value.as_f64() {
            visit_number(n, visitor)
        } else if let Some(s) = value.as_string() {
            visitor.visit_string(s)
        } else if Array::is_array(&value) {
            let items: Vec<Input> = value.unchecked_into::<Array>().iter().map(Input::Js).collect();
            visitor.visit_seq(Seq { items: items.into_iter(), index: 0 })
        } else if js_sys::ArrayBuffer::is_view(&value) {
            // A typed array: its numbers in one copy (BigInt arrays are not numbers).
            let numbers = Float64Array::new(&value);
            let items: Vec<Input> = numbers.to_vec().into_iter().map(Input::Number).collect();
            visitor.visit_seq(Seq { items: items.into_iter(), index: 0 })
        } else if value.is_object() {
            visitor.visit_map(Map::new(value.unchecked_into()))
        } else {
            Err(de::Error::invalid_type(unexpected(&value), &visitor))
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.js() {
            Some(value) if value.is_undefined() || value.is_null() => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        match self.js().and_then(JsValue::as_string) {
            Some(name) => visitor.visit_enum(name.into_deserializer()),
            None => self.deserialize_any(visitor),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        match self.object() {
            Some(object) => visitor.visit_map(Map::new(object.clone())),
            None => self.deserialize_any(visitor),
        }
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        visitor.visit_unit()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf unit
        unit_struct newtype_struct seq tuple tuple_struct map identifier
    }
}

/// An array's items.
struct Seq {
    items: std::vec::IntoIter<Input>,
    index: usize,
}

impl<'de> de::SeqAccess<'de> for Seq {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>> {
        let Some(item) = self.items.next() else { return Ok(None) };
        let index = self.index;
        self.index += 1;
        seed.deserialize(item).map(Some).map_err(|e| e.at(format!("[{index}]")))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

/// An object's own keys whose values are neither `undefined` nor `null`, in order.
struct Map {
    object: Object,
    keys: std::vec::IntoIter<String>,
    /// The key whose value is next, and the value.
    key: String,
    value: JsValue,
}

impl Map {
    fn new(object: Object) -> Self {
        let keys: Vec<String> = Object::keys(&object).iter().filter_map(|k| k.as_string()).collect();
        Map { object, keys: keys.into_iter(), key: String::new(), value: JsValue::UNDEFINED }
    }
}

impl<'de> de::MapAccess<'de> for Map {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>> {
        for key in self.keys.by_ref() {
            // plainCopy made the object: its properties are plain data, and reading them cannot throw.
            let value = Reflect::get(&self.object, &JsValue::from_str(&key)).unwrap_or(JsValue::UNDEFINED);
            if !(value.is_undefined() || value.is_null()) {
                self.key = key;
                self.value = value;
                return seed.deserialize(self.key.as_str().into_deserializer()).map(Some);
            }
        }
        Ok(None)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value> {
        let value = std::mem::replace(&mut self.value, JsValue::UNDEFINED);
        seed.deserialize(Input::Js(value)).map_err(|e| e.at(self.key.clone()))
    }
}
