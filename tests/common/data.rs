//! The test data that ships with the repository (`tests/data/`, see its README): tokenizer.json
//! files and corpora, gzip-compressed, decompressed here. Shared by the integration tests, the
//! wasm browser tests (which embed the bytes with `include_bytes!` and call [`gunzip`]), the
//! native benches and the fuzz targets.
#![allow(dead_code)]

use std::io::Read;
use std::path::PathBuf;

/// Every vendored tokenizer, by file name (`tests/data/tokenizers/<name>.json.gz`).
pub const TOKENIZERS: [&str; 7] = [
    "bert-base-uncased",
    "all-minilm-l6-v2",
    "bert-base-multilingual-cased",
    "roberta-base",
    "gpt2",
    "t5-small",
    "mistral-7b-v0.1",
];

/// gzip bytes decompressed into UTF-8 text.
pub fn gunzip(bytes: &[u8]) -> String {
    let mut text = String::new();
    flate2::read::GzDecoder::new(bytes).read_to_string(&mut text).expect("test data is gzip-compressed UTF-8");
    text
}

/// `tests/data/` of the mlmask repository: beside the manifest of whichever crate includes this
/// file (mlmask itself, or the fuzz crate one folder below it). Missing data is an error, never
/// a skipped test.
pub fn data_dir() -> PathBuf {
    let manifest = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let root = if env!("CARGO_PKG_NAME") == "mlmask-fuzz" { manifest.parent().unwrap() } else { manifest };
    let dir = root.join("tests/data");
    assert!(
        dir.join("tokenizers").is_dir(),
        "{} has no tokenizers/: the test data ships with the repository (see tests/data/README.md)",
        dir.display()
    );
    dir
}

/// One file of `tests/data/`, decompressed: `path` is relative to it and ends in `.gz`.
pub fn read(path: &str) -> String {
    let full = data_dir().join(path);
    let bytes = std::fs::read(&full).unwrap_or_else(|e| panic!("cannot read {}: {e}", full.display()));
    gunzip(&bytes)
}

/// A vendored tokenizer.json, as text.
pub fn tokenizer_json(name: &str) -> String {
    read(&format!("tokenizers/{name}.json.gz"))
}

/// Every file of a corpus folder (`"en"` or `"multilingual"`), in name order, as
/// (name without `.gz`, text).
pub fn corpus(folder: &str) -> Vec<(String, String)> {
    let dir = data_dir().join("corpus").join(folder);
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .filter_map(|name| name.strip_suffix(".gz").map(str::to_owned))
        .collect();
    assert!(!names.is_empty(), "no .gz files in {}", dir.display());
    names.sort();
    names.into_iter().map(|name| (name.clone(), read(&format!("corpus/{folder}/{name}.gz")))).collect()
}

/// The English corpus as lines, the way the benchmarks count them: files in name order, a
/// leading BOM and every CR removed, blank lines dropped (bench/corpus.mjs does the same).
pub fn corpus_lines() -> Vec<String> {
    corpus("en")
        .iter()
        .flat_map(|(_, text)| {
            let text = text.trim_start_matches('\u{feff}').replace('\r', "");
            text.split('\n').filter(|l| !l.trim().is_empty()).map(str::to_owned).collect::<Vec<_>>()
        })
        .collect()
}

/// A vendored tokenizer.json embedded in the test binary and decompressed once, as
/// `&'static str`: for the wasm browser tests, which have no file system.
#[allow(unused_macros)]
macro_rules! embedded_tokenizer {
    ($name:literal) => {{
        static JSON: std::sync::OnceLock<String> = std::sync::OnceLock::new();
        JSON.get_or_init(|| {
            data::gunzip(include_bytes!(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/tests/data/tokenizers/",
                $name,
                ".json.gz"
            )))
        })
        .as_str()
    }};
}
