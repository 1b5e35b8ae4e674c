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

use serde::de::value::{Error as ValueError, StrDeserializer};
use serde::de::{self, DeserializeOwned, IntoDeserializer, Visitor};
use serde::Serialize;

/// What values a parameter takes.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
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
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
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
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Param {
    /// Its name, as serde spells it (camelCase, as JavaScript writes it).
    pub name: &'static str,
    /// The values it takes.
    #[serde(flatten)]
    pub kind: Kind,
    /// The value it takes when absent; `None` where absence means something else (the file's
    /// setting, a random seed, the strategy's own rule).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default: Option<Value>,
    /// It must be given.
    pub required: bool,
    /// The smallest value validation accepts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    /// `min` itself is refused: the value must be above it.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub min_exclusive: bool,
    /// The largest value validation accepts.
    #[serde(skip_serializing_if = "Option::is_none")]
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

    /// One of the values of the unit-only enum `T`, by serde's names.
    pub fn choice<T: DeserializeOwned + PartialEq>(name: &'static str, default: T) -> Self {
        Self::choice_of(name, default, variants_of::<T>().iter().map(|v| value_of::<T>(v)))
    }

    /// One of `values` of the unit-only enum `T` (a strategy that takes only some of them).
    pub fn choice_of<T: DeserializeOwned + PartialEq>(
        name: &'static str,
        default: T,
        values: impl IntoIterator<Item = T>,
    ) -> Self {
        let values = values.into_iter().map(|v| name_of(&v)).collect();
        Self::new(name, Kind::Enum { values }, Some(Value::String(name_of(&default))))
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
#[derive(Debug, Clone, PartialEq, Serialize)]
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

/// serde's name for a value of a unit-only enum: the variant name that deserializes to it.
///
/// # Panics
/// When no variant name of `T` deserializes to `value` (a type that is not a unit-only enum).
pub fn name_of<T: DeserializeOwned + PartialEq>(value: &T) -> &'static str {
    variants_of::<T>()
        .iter()
        .find(|name| T::deserialize(StrDeserializer::<ValueError>::new(name)).as_ref() == Ok(value))
        .expect("a unit-only enum whose variants all deserialize from their names")
}

/// The value of the unit-only enum `T` that serde names `name`.
fn value_of<T: DeserializeOwned>(name: &str) -> T {
    T::deserialize(IntoDeserializer::<ValueError>::into_deserializer(name)).expect("a variant name of this enum")
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
        assert_eq!(name_of(&Side::Left), "left");
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
                object.insert(p.name.into(), serde_json::to_value(value).unwrap());
            }
        }
        serde_json::Value::Object(object)
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
