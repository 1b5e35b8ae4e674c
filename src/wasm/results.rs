//! Results and `Masker.mask`'s input across the boundary: `arrays.js` (the JS half of this
//! module) builds result objects of typed arrays from the columns Rust lists in wasm memory
//! (one call and one copy per result, whatever its size), and copies `mask()`'s input arrays
//! into wasm memory. The columns are declared once, in [`COLUMNS`].

use js_sys::{Array, Object};
use wasm_bindgen::prelude::*;

use crate::encoding::Encoding;
use crate::masking::{MaskedBatch, WordInputs};
use crate::Batch;

use super::options::JsResult;

/// A `string[]`: one string crossing and a native `split` rather than one decode per item,
/// unless an item contains the separator.
pub fn strings(items: &[String]) -> Array {
    if items.len() > 1 && !items.iter().any(|s| s.contains('\0')) {
        return js_sys::JsString::from(items.join("\0").as_str()).split("\0");
    }
    items.iter().map(|s| JsValue::from_str(s)).collect()
}

/// The arrays a result can carry across the boundary, declared once: each column's JS name,
/// typed-array type and elements per position. arrays.js receives this table at start-up and
/// knows no layout of its own. A column a result lacks (offsets when not computed, span ids,
/// prediction lists) is not passed, so the property is absent in JS rather than filled with
/// zeros. Two ways to pass them: an encoding's columns are laid out one after another in table
/// order and named by a bit set (one copy, nothing else to read: the per-call cost of
/// `encode()`), a batch's are listed where they are as (address, byte length, column).
#[derive(Clone, Copy)]
#[repr(u32)]
enum Column {
    Ids,
    TypeIds,
    Offsets,
    WordIds,
    SpecialTokensMask,
    AttentionMask,
    SequenceIds,
    InputIds,
    Labels,
    SpanIds,
    MaskedPositions,
    MaskedIds,
    MaskedWeights,
    Outcome,
    Denoiser,
    FimLayout,
    PositionIds,
    PackedSequenceIds,
    CuSeqlens,
}

/// (JS name, typed-array type, elements per position) of each [`Column`], in its order.
const COLUMNS: [(&str, &str, u32); 19] = [
    ("ids", "Uint32Array", 1),
    ("typeIds", "Uint32Array", 1),
    ("offsets", "Uint32Array", 2),
    ("wordIds", "Int32Array", 1),
    ("specialTokensMask", "Uint8Array", 1),
    ("attentionMask", "Uint8Array", 1),
    ("sequenceIds", "Int8Array", 1),
    ("inputIds", "Int32Array", 1),
    ("labels", "Int32Array", 1),
    ("spanIds", "Int32Array", 1),
    ("maskedPositions", "Int32Array", 1),
    ("maskedIds", "Int32Array", 1),
    ("maskedWeights", "Float32Array", 1),
    ("outcome", "Uint8Array", 1),
    // Per row.
    ("denoiser", "Uint8Array", 1),
    ("fimLayout", "Uint8Array", 1),
    // Packed rows: per position, and one per text plus one. A packed result is a masked batch,
    // so its `sequenceIds` (which text) never meets an encoding's (which text of a pair).
    ("positionIds", "Int32Array", 1),
    ("sequenceIds", "Int32Array", 1),
    ("cuSeqlens", "Int32Array", 1),
];

/// What `mask()` reads from its input, in the order arrays.js writes their sizes (one int32
/// each, -1 when absent) to the header Rust reads them from.
#[derive(Clone, Copy)]
#[repr(usize)]
enum InputField {
    Ids,
    SpecialTokensMask,
    AttentionMask,
    WordIds,
    Offsets,
    BatchSize,
    SeqLen,
}

const INPUT_FIELDS: [&str; 7] =
    ["ids", "specialTokensMask", "attentionMask", "wordIds", "offsets", "batchSize", "seqLen"];

