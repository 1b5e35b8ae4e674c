//! The normalisers of SentencePiece pipelines (T5, XLM-R, ALBERT, DeBERTa-v3, mT5), with the
//! `tokenizers` crate's alignments: `Precompiled` (a charsmap) and, in a `Sequence` with it,
//! `Replace` (a literal, or the regex ` {2,}`), `Strip` and `Lowercase`.
//!
//! The text and its alignments are kept per character: every pass of the crate gives all the
//! bytes of a character the same alignment, so one per character says the same. Alignments are
//! kept in the caller's offset unit: each one is the span of one input character (or `(0, 0)`),
//! so converting its two ends is the same as converting the crate's byte offsets afterwards.
//!
//! `Precompiled` is the subtle one. The crate walks extended graphemes: a grapheme shorter than
//! 6 bytes goes through the charsmap whole (whose search returns the *shortest* matching prefix,
//! so a grapheme can be replaced by the mapping of its first character), anything else char by
//! char. It records `(char, change)` pairs (`replace` in the crate's precompiled.rs) whose
//! removals are charged to whatever pair came last, possibly one of an earlier grapheme, and
//! `NormalizedString::transform` then aligns each output character by a running offset into the
//! input. [`Applier`] replays exactly that, one pair behind, because only the last pair can still
//! change.

use std::borrow::Cow;

use unicode_segmentation::UnicodeSegmentation;

/// A text being normalised: its characters, and the alignment of each in the original text.
#[derive(Debug, Default)]
pub struct Normalized {
    pub text: String,
    /// One `(start, end)` per character of `text`, in the caller's offset unit.
    pub align: Vec<(u32, u32)>,
}

impl Normalized {
    fn clear(&mut self) {
        self.text.clear();
        self.align.clear();
    }

    #[inline]
    fn push(&mut self, c: char, align: (u32, u32)) {
        self.text.push(c);
        self.align.push(align);
    }
}

/// A recognised normaliser: its passes in order.
#[derive(Debug)]
pub struct Normalizer {
    steps: Vec<Step>,
}

#[derive(Debug)]
enum Step {
    Precompiled(Box<Charsmap>),
    /// `Replace`: every non-overlapping occurrence, leftmost first, becomes `content`.
    Replace {
        pattern: Pattern,
        content: Box<str>,
    },
    Strip {
        left: bool,
        right: bool,
    },
    Lowercase,
}

#[derive(Debug)]
enum Pattern {
    /// A non-empty literal (`{"String": ...}`).
    Literal(Box<str>),
    /// The regex ` {2,}`: runs of two or more spaces (XLM-R, DeBERTa-v3).
    SpaceRuns,
}

/// The JSON of the normalisers this module implements; any other field or type is refused, so
/// an option it does not know can never be silently ignored.
#[derive(serde::Deserialize)]
#[serde(tag = "type", deny_unknown_fields)]
enum Spec<'a> {
    Precompiled {
        // Borrowed, as the crate's deserializer does: it refuses a charsmap with escapes.
        #[serde(borrow)]
        precompiled_charsmap: &'a str,
    },
    Sequence {
        #[serde(borrow)]
        normalizers: Vec<Spec<'a>>,
    },
    Replace {
        #[serde(borrow)]
        pattern: PatternSpec<'a>,
        #[serde(borrow)]
        content: Cow<'a, str>,
    },
    Strip {
        strip_left: bool,
        strip_right: bool,
    },
    Lowercase,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
