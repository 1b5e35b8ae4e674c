//! Differential tests of the fused fast paths (src/fast/) against the `tokenizers` crate path:
//! every line of every vendored corpus file (tests/data), the multilingual stress data, edge cases and every
//! pair of ASCII characters, for every vendored tokenizer that has a fast path. Every field of
//! the encoding must be identical, offsets in every unit.
//!
//! The crate path is slow in a debug build, which therefore checks the corpus in fewer offset
//! units; `cargo test --release --test fast_paths` runs everything in well under a minute.

#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{corpus, load, TOKENIZERS};
use mlmask::{EncodeOptions, Encoding, OffsetUnit, Setting, Side, Tokenizer, Truncation, TruncationStrategy};

/// The fast path each vendored tokenizer is expected to use.
fn expected_path(name: &str) -> Option<&'static str> {
    match name {
        "bert-base-uncased" | "all-minilm-l6-v2" | "bert-base-multilingual-cased" => Some("wordpiece"),
        "roberta-base" | "gpt2" => Some("byte-level-bpe"),
        "mistral-7b-v0.1" => Some("sentencepiece-bpe"),
        "t5-small" => Some("unigram"),
        _ => None,
    }
}

/// Every line of every file of `corpus/en` (CR kept), and of each text field of the
/// multilingual JSONL files, plus those fields whole.
fn corpus_texts() -> Vec<String> {
    let mut texts = Vec::new();
    let mut files = corpus("en");
    files.extend(corpus("multilingual"));
    for (name, content) in files {
        if name.ends_with(".jsonl") {
            for line in content.lines() {
                let v: serde_json::Value = serde_json::from_str(line).unwrap();
                for field in ["text", "source", "NFC", "NFD", "NFKC", "NFKD", "emoji", "name"] {
                    if let Some(s) = v[field].as_str() {
                        if s.contains('\n') {
                            texts.extend(s.split('\n').map(str::to_owned));
                        }
                        texts.push(s.to_owned());
                    }
                }
            }
        } else {
            texts.extend(content.split('\n').map(str::to_owned));
        }
    }
    texts
}

fn edge_cases() -> Vec<String> {
    let mut texts: Vec<String> = [
        "",
        " ",
        "\t\n\r ",
        "\0",
        "\u{fffd}",
        "a\u{1}b\u{7f}c\u{85}d\u{200b}e\u{200d}f\u{feff}g\u{ad}h",
        "a\u{0b}b\u{0c}c\u{1c}d\u{1f}e",
        "Hello, world! How are you?!?",
        "野口里佳 Noguchi Rika",
        "中文字符，标点。",
        "\u{F900}\u{FA0D}\u{2F800}",
        "𠀀𪜀𫝀",
        "e\u{0301}cole caf\u{e9} na\u{ef}ve",
        "a\u{0323}\u{0307} a\u{0307}\u{0323} \u{1e0b}\u{0323}",
        "x\u{1DFA}y \u{1AC1}z \u{1DF9}",
        "\u{01d8} \u{00c5}\u{0323} \u{212b}",
        "한국어 텍스트 각",
        "İstanbul ıi IJ ǅ",
        "ß ẞ ﬁ ﬃ Σίσυφος ΣΑΣ ς",
        "[MASK] is [mask] and [CLS][SEP] [PAD][UNK]",
        "<mask> <s>x</s> a<mask>b <pad><unk>",
        "don't I'm we've they'll she'd it's ''s 'S 're 'RE",
        "  multiple   spaces  ",
        "trailing space ",
        " leading",
        "\n\nnew\n",
        "tabs\tand\u{0b}vt\u{0c}ff",
        "numbers 123 4.5e6 ١٢٣ ①②",
        "a-b_c.d,e!f?g\"h'i(j)k[l]m{n}o<p>q|r\\s/t~u`v@w#x$y%z^&*+=",
        "ÀÉÎÕÜ àéîõü",
        "ℌ𝔢𝔩𝔩𝔬 𝟙𝟚",
        "\u{2000}\u{3000}x\u{2028}y\u{a0}z",
        "مرحبا بالعالم",
        "नमस्ते दुनिया",
        "😀👍🏽👨‍👩‍👧 🇫🇷",
        "\u{10FFFF}\u{E000}\u{F0000}",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    texts.push("a".repeat(100));
    texts.push("a".repeat(101));
    texts.push("supercalifragilistic".repeat(6));
    texts.push(format!("{} {}", "x".repeat(10_000), "é".repeat(101)));
    texts.push("ab".repeat(300) + " " + &"aé".repeat(60));
    texts
}

/// Every pair of ASCII characters, in a few contexts.
fn ascii_pairs() -> Vec<String> {
    let mut texts = Vec::new();
    for a in 0..128u8 {
        for b in 0..128u8 {
            let (a, b) = (char::from(a), char::from(b));
            texts.push(format!("x{a}{b} {a}y{b}"));
            texts.push(format!("{a}{b}{b}'s 1{a}"));
        }
    }
    texts
}

fn diff(fast: &Encoding, slow: &Encoding) -> Option<&'static str> {
    if fast.ids != slow.ids {
        Some("ids")
    } else if fast.tokens != slow.tokens {
        Some("tokens")
    } else if fast.type_ids != slow.type_ids {
        Some("type_ids")
    } else if fast.offsets != slow.offsets {
        Some("offsets")
    } else if fast.special_tokens_mask != slow.special_tokens_mask {
        Some("special_tokens_mask")
    } else if fast.attention_mask != slow.attention_mask {
        Some("attention_mask")
    } else if fast.word_ids != slow.word_ids {
        Some("word_ids")
    } else if fast.sequence_ids != slow.sequence_ids {
        Some("sequence_ids")
    } else {
        None
    }
}

