//! Fused fast paths: exact re-implementations of common `tokenizer.json` pipelines in one pass
//! over the bytes, with the `tokenizers` crate as the fallback for everything else.
//!
//! The crate carries per-byte alignments through every normaliser pass, split and `Encoding`
//! it builds, which costs about 10,000 instructions per token (see `bench/README.md`). A
//! pipeline whose every component and option is recognised here is instead run as one loop:
//!
//! - [`wordpiece`]: `BertNormalizer` + `BertPreTokenizer` + `WordPiece` (BERT, MiniLM, mBERT);
//! - [`byte_level`]: `ByteLevel` pre-tokenizer + `BPE` (RoBERTa, GPT-2) on any text, with an
//!   uncapped piece cache; a miss is merged with the file's merges;
//! - [`sp_bpe`]: SentencePiece BPE with byte fallback (Mistral, Llama 2): `Prepend("▁")` +
//!   `Replace(" " → "▁")`, or `Metaspace` without splitting, then `BPE` over the whole text,
//!   cut into cached chunks where the file's merges provably never cross them;
//! - [`unigram`]: SentencePiece `Precompiled` + `Metaspace` + `Unigram` (T5 and its variants).
//!
//! [`FastPath::detect`] recognises a pipeline from the file's raw sections (`crate::file`), with
//! no object of the crate, so the lite build has the same paths. [`FastPath::encode`] and
//! [`FastPath::encode_pair`] return `None` for any input they do not cover (text containing an
//! added token, a character the path does not handle exactly, ...), and the caller then runs
//! the crate. The post-processor's special tokens come from `crate::post_processor`. Exactness
//! against the crate (ids, tokens, type ids, offsets in every unit, masks, word and sequence
//! ids, for texts and pairs) is tested over every vendored corpus line (tests/data) in
//! `tests/fast_paths.rs` and fuzzed in `fuzz/`.

pub mod byte_level;
mod gpt2_classes;
pub mod sp_bpe;
pub mod spm_normalizer;
pub mod unigram;
pub mod unigram_model;
pub mod wordpiece;

use std::sync::Arc;

use crate::encoding::TruncationStrategy;
use crate::encoding::{Encoding, OffsetUnit, Side};
pub use crate::file::Sections;
use crate::file::Vocab;
use crate::post_processor::{Frame, PairPiece, PostProcessor, Special};

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
    SentencePieceBpe(Box<sp_bpe::SentencePieceBpe>),
    Unigram(Box<unigram::UnigramFast>),
    ByteLevel(Box<byte_level::ByteLevelFast>),
}

/// A recognised pipeline, ready to encode single texts without the crate.
#[derive(Debug)]
pub struct FastPath {
    kind: Kind,
    /// Index 0: `add_special_tokens == false`, 1: `true`.
    frames: [Frame; 2],
    /// A pair's layout by the same index; `None`: pairs go to the crate.
    pair: Option<[Vec<PairPiece>; 2]>,
    /// `Some(add_prefix_space)` when the post-processor trims byte-level offsets.
    trim_offsets: Option<bool>,
    /// The model's token strings by id (shared with the tokenizer's vocabulary).
    tokens: Arc<[Box<str>]>,
    /// Added tokens: the text falls back to the crate when it contains one of these.
    added: AddedGuard,
    /// Whether every token this path emits is the tokenizer's `id_to_token` of its id, so that
    /// token strings may be left out (`EncodeOptions::token_strings`). A file whose added
    /// tokens or post-processor give an id another string than the vocabulary does is not.
    tokens_are_vocab: bool,
}