enum PatternSpec<'a> {
    String(#[serde(borrow)] Cow<'a, str>),
    Regex(#[serde(borrow)] Cow<'a, str>),
}

impl Normalizer {
    /// The normaliser of a tokenizer.json's `normalizer` section, when it is a `Precompiled`
    /// alone or a `Sequence` of the passes above (nested sequences flattened). `None` for
    /// anything else, including no normaliser at all (SentencePiece files always have one).
    pub fn from_json(json: &str) -> Option<Self> {
        let spec: Spec = serde_json::from_str(json).ok()?;
        let mut steps = Vec::new();
        flatten(spec, &mut steps)?;
        Some(Self { steps })
    }

    /// Normalise `text`, whose characters are aligned to `align` (one entry per character),
    /// into `out`; `scratch` is a second buffer for multi-pass normalisers. `false`: an input
    /// this module does not reproduce (none known; kept so that nothing can index out of range).
    pub fn run(&self, text: &str, align: &[(u32, u32)], out: &mut Normalized, scratch: &mut Normalized) -> bool {
        out.clear();
        let Some((first, rest)) = self.steps.split_first() else {
            out.text.push_str(text);
            out.align.extend_from_slice(align);
            return true;
        };
        if !first.apply(text, align, out) {
            return false;
        }
        for step in rest {
            std::mem::swap(out, scratch);
            out.clear();
            if !step.apply(&scratch.text, &scratch.align, out) {
                return false;
            }
        }
        true
    }
}

fn flatten(spec: Spec, steps: &mut Vec<Step>) -> Option<()> {
    let step = match spec {
        Spec::Sequence { normalizers } => {
            for inner in normalizers {
                flatten(inner, steps)?;
            }
            return Some(());
        }
        Spec::Precompiled { precompiled_charsmap } => Step::Precompiled(Box::new(Charsmap::new(precompiled_charsmap)?)),
        Spec::Replace { pattern, content } => {
            let pattern = match pattern {
                // The crate never matches an empty literal.
                PatternSpec::String(s) if s.is_empty() => return Some(()),
                PatternSpec::String(s) => Pattern::Literal(s.into()),
                PatternSpec::Regex(r) if r == " {2,}" => Pattern::SpaceRuns,
                PatternSpec::Regex(_) => return None,
            };
            Step::Replace { pattern, content: content.into() }
        }
        Spec::Strip { strip_left, strip_right } => Step::Strip { left: strip_left, right: strip_right },
        Spec::Lowercase => Step::Lowercase,
    };
    steps.push(step);
    Some(())
}

impl Step {
    fn apply(&self, text: &str, align: &[(u32, u32)], out: &mut Normalized) -> bool {
        match self {
            Step::Precompiled(map) => map.apply(text, align, out),
            Step::Replace { pattern, content } => {
                replace(pattern, content, text, align, out);
                true
            }
            Step::Strip { left, right } => {
                strip(*left, *right, text, align, out);
                true
            }
            Step::Lowercase => {
                // The crate's `lowercase`: the characters a character lowercases into all
                // take its alignment (the extra ones are "added" after it).
                for (c, &a) in text.chars().zip(align) {
                    for l in c.to_lowercase() {
                        out.push(l, a);
                    }
                }
                true
            }
        }
    }
}

/// `NormalizedString::replace`: the content of each match is aligned to the match's last
/// character (its characters are "added" after the removed match); a literal's matches are
/// non-overlapping, leftmost first, as the crate's escaped regex finds them.
fn replace(pattern: &Pattern, content: &str, text: &str, align: &[(u32, u32)], out: &mut Normalized) {
    let mut chars = text.char_indices().zip(align).peekable();
    let bytes = text.as_bytes();
    while let Some(((at, c), &a)) = chars.next() {
        let len = match pattern {
            Pattern::Literal(p) if bytes[at..].starts_with(p.as_bytes()) => p.len(),
            Pattern::SpaceRuns if c == ' ' && bytes.get(at + 1) == Some(&b' ') => {
                bytes[at..].iter().take_while(|&&b| b == b' ').count()
            }
            _ => {
                out.push(c, a);
                continue;
            }
        };
        // Skip the rest of the match, keeping the alignment of its last character.
        let mut last = a;
        while chars.peek().is_some_and(|((next, _), _)| *next < at + len) {
            last = *chars.next().map(|(_, a)| a).unwrap_or(&last);
        }
        for r in content.chars() {
            out.push(r, last);
        }
    }
}

/// `NormalizedString::strip` / `lstrip` / `rstrip`: whitespace at the ends goes, every other
/// character keeps its alignment.
fn strip(left: bool, right: bool, text: &str, align: &[(u32, u32)], out: &mut Normalized) {
    let count = align.len();
    let leading = if left { text.chars().take_while(|c| c.is_whitespace()).count() } else { 0 };
    let trailing = if right { text.chars().rev().take_while(|c| c.is_whitespace()).count() } else { 0 };
    let keep = leading..count.saturating_sub(trailing).max(leading);
    for (i, (c, &a)) in text.chars().zip(align).enumerate() {
        if keep.contains(&i) {
            out.push(c, a);
        }
    }
}

/// A SentencePiece `precompiled_charsmap`: searched by the `spm_precompiled` crate (the one the
/// `tokenizers` crate uses), after a check that its search cannot index out of range.
#[derive(Debug)]
pub struct Charsmap {
    map: spm_precompiled::Precompiled,
    /// What each ASCII character becomes on its own (`None`: unchanged).
    ascii: [Option<Box<str>>; 128],
}

impl Charsmap {
    /// `None` when the charsmap does not parse (the crate refuses it too) or fails
    /// [`search_stays_in_bounds`].
    pub fn new(base64_charsmap: &str) -> Option<Self> {
        // The decoder and version `spm_precompiled` uses, so the same strings are accepted.
        let bytes = base64::decode(base64_charsmap).ok()?;
        if !search_stays_in_bounds(&bytes) {
            return None;
        }
        let map = spm_precompiled::Precompiled::from(&bytes).ok()?;
        let ascii = std::array::from_fn(|b| {
            let c = char::from(b as u8);
            map.transform(c.encode_utf8(&mut [0; 4])).map(Box::from)
        });
        Some(Self { map, ascii })
    }

    /// The crate's `Precompiled::normalize`, through an [`Applier`].
    fn apply(&self, text: &str, align: &[(u32, u32)], out: &mut Normalized) -> bool {
        let mut app = Applier { align, at: 0, pending: None, out, ok: true };
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            // Two ASCII characters are always separate graphemes, except CR LF; an ASCII
            // character before a non-ASCII one may not be (a combining mark joins it).
            let next = bytes.get(i + 1).copied();
            if b < 0x80 && next.is_none_or(|n| n < 0x80) && !(b == b'\r' && next == Some(b'\n')) {
                match &self.ascii[usize::from(b)] {
                    None => app.push(char::from(b), 0),
                    Some(norm) => app.replace(1, norm),
                }
                i += 1;
                continue;
            }
            // Segmenting the rest from a grapheme boundary finds the same next grapheme as
            // segmenting the whole text (no rule looks back across a boundary).
            let Some(grapheme) = text[i..].graphemes(true).next() else { return false };
            self.grapheme(grapheme, &mut app);
            i += grapheme.len();
        }
        app.finish()
    }

    fn grapheme(&self, grapheme: &str, app: &mut Applier) {
        if grapheme.len() < 6 {
            if let Some(norm) = self.map.transform(grapheme) {
                app.replace(grapheme.chars().count(), norm);
                return;
            }
        }
        for c in grapheme.chars() {
            match self.map.transform(c.encode_utf8(&mut [0; 4])) {
                Some(norm) => app.replace(1, norm),
                None => app.push(c, 0),
            }
        }
    }
}

