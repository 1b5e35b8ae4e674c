//! SentencePiece pipelines (T5, mT5, XLM-R, ALBERT, DeBERTa-v3): a normaliser built around a
//! `Precompiled` charsmap ([`spm_normalizer`](super::spm_normalizer)), the `Metaspace`
//! pre-tokenizer (alone, or after `WhitespaceSplit`) and the `Unigram` model
//! ([`unigram_model`](super::unigram_model)), built from the tokenizer.json's sections alone.
//!
//! The crate normalises into a `NormalizedString` (per-byte alignments, a transformation list
//! per pass), slices it into one `NormalizedString` per split, and runs the model on each split
//! through a cache of strings. Here the text is normalised once into characters with their
//! alignments, each split is cut from it without copying alignments, and each split's tokens
//! are cached without a cap, keyed by the split's bytes: the model sees every split on its own
//! (the crate's `Unigram::tokenize` per split), so a split's tokens never depend on its
//! neighbours.

use std::sync::Mutex;

use super::spm_normalizer::{Normalized, Normalizer};
use super::unigram_model::{Lattice, UnigramModel};
use super::{Sections, Tokens};
use crate::encoding::OffsetUnit;
use crate::hash::ByteMap;

/// Clear the split cache when it reaches this many entries, so a page that tokenizes forever
/// stays bounded; real corpora have far fewer distinct words.
const CACHE_LIMIT: usize = 1 << 20;

/// Split bytes → `(id, start, end)` of each of its tokens, in bytes of the split.
type SplitCache = ByteMap<Box<[(u32, u32, u32)]>>;

/// A recognised SentencePiece Unigram pipeline.
#[derive(Debug)]
pub struct UnigramFast {
    normalizer: Normalizer,
    pre_tokenizer: Metaspace,
    model: UnigramModel,
    cache: Mutex<SplitCache>,
}

/// `Metaspace`, with whether a `WhitespaceSplit` runs before it.
#[derive(Debug, Clone, Copy)]
struct Metaspace {
    whitespace_split: bool,
    replacement: char,
    prepend: Prepend,
    split: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
enum Prepend {
    Always,
    First,
    Never,
}

/// The JSON of the pre-tokenizers this path implements; any other field or type is refused.
#[derive(serde::Deserialize)]
#[serde(tag = "type", deny_unknown_fields)]
enum PreTokenizerSpec {
    Sequence { pretokenizers: Vec<PreTokenizerSpec> },
    WhitespaceSplit,
    Metaspace(MetaspaceSpec),
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct MetaspaceSpec {
    replacement: char,
    /// Ignored by the crate (it rebuilds it from `replacement`).
    #[serde(default)]
    #[allow(dead_code)]
    str_rep: Option<String>,
    #[serde(default)]
    add_prefix_space: Option<bool>,
    #[serde(default)]
    prepend_scheme: Option<Prepend>,
    #[serde(default)]
    split: Option<bool>,
}

impl Metaspace {
    fn from_json(json: &str) -> Option<Self> {
        let (whitespace_split, metaspace) = match serde_json::from_str(json).ok()? {
            PreTokenizerSpec::Metaspace(m) => (false, m),
            PreTokenizerSpec::Sequence { pretokenizers } => match <[_; 2]>::try_from(pretokenizers).ok()? {
                [PreTokenizerSpec::WhitespaceSplit, PreTokenizerSpec::Metaspace(m)] => (true, m),
                _ => return None,
            },
            PreTokenizerSpec::WhitespaceSplit => return None,
        };
        // The crate's legacy rule: `add_prefix_space: false` means `never`, and contradicting
        // it is a load error.
        let mut prepend = metaspace.prepend_scheme.unwrap_or(Prepend::Always);
        if metaspace.add_prefix_space == Some(false) {
            if prepend != Prepend::Never {
                return None;
            }
            prepend = Prepend::Never;
        }
        Some(Self {
            whitespace_split,
            replacement: metaspace.replacement,
            prepend,
            split: metaspace.split.unwrap_or(true),
        })
    }
}

/// Reusable buffers of one tokenization.
#[derive(Default)]
struct Scratch {
    /// The original text's characters' spans, in the requested unit.
    spans: Vec<(u32, u32)>,
    normalized: Normalized,
    other: Normalized,
    /// The split being tokenized: its bytes and each byte's alignment.
    split: String,
    split_align: Vec<(u32, u32)>,
    lattice: Lattice,
    tokens: Vec<(u32, u32, u32)>,
}

impl UnigramFast {
    /// `None` unless the normaliser, pre-tokenizer and model are all recognised, with every
    /// option implemented.
    pub fn from_sections(sections: &Sections) -> Option<Self> {
        let normalizer = Normalizer::from_json(sections.normalizer?.get())?;
        let pre_tokenizer = Metaspace::from_json(sections.pre_tokenizer?.get())?;
        let model = UnigramModel::from_json(sections.model.get())?;
        Some(Self { normalizer, pre_tokenizer, model, cache: Mutex::new(ByteMap::default()) })
    }

