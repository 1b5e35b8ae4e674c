//! Word boundaries for the word-level strategies, from whichever signal the caller picks.

use std::ops::Range;

use super::MaskInput;
use crate::error::{Error, Result};

/// How tokens are grouped into words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum WordBoundary {
    /// The tokenizer's word ids (`Encoding::word_ids`): works for WordPiece, byte-level BPE and
    /// SentencePiece alike, wherever the pre-tokenizer splits words.
    #[default]
    WordIds,
    /// transformers 5.x `whole_word_mask=True`: a word is a run of tokens whose offsets touch
    /// (`start[t] == end[t - 1]`), so "word," is one word and a CJK run is one word.
    OffsetsGap,
    /// The legacy `DataCollatorForWholeWordMask` rule: a token starting with `##` continues the
    /// previous word. Only meaningful for WordPiece vocabularies.
    WordpiecePrefix,
}

/// What word segmentation reads besides the batch.
pub struct WordContext<'a> {
    /// Positions that may be selected.
    pub eligible: &'a [bool],
    /// Sorted ids whose token starts with `##` (for [`WordBoundary::WordpiecePrefix`]).
    pub continuation_ids: &'a [u32],
}

/// The words of every row, as ranges of row-major positions over eligible tokens only, in
/// order. A word never spans two rows or an ineligible (special, padding, excluded) token.
pub fn words(boundary: WordBoundary, input: &MaskInput, context: &WordContext) -> Result<Vec<Vec<Range<usize>>>> {
    let eligible = context.eligible;
    let starts_word: Box<dyn Fn(usize) -> bool + '_> = match boundary {
        WordBoundary::WordIds => {
            let word_ids = input
                .word_ids
                .ok_or(Error::MissingField { field: "word_ids", needed_by: "word boundaries from word ids" })?;
            Box::new(move |i| word_ids[i] != word_ids[i - 1])
        }
        WordBoundary::OffsetsGap => {
            let offsets = input.offsets.ok_or(Error::NoOffsets { needed_by: "word boundaries from offset gaps" })?;
            Box::new(move |i| offsets[2 * i] != offsets[2 * i - 1])
        }
        WordBoundary::WordpiecePrefix => {
            let ids = input.ids;
            Box::new(move |i| context.continuation_ids.binary_search(&ids[i]).is_err())
        }
    };
    let mut rows = Vec::with_capacity(input.batch_size);
    for row in 0..input.batch_size {
        let mut words: Vec<Range<usize>> = Vec::new();
        let base = row * input.seq_len;
        for i in base..base + input.seq_len {
            if !eligible[i] {
                continue;
            }
            let continues = i > base && eligible[i - 1] && !starts_word(i);
            match words.last_mut() {
                Some(word) if continues => word.end = i + 1,
                _ => words.push(i..i + 1),
            }
        }
        rows.push(words);
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input<'a>(ids: &'a [u32], word_ids: &'a [i32], offsets: &'a [u32]) -> MaskInput<'a> {
        MaskInput {
            ids,
            special_tokens_mask: &[],
            attention_mask: &[],
            batch_size: 1,
            seq_len: ids.len(),
            word_ids: Some(word_ids),
            offsets: Some(offsets),
            tokenizer: None,
        }
    }

    #[test]
    fn each_rule_groups_as_its_original_does() {
        // [CLS] un ##believ ##able , yes [SEP] for "unbelievable, yes"
        let ids = [101, 4895, 23349, 3085, 1010, 2748, 102];
        let word_ids = [-1, 0, 0, 0, 1, 2, -1];
        let offsets = [0, 0, 0, 2, 2, 8, 8, 12, 12, 13, 14, 17, 0, 0];
        let eligible = [false, true, true, true, true, true, false];
        let context = WordContext { eligible: &eligible, continuation_ids: &[3085, 23349] };
        let i = input(&ids, &word_ids, &offsets);
        let by = |b| words(b, &i, &context).unwrap().remove(0);
        assert_eq!(by(WordBoundary::WordIds), vec![1..4, 4..5, 5..6]);
        assert_eq!(by(WordBoundary::OffsetsGap), vec![1..5, 5..6], "the comma touches the word");
        assert_eq!(by(WordBoundary::WordpiecePrefix), vec![1..4, 4..5, 5..6]);
    }

    #[test]
    fn missing_signals_are_errors() {
        let ids = [1, 2];
        let eligible = [true, true];
        let context = WordContext { eligible: &eligible, continuation_ids: &[] };
        let i = MaskInput { word_ids: None, offsets: None, ..input(&ids, &[0, 0], &[0, 1, 1, 2]) };
        assert_eq!(
            words(WordBoundary::WordIds, &i, &context).unwrap_err().to_string(),
            "`word_ids` is missing from the encoding, and word boundaries from word ids need it; pass the object returned by encode(), encodeBatch() or collate()'s `batch`"
        );
    }
}
