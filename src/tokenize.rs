//! Loading a `tokenizer.json` and turning text into [`Encoding`]s.
//!
//! Tokenization is Hugging Face `tokenizers` itself; this module only chooses the per-call
//! truncation, pads with [`crate::collate`], finds the mask and pad tokens the way transformers
//! does, and converts offsets to the unit the caller asked for.

use std::sync::{Arc, OnceLock};

use crate::collate::{self, Batch, PadToken};
#[cfg(feature = "full")]
use crate::crate_path::CratePath;
use crate::encoding::{EncodeOptions, Encoding, Padding, Setting, Truncation, TruncationStrategy};
use crate::error::{Error, Result};
use crate::fast::FastPath;
use crate::file::{TokenizerFile, Vocab};
use crate::post_processor::PostProcessor;

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
///
/// Loading reads the file once, without the `tokenizers` crate ([`crate::file`]): the
/// vocabulary, the settings and the post-processor's special tokens. A pipeline that a fast path
/// (`crate::fast`) serves needs nothing more; the crate's own tokenizer is then built only
/// when a call needs it (a pair, a decode, a text the fast path leaves to it). Any other file
/// is handed to the crate at load, as before.
#[derive(Clone)]
pub struct Tokenizer {
    vocab: Arc<Vocab>,
    // The post-processor as read from the file, when it is a kind mlmask reads itself.
    post: Option<PostProcessor>,
    #[cfg(feature = "full")]
    crate_path: Arc<CratePath>,
    file_truncation: Option<Truncation>,
    file_padding: Option<Padding>,
    pad: Option<PadToken>,
    mask_token_id: Option<u32>,
    special_ids: Vec<u32>,
    // A fused re-implementation of this pipeline (`crate::fast`), when it has one; shared by
    // clones, since its piece cache only ever holds what the crate would compute.
    fast: Option<Arc<FastPath>>,
    // Scanning the vocabulary for `##` tokens takes milliseconds: done once, on first use.
    continuation_ids: Arc<OnceLock<Arc<[u32]>>>,
    // Whether padding's token string is `id_to_token` of its id, so that encodings may leave
    // their token strings out (`EncodeOptions::token_strings`) even when padded.
    pad_token_is_vocab: bool,
}

impl std::fmt::Debug for Tokenizer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tokenizer")
            .field("model", &self.model_type())
            .field("vocab_size", &self.vocab.size())
            .field("mask_token_id", &self.mask_token_id)
            .field("pad_token_id", &self.pad.as_ref().map(|p| p.id))
            .finish()
    }
}

/// The parts of a file read at load: its own, or (full build) the crate's where mlmask's
/// reader leaves the file to it.
struct Loaded {
    vocab: Vocab,
    post: Option<PostProcessor>,
    fast: Option<FastPath>,
    file_truncation: Option<Truncation>,
    file_padding: Option<Padding>,
    file_pad_token: Option<PadToken>,
    #[cfg(feature = "full")]
    crate_path: CratePath,
}

impl Loaded {
    /// Read `json` without the crate, if a fast path serves it; else build the crate (full
    /// build) or say what the lite build lacks.
    fn read(json: &str) -> Result<Self> {
        let file = TokenizerFile::parse(json);
        let own = file.as_ref().and_then(|file| {
            let vocab = file.vocab()?;
            let post = PostProcessor::from_json(file.post_processor)?;
            let fast = FastPath::detect(&file.sections(), &vocab, &post)?;
            Some((vocab, post, fast))
        });
        if let (Some(file), Some((vocab, post, fast))) = (&file, own) {
            return Ok(Self {
                vocab,
                post: Some(post),
                fast: Some(fast),
                file_truncation: file.truncation(),
                file_padding: file.padding(),
                file_pad_token: file.pad_token(),
                #[cfg(feature = "full")]
                crate_path: CratePath::lazy(json),
            });
        }
        Self::read_with_crate(json, file.as_ref())
    }

