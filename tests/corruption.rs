//! The corruption schemes beyond MLM (UL2, FIM, lexicon spans) and the layouts that wrap any
//! strategy (packing, views): their invariants as property tests, chi-square tests of their
//! samplers, and determinism on every stream.

#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::collections::BTreeMap;
use std::sync::OnceLock;

use common::{load, tokenizer_json};
use mlmask::masking::{
    Denoiser, DenoiserKind, FimLevel, FimOptions, LexiconEntry, LexiconSpansOptions, NgramOptions, Replacement,
    SpanOptions, Ul2Options, WholeWordOptions, WordBoundary,
};
use mlmask::{
    Batch, EncodeOptions, Error, FimLayout, MaskInput, MaskedBatch, Masker, MaskingOptions, Packing, RngKind,
    StrategyOptions, Tokenizer, IGNORE_INDEX,
};
use proptest::prelude::*;

/// Upper 0.1% points of the chi-square distribution for 1 to 12 degrees of freedom.
const CHI_SQUARE_999: [f64; 12] = [10.83, 13.82, 16.27, 18.47, 20.52, 22.46, 24.32, 26.12, 27.88, 29.59, 31.26, 32.91];

/// Pearson's statistic of `observed` counts against `weights` (normalised), and its degrees of
/// freedom; every bin must expect at least 5.
fn chi_square(observed: &[usize], weights: &[f64]) -> (f64, usize) {
    let n: usize = observed.iter().sum();
    let total: f64 = weights.iter().sum();
    let mut stat = 0.0;
    for (&o, &w) in observed.iter().zip(weights) {
        let e = n as f64 * w / total;
        assert!(e >= 5.0, "a bin expects {e}: draw more");
        stat += (o as f64 - e).powi(2) / e;
    }
    (stat, observed.len() - 1)
}

fn tokenizers() -> &'static BTreeMap<&'static str, Tokenizer> {
    static TOKENIZERS: OnceLock<BTreeMap<&'static str, Tokenizer>> = OnceLock::new();
    TOKENIZERS.get_or_init(|| {
        let mut map: BTreeMap<&'static str, Tokenizer> =
            ["bert-base-uncased", "roberta-base", "t5-small"].into_iter().map(|n| (n, load(n))).collect();
        map.insert(
            "gpt2+fim",
            with_added_tokens("gpt2", &["<fim_prefix>", "<fim_middle>", "<fim_suffix>", "<fim_pad>"]),
        );
        map
    })
}

/// A vendored tokenizer with special tokens appended after its last id, as
/// `tokenizer.add_special_tokens` does (StarCoder's FIM tokens on GPT-2's vocabulary), padded
/// with its end of text as GPT-2's users do.
fn with_added_tokens(name: &str, tokens: &[&str]) -> Tokenizer {
    let options = mlmask::LoadOptions {
        pad_token: Some("<|endoftext|>".into()),
        additional_special_tokens: tokens.iter().map(|t| t.to_string()).collect(),
        ..mlmask::LoadOptions::default()
    };
    Tokenizer::from_json_with(&tokenizer_json(name), &options).unwrap()
}

fn batch(tokenizer: &Tokenizer, texts: &[String]) -> Batch {
    let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
    tokenizer.encode_batch(&texts, None, &EncodeOptions::default()).unwrap()
}

fn masker(name: &str, options: &MaskingOptions) -> Masker {
    Masker::with_tokenizer(&tokenizers()[name], options).unwrap()
}

fn run(name: &str, texts: &[String], options: &MaskingOptions) -> (Batch, MaskedBatch) {
    let tokenizer = &tokenizers()[name];
    let b = batch(tokenizer, texts);
    let out =
        masker(name, options).mask(&MaskInput { tokenizer: Some(tokenizer), ..MaskInput::from_batch(&b) }).unwrap();
    (b, out)
}

fn seeded(strategy: StrategyOptions, seed: u64) -> MaskingOptions {
    MaskingOptions { strategy, seed: Some(seed), ..MaskingOptions::default() }
}

