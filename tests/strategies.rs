//! The masking strategies: invariants as property tests over random texts, tokenizers and
//! parameters; budgets; and whole-word parity with transformers 5.x.

#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::collections::BTreeMap;
use std::sync::OnceLock;

use common::load;
use mlmask::masking::{
    BartOptions, ExactCountOptions, NgramOptions, Replacement, Selection, SpanOptions, T5Options, WholeWord,
    WholeWordOptions, WordBoundary,
};
use mlmask::{
    Batch, EncodeOptions, MaskInput, MaskRng, MaskedBatch, Masker, MaskingOptions, Padding, Setting, Strategy as _,
    StrategyOptions, Tokenizer, IGNORE_INDEX,
};
use proptest::prelude::*;

fn tokenizers() -> &'static BTreeMap<&'static str, Tokenizer> {
    static TOKENIZERS: OnceLock<BTreeMap<&'static str, Tokenizer>> = OnceLock::new();
    TOKENIZERS
        .get_or_init(|| ["bert-base-uncased", "roberta-base", "t5-small"].into_iter().map(|n| (n, load(n))).collect())
}

fn batch(tokenizer: &Tokenizer, texts: &[String]) -> Batch {
    let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
    tokenizer.encode_batch(&texts, None, &EncodeOptions::default()).unwrap()
}

fn run(name: &str, texts: &[String], options: MaskingOptions) -> (Batch, MaskedBatch) {
    let tokenizer = &tokenizers()[name];
    let b = batch(tokenizer, texts);
    let mut masker = Masker::new(&tokenizer.vocab_info(), &options).unwrap();
    let out = masker.mask(&MaskInput::from_batch(&b)).unwrap();
    (b, out)
}

fn options(strategy: StrategyOptions, p: f64, seed: u64) -> MaskingOptions {
    MaskingOptions { strategy, mlm_probability: p, seed: Some(seed), ..MaskingOptions::default() }
}

fn eligible(b: &Batch, i: usize) -> bool {
    b.special_tokens_mask[i] == 0 && b.attention_mask[i] == 1
}

/// Words of each row by word id: (start, end) position ranges over eligible tokens.
fn words_by_id(b: &Batch) -> Vec<Vec<(usize, usize)>> {
    (0..b.batch_size)
        .map(|r| {
            let mut words: Vec<(usize, usize)> = Vec::new();
            for i in r * b.seq_len..(r + 1) * b.seq_len {
                if !eligible(b, i) {
                    continue;
                }
                match words.last_mut() {
                    Some(w) if w.1 == i && b.word_ids[i] == b.word_ids[i - 1] => w.1 = i + 1,
                    _ => words.push((i, i + 1)),
                }
            }
            words
        })
        .collect()
}

/// Token-style label convention: -100 unless selected, then the original id; specials and
/// padding never selected.
fn check_token_labels(b: &Batch, out: &MaskedBatch) {
    for i in 0..b.ids.len() {
        if !eligible(b, i) {
            assert_eq!(out.outcome[i], 0, "special or padding selected at {i}");
        }
        let expected = if out.outcome[i] == 0 { IGNORE_INDEX } else { b.ids[i] as i32 };
        assert_eq!(out.labels[i], expected, "label at {i}");
    }
}

fn text_strategy() -> impl proptest::strategy::Strategy<Value = String> {
    let word = prop::sample::select(common::WORDS.to_vec());
    prop::collection::vec(word, 0..40).prop_map(|w| w.join(" "))
}

