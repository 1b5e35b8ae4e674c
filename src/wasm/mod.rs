//! The JavaScript binding: the only module that imports `wasm_bindgen`. It converts JS values
//! to the core's types and back, and holds no masking or tokenization logic of its own.

mod masker;
mod options;
mod results;
mod tokenizer;
pub mod types;

use wasm_bindgen::prelude::*;

pub use masker::JsMasker;
pub use tokenizer::JsTokenizer;

/// Route Rust panics to `console.error` with their message, should one ever happen.
#[wasm_bindgen(start)]
fn start() {
    console_error_panic_hook::set_once();
}

/// What a masked position became, as stored in `outcome` arrays.
#[wasm_bindgen(js_name = Outcome)]
#[derive(Clone, Copy)]
pub enum JsOutcome {
    /// Not selected: label -100.
    Unselected = 0,
    /// Replaced by the mask token.
    Mask = 1,
    /// Replaced by a random id.
    Random = 2,
    /// Selected but unchanged.
    Kept = 3,
}
