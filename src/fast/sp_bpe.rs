//! SentencePiece BPE with byte fallback (Mistral, Llama 2), built from the file's sections alone.
//!
//! Two spellings of the same pipeline are recognised:
//! - normaliser `Sequence[Prepend("▁"), Replace(" " → "▁")]`, no pre-tokenizer (mistral-7b-v0.1):
//!   a "▁" goes before any non-empty text;
//! - no normaliser, pre-tokenizer `Metaspace { replacement: "▁", split: false }` (newer files):
//!   spaces become "▁" and, under `prepend_scheme` `first` or `always`, a "▁" goes before the
//!   text unless it already starts with one (a space or a literal "▁"); `never` adds none.
//!
//! In both the model is `BPE` over the whole normalised text as one word, exactly as the
//! crate's `BPE::merge_word` and `Word::merge_all` run it: each character is its vocabulary
//! token, or else its UTF-8 bytes as `<0xNN>` tokens (`byte_fallback`, when all of them exist),
//! or else the unknown token (runs of them fused under `fuse_unk`); then the adjacent pair of
//! lowest merge rank, leftmost among equals, is merged until none is left.
//!
//! Offsets: every normalised character comes from one character of the text (a "▁" put before
//! the text from its first character), and the crate maps a token's normalised byte range back
//! through those per-byte alignments: from the start of the character of its first byte to the
//! end of the character of its last. A byte token thus spans its whole character.
//!
//! # The piece cache, and why it is exact
//!
//! Merging the whole text each call would redo the same words again and again, so the text is
//! cut into chunks, each chunk is merged alone and its tokens are cached by its bytes. A chunk
//! starts at a "▁" (in the normalised text) that follows a character other than "▁": in
//! `a  b` the chunks are `▁a` and `▁▁b`. This gives the whole text's tokens only if no merge
//! ever joins two symbols across such a boundary, which holds when
//!
//! > no merge `(a, b)` has an `a` that ends in a character other than "▁" and a `b` that
//! > starts with "▁",
//!
//! the vocabulary maps distinct strings to distinct ids, "▁" is a token, the unknown token does
//! not end in "▁", and no character is ever dropped (there is an unknown token or every byte
//! has its `<0xNN>` token). The argument: every symbol's string is the concatenation of the
//! strings of the characters' symbols it was merged from. Take the first merge that crosses a
//! boundary; neither of its two symbols crossed one, so the boundary lies exactly between them.
//! The left one ends with the symbol of the character before the boundary, which is that
//! character (not "▁"), a byte token (ending in `>`) or the unknown token; the right one starts
//! with the "▁" token. So this merge is a pair `(a, b)` that the rule excludes, and no merge
//! crosses a boundary. The unknown token cannot fuse across one either (the "▁" between is a
//! token). Symbols on the two sides of a boundary never form a pair with a merge, so each
//! chunk's merges happen in the same order as when it is merged alone (the global order by
//! rank then position, restricted to one chunk, is that chunk's own order), and the tokens of
//! the text are the chunks' tokens one after the other. Mistral's merges satisfy the rule;
//! a file whose merges do not is merged whole, uncached.

use std::borrow::Cow;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::hash::BuildHasherDefault;
use std::sync::Mutex;

use serde::de::{DeserializeSeed, Deserializer, Error as _, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::value::RawValue;

use super::{Sections, Tokens};
use crate::encoding::{unit_index_of_bytes, OffsetUnit};
use crate::hash::{ByteMap, FxHasher};

/// The SentencePiece meta space.
const META: char = '▁';
const META_UTF8: &[u8] = "▁".as_bytes();
/// No such token.
const NONE: u32 = u32::MAX;
/// Chunks longer than this (in bytes) are merged every time instead of cached: long runs
/// without a space (CJK sentences, URLs) rarely repeat, and would fill the cache.
const MAX_CACHED_CHUNK: usize = 256;
/// Clear the cache when it holds this many chunks (tens of MB), so a page that tokenizes
/// forever stays bounded; real corpora have far fewer distinct words.
const CACHE_LIMIT: usize = 1 << 19;
/// Cache keys of a chunk with the "▁" put before the text start with this byte, which UTF-8
/// text never contains, so `x` and the first chunk `x` (normalised `▁x`) do not collide.
const PREFIXED_KEY: u8 = 0xFF;

type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

/// Chunk bytes → `(id, start, end)` of each of its tokens, in bytes of the chunk.
type ChunkCache = ByteMap<Box<[(u32, u32, u32)]>>;

/// Where the "▁" before the text comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Prefix {
    /// `Prepend("▁")`: before any non-empty text.
    Always,
    /// `Metaspace` `first` / `always`: unless the text starts with a space or "▁" (one split
    /// starting at 0, since texts holding an added token go to the crate).
    UnlessMeta,
    /// `Metaspace` `never`.
    Never,
}