fn texts_strategy() -> impl proptest::strategy::Strategy<Value = Vec<String>> {
    prop::collection::vec(text_strategy(), 1..4)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn whole_words_are_never_split(
        texts in texts_strategy(),
        tokenizer in prop::sample::select(vec!["bert-base-uncased", "roberta-base"]),
        p in 0.0f64..=1.0,
        seed in 0u64..(1 << 53),
        replacement in prop::sample::select(vec![Replacement::MaskOnly, Replacement::PerWord, Replacement::PerToken]),
        exact in any::<bool>(),
    ) {
        let selection = if exact { Selection::ExactCount } else { Selection::Bernoulli };
        let strategy = StrategyOptions::WholeWord(WholeWordOptions { replacement, selection, ..WholeWordOptions::default() });
        let (b, out) = run(tokenizer, &texts, options(strategy, p, seed));
        check_token_labels(&b, &out);
        for row in words_by_id(&b) {
            for (s, e) in row {
                let selected: Vec<bool> = (s..e).map(|i| out.outcome[i] != 0).collect();
                prop_assert!(selected.iter().all(|&x| x == selected[0]), "word {s}..{e} split: {selected:?}");
                if replacement == Replacement::MaskOnly {
                    prop_assert!((s..e).all(|i| out.outcome[i] == 0 || out.outcome[i] == 1));
                }
                if replacement == Replacement::PerWord {
                    prop_assert!((s..e).all(|i| out.outcome[i] == out.outcome[s]), "one decision per word");
                }
            }
        }
        if exact {
            for r in 0..b.batch_size {
                let n = (r * b.seq_len..(r + 1) * b.seq_len).filter(|&i| b.attention_mask[i] == 1).count();
                let budget = 512.min(((n as f64 * p).round_ties_even() as usize).max(1));
                let selected = (r * b.seq_len..(r + 1) * b.seq_len).filter(|&i| out.outcome[i] != 0).count();
                prop_assert!(selected <= budget, "{selected} > budget {budget}");
            }
        }
    }

    #[test]
    fn exact_count_selects_exactly_its_budget(
        texts in texts_strategy(),
        p in 0.0f64..=1.0,
        max_predictions in 1usize..30,
        count_special_tokens in any::<bool>(),
        seed in 0u64..(1 << 53),
    ) {
        let strategy = StrategyOptions::ExactCount(ExactCountOptions { max_predictions, count_special_tokens });
        let (b, out) = run("bert-base-uncased", &texts, options(strategy, p, seed));
        check_token_labels(&b, &out);
        let predictions = out.predictions.as_ref().unwrap();
        for r in 0..b.batch_size {
            let cells = r * b.seq_len..(r + 1) * b.seq_len;
            let candidates = cells.clone().filter(|&i| eligible(&b, i)).count();
            let n = if count_special_tokens { cells.clone().filter(|&i| b.attention_mask[i] == 1).count() } else { candidates };
            let budget = max_predictions.min(((n as f64 * p).round_ties_even() as usize).max(1)).min(candidates);
            let selected: Vec<usize> = cells.clone().filter(|&i| out.outcome[i] != 0).collect();
            prop_assert_eq!(selected.len(), budget);
            let row = &predictions.positions[r * max_predictions..(r + 1) * max_predictions];
            let weights = &predictions.weights[r * max_predictions..(r + 1) * max_predictions];
            let ids = &predictions.ids[r * max_predictions..(r + 1) * max_predictions];
            for k in 0..max_predictions {
                if k < budget {
                    prop_assert_eq!(row[k] as usize + r * b.seq_len, selected[k]);
                    prop_assert_eq!(ids[k], b.ids[selected[k]] as i32);
                    prop_assert_eq!(weights[k], 1.0);
                } else {
                    prop_assert_eq!((row[k], ids[k], weights[k]), (0, 0, 0.0));
                }
            }
        }
    }

    #[test]
    fn ngrams_are_contiguous_whole_words_within_budget(
        texts in texts_strategy(),
        p in 0.0f64..=1.0,
        max_n in 1usize..6,
        seed in 0u64..(1 << 53),
    ) {
        let strategy = StrategyOptions::Ngram(NgramOptions { max_n, ..NgramOptions::default() });
        let (b, out) = run("roberta-base", &texts, options(strategy, p, seed));
        check_token_labels(&b, &out);
        let span_ids = out.span_ids.as_ref().unwrap();
        for row in words_by_id(&b) {
            let selected_words = row.iter().filter(|(s, _)| out.outcome[*s] != 0).count();
            let budget = if row.is_empty() { 0 } else { ((row.len() as f64 * p).round_ties_even() as usize).clamp(1, row.len()) };
            prop_assert_eq!(selected_words, budget, "the budget is met exactly");
            let mut by_span: BTreeMap<i32, Vec<usize>> = BTreeMap::new();
            for (w, (s, e)) in row.iter().enumerate() {
                let ids: Vec<i32> = (*s..*e).map(|i| span_ids[i]).collect();
                prop_assert!(ids.iter().all(|&x| x == ids[0]), "a word belongs to one n-gram");
                if ids[0] >= 0 {
                    by_span.entry(ids[0]).or_default().push(w);
                }
            }
            for words in by_span.values() {
                prop_assert!(words.len() <= max_n);
                prop_assert!(words.windows(2).all(|w| w[1] == w[0] + 1), "n-gram words are consecutive: {words:?}");
            }
        }
    }

    #[test]
    fn spans_are_contiguous_within_their_maximum_and_budget(
        texts in texts_strategy(),
        p in 0.0f64..=1.0,
        max_span in 1usize..12,
        seed in 0u64..(1 << 53),
        tokenizer in prop::sample::select(vec!["bert-base-uncased", "roberta-base"]),
    ) {
        let strategy = StrategyOptions::Span(SpanOptions { max_span, ..SpanOptions::default() });
        let (b, out) = run(tokenizer, &texts, options(strategy, p, seed));
        check_token_labels(&b, &out);
        let span_ids = out.span_ids.as_ref().unwrap();
        for r in 0..b.batch_size {
            let cells: Vec<usize> = (r * b.seq_len..(r + 1) * b.seq_len).collect();
            let tokens = cells.iter().filter(|&&i| eligible(&b, i)).count();
            let budget = ((tokens as f64 * p).ceil() as usize).min(tokens);
            let selected = cells.iter().filter(|&&i| out.outcome[i] != 0).count();
            prop_assert_eq!(selected, budget, "the budget is met exactly");
            let mut spans: BTreeMap<i32, Vec<usize>> = BTreeMap::new();
            for &i in &cells {
                if span_ids[i] >= 0 {
                    spans.entry(span_ids[i]).or_default().push(i);
                }
            }
            for positions in spans.values() {
                prop_assert!(positions.windows(2).all(|w| w[1] == w[0] + 1), "span is contiguous: {positions:?}");
                let words: std::collections::BTreeSet<i32> = positions.iter().map(|&i| b.word_ids[i]).collect();
                prop_assert!(words.len() <= max_span, "{} words > {max_span}", words.len());
                // One decision per span.
                prop_assert!(positions.iter().all(|&i| out.outcome[i] == out.outcome[positions[0]]));
            }
        }
    }

    #[test]
    fn t5_sentinels_are_numbered_in_order_and_targets_rebuild_the_text(
        texts in texts_strategy(),
        density in 0.0f64..0.6,
        mean in 1.0f64..6.0,
        seed in 0u64..(1 << 53),
    ) {
        let strategy = StrategyOptions::T5SpanCorruption(T5Options { noise_density: density, mean_noise_span_length: mean });
        let (b, out) = run("t5-small", &texts, options(strategy, 0.15, seed));
        let tokenizer = &tokenizers()["t5-small"];
        let sentinel = |k: usize| tokenizer.token_to_id(&format!("<extra_id_{k}>")).unwrap() as i32;
        let eos = tokenizer.token_to_id("</s>").unwrap() as i32;
        for r in 0..b.batch_size {
            let cells: Vec<usize> = (r * b.seq_len..(r + 1) * b.seq_len).collect();
            let input = &out.input_ids[r * out.seq_len..(r + 1) * out.seq_len];
            let attention = &out.attention_mask[r * out.seq_len..(r + 1) * out.seq_len];
            let labels = &out.labels[r * out.labels_len..(r + 1) * out.labels_len];
            // Rebuild the original from the encoder input and the target.
            let target: Vec<i32> = labels.iter().copied().filter(|&l| l != IGNORE_INDEX).collect();
            prop_assert_eq!(*target.last().unwrap(), eos);
            let mut spans: Vec<Vec<i32>> = Vec::new();
            let mut expected_sentinel = 0;
            for &t in &target[..target.len() - 1] {
                if t == sentinel(expected_sentinel) {
                    spans.push(Vec::new());
                    expected_sentinel += 1;
                } else {
                    prop_assert!(!spans.is_empty(), "the target starts with <extra_id_0>");
                    spans.last_mut().unwrap().push(t);
                }
            }
            let mut rebuilt = Vec::new();
            let mut next = 0;
            for (&id, &a) in input.iter().zip(attention) {
                if a == 0 { continue; }
                if next < spans.len() && id == sentinel(next) {
                    rebuilt.extend(&spans[next]);
                    next += 1;
                } else {
                    rebuilt.push(id);
                }
            }
            prop_assert_eq!(next, spans.len(), "every sentinel appears in order in the input");
            let original: Vec<i32> = cells.iter().filter(|&&i| b.attention_mask[i] == 1).map(|&i| b.ids[i] as i32).collect();
            prop_assert_eq!(rebuilt, original);
            // Noise is never special, and never starts the text.
            for &i in &cells {
                if out.outcome[i] != 0 { prop_assert!(eligible(&b, i)); }
            }
            if let Some(&first) = cells.iter().find(|&&i| eligible(&b, i)) {
                prop_assert_eq!(out.outcome[first], 0);
            }
        }
    }

    #[test]
    fn bart_targets_are_the_original_and_sources_shrink_by_the_spans(
        texts in texts_strategy(),
        ratio in 0.0f64..=1.0,
        seed in 0u64..(1 << 53),
    ) {
        let strategy = StrategyOptions::BartInfilling(BartOptions { mask_ratio: ratio, ..BartOptions::default() });
        let (b, out) = run("roberta-base", &texts, options(strategy, 0.15, seed));
        prop_assert_eq!(out.labels_len, b.seq_len);
        for i in 0..b.ids.len() {
            let expected = if b.attention_mask[i] == 1 { b.ids[i] as i32 } else { IGNORE_INDEX };
            prop_assert_eq!(out.labels[i], expected);
            if out.outcome[i] != 0 { prop_assert!(eligible(&b, i)); }
        }
        let span_ids = out.span_ids.as_ref().unwrap();
        for r in 0..b.batch_size {
            let cells: Vec<usize> = (r * b.seq_len..(r + 1) * b.seq_len).collect();
            let masked_words: std::collections::BTreeSet<i32> = cells.iter().filter(|&&i| out.outcome[i] != 0).map(|&i| b.word_ids[i]).collect();
            let words = words_by_id(&b)[r].len();
            prop_assert!(masked_words.len() <= (words as f64 * ratio).ceil() as usize);
            let spans: std::collections::BTreeSet<i32> = cells.iter().map(|&i| span_ids[i]).filter(|&s| s >= 0).collect();
            let masked_tokens = cells.iter().filter(|&&i| out.outcome[i] != 0).count();
            let source_len = out.attention_mask[r * out.seq_len..(r + 1) * out.seq_len].iter().filter(|&&a| a == 1).count();
            let original_len = cells.iter().filter(|&&i| b.attention_mask[i] == 1).count();
            let inserted = source_len + masked_tokens - spans.len() - original_len;
            // Every span became one token; whatever else is new is an insertion (a zero-length span).
            prop_assert!(source_len + masked_tokens >= original_len + spans.len());
            // Zero-length spans become insertions; at most 4 * budget + 16 spans are drawn.
            prop_assert!(inserted <= 4 * ((words as f64 * ratio).ceil() as usize) + 16);
        }
    }
}

