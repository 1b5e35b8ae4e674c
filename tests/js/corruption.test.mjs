// UL2, FIM, lexicon spans, packing and views through the JS API of the built package: the
// names the issue fixes (`denoiser`, `fimLayout`, `positionIds`, `sequenceIds`, `cuSeqlens`,
// `views`), the invariants each promises, and their errors.
import { test } from "node:test";
import assert from "node:assert/strict";

import { Masker, Tokenizer } from "mlmask";
import { tokenizerJson } from "./helpers.mjs";

const bert = Tokenizer.fromJSON(tokenizerJson("bert-base-uncased"));
const t5 = Tokenizer.fromJSON(tokenizerJson("t5-small"));

/** GPT-2 with StarCoder's FIM tokens added after its last id, padded with its end of text. */
function gpt2WithFim() {
  return Tokenizer.fromJSON(tokenizerJson("gpt2"), {
    padToken: "<|endoftext|>",
    additionalSpecialTokens: ["<fim_prefix>", "<fim_middle>", "<fim_suffix>", "<fim_pad>"],
  });
}

const CODE = ["def add(a, b):\n    return a + b\n", "for i in range(10):\n    print(i)\n", "x = [n * n for n in xs]"];
const TEXTS = [
  "New York is a big city, and machine learning is a big field.",
  "They moved to new york to study machine learning.",
  "Short one.",
];
const row = (array, r, len) => [...array.subarray(r * len, (r + 1) * len)];

test("ul2: a denoiser per row, its mode token first, sentinels in order", () => {
  const masker = new Masker(t5, { seed: 4, strategy: { type: "ul2" } });
  const out = masker.collate(TEXTS.concat(TEXTS, TEXTS));
  assert.ok(out.denoiser instanceof Uint8Array);
  assert.equal(out.denoiser.length, out.batchSize);
  assert.deepEqual(out.denoiserNames, [
    "r: mean 3, noise 0.15",
    "r: mean 8, noise 0.15",
    "x: mean 3, noise 0.5",
    "x: mean 8, noise 0.5",
    "x: mean 64, noise 0.15",
    "x: mean 64, noise 0.5",
    "s: noise 0.25",
  ]);
  const sentinels = t5.sentinelIds;
  for (let r = 0; r < out.batchSize; r++) {
    const kind = out.denoiserNames[out.denoiser[r]][0];
    const mode = t5.encode({ r: "[NLU]", x: "[NLG]", s: "[S2S]" }[kind], { addSpecialTokens: false }).ids;
    const input = row(out.inputIds, r, out.seqLen);
    assert.deepEqual(input.slice(0, mode.length), [...mode]);
    const used = input.filter((id) => sentinels.includes(id));
    assert.deepEqual(used, [...sentinels.slice(0, used.length)]);
    if (kind === "s") assert.equal(used.length, 0);
  }
  // Named denoisers and mode tokens; "" prepends nothing.
  const custom = new Masker(t5, { seed: 1, strategy: { type: "ul2", denoisers: [{ kind: "x", meanSpanLength: 8, modeToken: "" }] } }).collate(TEXTS);
  assert.deepEqual([...custom.denoiser], [0, 0, 0]);
  assert.deepEqual(custom.denoiserNames, ["x: mean 8, noise 0.5"]);
  assert.ok(sentinels.includes(custom.inputIds[0]) || custom.inputIds[0] === t5.encode(TEXTS[0]).ids[0]);
  assert.throws(() => new Masker(t5, { strategy: { type: "ul2", denoisers: [] } }), /`denoisers` must list from 1 to 255 denoisers, got 0/);
  assert.throws(() => new Masker(t5, { strategy: { type: "ul2", denoisers: [{ kind: "y" }] } }), /unknown variant `y`, expected one of `r`, `x`, `s`/);
  assert.throws(() => new Masker(bert, { strategy: { type: "ul2" } }), /the ul2 strategy needs the token <extra_id_0>/);
});

