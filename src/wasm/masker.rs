//! `Masker`: masking options, a random stream, and the tokenizer `collate` uses.

use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::options::{self, js_error, EncodeCall, JsResult};
use super::results;
use super::tokenizer::JsTokenizer;
use super::types::{
    CollatedBatchResult, EncodeOptionsArg, MaskInputArg, MaskedBatchResult, MaskerOptionsArg, StringArray,
};
use crate::masking::{MaskInput, Masker as NativeMasker};
use crate::tokenize::Tokenizer as NativeTokenizer;

/// Masked-language-model masking with transformers' `DataCollatorForLanguageModeling`
/// semantics. With a `seed` it is deterministic, and its stream carries over between calls.
///
/// Call `free()` when done, or leave it to the garbage collector.
#[wasm_bindgen(js_name = Masker)]
pub struct JsMasker {
    masker: NativeMasker,
    tokenizer: Rc<NativeTokenizer>,
}

#[wasm_bindgen(js_class = Masker)]
impl JsMasker {
    /// Validate `options` against `tokenizer` (mask token, probabilities) and seed the stream.
    #[wasm_bindgen(constructor)]
    pub fn new(tokenizer: &JsTokenizer, options: Option<MaskerOptionsArg>) -> JsResult<JsMasker> {
        let options = options::masker_options(options.map_or(JsValue::UNDEFINED, Into::into))?;
        let masker = NativeMasker::with_tokenizer(&tokenizer.inner, &options).map_err(js_error)?;
        Ok(JsMasker { masker, tokenizer: Rc::clone(&tokenizer.inner) })
    }

    /// Mask an encoding from `encode()` or a batch from `encodeBatch()`.
    pub fn mask(&mut self, encoding: MaskInputArg) -> JsResult<MaskedBatchResult> {
        let arrays = results::mask_arrays(&encoding.into(), self.masker.word_inputs())?;
        let input = MaskInput {
            word_ids: arrays.word_ids.as_deref(),
            offsets: arrays.offsets(),
            tokenizer: Some(&self.tokenizer),
            ..MaskInput::new(
                arrays.ids(),
                arrays.special_tokens_mask(),
                arrays.attention_mask(),
                arrays.batch_size,
                arrays.seq_len,
            )
        };
        let masked = self.masker.mask(&input).map_err(js_error)?;
        Ok(results::masked_object(&masked).unchecked_into())
    }

    /// Tokenize, pad (to the longest, rounded up to `padToMultipleOf`) and mask, in one call;
    /// with `packing: { maxLength }`, the masked texts packed several to a row.
    pub fn collate(&mut self, texts: StringArray, options: Option<EncodeOptionsArg>) -> JsResult<CollatedBatchResult> {
        let texts = options::string_array_arg(&texts.into(), "texts")?;
        let args = options::encode_options(options.map_or(JsValue::UNDEFINED, Into::into), EncodeCall::Collate)?;
        if args.pairs.is_some() {
            return Err(JsError::new(
                "collate() takes single texts; encode pairs with encodeBatch() and pass the batch to mask()",
            ));
        }
        let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
        let (batch, masked) = match &args.packing {
            Some(packing) => self.masker.collate_packed(&self.tokenizer, &texts, &args.options, packing),
            None => self.masker.collate(&self.tokenizer, &texts, &args.options),
        }
        .map_err(js_error)?;
        Ok(results::with_batch(results::masked_object(&masked), &batch).unchecked_into())
    }

    /// Restart the random stream from `seed`, or from fresh randomness when omitted.
    pub fn reseed(&mut self, seed: Option<f64>) -> JsResult<()> {
        self.masker.reseed(seed.map(options::seed).transpose()?).map_err(js_error)
    }
}
