//! The JavaScript binding: the only module that imports `wasm_bindgen`. It converts JS values
//! to the core's types and back, and holds no masking or tokenization logic of its own.

mod de;
mod masker;
mod options;
mod results;
mod tokenizer;
pub mod types;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

pub use masker::JsMasker;
pub use tokenizer::JsTokenizer;

/// Route Rust panics to `console.error` with their message, should one ever happen.
#[wasm_bindgen(start)]
fn start() {
    console_error_panic_hook::set_once();
}

/// Every masking strategy with its parameters: name, kind, default, and the range `new Masker`
/// accepts. Forms can be built from it.
#[wasm_bindgen(js_name = strategies)]
pub fn strategies() -> types::StrategyInfoArray {
    options::strategies().unchecked_into()
}

/// The package version: the crate's `Cargo.toml` version, e.g. "0.1.0".
#[wasm_bindgen(js_name = version)]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}

/// The option sets of the API (`LoadOptions`, `EncodeOptions`, `Truncation`, `Padding`,
/// `MaskingOptions`, ...) in the form of `strategies()`. Not part of the API: the tests check the
/// `.d.ts` against it.
#[wasm_bindgen(js_name = optionSchema, skip_typescript)]
pub fn option_schema() -> JsValue {
    options::option_schema()
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
