//! The `Unigram` model (SentencePiece) as the `tokenizers` crate runs it: `encode_optimized`'s
//! Viterbi over the vocabulary's prefixes, unknown characters fused, token ids looked up by the
//! resulting strings, byte fallback.
//!
//! The crate's trie is a tree of hash maps (a hash per byte) that returns each matching prefix as
//! a fresh `Vec`, which is then turned into a `String` and looked up in a second map. Here the
//! trie's edges live in one open-addressing table keyed by (node, byte), and each node holds
//! the id its string has in the crate's `token_to_ids` (the last of duplicates).

use std::borrow::Cow;

/// `tokenizers::models::unigram::model::K_UNK_PENALTY`.
const UNK_PENALTY: f64 = 10.0;

const NONE: u32 = u32::MAX;

/// A recognised Unigram model.
#[derive(Debug)]
pub struct UnigramModel {
    /// Score of each piece, by id.
    scores: Vec<f64>,
    trie: Trie,
    unk: u32,
    /// `min score - 10`, the score of an unknown character.
    unk_score: f64,
    byte_fallback: bool,
    /// The id of `<0xXX>` for each byte, when byte fallback is on and the piece exists.
    byte_ids: [u32; 256],
}

/// The JSON of a Unigram model; any other field is refused.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Spec<'a> {
    #[serde(rename = "type", default, borrow)]
    kind: Option<Cow<'a, str>>,
    #[serde(borrow)]
    vocab: Vec<Piece<'a>>,
    unk_id: Option<usize>,
    #[serde(default)]
    byte_fallback: bool,
}

#[derive(serde::Deserialize)]
struct Piece<'a>(#[serde(borrow)] Cow<'a, str>, f64);

/// The vocabulary's prefixes as a trie: node 0 is the root, edges are hashed.
#[derive(Debug)]
struct Trie {
    /// `(key, child)`; key `node << 8 | byte`, never 0 (the root's edges are in `root`), 0 for
    /// an empty slot. 8 bytes a slot: T5's 83,000 edges fit in 2 MB.
    edges: Vec<(u32, u32)>,
    /// log2 of `edges.len()`.
    bits: u32,
    /// The root's children by byte (the first step of every search).
    root: [u32; 256],
    /// The id of each node's string (`NONE`: not a piece).
    ids: Vec<u32>,
}

/// Nodes are numbered in 24 bits, so that a key fits in 32.
const MAX_NODES: usize = 1 << 24;

impl Trie {
    fn new(pieces: usize) -> Self {
        let bits = (pieces * 6).next_power_of_two().max(1024).trailing_zeros();
        Self { edges: vec![(0, 0); 1 << bits], bits, root: [NONE; 256], ids: vec![NONE] }
    }

    /// Fibonacci hashing: the multiply's high bits are the best mixed.
    #[inline]
    fn slot(&self, key: u32) -> usize {
        (key.wrapping_mul(0x9E37_79B9) >> (32 - self.bits)) as usize
    }

    #[inline]
    fn child(&self, node: u32, byte: u8) -> u32 {
        if node == 0 {
            return self.root[usize::from(byte)];
        }
        let key = node << 8 | u32::from(byte);
        let mask = self.edges.len() - 1;
        let mut i = self.slot(key);
        loop {
            let (k, child) = self.edges[i];
            if k == key {
                return child;
            }
            if k == 0 {
                return NONE;
            }
            i = (i + 1) & mask;
        }
    }

    fn place(&mut self, key: u32, child: u32) {
        let mask = self.edges.len() - 1;
        let mut i = self.slot(key);
        while self.edges[i].0 != 0 {
            i = (i + 1) & mask;
        }
        self.edges[i] = (key, child);
    }

    /// `None` when the trie would need more than [`MAX_NODES`] nodes.
    fn insert(&mut self, piece: &[u8], id: u32) -> Option<()> {
        let mut node = 0u32;
        for &byte in piece {
            let next = self.child(node, byte);
            node = if next != NONE {
                next
            } else {
                let new = u32::try_from(self.ids.len()).ok().filter(|&n| (n as usize) < MAX_NODES)?;
                self.ids.push(NONE);
                if node == 0 {
                    self.root[usize::from(byte)] = new;
                } else {
                    // At most half full, so that probes stay short.
                    if self.ids.len() * 2 > self.edges.len() {
                        self.grow();
                    }
                    self.place(node << 8 | u32::from(byte), new);
                }
                new
            };
        }
        // Later duplicates win, as in the crate's `token_to_ids`.
        self.ids[node as usize] = id;
        Some(())
    }

