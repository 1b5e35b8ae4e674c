//! `BertNormalizer` + `BertPreTokenizer` + `WordPiece` in one pass over the bytes.
//!
//! The crate runs up to four normaliser passes (clean, CJK padding, NFD + accent stripping,
//! lowercase), each rebuilding the string and its per-byte alignments, then two splitting
//! passes and a `WordPiece` that allocates a `format!("##{}")` per probe. Here each input
//! character is expanded once into the characters those passes would produce, all of which the
//! crate aligns to that input character, and they go straight into a word buffer; a word is
//! tokenized by greedy longest match over byte-keyed maps when it ends.
//!
//! ASCII goes through a 128-entry table computed from the same per-character function, so the
//! table cannot disagree with it. Other characters use the crate's own tables
//! (`unicode_categories`, `unicode-normalization-alignments`) and `char::to_lowercase`, which the
//! crate calls too. The one case not reproduced is canonical reordering of a run of combining
//! marks that holds a spacing mark (the crate's NFD aligns the sorted characters by position,
//! not by origin, and accent stripping keeps spacing marks): such text returns `false` and goes
//! to the crate. Runs of nonspacing marks alone are all stripped, so their order cannot show.

use serde::Deserialize;
use unicode_categories::UnicodeCategories;
use unicode_normalization_alignments::char::{canonical_combining_class, decompose_canonical};

use super::{Sections, Tokens};
use crate::encoding::OffsetUnit;
use crate::hash::IdTable;

/// What an ASCII byte becomes after the normaliser, for the pre-tokenizer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ascii {
    /// Removed by `clean_text`.
    Drop,
    /// Whitespace: ends the current word.
    Space,
    /// Punctuation: a word of its own (the normalised byte).
    Punct(u8),
    /// Part of a word (the normalised byte).
    Word(u8),
    /// Anything else: take the general path.
    General,
}

/// A recognised BERT pipeline.
#[derive(Debug)]
pub struct WordPieceFast {
    clean_text: bool,
    chinese: bool,
    strip_accents: bool,
    lowercase: bool,
    ascii: [Ascii; 128],
    /// Vocabulary entries, for the first piece of a word.
    first: IdTable,
    /// Entries starting with the continuing-subword prefix, looked up without it.
    cont: IdTable,
    unk: u32,
    max_chars: usize,
}

/// The run of combining marks NFD is in: the last mark's canonical combining class, whether
/// the run is out of canonical order, and whether it holds a mark that accent stripping keeps.
#[derive(Debug, Default, Clone, Copy)]
struct MarkRun {
    last_class: u8,
    disordered: bool,
    has_survivor: bool,
}

/// The word being built: normalised bytes, the source span of each byte, its length in chars.
struct Word {
    bytes: Vec<u8>,
    align: Vec<(usize, usize)>,
    chars: usize,
    index: i32,
}

impl Word {
    #[inline]
    fn push_ascii<const OFFSETS: bool>(&mut self, b: u8, at: usize) {
        self.bytes.push(b);
        if OFFSETS {
            self.align.push((at, at + 1));
        }
        self.chars += 1;
    }

    #[inline]
    fn push<const OFFSETS: bool>(&mut self, c: char, span: (usize, usize)) {
        let mut buf = [0; 4];
        let s = c.encode_utf8(&mut buf).as_bytes();
        self.bytes.extend_from_slice(s);
        if OFFSETS {
            self.align.extend(std::iter::repeat_n(span, s.len()));
        }
        self.chars += 1;
    }
}

/// `tokenizers::normalizers::bert::is_whitespace`.
fn is_whitespace(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r') || c.is_whitespace()
}

/// `tokenizers::normalizers::bert::is_control`.
fn is_control(c: char) -> bool {
    !matches!(c, '\t' | '\n' | '\r') && c.is_other()
}

/// `tokenizers::normalizers::bert::is_chinese_char`.
fn is_chinese_char(c: char) -> bool {
    matches!(
        c as usize,
        0x4E00..=0x9FFF
            | 0x3400..=0x4DBF
            | 0x20000..=0x2A6DF
            | 0x2A700..=0x2B73F
            | 0x2B740..=0x2B81F
            | 0x2B920..=0x2CEAF
            | 0xF900..=0xFAFF
            | 0x2F800..=0x2FA1F
    )
}

/// `tokenizers::pre_tokenizers::bert::is_bert_punc`.
fn is_bert_punc(c: char) -> bool {
    c.is_ascii_punctuation() || c.is_punctuation()
}

/// `BertNormalizer`: every field required, as the crate requires them.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NormalizerEntry {
    #[allow(dead_code)]
    r#type: NormalizerTag,
    clean_text: bool,
    handle_chinese_chars: bool,
    strip_accents: Option<bool>,
    lowercase: bool,
}