impl FastPath {
    /// Recognise the pipeline of a tokenizer.json from its `sections`, its vocabulary and its
    /// post-processor, all read without the crate. `None` when no fast path implements every
    /// option.
    pub fn detect(sections: &Sections, vocab: &Vocab, post: &PostProcessor) -> Option<Self> {
        let added = AddedGuard::new(vocab)?;
        let tokens = Arc::clone(vocab.model_tokens());
        let kind = if let Some(w) = wordpiece::WordPieceFast::new(sections, &tokens) {
            // Added tokens marked `normalized` are matched in the normalised text, which the
            // guard (a scan of the raw text) cannot see.
            if added.any_normalized {
                return None;
            }
            Kind::WordPiece(Box::new(w))
        } else if let Some(b) = sp_bpe::SentencePieceBpe::new(sections) {
            // Without a normaliser (the Metaspace spelling) the raw text is what added tokens
            // are matched in, `normalized` or not.
            if added.any_normalized && sections.normalizer.is_some() {
                return None;
            }
            Kind::SentencePieceBpe(Box::new(b))
        } else if let Some(u) = unigram::UnigramFast::from_sections(sections) {
            if added.any_normalized {
                return None;
            }
            Kind::Unigram(Box::new(u))
        } else if let Some(b) = byte_level::ByteLevelFast::new(sections, &tokens) {
            // No normaliser: added tokens match the raw text whether `normalized` or not.
            Kind::ByteLevel(Box::new(b))
        } else {
            return None;
        };
        let added_agree =
            vocab.added().iter().all(|(&id, t)| tokens.get(id as usize).is_none_or(|model| **model == *t.content));
        let pair_specials = post.pair.iter().flatten().flatten().filter_map(|p| match p {
            PairPiece::Special(s) => Some(s),
            PairPiece::Sequence { .. } => None,
        });
        let specials_agree = post
            .frames
            .iter()
            .flat_map(|f| f.prefix.iter().chain(&f.suffix))
            .chain(pair_specials)
            .all(|s| vocab.id_to_token(s.id) == Some(&*s.token));
        let tokens_are_vocab = added_agree && specials_agree;
        Some(Self {
            kind,
            frames: post.frames.clone(),
            pair: post.pair.clone(),
            trim_offsets: post.trim_offsets,
            tokens,
            added,
            tokens_are_vocab,
        })
    }

