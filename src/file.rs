//! Reading a `tokenizer.json` without the `tokenizers` crate: one serde pass gives the file's
//! settings, its added tokens and its vocabulary by id, and leaves every pipeline component as
//! raw JSON for the fast paths (`crate::fast`) to recognise.
//!
//! This is what makes loading cheap: the crate builds every component (hash maps of the
//! vocabulary and of the merges, a trie of the Unigram pieces, compiled regexes) before the
//! first encode, which costs 5–30× more than reading the file; a pipeline that a fast path
//! serves needs none of it. The rules below are the crate's own (cited at each), so that the
//! ids, the vocabulary size and the settings are the ones the crate would give; the tests
//! compare them with the crate for every vendored file.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, OnceLock};

use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::value::RawValue;

use crate::collate::PadToken;
use crate::encoding::{Padding, Side, Truncation, TruncationStrategy};
use crate::hash::IdTable;

/// The components of a tokenizer.json that a fast path is built from, as raw JSON: each fast
/// path deserializes the sections it recognises into its own types, so that none of them needs
/// the `tokenizers` crate's objects (the lite build has no crate).
#[derive(Debug, Clone, Copy, serde::Deserialize)]
pub struct Sections<'a> {
    /// `normalizer` (absent and `null` are both `None`).
    #[serde(borrow, default)]
    pub normalizer: Option<&'a serde_json::value::RawValue>,
    /// `pre_tokenizer`.
    #[serde(borrow, default)]
    pub pre_tokenizer: Option<&'a serde_json::value::RawValue>,
    /// `model`.
    #[serde(borrow)]
    pub model: &'a serde_json::value::RawValue,
    /// `decoder`.
    #[allow(dead_code)] // read by the decoders that work without the crate
    #[serde(borrow, default)]
    pub decoder: Option<&'a serde_json::value::RawValue>,
}

#[allow(dead_code)] // for fast paths detected from a file's text alone
impl<'a> Sections<'a> {
    /// The sections of `json`; `None` when it is not a tokenizer.json with a model.
    pub fn of(json: &'a str) -> Option<Self> {
        serde_json::from_str(json).ok()
    }
}

/// The parts of a tokenizer.json read here; the pipeline components stay raw.
#[derive(Deserialize)]
pub(crate) struct TokenizerFile<'a> {
    #[serde(default)]
    added_tokens: Vec<AddedTokenEntry>,
    #[serde(default)]
    truncation: Option<TruncationEntry>,
    #[serde(default)]
    padding: Option<PaddingEntry>,
    #[serde(borrow, default)]
    pub normalizer: Option<&'a RawValue>,
    #[serde(borrow, default)]
    pub pre_tokenizer: Option<&'a RawValue>,
    #[serde(borrow, default)]
    pub post_processor: Option<&'a RawValue>,
    #[serde(borrow, default)]
    pub decoder: Option<&'a RawValue>,
    #[serde(borrow)]
    pub model: &'a RawValue,
}

/// An entry of `added_tokens`. Every field is required, as the crate's `AddedToken` requires
/// them. The file's `id` is read but, as in the crate, not trusted (see [`Vocab::build`]).
#[derive(Deserialize)]
struct AddedTokenEntry {
    #[allow(dead_code)] // required by the format, ignored by the crate
    id: u32,
    content: String,
    single_word: bool,
    lstrip: bool,
    rstrip: bool,
    normalized: bool,
    special: bool,
}

#[derive(Deserialize)]
enum TruncationStrategyEntry {
    LongestFirst,
    OnlyFirst,
    OnlySecond,
}

#[derive(Deserialize)]
enum DirectionEntry {
    Left,
    Right,
}

/// `tokenizers::TruncationParams`: `direction` defaults to right, the rest is required.
#[derive(Deserialize)]
struct TruncationEntry {
    #[serde(default)]
    direction: Option<DirectionEntry>,
    max_length: usize,
    strategy: TruncationStrategyEntry,
    #[allow(dead_code)] // required by the format; mlmask returns no overflowing windows
    stride: usize,
}

#[derive(Deserialize)]
enum PaddingStrategyEntry {
    BatchLongest,
    Fixed(usize),
}

/// `tokenizers::PaddingParams`: every field required.
#[derive(Deserialize)]
struct PaddingEntry {
    strategy: PaddingStrategyEntry,
    direction: DirectionEntry,
    pad_to_multiple_of: Option<usize>,
    pad_id: u32,
    pad_type_id: u32,
    pad_token: String,
}

fn side(direction: &DirectionEntry) -> Side {
    match direction {
        DirectionEntry::Left => Side::Left,
        DirectionEntry::Right => Side::Right,
    }
}