/// What the model does with a character that is not a token (and has no byte tokens).
#[derive(Debug, Clone, Copy)]
enum Unknown {
    /// No `unk_token`: the character is dropped.
    Drop,
    /// The unknown token's id.
    Token(u32),
    /// `unk_token` is not in the vocabulary: the crate fails, so such text goes to it.
    Missing,
}

/// A recognised SentencePiece BPE pipeline.
#[derive(Debug)]
pub struct SentencePieceBpe {
    prefix: Prefix,
    /// The id of each single-character ASCII token ([`NONE`]: none), normalised: the space
    /// entry is the "▁" token.
    ascii: [u32; 128],
    /// The ids of the other single-character tokens.
    chars: FxMap<char, u32>,
    /// `<0xNN>` ids by byte (`byte_fallback`), [`NONE`] where the vocabulary has none.
    byte_tokens: Option<Box<[u32; 256]>>,
    unknown: Unknown,
    fuse_unk: bool,
    /// `(left id, right id)` packed in a u64 → `(rank, merged id)`.
    merges: FxMap<u64, (u32, u32)>,
    /// Whether the text may be cut into cached chunks (see the module docs).
    chunked: bool,
    state: Mutex<State>,
}

/// The cache and the buffers reused from call to call.
#[derive(Debug, Default)]
struct State {
    cache: ChunkCache,
    key: Vec<u8>,
    symbols: Vec<Symbol>,
    queue: BinaryHeap<Reverse<(u32, u32, u32)>>,
    /// Per normalised byte of the chunk being merged: its character's `(start, end)` in the chunk.
    align: Vec<(u32, u32)>,
    /// The merged chunk's tokens, `(id, start, end)` in bytes of the chunk.
    tokens: Vec<(u32, u32, u32)>,
    /// Offset in the requested unit of each byte (at character starts) of a non-ASCII chunk.
    unit_at: Vec<u32>,
}

/// A symbol of `Word::merge_all`: `len` is its length in normalised bytes (0: merged away).
#[derive(Debug, Clone, Copy)]
struct Symbol {
    id: u32,
    len: u32,
    prev: i32,
    next: i32,
}

// ---- The sections, as the crate reads them (options this path does not implement are refused) ----

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SequenceNormalizer<'a> {
    #[serde(rename = "type")]
    _type: SequenceTag,
    #[serde(borrow)]
    normalizers: Vec<&'a RawValue>,
}