/// The real (non-padding) ids of row `r`.
fn real_row(ids: &[u32], attention: &[u8], r: usize, len: usize) -> Vec<u32> {
    (r * len..(r + 1) * len).filter(|&i| attention[i] != 0).map(|i| ids[i]).collect()
}

fn masked_row(out: &MaskedBatch, r: usize) -> Vec<i32> {
    (r * out.seq_len..(r + 1) * out.seq_len).filter(|&i| out.attention_mask[i] != 0).map(|i| out.input_ids[i]).collect()
}

fn target_row(out: &MaskedBatch, r: usize) -> Vec<i32> {
    out.labels[r * out.labels_len..(r + 1) * out.labels_len].iter().copied().filter(|&l| l != IGNORE_INDEX).collect()
}

fn text_strategy() -> impl proptest::strategy::Strategy<Value = String> {
    // The shared words, and the lexicon's and FIM's own (collocations, code).
    let extra = ["new", "york", "machine", "learning", "fn", "main()", "{", "}"];
    let word = prop::sample::select(common::WORDS.iter().chain(&extra).copied().collect::<Vec<_>>());
    prop::collection::vec(word, 0..40).prop_map(|w| w.join(" "))
}

fn texts_strategy() -> impl proptest::strategy::Strategy<Value = Vec<String>> {
    prop::collection::vec(text_strategy(), 1..5)
}