#[test]
fn budgets_and_errors_of_the_strategy_options() {
    let bert = &tokenizers()["bert-base-uncased"];
    let vocab = bert.vocab_info();
    let error = |strategy| {
        Masker::new(&vocab, &MaskingOptions { strategy, ..MaskingOptions::default() }).unwrap_err().to_string()
    };
    assert_eq!(
        error(StrategyOptions::T5SpanCorruption(T5Options::default())),
        "the t5SpanCorruption strategy needs the token <extra_id_0>, which this tokenizer does not have; use a T5-style tokenizer, whose vocabulary has the <extra_id_N> sentinels"
    );
    assert_eq!(
        error(StrategyOptions::Span(SpanOptions { max_span: 0, ..SpanOptions::default() })),
        "`min_span/max_span` must satisfy 1 <= `min_span` <= `max_span` <= 1000, got 1/0"
    );
    assert_eq!(
        error(StrategyOptions::Ngram(NgramOptions { ngram_probabilities: Some(vec![1.0]), ..NgramOptions::default() })),
        "`ngram_probabilities` must hold `max_n` non-negative numbers with a positive sum, got [1.0]"
    );
    assert_eq!(
        error(StrategyOptions::BartInfilling(BartOptions { mask_ratio: 1.5, ..BartOptions::default() })),
        "`mask_ratio` must be a number between 0 and 1, got 1.5"
    );
    assert_eq!(
        error(StrategyOptions::ExactCount(ExactCountOptions { max_predictions: 0, ..ExactCountOptions::default() })),
        "`max_predictions` must be a positive integer, got 0"
    );
    let weights =
        MaskingOptions { random_tokens: mlmask::RandomTokens::Weights(vec![1.0; 3]), ..MaskingOptions::default() };
    assert_eq!(
        Masker::new(&vocab, &weights).unwrap_err().to_string(),
        "`random_tokens.weights` must have one weight per id of the vocabulary (`vocab_size` entries), got 3 entries for a vocabulary of 30522"
    );
    // Word ids are needed by the default word boundary.
    let b = batch(bert, &["hello world".into()]);
    let mut masker = Masker::new(
        &vocab,
        &MaskingOptions {
            strategy: StrategyOptions::WholeWord(WholeWordOptions::default()),
            ..MaskingOptions::default()
        },
    )
    .unwrap();
    let input = MaskInput { word_ids: None, ..MaskInput::from_batch(&b) };
    assert!(masker.mask(&input).unwrap_err().to_string().starts_with("`word_ids` is missing from the encoding"));
}

