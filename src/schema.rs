//! The option types describe themselves: serde's names for their fields and values, and a
//! catalog of each option set's parameters (kind, default, range) for forms and type checks.
//!
//! The option structs ([`MaskingOptions`](crate::MaskingOptions),
//! [`StrategyOptions`](crate::StrategyOptions) and each strategy's options,
//! [`EncodeOptions`](crate::EncodeOptions), [`LoadOptions`](crate::LoadOptions)) derive
//! `Deserialize`, with camelCase names and unknown fields refused: that is the one schema. The
//! catalog ([`option_sets`], [`StrategyOptions::catalog`](crate::StrategyOptions::catalog)) is
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
    /// An object of the named option set (see [`option_sets`]).
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

/// Every option set of the crate's serde schema: [`LoadOptions`](crate::LoadOptions),
/// [`EncodeOptions`](crate::EncodeOptions), [`Truncation`](crate::Truncation),
/// [`Padding`](crate::Padding), [`MaskingOptions`](crate::MaskingOptions) and the weights object
/// of [`RandomTokens`](crate::RandomTokens). The strategies are in
/// [`StrategyOptions::catalog`](crate::StrategyOptions::catalog).
pub fn option_sets() -> Vec<OptionSet> {
    vec![
        crate::tokenize::LoadOptions::option_set(),
        crate::encoding::EncodeOptions::option_set(),
        crate::encoding::Truncation::option_set(),
        crate::encoding::Padding::option_set(),
        crate::masking::MaskingOptions::option_set(),
        crate::masking::RandomTokens::weights_option_set(),
    ]
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

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::{EncodeOptions, LoadOptions, MaskingOptions, Padding, Side, Truncation};

    #[test]
    fn records_fields_and_variants() {
        assert_eq!(fields_of::<Padding>(), ["length", "padToMultipleOf", "side"]);
        assert_eq!(variants_of::<Side>(), ["left", "right"]);
        assert_eq!(variants_of::<Side>()[Side::Left as usize], "left");
        assert!(fields_of::<Side>().is_empty());
    }

    /// The serde names of each option set's struct are exactly its catalog's parameters.
    #[test]
    fn every_option_set_is_its_structs_fields() {
        let fields = |name| match name {
            "LoadOptions" => fields_of::<LoadOptions>(),
            "EncodeOptions" => fields_of::<EncodeOptions>(),
            "Truncation" => fields_of::<Truncation>(),
            "Padding" => fields_of::<Padding>(),
            "MaskingOptions" => fields_of::<MaskingOptions>(),
            "RandomTokens::Weights" => &["weights"],
            other => panic!("an option set without a struct: {other}"),
        };
        for set in option_sets() {
            let params: Vec<_> = set.params.iter().map(|p| p.name).collect();
            assert_eq!(params, fields(set.name), "{}", set.name);
        }
    }

    /// Every default of the catalog, given explicitly, deserializes to the `Default` impl's
    /// value; an empty object does too, and a required parameter is missed.
    #[test]
    fn catalog_defaults_are_the_default_impls() {
        fn check<T: DeserializeOwned + Default + PartialEq + std::fmt::Debug>(set: &OptionSet) {
            let given = defaults_json(set);
            assert_eq!(serde_json::from_value::<T>(given).unwrap(), T::default(), "{}", set.name);
            assert_eq!(serde_json::from_str::<T>("{}").unwrap(), T::default(), "{}", set.name);
        }
        for set in option_sets() {
            match set.name {
                "LoadOptions" => check::<LoadOptions>(&set),
                "EncodeOptions" => check::<EncodeOptions>(&set),
                "Padding" => check::<Padding>(&set),
                "MaskingOptions" => check::<MaskingOptions>(&set),
                "Truncation" => {
                    assert!(serde_json::from_str::<Truncation>("{}").unwrap_err().to_string().contains("maxLength"));
                    let t: Truncation = serde_json::from_str(r#"{"maxLength": 7}"#).unwrap();
                    assert_eq!(t, Truncation::to(7));
                    let mut given = defaults_json(&set);
                    given["maxLength"] = 7.into();
                    assert_eq!(serde_json::from_value::<Truncation>(given).unwrap(), Truncation::to(7));
                }
                "RandomTokens::Weights" => {}
                other => panic!("unchecked option set {other}"),
            }
        }
    }

    /// An object giving every parameter of `set` that has a default, at its default.
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

    #[test]
    fn the_json_is_json_in_the_documented_shape() {
        let json: serde_json::Value = serde_json::from_str(&to_json(&option_sets())).unwrap();
        let padding = &json.as_array().unwrap()[3];
        assert_eq!(
            padding,
            &serde_json::json!({ "name": "Padding", "params": [
                { "name": "length", "kind": "integer", "required": false, "min": 1 },
                { "name": "padToMultipleOf", "kind": "integer", "required": false, "min": 1 },
                { "name": "side", "kind": "enum", "values": ["left", "right"], "default": "right", "required": false },
            ]})
        );
        let masking = &json.as_array().unwrap()[4]["params"];
        assert_eq!(
            masking[4],
            serde_json::json!({ "name": "randomTokens", "kind": "either", "kinds": [
                { "kind": "enum", "values": ["vocab", "nonSpecial"] },
                { "kind": "object", "set": "RandomTokens::Weights" },
            ], "default": "vocab", "required": false })
        );
        assert_eq!(masking[10]["default"], serde_json::json!([]));
        assert_eq!(masking[5]["max"], serde_json::json!(9007199254740991u64));
        let t5 = serde_json::from_str::<serde_json::Value>(&to_json(&crate::StrategyOptions::catalog())).unwrap();
        assert_eq!(t5[5]["params"][0]["default"], serde_json::json!(0.15));
    }

    #[test]
    fn required_parameters_have_no_default() {
        for set in option_sets() {
            for p in &set.params {
                assert!(!(p.required && p.default.is_some()), "{}.{}", set.name, p.name);
            }
        }
    }
}
