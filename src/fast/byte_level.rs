//! `ByteLevel` pre-tokenizer + `BPE` (GPT-2, RoBERTa) for ASCII text.
//!
//! The crate splits with the GPT-2 regex through fancy-regex, maps every byte of every split
//! to its byte-level character through `NormalizedString::transform` (per-byte alignments
//! again), and runs BPE with a 10,000-entry cache that thrashes on real text. Here the regex is
//! a hand-written state machine over ASCII classes, and each piece's BPE result is cached
//! without a cap, keyed by the piece's bytes; a cache miss runs the crate's own BPE on the
//! piece's byte-level string, so merges, `unk`, `fuse_unk`, `byte_fallback` and
//! `ignore_merges` all stay the crate's.
//!
//! A cache miss merges the piece itself (`Merges`) when the model's options allow it: the
//! crate's BPE allocates a string per token, a heap and its own cache entry per call, and cold
//! text (every piece new) spent most of its time there. The crate's BPE stays the fallback.
//!
//! Only ASCII text is taken (other text returns `false` and goes to the crate): the regex's
//! `\p{L}`, `\p{N}` and `\s` come from regex-syntax's Unicode tables, which this path would
//! otherwise have to mirror. On ASCII, byte, char and UTF-16 offsets coincide.

use std::sync::Mutex;

use serde::Deserialize;

use super::{Crate, Sections, Tokens};
use crate::encoding::OffsetUnit;
use crate::hash::{ByteMap, FxHasher, IdTable};

/// Clear the piece cache when it reaches this many entries (about 50 MB), so a page that
/// tokenizes forever stays bounded; real corpora have far fewer distinct pieces.
const CACHE_LIMIT: usize = 1 << 20;

/// Piece bytes → `(id, start, end)` of each of its tokens, in bytes of the piece.
type PieceCache = ByteMap<Box<[(u32, u32, u32)]>>;

/// A recognised byte-level BPE pipeline.
#[derive(Debug)]
pub struct ByteLevelFast {
    bytes_char: [char; 256],
    cache: Mutex<PieceCache>,
    /// The model's merges, when this path can apply them itself.
    merges: Option<Merges>,
}

/// Pieces longer than this go to the crate's BPE on a miss: `Merges::apply` rescans the piece
/// per merge, which is quick on words but quadratic on a long run without spaces.
const MAX_OWN_MERGE: usize = 128;

/// BPE merges as the crate's `BPE::merge_word` applies them (lowest rank first, then the
/// leftmost pair), for models without a subword prefix, word suffix or byte fallback, whose
/// vocabulary has every byte's character (GPT-2, RoBERTa).
#[derive(Debug)]
struct Merges {
    /// `(left id, right id)` packed in a u64 → `(rank, merged id)`.
    pairs: std::collections::HashMap<u64, (u32, u32), std::hash::BuildHasherDefault<FxHasher>>,
    /// The id of each byte's byte-level character.
    byte_ids: [u32; 256],
}

/// The `ByteLevel` pre-tokenizer.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PreTokenizerEntry {
    #[allow(dead_code)]
    r#type: PreTokenizerTag,
    add_prefix_space: bool,
    #[allow(dead_code)] // the post-processor trims offsets
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

/// The `BPE` model's options and merges (the vocabulary is read by `crate::file`).
#[derive(Deserialize)]
struct ModelEntry {
    #[allow(dead_code)]
    #[serde(default)]
    r#type: Option<BpeTag>,
    #[serde(default)]
    dropout: Option<f32>,
    #[serde(default)]
    continuing_subword_prefix: Option<String>,
    #[serde(default)]
    end_of_word_suffix: Option<String>,
    #[serde(default)]
    byte_fallback: bool,
    #[serde(default)]
    ignore_merges: bool,
    /// `merges` in either format (`"a b"` or `["a", "b"]`).
    merges: Vec<MergeEntry>,
}

#[derive(Deserialize)]
enum BpeTag {
    #[serde(rename = "BPE")]
    Bpe,
}

enum MergeEntry {
    Pair(String, String),
    Line(String),
}