impl<'a> TokenizerFile<'a> {
    /// Parse `json`; `None` when it is not a tokenizer.json this reader understands (the crate
    /// then reads it, or explains why it cannot).
    pub fn parse(json: &'a str) -> Option<Self> {
        serde_json::from_str(json).ok()
    }

    /// The components as [`Sections`].
    pub fn sections(&self) -> Sections<'a> {
        Sections {
            normalizer: self.normalizer,
            pre_tokenizer: self.pre_tokenizer,
            model: self.model,
            decoder: self.decoder,
        }
    }

    /// The file's truncation setting.
    pub fn truncation(&self) -> Option<Truncation> {
        self.truncation.as_ref().map(|t| Truncation {
            max_length: t.max_length,
            strategy: match t.strategy {
                TruncationStrategyEntry::LongestFirst => TruncationStrategy::LongestFirst,
                TruncationStrategyEntry::OnlyFirst => TruncationStrategy::OnlyFirst,
                TruncationStrategyEntry::OnlySecond => TruncationStrategy::OnlySecond,
            },
            side: t.direction.as_ref().map_or(Side::Right, side),
        })
    }

    /// The file's padding setting.
    pub fn padding(&self) -> Option<Padding> {
        self.padding.as_ref().map(|p| Padding {
            length: match p.strategy {
                PaddingStrategyEntry::Fixed(n) => Some(n),
                PaddingStrategyEntry::BatchLongest => None,
            },
            pad_to_multiple_of: p.pad_to_multiple_of.filter(|&m| m > 0),
            side: side(&p.direction),
        })
    }

    /// The pad token the file's padding names.
    pub fn pad_token(&self) -> Option<PadToken> {
        self.padding.as_ref().map(|p| PadToken { id: p.pad_id, token: p.pad_token.clone(), type_id: p.pad_type_id })
    }

    /// The vocabulary, with the crate's ids for the added tokens. `None` where this reader
    /// cannot give exactly what the crate would: an unknown or untyped model shape, ids that
    /// are not one per token, or an added token that the crate would store normalised.
    pub fn vocab(&self) -> Option<Vocab> {
        let model: ModelVocab = serde_json::from_str(self.model.get()).ok()?;
        Vocab::build(model, &self.added_tokens, self.normalizer.is_some())
    }
}

/// The model family.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModelType {
    /// `WordPiece`.
    WordPiece,
    /// `BPE`.
    Bpe,
    /// `Unigram`.
    Unigram,
    /// `WordLevel`.
    WordLevel,
}

impl ModelType {
    /// The name `tokenizers` gives the type.
    pub fn name(self) -> &'static str {
        match self {
            Self::WordPiece => "WordPiece",
            Self::Bpe => "BPE",
            Self::Unigram => "Unigram",
            Self::WordLevel => "WordLevel",
        }
    }
}

/// What [`Vocab`] needs of `model`: its type and its tokens (the rest is skipped unread).
struct ModelVocab {
    model_type: ModelType,
    tokens: Vec<(Box<str>, u32)>,
}

impl<'de> Deserialize<'de> for ModelVocab {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        /// `vocab`: an object of token → id (WordPiece, BPE, WordLevel) or a list of
        /// `[piece, score]` whose positions are the ids (Unigram).
        enum Tokens {
            Map(Vec<(Box<str>, u32)>),
            List(Vec<(Box<str>, u32)>),
        }
        impl<'de> Deserialize<'de> for Tokens {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct V;
                impl<'de> Visitor<'de> for V {
                    type Value = Tokens;
                    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                        f.write_str("a vocabulary")
                    }
                    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Tokens, A::Error> {
                        let mut tokens = Vec::with_capacity(map.size_hint().unwrap_or(0));
                        while let Some((token, id)) = map.next_entry::<Box<str>, u32>()? {
                            tokens.push((token, id));
                        }
                        Ok(Tokens::Map(tokens))
                    }
                    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Tokens, A::Error> {
                        let mut tokens = Vec::with_capacity(seq.size_hint().unwrap_or(0));
                        while let Some((piece, _score)) = seq.next_element::<(Box<str>, f64)>()? {
                            let id = u32::try_from(tokens.len()).map_err(de::Error::custom)?;
                            tokens.push((piece, id));
                        }
                        Ok(Tokens::List(tokens))
                    }
                }
                deserializer.deserialize_any(V)
            }
        }

        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = ModelVocab;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a model")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<ModelVocab, A::Error> {
                let mut model_type = None;
                let mut tokens = None;
                let mut has_merges = false;
                let mut wordpiece_fields = 0;
                while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
                    match &*key {
                        "type" => model_type = Some(map.next_value::<std::borrow::Cow<'de, str>>()?.into_owned()),
                        "vocab" => tokens = Some(map.next_value::<Tokens>()?),
                        "merges" => {
                            has_merges = true;
                            map.next_value::<IgnoredAny>()?;
                        }
                        other => {
                            if ["unk_token", "continuing_subword_prefix", "max_input_chars_per_word"].contains(&other) {
                                wordpiece_fields += 1;
                            }
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                let tokens = tokens.ok_or_else(|| de::Error::missing_field("vocab"))?;
                let model_type = match (model_type.as_deref(), &tokens) {
                    (Some("WordPiece"), Tokens::Map(_)) => ModelType::WordPiece,
                    (Some("BPE"), Tokens::Map(_)) => ModelType::Bpe,
                    (Some("WordLevel"), Tokens::Map(_)) => ModelType::WordLevel,
                    (Some("Unigram"), Tokens::List(_)) => ModelType::Unigram,
                    // Files from before `type` was written: the crate tries BPE (`vocab` and
                    // `merges` required), WordPiece (its four fields required), WordLevel and
                    // Unigram by shape, and only a Unigram has a list.
                    (None, Tokens::List(_)) => ModelType::Unigram,
                    (None, Tokens::Map(_)) if has_merges => ModelType::Bpe,
                    (None, Tokens::Map(_)) if wordpiece_fields == 3 => ModelType::WordPiece,
                    _ => return Err(de::Error::custom("a model shape this reader leaves to the crate")),
                };
                let (Tokens::Map(tokens) | Tokens::List(tokens)) = tokens;
                Ok(ModelVocab { model_type, tokens })
            }
        }
        deserializer.deserialize_map(V)
    }
}

