//! Shared helpers of the native integration tests: where the shared tokenizers and corpus
//! live, and loading them.
#![allow(dead_code)]

use std::path::PathBuf;

use mlmask::Tokenizer;

/// Every tokenizer of the shared data, by folder name.
pub const TOKENIZERS: [&str; 7] = [
    "bert-base-uncased",
    "all-minilm-l6-v2",
    "bert-base-multilingual-cased",
    "roberta-base",
    "gpt2",
    "t5-small",
    "mistral-7b-v0.1",
];

/// The shared data folder: `$MLMASK_SHARED_DATA`, or `../shared/data` beside the repository.
pub fn shared_data() -> PathBuf {
    std::env::var_os("MLMASK_SHARED_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data"))
}

pub fn tokenizer_json(name: &str) -> String {
    let path = shared_data().join("tokenizers").join(name).join("tokenizer.json");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

pub fn load(name: &str) -> Tokenizer {
    Tokenizer::from_json(&tokenizer_json(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// Non-empty lines of the English corpus, BOM and CR stripped.
pub fn corpus_lines(limit: usize) -> Vec<String> {
    let dir = shared_data().join("corpus/en");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
        .iter()
        .flat_map(|f| {
            std::fs::read_to_string(f)
                .unwrap()
                .lines()
                .map(|l| l.trim_start_matches('\u{feff}').trim_end_matches('\r').to_owned())
                .filter(|l| !l.trim().is_empty())
                .collect::<Vec<_>>()
        })
        .take(limit)
        .collect()
}