/// The mode-token ids and the sentinels of t5-small.
fn t5_ids() -> (Vec<u32>, Vec<u32>, u32) {
    let t5 = &tokenizers()["t5-small"];
    let nlu =
        t5.encode("[NLU]", None, &EncodeOptions { add_special_tokens: false, ..EncodeOptions::default() }).unwrap().ids;
    (nlu, t5.sentinel_ids(), t5.token_to_id("</s>").unwrap())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, ..ProptestConfig::default() })]

    /// UL2: the denoiser is recorded; the mode token comes first; R and X rows number their
    /// sentinels in order, in the input and the target alike, and filling the sentinels back
    /// in gives the row; S rows split the text into a prefix and a target.
    #[test]
    fn ul2_rows_are_their_denoisers_corruptions(texts in texts_strategy(), seed in 0u64..(1 << 53)) {
        let (b, out) = run("t5-small", &texts, &seeded(StrategyOptions::Ul2(Ul2Options::default()), seed));
        let denoisers = Ul2Options::default().denoisers;
        let chosen = out.denoiser.clone().unwrap();
        prop_assert_eq!(chosen.len(), b.batch_size);
        prop_assert_eq!(out.denoiser_names.as_ref().unwrap().len(), denoisers.len());
        let (_, sentinels, eos) = t5_ids();
        let t5 = &tokenizers()["t5-small"];
        for r in 0..b.batch_size {
            let d = &denoisers[usize::from(chosen[r])];
            let mode: Vec<i32> = t5
                .encode(d.kind_mode_token(), None, &EncodeOptions { add_special_tokens: false, ..EncodeOptions::default() })
                .unwrap().ids.iter().map(|&i| i as i32).collect();
            let input = masked_row(&out, r);
            let target = target_row(&out, r);
            prop_assert_eq!(&input[..mode.len()], &mode[..], "the mode token first");
            prop_assert_eq!(*target.last().unwrap(), eos as i32);
            let original: Vec<i32> = real_row(&b.ids, &b.attention_mask, r, b.seq_len).iter().map(|&i| i as i32).collect();
            let body = &input[mode.len()..];
            let target = &target[..target.len() - 1];
            if d.kind == DenoiserKind::S {
                prop_assert!(!body.iter().any(|id| sentinels.contains(&(*id as u32))), "S uses no sentinel");
                // The text is the prefix then the target; the trailing </s> stays in the input.
                let mut joined: Vec<i32> = body[..body.len() - 1].to_vec();
                joined.extend(target);
                joined.push(*body.last().unwrap());
                prop_assert_eq!(joined, original);
                continue;
            }
            let used: Vec<i32> = body.iter().copied().filter(|id| sentinels.contains(&(*id as u32))).collect();
            let in_order: Vec<i32> = sentinels[..used.len()].iter().map(|&s| s as i32).collect();
            prop_assert_eq!(&used, &in_order, "sentinels in order in the input");
            let in_target: Vec<i32> = target.iter().copied().filter(|id| sentinels.contains(&(*id as u32))).collect();
            prop_assert_eq!(&in_target, &in_order, "the same sentinels in the target");
            let mut filled = Vec::new();
            for &id in body {
                if let Some(k) = used.iter().position(|&s| s == id) {
                    let start = target.iter().position(|&t| t == id).unwrap() + 1;
                    let end = used.get(k + 1).and_then(|next| target.iter().position(|t| t == next)).unwrap_or(target.len());
                    filled.extend(&target[start..end]);
                } else {
                    filled.push(id);
                }
            }
            prop_assert_eq!(filled, original);
        }
    }

    /// FIM at token level: the three parts re-join to the row's ids, in either layout, and the
    /// labels are the next ids.
    #[test]
    fn fim_parts_rejoin_to_the_original_ids(texts in texts_strategy(), seed in 0u64..(1 << 53), character in any::<bool>()) {
        let level = if character { FimLevel::Character } else { FimLevel::Token };
        let options = FimOptions { fim_rate: 0.8, level, ..FimOptions::default() };
        let (b, out) = run("gpt2+fim", &texts, &seeded(StrategyOptions::Fim(options), seed));
        let gpt2 = &tokenizers()["gpt2+fim"];
        let [pre, mid, suf] = ["<fim_prefix>", "<fim_middle>", "<fim_suffix>"].map(|t| gpt2.token_to_id(t).unwrap() as i32);
        let layouts = out.fim_layout.clone().unwrap();
        for (r, &layout) in layouts.iter().enumerate() {
            let original: Vec<u32> = real_row(&b.ids, &b.attention_mask, r, b.seq_len);
            let row = masked_row(&out, r);
            let at = |id: i32| row.iter().position(|&x| x == id);
            let (prefix, middle, suffix): (Vec<i32>, Vec<i32>, Vec<i32>) = match layout {
                x if x == FimLayout::None as u8 => {
                    prop_assert_eq!(row.iter().map(|&i| i as u32).collect::<Vec<_>>(), original.clone());
                    continue;
                }
                x if x == FimLayout::Psm as u8 => {
                    let (p, s, m) = (at(pre).unwrap(), at(suf).unwrap(), at(mid).unwrap());
                    prop_assert!(p == 0 && p < s && s < m);
                    (row[p + 1..s].to_vec(), row[m + 1..].to_vec(), row[s + 1..m].to_vec())
                }
                _ => {
                    let (p, s, m) = (at(pre).unwrap(), at(suf).unwrap(), at(mid).unwrap());
                    prop_assert!(p == 0 && s == 1 && s < m);
                    // SPM: the prefix and middle follow <fim_middle> together; split them by
                    // the prefix's length, which re-tokenizing or not, re-join tells.
                    let rest = row[m + 1..].to_vec();
                    (Vec::new(), rest, row[s + 1..m].to_vec())
                }
            };
            let rejoined: Vec<i32> = prefix.iter().chain(&middle).chain(&suffix).copied().collect();
            let ids = |v: &[i32]| v.iter().map(|&i| i as u32).collect::<Vec<u32>>();
            if level == FimLevel::Token {
                if layout == FimLayout::Psm as u8 {
                    prop_assert_eq!(ids(&rejoined), original.clone());
                } else {
                    // SPM puts the prefix before the middle: suffix last in the original.
                    let mut joined = ids(&middle);
                    joined.extend(ids(&suffix));
                    prop_assert_eq!(joined, original.clone());
                }
            } else {
                // Character level: each part was tokenized alone, so the decoded parts re-join
                // to the decoded row.
                let text = |v: &[i32]| gpt2.decode(&ids(v), false).unwrap();
                let whole = if layout == FimLayout::Psm as u8 {
                    format!("{}{}{}", text(&prefix), text(&middle), text(&suffix))
                } else {
                    format!("{}{}", text(&middle), text(&suffix))
                };
                prop_assert_eq!(whole, gpt2.decode(&original, false).unwrap());
            }
            // Causal-LM labels: the next id, -100 for the last token.
            let labels = &out.labels[r * out.labels_len..(r + 1) * out.labels_len];
            for k in 0..row.len() {
                let expected = if k + 1 < row.len() { row[k + 1] } else { IGNORE_INDEX };
                prop_assert_eq!(labels[k], expected);
            }
        }
    }

    /// Packing: the packed rows are the unpacked masks rearranged (same seed), with no padding
    /// inside a row, positions that restart per text, and no group across two texts.
    #[test]
    fn packing_rearranges_the_same_masks(
        texts in texts_strategy(),
        seed in 0u64..(1 << 53),
        which in 0usize..5,
        extra in 0usize..60,
        views in 1usize..3,
        rng in prop::sample::select(vec![RngKind::Mlmask, RngKind::Numpy, RngKind::Torch]),
    ) {
        let strategy = [
            StrategyOptions::Token,
            StrategyOptions::WholeWord(WholeWordOptions::default()),
            StrategyOptions::Ngram(NgramOptions::default()),
            StrategyOptions::Span(SpanOptions::default()),
            StrategyOptions::LexiconSpans(lexicon(&["new york", "machine learning"])),
        ][which].clone();
        let options = MaskingOptions { rng, views, ..seeded(strategy, seed) };
        let tokenizer = &tokenizers()["bert-base-uncased"];
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let (_, plain) = masker("bert-base-uncased", &options).collate(tokenizer, &refs, &EncodeOptions::default()).unwrap();
        let longest = (0..plain.batch_size).map(|r| masked_row(&plain, r).len()).max().unwrap();
        let packing = Packing { max_length: longest + extra };
        let (b, packed) = masker("bert-base-uncased", &options)
            .collate_packed(tokenizer, &refs, &EncodeOptions::default(), &packing).unwrap();
        prop_assert_eq!(b.batch_size, texts.len());
        let p = packed.packed.clone().unwrap();
        prop_assert!(packed.seq_len <= packing.max_length);
        let mut seen = vec![0usize; plain.batch_size];
        for r in 0..packed.batch_size {
            let cells = r * packed.seq_len..(r + 1) * packed.seq_len;
            let attention = &packed.attention_mask[cells.clone()];
            let used = attention.iter().filter(|&&a| a == 1).count();
            prop_assert!(attention[..used].iter().all(|&a| a == 1), "no padding inside a row");
            let mut span_owner: BTreeMap<i32, i32> = BTreeMap::new();
            for i in cells.start..cells.start + used {
                let text = p.sequence_ids[i];
                let k = p.position_ids[i] as usize;
                prop_assert_eq!(k, seen[text as usize], "positions restart per text and count up");
                seen[text as usize] += 1;
                // The token is the unpacked row's k-th real token, masked the same way.
                let source = (text as usize * plain.seq_len..(text as usize + 1) * plain.seq_len)
                    .filter(|&j| plain.attention_mask[j] == 1).nth(k).unwrap();
                prop_assert_eq!(packed.input_ids[i], plain.input_ids[source]);
                prop_assert_eq!(packed.labels[i], plain.labels[source]);
                prop_assert_eq!(packed.outcome[i], plain.outcome[source]);
                if let Some(spans) = &packed.span_ids {
                    if spans[i] >= 0 {
                        let owner = *span_owner.entry(spans[i]).or_insert(text);
                        prop_assert_eq!(owner, text, "a group crosses two texts");
                    }
                }
            }
        }
        let lengths: Vec<usize> = (0..plain.batch_size).map(|r| masked_row(&plain, r).len()).collect();
        prop_assert_eq!(&seen, &lengths, "every token of every text, once");
        let mut cu = vec![0i32];
        for l in &lengths {
            cu.push(cu.last().unwrap() + *l as i32);
        }
        prop_assert_eq!(p.cu_seqlens, cu);
    }

    /// Lexicon spans: every occurrence of an entry is selected whole or not at all.
    #[test]
    fn lexicon_spans_are_masked_whole(
        texts in texts_strategy(),
        seed in 0u64..(1 << 53),
        p in 0.05f64..=1.0,
        tokenizer in prop::sample::select(vec!["bert-base-uncased", "roberta-base"]),
    ) {
        let entries = ["new york", "machine learning", "hello world"];
        let options = MaskingOptions { mlm_probability: p, ..seeded(StrategyOptions::LexiconSpans(lexicon(&entries)), seed) };
        let (b, out) = run(tokenizer, &texts, &options);
        let tok = &tokenizers()[tokenizer];
        let variants: Vec<Vec<u32>> = entries
            .iter()
            .flat_map(|e| [e.to_string(), format!(" {e}")])
            .map(|e| tok.encode(&e, None, &EncodeOptions { add_special_tokens: false, ..EncodeOptions::default() }).unwrap().ids)
            .collect();
        for r in 0..b.batch_size {
            let row = r * b.seq_len..(r + 1) * b.seq_len;
            for start in row.clone() {
                for v in &variants {
                    let end = start + v.len();
                    if end > row.end {
                        continue;
                    }
                    let starts_word = start == row.start || b.word_ids[start] != b.word_ids[start - 1];
                    let ends_word = end == row.end || b.word_ids[end] != b.word_ids[end - 1];
                    if b.ids[start..end] != v[..] || !starts_word || !ends_word {
                        continue;
                    }
                    if (start..end).any(|i| b.special_tokens_mask[i] == 1) {
                        continue;
                    }
                    let selected: Vec<bool> = (start..end).map(|i| out.outcome[i] != 0).collect();
                    prop_assert!(selected.iter().all(|&s| s == selected[0]), "{:?} at {start}: {:?}", v, selected);
                }
            }
        }
    }
}