    #[cfg(feature = "full")]
    fn read_with_crate(json: &str, file: Option<&TokenizerFile>) -> Result<Self> {
        let crate_path = CratePath::eager(json)?;
        let built = crate_path.get()?;
        let inner = &built.inner;
        let vocab = file
            .and_then(TokenizerFile::vocab)
            .or_else(|| Vocab::from_crate(inner))
            .ok_or_else(|| Error::TokenizerLoad("its vocabulary does not give one token per id".into()))?;
        let post = file.and_then(|f| PostProcessor::from_json(f.post_processor));
        let fast = match (file, &post) {
            (Some(file), Some(post)) => FastPath::detect(&file.sections(), &vocab, post),
            _ => None,
        };
        let file_truncation = built.truncation.as_ref().map(|t| Truncation {
            max_length: t.max_length,
            strategy: match t.strategy {
                tokenizers::TruncationStrategy::LongestFirst => TruncationStrategy::LongestFirst,
                tokenizers::TruncationStrategy::OnlyFirst => TruncationStrategy::OnlyFirst,
                tokenizers::TruncationStrategy::OnlySecond => TruncationStrategy::OnlySecond,
            },
            side: match t.direction {
                tokenizers::TruncationDirection::Left => crate::Side::Left,
                tokenizers::TruncationDirection::Right => crate::Side::Right,
            },
        });
        let file_padding = built.padding.as_ref().map(|p| Padding {
            length: match p.strategy {
                tokenizers::PaddingStrategy::Fixed(n) => Some(n),
                tokenizers::PaddingStrategy::BatchLongest => None,
            },
            pad_to_multiple_of: p.pad_to_multiple_of.filter(|&m| m > 0),
            side: match p.direction {
                tokenizers::PaddingDirection::Left => crate::Side::Left,
                tokenizers::PaddingDirection::Right => crate::Side::Right,
            },
        });
        let file_pad_token = built.padding.as_ref().map(|p| PadToken {
            id: p.pad_id,
            token: p.pad_token.clone(),
            type_id: p.pad_type_id,
        });
        Ok(Self { vocab, post, fast, file_truncation, file_padding, file_pad_token, crate_path })
    }

    /// The lite build has no crate to hand the file to: say which part it cannot read.
    #[cfg(not(feature = "full"))]
    fn read_with_crate(json: &str, file: Option<&TokenizerFile>) -> Result<Self> {
        crate::tokenizer_json::check_components(json)?;
        Err(crate::lite::unsupported(json, file))
    }
}

