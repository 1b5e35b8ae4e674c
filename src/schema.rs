//! The option types describe themselves: serde's names for their fields and values, and a
//! catalog of each option set's parameters (kind, default, range) for forms and type checks.
//!
//! The option structs ([`MaskingOptions`](crate::MaskingOptions),
//! [`StrategyOptions`](crate::StrategyOptions) and each strategy's options,
//! [`EncodeOptions`](crate::EncodeOptions), [`LoadOptions`](crate::LoadOptions)) derive
//! `Deserialize`, with camelCase names and unknown fields refused: that is the one schema. The
//! catalog ([`option_sets`](crate::option_sets), [`StrategyOptions::catalog`](crate::StrategyOptions::catalog)) is
//! written beside each struct's validation and tested against the schema, so it cannot drift:
//! its names are the struct's serde fields, its defaults come from the `Default` impls and its
//! ranges are the ones validation accepts.

use serde::de::{self, DeserializeOwned, Visitor};
use std::fmt::Write as _;

/// What values a parameter takes.
#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    /// A number.
    Number,
    /// A whole number.
    Integer,
    /// `true` or `false`.
    Boolean,
    /// A string.
    String,
    /// One of these names.
    Enum {
        /// The names, as serde spells them.
        values: Vec<&'static str>,
    },
    /// A list of values of one kind.
    List {
        /// The kind of each item.
        items: Box<Kind>,
    },
    /// An object of the named option set (see [`option_sets`](crate::option_sets)).
    Object {
        /// The option set.
        set: &'static str,
    },
    /// `false` (off), or an object of the named option set.
    OffOrObject {
        /// The option set.
        set: &'static str,
    },
    /// Any one of these kinds.
    Either {
        /// The alternatives.
        kinds: Vec<Kind>,
    },
}

/// A parameter's default value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A whole number.
    Integer(u64),
    /// A number.
    Number(f64),
    /// `true` or `false`.
    Boolean(bool),
    /// A name or a string.
    String(&'static str),
    /// A list.
    List(Vec<Value>),
}

/// One parameter of an option set.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// Its name, as serde spells it (camelCase, as JavaScript writes it).
    pub name: &'static str,
    /// The values it takes.
    pub kind: Kind,
    /// The value it takes when absent; `None` where absence means something else (the file's
    /// setting, a random seed, the strategy's own rule).
    pub default: Option<Value>,
    /// It must be given.
    pub required: bool,
    /// The smallest value validation accepts.
    pub min: Option<f64>,
    /// `min` itself is refused: the value must be above it.
    pub min_exclusive: bool,
    /// The largest value validation accepts.
    pub max: Option<f64>,
}

impl Param {
    fn new(name: &'static str, kind: Kind, default: Option<Value>) -> Self {
        Self { name, kind, default, required: false, min: None, min_exclusive: false, max: None }
    }

    /// A number.
    pub fn number(name: &'static str, default: f64) -> Self {
        Self::new(name, Kind::Number, Some(Value::Number(default)))
    }

    /// A whole number.
    pub fn integer(name: &'static str, default: usize) -> Self {
        Self::new(name, Kind::Integer, Some(Value::Integer(default as u64)))
    }

    /// `true` or `false`.
    pub fn boolean(name: &'static str, default: bool) -> Self {
        Self::new(name, Kind::Boolean, Some(Value::Boolean(default)))
    }

    /// One of the values of the unit-only enum `T`, by serde's names; `default` is the index of
    /// the default variant (`value as usize`: serde lists the variants in declaration order).
    pub fn choice<T: DeserializeOwned>(name: &'static str, default: usize) -> Self {
        Self::choice_of::<T>(name, default, 0..variants_of::<T>().len())
    }

    /// One of the `values` (variant indices) of the unit-only enum `T`: for a strategy that
    /// takes only some of them.
    pub fn choice_of<T: DeserializeOwned>(
        name: &'static str,
        default: usize,
        values: impl IntoIterator<Item = usize>,
    ) -> Self {
        let names = variants_of::<T>();
        let values = values.into_iter().map(|i| names[i]).collect();
        Self::new(name, Kind::Enum { values }, Some(Value::String(names[default])))
    }

    /// Any other kind, with no default.
    pub fn of(name: &'static str, kind: Kind) -> Self {
        Self::new(name, kind, None)
    }

    /// With this default instead.
    pub fn default_value(mut self, value: Value) -> Self {
        self.default = Some(value);
        self
    }

    /// Required: there is no default.
    pub fn required(mut self) -> Self {
        self.required = true;
        self.default = None;
        self
    }

    /// At least `min`.
    pub fn at_least(mut self, min: f64) -> Self {
        self.min = Some(min);
        self
    }

    /// Above `min`.
    pub fn above(mut self, min: f64) -> Self {
        self.min = Some(min);
        self.min_exclusive = true;
        self
    }

    /// At most `max`.
    pub fn at_most(mut self, max: f64) -> Self {
        self.max = Some(max);
        self
    }

    /// In `[min, max]`.
    pub fn within(self, min: f64, max: f64) -> Self {
        self.at_least(min).at_most(max)
    }
}

/// The parameters of one option struct.
#[derive(Debug, Clone, PartialEq)]
pub struct OptionSet {
    /// The Rust type (a strategy: its `type` tag).
    pub name: &'static str,
    /// Its parameters, in declaration order.
    pub params: Vec<Param>,
}

