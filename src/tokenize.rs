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
use crate::error::{Error, Result};

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
    /// No offsets: every offset is `(0, 0)`. Cheaper, for bulk tokenization that never maps
    /// tokens back to the text.
    None,
}

/// Which end of a sequence truncation or padding works on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Side {
    /// The start of the sequence.
    Left,
    /// The end of the sequence.
    #[default]
    Right,
}

/// How a pair of texts shares the truncation budget (the `tokenizers` strategies).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Truncation {
    /// The longest an encoding may be, special tokens included.
    pub max_length: usize,
    /// How a pair shares the budget.
    pub strategy: TruncationStrategy,
    /// Which end loses tokens.
    pub side: Side,
}

impl Truncation {
    /// Truncate on the right to `max_length` tokens, longest text first.
    pub fn to(max_length: usize) -> Self {
        Self { max_length, strategy: TruncationStrategy::LongestFirst, side: Side::Right }
    }
}

/// Padding to the longest sequence or to a fixed length, optionally rounded up to a multiple.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
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
}

/// A per-call setting that can defer to the tokenizer file, be switched off, or be replaced.
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

/// Options of [`Tokenizer::encode`] and [`Tokenizer::encode_batch`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EncodeOptions {
    /// Add the model's special tokens (`[CLS]`, `[SEP]`, `<s>`, ...). Default true.
    pub add_special_tokens: bool,
    /// Truncation; defaults to the file's own.
    pub truncation: Setting<Truncation>,
    /// Padding; defaults to the file's own. A batch is always padded to a rectangle, so for
    /// [`Tokenizer::encode_batch`] `Off` means "to the longest".
    pub padding: Setting<Padding>,
    /// Round the padded length up to a multiple of this, replacing the padding's own
    /// multiple; when padding is otherwise off, pad to the longest sequence first.
    pub pad_to_multiple_of: Option<usize>,
    /// The unit of the returned offsets.
    pub offsets: OffsetUnit,
    /// Fill [`Encoding::tokens`]. `false` lets a fast path leave them out (an empty `tokens`)
    /// when each is [`Tokenizer::id_to_token`] of its id, which spares one string per token:
    /// the JS binding builds them only when read. Encodings from the crate keep them. Default
    /// true.
    pub token_strings: bool,
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

/// Options of [`Tokenizer::from_json_with`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LoadOptions {
    /// Use this token as the mask token instead of looking for `[MASK]` / `<mask>`.
    pub mask_token: Option<String>,
    /// Use this token as the pad token instead of the file's padding token, `[PAD]` or `<pad>`.
    pub pad_token: Option<String>,
}