trait ModeToken {
    fn kind_mode_token(&self) -> &'static str;
}

impl ModeToken for Denoiser {
    fn kind_mode_token(&self) -> &'static str {
        self.kind.default_mode_token()
    }
}

fn lexicon(entries: &[&str]) -> LexiconSpansOptions {
    LexiconSpansOptions {
        lexicon: entries.iter().map(|e| LexiconEntry::Text(e.to_string())).collect(),
        word_boundary: WordBoundary::WordIds,
        replacement: Replacement::PerWord,
    }
}

/// A batch of `rows` copies of one row of `length` plain tokens (no special tokens), for the
/// samplers' distributions.
fn plain_rows(rows: usize, length: usize) -> (Vec<u32>, Vec<u8>, Vec<u8>) {
    let ids: Vec<u32> = (0..rows * length).map(|i| 100 + (i % length) as u32).collect();
    (ids, vec![0; rows * length], vec![1; rows * length])
}

#[test]
fn ul2_draws_denoisers_by_weight() {
    let denoisers = vec![
        Denoiser { weight: 1.0, ..Denoiser::new(DenoiserKind::R, 3.0, 0.15) },
        Denoiser { weight: 2.0, ..Denoiser::new(DenoiserKind::X, 8.0, 0.5) },
        Denoiser { weight: 3.0, ..Denoiser::new(DenoiserKind::S, 3.0, 0.25) },
    ];
    let options = seeded(StrategyOptions::Ul2(Ul2Options { denoisers }), 11);
    let (ids, special, attention) = plain_rows(6000, 20);
    let out = masker("t5-small", &options).mask(&MaskInput::new(&ids, &special, &attention, 6000, 20)).unwrap();
    let mut counts = [0usize; 3];
    for &d in out.denoiser.as_ref().unwrap() {
        counts[usize::from(d)] += 1;
    }
    let (stat, df) = chi_square(&counts, &[1.0, 2.0, 3.0]);
    assert!(stat < CHI_SQUARE_999[df - 1], "chi-square {stat:.2} with {df} df: {counts:?}");
}

