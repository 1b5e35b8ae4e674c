//! Checks of a `tokenizer.json` made before the `tokenizers` crate reads it: files on which the
//! crate would panic instead of returning an error are refused with a message, and the crate's
//! least helpful error (an unknown model type) is explained.

use crate::error::{Error, Result};

/// The crate's message for an unknown model type ("did not match any variant of untagged enum
/// ModelUntagged") does not say what is wrong; name the type when that is the cause.
#[cfg_attr(not(feature = "full"), allow(dead_code))] // only the crate reads model types
pub(crate) fn explain_load_error(json: &str, error: &dyn std::fmt::Display) -> String {
    const MODELS: [&str; 4] = ["BPE", "WordPiece", "WordLevel", "Unigram"];
    let model_type = serde_json::from_str::<serde_json::Value>(json)
        .ok()
        .and_then(|v| v.pointer("/model/type").and_then(|t| t.as_str()).map(str::to_owned));
    match model_type {
        Some(t) if !MODELS.contains(&t.as_str()) => {
            format!("unknown model type \"{t}\"; tokenizers reads {}", MODELS.join(", "))
        }
        _ => error.to_string(),
    }
}

/// The parts of a tokenizer.json that [`check_components`] reads (serde skips the rest, but still
/// checks that the whole file is well-formed JSON).
#[derive(serde::Deserialize)]
struct ComponentsOnly {
    #[serde(default)]
    normalizer: Option<serde_json::Value>,
    #[serde(default)]
    post_processor: Option<serde_json::Value>,
    #[serde(default)]
    model: Option<ModelShape>,
}

/// What the BPE check needs of a model, read without copying the vocabulary.
#[derive(serde::Deserialize)]
struct ModelShape {
    #[serde(default)]
    vocab: Option<LongestKey>,
    #[serde(default)]
    merges: Option<Vec<MergeLengths>>,
    #[serde(default)]
    continuing_subword_prefix: Option<String>,
}

/// The byte length of the longest key of a JSON object (0 for anything else).
struct LongestKey(usize);

/// The byte lengths of the two parts of a merge, written `"a b"` or `["a", "b"]`.
struct MergeLengths(usize, usize);

impl<'de> serde::Deserialize<'de> for LongestKey {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = LongestKey;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a vocabulary")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> std::result::Result<LongestKey, A::Error> {
                let mut longest = 0;
                while let Some(StrLen(len)) = map.next_key()? {
                    longest = longest.max(len);
                    map.next_value::<serde::de::IgnoredAny>()?;
                }
                Ok(LongestKey(longest))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<LongestKey, A::Error> {
                while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {}
                Ok(LongestKey(0))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

/// A string's byte length, read without allocating.
struct StrLen(usize);

impl<'de> serde::Deserialize<'de> for StrLen {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = StrLen;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> std::result::Result<StrLen, E> {
                Ok(StrLen(v.len()))
            }
        }
        deserializer.deserialize_str(Visitor)
    }
}

