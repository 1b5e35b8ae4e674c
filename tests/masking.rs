//! Masking invariants, rates and errors, natively. Rates are checked against binomial bounds:
//! |observed - n p| <= 5 sqrt(n p (1 - p)), which a correct implementation fails with
//! probability below 1e-6.

#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{corpus_lines, load};
use mlmask::{
    Batch, EncodeOptions, Error, MaskInput, MaskedBatch, Masker, MaskingOptions, Outcome, RandomTokens, Tokenizer,
    IGNORE_INDEX,
};

fn bert() -> Tokenizer {
    load("bert-base-uncased")
}

fn corpus_batch(tokenizer: &Tokenizer, lines: usize) -> Batch {
    let lines = corpus_lines(lines);
    let texts: Vec<&str> = lines.iter().map(String::as_str).collect();
    let options = EncodeOptions { pad_to_multiple_of: Some(8), ..EncodeOptions::default() };
    tokenizer.encode_batch(&texts, None, &options).unwrap()
}

fn masker(tokenizer: &Tokenizer, options: MaskingOptions) -> Masker {
    Masker::new(&tokenizer.vocab_info(), &options).unwrap()
}

fn seeded(seed: u64) -> MaskingOptions {
    MaskingOptions { seed: Some(seed), ..MaskingOptions::default() }
}

/// Every exact invariant of a masked batch.
fn check_invariants(batch: &Batch, out: &MaskedBatch, mask_id: u32, vocab_size: u32) {
    assert_eq!((out.batch_size, out.seq_len), (batch.batch_size, batch.seq_len));
    let cells = batch.batch_size * batch.seq_len;
    for v in [out.input_ids.len(), out.labels.len(), out.outcome.len(), out.attention_mask.len()] {
        assert_eq!(v, cells);
    }
    assert_eq!(out.attention_mask, batch.attention_mask);
    for i in 0..cells {
        let original = batch.ids[i] as i32;
        let outcome = out.outcome[i];
        if batch.special_tokens_mask[i] == 1 || batch.attention_mask[i] == 0 {
            assert_eq!(outcome, Outcome::Unselected as u8, "special or padding selected at {i}");
        }
        match outcome {
            0 => {
                assert_eq!(out.labels[i], IGNORE_INDEX);
                assert_eq!(out.input_ids[i], original);
            }
            1 => {
                assert_eq!(out.labels[i], original);
                assert_eq!(out.input_ids[i], mask_id as i32);
            }
            2 => {
                assert_eq!(out.labels[i], original);
                assert!((0..vocab_size as i32).contains(&out.input_ids[i]));
            }
            3 => {
                assert_eq!(out.labels[i], original);
                assert_eq!(out.input_ids[i], original);
            }
            other => panic!("outcome {other} at {i}"),
        }
    }
    assert_eq!(out.outcome_counts().iter().sum::<usize>(), cells);
}

fn eligible_count(batch: &Batch) -> usize {
    MaskInput::from_batch(batch).text_positions().iter().filter(|&&e| e).count()
}

/// |k - n p| within five binomial standard deviations.
fn assert_binomial(what: &str, k: usize, n: usize, p: f64) {
    let mean = n as f64 * p;
    let sd = (n as f64 * p * (1.0 - p)).sqrt();
    assert!((k as f64 - mean).abs() <= 5.0 * sd, "{what}: {k} of {n}, expected {mean:.1} ± {:.1} (5 sd)", 5.0 * sd);
}

#[test]
fn invariants_hold_on_a_padded_corpus_batch() {
    let tokenizer = bert();
    let batch = corpus_batch(&tokenizer, 400);
    assert!(batch.attention_mask.contains(&0), "the batch has padding");
    let mut m = masker(&tokenizer, seeded(1));
    for _ in 0..5 {
        let out = m.mask(&MaskInput::from_batch(&batch)).unwrap();
        check_invariants(&batch, &out, 103, tokenizer.vocab_size());
        let counts = out.outcome_counts();
        assert!(counts[1] > 0 && counts[2] > 0 && counts[3] > 0, "{counts:?}");
    }
}

