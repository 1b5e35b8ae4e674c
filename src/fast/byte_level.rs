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
//! Only ASCII text is taken (other text returns `false` and goes to the crate): the regex's
//! `\p{L}`, `\p{N}` and `\s` come from regex-syntax's Unicode tables, which this path would
//! otherwise have to mirror. On ASCII, byte, char and UTF-16 offsets coincide.

use std::sync::Mutex;

use tokenizers::models::bpe::BPE;
use tokenizers::pre_tokenizers::byte_level::ByteLevel;
use tokenizers::{Model, ModelWrapper, Tokenizer as HfTokenizer};

use super::hash::ByteMap;
use super::Tokens;
use crate::tokenize::OffsetUnit;

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
    /// `None` unless the pre-tokenizer splits with the GPT-2 regex and adds no prefix space,
    /// and the model is deterministic (no dropout), so its results can be cached.
    pub fn new(pre_tokenizer: &ByteLevel, model: &BPE) -> Option<Self> {
        let deterministic = model.dropout.is_none_or(|p| p == 0.0);
        if pre_tokenizer.add_prefix_space || !pre_tokenizer.use_regex || !deterministic {
            return None;
        }
        Some(Self { bytes_char: bytes_char(), cache: Mutex::new(ByteMap::default()) })
    }

    /// Tokens of `text` into `out`; `false` when the text needs the crate.
    pub fn tokenize(&self, inner: &HfTokenizer, text: &str, unit: OffsetUnit, out: &mut Tokens) -> bool {
        let ModelWrapper::BPE(model) = inner.get_model() else { return false };
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
            if !cache.contains_key(key) {
                let Some(tokens) = self.bpe(model, key) else {
                    failed = true;
                    return;
                };
                if cache.len() >= CACHE_LIMIT {
                    cache.clear();
                }
                cache.insert(Box::from(key), tokens);
            }
            for &(id, a, b) in cache[key].iter() {
                let span = if offsets { (s + a as usize, s + b as usize) } else { (0, 0) };
                out.push(id, span, word);
            }
            word += 1;
        });
        !failed
    }

    /// The crate's BPE on one piece, offsets turned from the byte-level string's bytes into
    /// the piece's bytes (one ASCII byte per byte-level character).
    fn bpe(&self, model: &BPE, piece: &[u8]) -> Option<Box<[(u32, u32, u32)]>> {
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
}
