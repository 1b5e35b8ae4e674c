//! `Tokenizer`: a loaded tokenizer.json, shared with the maskers made from it.

use std::rc::Rc;

use js_sys::{Array, ArrayBuffer, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::options::{self, js_error, EncodeCall, JsResult};
use super::results;
use super::types::{
    BatchEncodingResult, EncodeOptionsArg, EncodingResult, LoadOptionsArg, StringArray, TokenizerSource,
};
use crate::tokenize::Tokenizer as NativeTokenizer;

/// A Hugging Face tokenizer loaded from a `tokenizer.json`.
///
/// Call `free()` when done to release its memory at once; otherwise it is reclaimed when
/// garbage-collected. Maskers made from it keep working after it is freed.
#[wasm_bindgen(js_name = Tokenizer)]
pub struct JsTokenizer {
    pub(super) inner: Rc<NativeTokenizer>,
    /// A `TokenStrings` for this tokenizer, shared by the encodings it returns.
    token_strings: JsValue,
}

/// Builds an encoding's `tokens` from its ids when they are first read (encode() leaves them
/// out, since most callers never read them). Holds its own reference to the tokenizer, so
/// encodings keep their tokens after `Tokenizer.free()`. Not part of the API.
#[wasm_bindgen(skip_typescript)]
pub struct TokenStrings {
    tokenizer: Rc<NativeTokenizer>,
}

#[wasm_bindgen]
impl TokenStrings {
    /// The token string of each id.
    pub fn tokens(&self, ids: &[u32]) -> Array {
        let tokens: Vec<String> = ids.iter().map(|&id| self.tokenizer.id_to_token(id).unwrap_or_default()).collect();
        results::strings(&tokens)
    }
}

impl JsTokenizer {
    fn new(tokenizer: NativeTokenizer) -> Self {
        let inner = Rc::new(tokenizer);
        let token_strings = TokenStrings { tokenizer: Rc::clone(&inner) }.into();
        Self { inner, token_strings }
    }
}

#[wasm_bindgen(js_class = Tokenizer)]
impl JsTokenizer {
    /// Load a tokenizer.json from its text or bytes. `options.maskToken` / `options.padToken`
    /// name the mask and pad tokens when the defaults ([MASK]/<mask>, [PAD]/<pad>) don't fit.
    #[wasm_bindgen(js_name = fromJSON)]
    pub fn from_json(source: TokenizerSource, options: Option<LoadOptionsArg>) -> JsResult<JsTokenizer> {
        let options = options::load_options(options.map_or(JsValue::UNDEFINED, Into::into))?;
        let source: JsValue = source.into();
        let tokenizer = if let Some(text) = source.as_string() {
            NativeTokenizer::from_json_with(&text, &options).map_err(js_error)?
        } else if let Some(bytes) = source.dyn_ref::<Uint8Array>() {
            NativeTokenizer::from_bytes_with(&bytes.to_vec(), &options).map_err(js_error)?
        } else if let Some(buffer) = source.dyn_ref::<ArrayBuffer>() {
            NativeTokenizer::from_bytes_with(&Uint8Array::new(buffer).to_vec(), &options).map_err(js_error)?
        } else {
            return Err(JsError::new(&format!(
                "Tokenizer.fromJSON takes the tokenizer.json text (string) or bytes (Uint8Array or ArrayBuffer), got {}",
                options::type_name(&source)
            )));
        };
        Ok(JsTokenizer::new(tokenizer))
    }

    /// Tokenize `text` (and `options.pair`). Offsets are UTF-16 code units.
    pub fn encode(&self, text: JsValue, options: Option<EncodeOptionsArg>) -> JsResult<EncodingResult> {
        let text = options::string_arg(&text, "text")?;
        let args = options::encode_options(options.map_or(JsValue::UNDEFINED, Into::into), EncodeCall::Encode)?;
        let encoding = self.inner.encode(&text, args.pair.as_deref(), &args.options).map_err(js_error)?;
        Ok(results::encoding_object(&encoding, &self.token_strings).unchecked_into())
    }

    /// Tokenize several texts into one padded batch of flat, row-major typed arrays.
    #[wasm_bindgen(js_name = encodeBatch)]
    pub fn encode_batch(&self, texts: StringArray, options: Option<EncodeOptionsArg>) -> JsResult<BatchEncodingResult> {
        let texts = options::string_array_arg(&texts.into(), "texts")?;
        let args = options::encode_options(options.map_or(JsValue::UNDEFINED, Into::into), EncodeCall::EncodeBatch)?;
        let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
        let pairs: Option<Vec<&str>> = args.pairs.as_ref().map(|p| p.iter().map(String::as_str).collect());
        let batch = self.inner.encode_batch(&texts, pairs.as_deref(), &args.options).map_err(js_error)?;
        Ok(results::batch_object(&batch).unchecked_into())
    }

    /// Decode ids back to text.
    pub fn decode(&self, ids: &[u32], skip_special_tokens: Option<bool>) -> JsResult<String> {
        self.inner.decode(ids, skip_special_tokens.unwrap_or(false)).map_err(js_error)
    }

    /// The vocabulary size including added tokens (Python's `len(tokenizer)`).
    #[wasm_bindgen(getter, js_name = vocabSize)]
    pub fn vocab_size(&self) -> u32 {
        self.inner.vocab_size()
    }

    /// The mask token's id, or undefined when the tokenizer has none.
    #[wasm_bindgen(getter, js_name = maskTokenId)]
    pub fn mask_token_id(&self) -> Option<u32> {
        self.inner.mask_token_id()
    }

    /// The pad token's id, or undefined when the tokenizer has none.
    #[wasm_bindgen(getter, js_name = padTokenId)]
    pub fn pad_token_id(&self) -> Option<u32> {
        self.inner.pad_token_id()
    }

    /// The model family: "WordPiece", "BPE", "Unigram" or "WordLevel".
    #[wasm_bindgen(getter, js_name = modelType)]
    pub fn model_type(&self) -> String {
        self.inner.model_type().to_owned()
    }

    /// Ids of the added tokens marked special.
    #[wasm_bindgen(getter, js_name = specialIds)]
    pub fn special_ids(&self) -> Vec<u32> {
        self.inner.special_ids().to_vec()
    }

    /// T5's sentinel ids (`<extra_id_0>`, `<extra_id_1>`, ...), which the t5 strategy needs; empty when there are none.
    #[wasm_bindgen(getter, js_name = sentinelIds)]
    pub fn sentinel_ids(&self) -> Vec<u32> {
        self.inner.sentinel_ids()
    }

    /// The token of an id, or undefined when there is none.
    #[wasm_bindgen(js_name = idToToken)]
    pub fn id_to_token(&self, id: f64) -> Option<String> {
        if id.fract() != 0.0 || !(0.0..=u32::MAX as f64).contains(&id) {
            return None;
        }
        self.inner.id_to_token(id as u32)
    }

    /// The id of a token, or undefined when there is none.
    #[wasm_bindgen(js_name = tokenToId)]
    pub fn token_to_id(&self, token: &str) -> Option<u32> {
        self.inner.token_to_id(token)
    }
}
