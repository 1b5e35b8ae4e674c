//! Batching: padding encodings to one length, `pad_to_multiple_of`, and the flat row-major
//! layout that crosses into JavaScript as typed arrays.
//!
//! Padding follows `tokenizers`' `Encoding::pad` (and so transformers' `tokenizer.pad`): pad
//! positions get the pad id, the pad token, the pad type id, offsets `(0, 0)`, special-tokens
//! mask 1, attention mask 0 and no word.

use crate::encoding::{Encoding, Padding, Side};
use crate::error::{Error, Result};

/// The token padding is made of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PadToken {
    /// Its id.
    pub id: u32,
    /// Its string.
    pub token: String,
    /// The type id padding positions get.
    pub type_id: u32,
}

/// The length a padding setting gives sequences of the given lengths.
pub fn padded_length(padding: &Padding, lengths: impl IntoIterator<Item = usize>) -> Result<usize> {
    let longest = lengths.into_iter().max().unwrap_or(0);
    let mut length = match padding.length {
        Some(0) => return Err(Error::NotPositive { name: "length", value: 0 }),
        Some(fixed) if fixed < longest => return Err(Error::PaddingShorterThanSequence { length: fixed, longest }),
        Some(fixed) => fixed,
        None => longest,
    };
    match padding.pad_to_multiple_of {
        Some(0) => return Err(Error::NotPositive { name: "pad_to_multiple_of", value: 0 }),
        Some(multiple) => length = length.div_ceil(multiple) * multiple,
        None => {}
    }
    Ok(length)
}

/// Pad one encoding to `length` positions on `side`.
pub fn pad(encoding: &mut Encoding, length: usize, pad: &PadToken, side: Side) {
    let n = length.saturating_sub(encoding.len());
    if n == 0 {
        return;
    }
    fn extend<T: Clone>(v: &mut Vec<T>, n: usize, value: T, side: Side) {
        match side {
            Side::Right => v.extend(std::iter::repeat_n(value, n)),
            Side::Left => {
                v.splice(0..0, std::iter::repeat_n(value, n));
            }
        }
    }
    // Token strings left out (`EncodeOptions::token_strings`) stay out.
    if encoding.tokens.len() == encoding.ids.len() {
        extend(&mut encoding.tokens, n, pad.token.clone(), side);
    }
    extend(&mut encoding.ids, n, pad.id, side);
    extend(&mut encoding.type_ids, n, pad.type_id, side);
    if let Some(offsets) = &mut encoding.offsets {
        extend(offsets, n, (0, 0), side);
    }
    extend(&mut encoding.special_tokens_mask, n, 1, side);
    extend(&mut encoding.attention_mask, n, 0, side);
    extend(&mut encoding.word_ids, n, -1, side);
    extend(&mut encoding.sequence_ids, n, -1, side);
}

/// A rectangular batch of encodings, stored row-major: position `j` of row `i` is at
/// `i * seq_len + j` in every array (`offsets` has two entries per position).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Batch {
    /// Number of rows.
    pub batch_size: usize,
    /// Length of every row, padding included.
    pub seq_len: usize,
    /// Token ids.
    pub ids: Vec<u32>,
    /// Segment ids.
    pub type_ids: Vec<u32>,
    /// `start, end` pairs in the unit the batch was encoded with; `None` when the encodings
    /// have no offsets ([`crate::OffsetUnit::None`]).
    pub offsets: Option<Vec<u32>>,
    /// 1 for special tokens and padding.
    pub special_tokens_mask: Vec<u8>,
    /// 0 for padding.
    pub attention_mask: Vec<u8>,
    /// Word of each token, -1 for none.
    pub word_ids: Vec<i32>,
    /// Which text of a pair the offsets refer to, -1 for none.
    pub sequence_ids: Vec<i8>,
}

impl Batch {
    /// Pad `encodings` to a common length and lay them out row-major.
    pub fn from_encodings(encodings: Vec<Encoding>, padding: &Padding, pad_token: Option<&PadToken>) -> Result<Self> {
        if encodings.is_empty() {
            return Err(Error::EmptyBatch);
        }
        let seq_len = padded_length(padding, encodings.iter().map(Encoding::len))?;
        // Every row is encoded with the same options, so the first says whether there are offsets.
        let mut batch = Batch::with_capacity(encodings.len(), seq_len, encodings[0].offsets.is_some());
        for encoding in encodings {
            // Padding goes straight into the batch's arrays (what `pad` would add, without
            // growing and copying the encoding's own arrays first).
            let n = seq_len - encoding.len();
            if n == 0 {
                batch.push_row(encoding);
                continue;
            }
            let pad_token = pad_token.ok_or(Error::NoPadToken)?;
            if padding.side == Side::Left {
                batch.push_padding(n, pad_token);
            }
            batch.push_row(encoding);
            if padding.side == Side::Right {
                batch.push_padding(n, pad_token);
            }
        }
        Ok(batch)
    }