/// `json` with `tokens` appended to its `added_tokens` as special tokens, from the first id
/// after the vocabulary (the file is loaded once to find it); tokens it already has are left
/// as they are.
fn with_special_tokens(json: &str, tokens: &[String]) -> Result<String> {
    let vocab = Loaded::read(json)?.vocab;
    let highest_added = vocab.added().keys().max().map_or(0, |&id| id as usize + 1);
    let mut next = (vocab.size() as usize).max(highest_added);
    let mut file: serde_json::Value = serde_json::from_str(json).map_err(|e| Error::TokenizerLoad(e.to_string()))?;
    let Some(object) = file.as_object_mut() else {
        return Err(Error::TokenizerLoad("the file is not a JSON object".into()));
    };
    let added = object.entry("added_tokens").or_insert_with(|| serde_json::Value::Array(Vec::new()));
    let Some(added) = added.as_array_mut() else {
        return Err(Error::TokenizerLoad("`added_tokens` is not a list".into()));
    };
    for token in tokens {
        if token.is_empty() || vocab.token_to_id(token).is_some() || added.iter().any(|t| t["content"] == **token) {
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
        let loaded = Loaded::read(json)?;
        let vocab = loaded.vocab;
        let added = vocab.added();
        let special_ids: Vec<u32> = added.values().filter(|t| t.special).map(|t| t.id).collect();
        let find_added =
            |names: &[&str]| names.iter().find_map(|name| added.values().find(|t| t.content == *name).map(|t| t.id));
        let mask_token_id = match &options.mask_token {
            Some(name) => Some(named_token(&vocab, "mask_token", name)?),
            None => find_added(&MASK_TOKEN_NAMES),
        };
        let pad = match &options.pad_token {
            Some(name) => Some(PadToken {
                id: named_token(&vocab, "pad_token", name)?,
                token: name.clone(),
                type_id: loaded.file_pad_token.as_ref().map_or(0, |p| p.type_id),
            }),
            None => loaded.file_pad_token.filter(|p| vocab.id_to_token(p.id).is_some()).or_else(|| {
                find_added(&PAD_TOKEN_NAMES).map(|id| PadToken {
                    id,
                    token: vocab.id_to_token(id).unwrap_or_default().to_owned(),
                    type_id: 0,
                })
            }),
        };
        let pad_token_is_vocab = pad.as_ref().is_none_or(|p| vocab.id_to_token(p.id) == Some(&*p.token));
        Ok(Self {
            vocab: Arc::new(vocab),
            post: loaded.post,
            #[cfg(feature = "full")]
            crate_path: Arc::new(loaded.crate_path),
            file_truncation: loaded.file_truncation,
            file_padding: loaded.file_padding,
            pad,
            mask_token_id,
            special_ids,
            fast: loaded.fast.map(Arc::new),
            continuation_ids: Arc::default(),
            pad_token_is_vocab,
        })
    }

    /// The fused fast path this tokenizer uses for texts and pairs (`"wordpiece"`,
    /// `"byte-level-bpe"`, `"sentencepiece-bpe"`, `"unigram"`), or `None` when every text goes
    /// through the `tokenizers` crate.
    pub fn fast_path(&self) -> Option<&'static str> {
        self.fast.as_deref().map(FastPath::name)
    }

    /// Whether the fast path serves `text` by itself (no crate), for the differential tests
    /// and the fuzz target.
    #[doc(hidden)]
    pub fn fast_path_covers(&self, text: &str) -> bool {
        self.fast.as_deref().is_some_and(|f| f.tokenize(text, crate::OffsetUnit::Char).is_some())
    }

    /// Whether the fast path merges BPE cache misses itself, for the differential tests.
    #[doc(hidden)]
    pub fn fast_path_merges_itself(&self) -> bool {
        self.fast.as_deref().is_some_and(FastPath::merges_itself)
    }

    /// Whether the `tokenizers` crate's tokenizer has been built (it is built on first need
    /// when a fast path serves the file), for the tests of lazy loading.
    #[doc(hidden)]
    pub fn crate_tokenizer_built(&self) -> bool {
        #[cfg(feature = "full")]
        return self.crate_path.built().is_some();
        #[cfg(not(feature = "full"))]
        false
    }

    /// The same tokenizer with its fast path switched off: every text goes to the crate.
    #[doc(hidden)]
    pub fn without_fast_path(&self) -> Self {
        Self { fast: None, ..self.clone() }
    }

    /// The model family: `"WordPiece"`, `"BPE"`, `"Unigram"` or `"WordLevel"`.
    pub fn model_type(&self) -> &'static str {
        self.vocab.model_type().name()
    }

    /// Vocabulary size including added tokens: Python's `len(tokenizer)`.
    pub fn vocab_size(&self) -> u32 {
        self.vocab.size()
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
        self.vocab.id_to_token(id).map(str::to_owned)
    }

    /// The id of a token string (added tokens included).
    pub fn token_to_id(&self, token: &str) -> Option<u32> {
        self.vocab.token_to_id(token)
    }

    /// Ids of the added tokens marked special, sorted.
    pub fn special_ids(&self) -> &[u32] {
        &self.special_ids
    }

    /// T5's sentinels: the ids of `<extra_id_0>`, `<extra_id_1>`, ... for as long as they exist;
    /// empty when the tokenizer has none.
    pub fn sentinel_ids(&self) -> Vec<u32> {
        (0..).map_while(|k| self.vocab.token_to_id(&format!("<extra_id_{k}>"))).collect()
    }

    /// What masking needs to know about the vocabulary.
    pub fn vocab_info(&self) -> VocabInfo {
        VocabInfo {
            vocab_size: self.vocab.size(),
            mask_token_id: self.mask_token_id,
            pad_token_id: self.pad_token_id(),
            special_ids: self.special_ids.clone(),
            continuation_ids: self.continuation_ids(),
            sentinel_ids: self.sentinel_ids(),
            eos_token_id: ["</s>", "<|endoftext|>"].iter().find_map(|t| self.vocab.token_to_id(t)),
        }
    }

    /// Ids whose token starts with `##`, sorted: the legacy whole-word rule's continuations.
    pub fn continuation_ids(&self) -> Arc<[u32]> {
        Arc::clone(self.continuation_ids.get_or_init(|| {
            // The crate's `get_vocab(true)`: the model's tokens, then the added ones over them.
            let added = self.vocab.added().values().map(|t| (&*t.content, t.id));
            let model = self.vocab.model_tokens().iter().enumerate().map(|(id, t)| (&**t, id as u32));
            let mut ids: Vec<u32> = model
                .filter(|(token, _)| token.starts_with("##") && self.vocab.token_to_id(token).is_some())
                .map(|(token, id)| self.vocab.token_to_id(token).unwrap_or(id))
                .filter(|id| !self.vocab.added().contains_key(id))
                .chain(added.filter(|(token, _)| token.starts_with("##")).map(|(_, id)| id))
                .collect();
            ids.sort_unstable();
            ids.into()
        }))
    }

    /// Decode ids back to text.
    pub fn decode(&self, ids: &[u32], skip_special_tokens: bool) -> Result<String> {
        #[cfg(feature = "full")]
        return self.crate_path.get()?.decode(ids, skip_special_tokens);
        #[cfg(not(feature = "full"))]
        {
            let _ = (ids, skip_special_tokens);
            Err(crate::lite::needs_full("decode ids (decoding needs the tokenizers crate)"))
        }
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

    /// Encode without padding: the fast path where it serves the text, else the crate's
    /// `encode` (`encode_single_sequence` per text, truncation, then `post_process`).
    fn encode_unpadded(&self, text: &str, pair: Option<&str>, options: &EncodeOptions) -> Result<Encoding> {
        let truncation = self.resolve(options.truncation, self.file_truncation);
        // Truncation is validated first, on either path, so errors are the same.
        let budget = match truncation {
            Some(t) => {
                let added = self.added_tokens(pair.is_some(), options.add_special_tokens)?;
                check_truncation(&t, pair.is_some(), added)?;
                Some(Truncation { max_length: t.max_length - added, ..t })
            }
            None => None,
        };
        // Fast path (src/fast/): texts and pairs of a recognised pipeline, identical output
        // (tests/fast_paths.rs). It returns None for whatever it does not cover, and the crate
        // below handles it. OnlySecond on a single text is the crate's error.
        if let Some(fast) = &self.fast {
            let token_strings = options.token_strings || !self.pad_token_is_vocab;
            let (add, unit) = (options.add_special_tokens, options.offsets);
            match pair {
                None if truncation.is_none_or(|t| t.strategy != TruncationStrategy::OnlySecond) => {
                    let limit = budget.map(|t| (t.max_length, t.side));
                    if let Some(encoding) = fast.encode(text, limit, add, unit, token_strings) {
                        return Ok(encoding);
                    }
                }
                None => {}
                Some(pair) => {
                    let limit = budget.map(|t| (t.max_length, t.strategy, t.side));
                    if let Some(encoding) = fast.encode_pair(text, pair, limit, add, unit, token_strings) {
                        return encoding;
                    }
                }
            }
        }
        #[cfg(feature = "full")]
        return self.crate_path.get()?.encode_unpadded(text, pair, options, budget);
        #[cfg(not(feature = "full"))]
        Err(crate::lite::needs_full(if pair.is_some() { PAIRS } else { crate::lite::UNCOVERED_TEXT }))
    }

    /// How many special tokens the post-processor adds.
    fn added_tokens(&self, is_pair: bool, add_special_tokens: bool) -> Result<usize> {
        match &self.post {
            Some(post) if post.added(is_pair).is_some() => {
                Ok(if add_special_tokens { post.added(is_pair).unwrap_or(0) } else { 0 })
            }
            #[cfg(feature = "full")]
            _ => Ok(self.crate_path.get()?.added_tokens(is_pair, add_special_tokens)),
            #[cfg(not(feature = "full"))]
            _ => Err(crate::lite::needs_full(PAIRS)),
        }
    }
}

/// What the lite build says of a pair.
#[cfg(not(feature = "full"))]
const PAIRS: &str = "encode a pair of texts (pairs need the tokenizers crate)";

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

fn named_token(vocab: &Vocab, option: &'static str, name: &str) -> Result<u32> {
    vocab.token_to_id(name).ok_or_else(|| Error::UnknownToken { option, token: name.to_owned() })
}
