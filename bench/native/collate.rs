//! Native tokenize + pad + mask: `Masker::collate` over the corpus in batches of 64 lines,
//! and the tokenization alone per line, fast path and crate path (`cargo bench --bench collate`).

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use mlmask::{EncodeOptions, Masker, MaskingOptions, OffsetUnit};

#[path = "common.rs"]
mod common;

fn collate(c: &mut Criterion) {
    let lines = common::lines();
    let sample: Vec<&str> = lines.iter().step_by(8).map(String::as_str).collect();
    for name in ["bert-base-uncased", "roberta-base", "t5-small"] {
        let tokenizer = common::tokenizer(name);
        let crate_only = tokenizer.without_fast_path();
        let tokens: usize =
            sample.iter().map(|l| tokenizer.encode(l, None, &EncodeOptions::default()).unwrap().len()).sum();
        let mut group = c.benchmark_group(format!("{name}: {} corpus lines", sample.len()));
        group.sample_size(10);
        group.throughput(Throughput::Elements(tokens as u64));
        let no_offsets = EncodeOptions { offsets: OffsetUnit::None, ..EncodeOptions::default() };
        for (label, tok, options) in [
            ("encode per line, fast path", &tokenizer, EncodeOptions::default()),
            ("encode per line, fast path, no offsets", &tokenizer, no_offsets),
            ("encode per line, crate", &crate_only, EncodeOptions::default()),
        ] {
            group.bench_function(label, |b| {
                b.iter(|| sample.iter().map(|l| tok.encode(l, None, &options).unwrap().len()).sum::<usize>())
            });
        }
        let mut masker =
            Masker::new(&tokenizer.vocab_info(), &MaskingOptions { seed: Some(1), ..MaskingOptions::default() })
                .unwrap();
        group.bench_function("collate batches of 64", |b| {
            b.iter(|| {
                for chunk in sample.chunks(64) {
                    masker.collate(&tokenizer, chunk, &EncodeOptions::default()).unwrap();
                }
            })
        });
        group.finish();
    }
}

criterion_group!(benches, collate);
criterion_main!(benches);