    fn grow(&mut self) {
        let size = self.edges.len() * 2;
        let old = std::mem::replace(&mut self.edges, vec![(0, 0); size]);
        self.bits += 1;
        for (key, child) in old.into_iter().filter(|e| e.0 != 0) {
            self.place(key, child);
        }
    }

    /// The id of exactly `piece`.
    fn get(&self, piece: &[u8]) -> Option<u32> {
        let mut node = 0;
        for &byte in piece {
            node = self.child(node, byte);
            if node == NONE {
                return None;
            }
        }
        Some(self.ids[node as usize]).filter(|&id| id != NONE && !piece.is_empty())
    }
}

/// A node of the best-path table: the best path ending at a position.
#[derive(Debug, Clone, Copy)]
struct Best {
    score: f64,
    /// Where its last token starts (`NONE`: no path yet).
    start: u32,
    id: u32,
}

/// Reusable buffers of [`UnigramModel::encode`].
#[derive(Debug, Default)]
pub struct Lattice {
    best: Vec<Best>,
    path: Vec<(u32, u32, u32)>,
}

impl UnigramModel {
    /// The model of a tokenizer.json's `model` section. `None` unless it is a Unigram the
    /// crate loads (a vocabulary, an `unk_id` inside it) and this module covers: an `unk_id`
    /// is required (without one the crate's Viterbi reads unreached positions).
    pub fn from_json(json: &str) -> Option<Self> {
        let spec: Spec = serde_json::from_str(json).ok()?;
        if spec.kind.as_deref().is_some_and(|k| k != "Unigram") {
            return None;
        }
        let n = spec.vocab.len();
        let unk = spec.unk_id.filter(|&u| u < n)?;
        let mut trie = Trie::new(n);
        let mut scores = Vec::with_capacity(n);
        let mut min_score = f64::INFINITY;
        for (id, Piece(piece, score)) in spec.vocab.iter().enumerate() {
            trie.insert(piece.as_bytes(), u32::try_from(id).ok()?)?;
            scores.push(*score);
            if *score < min_score {
                min_score = *score;
            }
        }
        let mut byte_ids = [NONE; 256];
        if spec.byte_fallback {
            for (b, slot) in byte_ids.iter_mut().enumerate() {
                *slot = trie.get(format!("<0x{b:02X}>").as_bytes()).unwrap_or(NONE);
            }
        }
        Some(Self {
            scores,
            trie,
            unk: unk as u32,
            unk_score: min_score - UNK_PENALTY,
            byte_fallback: spec.byte_fallback,
            byte_ids,
        })
    }

    /// The id of the unknown token.
    pub fn unk(&self) -> u32 {
        self.unk
    }

    /// The tokens of one pre-tokenized piece, as `(id, start, end)` in bytes of `piece`, into
    /// `out` (appended), as the crate's `Unigram::tokenize`.
    pub fn encode(&self, piece: &str, lattice: &mut Lattice, out: &mut Vec<(u32, u32, u32)>) {
        let bytes = piece.as_bytes();
        let size = bytes.len();
        if size == 0 {
            return;
        }
        let best = &mut lattice.best;
        best.clear();
        best.resize(size + 1, Best { score: 0.0, start: NONE, id: 0 });
        let mut start = 0;
        while start < size {
            let base = best[start].score;
            let char_len = utf8_len(bytes[start]);
            let mut has_single = false;
            let mut node = 0;
            for (k, &byte) in bytes[start..].iter().enumerate() {
                node = self.trie.child(node, byte);
                if node == NONE {
                    break;
                }
                let id = self.trie.ids[node as usize];
                if id == NONE {
                    continue;
                }
                let end = start + k + 1;
                let candidate = self.scores[id as usize] + base;
                let target = &mut best[end];
                if target.start == NONE || candidate > target.score {
                    *target = Best { score: candidate, start: start as u32, id };
                }
                has_single |= k + 1 == char_len;
            }
            if !has_single {
                let target = &mut best[start + char_len];
                let candidate = self.unk_score + base;
                if target.start == NONE || candidate > target.score {
                    *target = Best { score: candidate, start: start as u32, id: self.unk };
                }
            }
            start += char_len;
        }
        // Back from the end, unknown tokens next to each other fused into one.
        let path = &mut lattice.path;
        path.clear();
        let mut end = size;
        while end > 0 {
            let node = best[end];
            let start = node.start as usize;
            match path.last_mut() {
                Some(last) if node.id == self.unk && last.0 == self.unk && last.1 as usize == end => {
                    last.1 = start as u32;
                }
                _ => path.push((node.id, start as u32, end as u32)),
            }
            end = start;
        }
        for &(id, start, end) in path.iter().rev() {
            if id != self.unk {
                out.push((id, start, end));
                continue;
            }
            // The crate looks the fused string up again: it may be a piece after all.
            let text = &bytes[start as usize..end as usize];
            if let Some(id) = self.trie.get(text) {
                out.push((id, start, end));
            } else if self.byte_fallback && text.iter().all(|&b| self.byte_ids[usize::from(b)] != NONE) {
                out.extend(text.iter().map(|&b| (self.byte_ids[usize::from(b)], start, end)));
            } else {
                out.push((self.unk, start, end));
            }
        }
    }
}