#[test]
fn weighted_random_tokens_and_never_select() {
    let bert = &tokenizers()["bert-base-uncased"];
    let mut weights = vec![0.0f32; bert.vocab_size() as usize];
    weights[2000] = 1.0;
    weights[3000] = 3.0;
    let texts: Vec<String> = (0..50).map(|i| format!("the word number {i} is here and there")).collect();
    let options = MaskingOptions {
        mlm_probability: 1.0,
        mask_replace_prob: 0.0,
        random_replace_prob: 1.0,
        random_tokens: mlmask::RandomTokens::Weights(weights),
        never_select: vec![1996], // "the"
        seed: Some(4),
        ..MaskingOptions::default()
    };
    let (b, out) = run("bert-base-uncased", &texts, options);
    let drawn: Vec<i32> = (0..b.ids.len()).filter(|&i| out.outcome[i] == 2).map(|i| out.input_ids[i]).collect();
    assert!(drawn.iter().all(|&id| id == 2000 || id == 3000));
    let threes = drawn.iter().filter(|&&id| id == 3000).count();
    let n = drawn.len() as f64;
    assert!((threes as f64 - 0.75 * n).abs() <= 5.0 * (n * 0.75 * 0.25).sqrt(), "{threes} of {n}");
    for i in 0..b.ids.len() {
        if b.ids[i] == 1996 {
            assert_eq!(out.outcome[i], 0, "never-select ids are never selected");
        }
    }
}

