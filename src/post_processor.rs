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

/// A recognised post-processor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostProcessor {
    /// Index 0: `add_special_tokens == false`, 1: `true`.
    pub frames: [Frame; 2],
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
    #[allow(dead_code)] // pairs go to the crate
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
            return Some(Self::around(&r.cls, &r.sep, r.trim_offsets.then_some(r.add_prefix_space)));
        }
        if let Ok(b) = serde_json::from_str::<BertEntry>(json) {
            return Some(Self::around(&b.cls, &b.sep, None));
        }
        if let Ok(b) = serde_json::from_str::<ByteLevelEntry>(json) {
            return Some(Self::plain(0, b.trim_offsets.then_some(b.add_prefix_space)));
        }
        None
    }

    /// No specials: the tokens keep the type id 0 the model gave them.
    fn plain(type_id: u32, trim_offsets: Option<bool>) -> Self {
        let frame = Frame { prefix: Vec::new(), suffix: Vec::new(), type_id };
        Self { frames: [frame.clone(), frame], trim_offsets }
    }

    /// `cls text sep` (BertProcessing, RobertaProcessing), all of type 0; without special
    /// tokens the text is left as the model made it.
    fn around(cls: &(String, u32), sep: &(String, u32), trim_offsets: Option<bool>) -> Self {
        let special = |(token, id): &(String, u32)| Special { id: *id, token: token.clone(), type_id: 0 };
        let mut processor = Self::plain(0, trim_offsets);
        processor.frames[1].prefix.push(special(cls));
        processor.frames[1].suffix.push(special(sep));
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
        Some(Self { frames: [bare, Frame { prefix, suffix, type_id }], trim_offsets: None })
    }

    /// How many special tokens a single text gets.
    pub fn added_single(&self) -> usize {
        self.frames[1].prefix.len() + self.frames[1].suffix.len()
    }
}
