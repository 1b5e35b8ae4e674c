//! SentencePiece BPE as Llama and Mistral files write it: the normaliser
//! `Sequence[Prepend("▁"), Replace(" " → "▁")]`, no pre-tokenizer, and `BPE` over the whole
//! normalised text (mistral-7b-v0.1).
//!
//! The normaliser maps every input character to one output character (a space to "▁") and puts
//! one "▁" before the first, aligned to that first character, so offsets are a table lookup.
//! The merges are the crate's `Word::merge_all`: a heap of adjacent pairs by rank, then
//! position, with stale entries skipped. A character outside the vocabulary (which the crate
//! turns into `<0xNN>` byte tokens, or the unknown token, fused or not) is handled as the crate
//! does; each byte token's offsets cover its whole character, which is where the crate's byte
//! offsets map back to.

use std::cmp::Ordering;
use std::collections::{BinaryHeap, HashMap};

use serde::Deserialize;

use super::{Sections, Tokens};
use crate::encoding::OffsetUnit;
use crate::hash::IdTable;

const SPACE: char = '▁';

/// A recognised pipeline.
#[derive(Debug)]
pub struct SentencePieceBpe {
    /// The id of each single-character ASCII token (`u32::MAX`: none), then of the others.
    ascii: [u32; 128],
    chars: FxMap<char, u32>,
    /// `<0xNN>` by byte, when `byte_fallback` is on and the vocabulary has all 256.
    bytes: Option<Box<[u32; 256]>>,
    /// The unknown token and whether consecutive unknown characters fuse into one.
    unk: Option<u32>,
    fuse_unk: bool,
    /// `(left id, right id)` → `(rank, merged id)`, keyed `left << 32 | right`.
    merges: FxMap<u64, (u32, u32)>,
}

type FxMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<crate::hash::FxHasher>>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NormalizerEntry {
    #[allow(dead_code)]
    r#type: SequenceTag,
    normalizers: (PrependEntry, ReplaceEntry),
}

#[derive(Deserialize)]
enum SequenceTag {
    Sequence,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PrependEntry {
    #[allow(dead_code)]
    r#type: PrependTag,
    prepend: String,
}

#[derive(Deserialize)]
enum PrependTag {
    Prepend,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReplaceEntry {
    #[allow(dead_code)]
    r#type: ReplaceTag,
    pattern: PatternEntry,
    content: String,
}

#[derive(Deserialize)]
enum ReplaceTag {
    Replace,
}

#[derive(Deserialize)]
enum PatternEntry {
    String(String),
}

/// `BPE` with the options this path implements (anything else: no fast path).
#[derive(Deserialize)]
struct ModelEntry<'a> {
    #[allow(dead_code)]
    r#type: BpeTag,
    dropout: Option<f32>,
    unk_token: Option<String>,
    continuing_subword_prefix: Option<String>,
    end_of_word_suffix: Option<String>,
    fuse_unk: bool,
    byte_fallback: bool,
    #[serde(default)]
    ignore_merges: bool,
    #[serde(borrow)]
    merges: Vec<MergeEntry<'a>>,
}

#[derive(Deserialize)]
enum BpeTag {
    #[serde(rename = "BPE")]
    Bpe,
}

/// A merge, written `"a b"` or `["a", "b"]`.
#[derive(Deserialize)]
#[serde(untagged)]
enum MergeEntry<'a> {
    Pair(std::borrow::Cow<'a, str>, std::borrow::Cow<'a, str>),
    Joined(std::borrow::Cow<'a, str>),
}

impl SentencePieceBpe {
    /// Recognise the pipeline; `tokens` is the model's vocabulary by id.
    pub fn new(sections: &Sections, tokens: &[Box<str>]) -> Option<Self> {
        if sections.pre_tokenizer.is_some() {
            return None;
        }
        let normalizer: NormalizerEntry = serde_json::from_str(sections.normalizer?.get()).ok()?;
        let (prepend, replace) = normalizer.normalizers;
        let PatternEntry::String(pattern) = replace.pattern;
        if prepend.prepend != SPACE.to_string() || pattern != " " || replace.content != SPACE.to_string() {
            return None;
        }
        let model: ModelEntry = serde_json::from_str(sections.model.get()).ok()?;
        let plain = model.dropout.is_none_or(|d| d == 0.0)
            && model.continuing_subword_prefix.is_none()
            && model.end_of_word_suffix.is_none()
            && !model.ignore_merges;
        if !plain {
            return None;
        }
        let ids = IdTable::new(tokens, 0..tokens.len() as u32, 0);
        // The crate errors when the unknown token is not in the vocabulary: leave that to it.
        let unk = match &model.unk_token {
            Some(unk) => Some(ids.get(tokens, unk.as_bytes())?),
            None => None,
        };
        // The crate falls back per character, and only when every byte has its token; a file
        // with some byte tokens missing is left to it.
        let bytes = if model.byte_fallback {
            let table: Option<Vec<u32>> =
                (0..=255u8).map(|b| ids.get(tokens, format!("<{b:#04X}>").as_bytes())).collect();
            Some(Box::new(<[u32; 256]>::try_from(table?).ok()?))
        } else {
            None
        };
        let mut chars = FxMap::default();
        let mut ascii = [u32::MAX; 128];
        for (id, token) in tokens.iter().enumerate() {
            let mut it = token.chars();
            if let (Some(c), None) = (it.next(), it.next()) {
                chars.entry(c).or_insert(id as u32);
            }
        }
        for (c, id) in &chars {
            if c.is_ascii() {
                ascii[*c as usize] = *id;
            }
        }
        let mut merges = HashMap::default();
        merges.reserve(model.merges.len());
        let mut joined = String::new();
        for (rank, entry) in model.merges.iter().enumerate() {
            let (a, b) = match entry {
                MergeEntry::Pair(a, b) => (&**a, &**b),
                MergeEntry::Joined(s) => s.split_once(' ')?,
            };
            // As the crate's builder: both parts and their concatenation must be tokens.
            let left = ids.get(tokens, a.as_bytes())?;
            let right = ids.get(tokens, b.as_bytes())?;
            joined.clear();
            joined.push_str(a);
            joined.push_str(b);
            let merged = ids.get(tokens, joined.as_bytes())?;
            merges.insert(u64::from(left) << 32 | u64::from(right), (rank as u32, merged));
        }
        Some(Self { ascii, chars, bytes, unk, fuse_unk: model.fuse_unk, merges })
    }