/// Replays transformers' per-word draws: the first Bernoulli call returns the word-initial
/// positions transformers selected; nothing else is random in mask-only whole-word masking.
struct Replay {
    selected: Vec<bool>,
    calls: usize,
}

impl MaskRng for Replay {
    fn bernoulli(&mut self, _p: f64, eligible: Option<&[bool]>, out: &mut [bool]) {
        for (i, cell) in out.iter_mut().enumerate() {
            *cell = self.calls == 0 && eligible.is_none_or(|e| e[i]) && self.selected[i];
        }
        self.calls += 1;
    }
    fn uniform_below(&mut self, _n: u32, _chosen: &[bool], _out: &mut [u32]) {
        unreachable!("mask-only whole-word masking draws no ids")
    }
}

#[test]
fn whole_words_agree_with_transformers_given_the_same_per_word_draws() {
    let path = format!("{}/tests/fixtures/wwm/transformers_wwm.json", env!("CARGO_MANIFEST_DIR"));
    let fixture: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut compared = 0;
    for case in fixture["cases"].as_array().unwrap() {
        let tokenizer = &tokenizers()[case["tokenizer"].as_str().unwrap()];
        let texts: Vec<String> =
            case["texts"].as_array().unwrap().iter().map(|t| t.as_str().unwrap().to_owned()).collect();
        let max_length = case["max_length"].as_u64().unwrap() as usize;
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let options = EncodeOptions {
            truncation: Setting::Set(mlmask::Truncation::to(max_length)),
            padding: Setting::Set(Padding { length: Some(max_length), ..Padding::longest() }),
            ..EncodeOptions::default()
        };
        let b = tokenizer.encode_batch(&refs, None, &options).unwrap();
        let ids: Vec<u32> = case["input_ids"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|r| r.as_array().unwrap().iter().map(|x| x.as_u64().unwrap() as u32))
            .collect();
        assert_eq!(b.ids, ids, "same tokenization as transformers");
        let labels: Vec<i32> = case["labels"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|r| r.as_array().unwrap().iter().map(|x| x.as_i64().unwrap() as i32))
            .collect();
        let masked_ids: Vec<i32> = case["masked_input_ids"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|r| r.as_array().unwrap().iter().map(|x| x.as_i64().unwrap() as i32))
            .collect();

        let masking = MaskingOptions { mlm_probability: 0.4, seed: Some(0), ..MaskingOptions::default() };
        let config = Masker::new(&tokenizer.vocab_info(), &masking).unwrap().config().clone();
        let strategy = WholeWord::new(&WholeWordOptions {
            word_boundary: WordBoundary::OffsetsGap,
            ..WholeWordOptions::default()
        })
        .unwrap();
        let mut replay = Replay { selected: labels.iter().map(|&l| l != IGNORE_INDEX).collect(), calls: 0 };
        let out = strategy.mask(&MaskInput::from_batch(&b), &config, &mut replay).unwrap();
        assert_eq!(out.labels, labels, "{} seed {}: labels", case["tokenizer"], case["seed"]);
        assert_eq!(out.input_ids, masked_ids, "{} seed {}: input ids", case["tokenizer"], case["seed"]);
        assert!(labels.iter().filter(|&&l| l != IGNORE_INDEX).count() > 10, "the fixture selects something");
        compared += 1;
    }
    assert_eq!(compared, 6);
}

