//! Loading a `tokenizer.json` and turning text into [`Encoding`]s.
//!
//! Tokenization is Hugging Face `tokenizers` itself; this module only chooses the per-call
//! truncation, pads with [`crate::collate`], finds the mask and pad tokens the way transformers
//! does, and converts offsets to the unit the caller asked for.

use std::str::FromStr;
use std::sync::{Arc, OnceLock};

use tokenizers::utils::truncation::truncate_encodings;
use tokenizers::{
    ModelWrapper, PostProcessor, PostProcessorWrapper, Tokenizer as HfTokenizer, TruncationDirection, TruncationParams,
    TruncationStrategy as HfTruncationStrategy,
};

use crate::collate::{self, Batch, PadToken};
use crate::encoding::{EncodeOptions, Encoding, OffsetUnit, Padding, Setting, Side, Truncation, TruncationStrategy};
use crate::error::{Error, Result};
use crate::tokenizer_json::{check_components, explain_load_error};

/// Options of [`Tokenizer::from_json_with`].
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct LoadOptions {
    /// Use this token as the mask token instead of looking for `[MASK]` / `<mask>`.
    pub mask_token: Option<String>,
    /// Use this token as the pad token instead of the file's padding token, `[PAD]` or `<pad>`.
    pub pad_token: Option<String>,
    /// Tokens appended to the vocabulary as special added tokens, as transformers'
    /// `tokenizer.add_special_tokens({"additional_special_tokens": [...]})` does: each gets the
    /// next free id, is matched whole in text and is never split. A token the vocabulary already
    /// has keeps its id. For a mask token (`"<mask>"`) or FIM's tokens a file lacks.
    pub additional_special_tokens: Vec<String>,
}

impl LoadOptions {
    /// The parameters (see [`crate::schema`]).
    pub fn option_set() -> crate::schema::OptionSet {
        use crate::schema::{Kind, OptionSet, Param};
        OptionSet {
            name: "LoadOptions",
            params: vec![
                Param::of("maskToken", Kind::String),
                Param::of("padToken", Kind::String),
                Param::of("additionalSpecialTokens", Kind::List { items: Box::new(Kind::String) })
                    .default_value(crate::schema::Value::List(Vec::new())),
            ],
        }
    }
}

/// The vocabulary facts that masking needs, read once from a [`Tokenizer`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct VocabInfo {
    /// `len(tokenizer)` in Python: the vocabulary including added tokens.
    pub vocab_size: u32,
    /// The mask token's id, if the tokenizer has one.
    pub mask_token_id: Option<u32>,
    /// The pad token's id, if the tokenizer has one.
    pub pad_token_id: Option<u32>,
    /// Ids of the added tokens marked special, sorted.
    pub special_ids: Vec<u32>,
    /// Ids whose token starts with `##` (WordPiece word continuations), sorted; shared, since
    /// every masker of a tokenizer needs the same list.
    pub continuation_ids: Arc<[u32]>,
    /// T5's sentinels: the ids of `<extra_id_0>`, `<extra_id_1>`, ... for as long as they exist.
    pub sentinel_ids: Vec<u32>,
    /// The end-of-sequence token (`</s>`, else `<|endoftext|>`), if the tokenizer has one.
    pub eos_token_id: Option<u32>,
}

/// A loaded `tokenizer.json` together with the tokens masking needs.
#[derive(Clone)]
pub struct Tokenizer {
    // `inner` has no post-processor, truncation or padding: `encode_unpadded` runs those steps
    // itself, in the crate's order (truncate, then add special tokens), so that truncation
    // never takes the crate's early-exit path, which in 0.23.2 truncates pairs differently
    // from Python `tokenizers`. Padding is `collate`'s, so single encodings and batches pad alike.
    inner: HfTokenizer,
    processor: Option<PostProcessorWrapper>,
    file_truncation: Option<Truncation>,
    file_padding: Option<Padding>,
    pad: Option<PadToken>,
    mask_token_id: Option<u32>,
    special_ids: Vec<u32>,
    vocab_size: u32,
    // A fused re-implementation of this pipeline (`crate::fast`), when it has one; shared by
    // clones, since its piece cache only ever holds what the crate would compute.
    fast: Option<std::sync::Arc<crate::fast::FastPath>>,
    // Scanning the vocabulary for `##` tokens takes milliseconds: done once, on first use.
    continuation_ids: OnceLock<Arc<[u32]>>,
    // Whether padding's token string is `id_to_token` of its id, so that encodings may leave
    // their token strings out (`EncodeOptions::token_strings`) even when padded.
    pad_token_is_vocab: bool,
}

