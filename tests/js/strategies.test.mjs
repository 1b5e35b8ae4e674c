// Every masking strategy through the JS API of the built package: options, output fields, and
// the invariant each one promises.
import { test } from "node:test";
import assert from "node:assert/strict";

import { Masker, Tokenizer } from "mlmask";
import { tokenizerJson } from "./helpers.mjs";

const bert = Tokenizer.fromJSON(tokenizerJson("bert-base-uncased"));
const t5 = Tokenizer.fromJSON(tokenizerJson("t5-small"));
const TEXTS = [
  "Whole word masking selects unbelievable words together, doesn't it?",
  "SpanBERT masks contiguous spans of words; T5 replaces them with sentinels.",
];

const rows = (out, key, len) => Array.from({ length: out.batchSize }, (_, r) => [...out[key].subarray(r * len, (r + 1) * len)]);

test("token (the default) and exactCount with BERT's prediction lists", () => {
  const out = new Masker(bert, { seed: 1, strategy: { type: "exactCount", maxPredictions: 5 } }).collate(TEXTS);
  assert.equal(out.maxPredictions, 5);
  assert.ok(out.maskedPositions instanceof Int32Array && out.maskedWeights instanceof Float32Array);
  for (let r = 0; r < out.batchSize; r++) {
    const selected = [...out.outcome.subarray(r * out.seqLen, (r + 1) * out.seqLen)].filter((o) => o !== 0).length;
    const n = [...out.attentionMask.subarray(r * out.seqLen, (r + 1) * out.seqLen)].filter((a) => a).length;
    assert.equal(selected, Math.min(5, Math.max(1, Math.round(n * 0.15))));
    for (let k = 0; k < selected; k++) {
      const position = out.maskedPositions[r * 5 + k];
      assert.equal(out.maskedIds[r * 5 + k], out.batch.ids[r * out.seqLen + position]);
      assert.equal(out.maskedWeights[r * 5 + k], 1);
    }
  }
});

test("wholeWord keeps the pieces of a word together, with every boundary rule", () => {
  for (const wordBoundary of ["wordIds", "offsetsGap", "wordpiecePrefix"]) {
    const masker = new Masker(bert, { seed: 3, mlmProbability: 0.5, strategy: { type: "wholeWord", wordBoundary } });
    const out = masker.collate(TEXTS);
    const { wordIds } = out.batch;
    for (let i = 1; i < wordIds.length; i++) {
      if (wordIds[i] >= 0 && wordIds[i] === wordIds[i - 1] && wordBoundary !== "offsetsGap") {
        assert.equal(out.outcome[i] !== 0, out.outcome[i - 1] !== 0, `${wordBoundary}: word split at ${i}`);
      }
      if (out.outcome[i] !== 0) assert.equal(out.outcome[i], 1, "transformers 5.x: whole words become the mask token");
    }
    assert.ok(out.spanIds instanceof Int32Array);
  }
  const perWord = new Masker(bert, { seed: 3, strategy: { type: "wholeWord", replacement: "perWord", selection: "exactCount" } });
  assert.equal(perWord.collate(TEXTS).batchSize, 2);
});

test("ngram and span give contiguous groups numbered in spanIds", () => {
  for (const strategy of [{ type: "ngram", maxN: 3 }, { type: "span", maxSpan: 4 }]) {
    const out = new Masker(bert, { seed: 5, mlmProbability: 0.3, strategy }).collate(TEXTS);
    const groups = new Map();
    out.spanIds.forEach((id, i) => {
      if (id < 0) return;
      const key = `${Math.floor(i / out.seqLen)}:${id}`;
      groups.set(key, [...(groups.get(key) ?? []), i]);
    });
    assert.ok(groups.size > 0, strategy.type);
    for (const positions of groups.values()) {
      const words = new Set(positions.map((i) => out.batch.wordIds[i]));
      assert.ok(words.size <= (strategy.maxN ?? strategy.maxSpan), `${strategy.type}: ${words.size} words`);
    }
  }
});

