//! Fused fast paths: exact re-implementations of common `tokenizer.json` pipelines in one pass
//! over the bytes, with the `tokenizers` crate as the fallback for everything else.
//!
//! The crate carries per-byte alignments through every normaliser pass, split and `Encoding`
//! it builds, which costs about 10,000 instructions per token (see `bench/README.md`). A
//! pipeline whose every component and option is recognised here is instead run as one loop:
//!
//! - [`wordpiece`]: `BertNormalizer` + `BertPreTokenizer` + `WordPiece` (BERT, MiniLM, mBERT);
//! - [`byte_level`]: `ByteLevel` pre-tokenizer + `BPE` (RoBERTa, GPT-2), ASCII text only, with
//!   an uncapped piece cache; a miss is merged with the file's merges (the crate's own BPE where
//!   the model has options that merge does not implement);
//! - [`unigram`]: SentencePiece pipelines, a `Precompiled` charsmap normaliser (in a `Sequence`
//!   with `Replace`, `Strip`, `Lowercase`: [`spm_normalizer`]) + `Metaspace` (alone or after
//!   `WhitespaceSplit`) + `Unigram` ([`unigram_model`]) (T5, mT5, XLM-R, DeBERTa-v3), with an
//!   uncapped cache of each split's tokens; built from the file's sections alone.
//!
//! [`FastPath::detect`] recognises a pipeline when the tokenizer is loaded; [`FastPath::encode`]
//! returns `None` for any input it does not cover (a pair, text containing an added token, a
//! character the path does not handle exactly, ...), and the caller then runs the crate.
//! The post-processor's special tokens are not re-implemented: they are read once, by running
//! the crate's own post-processor on a one-token encoding. Exactness against the crate (ids,
//! tokens, type ids, offsets in every unit, masks, word and sequence ids) is tested over every
//! vendored corpus line (tests/data) in `tests/fast_paths.rs` and fuzzed in `fuzz/`.

pub mod byte_level;
mod hash;
pub mod spm_normalizer;
pub mod unigram;
pub mod unigram_model;
pub mod wordpiece;

use tokenizers::{
    Encoding as HfEncoding, ModelWrapper, NormalizerWrapper, PostProcessor, PostProcessorWrapper, PreTokenizerWrapper,
    Tokenizer as HfTokenizer,
};

use crate::encoding::{Encoding, OffsetUnit, Side};

/// The components of a tokenizer.json that a fast path is built from, as raw JSON: each fast
/// path deserializes the sections it recognises into its own types, so that none of them needs
/// the `tokenizers` crate's objects (the lite build has no crate).
#[derive(Debug, serde::Deserialize)]
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
    // No fast path decodes yet.
    #[allow(dead_code)]
    #[serde(borrow, default)]
    pub decoder: Option<&'a serde_json::value::RawValue>,
}

impl<'a> Sections<'a> {
    /// The sections of `json`; `None` when it is not a tokenizer.json with a model.
    pub fn of(json: &'a str) -> Option<Self> {
        serde_json::from_str(json).ok()
    }
}

/// Tokens of the text itself, before truncation and special tokens: the output of a fast path.
#[derive(Debug, Default)]
pub struct Tokens {
    /// Token ids.
    pub ids: Vec<u32>,
    /// `[start, end)` in the requested unit (all `(0, 0)` for [`OffsetUnit::None`]).
    pub offsets: Vec<(usize, usize)>,
    /// The pre-tokenizer split (word) of each token.
    pub words: Vec<i32>,
    /// `(index, string)` of the tokens whose string is not their id's vocabulary entry
    /// (Unigram's unknown tokens carry the text they cover), in index order.
    pub strings: Vec<(usize, Box<str>)>,
}

impl Tokens {
    #[inline]
    pub(crate) fn push(&mut self, id: u32, offsets: (usize, usize), word: i32) {
        self.ids.push(id);
        self.offsets.push(offsets);
        self.words.push(word);
    }