#[test]
fn ul2_span_lengths_are_t5s_random_segmentation() {
    // 100 tokens, R(3, 0.15): 15 noise tokens in 5 spans. The first span's length l (1..=11)
    // has weight C(14 - l, 3), the number of ways to split the rest into 4 spans.
    let denoisers = vec![Denoiser { mode_token: Some(String::new()), ..Denoiser::new(DenoiserKind::R, 3.0, 0.15) }];
    let options = seeded(StrategyOptions::Ul2(Ul2Options { denoisers }), 5);
    let (ids, special, attention) = plain_rows(4000, 100);
    let out = masker("t5-small", &options).mask(&MaskInput::new(&ids, &special, &attention, 4000, 100)).unwrap();
    let spans = out.span_ids.unwrap();
    let choose3 = |n: usize| (n * (n - 1) * (n - 2) / 6) as f64;
    // Lengths 1..=6 and 7+ pooled (each bin expecting at least 5).
    let mut weights: Vec<f64> = (1..=6).map(|l| choose3(14 - l)).collect();
    weights.push((7..=11).map(|l| choose3(14 - l)).sum());
    let mut counts = vec![0usize; 7];
    for row in spans.chunks(100) {
        let first = row.iter().filter(|&&s| s == 0).count();
        assert_eq!(row.iter().filter(|&&s| s >= 0).count(), 15);
        assert_eq!(row.iter().copied().max(), Some(4));
        counts[first.min(7) - 1] += 1;
    }
    let (stat, df) = chi_square(&counts, &weights);
    assert!(stat < CHI_SQUARE_999[df - 1], "chi-square {stat:.2} with {df} df: {counts:?}");
}

