//! mlmask reads a tokenizer.json itself (vocabulary, added tokens, settings, post-processor)
//! and builds the `tokenizers` crate's tokenizer only when a call needs it. These tests compare
//! what it reads with what the crate reads, for every vendored file.

#![cfg(all(not(target_arch = "wasm32"), feature = "full"))]

mod common;

use std::str::FromStr;

use common::{load, tokenizer_json, TOKENIZERS};
use mlmask::{EncodeOptions, Tokenizer};

#[test]
fn the_vocabulary_read_without_the_crate_is_the_crates() {
    for name in TOKENIZERS {
        let json = tokenizer_json(name);
        let ours = load(name);
        let theirs = tokenizers::Tokenizer::from_str(&json).unwrap();
        assert_eq!(ours.vocab_size() as usize, theirs.get_vocab_size(true), "{name}");
        let ids = 0..theirs.get_vocab_size(true) as u32 + 5;
        for id in ids {
            assert_eq!(ours.id_to_token(id), theirs.id_to_token(id), "{name}: id {id}");
        }
        for (token, _) in theirs.get_vocab(true) {
            assert_eq!(ours.token_to_id(&token), theirs.token_to_id(&token), "{name}: {token:?}");
        }
        for token in ["", "[MASK]", "<mask>", "not a token at all", "##s", "Ġthe", "▁the"] {
            assert_eq!(ours.token_to_id(token), theirs.token_to_id(token), "{name}: {token:?}");
        }
        let mut special: Vec<u32> =
            theirs.get_added_tokens_decoder().iter().filter(|(_, t)| t.special).map(|(&id, _)| id).collect();
        special.sort_unstable();
        assert_eq!(ours.special_ids(), special, "{name}");
        let model_type = match theirs.get_model() {
            tokenizers::ModelWrapper::WordPiece(_) => "WordPiece",
            tokenizers::ModelWrapper::BPE(_) => "BPE",
            tokenizers::ModelWrapper::Unigram(_) => "Unigram",
            tokenizers::ModelWrapper::WordLevel(_) => "WordLevel",
        };
        assert_eq!(ours.model_type(), model_type, "{name}");
        assert_eq!(ours.file_truncation().map(|t| t.max_length), theirs.get_truncation().map(|t| t.max_length));
        assert_eq!(ours.file_padding().is_some(), theirs.get_padding().is_some(), "{name}");
        if let Some(p) = theirs.get_padding() {
            assert_eq!(ours.pad_token_id(), Some(p.pad_id), "{name}");
        }
    }
}

#[test]
fn a_fast_path_tokenizer_builds_the_crate_only_when_a_call_needs_it() {
    let bert = load("bert-base-uncased");
    assert_eq!(bert.fast_path(), Some("wordpiece"));
    bert.encode("Plain text stays on the fast path.", None, &EncodeOptions::default()).unwrap();
    bert.vocab_info();
    bert.encode("a question", Some("an answer"), &EncodeOptions::default()).unwrap();
    assert!(!bert.crate_tokenizer_built(), "a text or a pair on the fast path built the crate");
    // Decoding needs the crate, which is then built once and shared by clones.
    let clone = bert.clone();
    assert_eq!(bert.decode(&[101, 7592, 102], true).unwrap(), "hello");
    assert!(bert.crate_tokenizer_built() && clone.crate_tokenizer_built());
    // Byte-level BPE: text in any script stays on the fast path; the first text holding an
    // added token (which the crate splits out) builds the crate.
    let roberta = load("roberta-base");
    roberta.encode("Plain ASCII text.", None, &EncodeOptions::default()).unwrap();
    roberta.encode("Caf\u{e9} cr\u{e8}me \u{1F600} \u{4E2D}\u{6587}", None, &EncodeOptions::default()).unwrap();
    assert!(!roberta.crate_tokenizer_built());
    roberta.encode("The <mask> sat.", None, &EncodeOptions::default()).unwrap();
    assert!(roberta.crate_tokenizer_built());
}

#[test]
fn a_file_the_crate_cannot_read_is_refused_at_load_or_on_first_need_with_its_message() {
    // Refused at load: no model, so neither reader takes it.
    let err = Tokenizer::from_json(r#"{"hello": "world"}"#).unwrap_err().to_string();
    assert!(err.contains("not a tokenizer.json"), "{err}");
    // A BERT file whose decoder the crate cannot read: the fast path serves it, and the crate's
    // own error surfaces when a call needs the crate.
    let json = tokenizer_json("bert-base-uncased");
    let mut file: serde_json::Value = serde_json::from_str(&json).unwrap();
    file["decoder"] = serde_json::json!({"type": "NoSuchDecoder"});
    let tokenizer = Tokenizer::from_json(&file.to_string()).unwrap();
    assert!(tokenizer.encode("still fine", None, &EncodeOptions::default()).is_ok());
    let err = tokenizer.decode(&[101], false).unwrap_err().to_string();
    assert!(err.contains("could not load tokenizer.json"), "{err}");
    // The tokenizer keeps working after that error.
    assert!(tokenizer.encode("still fine", None, &EncodeOptions::default()).is_ok());
}
