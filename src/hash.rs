//! A byte-keyed hash map with the Fx hash (rustc's): a multiply and a rotate per 8 bytes, no
//! random state, and lookups by `&[u8]` without building a key.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// `HashMap` from byte strings, hashed with [`FxHasher`].
#[cfg_attr(not(feature = "full"), allow(dead_code))] // the byte-level path
pub type ByteMap<V> = HashMap<Box<[u8]>, V, BuildHasherDefault<FxHasher>>;

/// The Fx hash: fast on short keys, not DoS-resistant (keys here are vocabulary entries and
/// pieces of the user's own text).
#[derive(Default, Clone, Copy)]
pub struct FxHasher {
    hash: u64,
}

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, mut bytes: &[u8]) {
        while bytes.len() >= 8 {
            self.add(u64::from_le_bytes(bytes[..8].try_into().unwrap()));
            bytes = &bytes[8..];
        }
        if bytes.len() >= 4 {
            self.add(u64::from(u32::from_le_bytes(bytes[..4].try_into().unwrap())));
            bytes = &bytes[4..];
        }
        for &b in bytes {
            self.add(u64::from(b));
        }
    }

    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    #[inline]
    fn finish(&self) -> u64 {
        self.hash
    }
}

/// The Fx hash of a byte string.
#[inline]
pub fn fx(bytes: &[u8]) -> u64 {
    let mut h = FxHasher::default();
    h.write(bytes);
    h.finish()
}

/// A set of vocabulary entries, stored as their ids: an open-addressing table over the
/// model's token strings (`tokens[id]`), compared from byte `skip` on (to look continuation
/// pieces up without their prefix). Building it allocates two vectors, not a key per entry,
/// which keeps loading a tokenizer cheap. Each slot keeps 32 bits of its key's hash beside
/// the id, so a probe reads the token string (elsewhere in memory) only when those agree:
/// longest-match WordPiece probes mostly miss, and comparing strings on every miss was half
/// of this path's time.
#[derive(Debug)]
pub struct IdTable {
    slots: Vec<(u32, u32)>,
    mask: usize,
    skip: usize,
    /// The longest key, in bytes.
    pub longest: usize,
}

const EMPTY: u32 = u32::MAX;

impl IdTable {
    /// A table of `ids`, keyed by `tokens[id][skip..]`. Duplicate keys keep the first id.
    pub fn new(tokens: &[Box<str>], ids: impl ExactSizeIterator<Item = u32>, skip: usize) -> Self {
        let size = (ids.len() * 2).next_power_of_two().max(16);
        let mut table = Self { slots: vec![(EMPTY, 0); size], mask: size - 1, skip, longest: 0 };
        for id in ids {
            let key = &tokens[id as usize].as_bytes()[skip..];
            if table.get(tokens, key).is_some() {
                continue;
            }
            table.longest = table.longest.max(key.len());
            let hash = fx(key);
            let mut i = hash as usize & table.mask;
            while table.slots[i].0 != EMPTY {
                i = (i + 1) & table.mask;
            }
            table.slots[i] = (id, tag(hash));
        }
        table
    }

    /// The id whose key is `key`.
    #[inline]
    pub fn get(&self, tokens: &[Box<str>], key: &[u8]) -> Option<u32> {
        let hash = fx(key);
        let mut i = hash as usize & self.mask;
        loop {
            let (id, slot_tag) = self.slots[i];
            if id == EMPTY {
                return None;
            }
            if slot_tag == tag(hash) && tokens[id as usize].as_bytes().get(self.skip..).is_some_and(|t| same(t, key)) {
                return Some(id);
            }
            i = (i + 1) & self.mask;
        }
    }
}

/// `a == b` for the short keys of a vocabulary, eight bytes at a time: slice equality calls
/// `memcmp`, which compiled to WebAssembly is a byte loop behind a call (6% of a BERT encode).
#[inline]
fn same(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let mut a_words = a.chunks_exact(8);
    let mut b_words = b.chunks_exact(8);
    let word = |w: &[u8]| u64::from_le_bytes(w.try_into().unwrap());
    a_words.by_ref().zip(b_words.by_ref()).all(|(x, y)| word(x) == word(y))
        && a_words.remainder().iter().zip(b_words.remainder()).all(|(x, y)| x == y)
}

/// The hash bits a slot keeps: the high half, which the slot index (the low bits) does not use.
#[inline]
fn tag(hash: u64) -> u32 {
    (hash >> 32) as u32
}

#[cfg(test)]
mod tests {
    use super::same;

    #[test]
    fn same_is_slice_equality() {
        let text: Vec<u8> = (0..40u8).map(|i| b'a' + i % 7).collect();
        for a in 0..20 {
            for b in 0..20 {
                for len_a in 0..20 {
                    let x = &text[a..a + len_a];
                    let y = &text[b..b + len_a.min(19)];
                    assert_eq!(same(x, y), x == y, "{x:?} {y:?}");
                }
            }
        }
    }
}
