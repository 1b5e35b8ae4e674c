//! Where loading a tokenizer.json goes (`cargo bench --bench load`): mlmask's `from_json`
//! against its parts — reading the JSON at all (`serde_json::Value`, a floor no reader beats)
//! and building the `tokenizers` crate's tokenizer, which `from_json` did for every file before
//! it read files itself and which it now does only for pipelines no fast path serves.

use std::str::FromStr;

use criterion::{criterion_group, criterion_main, Criterion};

#[path = "common.rs"]
mod common;

fn load(c: &mut Criterion) {
    for name in ["bert-base-uncased", "roberta-base", "t5-small", "mistral-7b-v0.1"] {
        let json = common::tokenizer_json(name);
        let path = mlmask::Tokenizer::from_json(&json).unwrap().fast_path().unwrap_or("crate");
        let mut group = c.benchmark_group(format!("{name} ({} KiB, {path})", json.len() / 1024));
        group.sample_size(10);
        group
            .bench_function("mlmask Tokenizer::from_json", |b| b.iter(|| mlmask::Tokenizer::from_json(&json).unwrap()));
        group.bench_function("serde_json::Value (parse only)", |b| {
            b.iter(|| serde_json::from_str::<serde_json::Value>(&json).unwrap())
        });
        group.bench_function("tokenizers::Tokenizer::from_str", |b| {
            b.iter(|| tokenizers::Tokenizer::from_str(&json).unwrap())
        });
        group.finish();
    }
}

criterion_group!(benches, load);
criterion_main!(benches);