    pub(crate) fn truncate_to(&mut self, len: usize) {
        self.ids.truncate(len);
        self.offsets.truncate(len);
        self.words.truncate(len);
        self.strings.retain(|(i, _)| *i < len);
    }

    /// Drop the first `cut` tokens.
    fn cut_front(&mut self, cut: usize) {
        self.ids.drain(..cut);
        self.offsets.drain(..cut);
        self.words.drain(..cut);
        self.strings.retain(|(i, _)| *i >= cut);
        self.strings.iter_mut().for_each(|(i, _)| *i -= cut);
    }
}

/// Which fused pipeline a tokenizer runs.
#[derive(Debug)]
enum Kind {
    WordPiece(Box<wordpiece::WordPieceFast>),
    ByteLevel(Box<byte_level::ByteLevelFast>),
    Unigram(Box<unigram::UnigramFast>),
}

/// One special token the post-processor adds around a single sequence.
#[derive(Debug, Clone)]
struct Special {
    id: u32,
    token: String,
    type_id: u32,
}

/// What the post-processor does to a single sequence: specials before and after it, the type
/// id it gives the sequence's tokens, and (RoBERTa, GPT-2) byte-level offset trimming.
#[derive(Debug, Clone)]
struct Frame {
    prefix: Vec<Special>,
    suffix: Vec<Special>,
    type_id: u32,
}

/// A recognised pipeline, ready to encode single texts without the crate.
#[derive(Debug)]
pub struct FastPath {
    kind: Kind,
    /// Index 0: `add_special_tokens == false`, 1: `true`.
    frames: [Frame; 2],
    /// `Some(add_prefix_space)` when the post-processor trims byte-level offsets.
    trim_offsets: Option<bool>,
    /// The model's token strings by id.
    tokens: Vec<Box<str>>,
    /// Added tokens: the text falls back to the crate when it contains one of these.
    added: AddedGuard,
    /// Whether every token this path emits is the tokenizer's `id_to_token` of its id, so that
    /// token strings may be left out (`EncodeOptions::token_strings`). A file whose added
    /// tokens or post-processor give an id another string than the vocabulary does is not.
    tokens_are_vocab: bool,
}

impl FastPath {
    /// Recognise the loaded tokenizer's pipeline. `processor` is the post-processor taken out
    /// of `inner` (mlmask runs it itself); `json` is the file `inner` was loaded from. `None`
    /// when no fast path implements every option.
    pub fn detect(inner: &HfTokenizer, processor: Option<&PostProcessorWrapper>, json: &str) -> Option<Self> {
        let added = AddedGuard::new(inner)?;
        let tokens = model_tokens(inner.get_model())?;
        // Paths built from the file's sections alone (no crate objects) are tried first.
        let sectioned = Sections::of(json).and_then(|s| unigram::UnigramFast::from_sections(&s));
        let kind = match (inner.get_normalizer(), inner.get_pre_tokenizer(), inner.get_model()) {
            // Added tokens marked `normalized` are matched in the normalised text, which the
            // guard (a scan of the raw text) cannot see.
            _ if sectioned.is_some() && added.any_normalized => return None,
            _ if sectioned.is_some() => Kind::Unigram(Box::new(sectioned?)),
            (
                Some(NormalizerWrapper::BertNormalizer(n)),
                Some(PreTokenizerWrapper::BertPreTokenizer(_)),
                ModelWrapper::WordPiece(m),
            ) => {
                // Added tokens marked `normalized` are matched in the normalised text, which
                // the guard (a scan of the raw text) cannot see.
                if added.any_normalized {
                    return None;
                }
                Kind::WordPiece(Box::new(wordpiece::WordPieceFast::new(n, m, &tokens)?))
            }
            (None, Some(PreTokenizerWrapper::ByteLevel(p)), ModelWrapper::BPE(m)) => {
                Kind::ByteLevel(Box::new(byte_level::ByteLevelFast::new(p, m, json)?))
            }
            _ => return None,
        };
        let trim_offsets = match processor {
            None | Some(PostProcessorWrapper::Template(_)) | Some(PostProcessorWrapper::Bert(_)) => None,
            Some(PostProcessorWrapper::Roberta(r)) => r.trim_offsets.then_some(r.add_prefix_space),
            Some(PostProcessorWrapper::ByteLevel(b)) => b.trim_offsets.then_some(b.add_prefix_space),
            Some(PostProcessorWrapper::Sequence(_)) => return None,
        };
        let frames = [frame(processor, false)?, frame(processor, true)?];
        let added_agree = inner
            .get_added_tokens_decoder()
            .iter()
            .all(|(&id, t)| tokens.get(id as usize).is_none_or(|model| **model == *t.content));
        let specials_agree = frames
            .iter()
            .flat_map(|f| f.prefix.iter().chain(&f.suffix))
            .all(|s| inner.id_to_token(s.id).as_ref() == Some(&s.token));
        let tokens_are_vocab = added_agree && specials_agree;
        Some(Self { kind, frames, trim_offsets, tokens, added, tokens_are_vocab })
    }

