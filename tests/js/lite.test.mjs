// mlmask/lite: the same API without the tokenizers crate. Every vendored tokenizer that lite
// accepts must give exactly the full build's encodings and masks; the others must be refused at
// load with an error that names the part of the pipeline at fault and sends the user to "mlmask".
import { test } from "node:test";
import assert from "node:assert/strict";

import * as full from "mlmask";
import * as lite from "mlmask/lite";
import { corpus, TOKENIZERS, tokenizerJson } from "./helpers.mjs";

/** The vendored tokenizers a fast path serves whole, which lite therefore loads. */
const LITE_SERVES = new Set([
  "bert-base-uncased",
  "all-minilm-l6-v2",
  "bert-base-multilingual-cased",
  "roberta-base",
  "gpt2",
  "mistral-7b-v0.1",
  "t5-small",
]);

/** Every line of every corpus file, and each text field of the multilingual JSONL files. */
function texts() {
  const out = [];
  for (const [name, content] of [...corpus("en"), ...corpus("multilingual")]) {
    if (!name.endsWith(".jsonl")) {
      out.push(...content.split("\n"));
      continue;
    }
    for (const line of content.split("\n").filter(Boolean)) {
      const record = JSON.parse(line);
      for (const field of ["text", "source", "NFC", "NFD", "NFKC", "NFKD", "emoji", "name"]) {
        if (typeof record[field] === "string") out.push(record[field]);
      }
    }
  }
  return out;
}

const FIELDS = ["ids", "typeIds", "offsets", "specialTokensMask", "attentionMask", "wordIds", "sequenceIds"];

function same(a, b, what) {
  for (const field of FIELDS) assert.deepEqual(a[field] && [...a[field]], b[field] && [...b[field]], `${what}: ${field}`);
  assert.deepEqual(a.tokens, b.tokens, `${what}: tokens`);
}

test("lite loads the tokenizers a fast path serves and encodes every corpus text exactly as the full build", () => {
  const all = texts();
  for (const name of TOKENIZERS.filter((n) => LITE_SERVES.has(n))) {
    const json = tokenizerJson(name);
    // Mistral's and GPT-2's files have no pad token; batches need one (transformers users set
    // the end-of-text token).
    const load = { "mistral-7b-v0.1": { padToken: "</s>" }, gpt2: { padToken: "<|endoftext|>" } }[name];
    const a = full.Tokenizer.fromJSON(json, load);
    const b = lite.Tokenizer.fromJSON(json, load);
    assert.equal(b.vocabSize, a.vocabSize, name);
    assert.equal(b.maskTokenId, a.maskTokenId, name);
    assert.equal(b.modelType, a.modelType, name);
    let refused = 0;
    for (const [i, text] of all.entries()) {
      const what = `${name}, text ${i} ${JSON.stringify(text.slice(0, 40))}`;
      let ours;
      try {
        ours = b.encode(text);
      } catch (e) {
        // The one documented gap: an uncased BERT's fast path leaves to the crate a run of
        // combining marks that NFD reorders and that holds a mark accent stripping keeps (a
        // spacing mark, or one newer than the crate's Unicode tables). Anything else refused
        // is a failure.
        assert.match(e.message, /mlmask\/lite cannot encode this text/, what);
        assert.ok(/\p{M}\p{M}/u.test(text.normalize("NFD")), `${what}: refused without a run of marks`);
        refused += 1;
        continue;
      }
      same(ours, a.encode(text), what);
    }
    // Real text is served: only a few of the Unicode normalization test's artificial mark
    // sequences are not (313 of 58,278 texts for the uncased models).
    assert.ok(refused <= all.length * 0.01, `${name}: ${refused} of ${all.length} texts refused`);
    const batch = all.filter((t) => t.length > 0).slice(0, 64);
    // Mistral and GPT-2 have no mask token: compare their causal-LM batch (mlm: false) instead.
    const options = { seed: 7, rng: "torch", ...(a.maskTokenId === undefined ? { mlm: false } : {}) };
    const ma = new full.Masker(a, options).collate(batch);
    const mb = new lite.Masker(b, options).collate(batch);
    assert.deepEqual([...mb.inputIds], [...ma.inputIds], `${name}: masked ids`);
    assert.deepEqual([...mb.labels], [...ma.labels], `${name}: labels`);
  }
});

test("lite refuses the other tokenizers at load, naming the part at fault and the import to use", () => {
  for (const name of TOKENIZERS.filter((n) => !LITE_SERVES.has(n))) {
    assert.throws(
      () => lite.Tokenizer.fromJSON(tokenizerJson(name)),
      (e) => e instanceof Error && /mlmask\/lite cannot load this tokenizer.json: it has no fast path for its/.test(e.message) && /import "mlmask"/.test(e.message),
      name,
    );
  }
  // Not a tokenizer.json at all: the same message as the full build's.
  assert.throws(() => lite.Tokenizer.fromJSON('{"hello": "world"}'), /not a tokenizer.json: it has no `model`/);
});

test("lite encodes pairs as the full build, truncation errors included", () => {
  const json = tokenizerJson("bert-base-uncased");
  const a = full.Tokenizer.fromJSON(json);
  const b = lite.Tokenizer.fromJSON(json);
  const lines = texts().filter((t) => t.length > 0).slice(0, 200);
  for (let i = 0; i + 1 < lines.length; i += 2) {
    for (const options of [{}, { truncation: { maxLength: 12 } }, { truncation: { maxLength: 12, strategy: "onlySecond", side: "left" } }]) {
      const what = `pair ${i} ${JSON.stringify(options)}`;
      let expected;
      try {
        expected = a.encode(lines[i], { pair: lines[i + 1], ...options });
      } catch (e) {
        assert.throws(() => b.encode(lines[i], { pair: lines[i + 1], ...options }), { message: e.message }, what);
        continue;
      }
      same(b.encode(lines[i], { pair: lines[i + 1], ...options }), expected, what);
    }
  }
});

test("a call lite cannot serve is an Error that says to import mlmask, and the instance keeps working", () => {
  const tok = lite.Tokenizer.fromJSON(tokenizerJson("bert-base-uncased"));
  assert.throws(() => tok.decode(new Uint32Array([101, 102])), /mlmask\/lite cannot decode ids/);
  assert.deepEqual([...tok.encode("still works").ids], [101, 2145, 2573, 102]);
});