/// An added token as the crate keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddedToken {
    /// Its id (the crate's, not necessarily the file's).
    pub id: u32,
    /// Its text.
    pub content: String,
    /// Matched only as a whole word.
    pub single_word: bool,
    /// Takes the whitespace on its left.
    pub lstrip: bool,
    /// Takes the whitespace on its right.
    pub rstrip: bool,
    /// Matched in the normalised text rather than the raw text.
    pub normalized: bool,
    /// A special token (skipped by `decode(.., skip_special_tokens)`, counted by masking).
    pub special: bool,
}

/// A tokenizer's vocabulary: the model's tokens by id and the added tokens, with the crate's
/// lookup rules (`token_to_id` looks in the added tokens first, `id_to_token` too).
#[derive(Debug)]
pub struct Vocab {
    model_type: ModelType,
    /// The model's tokens by id (dense: every id below the length has one token).
    model_tokens: Arc<[Box<str>]>,
    /// Added tokens by id (the crate's `added_tokens_map_r`).
    added: BTreeMap<u32, AddedToken>,
    /// Added tokens by content (the crate's `added_tokens_map`).
    added_ids: HashMap<String, u32>,
    /// The model's token → id lookup, built on the first lookup: most loads never need it.
    model_ids: OnceLock<ModelIds>,
    size: u32,
}

impl Vocab {
    /// The crate's `AddedVocabulary::add_tokens` over the file's entries, in order: an empty
    /// content is skipped, a token the vocabulary (added or model) has keeps that id, a new
    /// one takes the next id after the model's vocabulary.
    fn build(model: ModelVocab, entries: &[AddedTokenEntry], has_normalizer: bool) -> Option<Self> {
        let ModelVocab { model_type, tokens } = model;
        let mut by_id: Vec<Option<Box<str>>> = Vec::new();
        by_id.resize_with(tokens.len(), || None);
        for (token, id) in tokens {
            // Ids must be 0..n, one token each: the crate's reverse map would otherwise keep
            // whichever duplicate its hash order puts last.
            let slot = by_id.get_mut(id as usize)?;
            if slot.replace(token).is_some() {
                return None;
            }
        }
        let model_tokens: Arc<[Box<str>]> = by_id.into_iter().collect::<Option<Vec<_>>>()?.into();
        let model_size = u32::try_from(model_tokens.len()).ok()?;
        let mut vocab = Self {
            model_type,
            model_tokens,
            added: BTreeMap::new(),
            added_ids: HashMap::new(),
            model_ids: OnceLock::new(),
            size: model_size,
        };
        let mut next_id = model_size;
        for entry in entries {
            if entry.content.is_empty() {
                continue;
            }
            // The crate stores a normalised token under its normalised text, which needs the
            // normaliser run: left to the crate.
            if entry.normalized && has_normalizer {
                return None;
            }
            let token = AddedToken {
                id: 0,
                content: entry.content.clone(),
                single_word: entry.single_word,
                lstrip: entry.lstrip,
                rstrip: entry.rstrip,
                normalized: entry.normalized,
                special: entry.special,
            };
            if let Some(&id) = vocab.added_ids.get(&token.content) {
                if vocab.added.get(&id).is_some_and(|t| AddedToken { id, ..token.clone() } == *t) {
                    continue;
                }
            }
            let id = match vocab.token_to_id(&token.content) {
                Some(id) => id,
                None => {
                    next_id = next_id.checked_add(1)?;
                    next_id - 1
                }
            };
            vocab.added_ids.insert(token.content.clone(), id);
            vocab.added.insert(id, AddedToken { id, ..token });
        }
        // `get_vocab_size(true)`: the model's tokens plus the added ones it does not have.
        let overlapping = vocab.added_ids.keys().filter(|t| vocab.model_token_id(t).is_some()).count();
        vocab.size = u32::try_from(vocab.model_tokens.len() + vocab.added_ids.len() - overlapping).ok()?;
        Some(vocab)
    }

