// Shared by the Node, end-to-end and benchmark scripts: the test data that ships with the
// repository (tests/data, gzip-compressed; see its README), decompressed here.
import { readdirSync, readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";

const DATA = new URL("../data/", import.meta.url);

/** One file of tests/data, decompressed: `path` is relative to it and ends in `.gz`. */
export function readData(path) {
  return gunzipSync(readFileSync(new URL(path, DATA))).toString("utf8");
}

export const TOKENIZERS = [
  "bert-base-uncased",
  "all-minilm-l6-v2",
  "bert-base-multilingual-cased",
  "roberta-base",
  "gpt2",
  "t5-small",
  "mistral-7b-v0.1",
];

/** A vendored tokenizer.json, as text. */
export function tokenizerJson(name) {
  return readData(`tokenizers/${name}.json.gz`);
}

/** Every file of a corpus folder ("en" or "multilingual") in name order: [name without .gz, text]. */
export function corpus(folder) {
  const files = readdirSync(new URL(`corpus/${folder}/`, DATA)).filter((f) => f.endsWith(".gz"));
  if (files.length === 0) throw new Error(`no .gz files in tests/data/corpus/${folder}`);
  return files
    .sort()
    .map((f) => [f.slice(0, -3), readData(`corpus/${folder}/${f}`)]);
}

export function fixture(name) {
  return JSON.parse(readFileSync(new URL(`../fixtures/tokenize/${name}.json`, import.meta.url), "utf8"));
}

/** Python code point offsets re-counted in UTF-16 code units of `text`. */
export function charToUtf16(text, charIndex) {
  let units = 0;
  let chars = 0;
  for (const c of text) {
    if (chars === charIndex) break;
    units += c.length;
    chars += 1;
  }
  return units;
}