/// The arrays `Masker.mask` reads, copied out of JS: `words` holds ids, then offsets when
/// given; `bytes` the special-tokens mask, then the attention mask.
pub struct MaskArrays {
    words: Vec<u32>,
    bytes: Vec<u8>,
    ids_len: usize,
    special_len: usize,
    offsets_given: bool,
    pub word_ids: Option<Vec<i32>>,
    pub batch_size: usize,
    pub seq_len: usize,
}

impl MaskArrays {
    pub fn ids(&self) -> &[u32] {
        &self.words[..self.ids_len]
    }
    pub fn offsets(&self) -> Option<&[u32]> {
        self.offsets_given.then(|| &self.words[self.ids_len..])
    }
    pub fn special_tokens_mask(&self) -> &[u8] {
        &self.bytes[..self.special_len]
    }
    pub fn attention_mask(&self) -> &[u8] {
        &self.bytes[self.special_len..]
    }
}

#[wasm_bindgen(module = "/src/wasm/arrays.js")]
extern "C" {
    #[wasm_bindgen(js_name = useBoundary)]
    fn use_boundary(memory: JsValue, columns: &str, input_fields: &str);
    #[wasm_bindgen(js_name = encodingFromColumns)]
    fn encoding_from_columns(at: u32, len: u32, n: u32, present: u32, tokens: JsValue, vocabulary: &JsValue) -> Object;
    #[wasm_bindgen(js_name = batchFromColumns)]
    fn batch_from_columns(segments: u32, count: u32, batch_size: u32, seq_len: u32) -> Object;
    #[wasm_bindgen(js_name = maskedFromColumns)]
    fn masked_from_columns(
        segments: u32,
        count: u32,
        batch_size: u32,
        seq_len: u32,
        labels_len: u32,
        source_len: u32,
        max_predictions: i32,
    ) -> Object;
    #[wasm_bindgen(js_name = withBatch)]
    fn with_batch_object(masked: Object, batch: Object) -> Object;
    #[wasm_bindgen(js_name = plainCopy)]
    pub(super) fn plain_copy(value: &JsValue) -> JsValue;
    #[wasm_bindgen(js_name = booleanEncodeOptions)]
    pub(super) fn boolean_encode_options(value: &JsValue) -> i32;
    #[wasm_bindgen(js_name = measureMaskInput)]
    fn measure_mask_input(value: &JsValue, header: u32, read_word_ids: bool, read_offsets: bool) -> JsValue;
    #[wasm_bindgen(js_name = readMaskInput)]
    fn read_mask_input(arrays: &JsValue, words: u32, word_ids: u32, bytes: u32);
}

/// A wasm address as JS sees it (wasm32 pointers are 32-bit). arrays.js reads memory at
/// these addresses, so the first call hands it the module's memory and the column table (here
/// rather than in the start function, which test harnesses do not run).
fn address<T>(data: *const T) -> u32 {
    thread_local!(static SHARED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) });
    if !SHARED.with(|shared| shared.replace(true)) {
        let columns: Vec<String> = COLUMNS.iter().map(|(name, ty, per)| format!("{name}:{ty}:{per}")).collect();
        use_boundary(wasm_bindgen::memory(), &columns.join(","), &INPUT_FIELDS.join(","));
    }
    data as usize as u32
}

