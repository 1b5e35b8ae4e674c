//! Results and `Masker.mask`'s input across the boundary: `arrays.js` (the JS half of this
//! module) builds result objects of typed arrays from the arrays Rust lays out or lists in wasm
//! memory, and copies `mask()`'s input arrays into wasm memory, each in one call.

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

/// The arrays `Masker.mask` reads, copied out of JS: `words` holds ids, then word ids and
/// offsets when given; `bytes` the special-tokens mask, then the attention mask.
pub struct MaskArrays {
    words: Vec<u32>,
    bytes: Vec<u8>,
    lens: [usize; 3],
    pub word_ids: Option<Vec<i32>>,
    offsets_len: Option<usize>,
    pub batch_size: usize,
    pub seq_len: usize,
}

impl MaskArrays {
    pub fn ids(&self) -> &[u32] {
        &self.words[..self.lens[0]]
    }
    pub fn offsets(&self) -> Option<&[u32]> {
        let at = self.lens[0] + self.word_ids.as_ref().map_or(0, Vec::len);
        self.offsets_len.map(|len| &self.words[at..at + len])
    }
    pub fn special_tokens_mask(&self) -> &[u8] {
        &self.bytes[..self.lens[1]]
    }
    pub fn attention_mask(&self) -> &[u8] {
        &self.bytes[self.lens[1]..self.lens[1] + self.lens[2]]
    }
}

#[wasm_bindgen(module = "/src/wasm/arrays.js")]
extern "C" {
    #[wasm_bindgen(js_name = useMemory)]
    fn use_memory(memory: JsValue);
    #[wasm_bindgen(js_name = encodingFromColumns)]
    fn encoding_from_columns(at: u32, n: u32, tokens: JsValue, vocabulary: &JsValue) -> Object;
    #[wasm_bindgen(js_name = batchFromColumns)]
    fn batch_from_columns(segments: u32, batch_size: u32, seq_len: u32) -> Object;
    #[wasm_bindgen(js_name = maskedFromColumns)]
    fn masked_from_columns(
        segments: u32,
        batch_size: u32,
        seq_len: u32,
        labels_len: u32,
        source_len: u32,
        has_span_ids: bool,
        max_predictions: i32,
    ) -> Object;
    #[wasm_bindgen(js_name = withBatch)]
    fn with_batch_object(masked: Object, batch: Object) -> Object;
    #[wasm_bindgen(js_name = plainCopy)]
    pub(super) fn plain_copy(value: &JsValue) -> JsValue;
    #[wasm_bindgen(js_name = booleanEncodeOptions)]
    pub(super) fn boolean_encode_options(value: &JsValue) -> i32;
    #[wasm_bindgen(js_name = measureMaskInput)]
    fn measure_mask_input(value: &JsValue, header: u32, read_word_ids: bool, read_offsets: bool) -> Option<String>;
    #[wasm_bindgen(js_name = readMaskInput)]
    fn read_mask_input(words: u32, bytes: u32);
}

/// A wasm address as JS sees it (wasm32 pointers are 32-bit). arrays.js reads memory at
/// these addresses, so the first call hands it the module's memory (here rather than in the
/// start function, which test harnesses do not run).
fn address<T>(data: *const T) -> u32 {
    thread_local!(static SHARED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) });
    if !SHARED.with(|shared| shared.replace(true)) {
        use_memory(wasm_bindgen::memory());
    }
    data as usize as u32
}

/// What `Masker.mask` was given; `word_ids` and `offsets` only when `reads` (from
/// `Masker::word_inputs`) says the strategy uses them.
pub fn mask_arrays(value: &JsValue, reads: WordInputs) -> JsResult<MaskArrays> {
    let mut header = [0i32; 7];
    if let Some(message) = measure_mask_input(value, address(header.as_mut_ptr()), reads.word_ids, reads.offsets) {
        return Err(JsError::new(&message));
    }
    let len = |i: usize| usize::try_from(header[i]).ok();
    let [ids, special, attention] = [0, 1, 2].map(|i| len(i).unwrap_or(0));
    let (word_ids_len, offsets_len) = (len(3), len(4));
    let mut words = vec![0u32; ids + word_ids_len.unwrap_or(0) + offsets_len.unwrap_or(0)];
    let mut bytes = vec![0u8; special + attention];
    read_mask_input(address(words.as_mut_ptr()), address(bytes.as_mut_ptr()));
    let word_ids = word_ids_len.map(|n| words[ids..ids + n].iter().map(|&w| w as i32).collect());
    let batch_size = len(5).unwrap_or(1);
    let seq_len = match len(6) {
        Some(n) => n,
        None if batch_size == 0 => 0,
        None => ids / batch_size,
    };
    Ok(MaskArrays { words, bytes, lens: [ids, special, attention], word_ids, offsets_len, batch_size, seq_len })
}

