// The error contract, shared by the Node tests and the Chromium test: every bad input throws an
// Error whose message says what to fix. Each case is [call, expected message]; the caller then
// checks that the same instances still work.

export function errorCases({ Tokenizer, Masker, bertJson, gpt2Json }) {
  const tok = Tokenizer.fromJSON(bertJson);
  const masker = new Masker(tok, { seed: 1 });
  const cases = [
    [() => Tokenizer.fromJSON("{not json"), /^could not load tokenizer\.json: /],
    [() => Tokenizer.fromJSON(42), /takes the tokenizer\.json text \(string\) or bytes/],
    [() => Tokenizer.fromJSON(bertJson.slice(0, 5000)), /^could not load tokenizer\.json: .*EOF/],
    [() => Tokenizer.fromJSON('{"version": "1.0", "model": 42}'), /^could not load tokenizer\.json: /],
    [() => Tokenizer.fromJSON('{"model": {"type": "Transformer", "vocab": {}}}'), /^could not load tokenizer\.json: unknown model type "Transformer"; tokenizers reads BPE, WordPiece, WordLevel, Unigram\./],
    [() => Tokenizer.fromJSON(new Uint8Array([0xff, 0xfe])), /^tokenizer\.json is not valid UTF-8/],
    [() => Tokenizer.fromJSON(bertJson, { maskTokn: "x" }), /unknown option `maskTokn` in tokenizer load options/],
    [() => tok.encode(42), /^`text` must be a string, got number$/],
    [() => tok.encode("x", { truncaton: false }), /unknown option `truncaton` in encode options/],
    [() => tok.encode("x", { padding: { length: 0 } }), /`length` must be a positive integer, got 0/],
    [() => tok.encode("x", { truncation: { maxLength: 2 } }), /leaves no room: this tokenizer adds 2 special tokens/],
    [() => tok.encodeBatch([]), /^the batch is empty; pass at least one text$/],
    [() => tok.encodeBatch(["a", 3]), /^`texts\[1\]` must be a string, got number$/],
    [() => tok.encodeBatch("a"), /^`texts` must be an array of strings, got string$/],
    [() => tok.encodeBatch(["a"], { padToMultipleOf: 0 }), /`padToMultipleOf` must be a positive integer, got 0/],
    [() => new Masker(tok, { mlmProbability: NaN }), /^`mlmProbability` must be a number between 0 and 1, got NaN$/],
    [() => new Masker(tok, { maskReplaceProb: -1 }), /`maskReplaceProb` must be a number between 0 and 1, got -1/],
    [() => new Masker(tok, { maskReplaceProb: 0.9, randomReplaceProb: 0.2 }), /must be at most 1, got 0\.9 \+ 0\.2 = 1\.1/],
    [() => new Masker(tok, { seed: -1 }), /`seed` must be a non-negative integer/],
    [() => new Masker(tok, { randomTokens: "all" }), /^`randomTokens` must be "vocab", "nonSpecial" or \{ weights: Float32Array \}, got "all"$/],
    [() => new Masker(tok, { strategy: { type: "nope" } }), /^invalid `strategy`: `type`: unknown variant `nope`, expected one of `token`, `exactCount`, `wholeWord`, `ngram`, `span`, `t5SpanCorruption`, `bartInfilling`$/],
    [() => new Masker(tok, { strategy: { type: "token", spans: 3 } }), /^unknown option `spans` in `strategy`; the options are: type$/],
    [() => new Masker(tok, { mlmProbability: "0.5" }), /^invalid masker options: `mlmProbability`: invalid type: string "0.5", expected f64$/],
    [() => new Masker(Tokenizer.fromJSON(gpt2Json)), /this tokenizer has no mask token/],
    [() => masker.mask({ ids: [1, 2] }), /the encoding has no `specialTokensMask`/],
    [() => masker.mask({ ids: [1], specialTokensMask: [0, 0], attentionMask: [1] }), /`specialTokensMask` has 2 entries but the batch has 1 positions/],
    [() => masker.mask(null), /mask\(\) takes an encoding or batch object/],
    [() => masker.collate(["a", "b"], { pairs: ["c", "d"] }), /collate\(\) takes single texts/],
    [() => masker.collate([]), /^the batch is empty; pass at least one text$/],
    [() => masker.collate([1]), /^`texts\[0\]` must be a string, got number$/],
    [() => new Masker(tok, { strategy: { type: "t5SpanCorruption" } }), /needs the token <extra_id_0>/],
    [() => new Masker(tok, { mlmProbability: 1.5 }), /^`mlmProbability` must be a number between 0 and 1, got 1\.5$/],
    // Getters that throw: reported, and the instances stay usable (an exception thrown
    // through wasm would leave them borrowed).
    [() => tok.encode("x", { get truncation() { throw new Error("boom"); } }), /^could not read the encode options: boom$/],
    [() => masker.collate(["x"], { get padding() { throw new Error("boom"); } }), /^could not read the encode options: boom$/],
    [() => new Masker(tok, { strategy: { get type() { throw new Error("boom"); } } }), /^could not read the masker options: boom$/],
    [() => tok.encodeBatch(Object.defineProperty(["a", "b"], 1, { get() { throw new Error("boom"); } })), /^could not read the `texts`: boom$/],
    [() => masker.mask({ get ids() { throw new Error("boom"); } }), /^could not read `ids`$/],
    [() => masker.mask({ ids: [1], specialTokensMask: [0], attentionMask: [1], batchSize: -1 }), /^`batchSize` must be a non-negative integer, got -1$/],
    [() => masker.mask({ ids: "abc", specialTokensMask: [0], attentionMask: [1] }), /^`ids` must be a typed array or an array of numbers, got string$/],
  ];
  return { tok, masker, cases };
}
