//! The lite build (`mlmask/lite`): no `tokenizers` crate, so a file is served only where a
//! fast path reproduces its whole pipeline, and a call only where that path covers it. These
//! are the errors that say so and send the user to the full build.

use crate::error::Error;
use crate::file::TokenizerFile;
use crate::post_processor::PostProcessor;

/// The error for a call the lite build cannot serve (`what` completes "mlmask/lite cannot").
pub(crate) fn needs_full(what: &str) -> Error {
    Error::NeedsFullBuild(what.to_owned())
}

/// What to say when the fast path leaves a single text to the crate.
pub(crate) const UNCOVERED_TEXT: &str = "encode this text with this tokenizer: its fast path leaves a few kinds of text to the tokenizers crate (an added token such as [MASK] inside the text, or combining marks that Unicode normalization reorders)";

/// Why the lite build cannot serve a file: the first part of its pipeline that no fast path
/// reproduces, by its place in the file.
pub(crate) fn unsupported(json: &str, file: Option<&TokenizerFile>) -> Error {
    let Some(file) = file else {
        return Error::NeedsFullBuild(format!("read this tokenizer.json{}", shape_hint(json)));
    };
    let kind = |section: Option<&serde_json::value::RawValue>| {
        section
            .and_then(|s| serde_json::from_str::<serde_json::Value>(s.get()).ok())
            .and_then(|v| v.get("type").and_then(|t| t.as_str()).map(str::to_owned))
            .unwrap_or_else(|| "none".into())
    };
    let part = if file.vocab().is_none() {
        format!("its model (`{}`) or added tokens", kind(Some(file.model)))
    } else if PostProcessor::from_json(file.post_processor).is_none() {
        format!("its post_processor (`{}`)", kind(file.post_processor))
    } else {
        format!(
            "its pipeline: normalizer `{}`, pre_tokenizer `{}`, model `{}`",
            kind(file.normalizer),
            kind(file.pre_tokenizer),
            kind(Some(file.model))
        )
    };
    Error::NeedsFullBuild(format!("load this tokenizer.json: it has no fast path for {part}"))
}

fn shape_hint(json: &str) -> &'static str {
    match serde_json::from_str::<serde_json::Value>(json) {
        Err(_) => " (it is not valid JSON)",
        Ok(_) => " (its settings or added tokens are not in the form tokenizers writes)",
    }
}