#[derive(Deserialize)]
enum NormalizerTag {
    BertNormalizer,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PreTokenizerEntry {
    #[allow(dead_code)]
    r#type: PreTokenizerTag,
}

#[derive(Deserialize)]
enum PreTokenizerTag {
    BertPreTokenizer,
}

/// `WordPiece` (every field required, as in the crate; without `type`, files written before
/// it existed, the crate recognises the model by these fields, as [`crate::file`] does); the
/// vocabulary is read by [`crate::file`].
#[derive(Deserialize)]
struct ModelEntry {
    #[allow(dead_code)]
    #[serde(default)]
    r#type: Option<ModelTag>,
    unk_token: String,
    continuing_subword_prefix: String,
    max_input_chars_per_word: usize,
}

#[derive(Deserialize)]
enum ModelTag {
    WordPiece,
}

impl WordPieceFast {
    /// Recognise `BertNormalizer` + `BertPreTokenizer` + `WordPiece` with every option this
    /// path implements; `tokens` is the model's vocabulary by id. `None` otherwise, and when the
    /// model lacks its unknown token (the crate then errors, so let it).
    pub fn new(sections: &Sections, tokens: &[Box<str>]) -> Option<Self> {
        let normalizer: NormalizerEntry = serde_json::from_str(sections.normalizer?.get()).ok()?;
        let _: PreTokenizerEntry = serde_json::from_str(sections.pre_tokenizer?.get()).ok()?;
        let model: ModelEntry = serde_json::from_str(sections.model.get()).ok()?;
        let unk = tokens.iter().position(|t| **t == *model.unk_token)? as u32;
        let prefix = model.continuing_subword_prefix.as_bytes();
        let first = IdTable::new(tokens, 0..tokens.len() as u32, 0);
        let continuations: Vec<u32> =
            (0..tokens.len() as u32).filter(|&id| tokens[id as usize].as_bytes().starts_with(prefix)).collect();
        let cont = IdTable::new(tokens, continuations.into_iter(), prefix.len());
        let mut fast = Self {
            clean_text: normalizer.clean_text,
            chinese: normalizer.handle_chinese_chars,
            strip_accents: normalizer.strip_accents.unwrap_or(normalizer.lowercase),
            lowercase: normalizer.lowercase,
            ascii: [Ascii::General; 128],
            first,
            cont,
            unk,
            max_chars: model.max_input_chars_per_word,
        };
        let mut out = Vec::new();
        for b in 0..128u8 {
            out.clear();
            let mut run = MarkRun::default();
            if !fast.expand(char::from(b), &mut run, &mut out) {
                continue;
            }
            fast.ascii[usize::from(b)] = match out[..] {
                [] => Ascii::Drop,
                [c] if c.is_whitespace() => Ascii::Space,
                [c] if c.is_ascii() && is_bert_punc(c) => Ascii::Punct(c as u8),
                [c] if c.is_ascii() => Ascii::Word(c as u8),
                _ => Ascii::General,
            };
        }
        Some(fast)
    }

    /// What the normaliser makes of one input character, in order; `ccc` is the canonical
    /// combining class of the last character NFD saw. `false`: NFD would reorder marks here.
    fn expand(&self, c: char, ccc: &mut MarkRun, out: &mut Vec<char>) -> bool {
        let mut c = c;
        if self.clean_text {
            if c == '\0' || c == '\u{fffd}' || is_control(c) {
                return true;
            }
            if is_whitespace(c) {
                c = ' ';
            }
        }
        if self.chinese && is_chinese_char(c) {
            self.decompose(' ', ccc, out) && self.decompose(c, ccc, out) && self.decompose(' ', ccc, out)
        } else {
            self.decompose(c, ccc, out)
        }
    }

    fn decompose(&self, c: char, run: &mut MarkRun, out: &mut Vec<char>) -> bool {
        if !self.strip_accents {
            self.lower(c, out);
            return true;
        }
        decompose_canonical(c, |d| {
            let class = canonical_combining_class(d);
            let stripped = d.is_mark_nonspacing();
            if class == 0 {
                *run = MarkRun::default();
            } else {
                run.disordered |= class < run.last_class;
                run.has_survivor |= !stripped;
                run.last_class = class;
            }
            if !stripped {
                self.lower(d, out);
            }
        });
        // NFD sorts a run of combining marks by class, and the crate then aligns the sorted
        // characters by position, not by origin. Accent stripping removes the nonspacing marks,
        // so a sorted run leaves the same characters with the same alignments unless a mark
        // that survives stripping (a spacing one) is in it: only that case goes to the crate.
        !(run.disordered && run.has_survivor)
    }

