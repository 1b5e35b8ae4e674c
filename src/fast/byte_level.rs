//! `ByteLevel` pre-tokenizer + `BPE` (GPT-2, RoBERTa), on any UTF-8 text, built from the file's
//! sections alone (so the lite build, which has no `tokenizers` crate, serves these files too).
//!
//! The crate splits with the GPT-2 regex through fancy-regex, maps every byte of every split
//! to its byte-level character through `NormalizedString::transform` (per-byte alignments
//! again), and runs BPE with a 10,000-entry cache that thrashes on real text. Here:
//!
//! - the regex is a hand-written state machine ([`split_ascii`], [`split_unicode`]) over the
//!   classes the crate's regex engine gives `\s`, `\p{L}` and `\p{N}` ([`super::gpt2_classes`]);
//! - each piece's tokens are cached without a cap, keyed by the piece's bytes; a miss is merged
//!   here with the file's merges ([`Merges`]), in the crate's order;
//! - a token's offsets are those of the characters its bytes come from: the crate aligns every
//!   byte-level character of a character to that whole character, so a token holding part of a
//!   character spans all of it (and the next token starts at the same character). The space
//!   `add_prefix_space` puts before the text is aligned to the text's first character.
//!
//! ASCII text (the common case) keeps a loop of its own, where bytes, chars and UTF-16 units are
//! the same offsets. Every byte's character must be in the vocabulary (it is in GPT-2-style
//! files); the model's unknown-token and byte-fallback options then never apply.

use std::cell::RefCell;
use std::collections::BinaryHeap;
use std::sync::Mutex;

use serde::de::IgnoredAny;
use serde::Deserialize;

use super::gpt2_classes::{ascii_class, class, WHITESPACE};
use super::{Sections, Tokens};
use crate::encoding::{unit_index_of_bytes, OffsetUnit};
use crate::hash::{ByteMap, FxHasher, IdTable};

/// Clear the piece cache when it reaches this many entries (about 50 MB), so a page that
/// tokenizes forever stays bounded; real corpora have far fewer distinct pieces.
const CACHE_LIMIT: usize = 1 << 20;

/// Longer pieces are merged but not cached: they rarely repeat (a text without the regex split
/// is one piece) and would fill the cache with whole texts.
const MAX_CACHED_PIECE: usize = 256;

/// Pieces up to this length are merged by rescanning their pairs after each merge, which is
/// quickest on words; longer ones through a heap, which is not quadratic.
const MAX_SCANNED_PIECE: usize = 128;

/// Piece bytes → `(id, start, end)` of each of its tokens, in bytes of the piece, widened to
/// whole characters.
type PieceCache = ByteMap<Box<[(u32, u32, u32)]>>;

type FxMap<K, V> = std::collections::HashMap<K, V, std::hash::BuildHasherDefault<FxHasher>>;

/// A recognised byte-level BPE pipeline.
#[derive(Debug)]
pub struct ByteLevelFast {
    /// `ByteLevel.add_prefix_space`: a space goes before a text that does not start with one.
    add_prefix_space: bool,
    /// `ByteLevel.use_regex`: split with the GPT-2 pattern; without it the text is one piece.
    use_regex: bool,
    merges: Merges,
    /// With the model's `ignore_merges`: the vocabulary's byte-level tokens by their bytes, a
    /// piece that is one of them being that token whole.
    whole_pieces: Option<ByteMap<u32>>,
    cache: Mutex<PieceCache>,
}

/// The `ByteLevel` pre-tokenizer's options.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PreTokenizerEntry {
    #[allow(dead_code)]
    r#type: PreTokenizerTag,
    add_prefix_space: bool,
    /// Trimming is the post-processor's (read by `crate::post_processor`); here it does nothing.
    #[allow(dead_code)]
    trim_offsets: bool,
    #[serde(default = "yes")]
    use_regex: bool,
}

#[derive(Deserialize)]
enum PreTokenizerTag {
    ByteLevel,
}

fn yes() -> bool {
    true
}