    /// The name of the fused pipeline, for tests and benchmarks.
    pub fn name(&self) -> &'static str {
        match self.kind {
            Kind::WordPiece(_) => "wordpiece",
            Kind::ByteLevel(_) => "byte-level-bpe",
            Kind::Unigram(_) => "unigram",
        }
    }

    /// Whether BPE cache misses are merged here rather than by the crate (byte-level paths
    /// whose model options allow it), for the differential tests.
    pub fn merges_itself(&self) -> bool {
        matches!(&self.kind, Kind::ByteLevel(b) if b.merges_itself())
    }

    /// Tokens of one text (no special tokens, no truncation), or `None` when this text must
    /// go to the crate. Exposed for the differential tests and the fuzz target.
    pub fn tokenize(&self, inner: &HfTokenizer, text: &str, unit: OffsetUnit) -> Option<Tokens> {
        let mut out = Tokens::default();
        self.tokenize_into(inner, text, unit, &mut out).then_some(out)
    }

    /// [`FastPath::tokenize`] into `out` (cleared first); `false`: use the crate.
    fn tokenize_into(&self, inner: &HfTokenizer, text: &str, unit: OffsetUnit, out: &mut Tokens) -> bool {
        if self.added.hits(text) {
            return false;
        }
        out.truncate_to(0);
        // About one token per 4 bytes of English; reserving up front spares the regrowths.
        let guess = text.len() / 4 + 8;
        out.ids.reserve(guess);
        out.offsets.reserve(guess);
        out.words.reserve(guess);
        match &self.kind {
            Kind::WordPiece(w) => w.tokenize(&self.tokens, text, unit, out),
            Kind::ByteLevel(b) => b.tokenize(inner, text, unit, out),
            Kind::Unigram(u) => u.tokenize(text, unit, out),
        }
    }

    /// Encode one text as `Tokenizer::encode_unpadded` does: tokens, truncation to `budget`
    /// tokens of text (the caller has checked the truncation settings), then the
    /// post-processor. `token_strings: false` leaves `tokens` empty where that loses nothing
    /// (see `tokens_are_vocab`). `None`: not covered, use the crate.
    pub fn encode(
        &self,
        inner: &HfTokenizer,
        text: &str,
        truncation: Option<(usize, Side)>,
        add_special_tokens: bool,
        unit: OffsetUnit,
        token_strings: bool,
    ) -> Option<Encoding> {
        // The token buffers are reused from call to call: a text's tokens then cost no
        // allocation of their own (allocation was a quarter of this path's instructions).
        thread_local!(static SCRATCH: std::cell::RefCell<Tokens> = std::cell::RefCell::default());
        SCRATCH.with(|scratch| {
            let t = &mut *scratch.borrow_mut();
            if !self.tokenize_into(inner, text, unit, t) {
                return None;
            }
            if let Some((budget, side)) = truncation {
                if t.ids.len() > budget {
                    match side {
                        Side::Right => t.truncate_to(budget),
                        Side::Left => t.cut_front(t.ids.len() - budget),
                    }
                }
            }
            if let Some(add_prefix_space) = self.trim_offsets {
                if unit != OffsetUnit::None {
                    for (i, (&id, offsets)) in t.ids.iter().zip(t.offsets.iter_mut()).enumerate() {
                        trim_offsets(&self.tokens[id as usize], i, offsets, add_prefix_space);
                    }
                }
            }
            let token_strings = token_strings || !self.tokens_are_vocab || !t.strings.is_empty();
            let offsets = unit != OffsetUnit::None;
            Some(self.assemble(t, &self.frames[usize::from(add_special_tokens)], token_strings, offsets))
        })
    }

    fn assemble(&self, t: &Tokens, frame: &Frame, token_strings: bool, offsets: bool) -> Encoding {
        let n = frame.prefix.len() + t.ids.len() + frame.suffix.len();
        let mut e = Encoding {
            ids: Vec::with_capacity(n),
            tokens: Vec::with_capacity(if token_strings { n } else { 0 }),
            type_ids: Vec::with_capacity(n),
            offsets: offsets.then(|| Vec::with_capacity(n)),
            special_tokens_mask: Vec::with_capacity(n),
            attention_mask: vec![1; n],
            word_ids: Vec::with_capacity(n),
            sequence_ids: Vec::with_capacity(n),
        };
        let special = |e: &mut Encoding, s: &Special| {
            e.ids.push(s.id);
            if token_strings {
                e.tokens.push(s.token.clone());
            }
            e.type_ids.push(s.type_id);
            if let Some(offsets) = &mut e.offsets {
                offsets.push((0, 0));
            }
            e.special_tokens_mask.push(1);
            e.word_ids.push(-1);
            e.sequence_ids.push(-1);
        };
        frame.prefix.iter().for_each(|s| special(&mut e, s));
        let len = t.ids.len();
        if token_strings {
            e.tokens.extend(t.ids.iter().map(|&id| String::from(&*self.tokens[id as usize])));
            let at = frame.prefix.len();
            for (i, string) in &t.strings {
                e.tokens[at + i] = String::from(&**string);
            }
        }
        e.ids.extend_from_slice(&t.ids);
        e.type_ids.resize(e.type_ids.len() + len, frame.type_id);
        if let Some(offsets) = &mut e.offsets {
            offsets.extend_from_slice(&t.offsets);
        }
        e.special_tokens_mask.resize(e.special_tokens_mask.len() + len, 0);
        e.word_ids.extend_from_slice(&t.words);
        e.sequence_ids.resize(e.sequence_ids.len() + len, 0);
        frame.suffix.iter().for_each(|s| special(&mut e, s));
        e
    }
}