/// With numpy's stream, the whole selection (not only the expansion) is transformers' own:
/// the same seed gives the same whole-word masks as `whole_word_mask=True, return_tensors="np"`.
#[test]
fn whole_word_masking_with_numpys_stream_is_transformers_bit_for_bit() {
    let path = format!("{}/tests/fixtures/wwm/transformers_wwm.json", env!("CARGO_MANIFEST_DIR"));
    let fixture: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    for case in fixture["cases"].as_array().unwrap() {
        let tokenizer = &tokenizers()[case["tokenizer"].as_str().unwrap()];
        let texts: Vec<&str> = case["texts"].as_array().unwrap().iter().map(|t| t.as_str().unwrap()).collect();
        let max_length = case["max_length"].as_u64().unwrap() as usize;
        let options = EncodeOptions {
            truncation: Setting::Set(mlmask::Truncation::to(max_length)),
            padding: Setting::Set(Padding { length: Some(max_length), ..Padding::longest() }),
            ..EncodeOptions::default()
        };
        let b = tokenizer.encode_batch(&texts, None, &options).unwrap();
        let masking = MaskingOptions {
            mlm_probability: 0.4,
            seed: case["seed"].as_u64(),
            rng: mlmask::RngKind::Numpy,
            strategy: StrategyOptions::WholeWord(WholeWordOptions {
                word_boundary: WordBoundary::OffsetsGap,
                ..WholeWordOptions::default()
            }),
            ..MaskingOptions::default()
        };
        let out = Masker::new(&tokenizer.vocab_info(), &masking).unwrap().mask(&MaskInput::from_batch(&b)).unwrap();
        let labels: Vec<i32> = case["labels"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|r| r.as_array().unwrap().iter().map(|x| x.as_i64().unwrap() as i32))
            .collect();
        assert_eq!(out.labels, labels, "{} seed {}", case["tokenizer"], case["seed"]);
    }
}