struct Counts {
    compared: usize,
    fast: usize,
    mismatches: Vec<String>,
}

fn compare(
    name: &str,
    fast: &Tokenizer,
    slow: &Tokenizer,
    texts: &[String],
    options: &[EncodeOptions],
    c: &mut Counts,
) {
    for text in texts {
        if fast.fast_path_covers(text) {
            c.fast += 1;
        }
        for o in options {
            let a = fast.encode(text, None, o);
            let b = slow.encode(text, None, o);
            c.compared += 1;
            let what = match (&a, &b) {
                (Ok(a), Ok(b)) => diff(a, b),
                (Err(a), Err(b)) if a.to_string() == b.to_string() => None,
                _ => Some("result"),
            };
            if let Some(what) = what {
                if c.mismatches.len() < 20 {
                    c.mismatches.push(format!("{name} {what} {:?} {text:?}\n  fast {a:?}\n  crate {b:?}", o.offsets));
                } else {
                    c.mismatches.push(String::new());
                }
            }
        }
    }
}

fn options(units: &[OffsetUnit]) -> Vec<EncodeOptions> {
    units
        .iter()
        .map(|&offsets| EncodeOptions {
            truncation: Setting::Off,
            padding: Setting::Off,
            offsets,
            ..EncodeOptions::default()
        })
        .collect()
}

const ALL_UNITS: [OffsetUnit; 4] = [OffsetUnit::Utf16, OffsetUnit::Char, OffsetUnit::Byte, OffsetUnit::None];