impl std::fmt::Debug for Tokenizer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tokenizer")
            .field("model", &self.model_type())
            .field("vocab_size", &self.vocab_size)
            .field("mask_token_id", &self.mask_token_id)
            .field("pad_token_id", &self.pad.as_ref().map(|p| p.id))
            .finish()
    }
}

/// `json` with `tokens` appended to its `added_tokens` as special tokens, from the first id
/// after the vocabulary (the file is loaded once to find it); tokens it already has are left
/// as they are.
fn with_special_tokens(json: &str, tokens: &[String]) -> Result<String> {
    check_components(json)?;
    let loaded = HfTokenizer::from_str(json).map_err(|e| Error::TokenizerLoad(explain_load_error(json, &*e)))?;
    let highest_added = loaded.get_added_tokens_decoder().keys().max().map_or(0, |&id| id as usize + 1);
    let mut next = loaded.get_vocab_size(true).max(highest_added);
    let mut file: serde_json::Value = serde_json::from_str(json).map_err(|e| Error::TokenizerLoad(e.to_string()))?;
    let Some(object) = file.as_object_mut() else {
        return Err(Error::TokenizerLoad("the file is not a JSON object".into()));
    };
    let added = object.entry("added_tokens").or_insert_with(|| serde_json::Value::Array(Vec::new()));
    let Some(added) = added.as_array_mut() else {
        return Err(Error::TokenizerLoad("`added_tokens` is not a list".into()));
    };
    for token in tokens {
        if token.is_empty() || loaded.token_to_id(token).is_some() || added.iter().any(|t| t["content"] == **token) {
            continue;
        }
        added.push(serde_json::json!({
            "id": next, "content": token, "single_word": false, "lstrip": false, "rstrip": false,
            "normalized": false, "special": true,
        }));
        next += 1;
    }
    Ok(file.to_string())
}

/// Mask token names transformers' tokenizer classes use, in the order we look for them.
const MASK_TOKEN_NAMES: [&str; 2] = ["[MASK]", "<mask>"];
/// Pad token names, for files that store no padding settings.
const PAD_TOKEN_NAMES: [&str; 2] = ["[PAD]", "<pad>"];

impl Tokenizer {
    /// Load a `tokenizer.json` from its text.
    pub fn from_json(json: &str) -> Result<Self> {
        Self::from_json_with(json, &LoadOptions::default())
    }