#[test]
fn rates_match_the_collator_within_five_standard_deviations() {
    let tokenizer = bert();
    let batch = corpus_batch(&tokenizer, 3000);
    let mut m = masker(&tokenizer, seeded(2024));
    let (mut eligible, mut counts) = (0, [0usize; 4]);
    for _ in 0..10 {
        let out = m.mask(&MaskInput::from_batch(&batch)).unwrap();
        eligible += eligible_count(&batch);
        for (total, c) in counts.iter_mut().zip(out.outcome_counts()) {
            *total += c;
        }
    }
    let selected = counts[1] + counts[2] + counts[3];
    assert!(eligible > 300_000, "sample too small: {eligible}");
    assert_binomial("selected", selected, eligible, 0.15);
    assert_binomial("mask token", counts[1], selected, 0.8);
    assert_binomial("random id", counts[2], selected, 0.1);
    assert_binomial("kept", counts[3], selected, 0.1);
}

#[test]
fn other_splits_follow_their_conditional_probabilities() {
    let tokenizer = bert();
    let batch = corpus_batch(&tokenizer, 2000);
    // (mlm, mask, random): transformers draws random with random / (1 - mask) among the unmasked.
    for (p, mask, random) in [(0.3, 0.5, 0.25), (0.5, 0.0, 0.5), (0.05, 0.6, 0.4)] {
        let options =
            MaskingOptions { mlm_probability: p, mask_replace_prob: mask, random_replace_prob: random, ..seeded(9) };
        let out = masker(&tokenizer, options).mask(&MaskInput::from_batch(&batch)).unwrap();
        let c = out.outcome_counts();
        let selected = c[1] + c[2] + c[3];
        assert_binomial("selected", selected, eligible_count(&batch), p);
        assert_binomial("mask", c[1], selected, mask);
        assert_binomial("random", c[2], selected, random);
    }
}

#[test]
fn edge_probabilities_are_exact() {
    let tokenizer = bert();
    let batch = corpus_batch(&tokenizer, 50);
    let input = MaskInput::from_batch(&batch);
    let eligible = eligible_count(&batch);
    let run = |p: f64, mask: f64, random: f64| {
        let options =
            MaskingOptions { mlm_probability: p, mask_replace_prob: mask, random_replace_prob: random, ..seeded(5) };
        let out = masker(&tokenizer, options).mask(&input).unwrap();
        check_invariants(&batch, &out, 103, tokenizer.vocab_size());
        out.outcome_counts()
    };
    assert_eq!(run(0.0, 0.8, 0.1), [batch.ids.len(), 0, 0, 0], "p = 0 selects nothing");
    let all = run(1.0, 1.0, 0.0);
    assert_eq!(all[1], eligible, "p = 1 selects every eligible token, mask = 1 masks them all");
    assert_eq!(run(1.0, 0.0, 1.0)[2], eligible, "random only");
    assert_eq!(run(1.0, 0.0, 0.0)[3], eligible, "keep only");
    // 0.2 / (1 - 0.8) is 1.0000000000000002 in floating point: clamped, so nothing is kept.
    let clamped = run(1.0, 0.8, 0.2);
    assert_eq!(clamped[3], 0);
    assert_eq!(clamped[1] + clamped[2], eligible);
}

#[test]
fn the_clamped_conditional_probability_is_exposed() {
    let tokenizer = bert();
    let m = masker(&tokenizer, MaskingOptions { mask_replace_prob: 0.8, random_replace_prob: 0.2, ..seeded(0) });
    assert_eq!(0.2 / (1.0 - 0.8), 1.0000000000000002);
    assert_eq!(m.config().random_given_unmasked, 1.0);
    let defaults = masker(&tokenizer, seeded(0));
    assert_eq!(defaults.config().random_given_unmasked, 0.1 / (1.0 - 0.8), "0.5000000000000001, as in Python");
}