thread_local! {
    /// Where results are laid out for the JS side to copy; kept between calls, so that a
    /// result costs no allocation of its own in wasm memory.
    static SCRATCH: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Lay out a result in the scratch buffer with `fill` and hand its address to `build`.
fn with_scratch<R>(fill: impl FnOnce(&mut Vec<u8>), build: impl FnOnce(u32) -> R) -> R {
    SCRATCH.with(|scratch| {
        let mut scratch = scratch.borrow_mut();
        scratch.clear();
        fill(&mut scratch);
        build(address(scratch.as_ptr()))
    })
}

fn put_words<T: Copy>(out: &mut Vec<u8>, items: &[T], bytes: impl Fn(T) -> [u8; 4]) {
    // Sized once and filled in place: a push per item checks the capacity every time.
    let at = out.len();
    out.resize(at + 4 * items.len(), 0);
    for (chunk, &item) in out[at..].chunks_exact_mut(4).zip(items) {
        chunk.copy_from_slice(&bytes(item));
    }
}

/// An `Encoding` object. Its columns are laid out as `encodingFromColumns` reads them: ids,
/// type ids, offsets (two per position), word ids, then special-tokens mask, attention mask
/// and sequence ids as bytes (the 32-bit columns first, so each starts 4-aligned; the offsets
/// are narrowed to u32 on the way, which is why this copies rather than lists its vectors as
/// `batch_object` does). Its token strings, when the encoding left them out, are looked up
/// from its ids by `vocabulary` when read.
pub fn encoding_object(e: &Encoding, vocabulary: &JsValue) -> Object {
    let fill = |out: &mut Vec<u8>| {
        out.reserve(23 * e.ids.len());
        put_words(out, &e.ids, u32::to_le_bytes);
        put_words(out, &e.type_ids, u32::to_le_bytes);
        // TEMPORARY (being replaced by the declared layout): absent offsets as zeros.
        match &e.offsets {
            Some(offsets) => {
                for &(start, end) in offsets {
                    out.extend_from_slice(&crate::collate::saturate_u32(start).to_le_bytes());
                    out.extend_from_slice(&crate::collate::saturate_u32(end).to_le_bytes());
                }
            }
            None => out.resize(out.len() + 8 * e.ids.len(), 0),
        }
        put_words(out, &e.word_ids, i32::to_le_bytes);
        out.extend_from_slice(&e.special_tokens_mask);
        out.extend_from_slice(&e.attention_mask);
        out.extend(e.sequence_ids.iter().map(|&x| x as u8));
    };
    let tokens = if e.tokens.len() == e.ids.len() { strings(&e.tokens).into() } else { JsValue::UNDEFINED };
    with_scratch(fill, |at| encoding_from_columns(at, e.ids.len() as u32, tokens, vocabulary))
}

/// The vectors of a result where they are, for `gather` in arrays.js: (address, byte length)
/// pairs, in the order the JS side reads them.
#[derive(Default)]
struct Segments(Vec<u32>);

impl Segments {
    fn add<T>(&mut self, items: &[T]) -> &mut Self {
        self.0.extend([address(items.as_ptr()), std::mem::size_of_val(items) as u32]);
        self
    }
    fn at(&self) -> u32 {
        address(self.0.as_ptr())
    }
}

pub fn batch_object(b: &Batch) -> Object {
    // The order `batchFromColumns` reads: 32-bit columns first, so each starts 4-aligned.
    // TEMPORARY (being replaced by the declared layout): absent offsets as zeros.
    let zeros;
    let offsets = match &b.offsets {
        Some(offsets) => offsets.as_slice(),
        None => {
            zeros = vec![0u32; 2 * b.ids.len()];
            &zeros
        }
    };
    let mut segments = Segments::default();
    segments
        .add(&b.ids)
        .add(&b.type_ids)
        .add(offsets)
        .add(&b.word_ids)
        .add(&b.special_tokens_mask)
        .add(&b.attention_mask)
        .add(&b.sequence_ids);
    batch_from_columns(segments.at(), b.batch_size as u32, b.seq_len as u32)
}

pub fn masked_object(m: &MaskedBatch) -> Object {
    let mut segments = Segments::default();
    segments.add(&m.input_ids).add(&m.labels);
    if let Some(span_ids) = &m.span_ids {
        segments.add(span_ids);
    }
    if let Some(p) = &m.predictions {
        segments.add(&p.positions).add(&p.ids).add(&p.weights);
    }
    segments.add(&m.attention_mask).add(&m.outcome);
    let max_predictions = m.predictions.as_ref().map_or(-1, |p| p.max_predictions as i32);
    masked_from_columns(
        segments.at(),
        m.batch_size as u32,
        m.seq_len as u32,
        m.labels_len as u32,
        m.source_len as u32,
        m.span_ids.is_some(),
        max_predictions,
    )
}

pub fn with_batch(masked: Object, batch: &Batch) -> Object {
    with_batch_object(masked, batch_object(batch))
}