    /// Load a `tokenizer.json` from its bytes.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        Self::from_bytes_with(bytes, &LoadOptions::default())
    }

    /// Load from bytes, naming the mask or pad token explicitly.
    pub fn from_bytes_with(bytes: &[u8], options: &LoadOptions) -> Result<Self> {
        let json = std::str::from_utf8(bytes).map_err(|e| Error::TokenizerNotUtf8(e.to_string()))?;
        Self::from_json_with(json, options)
    }

    /// Load from text, naming the mask or pad token explicitly.
    pub fn from_json_with(json: &str, options: &LoadOptions) -> Result<Self> {
        if !options.additional_special_tokens.is_empty() {
            let json = with_special_tokens(json, &options.additional_special_tokens)?;
            let rest = LoadOptions { additional_special_tokens: Vec::new(), ..options.clone() };
            return Self::from_json_with(&json, &rest);
        }
        check_components(json)?;
        let mut inner = HfTokenizer::from_str(json).map_err(|e| Error::TokenizerLoad(explain_load_error(json, &*e)))?;
        let file_truncation = inner.get_truncation().map(truncation_from_hf);
        let file_padding = inner.get_padding().map(|p| Padding {
            length: match p.strategy {
                tokenizers::PaddingStrategy::Fixed(n) => Some(n),
                tokenizers::PaddingStrategy::BatchLongest => None,
            },
            pad_to_multiple_of: p.pad_to_multiple_of.filter(|&m| m > 0),
            side: match p.direction {
                tokenizers::PaddingDirection::Left => Side::Left,
                tokenizers::PaddingDirection::Right => Side::Right,
            },
        });
        let file_pad_token =
            inner.get_padding().map(|p| PadToken { id: p.pad_id, token: p.pad_token.clone(), type_id: p.pad_type_id });
        let processor = inner.get_post_processor().cloned();
        inner.with_post_processor(None::<PostProcessorWrapper>);
        inner.with_padding(None);
        inner.with_truncation(None).map_err(|e| Error::TokenizerLoad(e.to_string()))?;

        let added = inner.get_added_tokens_decoder();
        let mut special_ids: Vec<u32> = added.iter().filter(|(_, t)| t.special).map(|(&id, _)| id).collect();
        special_ids.sort_unstable();
        let find_added = |names: &[&str]| {
            names.iter().find_map(|name| {
                let mut ids: Vec<u32> = added.iter().filter(|(_, t)| t.content == *name).map(|(&id, _)| id).collect();
                ids.sort_unstable();
                ids.first().copied()
            })
        };

        let mask_token_id = match &options.mask_token {
            Some(name) => Some(named_token(&inner, "mask_token", name)?),
            None => find_added(&MASK_TOKEN_NAMES),
        };
        let pad = match &options.pad_token {
            Some(name) => Some(PadToken {
                id: named_token(&inner, "pad_token", name)?,
                token: name.clone(),
                type_id: file_pad_token.as_ref().map_or(0, |p| p.type_id),
            }),
            None => file_pad_token.filter(|p| inner.id_to_token(p.id).is_some()).or_else(|| {
                find_added(&PAD_TOKEN_NAMES).map(|id| PadToken {
                    id,
                    token: inner.id_to_token(id).unwrap_or_default(),
                    type_id: 0,
                })
            }),
        };
        let vocab_size = u32::try_from(inner.get_vocab_size(true)).unwrap_or(u32::MAX);
        let fast = crate::fast::FastPath::detect(&inner, processor.as_ref(), json).map(std::sync::Arc::new);
        let pad_token_is_vocab = pad.as_ref().is_none_or(|p| inner.id_to_token(p.id).as_ref() == Some(&p.token));

        Ok(Self {
            inner,
            processor,
            file_truncation,
            file_padding,
            pad,
            mask_token_id,
            special_ids,
            vocab_size,
            fast,
            continuation_ids: OnceLock::new(),
            pad_token_is_vocab,
        })
    }

    /// The fused fast path this tokenizer uses for single texts (`"wordpiece"`,
    /// `"byte-level-bpe"`), or `None` when every text goes through the `tokenizers` crate.
    pub fn fast_path(&self) -> Option<&'static str> {
        self.fast.as_deref().map(crate::fast::FastPath::name)
    }

    /// The fast path itself, for the differential tests and the fuzz target.
    #[doc(hidden)]
    pub fn fast_path_impl(&self) -> Option<(&crate::fast::FastPath, &HfTokenizer)> {
        self.fast.as_deref().map(|f| (f, &self.inner))
    }

    /// The same tokenizer with its fast path switched off: every text goes to the crate.
    #[doc(hidden)]
    pub fn without_fast_path(&self) -> Self {
        Self { fast: None, ..self.clone() }
    }

    /// The model family: `"WordPiece"`, `"BPE"`, `"Unigram"` or `"WordLevel"`.
    pub fn model_type(&self) -> &'static str {
        match self.inner.get_model() {
            ModelWrapper::WordPiece(_) => "WordPiece",
            ModelWrapper::BPE(_) => "BPE",
            ModelWrapper::Unigram(_) => "Unigram",
            ModelWrapper::WordLevel(_) => "WordLevel",
        }
    }

    /// Vocabulary size including added tokens: Python's `len(tokenizer)`.
    pub fn vocab_size(&self) -> u32 {
        self.vocab_size
    }

    /// The mask token's id, if the tokenizer has one.
    pub fn mask_token_id(&self) -> Option<u32> {
        self.mask_token_id
    }

    /// The pad token's id, if the tokenizer has one.
    pub fn pad_token_id(&self) -> Option<u32> {
        self.pad.as_ref().map(|p| p.id)
    }

    /// The truncation stored in the file, if any.
    pub fn file_truncation(&self) -> Option<Truncation> {
        self.file_truncation
    }

    /// The padding stored in the file, if any.
    pub fn file_padding(&self) -> Option<Padding> {
        self.file_padding
    }

    /// The token string of an id (added tokens included).
    pub fn id_to_token(&self, id: u32) -> Option<String> {
        self.inner.id_to_token(id)
    }

    /// The id of a token string (added tokens included).
    pub fn token_to_id(&self, token: &str) -> Option<u32> {
        self.inner.token_to_id(token)
    }

    /// Ids of the added tokens marked special, sorted.
    pub fn special_ids(&self) -> &[u32] {
        &self.special_ids
    }

    /// T5's sentinels: the ids of `<extra_id_0>`, `<extra_id_1>`, ... for as long as they exist;
    /// empty when the tokenizer has none.
    pub fn sentinel_ids(&self) -> Vec<u32> {
        (0..).map_while(|k| self.inner.token_to_id(&format!("<extra_id_{k}>"))).collect()
    }

    /// What masking needs to know about the vocabulary.
    pub fn vocab_info(&self) -> VocabInfo {
        VocabInfo {
            vocab_size: self.vocab_size,
            mask_token_id: self.mask_token_id,
            pad_token_id: self.pad_token_id(),
            special_ids: self.special_ids.clone(),
            continuation_ids: self.continuation_ids(),
            sentinel_ids: self.sentinel_ids(),
            eos_token_id: ["</s>", "<|endoftext|>"].iter().find_map(|t| self.inner.token_to_id(t)),
        }
    }

    /// Ids whose token starts with `##`, sorted: the legacy whole-word rule's continuations.
    pub fn continuation_ids(&self) -> Arc<[u32]> {
        Arc::clone(self.continuation_ids.get_or_init(|| {
            let mut ids: Vec<u32> = self
                .inner
                .get_vocab(true)
                .into_iter()
                .filter(|(token, _)| token.starts_with("##"))
                .map(|(_, id)| id)
                .collect();
            ids.sort_unstable();
            ids.into()
        }))
    }

    /// Decode ids back to text.
    pub fn decode(&self, ids: &[u32], skip_special_tokens: bool) -> Result<String> {
        self.inner.decode(ids, skip_special_tokens).map_err(|e| Error::Encode(e.to_string()))
    }

    /// Tokenize one text, or a text and its pair.
    pub fn encode(&self, text: &str, pair: Option<&str>, options: &EncodeOptions) -> Result<Encoding> {
        let mut encoding = self.encode_unpadded(text, pair, options)?;
        if let Some(padding) = self.padding_for(options) {
            let length = collate::padded_length(&padding, std::iter::once(encoding.len()))?;
            if length > encoding.len() {
                collate::pad(&mut encoding, length, self.pad.as_ref().ok_or(Error::NoPadToken)?, padding.side);
            }
        }
        Ok(encoding)
    }

    /// Tokenize several texts (and optional pairs) into one padded, rectangular [`Batch`].
    pub fn encode_batch(&self, texts: &[&str], pairs: Option<&[&str]>, options: &EncodeOptions) -> Result<Batch> {
        if texts.is_empty() {
            return Err(Error::EmptyBatch);
        }
        if let Some(pairs) = pairs {
            if pairs.len() != texts.len() {
                return Err(Error::PairCountMismatch { texts: texts.len(), pairs: pairs.len() });
            }
        }
        // A batch keeps no token strings, so its rows need not make them.
        let options = &EncodeOptions { token_strings: false, ..*options };
        let encodings = texts
            .iter()
            .enumerate()
            .map(|(i, text)| self.encode_unpadded(text, pairs.map(|p| p[i]), options))
            .collect::<Result<Vec<_>>>()?;
        let padding = self.padding_for(options).unwrap_or_default();
        Batch::from_encodings(encodings, &padding, self.pad.as_ref())
    }

    fn resolve<T: Copy>(&self, setting: Setting<T>, from_file: Option<T>) -> Option<T> {
        match setting {
            Setting::FromFile => from_file,
            Setting::Off => None,
            Setting::Set(value) => Some(value),
        }
    }

    fn padding_for(&self, options: &EncodeOptions) -> Option<Padding> {
        let padding = self.resolve(options.padding, self.file_padding);
        match options.pad_to_multiple_of {
            Some(multiple) => Some(Padding { pad_to_multiple_of: Some(multiple), ..padding.unwrap_or_default() }),
            None => padding,
        }
    }

    /// The crate's `encode` (`encode_single_sequence` per text, then `post_process`) with our
    /// truncation in its place, between the two.
    fn encode_unpadded(&self, text: &str, pair: Option<&str>, options: &EncodeOptions) -> Result<Encoding> {
        // Fast path (src/fast/): single texts of a recognised pipeline, identical output
        // (tests/fast_paths.rs). It returns None for whatever it does not cover, and the crate
        // below handles it. Truncation is validated first, as below, so errors are the same.
        if let (Some(fast), None) = (&self.fast, pair) {
            // `Some(limit)` when the fast path may run; `limit` is the text's token budget, if any.
            let budget = match self.resolve(options.truncation, self.file_truncation) {
                Some(t) if t.strategy == TruncationStrategy::OnlySecond => None, // the crate's error
                Some(t) => {
                    let added = self.added_tokens(false, options.add_special_tokens);
                    check_truncation(&t, false, added)?;
                    Some(Some((t.max_length - added, t.side)))
                }
                None => Some(None),
            };
            if let Some(budget) = budget {
                let token_strings = options.token_strings || !self.pad_token_is_vocab;
                if let Some(encoding) =
                    fast.encode(&self.inner, text, budget, options.add_special_tokens, options.offsets, token_strings)
                {
                    return Ok(encoding);
                }
            }
        }
        let encode_one = |sequence: &str| {
            match options.offsets {
                OffsetUnit::Byte | OffsetUnit::None => self.inner.encode(sequence, false),
                OffsetUnit::Char | OffsetUnit::Utf16 => self.inner.encode_char_offsets(sequence, false),
            }
            .map_err(|e| Error::Encode(e.to_string()))
        };
        let first = encode_one(text)?;
        let second = match pair {
            Some(pair) => {
                let mut second = encode_one(pair)?;
                second.set_type_ids(vec![1; second.len()]);
                Some(second)
            }
            None => None,
        };
        let (first, second) = match self.resolve(options.truncation, self.file_truncation) {
            Some(t) => {
                let added = self.added_tokens(pair.is_some(), options.add_special_tokens);
                check_truncation(&t, pair.is_some(), added)?;
                let params = TruncationParams { max_length: t.max_length - added, ..truncation_to_hf(t) };
                truncate_encodings(first, second, &params).map_err(|e| Error::Encode(e.to_string()))?
            }
            None => (first, second),
        };
        let encoded = match &self.processor {
            Some(processor) => processor.process(first, second, options.add_special_tokens),
            None => <dyn PostProcessor>::default_process(
                std::iter::once(first).chain(second).collect(),
                options.add_special_tokens,
            )
            .map(|encodings| tokenizers::Encoding::merge(encodings, false)),
        }
        .map_err(|e| Error::Encode(e.to_string()))?;
        Ok(convert_encoding(&encoded, text, pair, options.offsets))
    }

    /// How many special tokens the post-processor adds.
    fn added_tokens(&self, is_pair: bool, add_special_tokens: bool) -> usize {
        match &self.processor {
            Some(processor) if add_special_tokens => processor.added_tokens(is_pair),
            _ => 0,
        }
    }
}

