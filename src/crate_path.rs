//! The `tokenizers` crate as mlmask's general path (full build only): every pipeline, pairs,
//! decoding, and whatever text a fast path does not cover.
//!
//! Building the crate's tokenizer is most of the cost of loading a file (its vocabulary and
//! merge maps, a Unigram trie, compiled regexes), so a tokenizer whose pipeline a fast path
//! serves builds it only on the first call that needs it ([`CratePath::lazy`]); the others build
//! it at load, so that a file the crate cannot read is refused there ([`CratePath::eager`]).

use std::str::FromStr;
use std::sync::OnceLock;

use tokenizers::utils::truncation::truncate_encodings;
use tokenizers::{
    PostProcessor, PostProcessorWrapper, Tokenizer as HfTokenizer, TruncationDirection, TruncationParams,
    TruncationStrategy as HfTruncationStrategy,
};

use crate::encoding::{
    utf16_index_of_chars, EncodeOptions, Encoding, OffsetUnit, Side, Truncation, TruncationStrategy,
};
use crate::error::{Error, Result};
use crate::tokenizer_json::{check_components, explain_load_error};

/// The crate's tokenizer, built now or on first use.
#[derive(Debug)]
pub(crate) struct CratePath {
    /// The file, kept until the tokenizer is built from it.
    json: Box<str>,
    built: OnceLock<std::result::Result<Built, String>>,
}

/// A built crate tokenizer.
#[derive(Debug)]
pub(crate) struct Built {
    // `inner` has no post-processor, truncation or padding: `encode_unpadded` runs those steps
    // itself, in the crate's order (truncate, then add special tokens), so that truncation
    // never takes the crate's early-exit path, which in 0.23.2 truncates pairs differently
    // from Python `tokenizers`. Padding is `collate`'s, so single encodings and batches pad alike.
    pub inner: HfTokenizer,
    processor: Option<PostProcessorWrapper>,
    /// The file's truncation and padding, taken out of `inner`.
    pub truncation: Option<TruncationParams>,
    pub padding: Option<tokenizers::PaddingParams>,
}

impl CratePath {
    /// Build the crate's tokenizer now; an error if the crate cannot read the file.
    pub fn eager(json: &str) -> Result<Self> {
        let built = Built::load(json)?;
        let path = Self { json: Box::from(""), built: OnceLock::new() };
        let _ = path.built.set(Ok(built));
        Ok(path)
    }

    /// Build it on the first [`CratePath::get`].
    pub fn lazy(json: &str) -> Self {
        Self { json: Box::from(json), built: OnceLock::new() }
    }

    /// The built tokenizer if it has been built, without building it.
    pub fn built(&self) -> Option<&Built> {
        self.built.get().and_then(|b| b.as_ref().ok())
    }

    /// The built tokenizer, built now if it was not.
    pub fn get(&self) -> Result<&Built> {
        self.built
            .get_or_init(|| Built::load(&self.json).map_err(|e| e.to_string()))
            .as_ref()
            .map_err(|e| Error::TokenizerLoad(e.clone()))
    }
}

impl Built {
    fn load(json: &str) -> Result<Self> {
        check_components(json)?;
        let mut inner = HfTokenizer::from_str(json).map_err(|e| Error::TokenizerLoad(explain_load_error(json, &*e)))?;
        let processor = inner.get_post_processor().cloned();
        let truncation = inner.get_truncation().cloned();
        let padding = inner.get_padding().cloned();
        inner.with_post_processor(None::<PostProcessorWrapper>);
        inner.with_padding(None);
        inner.with_truncation(None).map_err(|e| Error::TokenizerLoad(e.to_string()))?;
        Ok(Self { inner, processor, truncation, padding })
    }

    /// How many special tokens the post-processor adds.
    pub fn added_tokens(&self, is_pair: bool, add_special_tokens: bool) -> usize {
        match &self.processor {
            Some(processor) if add_special_tokens => processor.added_tokens(is_pair),
            _ => 0,
        }
    }

    /// Decode ids back to text.
    pub fn decode(&self, ids: &[u32], skip_special_tokens: bool) -> Result<String> {
        self.inner.decode(ids, skip_special_tokens).map_err(|e| Error::Encode(e.to_string()))
    }