/// What `Masker.mask` was given; `word_ids` and `offsets` only when `reads` (from
/// `Masker::word_inputs`) says the strategy uses them. Two calls: arrays.js checks the input
/// and reports the sizes, Rust allocates, arrays.js copies. The arrays it read are handed back
/// to Rust in between (an opaque JS value), not kept in a module global.
pub fn mask_arrays(value: &JsValue, reads: WordInputs) -> JsResult<MaskArrays> {
    let mut header = [0i32; INPUT_FIELDS.len()];
    let arrays = measure_mask_input(value, address(header.as_mut_ptr()), reads.word_ids, reads.offsets);
    if let Some(message) = arrays.as_string() {
        return Err(JsError::new(&message));
    }
    let size = |field: InputField| usize::try_from(header[field as usize]).ok();
    let ids_len = size(InputField::Ids).unwrap_or(0);
    let special_len = size(InputField::SpecialTokensMask).unwrap_or(0);
    let attention_len = size(InputField::AttentionMask).unwrap_or(0);
    let offsets_len = size(InputField::Offsets);
    let mut words = vec![0u32; ids_len + offsets_len.unwrap_or(0)];
    let mut word_ids = size(InputField::WordIds).map(|n| vec![0i32; n]);
    let mut bytes = vec![0u8; special_len + attention_len];
    let word_ids_at = word_ids.as_mut().map_or(0, |w| address(w.as_mut_ptr()));
    read_mask_input(&arrays, address(words.as_mut_ptr()), word_ids_at, address(bytes.as_mut_ptr()));
    let batch_size = size(InputField::BatchSize).unwrap_or(1);
    let seq_len = match size(InputField::SeqLen) {
        Some(n) => n,
        None if batch_size == 0 => 0,
        None => ids_len / batch_size,
    };
    Ok(MaskArrays {
        words,
        bytes,
        ids_len,
        special_len,
        offsets_given: offsets_len.is_some(),
        word_ids,
        batch_size,
        seq_len,
    })
}

thread_local! {
    /// Where an encoding's columns are laid out for the JS side to copy; kept between calls, so
    /// that a result costs no allocation of its own in wasm memory.
    static SCRATCH: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// A result's columns, for `readColumns` in arrays.js: (address, byte length, [`Column`])
/// triples, in the order the JS object gets them.
#[derive(Default)]
struct Segments(Vec<u32>);

impl Segments {
    fn add<T>(&mut self, column: Column, items: &[T]) -> &mut Self {
        self.0.extend([address(items.as_ptr()), std::mem::size_of_val(items) as u32, column as u32]);
        self
    }
    fn add_some<T>(&mut self, column: Column, items: Option<&[T]>) -> &mut Self {
        if let Some(items) = items {
            self.add(column, items);
        }
        self
    }
    fn at(&self) -> u32 {
        address(self.0.as_ptr())
    }
    fn count(&self) -> u32 {
        (self.0.len() / 3) as u32
    }
}

/// Columns laid out one after another in one buffer, in table order, each starting at a
/// multiple of its element size (the 4-byte columns come first, so no padding is needed), and
/// `present` the bit set of the columns it holds: arrays.js finds each column from the table
/// and the number of positions.
struct LaidOut<'a> {
    bytes: &'a mut Vec<u8>,
    present: u32,
}

impl LaidOut<'_> {
    fn mark(&mut self, column: Column) {
        debug_assert!(self.present >> column as u32 == 0, "columns are laid out in table order");
        self.present |= 1 << column as u32;
    }
    fn words<T: Copy>(&mut self, column: Column, items: impl ExactSizeIterator<Item = T>, le: impl Fn(T) -> [u8; 4]) {
        // Sized once and filled in place: a push per item checks the capacity every time.
        let at = self.bytes.len();
        self.bytes.resize(at + 4 * items.len(), 0);
        for (chunk, item) in self.bytes[at..].chunks_exact_mut(4).zip(items) {
            chunk.copy_from_slice(&le(item));
        }
        self.mark(column);
    }
    /// Offsets, two u32 per position, narrowed from usize.
    fn offsets(&mut self, pairs: &[(usize, usize)]) {
        let at = self.bytes.len();
        self.bytes.resize(at + 8 * pairs.len(), 0);
        for (chunk, &(start, end)) in self.bytes[at..].chunks_exact_mut(8).zip(pairs) {
            chunk[..4].copy_from_slice(&crate::collate::saturate_u32(start).to_le_bytes());
            chunk[4..].copy_from_slice(&crate::collate::saturate_u32(end).to_le_bytes());
        }
        self.mark(Column::Offsets);
    }
    fn bytes(&mut self, column: Column, items: impl Iterator<Item = u8>) {
        self.bytes.extend(items);
        self.mark(column);
    }
}

