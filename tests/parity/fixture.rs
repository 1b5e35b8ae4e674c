//! The parity fixtures (`tests/fixtures/parity/*.json`, written by `make_fixtures.py` beside
//! this file) and the replay of one recorded collator through the public `Masker` API. Shared by
//! the native test (`tests/parity.rs`) and the browser test (`tests/web_parity.rs`).
#![allow(dead_code)]

use mlmask::{MaskInput, MaskedBatch, Masker, MaskingOptions, RngKind, SpecialTokens, VocabInfo, IGNORE_INDEX};
use serde::Deserialize;

/// The fixtures, by tokenizer name, embedded so that the browser test needs no file access.
pub const FIXTURES: [(&str, &str); 3] = [
    ("bert-base-uncased", include_str!("../fixtures/parity/bert-base-uncased.json")),
    ("roberta-base", include_str!("../fixtures/parity/roberta-base.json")),
    ("bert-base-multilingual-cased", include_str!("../fixtures/parity/bert-base-multilingual-cased.json")),
];

#[derive(Debug, Deserialize)]
pub struct Fixture {
    pub tokenizer: String,
    pub versions: Versions,
    pub len_tokenizer: u32,
    pub mask_token_id: u32,
    pub pad_token_id: u32,
    pub all_special_ids: Vec<u32>,
    pub max_length: usize,
    pub pad_to_multiple_of: usize,
    pub batches: Vec<FixtureBatch>,
    pub collators: Vec<Collator>,
    /// Collators run through a torch `DataLoader` with workers.
    #[serde(default)]
    pub dataloaders: Vec<Collator>,
}

#[derive(Debug, Deserialize)]
pub struct Versions {
    pub transformers: String,
    pub numpy: String,
    pub torch: String,
}

#[derive(Debug, Deserialize)]
pub struct FixtureBatch {
    pub texts: Vec<String>,
    pub batch_size: usize,
    pub seq_len: usize,
    pub ids: Vec<u32>,
    pub attention_mask: Vec<u8>,
    /// The dict path's mask: the tokenizer's, padding counted special.
    pub special_tokens_mask: Vec<u8>,
    /// The id-list path's mask: 1 where the id is in `all_special_ids`.
    pub special_ids_mask: Vec<u8>,
}

#[derive(Debug, Deserialize)]
pub struct Collator {
    pub name: String,
    pub return_tensors: String,
    pub path: String,
    pub seed: u64,
    pub mlm_probability: f64,
    pub mask_replace_prob: f64,
    pub random_replace_prob: f64,
    /// DataLoader workers (0: called directly in the main process).
    #[serde(default)]
    pub num_workers: usize,
    pub calls: Vec<Call>,
}

/// One call's result, sparse: `[position, value]` where `input_ids` changed and where `labels`
/// is not -100.
#[derive(Debug, Deserialize)]
pub struct Call {
    pub input_ids: Vec<(usize, i32)>,
    pub labels: Vec<(usize, i32)>,
}

pub fn parse(json: &str) -> Fixture {
    serde_json::from_str(json).expect("a parity fixture")
}

/// The vocabulary as Python's tokenizer reports it.
pub fn vocab(fixture: &Fixture) -> VocabInfo {
    VocabInfo {
        vocab_size: fixture.len_tokenizer,
        mask_token_id: Some(fixture.mask_token_id),
        pad_token_id: Some(fixture.pad_token_id),
        special_ids: fixture.all_special_ids.clone(),
        ..VocabInfo::default()
    }
}

impl Collator {
    pub fn rng(&self) -> RngKind {
        match self.return_tensors.as_str() {
            "np" => RngKind::Numpy,
            "pt" => RngKind::Torch,
            other => panic!("unknown return_tensors {other}"),
        }
    }

    pub fn special_tokens(&self) -> SpecialTokens {
        match self.path.as_str() {
            "dict" => SpecialTokens::Mask,
            "ids" => SpecialTokens::Ids,
            other => panic!("unknown path {other}"),
        }
    }

    /// The masker options equivalent to this collator's constructor arguments.
    pub fn options(&self, pad_to_multiple_of: usize) -> MaskingOptions {
        MaskingOptions {
            mlm_probability: self.mlm_probability,
            mask_replace_prob: self.mask_replace_prob,
            random_replace_prob: self.random_replace_prob,
            seed: Some(self.seed),
            pad_to_multiple_of: Some(pad_to_multiple_of),
            rng: self.rng(),
            special_tokens: self.special_tokens(),
            ..MaskingOptions::default()
        }
    }
}

