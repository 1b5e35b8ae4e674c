//! [`MaskInput`]: the borrowed view of a rectangular batch that masking reads.

use crate::collate::Batch;
use crate::error::{Error, Result};
use crate::tokenize::Tokenizer;

/// A borrowed view of a rectangular batch: what masking reads. Arrays are row-major with
/// `batch_size * seq_len` entries.
#[derive(Debug, Clone, Copy)]
pub struct MaskInput<'a> {
    /// Token ids.
    pub ids: &'a [u32],
    /// 1 where a token is special (padding included): never selected.
    pub special_tokens_mask: &'a [u8],
    /// 0 where a position is padding: never selected.
    pub attention_mask: &'a [u8],
    /// Rows.
    pub batch_size: usize,
    /// Row length.
    pub seq_len: usize,
    /// The word of each token (-1 for none), for word-level strategies.
    pub word_ids: Option<&'a [i32]>,
    /// `start, end` per token (two entries each), for [`WordBoundary::OffsetsGap`].
    pub offsets: Option<&'a [u32]>,
    /// The tokenizer the ids came from, for strategies that work on text: character-level
    /// fill-in-the-middle decodes a row and tokenizes its parts again.
    pub tokenizer: Option<&'a Tokenizer>,
}

impl<'a> MaskInput<'a> {
    /// A view of the arrays token-level masking needs; add `word_ids` and `offsets` with
    /// struct update syntax for the word-level strategies.
    pub fn new(
        ids: &'a [u32],
        special_tokens_mask: &'a [u8],
        attention_mask: &'a [u8],
        batch_size: usize,
        seq_len: usize,
    ) -> Self {
        Self {
            ids,
            special_tokens_mask,
            attention_mask,
            batch_size,
            seq_len,
            word_ids: None,
            offsets: None,
            tokenizer: None,
        }
    }

    /// View a [`Batch`].
    pub fn from_batch(batch: &'a Batch) -> Self {
        Self {
            ids: &batch.ids,
            special_tokens_mask: &batch.special_tokens_mask,
            attention_mask: &batch.attention_mask,
            batch_size: batch.batch_size,
            seq_len: batch.seq_len,
            word_ids: Some(&batch.word_ids),
            offsets: batch.offsets.as_deref(),
            tokenizer: None,
        }
    }

    /// True where a position holds a token of the text: neither special (per
    /// `special_tokens_mask`) nor padding. Which of these a strategy may select is
    /// [`MaskingConfig::eligible`](super::MaskingConfig::eligible), which also leaves out the
    /// `never_select` ids; [`Masker::mask`](super::Masker::mask) hands strategies a special-tokens
    /// mask that follows [`MaskingOptions::special_tokens`](super::MaskingOptions::special_tokens).
    pub fn text_positions(&self) -> Vec<bool> {
        (0..self.ids.len()).map(|i| self.is_text_at(i)).collect()
    }

    /// [`MaskInput::text_positions`] of one position.
    #[inline]
    pub fn is_text_at(&self, i: usize) -> bool {
        self.special_tokens_mask[i] == 0 && self.attention_mask[i] != 0
    }

    pub(crate) fn check(&self, vocab_size: u32) -> Result<()> {
        let expected = self.batch_size * self.seq_len;
        for (field, actual) in [
            ("ids", self.ids.len()),
            ("special_tokens_mask", self.special_tokens_mask.len()),
            ("attention_mask", self.attention_mask.len()),
            ("word_ids", self.word_ids.map_or(expected, <[i32]>::len)),
            // Two entries per position: an odd length can never match.
            (
                "offsets (pairs)",
                self.offsets.map_or(expected, |o| if o.len() % 2 == 0 { o.len() / 2 } else { o.len() }),
            ),
        ] {
            if actual != expected {
                return Err(Error::ShapeMismatch {
                    field,
                    actual,
                    expected,
                    batch_size: self.batch_size,
                    seq_len: self.seq_len,
                });
            }
        }
        if let Some((position, &id)) = self.ids.iter().enumerate().find(|(_, &id)| id >= vocab_size) {
            return Err(Error::IdOutsideVocab { id, position, vocab_size });
        }
        Ok(())
    }
}