#[derive(Deserialize)]
enum SequenceTag {
    Sequence,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PrependNormalizer {
    #[serde(rename = "type")]
    _type: PrependTag,
    prepend: String,
}

#[derive(Deserialize)]
enum PrependTag {
    Prepend,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReplaceNormalizer {
    #[serde(rename = "type")]
    _type: ReplaceTag,
    pattern: ReplacePattern,
    content: String,
}

#[derive(Deserialize)]
enum ReplaceTag {
    Replace,
}

/// Only a literal pattern; `{"Regex": ...}` fails to deserialize, so no fast path.
#[derive(Deserialize)]
enum ReplacePattern {
    String(String),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MetaspacePreTokenizer {
    #[serde(rename = "type")]
    _type: MetaspaceTag,
    replacement: char,
    /// The crate's default is `always`.
    #[serde(default)]
    prepend_scheme: Option<PrependScheme>,
    /// Legacy; `false` means `never` (and the crate refuses it with another scheme).
    #[serde(default)]
    add_prefix_space: Option<bool>,
    /// The crate's default is `true` (split at every "▁"), which this path does not implement.
    #[serde(default)]
    split: Option<bool>,
    /// Legacy, ignored by the crate.
    #[serde(default, rename = "str_rep")]
    _str_rep: Option<String>,
}

#[derive(Deserialize)]
enum MetaspaceTag {
    Metaspace,
}

#[derive(Deserialize, PartialEq, Eq, Clone, Copy)]
#[serde(rename_all = "snake_case")]
enum PrependScheme {
    First,
    Never,
    Always,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BpeModel<'a> {
    #[serde(rename = "type")]
    _type: BpeTag,
    #[serde(default)]
    dropout: Option<f32>,
    #[serde(default)]
    unk_token: Option<String>,
    #[serde(default)]
    continuing_subword_prefix: Option<String>,
    #[serde(default)]
    end_of_word_suffix: Option<String>,
    #[serde(default)]
    fuse_unk: Option<bool>,
    #[serde(default)]
    byte_fallback: Option<bool>,
    #[serde(default)]
    ignore_merges: Option<bool>,
    #[serde(borrow)]
    vocab: Vocab<'a>,
    #[serde(borrow)]
    merges: &'a RawValue,
}

#[derive(Deserialize)]
enum BpeTag {
    #[serde(rename = "BPE")]
    Bpe,
}

/// The vocabulary, its strings borrowed from the JSON where they have no escapes. A string
/// given twice keeps its last id, as the crate's map does.
struct Vocab<'a>(FxMap<Cow<'a, str>, u32>);

/// A JSON string, borrowed when it can be.
struct CowStr<'a>(Cow<'a, str>);

impl<'de> Deserialize<'de> for CowStr<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct StrVisitor;
        impl<'de> Visitor<'de> for StrVisitor {
            type Value = CowStr<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: serde::de::Error>(self, s: &'de str) -> Result<Self::Value, E> {
                Ok(CowStr(Cow::Borrowed(s)))
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<Self::Value, E> {
                Ok(CowStr(Cow::Owned(s.to_owned())))
            }
        }
        deserializer.deserialize_str(StrVisitor)
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Vocab<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct MapVisitor<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for MapVisitor<'a> {
            type Value = Vocab<'a>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a vocabulary: {token: id}")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                // Into a vector first: JSON gives no length, and growing a vector is cheaper
                // than rehashing a map (a tenth of the load time).
                let mut entries = Vec::new();
                while let Some((CowStr(token), id)) = map.next_entry::<CowStr, u32>()? {
                    entries.push((token, id));
                }
                let mut vocab = FxMap::default();
                vocab.reserve(entries.len());
                vocab.extend(entries);
                Ok(Vocab(vocab))
            }
        }
        deserializer.deserialize_map(MapVisitor(std::marker::PhantomData))
    }
}

/// Reads `merges` (`["a", "b"]` or the legacy `"a b"`) straight into the merge map, each
/// resolved against the vocabulary as `BpeBuilder::build` does: rank = index (legacy
/// `#version` lines are skipped uncounted), a later duplicate pair overwriting an earlier one.
/// Fails when a token is not in the vocabulary (the crate refuses such a file). Also checks
/// the chunk rule of the module docs.
struct MergeReader<'v, 'a> {
    vocab: &'v FxMap<Cow<'a, str>, u32>,
    /// `(left id << 32 | right id, (rank, merged id))` in file order.
    merges: &'v mut Vec<(u64, (u32, u32))>,
    /// Cleared when some merge `(a, b)` has `a` not ending in "▁" and `b` starting with "▁".
    chunkable: &'v mut bool,
}

impl<'de> DeserializeSeed<'de> for MergeReader<'_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for MergeReader<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a list of merges")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut merged = String::new();
        let mut rank = 0u32;
        while let Some(entry) = seq.next_element::<MergeEntry>()? {
            let (a, b) = match &entry {
                MergeEntry::Pair(a, b) => (a.as_ref(), b.as_ref()),
                MergeEntry::Line(line) if line.starts_with("#version") => continue,
                MergeEntry::Line(line) => line
                    .split_once(' ')
                    .filter(|(_, b)| !b.contains(' '))
                    .ok_or_else(|| A::Error::custom("bad merge"))?,
            };
            let id = |s: &str| self.vocab.get(s).copied().ok_or_else(|| A::Error::custom("merge token not in vocab"));
            merged.clear();
            merged.push_str(a);
            merged.push_str(b);
            let value = (rank, id(&merged)?);
            self.merges.push((u64::from(id(a)?) << 32 | u64::from(id(b)?), value));
            if b.starts_with(META) && !a.ends_with(META) {
                *self.chunkable = false;
            }
            rank += 1;
        }
        Ok(())
    }
}

