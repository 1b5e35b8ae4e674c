// Tests of the built npm package in Node, imported exactly as a user imports it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

import init, { Masker, Outcome, Tokenizer, version } from "mlmask";
import { errorCases } from "./error-cases.mjs";
import { charToUtf16, fixture, tokenizerJson, TOKENIZERS } from "./helpers.mjs";

await init(); // a no-op in Node, where the package initialises itself; kept to show it is harmless

const bertJson = tokenizerJson("bert-base-uncased");

test("every vendored tokenizer matches Python's ids and offsets (offsets in UTF-16)", () => {
  let compared = 0;
  for (const name of TOKENIZERS) {
    const tok = Tokenizer.fromJSON(tokenizerJson(name));
    for (const c of fixture(name).cases) {
      const options = { addSpecialTokens: c.add_special_tokens };
      if (c.no_padding_truncation) Object.assign(options, { truncation: false, padding: false });
      if (c.pair !== null) options.pair = c.pair;
      const enc = tok.encode(c.text, options);
      assert.deepEqual([...enc.ids], c.ids, `${name}/${c.name} ids`);
      assert.deepEqual(enc.tokens, c.tokens, `${name}/${c.name} tokens`);
      assert.deepEqual([...enc.specialTokensMask], c.special_tokens_mask, `${name}/${c.name} special mask`);
      assert.deepEqual([...enc.wordIds], c.word_ids, `${name}/${c.name} word ids`);
      for (let i = 0; i < c.ids.length; i++) {
        const source = enc.sequenceIds[i] === 1 ? c.pair : c.text;
        const [s, e] = c.offsets[i];
        const expected = enc.sequenceIds[i] === -1 ? [0, 0] : [charToUtf16(source, s), charToUtf16(source, e)];
        assert.deepEqual([enc.offsets[2 * i], enc.offsets[2 * i + 1]], expected, `${name}/${c.name} token ${i}`);
      }
      compared++;
    }
    tok.free();
  }
  assert.ok(compared >= 7 * 70, `${compared} cases`);
});

test("encode returns typed arrays whose offsets slice the JS string", () => {
  const tok = Tokenizer.fromJSON(bertJson);
  const text = "Héllo 😀 wörld 東京";
  const enc = tok.encode(text);
  assert.ok(enc.ids instanceof Uint32Array);
  assert.ok(enc.offsets instanceof Uint32Array);
  assert.ok(enc.typeIds instanceof Uint32Array);
  assert.ok(enc.specialTokensMask instanceof Uint8Array);
  assert.ok(enc.attentionMask instanceof Uint8Array);
  assert.ok(enc.wordIds instanceof Int32Array);
  assert.ok(enc.sequenceIds instanceof Int8Array);
  const slices = enc.tokens.map((_, i) => text.slice(enc.offsets[2 * i], enc.offsets[2 * i + 1]));
  assert.deepEqual(slices, ["", "Héllo", "😀", "wörld", "東", "京", ""]);
  assert.deepEqual([...enc.wordIds], [-1, 0, 1, 2, 3, 4, -1]);
});

test("accessors: vocabSize, mask and pad ids, token lookups", () => {
  const bert = Tokenizer.fromJSON(new TextEncoder().encode(bertJson)); // bytes work too
  assert.equal(bert.vocabSize, 30522);
  assert.equal(bert.maskTokenId, 103);
  assert.equal(bert.padTokenId, 0);
  assert.equal(bert.modelType, "WordPiece");
  assert.deepEqual([...bert.specialIds], [0, 100, 101, 102, 103]);
  assert.equal(bert.idToToken(103), "[MASK]");
  assert.equal(bert.idToToken(10 ** 9), undefined);
  assert.equal(bert.idToToken(-1), undefined);
  assert.equal(bert.tokenToId("hello"), 7592);
  assert.equal(bert.tokenToId("no-such-token"), undefined);
  assert.equal(bert.decode(Uint32Array.from([101, 7592, 2088, 102]), true), "hello world");
  const gpt2 = Tokenizer.fromJSON(tokenizerJson("gpt2"));
  assert.equal(gpt2.maskTokenId, undefined);
  assert.equal(gpt2.padTokenId, undefined);
  assert.equal(gpt2.vocabSize, 50257);
  const named = Tokenizer.fromJSON(tokenizerJson("gpt2"), { maskToken: "<|endoftext|>", padToken: "<|endoftext|>" });
  assert.equal(named.maskTokenId, 50256);
  assert.equal(Tokenizer.fromJSON(tokenizerJson("roberta-base")).maskTokenId, 50264);
  assert.deepEqual([...bert.sentinelIds], []);
  const t5 = Tokenizer.fromJSON(tokenizerJson("t5-small"));
  assert.ok(t5.sentinelIds instanceof Uint32Array);
  assert.equal(t5.sentinelIds.length, 100);
  assert.equal(t5.idToToken(t5.sentinelIds[0]), "<extra_id_0>");
  assert.equal(t5.idToToken(t5.sentinelIds[99]), "<extra_id_99>");
});