/// The crate subtracts the added special tokens from `max_length` without checking, so a
/// length that cannot hold them would underflow; refuse it with a message instead.
fn check_truncation(t: &Truncation, is_pair: bool, added: usize) -> Result<()> {
    if t.max_length == 0 {
        return Err(Error::NotPositive { name: "max_length", value: 0 });
    }
    if t.max_length <= added {
        return Err(Error::TruncationTooShort {
            max_length: t.max_length,
            added,
            what: if is_pair { "a pair" } else { "a single text" },
        });
    }
    Ok(())
}

fn named_token(inner: &HfTokenizer, option: &'static str, name: &str) -> Result<u32> {
    inner.token_to_id(name).ok_or_else(|| Error::UnknownToken { option, token: name.to_owned() })
}

fn truncation_from_hf(t: &TruncationParams) -> Truncation {
    Truncation {
        max_length: t.max_length,
        strategy: match t.strategy {
            HfTruncationStrategy::LongestFirst => TruncationStrategy::LongestFirst,
            HfTruncationStrategy::OnlyFirst => TruncationStrategy::OnlyFirst,
            HfTruncationStrategy::OnlySecond => TruncationStrategy::OnlySecond,
        },
        side: match t.direction {
            TruncationDirection::Left => Side::Left,
            TruncationDirection::Right => Side::Right,
        },
    }
}