/// Replays the crate's `(char, change)` transformations and `NormalizedString::transform` on
/// per-character alignments. A change of 0 replaces the next input character (and takes its
/// alignment), `1` adds a character (aligned like the input character before the running
/// offset, `(0, 0)` at the start), `-n` replaces one and removes `n` more.
struct Applier<'a> {
    align: &'a [(u32, u32)],
    /// The running offset, in input characters.
    at: usize,
    /// The last pair: a later removal may still add to its change.
    pending: Option<(char, isize)>,
    out: &'a mut Normalized,
    ok: bool,
}

impl Applier<'_> {
    #[inline]
    fn push(&mut self, c: char, change: isize) {
        if let Some((c, change)) = self.pending.replace((c, change)) {
            self.commit(c, change);
        }
    }

    /// The crate's `precompiled::replace`: `old_chars` input characters become `new`.
    fn replace(&mut self, old_chars: usize, new: &str) {
        let new_chars = new.chars().count();
        let added = new_chars.saturating_sub(old_chars);
        for (k, c) in new.chars().enumerate() {
            self.push(c, isize::from(k >= new_chars - added));
        }
        if new_chars < old_chars {
            // Charged to the last pair, whichever grapheme it came from (none at the start).
            if let Some((_, change)) = &mut self.pending {
                *change -= (old_chars - new_chars) as isize;
            }
        }
    }

    #[inline]
    fn commit(&mut self, c: char, change: isize) {
        let align = if change > 0 {
            match self.at.checked_sub(1) {
                Some(before) => self.align[before],
                None => (0, 0),
            }
        } else {
            match self.align.get(self.at) {
                Some(&a) => a,
                None => {
                    // The crate would index out of range (it cannot happen: removals never
                    // outnumber the characters they replace).
                    self.ok = false;
                    (0, 0)
                }
            }
        };
        if change <= 0 {
            self.at = (self.at + 1 + change.unsigned_abs()).min(self.align.len());
        }
        self.out.push(c, align);
    }

    fn finish(mut self) -> bool {
        if let Some((c, change)) = self.pending.take() {
            self.commit(c, change);
        }
        self.ok
    }
}