enum MergeEntry<'a> {
    Pair(Cow<'a, str>, Cow<'a, str>),
    Line(Cow<'a, str>),
}

// By hand rather than `#[serde(untagged)]`, which buffers every entry.
impl<'de> Deserialize<'de> for MergeEntry<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct EntryVisitor;
        impl<'de> Visitor<'de> for EntryVisitor {
            type Value = MergeEntry<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a merge: \"a b\" or [\"a\", \"b\"]")
            }
            fn visit_borrowed_str<E: serde::de::Error>(self, s: &'de str) -> Result<Self::Value, E> {
                Ok(MergeEntry::Line(Cow::Borrowed(s)))
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<Self::Value, E> {
                Ok(MergeEntry::Line(Cow::Owned(s.to_owned())))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut next = || seq.next_element::<CowStr>()?.ok_or_else(|| A::Error::invalid_length(0, &self));
                let (a, b) = (next()?.0, next()?.0);
                // The crate reads a pair as a 2-tuple: a third element is an error.
                if seq.next_element::<serde::de::IgnoredAny>()?.is_some() {
                    return Err(A::Error::invalid_length(3, &self));
                }
                Ok(MergeEntry::Pair(a, b))
            }
        }
        deserializer.deserialize_any(EntryVisitor)
    }
}

impl SentencePieceBpe {
    /// Recognise the pipeline from the file's sections; `None` unless every component and
    /// option is one this path implements.
    pub fn new(sections: &Sections) -> Option<Self> {
        let prefix = match (sections.normalizer, sections.pre_tokenizer) {
            (Some(normalizer), None) => prepend_and_replace(normalizer)?,
            (None, Some(pre_tokenizer)) => metaspace(pre_tokenizer)?,
            _ => return None,
        };
        let model: BpeModel = serde_json::from_str(sections.model.get()).ok()?;
        let plain = |affix: &Option<String>| affix.as_ref().is_none_or(String::is_empty);
        if model.dropout.is_some_and(|p| p != 0.0)
            || !plain(&model.continuing_subword_prefix)
            || !plain(&model.end_of_word_suffix)
            || model.ignore_merges == Some(true)
        {
            return None;
        }
        let vocab = model.vocab.0;
        // Distinct strings must have distinct ids (the chunk rule reads merges as strings).
        let mut seen = vec![false; vocab.len()];
        for &id in vocab.values() {
            let slot = seen.get_mut(id as usize)?;
            if std::mem::replace(slot, true) {
                return None;
            }
        }
        let mut merge_list = Vec::new();
        let mut chunkable = true;
        let reader = MergeReader { vocab: &vocab, merges: &mut merge_list, chunkable: &mut chunkable };
        reader.deserialize(&mut serde_json::Deserializer::from_str(model.merges.get())).ok()?;
        // In file order, so that a pair given twice keeps its last rank, as in the crate.
        let mut merges = FxMap::default();
        merges.reserve(merge_list.len());
        merges.extend(merge_list);

        let mut ascii = [NONE; 128];
        let mut chars = FxMap::default();
        for (token, &id) in &vocab {
            let mut it = token.chars();
            if let (Some(c), None) = (it.next(), it.next()) {
                match u8::try_from(c) {
                    Ok(b) if b < 128 => ascii[usize::from(b)] = id,
                    _ => {
                        chars.insert(c, id);
                    }
                }
            }
        }
        // The normalised space is "▁": look it up through the space's slot.
        ascii[usize::from(b' ')] = chars.get(&META).copied().unwrap_or(NONE);
        let byte_tokens = model.byte_fallback.unwrap_or(false).then(|| {
            let mut ids = Box::new([NONE; 256]);
            for (b, id) in ids.iter_mut().enumerate() {
                *id = vocab.get(format!("<{b:#04X}>").as_str()).copied().unwrap_or(NONE);
            }
            ids
        });
        let unknown = match &model.unk_token {
            None => Unknown::Drop,
            Some(unk) => vocab.get(unk.as_str()).map_or(Unknown::Missing, |&id| Unknown::Token(id)),
        };
        let never_drops = matches!(unknown, Unknown::Token(_))
            || byte_tokens.as_ref().is_some_and(|ids| ids.iter().all(|&id| id != NONE));
        let unk_ends_in_meta = model.unk_token.as_ref().is_some_and(|u| u.ends_with(META));
        let chunked = chunkable && never_drops && !unk_ends_in_meta && chars.contains_key(&META);
        Some(Self {
            prefix,
            ascii,
            chars,
            byte_tokens,
            unknown,
            fuse_unk: model.fuse_unk.unwrap_or(false),
            merges,
            chunked,
            state: Mutex::default(),
        })
    }