/// The stride is always 0: it only shapes the overflowing windows, which mlmask does not
/// return, and a stride close to the per-text budget makes the crate panic on pairs.
fn truncation_to_hf(t: Truncation) -> TruncationParams {
    TruncationParams {
        max_length: t.max_length,
        stride: 0,
        strategy: match t.strategy {
            TruncationStrategy::LongestFirst => HfTruncationStrategy::LongestFirst,
            TruncationStrategy::OnlyFirst => HfTruncationStrategy::OnlyFirst,
            TruncationStrategy::OnlySecond => HfTruncationStrategy::OnlySecond,
        },
        direction: match t.side {
            Side::Left => TruncationDirection::Left,
            Side::Right => TruncationDirection::Right,
        },
    }
}

fn convert_encoding(e: &tokenizers::Encoding, text: &str, pair: Option<&str>, unit: OffsetUnit) -> Encoding {
    let sequence_ids: Vec<i8> =
        e.get_sequence_ids().iter().map(|s| s.map_or(-1, |s| i8::try_from(s).unwrap_or(-1))).collect();
    let offsets = match unit {
        OffsetUnit::None => None,
        OffsetUnit::Byte | OffsetUnit::Char => Some(e.get_offsets().to_vec()),
        OffsetUnit::Utf16 => Some({
            let tables = [utf16_index_of_chars(text), utf16_index_of_chars(pair.unwrap_or(""))];
            e.get_offsets()
                .iter()
                .zip(&sequence_ids)
                .map(|(&(start, end), &seq)| match seq {
                    0 | 1 => {
                        let table = &tables[seq as usize];
                        let at = |i: usize| table[i.min(table.len() - 1)] as usize;
                        (at(start), at(end))
                    }
                    _ => (0, 0),
                })
                .collect()
        }),
    };
    Encoding {
        ids: e.get_ids().to_vec(),
        tokens: e.get_tokens().to_vec(),
        type_ids: e.get_type_ids().to_vec(),
        offsets,
        special_tokens_mask: e.get_special_tokens_mask().iter().map(|&m| u8::from(m != 0)).collect(),
        attention_mask: e.get_attention_mask().iter().map(|&m| u8::from(m != 0)).collect(),
        word_ids: e.get_word_ids().iter().map(|w| w.map_or(-1, |w| i32::try_from(w).unwrap_or(i32::MAX))).collect(),
        sequence_ids,
    }
}

/// `table[i]` is the UTF-16 index where the `i`-th char of `text` starts; the last entry is the
/// UTF-16 length, so char offsets `(s, e)` become `(table[s], table[e])`.
fn utf16_index_of_chars(text: &str) -> Vec<u32> {
    let mut table = Vec::with_capacity(text.len() + 1);
    let mut at = 0u32;
    table.push(0);
    for c in text.chars() {
        at += c.len_utf16() as u32;
        table.push(at);
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_table_counts_astral_chars_twice() {
        assert_eq!(utf16_index_of_chars("a😀é"), vec![0, 1, 3, 4]);
        assert_eq!(utf16_index_of_chars(""), vec![0]);
    }
}
