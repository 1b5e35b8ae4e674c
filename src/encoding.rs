//! The types an encoding is made of and the options that shape it: what [`crate::Tokenizer`]
//! returns, what [`crate::collate`] pads, what the fast paths build and what masking reads.
//! They sit below all of those modules, so none of them imports another to name them.
//!
//! The options deserialize (camelCase, unknown fields refused, defaults from `Default`): see
//! [`crate::schema`].

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::Deserialize;

use crate::schema::{Kind, OptionSet, Param, Value};

/// The unit of [`Encoding::offsets`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OffsetUnit {
    /// UTF-8 bytes of the Rust `&str`.
    Byte,
    /// Unicode scalar values (code points): what Python `tokenizers` reports.
    Char,
    /// UTF-16 code units: what JavaScript's `String.prototype.slice` takes.
    #[default]
    Utf16,
    /// No offsets: [`Encoding::offsets`] is `None`. Cheaper, for bulk tokenization that never
    /// maps tokens back to the text. Whatever needs offsets (`WordBoundary::OffsetsGap`) then
    /// refuses the encoding by name rather than reading made-up values.
    None,
}

/// `table[i]` is the UTF-16 index where the `i`-th char of `text` starts; the last entry is the
/// UTF-16 length, so char offsets `(s, e)` become `(table[s], table[e])`.
pub(crate) fn utf16_index_of_chars(text: &str) -> Vec<u32> {
    let mut table = Vec::with_capacity(text.len() + 1);
    let mut at = 0u32;
    table.push(0);
    for c in text.chars() {
        at += c.len_utf16() as u32;
        table.push(at);
    }
    table
}

/// Fill `table` so that `table[b]` is the offset in `unit` (chars or UTF-16 units) of the char
/// that starts at byte `b` of `text`, and `table[text.len()]` the text's length in `unit`, so
/// byte offsets `(s, e)` become `(table[s], table[e])`. Entries inside a char are not read.
/// `table` is the caller's, reused across calls.
pub(crate) fn unit_index_of_bytes(text: &str, unit: OffsetUnit, table: &mut Vec<u32>) {
    table.clear();
    table.resize(text.len() + 1, 0);
    let mut at = 0u32;
    for (i, c) in text.char_indices() {
        table[i] = at;
        at += if unit == OffsetUnit::Char { 1 } else { c.len_utf16() as u32 };
    }
    table[text.len()] = at;
}

/// Which end of a sequence truncation or padding works on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Side {
    /// The start of the sequence.
    Left,
    /// The end of the sequence.
    #[default]
    Right,
}

/// How a pair of texts shares the truncation budget (the `tokenizers` strategies).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum TruncationStrategy {
    /// Remove tokens from the longer of the two texts first.
    #[default]
    LongestFirst,
    /// Only truncate the first text.
    OnlyFirst,
    /// Only truncate the second text.
    OnlySecond,
}

/// Truncation to a maximum number of tokens, special tokens included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Truncation {
    /// The longest an encoding may be, special tokens included.
    pub max_length: usize,
    /// How a pair shares the budget.
    #[serde(default)]
    pub strategy: TruncationStrategy,
    /// Which end loses tokens.
    #[serde(default)]
    pub side: Side,
}

impl Truncation {
    /// Truncate on the right to `max_length` tokens, longest text first.
    pub fn to(max_length: usize) -> Self {
        Self { max_length, strategy: TruncationStrategy::default(), side: Side::default() }
    }

    /// The parameters (see [`crate::schema`]).
    pub fn option_set() -> OptionSet {
        let d = Self::to(1);
        OptionSet {
            name: "Truncation",
            params: vec![
                // Tokenizer::encode refuses 0 (NotPositive).
                Param::of("maxLength", Kind::Integer).required().at_least(1.0),
                Param::choice::<TruncationStrategy>("strategy", d.strategy as usize),
                Param::choice::<Side>("side", d.side as usize),
            ],
        }
    }
}

/// Padding to the longest sequence or to a fixed length, optionally rounded up to a multiple.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct Padding {
    /// `Some(n)` pads every sequence to `n` tokens; `None` pads to the longest in the batch.
    pub length: Option<usize>,
    /// Round the padded length up to a multiple of this (tensor-core friendly shapes).
    pub pad_to_multiple_of: Option<usize>,
    /// Which end receives the padding.
    pub side: Side,
}

impl Padding {
    /// Pad to the longest sequence of the batch.
    pub fn longest() -> Self {
        Self::default()
    }

    /// The parameters (see [`crate::schema`]).
    pub fn option_set() -> OptionSet {
        let d = Self::default();
        OptionSet {
            name: "Padding",
            params: vec![
                // collate::padded_length refuses 0 for both (NotPositive).
                Param::of("length", Kind::Integer).at_least(1.0),
                Param::of("padToMultipleOf", Kind::Integer).at_least(1.0),
                Param::choice::<Side>("side", d.side as usize),
            ],
        }
    }
}

/// A per-call setting that can defer to the tokenizer file, be switched off, or be replaced.
///
/// Deserializes from `false` (off), an object (set), or nothing / null (from the file).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Setting<T> {
    /// Use what `tokenizer.json` stores (possibly nothing).
    #[default]
    FromFile,
    /// Do not truncate / pad, whatever the file says.
    Off,
    /// Use these settings instead of the file's.
    Set(T),
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Setting<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct SettingVisitor<T>(std::marker::PhantomData<T>);

        impl<'de, T: Deserialize<'de>> Visitor<'de> for SettingVisitor<T> {
            type Value = Setting<T>;

            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("false or an object")
            }

            fn visit_bool<E: de::Error>(self, value: bool) -> Result<Self::Value, E> {
                if value {
                    return Err(E::invalid_value(de::Unexpected::Bool(true), &self));
                }
                Ok(Setting::Off)
            }

            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(Setting::FromFile)
            }

            fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(Setting::FromFile)
            }

            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                T::deserialize(de::value::MapAccessDeserializer::new(map)).map(Setting::Set)
            }
        }

        deserializer.deserialize_any(SettingVisitor(std::marker::PhantomData))
    }
}