// By hand rather than `#[serde(untagged)]`, which buffers every entry and, on the legacy
// format, builds an error message for each before trying the string: a third of RoBERTa's
// load time.
impl<'de> serde::Deserialize<'de> for MergeEntry {
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
                Ok(MergeEntry::Pair(a, b))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

impl Merges {
    /// Resolve the merges against the vocabulary as `BpeBuilder::build` does, later
    /// duplicates winning. `None` when the model has options this does not implement, or
    /// anything does not resolve.
    fn new(model: ModelEntry, tokens: &[Box<str>], ids: &IdTable, bytes_char: &[char; 256]) -> Option<Self> {
        let token_to_id = |t: &str| ids.get(tokens, t.as_bytes());
        // An empty prefix or suffix (RoBERTa's and GPT-2's files have them) changes nothing.
        let plain = model.continuing_subword_prefix.as_ref().is_none_or(String::is_empty)
            && model.end_of_word_suffix.as_ref().is_none_or(String::is_empty)
            && !model.byte_fallback
            && !model.ignore_merges;
        if !plain {
            return None;
        }
        let mut byte_ids = [0; 256];
        for (b, c) in bytes_char.iter().enumerate() {
            byte_ids[b] = token_to_id(c.encode_utf8(&mut [0; 4]))?;
        }
        let entries = model.merges;
        let mut pairs = std::collections::HashMap::default();
        pairs.reserve(entries.len());
        let mut merged = String::new();
        let mut rank = 0u32;
        for entry in entries {
            let (a, b) = match &entry {
                MergeEntry::Pair(a, b) => (a.as_str(), b.as_str()),
                // The legacy format skips "#version" lines without counting them.
                MergeEntry::Line(line) if line.starts_with("#version") => continue,
                MergeEntry::Line(line) => line.split_once(' ').filter(|(_, b)| !b.contains(' '))?,
            };
            merged.clear();
            merged.push_str(a);
            merged.push_str(b);
            let merged_id = token_to_id(&merged)?;
            pairs.insert(pack(token_to_id(a)?, token_to_id(b)?), (rank, merged_id));
            rank += 1;
        }
        Some(Self { pairs, byte_ids })
    }