    /// The name of the fused pipeline, for tests and benchmarks.
    pub fn name(&self) -> &'static str {
        match self.kind {
            Kind::WordPiece(_) => "wordpiece",
            Kind::SentencePieceBpe(_) => "sentencepiece-bpe",
            Kind::Unigram(_) => "unigram",
            Kind::ByteLevel(_) => "byte-level-bpe",
        }
    }

    /// Whether BPE cache misses are merged here (the byte-level path, which no longer hands
    /// any to the crate), for the differential tests.
    pub fn merges_itself(&self) -> bool {
        matches!(self.kind, Kind::ByteLevel(_))
    }

    /// Tokens of one text (no special tokens, no truncation), or `None` when this text must
    /// go to the crate. Exposed for the differential tests and the fuzz target.
    pub fn tokenize(&self, text: &str, unit: OffsetUnit) -> Option<Tokens> {
        let mut out = Tokens::default();
        self.tokenize_into(text, unit, &mut out).then_some(out)
    }

    /// [`FastPath::tokenize`] into `out` (cleared first); `false`: use the crate.
    fn tokenize_into(&self, text: &str, unit: OffsetUnit, out: &mut Tokens) -> bool {
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
            Kind::SentencePieceBpe(b) => b.tokenize(text, unit, out),
            Kind::Unigram(u) => u.tokenize(text, unit, out),
            Kind::ByteLevel(b) => b.tokenize(text, unit, out),
        }
    }

    /// Encode one text as `Tokenizer::encode_unpadded` does: tokens, truncation to `budget`
    /// tokens of text (the caller has checked the truncation settings), then the
    /// post-processor. `token_strings: false` leaves `tokens` empty where that loses nothing
    /// (see `tokens_are_vocab`). `None`: not covered, use the crate.
    pub fn encode(
        &self,
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
            if !self.tokenize_into(text, self.unit_before_trimming(text, unit), t) {
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
            self.apply_trimming(text, t, unit);
            let token_strings = token_strings || !self.tokens_are_vocab || !t.strings.is_empty();
            let offsets = unit != OffsetUnit::None;
            Some(self.assemble(t, &self.frames[usize::from(add_special_tokens)], token_strings, offsets))
        })
    }

    /// Encode a text and its pair as the crate does: each text's tokens, truncation of the two
    /// to `truncation`'s budget (net of special tokens) by the crate's rule, then the pair
    /// layout. `None`: not covered, use the crate. `Some(Err)`: the crate's truncation error.
    #[allow(clippy::too_many_arguments)]
    pub fn encode_pair(
        &self,
        text: &str,
        pair: &str,
        truncation: Option<(usize, TruncationStrategy, Side)>,
        add_special_tokens: bool,
        unit: OffsetUnit,
        token_strings: bool,
    ) -> Option<crate::Result<Encoding>> {
        let layout = &self.pair.as_ref()?[usize::from(add_special_tokens)];
        let mut parts = [Tokens::default(), Tokens::default()];
        for (part, text) in parts.iter_mut().zip([text, pair]) {
            if !self.tokenize_into(text, self.unit_before_trimming(text, unit), part) {
                return None;
            }
        }
        if let Some((max_length, strategy, side)) = truncation {
            if let Err(e) = truncate_pair(&mut parts, max_length, strategy, side) {
                return Some(Err(e));
            }
        }
        for (part, text) in parts.iter_mut().zip([text, pair]) {
            self.apply_trimming(text, part, unit);
        }
        let token_strings = token_strings || !self.tokens_are_vocab || parts.iter().any(|p| !p.strings.is_empty());
        let n = layout
            .iter()
            .map(|p| match p {
                PairPiece::Special(_) => 1,
                PairPiece::Sequence { which, .. } => parts[*which].ids.len(),
            })
            .sum();
        let offsets = unit != OffsetUnit::None;
        let mut e = with_capacity(n, token_strings, offsets);
        for piece in layout {
            match piece {
                PairPiece::Special(s) => push_special(&mut e, s, token_strings),
                PairPiece::Sequence { which, type_id } => {
                    let t = &parts[*which];
                    self.push_text(&mut e, t, *type_id, *which as i8, token_strings);
                }
            }
        }
        Some(Ok(e))
    }

    /// The unit a text is tokenized in: `unit`, except where the post-processor's trimming
    /// differs by unit. The crate trims char offsets and mlmask turns them into UTF-16 ones
    /// afterwards; trimming counts a space token as one unit, which the space a byte-level
    /// pre-tokenizer puts before the text is not (it spans the text's first character, two
    /// UTF-16 units when that is outside the BMP). Such text is tokenized in chars, and
    /// [`FastPath::apply_trimming`] converts.
    fn unit_before_trimming(&self, text: &str, unit: OffsetUnit) -> OffsetUnit {
        let inserts_space = matches!(&self.kind, Kind::ByteLevel(b) if b.adds_prefix_space());
        if unit == OffsetUnit::Utf16 && self.trim_offsets.is_some() && inserts_space && !text.is_ascii() {
            OffsetUnit::Char
        } else {
            unit
        }
    }

    /// The post-processor's trimming of `t`'s offsets (in `unit`, or chars where
    /// [`FastPath::unit_before_trimming`] said so, converted to `unit` afterwards).
    fn apply_trimming(&self, text: &str, t: &mut Tokens, unit: OffsetUnit) {
        let Some(add_prefix_space) = self.trim_offsets.filter(|_| unit != OffsetUnit::None) else { return };
        for (i, (&id, offsets)) in t.ids.iter().zip(t.offsets.iter_mut()).enumerate() {
            trim_offsets(&self.tokens[id as usize], i, offsets, add_prefix_space);
        }
        if self.unit_before_trimming(text, unit) == OffsetUnit::Char && unit == OffsetUnit::Utf16 {
            let utf16_at = crate::encoding::utf16_index_of_chars(text);
            let at = |i: usize| utf16_at[i.min(utf16_at.len() - 1)] as usize;
            for offsets in &mut t.offsets {
                *offsets = (at(offsets.0), at(offsets.1));
            }
        }
    }

    /// The tokens of one text, appended to `e` as the sequence `sequence_id`.
    fn push_text(&self, e: &mut Encoding, t: &Tokens, type_id: u32, sequence_id: i8, token_strings: bool) {
        let len = t.ids.len();
        if token_strings {
            let at = e.tokens.len();
            e.tokens.extend(t.ids.iter().map(|&id| String::from(&*self.tokens[id as usize])));
            for (i, string) in &t.strings {
                e.tokens[at + i] = String::from(&**string);
            }
        }
        e.ids.extend_from_slice(&t.ids);
        e.type_ids.resize(e.type_ids.len() + len, type_id);
        if let Some(offsets) = &mut e.offsets {
            offsets.extend_from_slice(&t.offsets);
        }
        e.special_tokens_mask.resize(e.special_tokens_mask.len() + len, 0);
        e.word_ids.extend_from_slice(&t.words);
        e.sequence_ids.resize(e.sequence_ids.len() + len, sequence_id);
    }

    fn assemble(&self, t: &Tokens, frame: &Frame, token_strings: bool, offsets: bool) -> Encoding {
        let n = frame.prefix.len() + t.ids.len() + frame.suffix.len();
        let mut e = with_capacity(n, token_strings, offsets);
        frame.prefix.iter().for_each(|s| push_special(&mut e, s, token_strings));
        self.push_text(&mut e, t, frame.type_id, 0, token_strings);
        frame.suffix.iter().for_each(|s| push_special(&mut e, s, token_strings));
        e
    }
}