/// keras-hub's `MaskedLMMaskGenerator` (Python path) selects and replaces like the `token`
/// strategy; on the same ids, with the same unselectable ids, the rates agree within five
/// standard deviations of the difference of two binomial proportions.
#[test]
fn token_masking_rates_agree_with_keras_hub() {
    let path = format!("{}/tests/fixtures/keras/masked_lm_rates.json", env!("CARGO_MANIFEST_DIR"));
    let fixture: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let tokenizer = &tokenizers()["bert-base-uncased"];
    let texts: Vec<String> =
        fixture["texts"].as_array().unwrap().iter().map(|t| t.as_str().unwrap().chars().take(300).collect()).collect();
    let b = batch(tokenizer, &texts);
    let rounds = fixture["rounds"].as_u64().unwrap();
    let agree = |what: &str, k1: f64, n1: f64, k2: f64, n2: f64| {
        let (p1, p2, pooled) = (k1 / n1, k2 / n2, (k1 + k2) / (n1 + n2));
        let sd = (pooled * (1.0 - pooled) * (1.0 / n1 + 1.0 / n2)).sqrt();
        assert!((p1 - p2).abs() <= 5.0 * sd, "{what}: mlmask {p1:.4} vs keras-hub {p2:.4} (5 sd = {:.4})", 5.0 * sd);
    };
    for r in fixture["results"].as_array().unwrap() {
        let get = |k: &str| r[k].as_f64().unwrap();
        let options = MaskingOptions {
            mlm_probability: get("mask_selection_rate"),
            mask_replace_prob: get("mask_token_rate"),
            random_replace_prob: get("random_token_rate"),
            special_tokens: mlmask::SpecialTokens::Ids, // keras' unselectable ids: [PAD] [UNK] [CLS] [SEP] [MASK]
            seed: Some(99),
            ..MaskingOptions::default()
        };
        let mut masker = Masker::new(&tokenizer.vocab_info(), &options).unwrap();
        let (mut eligible, mut counts) = (0.0, [0.0; 4]);
        for _ in 0..rounds {
            let out = masker.mask(&MaskInput::from_batch(&b)).unwrap();
            eligible += b
                .ids
                .iter()
                .zip(&b.attention_mask)
                .filter(|(id, &a)| a == 1 && ![0, 100, 101, 102, 103].contains(*id))
                .count() as f64;
            for (c, n) in counts.iter_mut().zip(out.outcome_counts()) {
                *c += n as f64;
            }
        }
        let selected = counts[1] + counts[2] + counts[3];
        agree("selected", selected, eligible, get("selected"), get("eligible"));
        agree("mask", counts[1], selected, get("mask"), get("selected"));
        agree("random", counts[2], selected, get("random"), get("selected"));
        agree("kept", counts[3], selected, get("kept"), get("selected"));
    }
}

/// Regression: with `offsets: false` the encodings used to carry `(0, 0)` offsets, and
/// `offsetsGap` then silently treated each row as one word (all or nothing selected). Absent
/// offsets are now refused by name, and the masker keeps working.
#[test]
fn offsets_gap_without_offsets_is_an_error() {
    use mlmask::OffsetUnit;
    let tokenizer = &tokenizers()["bert-base-uncased"];
    let strategy = StrategyOptions::WholeWord(WholeWordOptions {
        word_boundary: WordBoundary::OffsetsGap,
        ..WholeWordOptions::default()
    });
    let mut masker = Masker::new(&tokenizer.vocab_info(), &options(strategy, 0.5, 7)).unwrap();
    let texts = ["The quick brown fox jumps over the lazy dog."];
    let bare = tokenizer
        .encode_batch(&texts, None, &EncodeOptions { offsets: OffsetUnit::None, ..EncodeOptions::default() })
        .unwrap();
    assert_eq!(bare.offsets, None);
    let error = masker.mask(&MaskInput::from_batch(&bare)).unwrap_err();
    assert!(matches!(error, mlmask::Error::NoOffsets { .. }), "{error:?}");
    assert!(error.to_string().contains("has no offsets"), "{error}");
    let full = tokenizer.encode_batch(&texts, None, &EncodeOptions::default()).unwrap();
    let out = masker.mask(&MaskInput::from_batch(&full)).unwrap();
    let selected = out.outcome.iter().filter(|&&o| o != 0).count();
    let words = full.word_ids.iter().filter(|&&w| w >= 0).count();
    assert!(selected > 0 && selected < words, "words, not the whole row: {selected} of {words}");
}