    /// A one-row batch holding a single encoding, unchanged.
    pub fn from_encoding(encoding: Encoding) -> Self {
        let mut batch = Batch::with_capacity(1, encoding.len(), encoding.offsets.is_some());
        batch.push_row(encoding);
        batch
    }

    fn with_capacity(batch_size: usize, seq_len: usize, offsets: bool) -> Self {
        let cells = batch_size * seq_len;
        Batch {
            batch_size,
            seq_len,
            ids: Vec::with_capacity(cells),
            type_ids: Vec::with_capacity(cells),
            offsets: offsets.then(|| Vec::with_capacity(2 * cells)),
            special_tokens_mask: Vec::with_capacity(cells),
            attention_mask: Vec::with_capacity(cells),
            word_ids: Vec::with_capacity(cells),
            sequence_ids: Vec::with_capacity(cells),
        }
    }

    /// `n` padding positions, as [`pad`] makes them.
    fn push_padding(&mut self, n: usize, pad: &PadToken) {
        self.ids.extend(std::iter::repeat_n(pad.id, n));
        self.type_ids.extend(std::iter::repeat_n(pad.type_id, n));
        if let Some(offsets) = &mut self.offsets {
            offsets.extend(std::iter::repeat_n(0, 2 * n));
        }
        self.special_tokens_mask.extend(std::iter::repeat_n(1, n));
        self.attention_mask.extend(std::iter::repeat_n(0, n));
        self.word_ids.extend(std::iter::repeat_n(-1, n));
        self.sequence_ids.extend(std::iter::repeat_n(-1, n));
    }

    fn push_row(&mut self, encoding: Encoding) {
        self.ids.extend(encoding.ids);
        self.type_ids.extend(encoding.type_ids);
        if let (Some(offsets), Some(row)) = (&mut self.offsets, &encoding.offsets) {
            offsets.extend(row.iter().flat_map(|&(s, e)| [saturate_u32(s), saturate_u32(e)]));
        }
        self.special_tokens_mask.extend(encoding.special_tokens_mask);
        self.attention_mask.extend(encoding.attention_mask);
        self.word_ids.extend(encoding.word_ids);
        self.sequence_ids.extend(encoding.sequence_ids);
    }
}

pub(crate) fn saturate_u32(x: usize) -> u32 {
    u32::try_from(x).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn padded_length_rounds_up_to_the_multiple() {
        let p = Padding { pad_to_multiple_of: Some(8), ..Padding::longest() };
        assert_eq!(padded_length(&p, [3, 9, 5]).unwrap(), 16);
        assert_eq!(padded_length(&p, [16]).unwrap(), 16);
        let fixed = Padding { length: Some(10), pad_to_multiple_of: Some(4), ..Padding::longest() };
        assert_eq!(padded_length(&fixed, [3]).unwrap(), 12);
    }

    #[test]
    fn padded_length_rejects_zero_and_short_fixed_lengths() {
        let zero = Padding { pad_to_multiple_of: Some(0), ..Padding::longest() };
        assert_eq!(padded_length(&zero, [3]), Err(Error::NotPositive { name: "pad_to_multiple_of", value: 0 }));
        let short = Padding { length: Some(2), ..Padding::longest() };
        assert_eq!(padded_length(&short, [3]), Err(Error::PaddingShorterThanSequence { length: 2, longest: 3 }));
    }

    #[test]
    fn left_padding_prepends() {
        let mut e = Encoding {
            ids: vec![5, 6],
            tokens: vec!["a".into(), "b".into()],
            type_ids: vec![0, 0],
            offsets: Some(vec![(0, 1), (2, 3)]),
            special_tokens_mask: vec![0, 0],
            attention_mask: vec![1, 1],
            word_ids: vec![0, 1],
            sequence_ids: vec![0, 0],
        };
        let pad_token = PadToken { id: 0, token: "[PAD]".into(), type_id: 0 };
        pad(&mut e, 4, &pad_token, Side::Left);
        assert_eq!(e.ids, vec![0, 0, 5, 6]);
        assert_eq!(e.attention_mask, vec![0, 0, 1, 1]);
        assert_eq!(e.special_tokens_mask, vec![1, 1, 0, 0]);
        assert_eq!(e.word_ids, vec![-1, -1, 0, 1]);
        assert_eq!(e.offsets.unwrap()[..2], [(0, 0), (0, 0)]);
    }
}