#[test]
fn seeds_reproduce_and_the_stream_carries_over() {
    let tokenizer = bert();
    let batch = corpus_batch(&tokenizer, 100);
    let input = MaskInput::from_batch(&batch);
    let mut a = masker(&tokenizer, seeded(42));
    let mut b = masker(&tokenizer, seeded(42));
    let a1 = a.mask(&input).unwrap();
    let a2 = a.mask(&input).unwrap();
    assert_eq!(a1, b.mask(&input).unwrap(), "same seed, same first batch");
    assert_eq!(a2, b.mask(&input).unwrap(), "same seed, same second batch");
    assert_ne!(a1, a2, "the stream moves on between calls");
    let c1 = masker(&tokenizer, seeded(43)).mask(&input).unwrap();
    assert_ne!(a1, c1, "different seeds differ");
    a.reseed(Some(42)).unwrap();
    assert_eq!(a.mask(&input).unwrap(), a1, "reseed restarts the stream");
    // Unseeded maskers draw their seed from the system.
    let u1 = masker(&tokenizer, MaskingOptions::default()).mask(&input).unwrap();
    let u2 = masker(&tokenizer, MaskingOptions::default()).mask(&input).unwrap();
    assert_ne!(u1, u2);
}

#[test]
fn random_ids_cover_the_vocabulary_or_only_non_special_ids() {
    let tokenizer = bert();
    let batch = corpus_batch(&tokenizer, 2000);
    let input = MaskInput::from_batch(&batch);
    let specials = tokenizer.special_ids().to_vec();
    for (mode, expect_specials) in [(RandomTokens::Vocab, true), (RandomTokens::NonSpecial, false)] {
        let options = MaskingOptions {
            mlm_probability: 1.0,
            mask_replace_prob: 0.0,
            random_replace_prob: 1.0,
            random_tokens: mode.clone(),
            ..seeded(11)
        };
        let mut m = masker(&tokenizer, options);
        let mut draws = Vec::new();
        for _ in 0..8 {
            let out = m.mask(&input).unwrap();
            draws.extend((0..out.outcome.len()).filter(|&i| out.outcome[i] == 2).map(|i| out.input_ids[i] as u32));
        }
        assert!(draws.len() > 200_000);
        let special_draws = draws.iter().filter(|id| specials.contains(id)).count();
        // 5 of 30,522 ids are special: in 200k uniform draws P(none) < e^-30.
        assert_eq!(special_draws > 0, expect_specials, "{mode:?}: {special_draws} special draws");
        let (lo, hi) = (*draws.iter().min().unwrap(), *draws.iter().max().unwrap());
        assert!(lo < 20 && hi > 30_500, "{mode:?}: draws span {lo}..{hi}");
        // Uniformity: the lower half of the id range gets half the draws.
        let low = draws.iter().filter(|&&id| id < tokenizer.vocab_size() / 2).count();
        assert_binomial("lower half", low, draws.len(), 0.5);
    }
}

#[test]
fn mlm_false_copies_ids_into_labels_except_padding() {
    let tokenizer = bert();
    let batch = corpus_batch(&tokenizer, 30);
    let out =
        masker(&tokenizer, MaskingOptions { mlm: false, ..seeded(1) }).mask(&MaskInput::from_batch(&batch)).unwrap();
    for i in 0..batch.ids.len() {
        let expected = if batch.ids[i] == 0 { IGNORE_INDEX } else { batch.ids[i] as i32 };
        assert_eq!(out.labels[i], expected);
        assert_eq!(out.input_ids[i], batch.ids[i] as i32);
        assert_eq!(out.outcome[i], 0);
    }
    // Without a mask token, mlm: false still works.
    let gpt2 = load("gpt2");
    assert!(Masker::new(&gpt2.vocab_info(), &MaskingOptions { mlm: false, ..seeded(1) }).is_ok());
}

#[test]
fn collate_tokenizes_pads_and_masks() {
    let tokenizer = load("roberta-base");
    let mut m = masker(&tokenizer, MaskingOptions { pad_to_multiple_of: Some(8), ..seeded(3) });
    let (batch, out) =
        m.collate(&tokenizer, &["Hello world, this is RoBERTa.", "Short"], &EncodeOptions::default()).unwrap();
    assert_eq!(batch.seq_len % 8, 0);
    assert_eq!(batch.ids[batch.seq_len], 0, "row 2 starts with <s>");
    assert_eq!(*batch.ids.last().unwrap(), 1, "padded with <pad> = 1");
    check_invariants(&batch, &out, 50264, tokenizer.vocab_size());
}