#[test]
fn fim_rates_follow_fim_rate_and_spm_rate() {
    let options = seeded(
        StrategyOptions::Fim(FimOptions { fim_rate: 0.3, spm_rate: 0.7, level: FimLevel::Token, fim_tokens: None }),
        3,
    );
    let (ids, special, attention) = plain_rows(8000, 12);
    let out = masker("gpt2+fim", &options).mask(&MaskInput::new(&ids, &special, &attention, 8000, 12)).unwrap();
    let mut counts = [0usize; 3];
    for &l in out.fim_layout.as_ref().unwrap() {
        counts[usize::from(l)] += 1;
    }
    let (stat, df) = chi_square(&counts, &[0.7, 0.3 * 0.3, 0.3 * 0.7]);
    assert!(stat < CHI_SQUARE_999[df - 1], "chi-square {stat:.2} with {df} df: {counts:?}");
    // The split points: numpy's randint(0, len + 1) twice, sorted: the prefix's length k of a
    // 12-token row has weight 2 (13 - k) - 1 over 13^2 draws.
    let parts = out.span_ids.unwrap();
    let mut prefix = [0usize; 13];
    for (row, layout) in parts.chunks(12).zip(out.fim_layout.unwrap()) {
        if layout != 0 {
            prefix[row.iter().filter(|&&p| p == 0).count()] += 1;
        }
    }
    let weights: Vec<f64> = (0..13).map(|k| (2 * (13 - k) - 1) as f64).collect();
    // Pool the last bins, which expect few draws.
    let pooled = |v: &[f64]| -> Vec<f64> { v[..10].iter().copied().chain([v[10..].iter().sum()]).collect() };
    let observed: Vec<usize> = prefix[..10].iter().copied().chain([prefix[10..].iter().sum()]).collect();
    let (stat, df) = chi_square(&observed, &pooled(&weights));
    assert!(stat < CHI_SQUARE_999[df - 1], "chi-square {stat:.2} with {df} df: {observed:?}");
}