    /// Tokens of `text` into `out`; `false` when the text needs the crate (an unknown
    /// character when the unknown token is missing from the vocabulary, where the crate fails).
    pub fn tokenize(&self, text: &str, unit: OffsetUnit, out: &mut Tokens) -> bool {
        if text.is_empty() {
            return true;
        }
        // Offsets inside a chunk are kept as u32 (4 GiB texts go to the crate).
        if u32::try_from(text.len()).is_err() {
            return false;
        }
        let bytes = text.as_bytes();
        let prefixed = match self.prefix {
            Prefix::Always => true,
            Prefix::UnlessMeta => !(bytes[0] == b' ' || bytes.starts_with(META_UTF8)),
            Prefix::Never => false,
        };
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let state = &mut *state;
        if !self.chunked {
            return self.emit_chunk(state, text, 0, prefixed, false, unit, &mut (0, 0), out);
        }
        // Chunks start at a space or "▁" that follows another character.
        let mut at_units = (0usize, 0usize);
        let mut start = 0;
        let mut after_meta = true;
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            let meta_len = if b == b' ' {
                1
            } else if b == 0xE2 && bytes[i..].starts_with(META_UTF8) {
                3
            } else {
                0
            };
            if meta_len > 0 {
                if !after_meta && i > start {
                    let first = start == 0;
                    if !self.emit_chunk(
                        state,
                        &text[start..i],
                        start,
                        first && prefixed,
                        true,
                        unit,
                        &mut at_units,
                        out,
                    ) {
                        return false;
                    }
                    start = i;
                }
                after_meta = true;
                i += meta_len;
            } else {
                after_meta = false;
                i += 1;
            }
        }
        let first = start == 0;
        self.emit_chunk(state, &text[start..], start, first && prefixed, true, unit, &mut at_units, out)
    }

    /// Tokens of one chunk (at byte `at` of the text), from the cache or merged now.
    /// `at_units`: the chunk's start as (chars, UTF-16 units), advanced past it.
    #[allow(clippy::too_many_arguments)]
    fn emit_chunk(
        &self,
        state: &mut State,
        chunk: &str,
        at: usize,
        prefixed: bool,
        cache: bool,
        unit: OffsetUnit,
        at_units: &mut (usize, usize),
        out: &mut Tokens,
    ) -> bool {
        let cache = cache && chunk.len() <= MAX_CACHED_CHUNK;
        state.key.clear();
        if prefixed {
            state.key.push(PREFIXED_KEY);
        }
        state.key.extend_from_slice(chunk.as_bytes());
        let cached = if cache { state.cache.get(state.key.as_slice()) } else { None };
        let tokens: &[(u32, u32, u32)] = match cached {
            Some(tokens) => tokens,
            None => {
                if !self.merge_chunk(chunk, prefixed, state) {
                    return false;
                }
                if cache {
                    if state.cache.len() >= CACHE_LIMIT {
                        state.cache.clear();
                    }
                    state.cache.insert(Box::from(state.key.as_slice()), Box::from(state.tokens.as_slice()));
                }
                &state.tokens
            }
        };
        let ascii = chunk.is_ascii();
        let unit_start = match unit {
            OffsetUnit::None => {
                for &(id, _, _) in tokens {
                    out.push(id, (0, 0), 0);
                }
                return true;
            }
            OffsetUnit::Byte => at,
            OffsetUnit::Char => at_units.0,
            OffsetUnit::Utf16 => at_units.1,
        };
        if ascii || unit == OffsetUnit::Byte {
            for &(id, s, e) in tokens {
                out.push(id, (unit_start + s as usize, unit_start + e as usize), 0);
            }
        } else {
            let unit_at = &mut state.unit_at;
            unit_index_of_bytes(chunk, unit, unit_at);
            for &(id, s, e) in tokens {
                let (s, e) = (unit_at[s as usize] as usize, unit_at[e as usize] as usize);
                out.push(id, (unit_start + s, unit_start + e), 0);
            }
        }
        if ascii {
            at_units.0 += chunk.len();
            at_units.1 += chunk.len();
        } else {
            let chars = chunk.chars().count();
            at_units.0 += chars;
            at_units.1 += chunk.chars().map(char::len_utf16).sum::<usize>();
        }
        true
    }

    /// The token id of one (normalised) character.
    #[inline]
    fn char_id(&self, c: char) -> u32 {
        if c.is_ascii() {
            self.ascii[c as usize]
        } else {
            self.chars.get(&c).copied().unwrap_or(NONE)
        }
    }

    /// `BPE::merge_word` on the normalised chunk, into `state.tokens` with offsets in bytes of
    /// the chunk; `false` when the crate would fail (the unknown token is not in the vocabulary).
    fn merge_chunk(&self, chunk: &str, prefixed: bool, state: &mut State) -> bool {
        let State { symbols, queue, align, tokens, .. } = state;
        symbols.clear();
        align.clear();
        tokens.clear();
        let add = |symbols: &mut Vec<Symbol>, id: u32, len: u32| {
            let n = symbols.len() as i32;
            if let Some(last) = symbols.last_mut() {
                last.next = n;
            }
            symbols.push(Symbol { id, len, prev: n - 1, next: -1 });
        };
        // The pending unknown token (id, normalised length), as in `merge_word`: it is added
        // when a character with a token follows, or at the end; byte tokens do not flush it.
        let mut unk: Option<(u32, u32)> = None;
        let first_len = chunk.chars().next().map_or(0, char::len_utf8) as u32;
        let meta_symbol = prefixed.then_some((META, 0u32, first_len));
        for (c, start, end) in meta_symbol.into_iter().chain(chunk.char_indices().map(|(i, c)| {
            let normalised = if c == ' ' { META } else { c };
            (normalised, i as u32, (i + c.len_utf8()) as u32)
        })) {
            let len = c.len_utf8() as u32;
            align.extend(std::iter::repeat_n((start, end), len as usize));
            let id = self.char_id(c);
            if id != NONE {
                if let Some((unk_id, unk_len)) = unk.take() {
                    add(symbols, unk_id, unk_len);
                }
                add(symbols, id, len);
                continue;
            }
            if let Some(byte_tokens) = &self.byte_tokens {
                let mut buf = [0u8; 4];
                let utf8 = c.encode_utf8(&mut buf).as_bytes();
                if utf8.iter().all(|&b| byte_tokens[usize::from(b)] != NONE) {
                    for &b in utf8 {
                        add(symbols, byte_tokens[usize::from(b)], 1);
                    }
                    continue;
                }
            }
            match self.unknown {
                Unknown::Drop => {}
                Unknown::Missing => return false,
                Unknown::Token(unk_id) => {
                    unk = match unk {
                        Some((_, unk_len)) if self.fuse_unk => Some((unk_id, unk_len + len)),
                        Some((pending, unk_len)) => {
                            add(symbols, pending, unk_len);
                            Some((unk_id, len))
                        }
                        None => Some((unk_id, len)),
                    };
                }
            }
        }
        if let Some((unk_id, unk_len)) = unk {
            add(symbols, unk_id, unk_len);
        }
        self.merge_all(symbols, queue);
        // Offsets as the crate computes them: the symbols' lengths laid end to end in the
        // normalised chunk, each range mapped back through the per-byte alignments.
        let mut pos = 0usize;
        for s in symbols.iter().filter(|s| s.len != 0) {
            let end = pos + s.len as usize;
            tokens.push((s.id, align[pos].0, align[end - 1].1));
            pos = end;
        }
        true
    }

    /// `Word::merge_all` without dropout: a queue of adjacent pairs by rank, then position; an
    /// entry whose pair has changed since (the merged id differs) is skipped.
    fn merge_all(&self, symbols: &mut [Symbol], queue: &mut BinaryHeap<Reverse<(u32, u32, u32)>>) {
        let merge = |left: u32, right: u32| self.merges.get(&(u64::from(left) << 32 | u64::from(right))).copied();
        queue.clear();
        for (i, pair) in symbols.windows(2).enumerate() {
            if let Some((rank, id)) = merge(pair[0].id, pair[1].id) {
                queue.push(Reverse((rank, i as u32, id)));
            }
        }
        while let Some(Reverse((_, pos, new_id))) = queue.pop() {
            let pos = pos as usize;
            let current = symbols[pos];
            if current.len == 0 || current.next < 0 {
                continue;
            }
            let next = current.next as usize;
            let right = symbols[next];
            if merge(current.id, right.id).is_none_or(|(_, id)| id != new_id) {
                continue;
            }
            symbols[pos] = Symbol { id: new_id, len: current.len + right.len, prev: current.prev, next: right.next };
            symbols[next].len = 0;
            if right.next >= 0 {
                symbols[right.next as usize].prev = pos as i32;
            }
            if current.prev >= 0 {
                let prev = current.prev as usize;
                if let Some((rank, id)) = merge(symbols[prev].id, new_id) {
                    queue.push(Reverse((rank, prev as u32, id)));
                }
            }
            if right.next >= 0 {
                if let Some((rank, id)) = merge(new_id, symbols[right.next as usize].id) {
                    queue.push(Reverse((rank, pos as u32, id)));
                }
            }
        }
    }
}