/// One tokenized text (or pair of texts), position by position.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Encoding {
    /// Token ids.
    pub ids: Vec<u32>,
    /// Token strings, as the vocabulary spells them. Empty when [`EncodeOptions::token_strings`]
    /// let a fast path leave them out: each is then [`Tokenizer::id_to_token`] of its id.
    pub tokens: Vec<String>,
    /// Segment (token type) ids: 0 for the first text, 1 for the pair, as the post-processor says.
    pub type_ids: Vec<u32>,
    /// `[start, end)` of each token in its source text, in [`EncodeOptions::offsets`] units.
    /// Special and padding tokens have `(0, 0)`.
    pub offsets: Vec<(usize, usize)>,
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
            Some(name) => Some(named_token(&inner, "maskToken", name)?),
            None => find_added(&MASK_TOKEN_NAMES),
        };
        let pad = match &options.pad_token {
            Some(name) => Some(PadToken {
                id: named_token(&inner, "padToken", name)?,
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

    /// What masking needs to know about the vocabulary.
    pub fn vocab_info(&self) -> VocabInfo {
        VocabInfo {
            vocab_size: self.vocab_size,
            mask_token_id: self.mask_token_id,
            pad_token_id: self.pad_token_id(),
            special_ids: self.special_ids.clone(),
            continuation_ids: self.continuation_ids(),
            sentinel_ids: (0..).map_while(|k| self.inner.token_to_id(&format!("<extra_id_{k}>"))).collect(),
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
        return Err(Error::NotPositive { name: "maxLength", value: 0 });
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

/// The crate's message for an unknown model type ("did not match any variant of untagged enum
/// ModelUntagged") does not say what is wrong; name the type when that is the cause.
fn explain_load_error(json: &str, error: &dyn std::fmt::Display) -> String {
    const MODELS: [&str; 4] = ["BPE", "WordPiece", "WordLevel", "Unigram"];
    let model_type = serde_json::from_str::<serde_json::Value>(json)
        .ok()
        .and_then(|v| v.pointer("/model/type").and_then(|t| t.as_str()).map(str::to_owned));
    match model_type {
        Some(t) if !MODELS.contains(&t.as_str()) => {
            format!("unknown model type \"{t}\"; tokenizers reads {}", MODELS.join(", "))
        }
        _ => error.to_string(),
    }
}

/// The parts of a tokenizer.json that [`check_components`] reads (serde skips the rest, but still
/// checks that the whole file is well-formed JSON).
#[derive(serde::Deserialize)]
struct ComponentsOnly {
    #[serde(default)]
    normalizer: Option<serde_json::Value>,
    #[serde(default)]
    post_processor: Option<serde_json::Value>,
    #[serde(default)]
    model: Option<ModelShape>,
}

/// What the BPE check needs of a model, read without copying the vocabulary.
#[derive(serde::Deserialize)]
struct ModelShape {
    #[serde(default)]
    vocab: Option<LongestKey>,
    #[serde(default)]
    merges: Option<Vec<MergeLengths>>,
    #[serde(default)]
    continuing_subword_prefix: Option<String>,
}

/// The byte length of the longest key of a JSON object (0 for anything else).
struct LongestKey(usize);

/// The byte lengths of the two parts of a merge, written `"a b"` or `["a", "b"]`.
struct MergeLengths(usize, usize);

impl<'de> serde::Deserialize<'de> for LongestKey {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = LongestKey;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a vocabulary")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> std::result::Result<LongestKey, A::Error> {
                let mut longest = 0;
                while let Some(StrLen(len)) = map.next_key()? {
                    longest = longest.max(len);
                    map.next_value::<serde::de::IgnoredAny>()?;
                }
                Ok(LongestKey(longest))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<LongestKey, A::Error> {
                while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {}
                Ok(LongestKey(0))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

/// A string's byte length, read without allocating.
struct StrLen(usize);

impl<'de> serde::Deserialize<'de> for StrLen {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = StrLen;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> std::result::Result<StrLen, E> {
                Ok(StrLen(v.len()))
            }
        }
        deserializer.deserialize_str(Visitor)
    }
}

impl<'de> serde::Deserialize<'de> for MergeLengths {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = MergeLengths;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a merge")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> std::result::Result<MergeLengths, E> {
                let (a, b) = v.split_once(' ').unwrap_or((v, ""));
                Ok(MergeLengths(a.len(), b.len()))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> std::result::Result<MergeLengths, A::Error> {
                let a = seq.next_element::<StrLen>()?.map_or(0, |s| s.0);
                let b = seq.next_element::<StrLen>()?.map_or(0, |s| s.0);
                while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {}
                Ok(MergeLengths(a, b))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

/// Refuse, with a message, the files on which the crate would panic instead of returning an
/// error (a wasm trap in the browser). Each case was found by the `load` fuzz target:
/// - malformed JSON inside the `decoder` (its deserializer `expect`s);
/// - a `Precompiled` normalizer whose charsmap does not parse (`expect`ed too);
/// - a `TemplateProcessing` that names a special token it does not define, uses `$B` in the
///   single template, or gives a token different numbers of ids and strings (it panics while
///   encoding);
/// - a BPE merge whose result is longer than every vocabulary token (the builder's buffer).
fn check_components(json: &str) -> Result<()> {
    let parts: ComponentsOnly = match serde_json::from_str(json) {
        Ok(parts) => parts,
        // A component of an unexpected shape: the crate's own error says which.
        Err(e) if e.is_data() => return Ok(()),
        Err(e) => return Err(Error::TokenizerLoad(format!("it is not valid JSON ({e})"))),
    };
    if let Some(ModelShape { vocab: Some(LongestKey(longest)), merges: Some(merges), continuing_subword_prefix }) =
        &parts.model
    {
        // The BPE builder copies each merge into a buffer as long as the longest token before
        // checking that the merged token exists, so a longer merge panics.
        let prefix = continuing_subword_prefix.as_ref().map_or(0, String::len);
        if let Some(k) = merges.iter().position(|m| m.1 < prefix || m.0 + m.1 - prefix > *longest) {
            return Err(Error::TokenizerLoad(format!(
                "its BPE merge number {k} makes a token longer than any in the vocabulary"
            )));
        }
    }
    if let Some(normalizer) = &parts.normalizer {
        check_normalizer(normalizer)?;
    }
    match &parts.post_processor {
        Some(processor) => check_processor(processor),
        None => Ok(()),
    }
}

// Components are recognised by their fields, not by `type`: the crate falls back to matching an
// untyped object by shape, so a misspelt `type` still reaches the same code.
fn check_normalizer(normalizer: &serde_json::Value) -> Result<()> {
    for inner in normalizer.get("normalizers").and_then(|n| n.as_array()).into_iter().flatten() {
        check_normalizer(inner)?;
    }
    if normalizer.get("type").and_then(|t| t.as_str()) == Some("Precompiled")
        || normalizer.get("precompiled_charsmap").is_some()
    {
        // From text, as the crate does: the charsmap deserializer borrows a string.
        serde_json::from_str::<tokenizers::normalizers::precompiled::Precompiled>(&normalizer.to_string())
            .map_err(|e| Error::TokenizerLoad(format!("its Precompiled normalizer does not parse ({e})")))?;
    }
    Ok(())
}

fn check_processor(processor: &serde_json::Value) -> Result<()> {
    let bad = |why: String| Err(Error::TokenizerLoad(format!("its post_processor is inconsistent: {why}")));
    for inner in processor.get("processors").and_then(|p| p.as_array()).into_iter().flatten() {
        check_processor(inner)?;
    }
    let is_template = ["single", "pair", "special_tokens"].iter().any(|k| processor.get(k).is_some());
    if !is_template {
        return Ok(());
    }
    // The crate looks special tokens up by their key in `special_tokens`.
    let defined = processor.get("special_tokens").and_then(|t| t.as_object());
    for (name, token) in defined.into_iter().flatten() {
        let count = |key: &str| token.get(key).and_then(|v| v.as_array()).map(Vec::len);
        if count("ids") != count("tokens") {
            return bad(format!("special token \"{name}\" has a different number of ids and tokens"));
        }
    }
    for template in ["single", "pair"] {
        for piece in processor.get(template).and_then(|t| t.as_array()).into_iter().flatten() {
            if let Some(id) = piece.pointer("/SpecialToken/id").and_then(|i| i.as_str()) {
                if !defined.is_some_and(|d| d.contains_key(id)) {
                    return bad(format!(
                        "the {template} template uses the special token \"{id}\", which special_tokens does not define"
                    ));
                }
            }
            if template == "single" && piece.pointer("/Sequence/id").and_then(|i| i.as_str()) == Some("B") {
                return bad("the single template uses the second sequence $B".into());
            }
        }
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
        OffsetUnit::None => vec![(0, 0); e.len()],
        OffsetUnit::Byte | OffsetUnit::Char => e.get_offsets().to_vec(),
        OffsetUnit::Utf16 => {
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
        }
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