test("additionalSpecialTokens: the next ids, as Python's add_special_tokens gives them", () => {
  const gpt2 = Tokenizer.fromJSON(tokenizerJson("gpt2"), { additionalSpecialTokens: ["<mask>", "<fim_prefix>"] });
  assert.equal(gpt2.maskTokenId, 50257);
  assert.deepEqual([...gpt2.encode("def f(<mask>): <fim_prefix>x").ids], [4299, 277, 7, 50257, 2599, 220, 50258, 87]);
  assert.throws(() => Tokenizer.fromJSON(tokenizerJson("gpt2"), { additionalSpecialTokens: "<mask>" }), /additionalSpecialTokens/);
});

test("fim: PSM and SPM rows whose parts re-join, causal labels, and the FIM tokens by name", () => {
  const gpt2 = gpt2WithFim();
  const [pre, mid, suf] = ["<fim_prefix>", "<fim_middle>", "<fim_suffix>"].map((t) => gpt2.tokenToId(t));
  for (const level of ["token", "character"]) {
    const out = new Masker(gpt2, { seed: 2, strategy: { type: "fim", fimRate: 1, spmRate: 0.5, level } }).collate(CODE.concat(CODE, CODE));
    assert.ok(out.fimLayout instanceof Uint8Array);
    assert.ok([...out.fimLayout].every((l) => l === 1 || l === 2), "fimRate 1 rearranges every row");
    assert.ok(out.fimLayout.includes(1) && out.fimLayout.includes(2), "both layouts at spmRate 0.5");
    for (let r = 0; r < out.batchSize; r++) {
      const n = row(out.attentionMask, r, out.seqLen).filter((a) => a).length;
      const ids = row(out.inputIds, r, out.seqLen).slice(0, n);
      const [p, s, m] = [ids.indexOf(pre), ids.indexOf(suf), ids.indexOf(mid)];
      let text;
      if (out.fimLayout[r] === 1) {
        assert.ok(p === 0 && p < s && s < m);
        text = gpt2.decode(ids.slice(p + 1, s)) + gpt2.decode(ids.slice(m + 1)) + gpt2.decode(ids.slice(s + 1, m));
      } else {
        assert.ok(p === 0 && s === 1 && s < m);
        text = gpt2.decode(ids.slice(m + 1)) + gpt2.decode(ids.slice(s + 1, m));
      }
      assert.equal(text, CODE[r % 3]);
      const labels = row(out.labels, r, out.labelsLen);
      assert.deepEqual(labels.slice(0, n), [...ids.slice(1), -100]);
      assert.ok(labels.slice(n).every((l) => l === -100));
    }
  }
  assert.throws(() => new Masker(bert, { strategy: { type: "fim" } }), /needs the token <fim_prefix>.*name the tokenizer's FIM tokens with `fimTokens`/);
  assert.throws(
    () => new Masker(bert, { strategy: { type: "fim", fimTokens: { prefix: "[unused0]", middle: "<MID>", suffix: "[unused2]", pad: "[PAD]" } } }),
    /`fimTokens.middle` names "<MID>", which is not a token of this tokenizer/,
  );
});

test("lexiconSpans: each match of the lexicon is masked whole; ids work as strings do", () => {
  const newYork = bert.encode("new york", { addSpecialTokens: false }).ids;
  for (const lexicon of [["new york", "machine learning"], [[...newYork], "machine learning"]]) {
    for (let seed = 0; seed < 20; seed++) {
      const out = new Masker(bert, { seed, mlmProbability: 0.3, strategy: { type: "lexiconSpans", lexicon } }).collate(TEXTS);
      const ids = out.batch.ids;
      for (let i = 0; i + 1 < ids.length; i++) {
        if (ids[i] === newYork[0] && ids[i + 1] === newYork[1]) assert.equal(out.outcome[i] !== 0, out.outcome[i + 1] !== 0, `seed ${seed}`);
      }
    }
  }
  assert.throws(() => new Masker(bert, { strategy: { type: "lexiconSpans" } }), /missing field `lexicon`/);
  assert.throws(() => new Masker(bert, { strategy: { type: "lexiconSpans", lexicon: [[1e6]] } }), /`lexicon` entries must hold ids of this tokenizer's vocabulary/);
  assert.throws(
    () => new Masker(bert, { strategy: { type: "lexiconSpans", lexicon: ["new york", ""] } }),
    /^Error: `lexicon` entries must each hold at least one token, got an empty entry at index 1$/,
  );
  assert.throws(() => new Masker(bert, { strategy: { type: "fim", fimRate: 1.5 } }), /`fimRate` must be a number between 0 and 1, got 1.5/);
  assert.throws(
    () => new Masker(t5, { strategy: { type: "ul2", denoisers: [{ kind: "r", weight: 0 }, { kind: "s", weight: 0 }] } }),
    /`denoisers` need a positive weight between them/,
  );
});

test("packing: texts one after another, positions restart, cuSeqlens, the same masks as unpacked", () => {
  const options = { seed: 7, strategy: { type: "wholeWord" } };
  const plain = new Masker(bert, options).collate(TEXTS);
  const packed = new Masker(bert, options).collate(TEXTS, { packing: { maxLength: 32 } });
  assert.ok(packed.positionIds instanceof Int32Array && packed.sequenceIds instanceof Int32Array && packed.cuSeqlens instanceof Int32Array);
  assert.equal(packed.batch.batchSize, 3, "batch is the unpacked encodings");
  const lengths = [0, 1, 2].map((r) => row(plain.attentionMask, r, plain.seqLen).filter((a) => a).length);
  assert.deepEqual([...packed.cuSeqlens], [0, lengths[0], lengths[0] + lengths[1], lengths[0] + lengths[1] + lengths[2]]);
  const seen = [0, 0, 0];
  for (let i = 0; i < packed.inputIds.length; i++) {
    const text = packed.sequenceIds[i];
    if (text < 0) {
      assert.equal(packed.attentionMask[i], 0);
      continue;
    }
    assert.equal(packed.positionIds[i], seen[text]);
    const source = text * plain.seqLen + seen[text]++;
    assert.equal(packed.inputIds[i], plain.inputIds[source]);
    assert.equal(packed.labels[i], plain.labels[source]);
  }
  assert.deepEqual(seen, lengths);
  assert.throws(() => new Masker(bert).collate(TEXTS, { packing: { maxLength: 4 } }), /text 0 has \d+ tokens, more than packing `maxLength` 4/);
  assert.throws(() => new Masker(t5, { strategy: { type: "t5SpanCorruption" } }).collate(TEXTS, { packing: { maxLength: 64 } }), /the t5SpanCorruption strategy makes a separate target sequence per text/);
  assert.throws(() => bert.encodeBatch(TEXTS, { packing: { maxLength: 64 } }), /`packing` is for collate\(\)/);
  assert.throws(() => new Masker(bert).collate(TEXTS, { packing: {} }), /missing field `maxLength`/);
});

test("views: batchSize × N rows, the views of a row adjacent, reproducible with a seed", () => {
  const views = 4;
  const out = new Masker(bert, { seed: 5, views }).collate(TEXTS);
  assert.equal(out.batchSize, TEXTS.length * views);
  const same = new Masker(bert, { seed: 5, views }).collate(TEXTS);
  assert.deepEqual(same.inputIds, out.inputIds);
  const repeated = new Masker(bert, { seed: 5 }).collate(TEXTS.flatMap((t) => Array(views).fill(t)));
  assert.deepEqual(out.inputIds, repeated.inputIds, "the repeated batch, masked once");
  // The views of one text differ from each other (independent draws).
  const first = [0, 1, 2, 3].map((v) => row(out.outcome, v, out.seqLen).join());
  assert.ok(new Set(first).size > 1);
  const encoded = bert.encode(TEXTS[0]);
  assert.equal(new Masker(bert, { seed: 1, views: 3 }).mask(encoded).batchSize, 3);
  assert.throws(() => new Masker(bert, { views: 0 }), /`views` must be an integer from 1 to 1024, got 0/);
});
