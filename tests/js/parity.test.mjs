// Parity of the built npm package with transformers' seeded DataCollatorForLanguageModeling:
// every collator recorded in tests/fixtures/parity/ (numpy and torch streams) replayed through
// the JS API, with exact equality of inputIds and labels.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

import { Masker, Tokenizer } from "mlmask";
import { tokenizerJson } from "./helpers.mjs";

const FIXTURES = ["bert-base-uncased", "roberta-base", "bert-base-multilingual-cased"];

const fixture = (name) =>
  JSON.parse(readFileSync(new URL(`../fixtures/parity/${name}.json`, import.meta.url), "utf8"));

/** The Masker options equivalent to a recorded collator's constructor arguments. */
function maskerOptions(collator, fixture) {
  return {
    seed: collator.seed,
    rng: collator.return_tensors === "np" ? "numpy" : "torch",
    specialTokens: collator.path === "dict" ? "mask" : "ids",
    mlmProbability: collator.mlm_probability,
    maskReplaceProb: collator.mask_replace_prob,
    randomReplaceProb: collator.random_replace_prob,
    padToMultipleOf: fixture.pad_to_multiple_of,
  };
}

/** Python's full inputIds and labels of one call, from the sparse record. */
function expected(call, batch) {
  const inputIds = Int32Array.from(batch.ids);
  const labels = new Int32Array(batch.ids.length).fill(-100);
  for (const [i, id] of call.input_ids) inputIds[i] = id;
  for (const [i, label] of call.labels) labels[i] = label;
  return { inputIds, labels };
}

test("every recorded collator is reproduced through Masker.mask", () => {
  const seen = { np: 0, pt: 0 };
  let calls = 0;
  for (const name of FIXTURES) {
    const fx = fixture(name);
    const tok = Tokenizer.fromJSON(tokenizerJson(name));
    for (const collator of fx.collators) {
      const masker = new Masker(tok, maskerOptions(collator, fx));
      collator.calls.forEach((call, k) => {
        const batch = fx.batches[k];
        const out = masker.mask({
          ids: Uint32Array.from(batch.ids),
          // The id-list path has no special-tokens mask: "ids" mode must find the specials.
          specialTokensMask: collator.path === "dict" ? Uint8Array.from(batch.special_tokens_mask) : new Uint8Array(batch.ids.length),
          attentionMask: Uint8Array.from(batch.attention_mask),
          batchSize: batch.batch_size,
          seqLen: batch.seq_len,
        });
        const want = expected(call, batch);
        assert.deepEqual(out.inputIds, want.inputIds, `${name} ${collator.name} call ${k}: inputIds`);
        assert.deepEqual(out.labels, want.labels, `${name} ${collator.name} call ${k}: labels`);
        calls++;
      });
      seen[collator.return_tensors]++;
      masker.free();
    }
    tok.free();
  }
  assert.equal(calls, 180);
  assert.deepEqual(seen, { np: 18, pt: 18 });
});

test("texts in, Python's masks out: collate() tokenizes, pads and masks like the collator", () => {
  for (const name of FIXTURES) {
    const fx = fixture(name);
    const tok = Tokenizer.fromJSON(tokenizerJson(name));
    for (const collator of fx.collators.filter((c) => c.path === "dict")) {
      const masker = new Masker(tok, maskerOptions(collator, fx));
      collator.calls.forEach((call, k) => {
        const batch = fx.batches[k];
        const out = masker.collate(batch.texts, { truncation: { maxLength: fx.max_length } });
        assert.deepEqual([...out.batch.ids], batch.ids, `${name} ${collator.name} call ${k}: ids`);
        const want = expected(call, batch);
        assert.deepEqual(out.inputIds, want.inputIds, `${name} ${collator.name} call ${k}: inputIds`);
        assert.deepEqual(out.labels, want.labels, `${name} ${collator.name} call ${k}: labels`);
      });
      masker.free();
    }
    tok.free();
  }
});

test("DataLoader workers: worker w is a Masker seeded with seed + w, taking every num_workers-th batch", () => {
  // Recorded from a torch DataLoader(num_workers=2, collate_fn=collator): transformers seeds each
  // worker's generator with seed + worker_info.id, and the workers take batches round-robin.
  const fx = fixture("bert-base-uncased");
  const tok = Tokenizer.fromJSON(tokenizerJson("bert-base-uncased"));
  assert.equal(fx.dataloaders.length, 2);
  for (const loader of fx.dataloaders) {
    const workers = Array.from(
      { length: loader.num_workers },
      (_, w) => new Masker(tok, { ...maskerOptions(loader, fx), seed: loader.seed + w }),
    );
    loader.calls.forEach((call, k) => {
      const batch = fx.batches[k];
      const out = workers[k % loader.num_workers].mask({
        ids: Uint32Array.from(batch.ids),
        specialTokensMask: Uint8Array.from(batch.special_tokens_mask),
        attentionMask: Uint8Array.from(batch.attention_mask),
        batchSize: batch.batch_size,
        seqLen: batch.seq_len,
      });
      const want = expected(call, batch);
      assert.deepEqual(out.inputIds, want.inputIds, `${loader.name} call ${k}: inputIds`);
      assert.deepEqual(out.labels, want.labels, `${loader.name} call ${k}: labels`);
    });
    for (const worker of workers) worker.free();
  }
  tok.free();
});

test("rng and specialTokens reject unknown values", () => {
  const tok = Tokenizer.fromJSON(tokenizerJson("bert-base-uncased"));
  assert.throws(() => new Masker(tok, { rng: "jax" }), /rng/);
  assert.throws(() => new Masker(tok, { specialTokens: "all" }), /specialTokens/);
  for (const rng of ["mlmask", "numpy", "torch"]) new Masker(tok, { rng, seed: 0, specialTokens: "ids" }).free();
  tok.free();
});
