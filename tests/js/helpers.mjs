// Shared by the Node tests: the shared tokenizer files, read the way a user's app would.
import { readFileSync } from "node:fs";

const shared = process.env.MLMASK_SHARED_DATA
  ? new URL(`file://${process.env.MLMASK_SHARED_DATA.replace(/\/?$/, "/")}`)
  : new URL("../../../shared/data/", import.meta.url);

export const TOKENIZERS = [
  "bert-base-uncased",
  "all-minilm-l6-v2",
  "bert-base-multilingual-cased",
  "roberta-base",
  "gpt2",
  "t5-small",
  "mistral-7b-v0.1",
];

export function tokenizerJson(name) {
  return readFileSync(new URL(`tokenizers/${name}/tokenizer.json`, shared), "utf8");
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