impl Call {
    /// Full row-major `(input_ids, labels)` of this call on `batch`.
    pub fn expected(&self, batch: &FixtureBatch) -> (Vec<i32>, Vec<i32>) {
        let mut input_ids: Vec<i32> = batch.ids.iter().map(|&id| id as i32).collect();
        let mut labels = vec![IGNORE_INDEX; batch.ids.len()];
        for &(i, id) in &self.input_ids {
            input_ids[i] = id;
        }
        for &(i, label) in &self.labels {
            labels[i] = label;
        }
        (input_ids, labels)
    }
}

/// What a collator's masker is fed for batch `k`: the batch as the collator saw it. The id-list
/// path carries no special-tokens mask, so it gets zeros: the masker must find the special ids
/// itself.
pub fn input_arrays(collator: &Collator, batch: &FixtureBatch) -> Vec<u8> {
    match collator.special_tokens() {
        SpecialTokens::Mask => batch.special_tokens_mask.clone(),
        SpecialTokens::Ids => vec![0; batch.ids.len()],
    }
}

/// Replay every call of `collator` through one `Masker`, in order, comparing each result with
/// Python's. Returns the number of calls compared.
pub fn replay(fixture: &Fixture, collator: &Collator) -> usize {
    let mut masker =
        Masker::new(&vocab(fixture), &collator.options(fixture.pad_to_multiple_of)).expect("valid options");
    assert_eq!(collator.calls.len(), fixture.batches.len());
    for (k, (call, batch)) in collator.calls.iter().zip(&fixture.batches).enumerate() {
        let special = input_arrays(collator, batch);
        let masked = masker
            .mask(&MaskInput::new(&batch.ids, &special, &batch.attention_mask, batch.batch_size, batch.seq_len))
            .expect("masks");
        check(fixture, collator, k, call, batch, &masked);
    }
    collator.calls.len()
}

/// Replay a collator that ran in a torch `DataLoader` with `num_workers` workers: worker `w`
/// holds a copy seeded with `seed + w` (transformers' `create_rng`) and takes batches `w`,
/// `w + num_workers`, ... (the DataLoader's round-robin). Returns the number of calls compared.
pub fn replay_dataloader(fixture: &Fixture, collator: &Collator) -> usize {
    assert!(collator.num_workers > 0);
    let mut workers: Vec<Masker> = (0..collator.num_workers as u64)
        .map(|w| {
            let options =
                MaskingOptions { seed: Some(collator.seed + w), ..collator.options(fixture.pad_to_multiple_of) };
            Masker::new(&vocab(fixture), &options).expect("valid options")
        })
        .collect();
    for (k, (call, batch)) in collator.calls.iter().zip(&fixture.batches).enumerate() {
        let special = input_arrays(collator, batch);
        let masked = workers[k % collator.num_workers]
            .mask(&MaskInput::new(&batch.ids, &special, &batch.attention_mask, batch.batch_size, batch.seq_len))
            .expect("masks");
        check(fixture, collator, k, call, batch, &masked);
    }
    collator.calls.len()
}

/// Assert that `masked` is exactly Python's result of call `k`.
pub fn check(
    fixture: &Fixture,
    collator: &Collator,
    k: usize,
    call: &Call,
    batch: &FixtureBatch,
    masked: &MaskedBatch,
) {
    let (input_ids, labels) = call.expected(batch);
    let at = format!("{} / {} / call {k}", fixture.tokenizer, collator.name);
    assert_eq!((masked.batch_size, masked.seq_len), (batch.batch_size, batch.seq_len), "{at}: shape");
    assert_eq!(masked.input_ids, input_ids, "{at}: input_ids");
    assert_eq!(masked.labels, labels, "{at}: labels");
}

/// numpy's binomial compares against `exp(log(q))` computed by the platform's libm. With glibc
/// (numpy's Linux wheels, Python 3.12) `exp(log(q)) == q` exactly for q = 1 - p at every
/// p = k / 10000 (checked with `math.exp(math.log(q))`), so the same must hold wherever mlmask
/// runs; returns the k where it does not.
pub fn libm_disagreements() -> Vec<u32> {
    (0..10_000u32)
        .filter(|&k| {
            let p = f64::from(k) / 10_000.0;
            // The q numpy's inversion uses: 1 - p up to one half, 1 - (1 - p) above.
            let q = if p <= 0.5 { 1.0 - p } else { 1.0 - (1.0 - p) };
            q.ln().exp() != q
        })
        .collect()
}