/// The model's vocabulary as token strings by id; `None` unless ids are a dense bijection.
fn model_tokens(model: &ModelWrapper) -> Option<Vec<Box<str>>> {
    use tokenizers::Model;
    let vocab = model.get_vocab();
    let mut tokens: Vec<Option<Box<str>>> = Vec::new();
    tokens.resize_with(vocab.len(), || None);
    for (token, id) in vocab {
        let slot = tokens.get_mut(id as usize)?;
        if slot.is_some() {
            return None;
        }
        *slot = Some(token.into_boxed_str());
    }
    tokens.into_iter().collect()
}

/// Run the crate's post-processor (exactly as `encode_unpadded` does) on a one-token encoding
/// and read off the special tokens around it. `None` unless the result is that token, unchanged
/// but for its type id, framed by special tokens with no offsets, word or sequence.
fn frame(processor: Option<&PostProcessorWrapper>, add_special_tokens: bool) -> Option<Frame> {
    const PROBE: u32 = u32::MAX - 7;
    let probe = HfEncoding::new(
        vec![PROBE],
        vec![0],
        vec!["probe".into()],
        vec![Some(0)],
        vec![(1, 2)],
        vec![0],
        vec![1],
        vec![],
        Default::default(),
    );
    let e = match processor {
        Some(p) => p.process(probe, None, add_special_tokens).ok()?,
        None => HfEncoding::merge(<dyn PostProcessor>::default_process(vec![probe], add_special_tokens).ok()?, false),
    };
    let at = e.get_ids().iter().position(|&id| id == PROBE)?;
    let seq = e.get_sequence_ids();
    let ok_probe = e.get_tokens()[at] == "probe"
        && e.get_word_ids()[at] == Some(0)
        && e.get_offsets()[at] == (1, 2)
        && e.get_special_tokens_mask()[at] == 0
        && e.get_attention_mask()[at] == 1
        && seq[at] == Some(0);
    if !ok_probe || e.get_ids().iter().filter(|&&id| id == PROBE).count() != 1 {
        return None;
    }
    let mut specials = Vec::new();
    for i in (0..e.len()).filter(|&i| i != at) {
        let plain = e.get_offsets()[i] == (0, 0)
            && e.get_word_ids()[i].is_none()
            && seq[i].is_none()
            && e.get_special_tokens_mask()[i] == 1
            && e.get_attention_mask()[i] == 1;
        if !plain {
            return None;
        }
        specials.push(Special { id: e.get_ids()[i], token: e.get_tokens()[i].clone(), type_id: e.get_type_ids()[i] });
    }
    let suffix = specials.split_off(at);
    Some(Frame { prefix: specials, suffix, type_id: e.get_type_ids()[at] })
}