    /// The tokens of one piece, as `(id, start, end)` in bytes of the piece.
    fn apply(&self, piece: &[u8]) -> Box<[(u32, u32, u32)]> {
        let mut symbols: Vec<(u32, u32, u32)> =
            piece.iter().enumerate().map(|(i, &b)| (self.byte_ids[usize::from(b)], i as u32, i as u32 + 1)).collect();
        // `pairs[i]`: the merge of symbols i and i + 1, as (rank, merged id); only the pairs
        // around a merge change, so each merge costs two lookups and a scan.
        // (rank u32::MAX: no merge).
        let none = (u32::MAX, 0);
        let pair = |a: &(u32, u32, u32), b: &(u32, u32, u32)| self.pairs.get(&pack(a.0, b.0)).copied().unwrap_or(none);
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
        symbols.into_boxed_slice()
    }
}

#[inline]
fn pack(left: u32, right: u32) -> u64 {
    u64::from(left) << 32 | u64::from(right)
}

const WS: u8 = 0;
const LETTER: u8 = 1;
const NUMBER: u8 = 2;
const OTHER: u8 = 3;

/// The GPT-2 pattern's classes on ASCII: `\s` (Unicode White_Space), `\p{L}`, `\p{N}`, the rest.
const fn class(b: u8) -> u8 {
    match b {
        b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ' => WS,
        b'A'..=b'Z' | b'a'..=b'z' => LETTER,
        b'0'..=b'9' => NUMBER,
        _ => OTHER,
    }
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

/// The GPT-2 pattern
/// `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`
/// as fancy-regex matches it (leftmost alternative first, greedy runs, the lookahead
/// backtracking one whitespace), on ASCII bytes. Calls `piece(start, end)` for each match.
pub fn split_ascii(b: &[u8], mut piece: impl FnMut(usize, usize)) {
    let n = b.len();
    let mut i = 0;
    while i < n {
        let c = b[i];
        let rest = &b[i + 1..];
        let contraction = if c == b'\'' {
            match rest {
                [b's' | b't' | b'm' | b'd', ..] => 2,
                [b'r', b'e', ..] | [b'v', b'e', ..] | [b'l', b'l', ..] => 3,
                _ => 0,
            }
        } else {
            0
        };
        let end = if contraction > 0 {
            i + contraction
        } else {
            // ` ?X+` for X in letters, numbers, other: a space joins the run that follows it.
            let start = if c == b' ' && i + 1 < n && class(b[i + 1]) != WS { i + 1 } else { i };
            let cls = class(b[start]);
            let mut j = start + 1;
            while j < n && class(b[j]) == cls {
                j += 1;
            }
            if cls == WS && j < n && j - i >= 2 {
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

impl ByteLevelFast {
    /// Recognise no normaliser + `ByteLevel` + `BPE` from the file's sections; `tokens` is the
    /// model's vocabulary by id. `None` unless the pre-tokenizer splits with the GPT-2 regex
    /// and adds no prefix space, and the model is deterministic (no dropout), so its results
    /// can be cached.
    pub fn new(sections: &Sections, tokens: &[Box<str>]) -> Option<Self> {
        if sections.normalizer.is_some() {
            return None;
        }
        let pre_tokenizer: PreTokenizerEntry = serde_json::from_str(sections.pre_tokenizer?.get()).ok()?;
        let model: ModelEntry = serde_json::from_str(sections.model.get()).ok()?;
        let deterministic = model.dropout.is_none_or(|p| p == 0.0);
        if pre_tokenizer.add_prefix_space || !pre_tokenizer.use_regex || !deterministic {
            return None;
        }
        let bytes_char = bytes_char();
        let ids = IdTable::new(tokens, 0..tokens.len() as u32, 0);
        let merges = Merges::new(model, tokens, &ids, &bytes_char);
        Some(Self { bytes_char, cache: Mutex::new(ByteMap::default()), merges })
    }

    /// Whether cache misses are merged by [`Merges`] rather than the crate's BPE.
    pub fn merges_itself(&self) -> bool {
        self.merges.is_some()
    }

    /// Tokens of `text` into `out`; `false` when the text needs the crate (which `inner` is,
    /// once built: a cache miss the merges here do not cover needs it).
    pub fn tokenize(&self, inner: Option<&Crate>, text: &str, unit: OffsetUnit, out: &mut Tokens) -> bool {
        if !text.is_ascii() {
            return false;
        }
        let offsets = unit != OffsetUnit::None;
        let bytes = text.as_bytes();
        let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        let mut word = 0i32;
        let mut failed = false;
        split_ascii(bytes, |s, e| {
            if failed {
                return;
            }
            let key = &bytes[s..e];
            let mut emit = |tokens: &[(u32, u32, u32)]| {
                for &(id, a, b) in tokens {
                    let span = if offsets { (s + a as usize, s + b as usize) } else { (0, 0) };
                    out.push(id, span, word);
                }
            };
            if let Some(tokens) = cache.get(key) {
                emit(tokens);
            } else {
                let Some(tokens) = self.bpe(inner, key) else {
                    failed = true;
                    return;
                };
                emit(&tokens);
                if cache.len() >= CACHE_LIMIT {
                    cache.clear();
                }
                cache.insert(Box::from(key), tokens);
            }
            word += 1;
        });
        !failed
    }

    /// The tokens of one piece: merged here, or by the crate's BPE (`None` when that is
    /// needed and not built), offsets turned from the byte-level string's bytes into the
    /// piece's bytes (one ASCII byte per byte-level character).
    fn bpe(&self, inner: Option<&Crate>, piece: &[u8]) -> Option<Box<[(u32, u32, u32)]>> {
        if let Some(merges) = self.merges.as_ref().filter(|_| piece.len() <= MAX_OWN_MERGE) {
            return Some(merges.apply(piece));
        }
        self.crate_bpe(inner?, piece)
    }

    #[cfg(feature = "full")]
    fn crate_bpe(&self, inner: &Crate, piece: &[u8]) -> Option<Box<[(u32, u32, u32)]>> {
        use tokenizers::Model;
        let tokenizers::ModelWrapper::BPE(model) = inner.get_model() else { return None };
        let mut mapped = String::with_capacity(piece.len() * 2);
        let mut at = vec![0u32; piece.len() * 2 + 1];
        for (k, &b) in piece.iter().enumerate() {
            at[mapped.len()] = k as u32;
            mapped.push(self.bytes_char[usize::from(b)]);
        }
        at[mapped.len()] = piece.len() as u32;
        let tokens = model.tokenize(&mapped).ok()?;
        Some(tokens.iter().map(|t| (t.id, at[t.offsets.0], at[t.offsets.1])).collect())
    }

    #[cfg(not(feature = "full"))]
    fn crate_bpe(&self, inner: &Crate, _: &[u8]) -> Option<Box<[(u32, u32, u32)]>> {
        match *inner {}
    }
}