    /// The same facts read from a tokenizer the crate has built (files [`TokenizerFile::vocab`]
    /// leaves to it).
    #[cfg(feature = "full")]
    pub fn from_crate(inner: &tokenizers::Tokenizer) -> Option<Self> {
        use tokenizers::Model;
        let model = inner.get_model();
        let model_type = match model {
            tokenizers::ModelWrapper::WordPiece(_) => ModelType::WordPiece,
            tokenizers::ModelWrapper::BPE(_) => ModelType::Bpe,
            tokenizers::ModelWrapper::Unigram(_) => ModelType::Unigram,
            tokenizers::ModelWrapper::WordLevel(_) => ModelType::WordLevel,
        };
        let size = model.get_vocab_size() as u32;
        // A sparse or duplicated vocabulary keeps the crate's own answer for each id.
        let model_tokens: Arc<[Box<str>]> =
            (0..size).map(|id| model.id_to_token(id).unwrap_or_default().into_boxed_str()).collect::<Vec<_>>().into();
        let added: BTreeMap<u32, AddedToken> = inner
            .get_added_tokens_decoder()
            .into_iter()
            .map(|(id, t)| {
                let content = inner.id_to_token(id).unwrap_or_else(|| t.content.clone());
                (
                    id,
                    AddedToken {
                        id,
                        content,
                        single_word: t.single_word,
                        lstrip: t.lstrip,
                        rstrip: t.rstrip,
                        normalized: t.normalized,
                        special: t.special,
                    },
                )
            })
            .collect();
        let added_ids = added.values().map(|t| (t.content.clone(), t.id)).collect();
        let model_ids = OnceLock::new();
        let _ = model_ids
            .set(ModelIds::Map(model.get_vocab().into_iter().map(|(t, id)| (t.into_boxed_str(), id)).collect()));
        Some(Self {
            model_type,
            model_tokens,
            added,
            added_ids,
            model_ids,
            size: u32::try_from(inner.get_vocab_size(true)).unwrap_or(u32::MAX),
        })
    }

    /// The model family.
    pub fn model_type(&self) -> ModelType {
        self.model_type
    }

    /// The model's tokens by id, shared with the fast paths.
    pub fn model_tokens(&self) -> &Arc<[Box<str>]> {
        &self.model_tokens
    }

    /// Added tokens by id.
    pub fn added(&self) -> &BTreeMap<u32, AddedToken> {
        &self.added
    }

    /// `len(tokenizer)`.
    pub fn size(&self) -> u32 {
        self.size
    }

    /// The crate's `token_to_id`: added tokens first, then the model.
    pub fn token_to_id(&self, token: &str) -> Option<u32> {
        self.added_ids.get(token).copied().or_else(|| self.model_token_id(token))
    }

    /// The crate's `id_to_token`: added tokens first, then the model.
    pub fn id_to_token(&self, id: u32) -> Option<&str> {
        match self.added.get(&id) {
            Some(t) => Some(&t.content),
            None => self.model_tokens.get(id as usize).map(|t| &**t),
        }
    }

    fn model_token_id(&self, token: &str) -> Option<u32> {
        let ids = self.model_ids.get_or_init(|| {
            let n = self.model_tokens.len() as u32;
            ModelIds::Table(IdTable::new(&self.model_tokens, 0..n, 0))
        });
        match ids {
            ModelIds::Table(table) => table.get(&self.model_tokens, token.as_bytes()),
            ModelIds::Map(map) => map.get(token).copied(),
        }
    }
}

/// The model's token → id lookup: a table over the token strings themselves (no key copied)
/// for a vocabulary read here, the crate's own map for one the crate read.
#[derive(Debug)]
enum ModelIds {
    Table(IdTable),
    #[cfg_attr(not(feature = "full"), allow(dead_code))]
    Map(HashMap<Box<str>, u32>),
}
