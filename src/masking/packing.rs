//! Packing several texts into one row (ModernBERT's and BioNeMo's sequence packing;
//! transformers' `DataCollatorWithFlattening`), for attention kernels that take variable-length
//! sequences (flash-attention's `cu_seqlens`).
//!
//! mlmask masks the texts exactly as [`Masker::collate`](super::Masker::collate) does without
//! packing, then lays the masked texts out one after another, in order, starting a new row when
//! the next text would pass `max_length` (next-fit). So packing changes the layout and never the
//! masks: the same seed gives the same masked tokens packed or not, and no word, n-gram, span or
//! lexicon unit crosses two texts, whatever the strategy, because each text was masked as its
//! own row. Padding comes only at the end of a row. Packing needs labels that line up with
//! `input_ids`: every strategy but the sequence-to-sequence ones (T5, BART, UL2), whose targets
//! are sequences of their own. FIM rows are packed as rearranged (their lengths are the
//! rearranged ones, each text's last label -100, so nothing is predicted across two texts);
//! `outcome` and `span_ids`, which describe the masked rows' source positions, are packed with
//! the same grouping in rows of their own length, and `fim_layout` becomes one entry per text.
//!
//! Differences from `DataCollatorWithFlattening`, which makes one row of everything: rows of at
//! most `max_length`, and labels are the masking's (it sets each text's first label to -100,
//! for causal LM).

use serde::Deserialize;

use super::output::{MaskedBatch, Packed, IGNORE_INDEX};
use crate::error::{Error, Result};
use crate::schema::{OptionSet, Param};

/// Options of packing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Packing {
    /// The longest packed row, in tokens.
    pub max_length: usize,
}

impl Packing {
    /// The parameters (see [`crate::schema`]).
    pub fn option_set() -> OptionSet {
        OptionSet {
            name: "Packing",
            params: vec![Param::of("maxLength", crate::schema::Kind::Integer).required().at_least(1.0)],
        }
    }

    /// Refuse a zero length.
    pub fn check(&self) -> Result<()> {
        if self.max_length == 0 {
            return Err(Error::NotPositive { name: "max_length", value: 0 });
        }
        Ok(())
    }
}