test("encode options: pair, addSpecialTokens, truncation and padding overrides", () => {
  const tok = Tokenizer.fromJSON(bertJson);
  const pair = tok.encode("one two", { pair: "three" });
  assert.deepEqual(pair.tokens, ["[CLS]", "one", "two", "[SEP]", "three", "[SEP]"]);
  assert.deepEqual([...pair.typeIds], [0, 0, 0, 0, 1, 1]);
  assert.deepEqual([...pair.sequenceIds], [-1, 0, 0, -1, 1, -1]);
  assert.deepEqual(tok.encode("one two", { addSpecialTokens: false }).tokens, ["one", "two"]);
  const cut = tok.encode("one two three four", { truncation: { maxLength: 4 }, padding: { length: 6, side: "left" } });
  assert.deepEqual(cut.tokens, ["[PAD]", "[PAD]", "[CLS]", "one", "two", "[SEP]"]);
  assert.deepEqual([...cut.attentionMask], [0, 0, 1, 1, 1, 1]);
  assert.equal(tok.encode("hello", { padToMultipleOf: 8 }).ids.length, 8);

  const minilm = Tokenizer.fromJSON(tokenizerJson("all-minilm-l6-v2"));
  assert.equal(minilm.encode("hello").ids.length, 128, "the file's padding applies");
  assert.equal(minilm.encode("hello", { padding: false }).ids.length, 3, "unless turned off");
  assert.equal(minilm.encode("word ".repeat(200), { padding: false }).ids.length, 128, "truncation still applies");
  assert.equal(minilm.encode("word ".repeat(200), { truncation: false, padding: false }).ids.length, 202);
});

test("encodeBatch pads to the longest or a fixed length, with padToMultipleOf", () => {
  const tok = Tokenizer.fromJSON(bertJson);
  const batch = tok.encodeBatch(["a b", "c"], { padToMultipleOf: 8 });
  assert.equal(batch.batchSize, 2);
  assert.equal(batch.seqLen, 8);
  assert.ok(batch.ids instanceof Uint32Array && batch.ids.length === 16);
  assert.deepEqual([...batch.ids.subarray(8, 12)], [101, 1039, 102, 0]);
  assert.deepEqual([...batch.attentionMask.subarray(8, 12)], [1, 1, 1, 0]);
  assert.equal(batch.offsets.length, 32);
  assert.equal(tok.encodeBatch(["a", "b c"], { padding: { length: 10 } }).seqLen, 10);
  const pairs = tok.encodeBatch(["a", "b"], { pairs: ["c d", "e"] });
  assert.equal(pairs.seqLen, 6);
});

test("Masker: the contract of mask and collate", () => {
  const tok = Tokenizer.fromJSON(bertJson);
  const masker = new Masker(tok, { mlmProbability: 0.15, maskReplaceProb: 0.8, randomReplaceProb: 0.1, seed: 42 });
  const enc = tok.encode("Hello world, this is a test of the masking collator.");
  const out = masker.mask(enc);
  assert.ok(out.inputIds instanceof Int32Array);
  assert.ok(out.labels instanceof Int32Array);
  assert.ok(out.attentionMask instanceof Uint8Array);
  assert.ok(out.outcome instanceof Uint8Array);
  assert.equal(out.batchSize, 1);
  assert.equal(out.seqLen, enc.ids.length);
  for (let i = 0; i < enc.ids.length; i++) {
    if (out.outcome[i] === Outcome.Unselected) assert.equal(out.labels[i], -100);
    else assert.equal(out.labels[i], enc.ids[i]);
    if (out.outcome[i] === Outcome.Mask) assert.equal(out.inputIds[i], 103);
    if (enc.specialTokensMask[i]) assert.equal(out.outcome[i], Outcome.Unselected);
  }

  const batch = tok.encodeBatch(["a b c d", "e"], { padToMultipleOf: 8 });
  const masked = new Masker(tok, { mlmProbability: 1, seed: 1 }).mask(batch);
  assert.equal(masked.seqLen, 8);
  assert.deepEqual([...masked.outcome.subarray(8)].map((o) => o !== 0), [false, true, false, false, false, false, false, false]);

  const collated = masker.collate(["text one", "text two is longer"]);
  assert.equal(collated.batchSize, 2);
  assert.equal(collated.inputIds.length, 2 * collated.seqLen);
  assert.equal(collated.batch.ids.length, collated.inputIds.length);
});