impl<'de> serde::Deserialize<'de> for MergeLengths {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = MergeLengths;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a merge")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> std::result::Result<MergeLengths, E> {
                let (a, b) = v.split_once(' ').unwrap_or((v, ""));
                Ok(MergeLengths(a.len(), b.len()))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> std::result::Result<MergeLengths, A::Error> {
                let a = seq.next_element::<StrLen>()?.map_or(0, |s| s.0);
                let b = seq.next_element::<StrLen>()?.map_or(0, |s| s.0);
                while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {}
                Ok(MergeLengths(a, b))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

/// Refuse, with a message, the files on which the crate would panic instead of returning an
/// error (a wasm trap in the browser). Each case was found by the `load` fuzz target:
/// - malformed JSON inside the `decoder` (its deserializer `expect`s);
/// - a `Precompiled` normalizer whose charsmap does not parse (`expect`ed too);
/// - a `TemplateProcessing` that names a special token it does not define, uses `$B` in the
///   single template, or gives a token different numbers of ids and strings (it panics while
///   encoding);
/// - a BPE merge whose result is longer than every vocabulary token (the builder's buffer).
pub(crate) fn check_components(json: &str) -> Result<()> {
    let parts: ComponentsOnly = match serde_json::from_str(json) {
        Ok(parts) => parts,
        // A component of an unexpected shape: the crate's own error says which.
        Err(e) if e.is_data() => return Ok(()),
        Err(e) => return Err(Error::TokenizerLoad(format!("it is not valid JSON ({e})"))),
    };
    let Some(model) = &parts.model else {
        // The crate's own error for this is about JSON syntax ("expected `,` or `}`"), which
        // sends people looking for a typo in a file that is simply another kind of JSON.
        return Err(Error::TokenizerLoad(
            "this JSON is not a tokenizer.json: it has no `model`. A Hugging Face tokenizer.json holds the `model` (type and vocabulary) with its `normalizer`, `pre_tokenizer`, `post_processor`, `decoder` and `added_tokens`; tokenizer_config.json, vocab.json and config.json are other files".into(),
        ));
    };
    if let ModelShape { vocab: Some(LongestKey(longest)), merges: Some(merges), continuing_subword_prefix } = model {
        // The BPE builder copies each merge into a buffer as long as the longest token before
        // checking that the merged token exists, so a longer merge panics.
        let prefix = continuing_subword_prefix.as_ref().map_or(0, String::len);
        if let Some(k) = merges.iter().position(|m| m.1 < prefix || m.0 + m.1 - prefix > *longest) {
            return Err(Error::TokenizerLoad(format!(
                "its BPE merge number {k} makes a token longer than any in the vocabulary"
            )));
        }
    }
    if let Some(normalizer) = &parts.normalizer {
        check_normalizer(normalizer)?;
    }
    match &parts.post_processor {
        Some(processor) => check_processor(processor),
        None => Ok(()),
    }
}

// Components are recognised by their fields, not by `type`: the crate falls back to matching an
// untyped object by shape, so a misspelt `type` still reaches the same code.
fn check_normalizer(normalizer: &serde_json::Value) -> Result<()> {
    for inner in normalizer.get("normalizers").and_then(|n| n.as_array()).into_iter().flatten() {
        check_normalizer(inner)?;
    }
    // Only the crate reads the charsmap with an `expect`; the lite build never hands it over.
    #[cfg(feature = "full")]
    if normalizer.get("type").and_then(|t| t.as_str()) == Some("Precompiled")
        || normalizer.get("precompiled_charsmap").is_some()
    {
        // From text, as the crate does: the charsmap deserializer borrows a string.
        serde_json::from_str::<tokenizers::normalizers::precompiled::Precompiled>(&normalizer.to_string())
            .map_err(|e| Error::TokenizerLoad(format!("its Precompiled normalizer does not parse ({e})")))?;
    }
    Ok(())
}

fn check_processor(processor: &serde_json::Value) -> Result<()> {
    let bad = |why: String| Err(Error::TokenizerLoad(format!("its post_processor is inconsistent: {why}")));
    for inner in processor.get("processors").and_then(|p| p.as_array()).into_iter().flatten() {
        check_processor(inner)?;
    }
    let is_template = ["single", "pair", "special_tokens"].iter().any(|k| processor.get(k).is_some());
    if !is_template {
        return Ok(());
    }
    // The crate looks special tokens up by their key in `special_tokens`.
    let defined = processor.get("special_tokens").and_then(|t| t.as_object());
    for (name, token) in defined.into_iter().flatten() {
        let count = |key: &str| token.get(key).and_then(|v| v.as_array()).map(Vec::len);
        if count("ids") != count("tokens") {
            return bad(format!("special token \"{name}\" has a different number of ids and tokens"));
        }
    }
    for template in ["single", "pair"] {
        for piece in processor.get(template).and_then(|t| t.as_array()).into_iter().flatten() {
            if let Some(id) = piece.pointer("/SpecialToken/id").and_then(|i| i.as_str()) {
                if !defined.is_some_and(|d| d.contains_key(id)) {
                    return bad(format!(
                        "the {template} template uses the special token \"{id}\", which special_tokens does not define"
                    ));
                }
            }
            if template == "single" && piece.pointer("/Sequence/id").and_then(|i| i.as_str()) == Some("B") {
                return bad("the single template uses the second sequence $B".into());
            }
        }
    }
    Ok(())
}