/// Whether `spm_precompiled`'s `DoubleArray::common_prefix_search` and `transform` stay in range
/// on every key, for a charsmap `[u32 trie size][trie units][normalized strings]`. They index
/// without checks, so a malformed charsmap would panic (a trap in WebAssembly). The search
/// reads unit `p ^ c` for a node `p` reached through `offset` and any byte `c`, so it suffices
/// that every unit's block `(i ^ offset) | 0xFF` is in range (units with bit 31 set hold values
/// and are never reached as nodes), and that the value of every unit with a leaf starts a
/// character of the normalized strings. darts-clone pads arrays to blocks of 256 units, so real
/// charsmaps pass; one that does not simply gets no fast path.
fn search_stays_in_bounds(charsmap: &[u8]) -> bool {
    let Some(size) = charsmap.get(..4) else { return false };
    let units = u32::from_le_bytes([size[0], size[1], size[2], size[3]]) as usize / 4;
    let Some(trie) = charsmap.get(4..4 + units * 4) else { return false };
    let Ok(normalized) = std::str::from_utf8(&charsmap[4 + units * 4..]) else { return false };
    let unit = |i: usize| u32::from_le_bytes([trie[4 * i], trie[4 * i + 1], trie[4 * i + 2], trie[4 * i + 3]]);
    let offset = |u: u32| ((u >> 10) << ((u & (1 << 9)) >> 6)) as usize;
    if units == 0 {
        return false;
    }
    (0..units).all(|i| {
        let u = unit(i);
        if u & (1 << 31) != 0 && i != 0 {
            return true;
        }
        let p = i ^ offset(u);
        if (p | 0xFF) >= units {
            return false;
        }
        let has_leaf = (u >> 8) & 1 == 1;
        !has_leaf || normalized.is_char_boundary((unit(p) & ((1 << 31) - 1)) as usize)
    })
}

// These compare with the tokenizers crate, which the lite build does not have.
#[cfg(all(test, feature = "full"))]
mod tests {
    use super::*;

    /// The charsmap itself is exercised by the integration tests (tests/fast_paths.rs, with
    /// t5-small's); here: [`Applier`] on hand-made `(char, change)` pairs, against the crate's
    /// `NormalizedString::transform`.
    fn run_pairs(text: &str, pairs: &[(char, isize)]) -> Vec<(char, (u32, u32))> {
        let align: Vec<(u32, u32)> = text.char_indices().map(|(i, c)| (i as u32, (i + c.len_utf8()) as u32)).collect();
        let mut out = Normalized::default();
        let mut app = Applier { align: &align, at: 0, pending: None, out: &mut out, ok: true };
        for &(c, change) in pairs {
            app.push(c, change);
        }
        assert!(app.finish());
        out.text.chars().zip(out.align).collect()
    }

    fn crate_pairs(text: &str, pairs: &[(char, isize)]) -> Vec<(char, (u32, u32))> {
        let mut n = tokenizers::NormalizedString::from(text);
        n.transform(pairs.iter().copied(), 0);
        let out = n.get().to_owned();
        let mut result = Vec::new();
        let mut at = 0;
        for c in out.chars() {
            let range = n.convert_offsets(tokenizers::normalizer::Range::Normalized(at..at + c.len_utf8())).unwrap();
            result.push((c, (range.start as u32, range.end as u32)));
            at += c.len_utf8();
        }
        result
    }

    #[test]
    fn applier_aligns_like_the_crate() {
        let cases: &[(&str, &[(char, isize)])] = &[
            ("™\u{1e}g", &[('T', 0), ('M', 0), ('g', 0)]),
            ("\u{1e}g", &[('g', 0)]),
            ("ab", &[('x', 0), ('y', 1), ('z', 1), ('b', 0)]),
            ("aéb", &[('a', -1), ('b', 0)]),
            ("aéb", &[('a', 0), ('e', 1), ('b', -1)]),
            ("ﬁx", &[('f', 0), ('i', 1), ('x', 0)]),
            ("abc", &[('a', -2)]),
        ];
        for (text, pairs) in cases {
            assert_eq!(run_pairs(text, pairs), crate_pairs(text, pairs), "{text:?} {pairs:?}");
        }
    }

    #[test]
    fn bounds_check_refuses_truncated_charsmaps() {
        assert!(!search_stays_in_bounds(&[]));
        assert!(!search_stays_in_bounds(&[4, 0, 0, 0]));
        assert!(!search_stays_in_bounds(&[4, 0, 0, 0, 0, 0, 0, 0]), "one unit cannot hold a 256-unit block");
        assert!(Charsmap::new("not base64!").is_none());
    }
}