/// `tokenizers::pre_tokenizers::byte_level::process_offsets` for one token (`i`: its index in
/// the sequence's encoding), in whatever unit the offsets are: the byte-level paths only run on
/// ASCII text, where bytes, chars and UTF-16 units coincide.
fn trim_offsets(token: &str, i: usize, offsets: &mut (usize, usize), add_prefix_space: bool) {
    let space = |c: &char| *c == 'Ġ' || c.is_whitespace();
    let mut leading = token.chars().take_while(space).count();
    let trailing = token.chars().rev().take_while(space).count();
    if leading > 0 {
        let is_first = i == 0 || offsets.0 == 0;
        if is_first && add_prefix_space && leading == 1 {
            leading = 0;
        }
        offsets.0 = std::cmp::min(offsets.0 + leading, offsets.1);
    }
    if trailing > 0 && offsets.1 >= trailing {
        offsets.1 = std::cmp::max(offsets.1 - trailing, offsets.0);
    }
}

/// Finds text that contains an added token. The crate splits added tokens out of the text
/// before normalising; a text in which no added token's content occurs is left whole, which is
/// the only case the fast paths implement.
#[derive(Debug)]
struct AddedGuard {
    first_bytes: [bool; 256],
    contents: Vec<Box<[u8]>>,
    any_normalized: bool,
}

impl AddedGuard {
    fn new(inner: &HfTokenizer) -> Option<Self> {
        let mut first_bytes = [false; 256];
        let mut contents = Vec::new();
        let mut any_normalized = false;
        for token in inner.get_added_tokens_decoder().values() {
            let bytes = token.content.as_bytes();
            first_bytes[usize::from(*bytes.first()?)] = true;
            contents.push(Box::from(bytes));
            any_normalized |= token.normalized;
        }
        Some(Self { first_bytes, contents, any_normalized })
    }

    #[inline]
    fn hits(&self, text: &str) -> bool {
        let bytes = text.as_bytes();
        bytes
            .iter()
            .enumerate()
            .filter(|&(_, &b)| self.first_bytes[usize::from(b)])
            .any(|(i, _)| self.contents.iter().any(|c| bytes[i..].starts_with(c)))
    }
}