/// `Sequence[Prepend("▁"), Replace(" " → "▁")]`.
fn prepend_and_replace(normalizer: &RawValue) -> Option<Prefix> {
    let sequence: SequenceNormalizer = serde_json::from_str(normalizer.get()).ok()?;
    let [prepend, replace] = sequence.normalizers.as_slice() else { return None };
    let prepend: PrependNormalizer = serde_json::from_str(prepend.get()).ok()?;
    let replace: ReplaceNormalizer = serde_json::from_str(replace.get()).ok()?;
    let ReplacePattern::String(pattern) = &replace.pattern;
    let meta = META.to_string();
    (prepend.prepend == meta && pattern == " " && replace.content == meta).then_some(Prefix::Always)
}

/// `Metaspace { replacement: "▁", split: false }`.
fn metaspace(pre_tokenizer: &RawValue) -> Option<Prefix> {
    let m: MetaspacePreTokenizer = serde_json::from_str(pre_tokenizer.get()).ok()?;
    if m.replacement != META || m.split != Some(false) {
        return None;
    }
    let scheme = m.prepend_scheme.unwrap_or(PrependScheme::Always);
    match (m.add_prefix_space, scheme) {
        // The crate refuses this combination.
        (Some(false), PrependScheme::First | PrependScheme::Always) => None,
        (_, PrependScheme::Never) => Some(Prefix::Never),
        _ => Some(Prefix::UnlessMeta),
    }
}