#[test]
fn fim_names_the_first_missing_token_and_takes_named_ones() {
    let options = seeded(StrategyOptions::Fim(FimOptions::default()), 1);
    let error = Masker::with_tokenizer(&tokenizers()["bert-base-uncased"], &options).unwrap_err();
    assert_eq!(
        error.to_string(),
        "the fim strategy needs the token <fim_prefix>, which this tokenizer does not have (nor its SantaCoder <fim-...> or Qwen <|fim_...|> spellings); name the tokenizer's FIM tokens with `fim_tokens`"
    );
    let named = mlmask::masking::FimTokens {
        prefix: "[unused0]".into(),
        middle: "[unused1]".into(),
        suffix: "[unused2]".into(),
        pad: "[PAD]".into(),
    };
    let options =
        seeded(StrategyOptions::Fim(FimOptions { fim_tokens: Some(named.clone()), ..FimOptions::default() }), 1);
    assert!(Masker::with_tokenizer(&tokenizers()["bert-base-uncased"], &options).is_ok());
    let bad = mlmask::masking::FimTokens { middle: "<MID>".into(), ..named };
    let options = seeded(StrategyOptions::Fim(FimOptions { fim_tokens: Some(bad), ..FimOptions::default() }), 1);
    assert_eq!(
        Masker::with_tokenizer(&tokenizers()["bert-base-uncased"], &options).unwrap_err().to_string(),
        "`fim_tokens.middle` names \"<MID>\", which is not a token of this tokenizer; pass a token from its vocabulary"
    );
    // Without the tokenizer, the strategies that read names say so.
    let vocab = tokenizers()["gpt2+fim"].vocab_info();
    assert!(matches!(
        Masker::new(&vocab, &seeded(StrategyOptions::Fim(FimOptions::default()), 1)),
        Err(Error::NeedsTokenizer { .. })
    ));
}

#[test]
fn packing_refuses_strategies_that_change_lengths() {
    let tokenizer = &tokenizers()["t5-small"];
    let options = seeded(StrategyOptions::Ul2(Ul2Options::default()), 1);
    let error = masker("t5-small", &options)
        .collate_packed(tokenizer, &["a b c"], &EncodeOptions::default(), &Packing { max_length: 16 })
        .unwrap_err();
    assert_eq!(error, Error::PackingNeedsAlignedLabels { strategy: "ul2" });
    assert!(error
        .to_string()
        .starts_with("packing lays out rows whose labels line up with their input_ids, and the ul2 strategy"));
}

/// Views: the N views of a row are what masking the batch with each row repeated N times
/// gives, so they are independent draws; the same seed gives the same views.
#[test]
fn views_are_the_repeated_batch_masked_independently() {
    let texts: Vec<String> = common::corpus_lines(6);
    for rng in [RngKind::Mlmask, RngKind::Numpy, RngKind::Torch] {
        let options = MaskingOptions { rng, views: 4, ..seeded(StrategyOptions::Token, 9) };
        let (b, out) = run("bert-base-uncased", &texts, &options);
        assert_eq!(out.batch_size, 4 * b.batch_size);
        let repeated: Vec<String> = texts.iter().flat_map(|t| std::iter::repeat_n(t.clone(), 4)).collect();
        let (_, expected) = run("bert-base-uncased", &repeated, &MaskingOptions { views: 1, ..options.clone() });
        assert_eq!(out, expected, "{rng:?}");
        assert_eq!(run("bert-base-uncased", &texts, &options).1, out, "{rng:?}: the same seed, the same views");
    }
    // Independence: over many positions, a token is selected in both of two views at rate p^2.
    let lines = common::corpus_lines(200);
    let options = MaskingOptions { views: 2, ..seeded(StrategyOptions::Token, 21) };
    let (b, out) = run("bert-base-uncased", &lines, &options);
    let (mut both, mut n) = (0usize, 0usize);
    for r in 0..b.batch_size {
        for j in 0..b.seq_len {
            let i = r * b.seq_len + j;
            if b.special_tokens_mask[i] == 0 && b.attention_mask[i] == 1 {
                n += 1;
                let (v0, v1) = ((2 * r) * b.seq_len + j, (2 * r + 1) * b.seq_len + j);
                both += usize::from(out.outcome[v0] != 0 && out.outcome[v1] != 0);
            }
        }
    }
    let p2 = 0.15f64 * 0.15;
    let (mean, sd) = (n as f64 * p2, (n as f64 * p2 * (1.0 - p2)).sqrt());
    assert!((both as f64 - mean).abs() < 5.0 * sd, "{both} selected in both views, expected {mean:.0} ± {sd:.0}");
}

