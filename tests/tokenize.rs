//! Tokenization against Python `tokenizers` (fixtures from tests/fixtures/make_tokenize_fixtures.py)
//! and the behaviour of the per-call options.

#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{load, tokenizer_json, TOKENIZERS};
use mlmask::{EncodeOptions, Error, LoadOptions, OffsetUnit, Padding, Setting, Side, Tokenizer, Truncation};
use serde_json::Value;

fn fixture(name: &str) -> Value {
    let path = format!("{}/tests/fixtures/tokenize/{name}.json", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

fn ints(v: &Value) -> Vec<i64> {
    v.as_array().unwrap().iter().map(|x| x.as_i64().unwrap()).collect()
}

fn options_for(case: &Value, offsets: OffsetUnit) -> EncodeOptions {
    let off = case["no_padding_truncation"].as_bool().unwrap();
    EncodeOptions {
        add_special_tokens: case["add_special_tokens"].as_bool().unwrap(),
        truncation: if off { Setting::Off } else { Setting::FromFile },
        padding: if off { Setting::Off } else { Setting::FromFile },
        offsets,
        ..EncodeOptions::default()
    }
}

/// ids, tokens, type ids, char offsets, special-tokens mask, attention mask and word ids equal
/// Python's for every case of every tokenizer.
#[test]
fn every_tokenizer_matches_python_tokenizers() {
    let mut compared = 0;
    for name in TOKENIZERS {
        let tokenizer = load(name);
        let fixture = fixture(name);
        for case in fixture["cases"].as_array().unwrap() {
            let label = format!("{name} / {}", case["name"].as_str().unwrap());
            let text = case["text"].as_str().unwrap();
            let pair = case["pair"].as_str();
            let e = tokenizer.encode(text, pair, &options_for(case, OffsetUnit::Char)).unwrap();
            let ids: Vec<i64> = e.ids.iter().map(|&x| x.into()).collect();
            assert_eq!(ids, ints(&case["ids"]), "{label}: ids");
            let tokens: Vec<&str> = case["tokens"].as_array().unwrap().iter().map(|t| t.as_str().unwrap()).collect();
            assert_eq!(e.tokens, tokens, "{label}: tokens");
            let type_ids: Vec<i64> = e.type_ids.iter().map(|&x| x.into()).collect();
            assert_eq!(type_ids, ints(&case["type_ids"]), "{label}: type ids");
            let offsets: Vec<(i64, i64)> = case["offsets"]
                .as_array()
                .unwrap()
                .iter()
                .map(|o| (o[0].as_i64().unwrap(), o[1].as_i64().unwrap()))
                .collect();
            let got: Vec<(i64, i64)> = e.offsets.as_ref().unwrap().iter().map(|&(s, t)| (s as i64, t as i64)).collect();
            assert_eq!(got, offsets, "{label}: offsets");
            let special: Vec<i64> = e.special_tokens_mask.iter().map(|&x| x.into()).collect();
            assert_eq!(special, ints(&case["special_tokens_mask"]), "{label}: special tokens mask");
            let attention: Vec<i64> = e.attention_mask.iter().map(|&x| x.into()).collect();
            assert_eq!(attention, ints(&case["attention_mask"]), "{label}: attention mask");
            let words: Vec<i64> = e.word_ids.iter().map(|&x| x.into()).collect();
            assert_eq!(words, ints(&case["word_ids"]), "{label}: word ids");
            compared += 1;
        }
    }
    assert!(compared >= 7 * 70, "only {compared} cases compared");
}

fn char_to_utf16(text: &str, char_index: usize) -> usize {
    text.chars().take(char_index).map(char::len_utf16).sum()
}

/// UTF-16 offsets are Python's char offsets re-counted in UTF-16 code units of the right text.
#[test]
fn utf16_offsets_are_char_offsets_in_code_units() {
    for name in TOKENIZERS {
        let tokenizer = load(name);
        for case in fixture(name)["cases"].as_array().unwrap() {
            let text = case["text"].as_str().unwrap();
            let pair = case["pair"].as_str();
            let chars = tokenizer.encode(text, pair, &options_for(case, OffsetUnit::Char)).unwrap();
            let utf16 = tokenizer.encode(text, pair, &options_for(case, OffsetUnit::Utf16)).unwrap();
            let bytes = tokenizer.encode(text, pair, &options_for(case, OffsetUnit::Byte)).unwrap();
            assert_eq!(chars.ids, utf16.ids);
            for i in 0..chars.len() {
                let source = match utf16.sequence_ids[i] {
                    0 => text,
                    1 => pair.unwrap(),
                    _ => {
                        assert_eq!(utf16.offsets.as_ref().unwrap()[i], (0, 0), "{name}: special or padding token {i}");
                        continue;
                    }
                };
                let (s, e) = chars.offsets.as_ref().unwrap()[i];
                let expected = (char_to_utf16(source, s), char_to_utf16(source, e));
                assert_eq!(utf16.offsets.as_ref().unwrap()[i], expected, "{name} {:?} token {i}", case["name"]);
                // Byte offsets of the same token cover the same characters.
                let (bs, be) = bytes.offsets.as_ref().unwrap()[i];
                let by_chars: String = source.chars().skip(s).take(e - s).collect();
                assert_eq!(source.get(bs..be), Some(by_chars.as_str()), "{name} token {i} bytes");
            }
        }
    }
}

#[test]
fn mask_pad_and_vocab_size_are_found_as_transformers_finds_them() {
    // (name, len(tokenizer), mask id, pad id), read with Python `tokenizers`.
    let expected = [
        ("bert-base-uncased", 30522, Some(103), Some(0)),
        ("all-minilm-l6-v2", 30522, Some(103), Some(0)),
        ("bert-base-multilingual-cased", 119547, Some(103), Some(0)),
        ("roberta-base", 50265, Some(50264), Some(1)),
        ("gpt2", 50257, None, None),
        ("t5-small", 32100, None, Some(0)),
        ("mistral-7b-v0.1", 32000, None, None),
    ];
    for (name, vocab, mask, pad) in expected {
        let t = load(name);
        assert_eq!((t.vocab_size(), t.mask_token_id(), t.pad_token_id()), (vocab, mask, pad), "{name}");
    }
    let bert = load("bert-base-uncased");
    assert_eq!(bert.model_type(), "WordPiece");
    assert_eq!(load("t5-small").model_type(), "Unigram");
    assert_eq!(load("gpt2").model_type(), "BPE");
    assert_eq!(bert.special_ids(), &[0, 100, 101, 102, 103]);
    assert_eq!(bert.id_to_token(103).as_deref(), Some("[MASK]"));
    assert_eq!(bert.token_to_id("hello"), Some(7592));
    // T5's sentinels, <extra_id_0> first, counting down from the top of the vocabulary.
    let t5 = load("t5-small");
    assert_eq!(t5.sentinel_ids(), (32000..32100).rev().collect::<Vec<u32>>());
    assert_eq!(t5.id_to_token(32099).as_deref(), Some("<extra_id_0>"));
    assert!(bert.sentinel_ids().is_empty());
}

#[test]
fn mask_and_pad_tokens_can_be_named() {
    let json = tokenizer_json("gpt2");
    let options = LoadOptions {
        mask_token: Some("<|endoftext|>".into()),
        pad_token: Some("<|endoftext|>".into()),
        ..LoadOptions::default()
    };
    let t = Tokenizer::from_json_with(&json, &options).unwrap();
    assert_eq!((t.mask_token_id(), t.pad_token_id()), (Some(50256), Some(50256)));
    let bad = LoadOptions { mask_token: Some("[NOPE]".into()), ..LoadOptions::default() };
    let err = Tokenizer::from_json_with(&json, &bad).unwrap_err();
    assert_eq!(
        err.to_string(),
        "`mask_token` names \"[NOPE]\", which is not a token of this tokenizer; pass a token from its vocabulary"
    );
}

#[test]
fn bytes_and_text_load_the_same_tokenizer_and_bad_files_say_why() {
    let json = tokenizer_json("roberta-base");
    let a = Tokenizer::from_bytes(json.as_bytes()).unwrap();
    let b = Tokenizer::from_json(&json).unwrap();
    let o = EncodeOptions::default();
    assert_eq!(a.encode("Hello there", None, &o).unwrap(), b.encode("Hello there", None, &o).unwrap());

    let err = Tokenizer::from_json("{\"version\": \"1.0\"").unwrap_err();
    assert!(matches!(err, Error::TokenizerLoad(_)), "{err:?}");
    assert!(err.to_string().starts_with("could not load tokenizer.json: "), "{err}");
    let err = Tokenizer::from_json("{\"model\": {\"type\": \"Transformer\"}}").unwrap_err();
    assert_eq!(
        err.to_string(),
        "could not load tokenizer.json: unknown model type \"Transformer\"; tokenizers reads BPE, WordPiece, WordLevel, Unigram. Pass the complete text (or bytes) of a Hugging Face tokenizer.json file"
    );
    let err = Tokenizer::from_bytes(&[0xff, 0xfe, 0x00]).unwrap_err();
    assert!(err.to_string().starts_with("tokenizer.json is not valid UTF-8"), "{err}");
}

#[test]
fn the_files_own_truncation_and_padding_apply_unless_turned_off() {
    let minilm = load("all-minilm-l6-v2");
    let long = "word ".repeat(300);
    let e = minilm.encode(&long, None, &EncodeOptions::default()).unwrap();
    assert_eq!(e.len(), 128);
    let short = minilm.encode("hello", None, &EncodeOptions::default()).unwrap();
    assert_eq!(short.len(), 128, "padded to the file's fixed 128");
    assert_eq!(short.attention_mask.iter().filter(|&&a| a == 1).count(), 3);
    let off = EncodeOptions { truncation: Setting::Off, padding: Setting::Off, ..EncodeOptions::default() };
    assert_eq!(minilm.encode(&long, None, &off).unwrap().len(), 302);
    assert_eq!(minilm.encode("hello", None, &off).unwrap().len(), 3);
    // The settings are per call: the file's settings are back for the next call.
    assert_eq!(minilm.encode("hello", None, &EncodeOptions::default()).unwrap().len(), 128);
}

#[test]
fn truncation_and_padding_can_be_replaced_per_call() {
    let bert = load("bert-base-uncased");
    let options = EncodeOptions {
        truncation: Setting::Set(Truncation::to(5)),
        padding: Setting::Set(Padding { length: Some(8), pad_to_multiple_of: None, side: Side::Left }),
        ..EncodeOptions::default()
    };
    let e = bert.encode("one two three four five six", None, &options).unwrap();
    assert_eq!(e.tokens, ["[PAD]", "[PAD]", "[PAD]", "[CLS]", "one", "two", "three", "[SEP]"]);
    assert_eq!(e.attention_mask, [0, 0, 0, 1, 1, 1, 1, 1]);
    assert_eq!(e.special_tokens_mask, [1, 1, 1, 1, 0, 0, 0, 1]);
    assert_eq!(e.word_ids, [-1, -1, -1, -1, 0, 1, 2, -1]);

    let multiple = EncodeOptions { pad_to_multiple_of: Some(8), ..EncodeOptions::default() };
    let e = bert.encode("hello", None, &multiple).unwrap();
    assert_eq!(e.len(), 8);
    assert_eq!(&e.ids[..4], &[101, 7592, 102, 0]);
}

#[test]
fn pairs_carry_sequence_ids_and_offsets_into_their_own_text() {
    let bert = load("bert-base-uncased");
    let e = bert.encode("héllo 😀 world", Some("naïve pair"), &EncodeOptions::default()).unwrap();
    assert_eq!(e.type_ids.iter().filter(|&&t| t == 1).count(), 3, "{:?}", e.tokens);
    let second: Vec<usize> = (0..e.len()).filter(|&i| e.sequence_ids[i] == 1).collect();
    let words: Vec<String> = second
        .iter()
        .map(|&i| {
            let (s, t) = e.offsets.as_ref().unwrap()[i];
            String::from_utf16(&"naïve pair".encode_utf16().collect::<Vec<_>>()[s..t]).unwrap()
        })
        .collect();
    assert_eq!(words, ["naïve", "pair"]);
    let emoji = e.tokens.iter().position(|t| t == "[UNK]").unwrap();
    assert_eq!(e.offsets.as_ref().unwrap()[emoji], (6, 8), "the emoji is two UTF-16 code units");

    // Truncating a pair keeps the sequence ids right.
    let options = EncodeOptions { truncation: Setting::Set(Truncation::to(6)), ..EncodeOptions::default() };
    let e = bert.encode("one two three four", Some("five six seven"), &options).unwrap();
    assert_eq!(e.tokens, ["[CLS]", "one", "two", "[SEP]", "five", "[SEP]"]);
    assert_eq!(e.sequence_ids, [-1, 0, 0, -1, 1, -1]);
    assert_eq!(e.offsets.as_ref().unwrap()[4], (0, 4));
}

#[test]
fn batches_are_padded_rectangles() {
    let bert = load("bert-base-uncased");
    let options = EncodeOptions { pad_to_multiple_of: Some(4), ..EncodeOptions::default() };
    let b = bert.encode_batch(&["a b c", "d"], None, &options).unwrap();
    assert_eq!((b.batch_size, b.seq_len), (2, 8));
    assert_eq!(b.ids, [101, 1037, 1038, 1039, 102, 0, 0, 0, 101, 1040, 102, 0, 0, 0, 0, 0]);
    assert_eq!(b.attention_mask, [1, 1, 1, 1, 1, 0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0]);
    assert_eq!(b.special_tokens_mask, [1, 0, 0, 0, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1]);
    assert_eq!(b.offsets.as_ref().unwrap().len(), 2 * 16);
    assert_eq!(&b.offsets.as_ref().unwrap()[2..4], &[0, 1]);
    assert_eq!(bert.id_to_token(b.ids[9]).as_deref(), Some("d"));

    let pairs = bert.encode_batch(&["a", "b"], Some(&["c", "d e"]), &EncodeOptions::default()).unwrap();
    assert_eq!(pairs.seq_len, 6);

    // The file's fixed 128 applies to batches too, unless replaced.
    let minilm = load("all-minilm-l6-v2");
    assert_eq!(minilm.encode_batch(&["a"], None, &EncodeOptions::default()).unwrap().seq_len, 128);
    let off = EncodeOptions { padding: Setting::Off, ..EncodeOptions::default() };
    assert_eq!(minilm.encode_batch(&["a", "b c"], None, &off).unwrap().seq_len, 4);
}

#[test]
fn encoding_errors_say_what_to_fix() {
    let bert = load("bert-base-uncased");
    let o = EncodeOptions::default();
    let message = |r: mlmask::Result<mlmask::Batch>| r.unwrap_err().to_string();
    assert_eq!(message(bert.encode_batch(&[], None, &o)), "the batch is empty; pass at least one text");
    assert_eq!(
        message(bert.encode_batch(&["a", "b"], Some(&["c"]), &o)),
        "`pairs` has 1 entries but there are 2 texts; pass one pair text per text"
    );
    let zero = EncodeOptions { pad_to_multiple_of: Some(0), ..o };
    assert_eq!(
        message(bert.encode_batch(&["a"], None, &zero)),
        "`pad_to_multiple_of` must be a positive integer, got 0"
    );
    let short = EncodeOptions { padding: Setting::Set(Padding { length: Some(2), ..Padding::longest() }), ..o };
    assert_eq!(
        bert.encode("a b c", None, &short).unwrap_err().to_string(),
        "padding `length` 2 is shorter than a sequence of 5 tokens; enable truncation with a `max_length` of at most 2, or pad to a larger length"
    );
    let tiny = EncodeOptions { truncation: Setting::Set(Truncation::to(3)), ..o };
    assert_eq!(
        bert.encode("a", Some("b"), &tiny).unwrap_err().to_string(),
        "truncation `max_length` 3 leaves no room: this tokenizer adds 3 special tokens to a pair; use a `max_length` above 3 or `add_special_tokens: false`"
    );
    let zero_trunc = EncodeOptions { truncation: Setting::Set(Truncation::to(0)), ..o };
    assert_eq!(
        bert.encode("a", None, &zero_trunc).unwrap_err().to_string(),
        "`max_length` must be a positive integer, got 0"
    );
    // The tokenizer still works after the errors.
    assert_eq!(bert.encode("hello", None, &o).unwrap().ids, [101, 7592, 102]);

    let gpt2 = load("gpt2");
    assert_eq!(
        message(gpt2.encode_batch(&["a", "b c d"], None, &o)),
        "these sequences need padding but the tokenizer has no pad token; name one with the `pad_token` option when loading it (for example the end-of-text token)"
    );
    assert_eq!(gpt2.encode_batch(&["a b", "c d"], None, &o).unwrap().seq_len, 2, "equal lengths need no pad token");
}

#[test]
fn edge_texts_never_panic_and_round_trip_where_lossless() {
    let texts = ["", " ", "\u{0}", "\u{FEFF}", "a\u{0301}\u{0301}\u{0301}", "🏳️‍🌈👩‍👩‍👧‍👦", "\u{10FFFF}", &"x".repeat(20_000)];
    for name in TOKENIZERS {
        let t = load(name);
        for text in texts {
            for add_special_tokens in [true, false] {
                let o = EncodeOptions { add_special_tokens, ..EncodeOptions::default() };
                let e = t.encode(text, None, &o).unwrap();
                let units = text.encode_utf16().count();
                assert!(e.offsets.as_ref().unwrap().iter().all(|&(s, e)| s <= e && e <= units), "{name}: {text:?}");
            }
        }
        let e = t
            .encode("plain words here", None, &EncodeOptions { add_special_tokens: false, ..EncodeOptions::default() })
            .unwrap();
        let decoded = t.decode(&e.ids, true).unwrap();
        assert_eq!(decoded.trim().to_lowercase(), "plain words here", "{name}");
    }
}

#[test]
fn token_strings_can_be_left_out_where_ids_give_them() {
    // `token_strings: false` leaves `tokens` empty only where a fast path made the encoding (a
    // text or a pair) and each token is `id_to_token` of its id; the crate path keeps them.
    let lean = EncodeOptions { token_strings: false, ..EncodeOptions::default() };
    let padded = EncodeOptions { padding: Setting::Set(Padding { length: Some(12), ..Padding::longest() }), ..lean };
    for name in ["bert-base-uncased", "roberta-base", "t5-small"] {
        let tok = load(name);
        let full = tok.encode("Hello, lean world!", None, &EncodeOptions::default()).unwrap();
        assert_eq!(full.tokens.len(), full.ids.len(), "{name}");
        for options in [lean, padded] {
            let e = tok.encode("Hello, lean world!", None, &options).unwrap();
            if tok.fast_path().is_some() {
                assert!(e.tokens.is_empty(), "{name}");
                let derived: Vec<String> = e.ids.iter().map(|&id| tok.id_to_token(id).unwrap()).collect();
                assert_eq!(derived[..full.len()], full.tokens[..], "{name}");
            } else {
                assert_eq!(e.tokens[..full.len()], full.tokens[..], "{name}");
                assert_eq!(e.tokens.len(), e.ids.len(), "{name}");
            }
        }
        let pair = tok.encode("Hello", Some("world"), &lean).unwrap();
        let with_strings = tok.encode("Hello", Some("world"), &EncodeOptions::default()).unwrap();
        if tok.fast_path().is_some() {
            assert!(pair.tokens.is_empty(), "{name}: a pair on the fast path");
            let derived: Vec<String> = pair.ids.iter().map(|&id| tok.id_to_token(id).unwrap()).collect();
            assert_eq!(derived, with_strings.tokens, "{name}");
        } else {
            assert_eq!(pair.tokens, with_strings.tokens, "{name}: pairs on the crate keep their strings");
        }
    }
}

#[test]
fn token_strings_stay_when_the_post_processor_names_an_id_otherwise() {
    // A template whose [CLS] carries id 1996 ("the" in the vocabulary) makes the token string
    // at that position disagree with `id_to_token`, so the strings cannot be left out.
    let mut json: Value = serde_json::from_str(&tokenizer_json("bert-base-uncased")).unwrap();
    json["post_processor"]["special_tokens"]["[CLS]"]["ids"] = serde_json::json!([1996]);
    let tok = Tokenizer::from_json(&json.to_string()).unwrap();
    assert!(tok.fast_path().is_some());
    let lean = EncodeOptions { token_strings: false, ..EncodeOptions::default() };
    let e = tok.encode("a cat", None, &lean).unwrap();
    assert_eq!(e.ids, [1996, 1037, 4937, 102]);
    assert_eq!(e.tokens, ["[CLS]", "a", "cat", "[SEP]"]);
    assert_eq!(tok.id_to_token(1996).as_deref(), Some("the"));
}

/// `OffsetUnit::None` leaves offsets out, on the fast path and on the crate path, for single
/// encodings and batches: there are no `(0, 0)` pairs that look like offsets.
#[test]
fn no_offsets_means_absent_not_zero() {
    let options = EncodeOptions { offsets: OffsetUnit::None, ..EncodeOptions::default() };
    for name in ["bert-base-uncased", "t5-small"] {
        let tokenizer = load(name);
        for t in [tokenizer.clone(), tokenizer.without_fast_path()] {
            let e = t.encode("Hello there, world.", None, &options).unwrap();
            assert!(!e.ids.is_empty());
            assert_eq!(e.offsets, None, "{name}");
            let padded =
                EncodeOptions { padding: Setting::Set(Padding { length: Some(32), ..Padding::longest() }), ..options };
            assert_eq!(t.encode("Hello", None, &padded).unwrap().offsets, None, "{name}: padded");
            let b = t.encode_batch(&["Hello there", "a"], None, &options).unwrap();
            assert_eq!(b.offsets, None, "{name}: batch");
            let with = t.encode_batch(&["Hello there", "a"], None, &EncodeOptions::default()).unwrap();
            assert_eq!(with.offsets.map(|o| o.len()), Some(2 * with.ids.len()), "{name}: batch with offsets");
        }
    }
}

/// `additionalSpecialTokens` appends tokens as Python's `tokenizer.add_special_tokens` does:
/// ids and encodings from Python `tokenizers` 0.23.3 (`add_special_tokens(["<mask>",
/// "<fim_prefix>"])` on GPT-2).
#[test]
fn additional_special_tokens_get_the_next_ids_as_in_python() {
    let options = LoadOptions {
        additional_special_tokens: vec!["<mask>".into(), "<fim_prefix>".into(), "<|endoftext|>".into()],
        ..LoadOptions::default()
    };
    let tokenizer = Tokenizer::from_json_with(&tokenizer_json("gpt2"), &options).unwrap();
    assert_eq!(tokenizer.vocab_size(), 50259, "the end of text is already there");
    assert_eq!((tokenizer.token_to_id("<mask>"), tokenizer.token_to_id("<fim_prefix>")), (Some(50257), Some(50258)));
    assert_eq!(tokenizer.mask_token_id(), Some(50257), "a `<mask>` added this way is the mask token");
    let ids = tokenizer.encode("def f(<mask>): <fim_prefix>x", None, &EncodeOptions::default()).unwrap().ids;
    assert_eq!(ids, [4299, 277, 7, 50257, 2599, 220, 50258, 87]);
    assert!(tokenizer.special_ids().contains(&50258));
}

/// JSON that is not a tokenizer.json is called that, instead of the crate's syntax error
/// ("expected `,` or `}` at line 1 column 9" for `{"hello":"world"}`).
#[test]
fn other_json_is_not_a_tokenizer_json() {
    for json in [r#"{"hello":"world"}"#, r#"{"version": "1.0", "model": null}"#, "{}"] {
        let message = Tokenizer::from_json(json).unwrap_err().to_string();
        assert!(
            message.starts_with("could not load tokenizer.json: this JSON is not a tokenizer.json: it has no `model`."),
            "{json}: {message}"
        );
    }
}