/// The option sets as JSON: `[{"name", "params": [{"name", "kind", ...}]}]`, each parameter
/// with its kind's fields beside its own (`"values"` of an enum, `"items"` of a list, `"set"`
/// of an object, `"kinds"` of alternatives), and `"default"`, `"min"`, `"minExclusive"`, `"max"`
/// only where there are. Written by hand: the names are identifiers and the numbers finite, and
/// serde's serializer would weigh more in the wasm build than the catalog itself.
pub fn to_json(sets: &[OptionSet]) -> String {
    let mut out = String::new();
    list(&mut out, sets, |out, set| {
        let _ = write!(out, "{{\"name\":\"{}\",\"params\":", set.name);
        list(out, &set.params, Param::write_json);
        out.push('}');
    });
    out
}

fn list<T>(out: &mut String, items: &[T], mut write: impl FnMut(&mut String, &T)) {
    out.push('[');
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        write(out, item);
    }
    out.push(']');
}

impl Param {
    fn write_json(out: &mut String, p: &Param) {
        let _ = write!(out, "{{\"name\":\"{}\",", p.name);
        p.kind.write_fields(out);
        if let Some(default) = &p.default {
            out.push_str(",\"default\":");
            default.write_json(out);
        }
        let _ = write!(out, ",\"required\":{}", p.required);
        if let Some(min) = p.min {
            let _ = write!(out, ",\"min\":{min}");
        }
        if p.min_exclusive {
            out.push_str(",\"minExclusive\":true");
        }
        if let Some(max) = p.max {
            let _ = write!(out, ",\"max\":{max}");
        }
        out.push('}');
    }
}

impl Kind {
    /// `"kind":"..."` and the kind's own fields.
    fn write_fields(&self, out: &mut String) {
        let kind = match self {
            Kind::Number => "number",
            Kind::Integer => "integer",
            Kind::Boolean => "boolean",
            Kind::String => "string",
            Kind::Enum { .. } => "enum",
            Kind::List { .. } => "list",
            Kind::Object { .. } => "object",
            Kind::OffOrObject { .. } => "offOrObject",
            Kind::Either { .. } => "either",
        };
        let _ = write!(out, "\"kind\":\"{kind}\"");
        match self {
            Kind::Enum { values } => {
                out.push_str(",\"values\":");
                list(out, values, |out, v| {
                    let _ = write!(out, "\"{v}\"");
                });
            }
            Kind::List { items } => {
                out.push_str(",\"items\":{");
                items.write_fields(out);
                out.push('}');
            }
            Kind::Object { set } | Kind::OffOrObject { set } => {
                let _ = write!(out, ",\"set\":\"{set}\"");
            }
            Kind::Either { kinds } => {
                out.push_str(",\"kinds\":");
                list(out, kinds, |out, k| {
                    out.push('{');
                    k.write_fields(out);
                    out.push('}');
                });
            }
            Kind::Number | Kind::Integer | Kind::Boolean | Kind::String => {}
        }
    }
}

impl Value {
    fn write_json(&self, out: &mut String) {
        let _ = match self {
            Value::Integer(n) => write!(out, "{n}"),
            Value::Number(n) => write!(out, "{n}"),
            Value::Boolean(b) => write!(out, "{b}"),
            Value::String(s) => write!(out, "\"{s}\""),
            Value::List(items) => {
                list(out, items, |out, v| v.write_json(out));
                Ok(())
            }
        };
    }
}

/// serde's names for the fields of the struct `T`, as its derived `Deserialize` declares them;
/// empty for anything else.
pub fn fields_of<T: DeserializeOwned>() -> &'static [&'static str] {
    match T::deserialize(Recorder) {
        Err(Recorded::Fields(fields)) => fields,
        _ => &[],
    }
}

/// serde's names for the variants of the enum `T`; empty for anything else (an internally
/// tagged enum among them: serde reads those as maps).
pub fn variants_of<T: DeserializeOwned>() -> &'static [&'static str] {
    match T::deserialize(Recorder) {
        Err(Recorded::Variants(variants)) => variants,
        _ => &[],
    }
}

/// What [`Recorder`] saw: the struct's fields or the enum's variants, or nothing useful.
#[derive(Debug)]
enum Recorded {
    Fields(&'static [&'static str]),
    Variants(&'static [&'static str]),
    Other,
}

impl std::fmt::Display for Recorded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{self:?}")
    }
}

impl std::error::Error for Recorded {}

impl de::Error for Recorded {
    fn custom<T: std::fmt::Display>(_: T) -> Self {
        Recorded::Other
    }
}

/// A deserializer that only records the field or variant names a derived `Deserialize` asks for.
struct Recorder;

impl<'de> de::Deserializer<'de> for Recorder {
    type Error = Recorded;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Recorded> {
        Err(Recorded::Other)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        fields: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, Recorded> {
        Err(Recorded::Fields(fields))
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        variants: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, Recorded> {
        Err(Recorded::Variants(variants))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf option unit
        unit_struct newtype_struct seq tuple tuple_struct map identifier ignored_any
    }
}

/// An object giving every parameter of `set` that has a default, at its default (for tests).
#[cfg(test)]
pub(crate) fn defaults_json(set: &OptionSet) -> serde_json::Value {
    let mut object = serde_json::Map::new();
    for p in &set.params {
        if let Some(value) = &p.default {
            let mut json = String::new();
            value.write_json(&mut json);
            object.insert(p.name.into(), serde_json::from_str(&json).unwrap());
        }
    }
    serde_json::Value::Object(object)
}