/// An empty encoding with room for `n` tokens (and their strings and offsets, if kept).
fn with_capacity(n: usize, token_strings: bool, offsets: bool) -> Encoding {
    Encoding {
        ids: Vec::with_capacity(n),
        tokens: Vec::with_capacity(if token_strings { n } else { 0 }),
        type_ids: Vec::with_capacity(n),
        offsets: offsets.then(|| Vec::with_capacity(n)),
        special_tokens_mask: Vec::with_capacity(n),
        attention_mask: vec![1; n],
        word_ids: Vec::with_capacity(n),
        sequence_ids: Vec::with_capacity(n),
    }
}

/// One special token the post-processor adds, appended to `e`.
fn push_special(e: &mut Encoding, s: &Special, token_strings: bool) {
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
}

/// The crate's `truncate_encodings` for a pair, stride 0: `LongestFirst` shares `max_length`
/// between the two (the shorter keeps its length if the longer can take the rest, else each
/// gets half), `OnlyFirst` / `OnlySecond` cut one text and fail if it is too short.
fn truncate_pair(
    parts: &mut [Tokens; 2],
    max_length: usize,
    strategy: TruncationStrategy,
    side: Side,
) -> crate::Result<()> {
    let lengths = [parts[0].ids.len(), parts[1].ids.len()];
    let total = lengths[0] + lengths[1];
    if max_length > 0 && total <= max_length {
        return Ok(());
    }
    let keep = if max_length == 0 {
        [0, 0]
    } else {
        match strategy {
            TruncationStrategy::LongestFirst => {
                let swap = lengths[0] > lengths[1];
                let (mut n1, _) = if swap { (lengths[1], lengths[0]) } else { (lengths[0], lengths[1]) };
                let mut n2 = if n1 > max_length { n1 } else { n1.max(max_length - n1) };
                if n1 + n2 > max_length {
                    n1 = max_length / 2;
                    n2 = n1 + max_length % 2;
                }
                if swap {
                    [n2, n1]
                } else {
                    [n1, n2]
                }
            }
            TruncationStrategy::OnlyFirst | TruncationStrategy::OnlySecond => {
                let target = usize::from(strategy == TruncationStrategy::OnlySecond);
                let to_remove = total - max_length;
                if lengths[target] <= to_remove {
                    return Err(crate::Error::Encode(
                        "Truncation error: Sequence to truncate too short to respect the provided max_length".into(),
                    ));
                }
                let mut keep = lengths;
                keep[target] -= to_remove;
                keep
            }
        }
    };
    for (part, keep) in parts.iter_mut().zip(keep) {
        let len = part.ids.len();
        if keep >= len {
            continue;
        }
        match side {
            Side::Right => part.truncate_to(keep),
            Side::Left => part.cut_front(len - keep),
        }
    }
    Ok(())
}

/// `tokenizers::pre_tokenizers::byte_level::process_offsets` for one token (`i`: its index in
/// the sequence's encoding), on offsets in bytes or chars, as the crate trims them: each leading
/// or trailing `Ġ` moves an end by one unit. A `Ġ` from the text is a space, one unit in either;
/// the one the pre-tokenizer inserts counts one too (see `FastPath::unit_before_trimming`).
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
    fn new(vocab: &Vocab) -> Option<Self> {
        let mut first_bytes = [false; 256];
        let mut contents = Vec::new();
        let mut any_normalized = false;
        for token in vocab.added().values() {
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