    /// Tokens of `text` into `out`; `false` when the text needs the crate.
    pub fn tokenize(&self, text: &str, unit: OffsetUnit, out: &mut Tokens) -> bool {
        if text.is_empty() {
            return true;
        }
        // The normalised text is "▁" then each input char (a space as "▁"): normalised char k
        // is input char max(k - 1, 0). One symbol per normalised char, as the crate's
        // `merge_word` makes them: the char's token, else its `<0xNN>` byte tokens (each covering
        // the whole char, as the crate's byte offsets map back), else the unknown token.
        thread_local!(static SCRATCH: std::cell::RefCell<(Vec<Symbol>, BinaryHeap<Merge>)> = Default::default());
        SCRATCH.with(|scratch| {
            let (symbols, queue) = &mut *scratch.borrow_mut();
            symbols.clear();
            queue.clear();
            self.tokenize_with(text, unit, out, symbols, queue)
        })
    }

    fn tokenize_with(
        &self,
        text: &str,
        unit: OffsetUnit,
        out: &mut Tokens,
        symbols: &mut Vec<Symbol>,
        queue: &mut BinaryHeap<Merge>,
    ) -> bool {
        let mut unknown: Option<(usize, usize)> = None;
        let normalised = std::iter::once(SPACE).chain(text.chars().map(|c| if c == ' ' { SPACE } else { c }));
        for (k, c) in normalised.enumerate() {
            let input = k.saturating_sub(1);
            let id = if c.is_ascii() {
                Some(self.ascii[c as usize]).filter(|&id| id != u32::MAX)
            } else {
                self.chars.get(&c).copied()
            };
            if let Some(id) = id {
                if let (Some((first, last)), Some(unk)) = (unknown.take(), self.unk) {
                    push(symbols, unk, first, last);
                }
                push(symbols, id, input, input);
                continue;
            }
            if let Some(bytes) = &self.bytes {
                if let (Some((first, last)), Some(unk)) = (unknown.take(), self.unk) {
                    push(symbols, unk, first, last);
                }
                let mut buf = [0u8; 4];
                for &b in c.encode_utf8(&mut buf).as_bytes() {
                    push(symbols, bytes[usize::from(b)], input, input);
                }
                continue;
            }
            if self.unk.is_some() {
                unknown = match unknown {
                    Some((first, _)) if self.fuse_unk => Some((first, input)),
                    Some((first, last)) => {
                        push(symbols, self.unk.unwrap_or_default(), first, last);
                        Some((input, input))
                    }
                    None => Some((input, input)),
                };
            }
        }
        if let (Some((first, last)), Some(unk)) = (unknown, self.unk) {
            push(symbols, unk, first, last);
        }
        if let Some(last) = symbols.last_mut() {
            last.next = -1;
        }
        self.merge_all(symbols, queue);
        let starts = unit_starts(text, unit);
        for s in symbols.iter().filter(|s| s.alive) {
            let span = match &starts {
                Some(starts) => (starts[s.first], starts[s.last + 1]),
                None => (0, 0),
            };
            out.push(s.id, span, 0);
        }
        true
    }