/// Pack the rows of `masked` (one per text, or `views` per text) into rows of at most
/// `max_length` tokens of `input_ids`. `source_attention` is the attention mask of the rows that
/// were masked (`source_len` per row): `outcome` and `span_ids` describe those positions and are
/// packed with the same grouping, in rows of their own length (the same as `input_ids`' unless
/// the strategy changed lengths, as FIM does). `pad_id` fills the end of the rows that need it.
pub fn pack(
    masked: &MaskedBatch,
    source_attention: &[u8],
    max_length: usize,
    views: usize,
    pad_id: Option<u32>,
) -> Result<MaskedBatch> {
    debug_assert_eq!(masked.seq_len, masked.labels_len, "packing needs labels that line up with input_ids");
    let real = |attention: &[u8], width: usize| -> Vec<Vec<usize>> {
        (0..masked.batch_size)
            .map(|row| (row * width..(row + 1) * width).filter(|&i| attention[i] != 0).collect())
            .collect()
    };
    // Each text's tokens (and source positions): the row's real ones, wherever the padding was.
    let texts = real(&masked.attention_mask, masked.seq_len);
    let sources = real(source_attention, masked.source_len);
    let mut rows: Vec<Vec<usize>> = Vec::new();
    let mut filled = usize::MAX;
    for (index, text) in texts.iter().enumerate() {
        if text.len() > max_length {
            return Err(Error::TextLongerThanPackedRow { index: index / views.max(1), length: text.len(), max_length });
        }
        if filled.saturating_add(text.len()) > max_length {
            rows.push(Vec::new());
            filled = 0;
        }
        rows.last_mut().expect("a row was just started").push(index);
        filled += text.len();
    }
    let width = |lists: &[Vec<usize>], row: &[usize]| row.iter().map(|&t| lists[t].len()).sum::<usize>();
    let seq_len = rows.iter().map(|r| width(&texts, r)).max().unwrap_or(0);
    let source_len = rows.iter().map(|r| width(&sources, r)).max().unwrap_or(0);
    let needs_padding = rows.iter().any(|r| width(&texts, r) < seq_len);
    let pad = match pad_id {
        Some(id) => id as i32,
        None if needs_padding => return Err(Error::NoPadToken),
        None => 0,
    };
    let cells = rows.len() * seq_len;
    let mut out = MaskedBatch {
        batch_size: rows.len(),
        seq_len,
        input_ids: Vec::with_capacity(cells),
        attention_mask: Vec::with_capacity(cells),
        labels_len: seq_len,
        labels: Vec::with_capacity(cells),
        source_len,
        outcome: Vec::with_capacity(rows.len() * source_len),
        span_ids: masked.span_ids.as_ref().map(|_| Vec::with_capacity(rows.len() * source_len)),
        predictions: None,
        denoiser: None,
        denoiser_names: None,
        fim_layout: masked.fim_layout.as_ref().map(|_| Vec::new()),
        packed: None,
    };
    let mut packed = Packed {
        position_ids: Vec::with_capacity(cells),
        sequence_ids: Vec::with_capacity(cells),
        cu_seqlens: vec![0],
    };
    for row in &rows {
        for &t in row {
            for (k, &i) in texts[t].iter().enumerate() {
                out.input_ids.push(masked.input_ids[i]);
                out.attention_mask.push(1);
                out.labels.push(masked.labels[i]);
                packed.position_ids.push(k as i32);
                packed.sequence_ids.push(t as i32);
            }
            let end = packed.cu_seqlens.last().copied().unwrap_or(0) + texts[t].len() as i32;
            packed.cu_seqlens.push(end);
        }
        let n = seq_len - width(&texts, row);
        out.input_ids.extend(std::iter::repeat_n(pad, n));
        out.attention_mask.extend(std::iter::repeat_n(0, n));
        out.labels.extend(std::iter::repeat_n(IGNORE_INDEX, n));
        packed.position_ids.extend(std::iter::repeat_n(0, n));
        packed.sequence_ids.extend(std::iter::repeat_n(-1, n));
        // The source side: outcome and groups, with each text's group numbers after the
        // previous text's, so that a group id names one group of one text.
        let mut next_span = 0;
        for &t in row {
            let mut highest = -1;
            for &i in &sources[t] {
                out.outcome.push(masked.outcome[i]);
                if let (Some(spans), Some(given)) = (&mut out.span_ids, &masked.span_ids) {
                    highest = highest.max(given[i]);
                    spans.push(if given[i] < 0 { -1 } else { given[i] + next_span });
                }
            }
            next_span += highest + 1;
            if let (Some(layouts), Some(given)) = (&mut out.fim_layout, &masked.fim_layout) {
                layouts.push(given[t]);
            }
        }
        let n = source_len - width(&sources, row);
        out.outcome.extend(std::iter::repeat_n(0, n));
        if let Some(spans) = &mut out.span_ids {
            spans.extend(std::iter::repeat_n(-1, n));
        }
    }
    out.packed = Some(packed);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::masking::input::MaskInput;

    fn masked(rows: &[&[u32]], width: usize) -> MaskedBatch {
        let mut ids = Vec::new();
        let mut attention = Vec::new();
        for row in rows {
            ids.extend_from_slice(row);
            ids.extend(std::iter::repeat_n(0, width - row.len()));
            attention.extend(std::iter::repeat_n(1, row.len()));
            attention.extend(std::iter::repeat_n(0, width - row.len()));
        }
        let special = vec![0; ids.len()];
        let input = MaskInput::new(&ids, &special, &attention, rows.len(), width);
        MaskedBatch::unmasked(&input)
    }

    #[test]
    fn next_fit_in_order_with_restarting_positions() {
        let m = masked(&[&[5, 6, 7], &[8, 9], &[10, 11, 12, 13]], 4);
        let p = pack(&m, &m.attention_mask, 5, 1, Some(0)).unwrap();
        assert_eq!((p.batch_size, p.seq_len), (2, 5));
        assert_eq!(p.input_ids, [5, 6, 7, 8, 9, 10, 11, 12, 13, 0]);
        assert_eq!(p.attention_mask, [1, 1, 1, 1, 1, 1, 1, 1, 1, 0]);
        assert_eq!(p.labels[9], IGNORE_INDEX);
        let packed = p.packed.unwrap();
        assert_eq!(packed.position_ids, [0, 1, 2, 0, 1, 0, 1, 2, 3, 0]);
        assert_eq!(packed.sequence_ids, [0, 0, 0, 1, 1, 2, 2, 2, 2, -1]);
        assert_eq!(packed.cu_seqlens, [0, 3, 5, 9]);
    }

    #[test]
    fn a_text_longer_than_a_row_is_an_error_that_says_what_to_do() {
        let m = masked(&[&[5, 6], &[7, 8, 9]], 3);
        assert_eq!(
            pack(&m, &m.attention_mask, 2, 1, Some(0)).unwrap_err().to_string(),
            "text 1 has 3 tokens, more than packing `max_length` 2; raise `max_length`, or truncate with `truncation: { maxLength: 2 }`"
        );
        let m = masked(&[&[5, 6], &[7]], 2);
        assert_eq!(pack(&m, &m.attention_mask, 2, 1, None).unwrap_err(), Error::NoPadToken);
    }
}