    #[inline]
    fn lower(&self, c: char, out: &mut Vec<char>) {
        if self.lowercase {
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
    }

    /// Tokens of `text` into `out`; `false` when the text needs the crate.
    pub fn tokenize(&self, tokens: &[Box<str>], text: &str, unit: OffsetUnit, out: &mut Tokens) -> bool {
        // The word buffers are reused from call to call, so a text allocates nothing here.
        thread_local!(static WORD: std::cell::RefCell<(Word, Vec<char>)> = std::cell::RefCell::new((
            Word { bytes: Vec::with_capacity(64), align: Vec::with_capacity(64), chars: 0, index: 0 },
            Vec::new(),
        )));
        WORD.with(|scratch| {
            let (word, chars) = &mut *scratch.borrow_mut();
            // A text that went to the crate midway leaves a word behind.
            word.bytes.clear();
            word.align.clear();
            word.chars = 0;
            word.index = 0;
            match unit {
                OffsetUnit::None => self.run::<false>(tokens, text, unit, out, word, chars),
                _ => self.run::<true>(tokens, text, unit, out, word, chars),
            }
        })
    }

    fn run<const OFFSETS: bool>(
        &self,
        tokens: &[Box<str>],
        text: &str,
        unit: OffsetUnit,
        out: &mut Tokens,
        word: &mut Word,
        chars: &mut Vec<char>,
    ) -> bool {
        let bytes = text.as_bytes();
        let mut ccc = MarkRun::default();
        let mut pos = 0usize;
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            if b < 0x80 {
                let ascii = self.ascii[usize::from(b)];
                if ascii != Ascii::General {
                    match ascii {
                        Ascii::Drop => {}
                        Ascii::Space => {
                            ccc = MarkRun::default();
                            self.flush::<OFFSETS>(tokens, word, out);
                        }
                        Ascii::Punct(x) => {
                            ccc = MarkRun::default();
                            self.flush::<OFFSETS>(tokens, word, out);
                            word.push_ascii::<OFFSETS>(x, pos);
                            self.flush::<OFFSETS>(tokens, word, out);
                        }
                        Ascii::Word(x) => {
                            ccc = MarkRun::default();
                            word.push_ascii::<OFFSETS>(x, pos);
                        }
                        Ascii::General => unreachable!(),
                    }
                    i += 1;
                    pos += 1;
                    continue;
                }
            }
            // SAFETY of the unwrap: `i` is always at a char boundary of a non-empty rest.
            let c = text[i..].chars().next().unwrap();
            let len = c.len_utf8();
            let end = pos
                + match unit {
                    OffsetUnit::Byte => len,
                    OffsetUnit::Char => 1,
                    OffsetUnit::Utf16 => c.len_utf16(),
                    OffsetUnit::None => 0,
                };
            chars.clear();
            if !self.expand(c, &mut ccc, chars) {
                return false;
            }
            for &n in chars.iter() {
                if n.is_whitespace() {
                    self.flush::<OFFSETS>(tokens, word, out);
                } else if is_bert_punc(n) {
                    self.flush::<OFFSETS>(tokens, word, out);
                    word.push::<OFFSETS>(n, (pos, end));
                    self.flush::<OFFSETS>(tokens, word, out);
                } else {
                    word.push::<OFFSETS>(n, (pos, end));
                }
            }
            i += len;
            pos = end;
        }
        self.flush::<OFFSETS>(tokens, word, out);
        true
    }

    /// `WordPiece::tokenize` on the finished word, offsets mapped back through the alignments.
    fn flush<const OFFSETS: bool>(&self, tokens: &[Box<str>], word: &mut Word, out: &mut Tokens) {
        let bytes = &word.bytes[..];
        let len = bytes.len();
        if len == 0 {
            return;
        }
        let index = word.index;
        word.index += 1;
        let span = |a: usize, b: usize| if OFFSETS { (word.align[a].0, word.align[b - 1].1) } else { (0, 0) };
        let mark = out.ids.len();
        let mut ok = word.chars <= self.max_chars;
        let mut start = 0;
        while ok && start < len {
            let table = if start == 0 { &self.first } else { &self.cont };
            let mut end = len.min(start + table.longest);
            let mut found = None;
            while end > start {
                if end == len || (bytes[end] as i8) >= -0x40 {
                    if let Some(id) = table.get(tokens, &bytes[start..end]) {
                        found = Some(id);
                        break;
                    }
                }
                end -= 1;
            }
            match found {
                Some(id) => {
                    out.push(id, span(start, end), index);
                    start = end;
                }
                None => ok = false,
            }
        }
        if !ok {
            out.truncate_to(mark);
            out.push(self.unk, span(0, len), index);
        }
        word.bytes.clear();
        word.align.clear();
        word.chars = 0;
    }
}