#[test]
fn every_validation_error_says_what_to_fix() {
    let tokenizer = bert();
    let vocab = tokenizer.vocab_info();
    let error = |options: MaskingOptions| Masker::new(&vocab, &options).unwrap_err().to_string();
    assert_eq!(
        error(MaskingOptions { mlm_probability: 1.5, ..MaskingOptions::default() }),
        "`mlm_probability` must be a number between 0 and 1, got 1.5"
    );
    assert_eq!(
        error(MaskingOptions { mlm_probability: f64::NAN, ..MaskingOptions::default() }),
        "`mlm_probability` must be a number between 0 and 1, got NaN"
    );
    assert_eq!(
        error(MaskingOptions { mask_replace_prob: -0.1, ..MaskingOptions::default() }),
        "`mask_replace_prob` must be a number between 0 and 1, got -0.1"
    );
    assert_eq!(
        error(MaskingOptions { random_replace_prob: 2.0, ..MaskingOptions::default() }),
        "`random_replace_prob` must be a number between 0 and 1, got 2"
    );
    assert_eq!(
        error(MaskingOptions { mask_replace_prob: 0.9, random_replace_prob: 0.2, ..MaskingOptions::default() }),
        "`mask_replace_prob` + `random_replace_prob` must be at most 1, got 0.9 + 0.2 = 1.1; the rest of the selected tokens stay unchanged, so lower one of them"
    );
    assert_eq!(
        error(MaskingOptions { pad_to_multiple_of: Some(0), ..MaskingOptions::default() }),
        "`pad_to_multiple_of` must be a positive integer, got 0"
    );
    assert_eq!(
        error(MaskingOptions { seed: Some(1 << 53), ..MaskingOptions::default() }),
        "`seed` must be a non-negative integer no larger than 2^53 - 1, got 9007199254740992"
    );
    let gpt2 = load("gpt2");
    assert_eq!(Masker::new(&gpt2.vocab_info(), &MaskingOptions::default()).unwrap_err(), Error::NoMaskToken);
    assert_eq!(
        Error::NoMaskToken.to_string(),
        "this tokenizer has no mask token ([MASK] or <mask> among its added tokens), so `mlm: true` cannot mask; name one of its tokens with the `mask_token` option when loading it, or use `mlm: false`"
    );
    let no_random = mlmask::VocabInfo {
        special_ids: vec![0, 1],
        vocab_size: 2,
        mask_token_id: Some(1),
        pad_token_id: Some(0),
        ..Default::default()
    };
    assert_eq!(
        Masker::new(
            &no_random,
            &MaskingOptions { random_tokens: RandomTokens::NonSpecial, ..MaskingOptions::default() }
        )
        .unwrap_err(),
        Error::NoRandomCandidates
    );
}

#[test]
fn malformed_inputs_are_rejected_and_the_masker_keeps_working() {
    let tokenizer = bert();
    let mut m = masker(&tokenizer, seeded(7));
    let ids = [101, 7592, 102];
    let short = MaskInput::new(&ids, &[1, 0], &[1, 1, 1], 1, 3);
    assert_eq!(
        m.mask(&short).unwrap_err().to_string(),
        "`special_tokens_mask` has 2 entries but the batch has 3 positions (1 x 3); pass the arrays of one encoding or batch together"
    );
    let foreign = MaskInput::new(&[101, 50000, 102], &[1, 0, 1], &[1, 1, 1], 1, 3);
    assert_eq!(
        m.mask(&foreign).unwrap_err().to_string(),
        "`ids` holds 50000 at position 1, outside this tokenizer's vocabulary of 30522; mask encodings made by the masker's own tokenizer"
    );
    let good = MaskInput::new(&ids, &[1, 0, 1], &[1, 1, 1], 1, 3);
    assert!(m.mask(&good).is_ok(), "usable after errors");
    let empty = MaskInput::new(&[], &[], &[], 0, 0);
    assert_eq!(m.mask(&empty).unwrap().input_ids, Vec::<i32>::new());
    assert_eq!(
        m.collate(&tokenizer, &[], &EncodeOptions::default()).unwrap_err().to_string(),
        "the batch is empty; pass at least one text"
    );
    assert_eq!(m.reseed(Some(u64::MAX)).unwrap_err(), Error::InvalidSeed(u64::MAX as f64));
}