/// The `BPE` model. Every field the crate reads is named, so an unknown one (an option this path
/// might not reproduce) means no fast path.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ModelEntry {
    /// Files written before `type` existed have none; `crate::file` has told BPE apart.
    #[allow(dead_code)]
    #[serde(default)]
    r#type: Option<BpeTag>,
    #[serde(default)]
    dropout: Option<f32>,
    /// Unused: every byte's character is in the vocabulary, so no character is unknown.
    #[allow(dead_code)]
    #[serde(default)]
    unk_token: Option<String>,
    #[serde(default)]
    continuing_subword_prefix: Option<String>,
    #[serde(default)]
    end_of_word_suffix: Option<String>,
    /// Unused, as `unk_token`.
    #[allow(dead_code)]
    #[serde(default)]
    fuse_unk: Option<bool>,
    /// Unused, as `unk_token`: the crate falls back to bytes only for a character it lacks.
    #[allow(dead_code)]
    #[serde(default)]
    byte_fallback: Option<bool>,
    #[serde(default)]
    ignore_merges: Option<bool>,
    /// Read by `crate::file` (the tokens by id this path is given).
    #[allow(dead_code)]
    vocab: IgnoredAny,
    merges: Vec<MergeEntry>,
}

#[derive(Deserialize)]
enum BpeTag {
    #[serde(rename = "BPE")]
    Bpe,
}

/// A merge, `["a", "b"]` or (the legacy format) `"a b"`.
enum MergeEntry {
    Pair(String, String),
    Line(String),
}