    /// Tokens of `text` into `out`; `false` when the text needs the crate.
    pub fn tokenize(&self, text: &str, unit: OffsetUnit, out: &mut Tokens) -> bool {
        thread_local!(static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::default());
        SCRATCH.with(|scratch| self.run(text, unit, out, &mut scratch.borrow_mut()))
    }

    fn run(&self, text: &str, unit: OffsetUnit, out: &mut Tokens, s: &mut Scratch) -> bool {
        // Positions past u32 are not representable here; such texts go to the crate.
        if text.len() >= u32::MAX as usize / 2 {
            return false;
        }
        s.spans.clear();
        let mut at = 0u32;
        for c in text.chars() {
            let width = match unit {
                OffsetUnit::Char => 1,
                OffsetUnit::Utf16 => c.len_utf16() as u32,
                // Byte offsets also serve `None` (the `first` prepend scheme reads them).
                OffsetUnit::Byte | OffsetUnit::None => c.len_utf8() as u32,
            };
            s.spans.push((at, at + width));
            at += width;
        }
        if !self.normalizer.run(text, &s.spans, &mut s.normalized, &mut s.other) {
            return false;
        }
        let offsets = unit != OffsetUnit::None;
        let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        let normalized = std::mem::take(&mut s.normalized);
        let mut word = 0i32;
        let unk = self.model.unk();
        let mut emit = |split: &str, align: &[(u32, u32)], s: &mut Scratch| {
            let mut push = |tokens: &[(u32, u32, u32)]| {
                for &(id, start, end) in tokens {
                    let span = if offsets {
                        (align[start as usize].0 as usize, align[end as usize - 1].1 as usize)
                    } else {
                        (0, 0)
                    };
                    if id == unk {
                        // The crate's unknown token is the text it covers.
                        out.strings.push((out.ids.len(), split[start as usize..end as usize].into()));
                    }
                    out.push(id, span, word);
                }
            };
            if let Some(tokens) = cache.get(split.as_bytes()) {
                push(tokens);
            } else {
                s.tokens.clear();
                self.model.encode(split, &mut s.lattice, &mut s.tokens);
                push(&s.tokens);
                if cache.len() >= CACHE_LIMIT {
                    cache.clear();
                }
                cache.insert(Box::from(split.as_bytes()), s.tokens.as_slice().into());
            }
            word += 1;
        };
        let (text, align) = (&normalized.text, &normalized.align[..]);
        if self.pre_tokenizer.whitespace_split {
            // Words: runs of non-whitespace characters, each pre-tokenized on its own.
            let mut word_start: Option<(usize, usize)> = None; // (byte, char)
            for (i, (b, c)) in text.char_indices().chain(std::iter::once((text.len(), ' '))).enumerate() {
                if c.is_whitespace() {
                    if let Some((start_byte, start_char)) = word_start.take() {
                        self.metaspace(&text[start_byte..b], &align[start_char..i], true, s, &mut emit);
                    }
                } else if word_start.is_none() {
                    word_start = Some((b, i));
                }
            }
        } else {
            self.metaspace(text, align, false, s, &mut emit);
        }
        s.normalized = normalized;
        true
    }

    /// `Metaspace::pre_tokenize` on one split (`word`, aligned by `align`): spaces become the
    /// replacement, which is prepended as the scheme says, and the split is cut before every
    /// replacement; each piece goes to `emit` with its per-byte alignments.
    fn metaspace(
        &self,
        word: &str,
        align: &[(u32, u32)],
        is_word: bool,
        s: &mut Scratch,
        emit: &mut impl FnMut(&str, &[(u32, u32)], &mut Scratch),
    ) {
        let m = self.pre_tokenizer;
        let Some(&first_align) = align.first() else { return };
        // After the spaces became replacements, a split starting with one gets none more.
        // `first` prepends only to the split whose original offset is 0: a word's offset is
        // its first character's alignment, the whole text's is 0.
        let prepend = !word.starts_with([m.replacement, ' '])
            && match m.prepend {
                Prepend::Always => true,
                Prepend::First => !is_word || first_align.0 == 0,
                Prepend::Never => false,
            };
        let mut split = std::mem::take(&mut s.split);
        let mut split_align = std::mem::take(&mut s.split_align);
        split.clear();
        split_align.clear();
        let push = |c: char, a: (u32, u32), split: &mut String, split_align: &mut Vec<(u32, u32)>| {
            split.push(c);
            split_align.extend(std::iter::repeat_n(a, c.len_utf8()));
        };
        if prepend {
            push(m.replacement, first_align, &mut split, &mut split_align);
        }
        for (c, &a) in word.chars().zip(align) {
            let c = if c == ' ' { m.replacement } else { c };
            if m.split && c == m.replacement && !split.is_empty() {
                emit(&split, &split_align, s);
                split.clear();
                split_align.clear();
            }
            push(c, a, &mut split, &mut split_align);
        }
        if !split.is_empty() {
            emit(&split, &split_align, s);
        }
        s.split = split;
        s.split_align = split_align;
    }
}