/// An `Encoding` object, its columns laid out in the scratch buffer (offsets narrowed to u32 on
/// the way). Its token strings, when the encoding left them out, are looked up from its ids by
/// `vocabulary` when read.
pub fn encoding_object(e: &Encoding, vocabulary: &JsValue) -> Object {
    SCRATCH.with(|scratch| {
        let mut scratch = scratch.borrow_mut();
        scratch.clear();
        scratch.reserve(23 * e.ids.len());
        let mut out = LaidOut { bytes: &mut scratch, present: 0 };
        out.words(Column::Ids, e.ids.iter().copied(), u32::to_le_bytes);
        out.words(Column::TypeIds, e.type_ids.iter().copied(), u32::to_le_bytes);
        if let Some(pairs) = &e.offsets {
            out.offsets(pairs);
        }
        out.words(Column::WordIds, e.word_ids.iter().copied(), i32::to_le_bytes);
        out.bytes(Column::SpecialTokensMask, e.special_tokens_mask.iter().copied());
        out.bytes(Column::AttentionMask, e.attention_mask.iter().copied());
        out.bytes(Column::SequenceIds, e.sequence_ids.iter().map(|&x| x as u8));
        let present = out.present;
        let tokens = if e.tokens.len() == e.ids.len() { strings(&e.tokens).into() } else { JsValue::UNDEFINED };
        encoding_from_columns(
            address(scratch.as_ptr()),
            scratch.len() as u32,
            e.ids.len() as u32,
            present,
            tokens,
            vocabulary,
        )
    })
}

pub fn batch_object(b: &Batch) -> Object {
    let mut segments = Segments::default();
    segments
        .add(Column::Ids, &b.ids)
        .add(Column::TypeIds, &b.type_ids)
        .add_some(Column::Offsets, b.offsets.as_deref())
        .add(Column::WordIds, &b.word_ids)
        .add(Column::SpecialTokensMask, &b.special_tokens_mask)
        .add(Column::AttentionMask, &b.attention_mask)
        .add(Column::SequenceIds, &b.sequence_ids);
    batch_from_columns(segments.at(), segments.count(), b.batch_size as u32, b.seq_len as u32)
}

pub fn masked_object(m: &MaskedBatch) -> Object {
    let mut segments = Segments::default();
    segments
        .add(Column::InputIds, &m.input_ids)
        .add(Column::Labels, &m.labels)
        .add(Column::AttentionMask, &m.attention_mask)
        .add(Column::Outcome, &m.outcome)
        .add_some(Column::SpanIds, m.span_ids.as_deref());
    if let Some(p) = &m.predictions {
        segments
            .add(Column::MaskedPositions, &p.positions)
            .add(Column::MaskedIds, &p.ids)
            .add(Column::MaskedWeights, &p.weights);
    }
    segments.add_some(Column::Denoiser, m.denoiser.as_deref()).add_some(Column::FimLayout, m.fim_layout.as_deref());
    if let Some(p) = &m.packed {
        segments
            .add(Column::PositionIds, &p.position_ids)
            .add(Column::PackedSequenceIds, &p.sequence_ids)
            .add(Column::CuSeqlens, &p.cu_seqlens);
    }
    let max_predictions = m.predictions.as_ref().map_or(-1, |p| p.max_predictions as i32);
    let object = masked_from_columns(
        segments.at(),
        segments.count(),
        m.batch_size as u32,
        m.seq_len as u32,
        m.labels_len as u32,
        m.source_len as u32,
        max_predictions,
    );
    if let Some(names) = &m.denoiser_names {
        // A fresh plain object: setting a property cannot fail.
        let _ = js_sys::Reflect::set(&object, &JsValue::from_str("denoiserNames"), &strings(names));
    }
    object
}

pub fn with_batch(masked: Object, batch: &Batch) -> Object {
    with_batch_object(masked, batch_object(batch))
}