// By hand rather than `#[serde(untagged)]`, which buffers every entry and, on the legacy
// format, builds an error message for each before trying the string: a third of RoBERTa's
// load time.
impl<'de> Deserialize<'de> for MergeEntry {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = MergeEntry;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a merge: \"a b\" or [\"a\", \"b\"]")
            }
            fn visit_str<E: serde::de::Error>(self, line: &str) -> Result<MergeEntry, E> {
                Ok(MergeEntry::Line(line.to_owned()))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<MergeEntry, A::Error> {
                let mut next =
                    || seq.next_element::<String>()?.ok_or_else(|| serde::de::Error::invalid_length(0, &self));
                let (a, b) = (next()?, next()?);
                // A third element: not a pair (the crate refuses the file).
                if seq.next_element::<IgnoredAny>()?.is_some() {
                    return Err(serde::de::Error::invalid_length(3, &self));
                }
                Ok(MergeEntry::Pair(a, b))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

/// BPE merges as the crate's `Word::merge_all` applies them (the lowest rank first, then the
/// leftmost pair), for a model without a subword prefix or word suffix whose vocabulary has
/// every byte's character.
#[derive(Debug)]
struct Merges {
    /// `(left id, right id)` packed in a u64 → `(rank, merged id)`.
    pairs: FxMap<u64, (u32, u32)>,
    /// The id of each byte's byte-level character.
    byte_ids: [u32; 256],
}

impl Merges {
    /// Resolve the merges against the vocabulary as `BpeBuilder::build` does (both parts and
    /// their concatenation must be tokens, later duplicates win), with the ranks the crate gives
    /// them (the legacy format's `#version` lines are skipped uncounted). `None` when anything
    /// does not resolve, or the file mixes the two formats (the crate refuses both).
    fn new(entries: Vec<MergeEntry>, tokens: &[Box<str>], bytes_char: &[char; 256]) -> Option<Self> {
        let ids = IdTable::new(tokens, 0..tokens.len() as u32, 0);
        let id = |t: &str| ids.get(tokens, t.as_bytes());
        let mut byte_ids = [0; 256];
        for (b, c) in bytes_char.iter().enumerate() {
            byte_ids[b] = id(c.encode_utf8(&mut [0; 4]))?;
        }
        let pairs_format = matches!(entries.first(), Some(MergeEntry::Pair(..)));
        let mut pairs = FxMap::default();
        pairs.reserve(entries.len());
        let mut merged = String::new();
        let mut rank = 0u32;
        for entry in &entries {
            let (a, b) = match entry {
                MergeEntry::Pair(a, b) if pairs_format => (a.as_str(), b.as_str()),
                MergeEntry::Line(line) if !pairs_format && line.starts_with("#version") => continue,
                MergeEntry::Line(line) if !pairs_format => line.split_once(' ').filter(|(_, b)| !b.contains(' '))?,
                _ => return None,
            };
            merged.clear();
            merged.push_str(a);
            merged.push_str(b);
            pairs.insert(pack(id(a)?, id(b)?), (rank, id(&merged)?));
            rank += 1;
        }
        Some(Self { pairs, byte_ids })
    }

    #[inline]
    fn pair(&self, left: u32, right: u32) -> Option<(u32, u32)> {
        self.pairs.get(&pack(left, right)).copied()
    }

    /// The tokens of one piece, as `(id, start, end)` in bytes of the piece.
    fn apply(&self, piece: &[u8]) -> Vec<(u32, u32, u32)> {
        if piece.len() <= MAX_SCANNED_PIECE {
            self.apply_by_scan(piece)
        } else {
            self.apply_by_heap(piece)
        }
    }

    fn apply_by_scan(&self, piece: &[u8]) -> Vec<(u32, u32, u32)> {
        let mut symbols: Vec<(u32, u32, u32)> =
            piece.iter().enumerate().map(|(i, &b)| (self.byte_ids[usize::from(b)], i as u32, i as u32 + 1)).collect();
        // `pairs[i]`: the merge of symbols i and i + 1, as (rank, merged id); only the pairs
        // around a merge change, so each merge costs two lookups and a scan.
        // (rank u32::MAX: no merge).
        let none = (u32::MAX, 0);
        let pair = |a: &(u32, u32, u32), b: &(u32, u32, u32)| self.pair(a.0, b.0).unwrap_or(none);
        let mut pairs: Vec<(u32, u32)> = symbols.windows(2).map(|w| pair(&w[0], &w[1])).collect();
        // The lowest rank, the leftmost of equals.
        while let Some((i, &(_, id))) = pairs
            .iter()
            .enumerate()
            .min_by_key(|&(i, &(rank, _))| (rank, i))
            .filter(|&(_, &(rank, _))| rank != u32::MAX)
        {
            symbols[i] = (id, symbols[i].1, symbols[i + 1].2);
            symbols.remove(i + 1);
            pairs.remove(i);
            if i > 0 {
                pairs[i - 1] = pair(&symbols[i - 1], &symbols[i]);
            }
            if i + 1 < symbols.len() {
                pairs[i] = pair(&symbols[i], &symbols[i + 1]);
            }
        }
        symbols
    }

    /// The crate's `Word::merge_all` without dropout: a heap of candidate merges by rank, then
    /// position, over a linked list of symbols; an entry whose pair has changed since is
    /// skipped.
    fn apply_by_heap(&self, piece: &[u8]) -> Vec<(u32, u32, u32)> {
        const NONE: usize = usize::MAX;
        let n = piece.len();
        // (id, start, end, next); `prev[i]`: the live symbol before i. Dead symbols have id MAX.
        let mut symbols: Vec<(u32, u32, u32, usize)> = piece
            .iter()
            .enumerate()
            .map(|(i, &b)| {
                (self.byte_ids[usize::from(b)], i as u32, i as u32 + 1, if i + 1 < n { i + 1 } else { NONE })
            })
            .collect();
        let mut prev: Vec<usize> = (0..n).map(|i| i.checked_sub(1).unwrap_or(NONE)).collect();
        let mut queue: BinaryHeap<Candidate> = symbols
            .windows(2)
            .enumerate()
            .filter_map(|(pos, w)| self.pair(w[0].0, w[1].0).map(|(rank, id)| Candidate { rank, pos, id }))
            .collect();
        while let Some(top) = queue.pop() {
            let (left_id, start, _, next) = symbols[top.pos];
            if left_id == u32::MAX || next == NONE {
                continue;
            }
            let (right_id, _, end, after) = symbols[next];
            if self.pair(left_id, right_id).is_none_or(|(_, id)| id != top.id) {
                continue;
            }
            symbols[top.pos] = (top.id, start, end, after);
            symbols[next].0 = u32::MAX;
            if after != NONE {
                prev[after] = top.pos;
            }
            let before = prev[top.pos];
            if before != NONE {
                if let Some((rank, id)) = self.pair(symbols[before].0, top.id) {
                    queue.push(Candidate { rank, pos: before, id });
                }
            }
            if after != NONE {
                if let Some((rank, id)) = self.pair(top.id, symbols[after].0) {
                    queue.push(Candidate { rank, pos: top.pos, id });
                }
            }
        }
        symbols.into_iter().filter(|s| s.0 != u32::MAX).map(|(id, start, end, _)| (id, start, end)).collect()
    }
}

/// A candidate merge in [`Merges::apply_by_heap`]: the lowest rank first, then the leftmost.
#[derive(Debug, PartialEq, Eq)]
struct Candidate {
    rank: u32,
    pos: usize,
    id: u32,
}

impl Ord for Candidate {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        other.rank.cmp(&self.rank).then_with(|| other.pos.cmp(&self.pos))
    }
}

impl PartialOrd for Candidate {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

#[inline]
fn pack(left: u32, right: u32) -> u64 {
    u64::from(left) << 32 | u64::from(right)
}

/// GPT-2's `bytes_to_unicode`: printable Latin-1 bytes map to themselves, the others to
/// U+0100 onwards in byte order (so the space is `Ġ`).
fn bytes_char() -> [char; 256] {
    let mut table = ['\0'; 256];
    let mut next = 256u32;
    for b in 0..=255u8 {
        let printable = matches!(b, b'!'..=b'~' | 0xA1..=0xAC | 0xAE..=0xFF);
        table[usize::from(b)] = if printable {
            char::from(b)
        } else {
            next += 1;
            char::from_u32(next - 1).unwrap_or('\0')
        };
    }
    table
}

/// The bytes a byte-level token stands for; `None` when it holds another character.
fn token_bytes(token: &str, char_byte: &FxMap<char, u8>) -> Option<Box<[u8]>> {
    token.chars().map(|c| char_byte.get(&c).copied()).collect()
}

/// The GPT-2 pattern
/// `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`
/// as fancy-regex matches it (leftmost alternative first, greedy runs, the lookahead
/// backtracking one whitespace), on ASCII bytes. Calls `piece(start, end)` for each match.
pub fn split_ascii(b: &[u8], mut piece: impl FnMut(usize, usize)) {
    let n = b.len();
    let mut i = 0;
    while i < n {
        let c = b[i];
        let contraction = if c == b'\'' { contraction(&b[i + 1..]) } else { 0 };
        let end = if contraction > 0 {
            i + contraction
        } else {
            // ` ?X+` for X in letters, numbers, other: a space joins the run that follows it.
            let start = if c == b' ' && i + 1 < n && ascii_class(b[i + 1]) != WHITESPACE { i + 1 } else { i };
            let cls = ascii_class(b[start]);
            let mut j = start + 1;
            while j < n && ascii_class(b[j]) == cls {
                j += 1;
            }
            if cls == WHITESPACE && j < n && j - i >= 2 {
                // `\s+(?!\S)`: leave the last whitespace to prefix the next word.
                j - 1
            } else {
                j
            }
        };
        piece(i, end);
        i = end;
    }
}

/// The length of the contraction (`'s`, `'t`, `'re`, `'ve`, `'m`, `'ll`, `'d`) that `rest`, the
/// text after an apostrophe, completes, or 0. In characters and bytes alike: all are ASCII.
#[inline]
fn contraction(rest: &[u8]) -> usize {
    match rest {
        [b's' | b't' | b'm' | b'd', ..] => 2,
        [b'r', b'e', ..] | [b'v', b'e', ..] | [b'l', b'l', ..] => 3,
        _ => 0,
    }
}

/// [`split_ascii`] on any text: the same state machine over characters, each classed as the
/// crate's regex engine classes it. `chars` is scratch space. Calls `piece(start, end)` in
/// bytes for each match.
pub fn split_unicode(text: &str, chars: &mut Vec<(u32, u8)>, mut piece: impl FnMut(usize, usize)) {
    chars.clear();
    chars.extend(text.char_indices().map(|(at, c)| (at as u32, class(c))));
    let bytes = text.as_bytes();
    let n = chars.len();
    let byte_at = |k: usize| chars.get(k).map_or(text.len(), |&(at, _)| at as usize);
    let mut i = 0;
    while i < n {
        let at = chars[i].0 as usize;
        let c = bytes[at];
        let contraction = if c == b'\'' { contraction(&bytes[at + 1..]) } else { 0 };
        let end = if contraction > 0 {
            i + contraction
        } else {
            let start = if c == b' ' && i + 1 < n && chars[i + 1].1 != WHITESPACE { i + 1 } else { i };
            let cls = chars[start].1;
            let mut j = start + 1;
            while j < n && chars[j].1 == cls {
                j += 1;
            }
            if cls == WHITESPACE && j < n && j - i >= 2 {
                j - 1
            } else {
                j
            }
        };
        piece(at, byte_at(end));
        i = end;
    }
}

/// Scratch space of the general (non-ASCII or prefixed) path, reused from call to call.
#[derive(Default)]
struct Scratch {
    /// The text with the prefix space.
    spaced: String,
    /// Byte start and class of each character (for [`split_unicode`]).
    chars: Vec<(u32, u8)>,
    /// The pieces, as byte ranges.
    pieces: Vec<(u32, u32)>,
    /// The offset in the requested unit of each byte of the text that starts a character, and
    /// of its end.
    units: Vec<u32>,
}

impl ByteLevelFast {
    /// Recognise no normaliser + `ByteLevel` + `BPE` from the file's sections; `tokens` is the
    /// model's vocabulary by id. `None` unless every option is one this path reproduces: no
    /// dropout (so results can be cached), no subword prefix or word suffix, every byte's
    /// character in the vocabulary, merges that resolve.
    pub fn new(sections: &Sections, tokens: &[Box<str>]) -> Option<Self> {
        if sections.normalizer.is_some() {
            return None;
        }
        let pre_tokenizer: PreTokenizerEntry = serde_json::from_str(sections.pre_tokenizer?.get()).ok()?;
        let model: ModelEntry = serde_json::from_str(sections.model.get()).ok()?;
        // An empty prefix or suffix (RoBERTa's and GPT-2's files have them) changes nothing.
        let plain = model.dropout.is_none_or(|p| p == 0.0)
            && model.continuing_subword_prefix.as_ref().is_none_or(String::is_empty)
            && model.end_of_word_suffix.as_ref().is_none_or(String::is_empty);
        if !plain {
            return None;
        }
        let bytes_char = bytes_char();
        let merges = Merges::new(model.merges, tokens, &bytes_char)?;
        let whole_pieces = model.ignore_merges.unwrap_or(false).then(|| {
            let char_byte: FxMap<char, u8> = (0..=255u8).map(|b| (bytes_char[usize::from(b)], b)).collect();
            let mut whole = ByteMap::default();
            for (id, token) in tokens.iter().enumerate() {
                if let Some(bytes) = token_bytes(token, &char_byte) {
                    whole.entry(bytes).or_insert(id as u32);
                }
            }
            whole
        });
        Some(Self {
            add_prefix_space: pre_tokenizer.add_prefix_space,
            use_regex: pre_tokenizer.use_regex,
            merges,
            whole_pieces,
            cache: Mutex::new(ByteMap::default()),
        })
    }

    /// Whether a space goes before a text that does not start with one; its token's offsets
    /// then cover the text's first character (see `FastPath::encode` on trimming them).
    pub fn adds_prefix_space(&self) -> bool {
        self.add_prefix_space
    }

    /// Tokens of `text` into `out`. Always `true`: every text is covered.
    pub fn tokenize(&self, text: &str, unit: OffsetUnit, out: &mut Tokens) -> bool {
        let prefixed = self.add_prefix_space && !text.is_empty() && !text.starts_with(' ');
        let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        if !prefixed && self.use_regex && text.is_ascii() {
            self.tokenize_ascii(&mut cache, text.as_bytes(), unit != OffsetUnit::None, out);
        } else {
            thread_local!(static SCRATCH: RefCell<Scratch> = RefCell::default());
            SCRATCH.with(|scratch| self.tokenize_any(&mut cache, text, prefixed, unit, &mut scratch.borrow_mut(), out));
        }
        true
    }

    /// ASCII text split by the regex: offsets are bytes in every unit.
    fn tokenize_ascii(&self, cache: &mut PieceCache, bytes: &[u8], offsets: bool, out: &mut Tokens) {
        let mut word = 0i32;
        split_ascii(bytes, |s, e| {
            let key = &bytes[s..e];
            let mut emit = |tokens: &[(u32, u32, u32)]| {
                for &(id, a, b) in tokens {
                    let span = if offsets { (s + a as usize, s + b as usize) } else { (0, 0) };
                    out.push(id, span, word);
                }
            };
            match cache.get(key) {
                Some(tokens) => emit(tokens),
                None => emit(&self.piece_tokens(cache, key)),
            }
            word += 1;
        });
    }

    /// Any text, with or without the prefix space and the regex.
    fn tokenize_any(
        &self,
        cache: &mut PieceCache,
        text: &str,
        prefixed: bool,
        unit: OffsetUnit,
        scratch: &mut Scratch,
        out: &mut Tokens,
    ) {
        let Scratch { spaced, chars, pieces, units } = scratch;
        // The text the pieces are cut from: with the prefix space, one byte ahead of `text`.
        let source: &str = if prefixed {
            spaced.clear();
            spaced.push(' ');
            spaced.push_str(text);
            spaced
        } else {
            text
        };
        pieces.clear();
        if !self.use_regex {
            if !source.is_empty() {
                pieces.push((0, source.len() as u32));
            }
        } else if source.is_ascii() {
            split_ascii(source.as_bytes(), |s, e| pieces.push((s as u32, e as u32)));
        } else {
            split_unicode(source, chars, |s, e| pieces.push((s as u32, e as u32)));
        }
        // Offsets: bytes of `source` → bytes of `text` → the unit. The prefix space (byte 0 of
        // `source`) is aligned to the text's first character.
        let first_len = text.chars().next().map_or(0, char::len_utf8);
        let to_text = |start: usize, end: usize| {
            if prefixed {
                (start.saturating_sub(1), if end == 1 { first_len } else { end - 1 })
            } else {
                (start, end)
            }
        };
        let units_differ = !text.is_ascii() && matches!(unit, OffsetUnit::Char | OffsetUnit::Utf16);
        if units_differ {
            unit_index_of_bytes(text, unit, units);
        }
        let span = |start: usize, end: usize| match unit {
            OffsetUnit::None => (0, 0),
            _ if units_differ => (units[start] as usize, units[end] as usize),
            _ => (start, end),
        };
        let bytes = source.as_bytes();
        for (word, &(s, e)) in pieces.iter().enumerate() {
            let (s, e) = (s as usize, e as usize);
            let key = &bytes[s..e];
            let mut emit = |tokens: &[(u32, u32, u32)]| {
                for &(id, a, b) in tokens {
                    let (start, end) = to_text(s + a as usize, s + b as usize);
                    out.push(id, span(start, end), word as i32);
                }
            };
            match cache.get(key) {
                Some(tokens) => emit(tokens),
                None => emit(&self.piece_tokens(cache, key)),
            }
        }
    }

    /// The tokens of a piece not in the cache, cached when it is short enough.
    #[cold]
    fn piece_tokens(&self, cache: &mut PieceCache, piece: &[u8]) -> Box<[(u32, u32, u32)]> {
        let whole = self.whole_pieces.as_ref().and_then(|w| w.get(piece));
        let mut tokens = match whole {
            Some(&id) => vec![(id, 0, piece.len() as u32)],
            None => self.merges.apply(piece),
        };
        // A token holding part of a character spans the whole character.
        if !piece.is_ascii() {
            let continuation = |i: u32| piece.get(i as usize).is_some_and(|&b| b & 0xC0 == 0x80);
            for (_, start, end) in &mut tokens {
                while *start > 0 && continuation(*start) {
                    *start -= 1;
                }
                while continuation(*end) {
                    *end += 1;
                }
            }
        }
        let tokens = tokens.into_boxed_slice();
        if piece.len() <= MAX_CACHED_PIECE {
            if cache.len() >= CACHE_LIMIT {
                cache.clear();
            }
            cache.insert(Box::from(piece), tokens.clone());
        }
        tokens
    }
}