/// Every new scheme is deterministic with a seed on every stream, and a different seed
/// changes it.
#[test]
fn the_new_schemes_are_deterministic_on_every_stream() {
    let texts: Vec<String> = common::corpus_lines(8);
    let schemes: Vec<(&str, StrategyOptions)> = vec![
        ("t5-small", StrategyOptions::Ul2(Ul2Options::default())),
        ("gpt2+fim", StrategyOptions::Fim(FimOptions { fim_rate: 0.9, ..FimOptions::default() })),
        (
            "gpt2+fim",
            StrategyOptions::Fim(FimOptions { fim_rate: 0.9, level: FimLevel::Token, ..FimOptions::default() }),
        ),
        ("bert-base-uncased", StrategyOptions::LexiconSpans(lexicon(&["new york", "of the"]))),
    ];
    for (name, strategy) in schemes {
        for rng in [RngKind::Mlmask, RngKind::Numpy, RngKind::Torch] {
            let options = MaskingOptions { rng, ..seeded(strategy.clone(), 77) };
            let first = run(name, &texts, &options).1;
            assert_eq!(run(name, &texts, &options).1, first, "{name} {rng:?}");
            let other = run(name, &texts, &MaskingOptions { seed: Some(78), ..options.clone() }).1;
            assert_ne!(other, first, "{name} {rng:?}: another seed");
        }
    }
}

/// FIM rows pack as rearranged: each text's tokens and next-token labels as without packing,
/// its last label -100 (nothing predicted across two texts), and one layout per text.
#[test]
fn fim_rows_pack_as_rearranged() {
    let tokenizer = &tokenizers()["gpt2+fim"];
    let lines = common::corpus_lines(12);
    let texts: Vec<&str> = lines.iter().map(String::as_str).collect();
    let options =
        seeded(StrategyOptions::Fim(FimOptions { fim_rate: 0.7, level: FimLevel::Token, ..FimOptions::default() }), 8);
    let (_, plain) = masker("gpt2+fim", &options).collate(tokenizer, &texts, &EncodeOptions::default()).unwrap();
    let longest = (0..plain.batch_size).map(|r| masked_row(&plain, r).len()).max().unwrap();
    let packing = Packing { max_length: longest * 2 };
    let (_, packed) =
        masker("gpt2+fim", &options).collate_packed(tokenizer, &texts, &EncodeOptions::default(), &packing).unwrap();
    assert!(packed.batch_size < plain.batch_size, "texts share rows");
    assert_eq!(packed.fim_layout.as_ref().unwrap(), plain.fim_layout.as_ref().unwrap(), "one layout per text");
    let p = packed.packed.as_ref().unwrap();
    for t in 0..plain.batch_size {
        let cells: Vec<usize> = (0..p.sequence_ids.len()).filter(|&i| p.sequence_ids[i] == t as i32).collect();
        let ids: Vec<i32> = cells.iter().map(|&i| packed.input_ids[i]).collect();
        assert_eq!(ids, masked_row(&plain, t), "text {t}");
        let labels: Vec<i32> = cells.iter().map(|&i| packed.labels[i]).collect();
        assert_eq!(labels.last(), Some(&IGNORE_INDEX));
        assert_eq!(&labels[..labels.len() - 1], &ids[1..], "next-token labels within the text");
    }
    // outcome describes the source positions, packed in rows of their own.
    assert_eq!(packed.outcome.len(), packed.batch_size * packed.source_len);
    assert_eq!(packed.outcome.iter().filter(|&&o| o != 0).count(), plain.outcome.iter().filter(|&&o| o != 0).count());
}
