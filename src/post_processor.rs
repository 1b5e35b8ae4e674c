//! The special tokens a `tokenizer.json`'s post-processor puts around one text, read from the
//! file without the `tokenizers` crate (the lite build has none, and the full build does not
//! build the crate's tokenizer for a pipeline a fast path serves).
//!
//! Each processor is recognised by its `type` with exactly the fields the crate's type has,
//! so that a file whose shape the crate would read as another type (its deserializer matches
//! untagged shapes) is left to the crate. `tests/fast_paths.rs` compares the result with the
//! crate's post-processor for every vendored file, with and without special tokens.

use serde::Deserialize;
use serde_json::value::RawValue;

/// One special token the post-processor adds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Special {
    /// Its id.
    pub id: u32,
    /// Its string.
    pub token: String,
    /// The type id it gets.
    pub type_id: u32,
}

/// What the post-processor makes of a single text: the specials before and after it and the
/// type id of its tokens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    /// Specials before the text.
    pub prefix: Vec<Special>,
    /// Specials after the text.
    pub suffix: Vec<Special>,
    /// The type id of the text's tokens.
    pub type_id: u32,
}

/// One piece of what the post-processor makes of a pair, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PairPiece {
    /// A special token.
    Special(Special),
    /// The tokens of the first (0) or second (1) text, all of this type id.
    Sequence {
        /// 0: the text, 1: its pair.
        which: usize,
        /// The type id of its tokens.
        type_id: u32,
    },
}

/// A recognised post-processor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostProcessor {
    /// Index 0: `add_special_tokens == false`, 1: `true`.
    pub frames: [Frame; 2],
    /// A pair's layout, by the same index; `None` when mlmask leaves pairs to the crate.
    pub pair: Option<[Vec<PairPiece>; 2]>,
    /// `Some(add_prefix_space)` when the processor trims byte-level offsets (RoBERTa, GPT-2).
    pub trim_offsets: Option<bool>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BertEntry {
    #[allow(dead_code)]
    r#type: BertTag,
    sep: (String, u32),
    cls: (String, u32),
}

#[derive(Deserialize)]
enum BertTag {
    BertProcessing,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RobertaEntry {
    #[allow(dead_code)]
    r#type: RobertaTag,
    sep: (String, u32),
    cls: (String, u32),
    trim_offsets: bool,
    add_prefix_space: bool,
}

#[derive(Deserialize)]
enum RobertaTag {
    RobertaProcessing,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ByteLevelEntry {
    #[allow(dead_code)]
    r#type: ByteLevelTag,
    add_prefix_space: bool,
    trim_offsets: bool,
    #[allow(dead_code)] // only the pre-tokenizer splits with it
    #[serde(default)]
    use_regex: Option<bool>,
}

#[derive(Deserialize)]
enum ByteLevelTag {
    ByteLevel,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TemplateEntry {
    #[allow(dead_code)]
    r#type: TemplateTag,
    single: Vec<PieceEntry>,
    pair: Vec<PieceEntry>,
    special_tokens: std::collections::HashMap<String, SpecialTokenEntry>,
}

#[derive(Deserialize)]
enum TemplateTag {
    TemplateProcessing,
}

#[derive(Deserialize)]
enum PieceEntry {
    Sequence { id: SequenceId, type_id: u32 },
    SpecialToken { id: String, type_id: u32 },
}

#[derive(Deserialize, PartialEq, Eq)]
enum SequenceId {
    A,
    B,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SpecialTokenEntry {
    id: String,
    ids: Vec<u32>,
    tokens: Vec<String>,
}

impl PostProcessor {
    /// The file's `post_processor` (`None`: there is none). `None` when it is a kind this
    /// reader does not recognise exactly (`Sequence`, an unexpected field, ...).
    pub fn from_json(section: Option<&RawValue>) -> Option<Self> {
        let Some(section) = section else {
            return Some(Self::plain(0, None));
        };
        let json = section.get();
        if let Ok(t) = serde_json::from_str::<TemplateEntry>(json) {
            return Self::template(&t);
        }
        if let Ok(r) = serde_json::from_str::<RobertaEntry>(json) {
            return Some(Self::around(&r.cls, &r.sep, r.trim_offsets.then_some(r.add_prefix_space), true));
        }
        if let Ok(b) = serde_json::from_str::<BertEntry>(json) {
            return Some(Self::around(&b.cls, &b.sep, None, false));
        }
        if let Ok(b) = serde_json::from_str::<ByteLevelEntry>(json) {
            return Some(Self::plain(0, b.trim_offsets.then_some(b.add_prefix_space)));
        }
        None
    }