/// Options of [`Tokenizer::encode`](crate::Tokenizer::encode) and [`Tokenizer::encode_batch`](crate::Tokenizer::encode_batch).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct EncodeOptions {
    /// Add the model's special tokens (`[CLS]`, `[SEP]`, `<s>`, ...). Default true.
    pub add_special_tokens: bool,
    /// Truncation; defaults to the file's own.
    pub truncation: Setting<Truncation>,
    /// Padding; defaults to the file's own. A batch is always padded to a rectangle, so for
    /// [`Tokenizer::encode_batch`](crate::Tokenizer::encode_batch) `Off` means "to the longest".
    pub padding: Setting<Padding>,
    /// Round the padded length up to a multiple of this, replacing the padding's own
    /// multiple; when padding is otherwise off, pad to the longest sequence first.
    pub pad_to_multiple_of: Option<usize>,
    /// The unit of the returned offsets. Deserializes from a boolean: `true` the default unit,
    /// `false` none ([`OffsetUnit::None`]).
    #[serde(deserialize_with = "offsets_wanted")]
    pub offsets: OffsetUnit,
    /// Fill [`Encoding::tokens`]. `false` lets a fast path leave them out (an empty `tokens`)
    /// when each is [`Tokenizer::id_to_token`](crate::Tokenizer::id_to_token) of its id, which spares one string per token:
    /// the JS binding builds them only when read. Encodings from the crate keep them. Default
    /// true. Not deserialized.
    #[serde(skip)]
    pub token_strings: bool,
}

/// `offsets: true` is the default unit, `false` none.
fn offsets_wanted<'de, D: Deserializer<'de>>(deserializer: D) -> Result<OffsetUnit, D::Error> {
    Ok(if bool::deserialize(deserializer)? { OffsetUnit::default() } else { OffsetUnit::None })
}

impl Default for EncodeOptions {
    fn default() -> Self {
        Self {
            add_special_tokens: true,
            truncation: Setting::FromFile,
            padding: Setting::FromFile,
            pad_to_multiple_of: None,
            offsets: OffsetUnit::Utf16,
            token_strings: true,
        }
    }
}

impl EncodeOptions {
    /// The parameters (see [`crate::schema`]).
    pub fn option_set() -> OptionSet {
        let d = Self::default();
        OptionSet {
            name: "EncodeOptions",
            params: vec![
                Param::boolean("addSpecialTokens", d.add_special_tokens),
                Param::of("truncation", Kind::OffOrObject { set: "Truncation" }),
                Param::of("padding", Kind::OffOrObject { set: "Padding" }),
                // collate::padded_length refuses 0 (NotPositive).
                Param::of("padToMultipleOf", Kind::Integer).at_least(1.0),
                Param::of("offsets", Kind::Boolean).default_value(Value::Boolean(d.offsets != OffsetUnit::None)),
            ],
        }
    }
}

/// One tokenized text (or pair of texts), position by position.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Encoding {
    /// Token ids.
    pub ids: Vec<u32>,
    /// Token strings, as the vocabulary spells them. Empty when [`EncodeOptions::token_strings`]
    /// let a fast path leave them out: each is then [`Tokenizer::id_to_token`](crate::Tokenizer::id_to_token) of its id.
    pub tokens: Vec<String>,
    /// Segment (token type) ids: 0 for the first text, 1 for the pair, as the post-processor says.
    pub type_ids: Vec<u32>,
    /// `[start, end)` of each token in its source text, in [`EncodeOptions::offsets`] units;
    /// `None` when they were not asked for ([`OffsetUnit::None`]). Special and padding tokens
    /// have `(0, 0)`.
    pub offsets: Option<Vec<(usize, usize)>>,
    /// 1 for special tokens (including padding), 0 for tokens of the text.
    pub special_tokens_mask: Vec<u8>,
    /// 1 for real tokens, 0 for padding.
    pub attention_mask: Vec<u8>,
    /// The word each token belongs to, -1 for special and padding tokens.
    pub word_ids: Vec<i32>,
    /// Which text the offsets refer to: 0 the text, 1 the pair, -1 none (special or padding).
    pub sequence_ids: Vec<i8>,
}

impl Encoding {
    /// Number of positions.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// True when there are no positions (empty text and no special tokens).
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }
}

#[cfg(test)]
mod offset_table_tests {
    use super::*;

    #[test]
    fn utf16_table_counts_astral_chars_twice() {
        assert_eq!(utf16_index_of_chars("a😀é"), vec![0, 1, 3, 4]);
        assert_eq!(utf16_index_of_chars(""), vec![0]);
    }

    #[test]
    fn byte_table_gives_each_char_start_in_the_unit() {
        // "a😀é": bytes 0 (a), 1..5 (😀), 5..7 (é), length 7.
        let mut table = vec![9; 3];
        unit_index_of_bytes("a😀é", OffsetUnit::Char, &mut table);
        assert_eq!([table[0], table[1], table[5], table[7]], [0, 1, 2, 3]);
        unit_index_of_bytes("a😀é", OffsetUnit::Utf16, &mut table);
        assert_eq!([table[0], table[1], table[5], table[7]], [0, 1, 3, 4]);
        unit_index_of_bytes("", OffsetUnit::Utf16, &mut table);
        assert_eq!(table, vec![0]);
    }
}
