//! Native masking throughput: one padded batch of corpus lines, masked again and again with
//! the token strategy (`cargo bench --bench masking`).

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use mlmask::{EncodeOptions, MaskInput, Masker, MaskingOptions, StrategyOptions};

#[path = "common.rs"]
mod common;

fn masking(c: &mut Criterion) {
    let tokenizer = common::tokenizer("bert-base-uncased");
    let lines = common::lines();
    let texts: Vec<&str> = lines.iter().take(256).map(String::as_str).collect();
    let batch = tokenizer.encode_batch(&texts, None, &EncodeOptions::default()).unwrap();
    let input = MaskInput::from_batch(&batch);
    let mut group = c.benchmark_group("mask 256 lines (bert-base-uncased)");
    group.throughput(Throughput::Elements(batch.ids.len() as u64));
    // The token strategy (transformers' collator); the other strategies are timed in the JS
    // benchmark, whose option names stay stable while their Rust options evolve.
    let options = MaskingOptions { seed: Some(1), strategy: StrategyOptions::Token, ..MaskingOptions::default() };
    let mut masker = Masker::new(&tokenizer.vocab_info(), &options).unwrap();
    group.bench_function("token", |b| b.iter(|| masker.mask(&input).unwrap()));
    group.finish();
}

criterion_group!(benches, masking);
criterion_main!(benches);