    /// The crate's `encode` (`encode_single_sequence` per text, then `post_process`) with
    /// `truncation` (already checked, its budget net of special tokens) between the two.
    pub fn encode_unpadded(
        &self,
        text: &str,
        pair: Option<&str>,
        options: &EncodeOptions,
        truncation: Option<Truncation>,
    ) -> Result<Encoding> {
        let encode_one = |sequence: &str| {
            match options.offsets {
                OffsetUnit::Byte | OffsetUnit::None => self.inner.encode(sequence, false),
                OffsetUnit::Char | OffsetUnit::Utf16 => self.inner.encode_char_offsets(sequence, false),
            }
            .map_err(|e| Error::Encode(e.to_string()))
        };
        let first = encode_one(text)?;
        let second = match pair {
            Some(pair) => {
                let mut second = encode_one(pair)?;
                second.set_type_ids(vec![1; second.len()]);
                Some(second)
            }
            None => None,
        };
        let (first, second) = match truncation {
            Some(t) => {
                truncate_encodings(first, second, &truncation_to_hf(t)).map_err(|e| Error::Encode(e.to_string()))?
            }
            None => (first, second),
        };
        let encoded = match &self.processor {
            Some(processor) => processor.process(first, second, options.add_special_tokens),
            None => <dyn PostProcessor>::default_process(
                std::iter::once(first).chain(second).collect(),
                options.add_special_tokens,
            )
            .map(|encodings| tokenizers::Encoding::merge(encodings, false)),
        }
        .map_err(|e| Error::Encode(e.to_string()))?;
        Ok(convert_encoding(&encoded, text, pair, options.offsets))
    }
}

/// The stride is always 0: it only shapes the overflowing windows, which mlmask does not
/// return, and a stride close to the per-text budget makes the crate panic on pairs.
fn truncation_to_hf(t: Truncation) -> TruncationParams {
    TruncationParams {
        max_length: t.max_length,
        stride: 0,
        strategy: match t.strategy {
            TruncationStrategy::LongestFirst => HfTruncationStrategy::LongestFirst,
            TruncationStrategy::OnlyFirst => HfTruncationStrategy::OnlyFirst,
            TruncationStrategy::OnlySecond => HfTruncationStrategy::OnlySecond,
        },
        direction: match t.side {
            Side::Left => TruncationDirection::Left,
            Side::Right => TruncationDirection::Right,
        },
    }
}

fn convert_encoding(e: &tokenizers::Encoding, text: &str, pair: Option<&str>, unit: OffsetUnit) -> Encoding {
    let sequence_ids: Vec<i8> =
        e.get_sequence_ids().iter().map(|s| s.map_or(-1, |s| i8::try_from(s).unwrap_or(-1))).collect();
    let offsets = match unit {
        OffsetUnit::None => None,
        OffsetUnit::Byte | OffsetUnit::Char => Some(e.get_offsets().to_vec()),
        OffsetUnit::Utf16 => Some({
            let tables = [utf16_index_of_chars(text), utf16_index_of_chars(pair.unwrap_or(""))];
            e.get_offsets()
                .iter()
                .zip(&sequence_ids)
                .map(|(&(start, end), &seq)| match seq {
                    0 | 1 => {
                        let table = &tables[seq as usize];
                        let at = |i: usize| table[i.min(table.len() - 1)] as usize;
                        (at(start), at(end))
                    }
                    _ => (0, 0),
                })
                .collect()
        }),
    };
    Encoding {
        ids: e.get_ids().to_vec(),
        tokens: e.get_tokens().to_vec(),
        type_ids: e.get_type_ids().to_vec(),
        offsets,
        special_tokens_mask: e.get_special_tokens_mask().iter().map(|&m| u8::from(m != 0)).collect(),
        attention_mask: e.get_attention_mask().iter().map(|&m| u8::from(m != 0)).collect(),
        word_ids: e.get_word_ids().iter().map(|w| w.map_or(-1, |w| i32::try_from(w).unwrap_or(i32::MAX))).collect(),
        sequence_ids,
    }
}