/// The length of the UTF-8 character that starts with `lead`.
#[inline]
fn utf8_len(lead: u8) -> usize {
    match lead {
        0..=0x7F => 1,
        0xC0..=0xDF => 2,
        0xE0..=0xEF => 3,
        _ => 4,
    }
}

// These compare with the tokenizers crate, which the lite build does not have.
#[cfg(all(test, feature = "full"))]
mod tests {
    use super::*;
    use tokenizers::Model;

    fn both(vocab: &[(&str, f64)], unk: usize, byte_fallback: bool, texts: &[&str]) {
        let pieces: Vec<(String, f64)> = vocab.iter().map(|&(p, s)| (p.to_owned(), s)).collect();
        let json =
            serde_json::json!({"type": "Unigram", "unk_id": unk, "vocab": pieces, "byte_fallback": byte_fallback});
        let ours = UnigramModel::from_json(&json.to_string()).unwrap();
        let theirs = tokenizers::models::unigram::Unigram::from(pieces, Some(unk), byte_fallback).unwrap();
        let mut lattice = Lattice::default();
        for text in texts {
            let mut out = Vec::new();
            ours.encode(text, &mut lattice, &mut out);
            let expected: Vec<(u32, u32, u32)> =
                theirs.tokenize(text).unwrap().iter().map(|t| (t.id, t.offsets.0 as u32, t.offsets.1 as u32)).collect();
            assert_eq!(out, expected, "{text:?}");
        }
    }

    #[test]
    fn viterbi_equals_the_crate() {
        let vocab = [
            ("<unk>", 0.0),
            ("a", -1.0),
            ("b", -1.0),
            ("ab", -1.5),
            ("abc", -2.5),
            ("c", -2.0),
            ("é", -1.0),
            ("a", -0.5),
        ];
        both(&vocab, 0, false, &["", "abcab", "xyz", "axyzb", "éé", "xéx", "abcabcd", "<unk>", "a<unk>x"]);
    }

    #[test]
    fn fused_unknowns_found_in_the_vocabulary_take_their_id() {
        // Scores so high that two unknowns beat the piece "xy" itself.
        let vocab = [("<unk>", 100.0), ("xy", 100.0), ("a", 100.0)];
        both(&vocab, 0, false, &["xy", "axya", "xyz"]);
    }

    #[test]
    fn byte_fallback_equals_the_crate() {
        let mut vocab = vec![("<unk>".to_owned(), 0.0), ("a".to_owned(), -1.0)];
        vocab.extend((0..=255u8).filter(|b| *b != 0xA9).map(|b| (format!("<0x{b:02X}>"), -5.0)));
        let vocab: Vec<(&str, f64)> = vocab.iter().map(|(p, s)| (p.as_str(), *s)).collect();
        both(&vocab, 0, true, &["aéa", "x", "a©", "éé"]);
    }

    #[test]
    fn malformed_models_are_refused() {
        for json in [
            r#"{"vocab": [["a", 0.0]], "unk_id": 1}"#,
            r#"{"vocab": [["a", 0.0]], "unk_id": null}"#,
            r#"{"vocab": [["a", 0.0]]}"#,
            r#"{"type": "BPE", "vocab": [["a", 0.0]], "unk_id": 0}"#,
            r#"{"vocab": [["a", 0.0]], "unk_id": 0, "alpha": 0.1}"#,
            r#"{"vocab": [["a", 0.0, 1]], "unk_id": 0}"#,
        ] {
            assert!(UnigramModel::from_json(json).is_none(), "{json}");
        }
        assert!(UnigramModel::from_json(r#"{"vocab": [["a", 0.0]], "unk_id": 0}"#).is_some());
    }
}
