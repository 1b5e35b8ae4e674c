//! What masking returns: the masked ids and labels, the outcome of every position, and the
//! optional per-strategy extras (span ids, BERT's prediction lists).

use super::input::MaskInput;

/// The label of positions the loss ignores (PyTorch's `ignore_index`).
pub const IGNORE_INDEX: i32 = -100;

/// What happened to one position, for visualisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum Outcome {
    /// Not selected for prediction (label -100).
    Unselected = 0,
    /// Selected and replaced by the mask token.
    Mask = 1,
    /// Selected and replaced by a random id.
    Random = 2,
    /// Selected and left unchanged (still predicted).
    Kept = 3,
}

/// The result of masking a batch. Every array is row-major.
///
/// For the token-level strategies all three row lengths are equal. T5 span corruption and BART
/// infilling change the sequences: `input_ids` then has rows of `seq_len` (padded with the pad
/// id, attention mask 0) and `labels` rows of `labels_len` (padded with -100), while `outcome`
/// and `span_ids` still describe the positions of the input batch (`source_len` per row).
#[derive(Debug, Clone, PartialEq)]
pub struct MaskedBatch {
    /// Rows.
    pub batch_size: usize,
    /// Row length of `input_ids` and `attention_mask`.
    pub seq_len: usize,
    /// The ids the model sees.
    pub input_ids: Vec<i32>,
    /// 0 where `input_ids` is padding.
    pub attention_mask: Vec<u8>,
    /// Row length of `labels`.
    pub labels_len: usize,
    /// The original id where a token was selected and [`IGNORE_INDEX`] elsewhere; for T5 and
    /// BART, the target sequence.
    pub labels: Vec<i32>,
    /// Row length of `outcome` and `span_ids`: the input batch's.
    pub source_len: usize,
    /// [`Outcome`] of each input position, as its `u8` value.
    pub outcome: Vec<u8>,
    /// For strategies that select groups (words, n-grams, spans, sentinel spans): the group each
    /// selected input position belongs to, numbered from 0 per row; -1 elsewhere.
    pub span_ids: Option<Vec<i32>>,
    /// For exact-count selection: BERT's `masked_lm_positions` / `_ids` / `_weights`.
    pub predictions: Option<Predictions>,
    /// UL2: per row, the index of the denoiser that corrupted it.
    pub denoiser: Option<Vec<u8>>,
    /// UL2: the denoisers' names (`"r"`, `"x"`, `"s"` with their parameters), indexed by
    /// [`MaskedBatch::denoiser`].
    pub denoiser_names: Option<Vec<String>>,
    /// FIM: per row, the layout applied ([`FimLayout`] as its `u8` value); packed, per text.
    pub fim_layout: Option<Vec<u8>>,
    /// Packing: where each row's texts lie (see [`Packed`]).
    pub packed: Option<Packed>,
}

/// The layout a fill-in-the-middle row got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum FimLayout {
    /// Left as it was.
    None = 0,
    /// Prefix, suffix, middle.
    Psm = 1,
    /// Suffix, prefix, middle (the FIM paper's SPM variant 2).
    Spm = 2,
}

/// Packed rows: several texts per row, one after another, padding only at the end of a row.
/// The arrays describe `input_ids`' positions.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Packed {
    /// The position of each token within its own text, from 0; 0 on padding.
    pub position_ids: Vec<i32>,
    /// The text each position holds, as its index in the unpacked batch; -1 on padding.
    pub sequence_ids: Vec<i32>,
    /// flash-attention's `cu_seqlens`: where each text starts in the rows' tokens laid end to
    /// end with the padding taken out, then the total (one more entry than there are texts).
    pub cu_seqlens: Vec<i32>,
}

/// The prediction lists of BERT's TFRecords and Keras' `MaskedLMMaskGenerator`: per row,
/// `max_predictions` entries, real ones first (sorted by position), then zero padding.
#[derive(Debug, Clone, PartialEq)]
pub struct Predictions {
    /// Entries per row.
    pub max_predictions: usize,
    /// Positions of the selected tokens within their row.
    pub positions: Vec<i32>,
    /// Their original ids.
    pub ids: Vec<i32>,
    /// 1.0 for a real entry, 0.0 for padding.
    pub weights: Vec<f32>,
}

impl MaskedBatch {
    /// The unmasked starting point: ids copied, every label ignored, nothing selected.
    pub fn unmasked(input: &MaskInput) -> Self {
        Self {
            batch_size: input.batch_size,
            seq_len: input.seq_len,
            input_ids: input.ids.iter().map(|&id| id as i32).collect(),
            attention_mask: input.attention_mask.to_vec(),
            labels_len: input.seq_len,
            labels: vec![IGNORE_INDEX; input.ids.len()],
            source_len: input.seq_len,
            outcome: vec![Outcome::Unselected as u8; input.ids.len()],
            span_ids: None,
            predictions: None,
            denoiser: None,
            denoiser_names: None,
            fim_layout: None,
            packed: None,
        }
    }

    /// How many positions have each outcome, indexed by `Outcome as usize`.
    pub fn outcome_counts(&self) -> [usize; 4] {
        let mut counts = [0; 4];
        for &o in &self.outcome {
            counts[usize::from(o)] += 1;
        }
        counts
    }
}