test("t5SpanCorruption: sentinels in the input, sentinel + span + </s> in the labels", () => {
  const masker = new Masker(t5, { seed: 7, strategy: { type: "t5SpanCorruption", noiseDensity: 0.3 } });
  const out = masker.collate(TEXTS);
  const sentinel0 = t5.tokenToId("<extra_id_0>");
  const eos = t5.tokenToId("</s>");
  assert.ok(out.labelsLen < out.sourceLen);
  for (const labels of rows(out, "labels", out.labelsLen)) {
    const target = labels.filter((l) => l !== -100);
    assert.equal(target[0], sentinel0);
    assert.equal(target.at(-1), eos);
  }
  for (const input of rows(out, "inputIds", out.seqLen)) assert.ok(input.includes(sentinel0));
  assert.throws(() => new Masker(bert, { strategy: { type: "t5SpanCorruption" } }), /needs the token <extra_id_0>/);
});

test("bartInfilling: labels are the original, the source has one mask per span", () => {
  const out = new Masker(bert, { seed: 9, strategy: { type: "bartInfilling", maskRatio: 0.3 } }).collate(TEXTS);
  assert.deepEqual([...out.labels].map((l, i) => (out.batch.attentionMask[i] ? l : -100)), [...out.labels]);
  assert.deepEqual(
    [...out.labels].filter((l) => l !== -100),
    [...out.batch.ids].filter((_, i) => out.batch.attentionMask[i]),
  );
  assert.ok([...out.inputIds].includes(103), "the source holds [MASK]");
});

test("randomTokens weights, neverSelect, and strategy option errors", () => {
  const weights = new Float32Array(bert.vocabSize);
  weights[2000] = 1;
  const masker = new Masker(bert, {
    seed: 2, mlmProbability: 1, maskReplaceProb: 0, randomReplaceProb: 1,
    randomTokens: { weights }, neverSelect: [2092],
  });
  const out = masker.collate(["the word the word the word"]);
  out.outcome.forEach((o, i) => {
    if (o === 2) assert.equal(out.inputIds[i], 2000);
    if (out.batch.ids[i] === 2092) assert.equal(o, 0);
  });
  assert.throws(() => new Masker(bert, { strategy: { type: "span", maxSpans: 3 } }), /^Error: unknown option `maxSpans` in `strategy`; the options are: geometricP, minSpan, maxSpan, wordBoundary, replacement$/);
  assert.throws(() => new Masker(bert, { strategy: { type: "wholeWord", wordBoundary: "spaces" } }), /unknown variant `spaces`/);
  assert.throws(() => new Masker(bert, { randomTokens: { weights: [1, 2] } }), /one weight per id of the vocabulary/);
  assert.throws(() => new Masker(bert, { randomTokens: "all" }), /`randomTokens`: invalid value: string "all", expected "vocab", "nonSpecial" or \{ weights: \[\.\.\.\] \}/);
  assert.throws(() => new Masker(bert, { randomTokens: {} }), /`randomTokens`: an object needs `weights`/);
  const missing = new Masker(bert, { strategy: { type: "wholeWord" } });
  const enc = bert.encode("hello world");
  assert.throws(() => missing.mask({ ids: enc.ids, specialTokensMask: enc.specialTokensMask, attentionMask: enc.attentionMask }), /`wordIds` is missing/);
  assert.equal(missing.mask(enc).batchSize, 1, "usable after the error");
});

test("replacement: span and ngram take all four, wholeWord all but perSpan (its groups are single words)", () => {
  for (const type of ["span", "ngram"]) {
    for (const replacement of ["mask", "perToken", "perWord", "perSpan"]) new Masker(bert, { strategy: { type, replacement } }).free();
  }
  for (const replacement of ["mask", "perToken", "perWord"]) new Masker(bert, { strategy: { type: "wholeWord", replacement } }).free();
  assert.throws(() => new Masker(bert, { strategy: { type: "wholeWord", replacement: "perSpan" } }), /use "perWord" for one decision per word, got "perSpan"$/);
});