test("the same seed gives the same masks; the stream carries over between calls", () => {
  const tok = Tokenizer.fromJSON(bertJson);
  const texts = Array.from({ length: 20 }, (_, i) => `sentence number ${i} with several words in it`);
  const a = new Masker(tok, { seed: 7 });
  const b = new Masker(tok, { seed: 7 });
  const a1 = a.collate(texts);
  const a2 = a.collate(texts);
  assert.deepEqual(a1.inputIds, b.collate(texts).inputIds);
  assert.deepEqual(a2.labels, b.collate(texts).labels);
  assert.notDeepEqual(a1.labels, a2.labels);
  assert.notDeepEqual(a1.labels, new Masker(tok, { seed: 8 }).collate(texts).labels);
  a.reseed(7);
  assert.deepEqual(a.collate(texts).labels, a1.labels);
});

test("mlm: false makes labels the ids with -100 on padding", () => {
  const tok = Tokenizer.fromJSON(tokenizerJson("gpt2"), { padToken: "<|endoftext|>" });
  const out = new Masker(tok, { mlm: false }).collate(["a b c", "d"]);
  assert.deepEqual([...out.labels], [64, 275, 269, 67, -100, -100]);
});

test("bad input throws an Error that says what to fix, and the instances keep working", () => {
  const { tok, masker, cases } = errorCases({ Tokenizer, Masker, bertJson, gpt2Json: tokenizerJson("gpt2") });
  for (const [call, message] of cases) {
    assert.throws(call, (e) => e instanceof Error && message.test(e.message), String(message));
  }
  // ...and nothing broke: the same instances still work, and free() finds them unborrowed.
  assert.deepEqual([...tok.encode("hello").ids], [101, 7592, 102]);
  assert.equal(masker.collate(["still works"]).batchSize, 1);
  assert.equal(masker.mask(tok.encode("hello")).inputIds.length, 3);
  masker.free();
  tok.free();
});

test("use after free() throws an Error; a masker outlives its freed tokenizer", () => {
  const tok = Tokenizer.fromJSON(bertJson);
  const masker = new Masker(tok, { seed: 2 });
  tok.free();
  assert.throws(() => tok.encode("x"), Error);
  assert.equal(masker.collate(["the masker still has the tokenizer"]).batchSize, 1);
  masker.free();
  assert.throws(() => masker.collate(["x"]), Error);
});

test("lone surrogates, NUL and astral text from JS encode with offsets inside the string", () => {
  for (const name of ["bert-base-uncased", "roberta-base", "t5-small"]) {
    const tok = Tokenizer.fromJSON(tokenizerJson(name));
    for (const text of ["a\uD800b", "\uDC00", "x\u0000y", "😀\uD83D", "\u{10FFFF}end"]) {
      const enc = tok.encode(text, { addSpecialTokens: false });
      for (let i = 0; i < enc.ids.length; i++) {
        const [s, e] = [enc.offsets[2 * i], enc.offsets[2 * i + 1]];
        assert.ok(s <= e && e <= text.length, `${name} ${JSON.stringify(text)}: (${s}, ${e})`);
      }
    }
    tok.free();
  }
});

test("tokens are made on first read, survive free(), and then behave as an own property", () => {
  const tok = Tokenizer.fromJSON(bertJson);
  const enc = tok.encode("Hello lazy world");
  const viaJson = JSON.parse(JSON.stringify(enc)).tokens;
  assert.deepEqual(viaJson, ["[CLS]", "hello", "lazy", "world", "[SEP]"], "JSON.stringify includes them");
  const later = tok.encode("read after free");
  tok.free();
  assert.deepEqual(later.tokens, ["[CLS]", "read", "after", "free", "[SEP]"]);
  assert.ok(Object.keys(later).includes("tokens"), "an own property once read");
  assert.deepEqual(structuredClone(later).tokens, later.tokens);
  later.tokens = ["replaced"];
  assert.deepEqual(later.tokens, ["replaced"]);
  // The crate path (WordLevel has no fast path) returns them eagerly, as a plain property.
  const wordLevel = JSON.parse(bertJson);
  wordLevel.model = { type: "WordLevel", vocab: wordLevel.model.vocab, unk_token: "[UNK]" };
  wordLevel.pre_tokenizer = { type: "Whitespace" };
  const crate = Tokenizer.fromJSON(JSON.stringify(wordLevel)).encode("Hello");
  assert.ok(Object.keys(crate).includes("tokens"));
  assert.deepEqual(crate.tokens, ["[CLS]", "hello", "[SEP]"]);
});

test("the arrays of a mask() result are views of one buffer", () => {
  const tok = Tokenizer.fromJSON(bertJson);
  const masked = new Masker(tok, { seed: 3 }).mask(tok.encodeBatch(["a b c", "d"]));
  const buffers = new Set([masked.inputIds, masked.labels, masked.attentionMask, masked.outcome].map((a) => a.buffer));
  assert.equal(buffers.size, 1);
  assert.equal(masked.inputIds.length, masked.batchSize * masked.seqLen);
  assert.equal(masked.outcome.length, masked.batchSize * masked.sourceLen);
});

