//! Shared inputs of the native benches: a shared tokenizer and the benchmark corpus's lines
//! (bench/corpus.mjs builds the same lines for the JS benchmark).

use std::path::PathBuf;

pub fn shared_data() -> PathBuf {
    std::env::var_os("MLMASK_SHARED_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data"))
}

pub fn tokenizer(name: &str) -> mlmask::Tokenizer {
    let path = shared_data().join("tokenizers").join(name).join("tokenizer.json");
    mlmask::Tokenizer::from_json(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// corpus/en/*.txt in name order, BOM and CR removed, blank lines dropped.
pub fn lines() -> Vec<String> {
    let dir = shared_data().join("corpus/en");
    let mut files: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.retain(|f| f.extension().is_some_and(|e| e == "txt"));
    files.sort();
    files
        .iter()
        .flat_map(|f| {
            let text = std::fs::read_to_string(f).unwrap().trim_start_matches('\u{feff}').replace('\r', "");
            text.split('\n').filter(|l| !l.trim().is_empty()).map(str::to_owned).collect::<Vec<_>>()
        })
        .collect()
}