    /// No specials: a text's tokens keep type id 0, a pair's second text gets 1 (the crate's
    /// `PostProcessor::process` sets them before the processor runs).
    fn plain(type_id: u32, trim_offsets: Option<bool>) -> Self {
        let frame = Frame { prefix: Vec::new(), suffix: Vec::new(), type_id };
        let pair = vec![PairPiece::Sequence { which: 0, type_id: 0 }, PairPiece::Sequence { which: 1, type_id: 1 }];
        Self { frames: [frame.clone(), frame], pair: Some([pair.clone(), pair]), trim_offsets }
    }

    /// `cls text sep` (BertProcessing, RobertaProcessing), all of type 0; a pair is
    /// `cls a sep b sep` with the second part of type 1 (BERT), or `cls a sep sep b sep` all of
    /// type 0 (RoBERTa, which zeroes every type id, with or without special tokens).
    fn around(cls: &(String, u32), sep: &(String, u32), trim_offsets: Option<bool>, roberta: bool) -> Self {
        let special = |(token, id): &(String, u32), type_id| Special { id: *id, token: token.clone(), type_id };
        let mut processor = Self::plain(0, trim_offsets);
        processor.frames[1].prefix.push(special(cls, 0));
        processor.frames[1].suffix.push(special(sep, 0));
        let second = u32::from(!roberta);
        let a = PairPiece::Sequence { which: 0, type_id: 0 };
        let b = PairPiece::Sequence { which: 1, type_id: second };
        let with = if roberta {
            vec![
                PairPiece::Special(special(cls, 0)),
                a.clone(),
                PairPiece::Special(special(sep, 0)),
                PairPiece::Special(special(sep, 0)),
                b.clone(),
                PairPiece::Special(special(sep, 0)),
            ]
        } else {
            vec![
                PairPiece::Special(special(cls, 0)),
                a.clone(),
                PairPiece::Special(special(sep, 0)),
                b.clone(),
                PairPiece::Special(special(sep, 1)),
            ]
        };
        processor.pair = Some([vec![a, b], with]);
        processor
    }

    /// TemplateProcessing's single template: the type id of `$A` applies with or without
    /// special tokens; each special token's ids are added with their strings.
    fn template(t: &TemplateEntry) -> Option<Self> {
        let at = t.single.iter().position(|p| matches!(p, PieceEntry::Sequence { .. }))?;
        let PieceEntry::Sequence { id: SequenceId::A, type_id } = t.single[at] else { return None };
        let mut sides = [Vec::new(), Vec::new()];
        for (k, piece) in t.single.iter().enumerate() {
            match piece {
                // One sequence only: the crate would copy `$A` twice, or panic on `$B`.
                PieceEntry::Sequence { .. } if k != at => return None,
                PieceEntry::Sequence { .. } => {}
                PieceEntry::SpecialToken { id, type_id } => {
                    let token = t.special_tokens.get(id)?;
                    if token.ids.len() != token.tokens.len() || token.id != *id {
                        return None;
                    }
                    let side = &mut sides[usize::from(k > at)];
                    side.extend(token.ids.iter().zip(&token.tokens).map(|(&id, token)| Special {
                        id,
                        token: token.clone(),
                        type_id: *type_id,
                    }));
                }
            }
        }
        let [prefix, suffix] = sides;
        let bare = Frame { prefix: Vec::new(), suffix: Vec::new(), type_id };
        let pair = Self::template_pair(t);
        Some(Self { frames: [bare, Frame { prefix, suffix, type_id }], pair, trim_offsets: None })
    }

    /// The pair template, with and without its special tokens; `None` unless it has `$A` and
    /// `$B` once each.
    fn template_pair(t: &TemplateEntry) -> Option<[Vec<PairPiece>; 2]> {
        let mut with = Vec::new();
        let mut seen = [0; 2];
        for piece in &t.pair {
            match piece {
                PieceEntry::Sequence { id, type_id } => {
                    let which = usize::from(*id == SequenceId::B);
                    seen[which] += 1;
                    with.push(PairPiece::Sequence { which, type_id: *type_id });
                }
                PieceEntry::SpecialToken { id, type_id } => {
                    let token = t.special_tokens.get(id)?;
                    if token.ids.len() != token.tokens.len() {
                        return None;
                    }
                    with.extend(token.ids.iter().zip(&token.tokens).map(|(&id, token)| {
                        PairPiece::Special(Special { id, token: token.clone(), type_id: *type_id })
                    }));
                }
            }
        }
        if seen != [1, 1] {
            return None;
        }
        let without = with.iter().filter(|p| matches!(p, PairPiece::Sequence { .. })).cloned().collect();
        Some([without, with])
    }

    /// How many special tokens a single text (or a pair) gets; `None` for a pair mlmask
    /// leaves to the crate.
    pub fn added(&self, is_pair: bool) -> Option<usize> {
        if !is_pair {
            return Some(self.frames[1].prefix.len() + self.frames[1].suffix.len());
        }
        let pair = self.pair.as_ref()?;
        Some(pair[1].iter().filter(|p| matches!(p, PairPiece::Special(_))).count())
    }
}