test("offsets: false leaves offsets absent, not zeros, and offsetsGap refuses such an encoding", () => {
  const tok = Tokenizer.fromJSON(bertJson);
  const text = "Unbelievable words here";
  const enc = tok.encode(text, { offsets: false });
  assert.equal(enc.offsets, undefined);
  assert.equal("offsets" in enc, false);
  assert.deepEqual(enc.ids, tok.encode(text).ids);
  const batch = tok.encodeBatch([text, "b"], { offsets: false });
  assert.equal(batch.offsets, undefined);
  assert.equal(tok.encodeBatch([text, "b"]).offsets.length, 2 * batch.batchSize * batch.seqLen);

  const masker = new Masker(tok, { seed: 1, strategy: { type: "wholeWord", wordBoundary: "offsetsGap" } });
  assert.throws(() => masker.mask(enc), (e) => e instanceof Error && /offsets/.test(e.message) && /offsets: false|with offsets/.test(e.message));
  assert.throws(() => masker.mask(batch), /offsets/);
  // The masker keeps working, and a word-id strategy needs no offsets.
  assert.equal(masker.mask(tok.encode(text)).inputIds.length, enc.ids.length);
  const byWordIds = new Masker(tok, { seed: 1, strategy: { type: "wholeWord" } });
  assert.equal(byWordIds.mask(enc).inputIds.length, enc.ids.length);
});

test("every column of a result is a typed array of its declared type and length, over one buffer", () => {
  const tok = Tokenizer.fromJSON(bertJson);
  const enc = tok.encode("Hello world, 😀!");
  const n = enc.ids.length;
  const encodingColumns = {
    ids: [Uint32Array, n], typeIds: [Uint32Array, n], offsets: [Uint32Array, 2 * n], wordIds: [Int32Array, n],
    specialTokensMask: [Uint8Array, n], attentionMask: [Uint8Array, n], sequenceIds: [Int8Array, n],
  };
  const batch = tok.encodeBatch(["Hello world", "a"]);
  const cells = batch.batchSize * batch.seqLen;
  for (const [result, size] of [[enc, 1], [batch, cells / n]]) {
    const buffers = new Set();
    for (const [name, [Type, length]] of Object.entries(encodingColumns)) {
      assert.ok(result[name] instanceof Type, `${name} is a ${Type.name}`);
      assert.equal(result[name].length, length * size, name);
      assert.equal(result[name].byteOffset % Type.BYTES_PER_ELEMENT, 0, `${name} is aligned`);
      buffers.add(result[name].buffer);
    }
    assert.equal(buffers.size, 1);
  }
  // Values survive the crossing: special tokens at the ends, words counted from 0.
  assert.deepEqual([...enc.specialTokensMask.slice(0, 2)], [1, 0]);
  assert.deepEqual([enc.wordIds[0], enc.wordIds[1], enc.sequenceIds[0], enc.sequenceIds[1]], [-1, 0, -1, 0]);

  const base = { inputIds: Int32Array, labels: Int32Array, attentionMask: Uint8Array, outcome: Uint8Array };
  const extra = [
    [{ type: "wholeWord" }, { spanIds: Int32Array }],
    [{ type: "exactCount" }, { maskedPositions: Int32Array, maskedIds: Int32Array, maskedWeights: Float32Array }],
  ];
  for (const [strategy, own] of extra) {
    const masked = new Masker(tok, { seed: 2, strategy }).mask(batch);
    const columns = { ...base, ...own };
    for (const [name, Type] of Object.entries(columns)) assert.ok(masked[name] instanceof Type, `${strategy.type}: ${name} is a ${Type.name}`);
    assert.equal(new Set(Object.keys(columns).map((name) => masked[name].buffer)).size, 1);
    if (own.maskedPositions) assert.equal(masked.maskedPositions.length, masked.batchSize * masked.maxPredictions);
    if (own.spanIds) assert.equal(masked.spanIds.length, masked.batchSize * masked.sourceLen);
  }
  // A strategy without span ids or prediction lists leaves them absent.
  const plain = new Masker(tok, { seed: 2 }).mask(batch);
  assert.equal(plain.spanIds, undefined);
  assert.equal(plain.maskedPositions, undefined);
});

test("version() is the crate's version from Cargo.toml", () => {
  const cargo = readFileSync(new URL("../../Cargo.toml", import.meta.url), "utf8");
  const [, expected] = /^\[package\][^[]*?^version\s*=\s*"([^"]+)"/m.exec(cargo);
  assert.equal(version(), expected);
});