    /// The crate's `Word::merge_all` without dropout.
    fn merge_all(&self, symbols: &mut [Symbol], queue: &mut BinaryHeap<Merge>) {
        let pair = |a: u32, b: u32| self.merges.get(&(u64::from(a) << 32 | u64::from(b))).copied();
        queue.extend(
            symbols
                .windows(2)
                .enumerate()
                .filter_map(|(pos, w)| pair(w[0].id, w[1].id).map(|(rank, new_id)| Merge { pos, rank, new_id })),
        );
        while let Some(top) = queue.pop() {
            if !symbols[top.pos].alive || symbols[top.pos].next == -1 {
                continue;
            }
            let next_pos = symbols[top.pos].next as usize;
            let right = symbols[next_pos];
            if pair(symbols[top.pos].id, right.id).is_none_or(|(_, id)| id != top.new_id) {
                continue;
            }
            symbols[top.pos].id = top.new_id;
            symbols[top.pos].last = right.last;
            symbols[top.pos].next = right.next;
            symbols[next_pos].alive = false;
            if right.next > -1 && (right.next as usize) < symbols.len() {
                symbols[right.next as usize].prev = top.pos as isize;
            }
            let current = symbols[top.pos];
            if current.prev >= 0 {
                let prev = current.prev as usize;
                if let Some((rank, new_id)) = pair(symbols[prev].id, current.id) {
                    queue.push(Merge { pos: prev, rank, new_id });
                }
            }
            let next = current.next as usize;
            if current.next >= 0 && next < symbols.len() {
                if let Some((rank, new_id)) = pair(current.id, symbols[next].id) {
                    queue.push(Merge { pos: top.pos, rank, new_id });
                }
            }
        }
    }
}

/// Where each input character starts in `unit`, plus the end: `None` for no offsets.
fn unit_starts(text: &str, unit: OffsetUnit) -> Option<Vec<usize>> {
    let mut starts = Vec::with_capacity(text.len() + 1);
    let mut at = 0;
    for c in text.chars() {
        starts.push(at);
        at += match unit {
            OffsetUnit::Byte => c.len_utf8(),
            OffsetUnit::Char => 1,
            OffsetUnit::Utf16 => c.len_utf16(),
            OffsetUnit::None => return None,
        };
    }
    starts.push(at);
    Some(starts)
}

#[derive(Debug, Clone, Copy)]
struct Symbol {
    id: u32,
    prev: isize,
    next: isize,
    /// The input characters it covers, first and last.
    first: usize,
    last: usize,
    /// False once merged into its left neighbour.
    alive: bool,
}

/// Append a symbol linked to the previous one (the last one's `next` is fixed afterwards).
fn push(symbols: &mut Vec<Symbol>, id: u32, first: usize, last: usize) {
    let at = symbols.len() as isize;
    symbols.push(Symbol { id, prev: at - 1, next: at + 1, first, last, alive: true });
}

/// A candidate merge: the lowest rank first, then the leftmost (the crate's order).
#[derive(Debug, PartialEq, Eq)]
struct Merge {
    pos: usize,
    rank: u32,
    new_id: u32,
}

impl Ord for Merge {
    fn cmp(&self, other: &Self) -> Ordering {
        other.rank.cmp(&self.rank).then_with(|| other.pos.cmp(&self.pos))
    }
}

impl PartialOrd for Merge {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