/// The vendored tokenizers (tests/data), for the unit tests.
#[cfg(test)]
#[path = "../../tests/common/data.rs"]
mod test_data;

#[cfg(test)]
mod tests {
    use super::test_data as data;
    use super::{Sections, SentencePieceBpe, Tokens};
    use crate::encoding::OffsetUnit;

    fn build(json: &str) -> SentencePieceBpe {
        SentencePieceBpe::new(&Sections::of(json).unwrap()).unwrap()
    }

    fn tokens(path: &SentencePieceBpe, text: &str) -> Tokens {
        let mut out = Tokens::default();
        assert!(path.tokenize(text, OffsetUnit::Byte, &mut out));
        out
    }

    /// Mistral's merges allow chunks; one merge across a chunk boundary forbids them.
    #[test]
    fn chunks_only_where_no_merge_crosses_them() {
        let json = data::tokenizer_json("mistral-7b-v0.1");
        let chunked = build(&json);
        assert!(chunked.chunked);
        let mut edited: serde_json::Value = serde_json::from_str(&json).unwrap();
        let vocab = edited["model"]["vocab"].as_object_mut().unwrap();
        vocab.insert("d▁".into(), vocab.len().into());
        edited["model"]["merges"].as_array_mut().unwrap().push(serde_json::json!(["d", "▁"]));
        let whole = build(&edited.to_string());
        assert!(!whole.chunked);
        // Merged whole, "d " becomes the crossing token; chunks would have split it apart
        // (tests/fast_paths.rs checks such a file against the crate).
        let crossing = vocab_len_before_edit(&json);
        assert!(tokens(&whole, "\0d \td").ids.contains(&crossing));
        assert!(!tokens(&chunked, "\0d \td").ids.contains(&crossing));
    }

    fn vocab_len_before_edit(json: &str) -> u32 {
        let json: serde_json::Value = serde_json::from_str(json).unwrap();
        json["model"]["vocab"].as_object().unwrap().len() as u32
    }
}