fn run(texts: &[String], units: &[OffsetUnit], label: &str) {
    let mut total = 0;
    let mut failures = Vec::new();
    for name in TOKENIZERS {
        let fast = load(name);
        assert_eq!(fast.fast_path(), expected_path(name), "{name}");
        if fast.fast_path().is_none() {
            continue;
        }
        let slow = fast.without_fast_path();
        let mut c = Counts { compared: 0, fast: 0, mismatches: Vec::new() };
        compare(name, &fast, &slow, texts, &options(units), &mut c);
        println!(
            "{label}: {name} ({}): {} texts, {} on the fast path, {} encodings compared, {} differ",
            fast.fast_path().unwrap(),
            texts.len(),
            c.fast,
            c.compared,
            c.mismatches.len()
        );
        total += c.compared;
        failures.extend(c.mismatches.into_iter().filter(|m| !m.is_empty()));
    }
    assert!(total > 0);
    assert!(failures.is_empty(), "{} mismatches, first ones:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn fast_paths_equal_the_crate_on_every_corpus_line() {
    let texts = corpus_texts();
    if cfg!(debug_assertions) {
        // A debug build (mlmask unoptimised) is slow: every line in char offsets (which the
        // UTF-16 ones derive from), every 16th line in every unit. `--release` runs them all.
        run(&texts, &[OffsetUnit::Char], "corpus");
        run(&texts.into_iter().step_by(16).collect::<Vec<_>>(), &ALL_UNITS, "corpus sample");
    } else {
        run(&texts, &ALL_UNITS, "corpus");
    }
}

#[test]
fn fast_paths_equal_the_crate_on_edge_cases() {
    run(&edge_cases(), &ALL_UNITS, "edge cases");
}

#[test]
fn fast_paths_equal_the_crate_on_every_ascii_pair() {
    run(&ascii_pairs(), &[OffsetUnit::Char], "ascii pairs");
}

/// Every truncation strategy and side at each of `max_lengths`, UTF-16 offsets.
fn truncations(add_special_tokens: bool, max_lengths: &[usize]) -> Vec<EncodeOptions> {
    let mut variants = Vec::new();
    for side in [Side::Left, Side::Right] {
        for &max_length in max_lengths {
            for strategy in
                [TruncationStrategy::LongestFirst, TruncationStrategy::OnlyFirst, TruncationStrategy::OnlySecond]
            {
                variants.push(EncodeOptions {
                    add_special_tokens,
                    truncation: Setting::Set(Truncation { max_length, strategy, side }),
                    padding: Setting::Off,
                    offsets: OffsetUnit::Utf16,
                    ..EncodeOptions::default()
                });
            }
        }
    }
    variants
}

/// Truncation on either side, with and without special tokens, and the crate's errors.
#[test]
fn fast_paths_truncate_and_frame_like_the_crate() {
    let texts: Vec<String> = corpus_texts().into_iter().step_by(97).chain(edge_cases()).collect();
    let mut variants = Vec::new();
    for add_special_tokens in [true, false] {
        variants.extend(truncations(add_special_tokens, &[1, 2, 3, 5, 16]));
        variants.push(EncodeOptions { add_special_tokens, ..EncodeOptions::default() });
    }
    let mut failures = Vec::new();
    for name in TOKENIZERS.iter().filter(|n| expected_path(n).is_some()) {
        let fast = load(name);
        let slow = fast.without_fast_path();
        let mut c = Counts { compared: 0, fast: 0, mismatches: Vec::new() };
        compare(name, &fast, &slow, &texts, &variants, &mut c);
        println!("truncation: {name}: {} encodings compared, {} differ", c.compared, c.mismatches.len());
        failures.extend(c.mismatches.into_iter().filter(|m| !m.is_empty()));
    }
    assert!(failures.is_empty(), "{} mismatches, first ones:\n{}", failures.len(), failures.join("\n"));
}

/// The fast path really runs on ordinary text: nearly every English line stays off the crate.
#[test]
fn fast_paths_cover_english_text() {
    let lines = common::corpus_lines(usize::MAX);
    for name in TOKENIZERS.iter().filter(|n| expected_path(n).is_some()) {
        let tokenizer = load(name);
        let fast = lines.iter().filter(|l| tokenizer.fast_path_covers(l)).count();
        assert!(fast * 1000 >= lines.len() * 995, "{name}: only {fast} of {} lines on the fast path", lines.len());
        // GPT-2 and RoBERTa merge cache misses themselves; the equality tests then cover it.
        assert_eq!(tokenizer.fast_path_merges_itself(), tokenizer.fast_path() == Some("byte-level-bpe"), "{name}");
    }
}

/// Pairs: each text tokenized by the fast path, the pair truncated by the crate's rule and laid
/// out by the post-processor's pair template, against the crate, with every truncation
/// strategy, side and special-token setting; the crate's errors too.
#[test]
fn fast_paths_encode_pairs_like_the_crate() {
    // A debug build (mlmask unoptimised) is slow: it takes a tenth of the pairs.
    let step = if cfg!(debug_assertions) { 1310 } else { 131 };
    let texts: Vec<String> = corpus_texts().into_iter().step_by(step).chain(edge_cases()).collect();
    let pairs: Vec<(&str, &str)> = texts.iter().zip(texts.iter().skip(1).rev()).map(|(a, b)| (&**a, &**b)).collect();
    let mut variants = Vec::new();
    for add_special_tokens in [true, false] {
        variants.extend(truncations(add_special_tokens, &[1, 2, 4, 5, 9, 24]));
        for offsets in ALL_UNITS {
            variants.push(EncodeOptions { add_special_tokens, offsets, ..EncodeOptions::default() });
        }
    }
    let mut failures = Vec::new();
    for name in TOKENIZERS.iter().filter(|n| expected_path(n).is_some()) {
        let fast = load(name);
        let slow = fast.without_fast_path();
        let mut compared = 0;
        for (a, b) in &pairs {
            for o in &variants {
                let ours = fast.encode(a, Some(b), o);
                let theirs = slow.encode(a, Some(b), o);
                compared += 1;
                let what = match (&ours, &theirs) {
                    (Ok(x), Ok(y)) => diff(x, y),
                    (Err(x), Err(y)) if x.to_string() == y.to_string() => None,
                    _ => Some("result"),
                };
                if let Some(what) = what {
                    failures.push(format!("{name} {what} {o:?} {a:?} / {b:?}\n  fast {ours:?}\n  crate {theirs:?}"));
                }
            }
        }
        println!("pairs: {name}: {compared} encodings compared");
    }
    failures.truncate(5);
    assert!(failures.is_empty(), "mismatches, first ones:\n{}", failures.join("\n"));
    // WordPiece files never build the crate for pairs of ordinary text.
    let bert = load("bert-base-uncased");
    bert.encode("A question?", Some("An answer."), &EncodeOptions::default()).unwrap();
    assert!(!bert.crate_tokenizer_built());
}

/// t5-small's tokenizer.json with its sections replaced: the SentencePiece variants other
/// files use (XLM-R, ALBERT, DeBERTa-v3, mT5, newer exports), crafted from the one vendored file.
fn t5_variant(edit: impl FnOnce(&mut serde_json::Value)) -> String {
    let mut json: serde_json::Value = serde_json::from_str(&common::tokenizer_json("t5-small")).unwrap();
    edit(&mut json);
    json.to_string()
}

fn precompiled() -> serde_json::Value {
    let json: serde_json::Value = serde_json::from_str(&common::tokenizer_json("t5-small")).unwrap();
    json["normalizer"].clone()
}

fn metaspace(fields: serde_json::Value) -> serde_json::Value {
    let mut m = serde_json::json!({"type": "Metaspace", "replacement": "▁"});
    m.as_object_mut().unwrap().extend(fields.as_object().unwrap().clone());
    m
}

fn after_whitespace_split(metaspace: serde_json::Value) -> serde_json::Value {
    serde_json::json!({"type": "Sequence", "pretokenizers": [{"type": "WhitespaceSplit"}, metaspace]})
}

/// Texts for the variants: spaces in runs and at the ends, other whitespace, the replacement
/// character itself, text the charsmap rewrites, plus a sample of the corpus.
fn variant_texts() -> Vec<String> {
    let mut texts: Vec<String> = [
        "  two  spaces   three ",
        " leading",
        "trailing  ",
        "a\tb\nc\r\nd\u{a0}e\u{3000}f",
        "▁already ▁▁marked▁ x▁y ▁",
        "under_score _x_ __",
        "``quoted'' text",
        "ＦＵＬＬ　ｗｉｄｔｈ ①② ﬁ ™",
        "Ünïcödé CAPITALS İstanbul ẞ",
        "\u{1e}x \u{200b}y\u{200d}z",
        "e\u{301} \u{1100}\u{1161}\u{11a8} 👨‍👩‍👧 🇫🇷🇩🇪",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    texts.extend(edge_cases());
    texts.extend(corpus_texts().into_iter().step_by(11));
    texts
}

/// Every crafted variant gets the Unigram fast path and equals the crate.
#[test]
fn unigram_variants_equal_the_crate() {
    use serde_json::json;
    let pc = precompiled();
    let spaces = json!({"type": "Replace", "pattern": {"Regex": " {2,}"}, "content": " "});
    let variants: Vec<(&str, String)> = vec![
        (
            "Metaspace alone (XLM-R)",
            t5_variant(|j| {
                j["pre_tokenizer"] = metaspace(json!({"prepend_scheme": "always", "split": true}));
                j["normalizer"] = json!({"type": "Sequence", "normalizers": [pc.clone(), spaces.clone()]});
            }),
        ),
        ("Metaspace alone, no split", t5_variant(|j| j["pre_tokenizer"] = metaspace(json!({"split": false})))),
        ("Metaspace alone, first", t5_variant(|j| j["pre_tokenizer"] = metaspace(json!({"prepend_scheme": "first"})))),
        (
            "Metaspace alone, never",
            t5_variant(|j| {
                j["pre_tokenizer"] = metaspace(json!({"add_prefix_space": false, "prepend_scheme": "never"}))
            }),
        ),
        (
            "WhitespaceSplit + Metaspace first",
            t5_variant(|j| j["pre_tokenizer"] = after_whitespace_split(metaspace(json!({"prepend_scheme": "first"})))),
        ),
        (
            "WhitespaceSplit + Metaspace never, no split",
            t5_variant(|j| {
                j["pre_tokenizer"] =
                    after_whitespace_split(metaspace(json!({"prepend_scheme": "never", "split": false})))
            }),
        ),
        ("replacement _", t5_variant(|j| j["pre_tokenizer"] = metaspace(json!({"replacement": "_", "str_rep": "_"})))),
        (
            "Strip, Precompiled, spaces, Lowercase",
            t5_variant(|j| {
                j["normalizer"] = json!({"type": "Sequence", "normalizers": [
                    {"type": "Strip", "strip_left": true, "strip_right": true},
                    pc.clone(), spaces.clone(), {"type": "Lowercase"}]});
                j["pre_tokenizer"] = metaspace(json!({}));
            }),
        ),
        (
            "Replace literals before Precompiled (ALBERT), left strip",
            t5_variant(|j| {
                j["normalizer"] = json!({"type": "Sequence", "normalizers": [
                    {"type": "Replace", "pattern": {"String": "``"}, "content": "\""},
                    {"type": "Replace", "pattern": {"String": "''"}, "content": "\""},
                    {"type": "Replace", "pattern": {"String": "x"}, "content": ""},
                    {"type": "Strip", "strip_left": true, "strip_right": false},
                    {"type": "Sequence", "normalizers": [pc.clone()]}]});
            }),
        ),
        (
            "byte fallback, type Unigram",
            t5_variant(|j| {
                let model = j["model"].as_object_mut().unwrap();
                model.insert("type".into(), json!("Unigram"));
                model.insert("byte_fallback".into(), json!(true));
                let vocab = model["vocab"].as_array_mut().unwrap();
                // Every byte but 0x80, so that some unknown text still falls back to <unk>.
                vocab.extend((0..=255u8).filter(|&b| b != 0x80).map(|b| json!([format!("<0x{b:02X}>"), -20.0])));
            }),
        ),
    ];
    // A debug build (mlmask unoptimised) is slow: it checks every 8th text in char offsets;
    // `--release` checks them all in every unit.
    let (texts, units) = if cfg!(debug_assertions) {
        (variant_texts().into_iter().step_by(8).collect(), &[OffsetUnit::Char][..])
    } else {
        (variant_texts(), &ALL_UNITS[..])
    };
    let mut failures = Vec::new();
    for (label, json) in &variants {
        let fast = Tokenizer::from_json(json).unwrap_or_else(|e| panic!("{label}: {e}"));
        assert_eq!(fast.fast_path(), Some("unigram"), "{label}");
        let slow = fast.without_fast_path();
        let mut c = Counts { compared: 0, fast: 0, mismatches: Vec::new() };
        compare(label, &fast, &slow, &texts, &options(units), &mut c);
        println!("variant {label}: {} texts, {} on the fast path, {} differ", texts.len(), c.fast, c.mismatches.len());
        assert!(c.fast * 10 >= texts.len() * 9, "{label}: only {} texts on the fast path", c.fast);
        failures.extend(c.mismatches.into_iter().filter(|m| !m.is_empty()));
    }
    assert!(failures.is_empty(), "{} mismatches, first ones:\n{}", failures.len(), failures.join("\n"));
}

/// A component or option the Unigram path does not implement means no fast path, never a
/// different result.
#[test]
fn unigram_refuses_what_it_does_not_implement() {
    use serde_json::json;
    let pc = precompiled();
    let variants: Vec<(&str, String)> = vec![
        (
            "NFKC",
            t5_variant(|j| {
                j["normalizer"] = json!({"type": "Sequence", "normalizers": [pc.clone(), {"type": "NFKC"}]})
            }),
        ),
        (
            "a general regex",
            t5_variant(|j| {
                j["normalizer"] = json!({"type": "Sequence", "normalizers": [pc.clone(),
                    {"type": "Replace", "pattern": {"Regex": "\\s+"}, "content": " "}]})
            }),
        ),
        ("no normalizer", t5_variant(|j| j["normalizer"] = serde_json::Value::Null)),
        ("an unknown Metaspace field", t5_variant(|j| j["pre_tokenizer"] = metaspace(json!({"legacy": true})))),
        ("Whitespace", t5_variant(|j| j["pre_tokenizer"] = json!({"type": "Whitespace"}))),
        ("an unknown model field", t5_variant(|j| j["model"]["alpha"] = json!(0.1))),
        ("no unk_id", t5_variant(|j| j["model"]["unk_id"] = serde_json::Value::Null)),
    ];
    for (label, json) in &variants {
        if let Ok(t) = Tokenizer::from_json(json) {
            assert_eq!(t.fast_path(), None, "{label}");
        }
    }
}

/// The added tokens' contents of a vendored tokenizer.json.
fn added_contents(json: &str) -> Vec<String> {
    let file: serde_json::Value = serde_json::from_str(json).unwrap();
    file["added_tokens"].as_array().unwrap().iter().map(|t| t["content"].as_str().unwrap().to_owned()).collect()
}

/// The byte-level path serves every text, in any script, that holds no added token (those go
/// to the crate, which splits them out): if coverage silently dropped (a text handed back to
/// the crate), the equality tests above would still pass, this one not.
#[test]
fn byte_level_serves_every_text_without_an_added_token() {
    let texts: Vec<String> = corpus_texts().into_iter().chain(edge_cases()).collect();
    for name in TOKENIZERS.iter().filter(|n| expected_path(n) == Some("byte-level-bpe")) {
        let json = common::tokenizer_json(name);
        let added = added_contents(&json);
        let tokenizer = load(name);
        let mut non_ascii = 0;
        for text in &texts {
            let expected = !added.iter().any(|a| text.contains(a.as_str()));
            assert_eq!(tokenizer.fast_path_covers(text), expected, "{name}: {text:?}");
            non_ascii += usize::from(expected && !text.is_ascii());
        }
        println!("{name}: {non_ascii} non-ASCII texts on the fast path");
        assert!(non_ascii > 10_000, "{name}: only {non_ascii} non-ASCII texts on the fast path");
        // Neither loading nor these texts built the crate's tokenizer: the path stands alone.
        assert!(!tokenizer.crate_tokenizer_built(), "{name}");
    }
}

/// `tokenizer.json` of `name` with `edit` applied to its parsed JSON.
fn edited(name: &str, edit: impl FnOnce(&mut serde_json::Value)) -> String {
    let mut file: serde_json::Value = serde_json::from_str(&common::tokenizer_json(name)).unwrap();
    edit(&mut file);
    serde_json::to_string(&file).unwrap()
}

/// Byte-level files with the options the vendored ones leave at their defaults: a space put
/// before the text (with each trimming post-processor), no regex split, `ignore_merges`, and
/// the other merges format, each against the crate on corpus lines, edge cases and texts that
/// start with characters of every width, in every unit, truncated and in pairs.
#[test]
fn byte_level_options_equal_the_crate() {
    use serde_json::json;
    let mut variants: Vec<(&str, String)> = vec![
        (
            "roberta prefix space, RobertaProcessing trims without it",
            edited("roberta-base", |f| f["pre_tokenizer"]["add_prefix_space"] = json!(true)),
        ),
        (
            "roberta prefix space, RobertaProcessing trims with it",
            edited("roberta-base", |f| {
                f["pre_tokenizer"]["add_prefix_space"] = json!(true);
                f["post_processor"]["add_prefix_space"] = json!(true);
            }),
        ),
        (
            "gpt2 prefix space, ByteLevel trims",
            edited("gpt2", |f| {
                f["pre_tokenizer"]["add_prefix_space"] = json!(true);
                f["post_processor"]["trim_offsets"] = json!(true);
            }),
        ),
        (
            "gpt2 prefix space, ByteLevel trims without it",
            edited("gpt2", |f| {
                f["pre_tokenizer"]["add_prefix_space"] = json!(true);
                f["post_processor"]["trim_offsets"] = json!(true);
                f["post_processor"]["add_prefix_space"] = json!(false);
            }),
        ),
        ("roberta no regex", edited("roberta-base", |f| f["pre_tokenizer"]["use_regex"] = json!(false))),
        (
            "gpt2 no regex, prefix space, trimmed",
            edited("gpt2", |f| {
                f["pre_tokenizer"]["use_regex"] = json!(false);
                f["pre_tokenizer"]["add_prefix_space"] = json!(true);
                f["post_processor"]["trim_offsets"] = json!(true);
            }),
        ),
        ("gpt2 ignore_merges", edited("gpt2", |f| f["model"]["ignore_merges"] = json!(true))),
        (
            "gpt2 legacy merges, dropout 0",
            edited("gpt2", |f| {
                let lines: Vec<String> = f["model"]["merges"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|m| format!("{} {}", m[0].as_str().unwrap(), m[1].as_str().unwrap()))
                    .collect();
                f["model"]["merges"] = json!(lines);
                f["model"]["dropout"] = json!(0.0);
            }),
        ),
    ];
    variants.push((
        "roberta pair merges, no post-processor",
        edited("roberta-base", |f| {
            let pairs: Vec<Vec<String>> = f["model"]["merges"]
                .as_array()
                .unwrap()
                .iter()
                .map(|m| m.as_str().unwrap().split(' ').map(str::to_owned).collect())
                .collect();
            f["model"]["merges"] = json!(pairs);
            f["post_processor"] = json!(null);
        }),
    ));
    let starts =
        ["😀", "𝟙x", "\u{10FFFF}", "é", "中文", "\u{3000}x", "\u{3000}", "\n", "\u{a0}a", " x", "x", "1", "'s"];
    let mut texts: Vec<String> = corpus_texts().into_iter().step_by(5).chain(edge_cases()).collect();
    for a in starts {
        for b in ["", " ", "  ", "\u{3000}", "y", "😀", "\n"] {
            texts.push(format!("{a}{b}"));
            texts.push(format!("{a}{b} end"));
        }
    }
    let mut units = options(&ALL_UNITS);
    for side in [Side::Left, Side::Right] {
        units.push(EncodeOptions {
            truncation: Setting::Set(Truncation { max_length: 4, strategy: TruncationStrategy::LongestFirst, side }),
            ..EncodeOptions::default()
        });
    }
    let mut failures = Vec::new();
    for (label, json) in &variants {
        let fast = Tokenizer::from_json(json).unwrap_or_else(|e| panic!("{label}: {e}"));
        assert_eq!(fast.fast_path(), Some("byte-level-bpe"), "{label}");
        let slow = fast.without_fast_path();
        let mut c = Counts { compared: 0, fast: 0, mismatches: Vec::new() };
        compare(label, &fast, &slow, &texts, &units, &mut c);
        // Pairs of the prefix-sensitive starts, with special tokens and truncation.
        for (i, a) in texts.iter().rev().take(60).enumerate() {
            let b = &texts[texts.len() - 1 - (i * 7) % 60];
            for o in &units {
                let (x, y) = (fast.encode(a, Some(b), o), slow.encode(a, Some(b), o));
                c.compared += 1;
                let same = match (&x, &y) {
                    (Ok(x), Ok(y)) => diff(x, y).is_none(),
                    (Err(x), Err(y)) => x.to_string() == y.to_string(),
                    _ => false,
                };
                if !same {
                    c.mismatches.push(format!("{label} pair {o:?} {a:?} / {b:?}\n  fast {x:?}\n  crate {y:?}"));
                }
            }
        }
        println!("{label}: {} texts, {} on the fast path, {} encodings compared", texts.len(), c.fast, c.compared);
        let added = added_contents(json);
        let served = texts.iter().filter(|t| !added.iter().any(|a| t.contains(a.as_str()))).count();
        assert_eq!(c.fast, served, "{label}: texts left to the crate");
        failures.extend(c.mismatches.into_iter().filter(|m| !m.is_empty()));
    }
    failures.truncate(5);
    assert!(failures.is_empty(), "mismatches, first ones:\n{}", failures.join("\n"));
}

/// Options the byte-level path does not reproduce leave the file to the crate (no fast path),
/// never to a different result.
#[test]
fn byte_level_refuses_options_it_does_not_reproduce() {
    use serde_json::json;
    let refused = [
        ("dropout", edited("gpt2", |f| f["model"]["dropout"] = json!(0.1))),
        ("subword prefix", edited("gpt2", |f| f["model"]["continuing_subword_prefix"] = json!("##"))),
        ("word suffix", edited("gpt2", |f| f["model"]["end_of_word_suffix"] = json!("</w>"))),
        ("unknown model field", edited("gpt2", |f| f["model"]["new_option"] = json!(true))),
        ("unknown pre-tokenizer field", edited("roberta-base", |f| f["pre_tokenizer"]["new_option"] = json!(1))),
        ("a normalizer", edited("roberta-base", |f| f["normalizer"] = json!({"type": "NFC"}))),
        (
            "a byte's character missing",
            edited("gpt2", |f| {
                // "Ā" (byte 0x00) is in no merge, so the file still loads in the crate.
                f["model"]["vocab"].as_object_mut().unwrap().remove("Ā");
            }),
        ),
        ("mixed merge formats", edited("gpt2", |f| f["model"]["merges"].as_array_mut().unwrap().push(json!("a b")))),
    ];
    for (label, json) in &refused {
        match Tokenizer::from_json(json) {
            Ok(t) => assert_eq!(t.fast_path(), None, "{label}"),
            Err(e) => println!("{label}: the crate refuses the file too: {e}"),
        }
    }
}

/// Unigram's unknown tokens carry the text they cover, not the vocabulary's `<unk>`: with
/// `token_strings: false` the strings are then kept (and equal the crate's), and left out only
/// when every token is its id's vocabulary entry.
#[test]
fn unigram_unknown_tokens_keep_their_text() {
    let fast = load("t5-small");
    let slow = fast.without_fast_path();
    let lean = EncodeOptions { token_strings: false, ..EncodeOptions::default() };
    let mut kept = 0;
    for text in variant_texts() {
        let a = fast.encode(&text, None, &lean).unwrap();
        let b = slow.encode(&text, None, &EncodeOptions::default()).unwrap();
        assert_eq!(a.ids, b.ids, "{text:?}");
        if a.tokens.is_empty() {
            let derived: Vec<String> = a.ids.iter().map(|&id| fast.id_to_token(id).unwrap()).collect();
            assert_eq!(derived, b.tokens, "{text:?}");
        } else {
            kept += 1;
            assert_eq!(a.tokens, b.tokens, "{text:?}");
        }
    }
    assert!(kept > 0, "no text had an unknown token");
    let e = fast.encode("for ``x``", None, &lean).unwrap();
    assert_eq!(e.tokens, ["▁for", "▁", "``", "x", "``", "</s>"]);
}

/// Every Unicode scalar value in the contexts that tell the split pattern's classes apart
/// (after a letter, a number, punctuation, a space, inside whitespace, after an apostrophe):
/// the path's classes are the crate's regex engine's, whatever table they come from.
#[test]
fn byte_level_splits_every_character_like_the_crate() {
    let fast = load("gpt2");
    let slow = fast.without_fast_path();
    let chars: Vec<char> = (0..=0x10_FFFF).filter_map(char::from_u32).collect();
    let texts: Vec<String> = chars
        .chunks(256)
        .map(|chunk| chunk.iter().map(|c| format!("a{c}1{c}!{c} {c}\t{c}'{c}{c} ")).collect())
        .collect();
    let mut c = Counts { compared: 0, fast: 0, mismatches: Vec::new() };
    compare("gpt2", &fast, &slow, &texts, &options(&[OffsetUnit::Utf16]), &mut c);
    assert_eq!(c.fast, texts.len());
    let failures: Vec<String> = c.mismatches.into_iter().filter(|m| !m.is_empty()).take(3).collect();
    assert!(failures.is_empty(), "mismatches, first ones:\n{}", failures.join("\n"));
}

/// mistral-7b-v0.1's tokenizer.json with `edit` applied, loaded.
fn mistral_variant(edit: impl Fn(&mut serde_json::Value)) -> Tokenizer {
    let mut json: serde_json::Value = serde_json::from_str(&common::tokenizer_json("mistral-7b-v0.1")).unwrap();
    edit(&mut json);
    Tokenizer::from_json(&json.to_string()).unwrap()
}

/// The newer Llama/Mistral spelling: no normaliser, `Metaspace` pre-tokenizer without splitting.
fn metaspace_spelling(prepend_scheme: &str) -> impl Fn(&mut serde_json::Value) + '_ {
    move |json| {
        json["normalizer"] = serde_json::Value::Null;
        json["pre_tokenizer"] = serde_json::json!({
            "type": "Metaspace", "replacement": "▁", "prepend_scheme": prepend_scheme, "split": false
        });
    }
}

/// A token appended to the vocabulary with the next id (ids stay dense).
fn add_token(json: &mut serde_json::Value, token: &str) {
    let vocab = json["model"]["vocab"].as_object_mut().unwrap();
    let id = vocab.len();
    vocab.insert(token.to_owned(), id.into());
}

/// Variants of Mistral's sections that the SentencePiece-BPE path covers, each against the
/// crate on a sample of the corpus, the edge cases and texts built around "▁" and spaces.
#[test]
fn sentencepiece_bpe_variants_equal_the_crate() {
    let mut texts: Vec<String> = corpus_texts().into_iter().step_by(11).chain(edge_cases()).collect();
    for a in [" ", "  ", "▁", "▁ ", " ▁", "x", "é", "\u{0}", "😀", "\t"] {
        for b in [" ", "▁", "ab", "\u{10FFFF}", "中"] {
            texts.push(format!("{a}{b}"));
            texts.push(format!("{a}{b} {b}{a}x{a}"));
        }
    }
    type Edit = Box<dyn Fn(&mut serde_json::Value)>;
    let variants: Vec<(&str, Edit)> = vec![
        ("metaspace first", Box::new(metaspace_spelling("first"))),
        ("metaspace always", Box::new(metaspace_spelling("always"))),
        ("metaspace never", Box::new(metaspace_spelling("never"))),
        (
            "legacy merges",
            Box::new(|json| {
                let merges = json["model"]["merges"].as_array().unwrap();
                let lines = merges.iter().map(|m| format!("{} {}", m[0].as_str().unwrap(), m[1].as_str().unwrap()));
                json["model"]["merges"] = lines.collect::<Vec<_>>().into();
            }),
        ),
        // No byte fallback: unknown characters become <unk>, fused or one each.
        ("unk, fused", Box::new(|json| json["model"]["byte_fallback"] = false.into())),
        (
            "unk, not fused",
            Box::new(|json| {
                json["model"]["byte_fallback"] = false.into();
                json["model"]["fuse_unk"] = false.into();
            }),
        ),
        // Characters with a byte of no byte token become <unk>, which the crate leaves pending
        // behind the byte tokens of the next characters.
        (
            "some byte tokens missing",
            Box::new(|json| {
                let vocab = json["model"]["vocab"].as_object_mut().unwrap();
                for b in ["<0x80>", "<0xA0>", "<0xF0>"] {
                    let id = vocab.remove(b).unwrap();
                    vocab.insert(format!("{b}!"), id);
                }
            }),
        ),
        // A merge across a chunk boundary (a non-"▁" token, then one starting with "▁"): the
        // text must then be merged whole.
        (
            "merge across chunks",
            Box::new(|json| {
                for token in ["e▁", "e▁t", "e▁th", "e▁the"] {
                    add_token(json, token);
                }
                let merges = json["model"]["merges"].as_array_mut().unwrap();
                merges.insert(0, serde_json::json!(["e", "▁the"]));
                merges.insert(0, serde_json::json!(["e", "▁th"]));
                merges.insert(0, serde_json::json!(["e", "▁t"]));
                merges.insert(0, serde_json::json!(["e", "▁"]));
            }),
        ),
    ];
    // A debug build (mlmask unoptimised) is slow: char offsets only; `--release` runs every unit.
    let options = options(if cfg!(debug_assertions) { &[OffsetUnit::Char][..] } else { &ALL_UNITS[..] });
    let mut failures = Vec::new();
    for (label, edit) in &variants {
        let fast = mistral_variant(edit);
        assert_eq!(fast.fast_path(), Some("sentencepiece-bpe"), "{label}");
        let slow = fast.without_fast_path();
        let mut c = Counts { compared: 0, fast: 0, mismatches: Vec::new() };
        compare(label, &fast, &slow, &texts, &options, &mut c);
        println!("{label}: {} texts, {} on the fast path, {} encodings compared", texts.len(), c.fast, c.compared);
        let without_added = texts.iter().filter(|t| !["<s>", "</s>", "<unk>"].iter().any(|a| t.contains(a))).count();
        assert_eq!(c.fast, without_added, "{label}: every text without an added token stays on the fast path");
        failures.extend(c.mismatches.into_iter().filter(|m| !m.is_empty()));
    }
    assert!(failures.is_empty(), "{} mismatches, first ones:\n{}", failures.len(), failures.join("\n"));
}

/// Options the SentencePiece-BPE path does not implement leave the file on the crate.
#[test]
fn sentencepiece_bpe_declines_what_it_does_not_implement() {
    type Edit = Box<dyn Fn(&mut serde_json::Value)>;
    let declined: Vec<(&str, Edit)> = vec![
        ("metaspace split", Box::new(|json| json["pre_tokenizer"]["split"] = true.into())),
        (
            "metaspace without split (the crate's default is true)",
            Box::new(|json| {
                json["pre_tokenizer"].as_object_mut().unwrap().remove("split");
            }),
        ),
        ("metaspace other replacement", Box::new(|json| json["pre_tokenizer"]["replacement"] = "_".into())),
        ("metaspace unknown option", Box::new(|json| json["pre_tokenizer"]["lowercase"] = true.into())),
    ];
    for (label, edit) in &declined {
        let tokenizer = mistral_variant(|json| {
            metaspace_spelling("first")(json);
            edit(json);
        });
        assert_eq!(tokenizer.fast_path(), None, "{label}");
    }
    let declined: Vec<(&str, Edit)> = vec![
        ("ignore_merges", Box::new(|json| json["model"]["ignore_merges"] = true.into())),
        ("dropout", Box::new(|json| json["model"]["dropout"] = 0.1.into())),
        ("word suffix", Box::new(|json| json["model"]["end_of_word_suffix"] = "</w>".into())),
        ("unknown model option", Box::new(|json| json["model"]["cache_capacity"] = 0.into())),
        (
            "regex replace",
            Box::new(|json| json["normalizer"]["normalizers"][1]["pattern"] = serde_json::json!({"Regex": " "})),
        ),
        ("replace other", Box::new(|json| json["normalizer"]["normalizers"][1]["content"] = "_".into())),
        ("prepend other", Box::new(|json| json["normalizer"]["normalizers"][0]["prepend"] = "▁▁".into())),
        (
            "normalisers in the other order",
            Box::new(|json| json["normalizer"]["normalizers"].as_array_mut().unwrap().reverse()),
        ),
        (
            "a third normaliser",
            Box::new(|json| {
                json["normalizer"]["normalizers"].as_array_mut().unwrap().push(serde_json::json!({"type": "NFC"}))
            }),
        ),
        (
            "normaliser and metaspace",
            Box::new(|json| {
                json["pre_tokenizer"] = serde_json::json!({
                    "type": "Metaspace", "replacement": "▁", "prepend_scheme": "first", "split": false
                })
            }),
        ),
        ("a normalised added token", Box::new(|json| json["added_tokens"][0]["normalized"] = true.into())),
    ];
    for (label, edit) in &declined {
        assert_eq!(mistral_variant(edit).fast_path(), None, "{label}");
    }
}
