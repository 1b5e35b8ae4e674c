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
    [() => tok.encode("x", { truncaton: false }), /^unknown option `truncaton` in encode options; the options are: addSpecialTokens, truncation, padding, padToMultipleOf, offsets, pair, pairs$/],
    [() => tok.encode("x", { truncation: { maxLen: 3 } }), /^unknown option `maxLen` in `truncation`; the options are: maxLength, strategy, side$/],
    [() => tok.encode("x", { truncation: true }), /^invalid encode options: `truncation`: invalid value: boolean `true`, expected false or an object$/],
    [() => tok.encode("x", { padding: { length: "8" } }), /^invalid encode options: `padding\.length`: invalid type: string "8", expected usize$/],
    [() => tok.encode("x", { padding: { length: 0 } }), /`length` must be a positive integer, got 0/],
    [() => tok.encode("x", { truncation: { maxLength: 2 } }), /leaves no room: this tokenizer adds 2 special tokens/],
    [() => tok.encodeBatch([]), /^the batch is empty; pass at least one text$/],
    [() => tok.encodeBatch(["a", 3]), /^`texts\[1\]` must be a string, got number$/],
    [() => tok.encodeBatch("a"), /^`texts` must be an array of strings, got string$/],
    [() => tok.encodeBatch(["a"], { padToMultipleOf: 0 }), /`padToMultipleOf` must be a positive integer, got 0/],
    [() => new Masker(tok, { mlmProbability: NaN }), /^`mlmProbability` must be a number between 0 and 1, got NaN$/],
    [() => new Masker(tok, { maskReplaceProb: -1 }), /`maskReplaceProb` must be a number between 0 and 1, got -1/],
    [() => new Masker(tok, { maskReplaceProb: 0.9, randomReplaceProb: 0.2 }), /must be at most 1, got 0\.9 \+ 0\.2 = 1\.1/],
    [() => new Masker(tok, { seed: -1 }), /^invalid masker options: `seed`: invalid value: integer `-1`, expected a non-negative integer no larger than 2\^53 - 1$/],
    [() => new Masker(tok, { randomTokens: "all" }), /^invalid masker options: `randomTokens`: invalid value: string "all", expected "vocab", "nonSpecial" or \{ weights: \[\.\.\.\] \} with one weight per id of the vocabulary$/],
    // Regression: `{}` used to throw another call's message ("the encoding has no `weights`...").
    [() => new Masker(tok, { randomTokens: {} }), /^invalid masker options: `randomTokens`: an object needs `weights`, one weight per id of the vocabulary; or use "vocab" or "nonSpecial"$/],
    [() => new Masker(tok, { randomTokens: { weights: [1], scale: 2 } }), /^unknown option `scale` in `randomTokens`; the options are: weights$/],
    [() => new Masker(tok, { strategy: { type: "nope" } }), /^invalid masker options: `strategy\.type`: unknown variant `nope`, expected one of `token`, `exactCount`, `wholeWord`, `ngram`, `span`, `t5SpanCorruption`, `bartInfilling`, `ul2`, `fim`, `lexiconSpans`$/],
    [() => new Masker(tok, { strategy: { type: "token", spans: 3 } }), /^unknown option `spans` in `strategy`; it takes none$/],
    [() => new Masker(tok, { strategy: "token" }), /^invalid masker options: `strategy`: invalid type: string "token", expected an object with the strategy's `type` and its parameters$/],
    // Regression: accepted although the .d.ts refused it; a selected group of whole words is one word.
    [() => new Masker(tok, { strategy: { type: "wholeWord", replacement: "perSpan" } }), /^`replacement` must be "mask", "perWord" or "perToken" for whole words: each selected group is one word, so use "perWord" for one decision per word, got "perSpan"$/],
    [() => new Masker(tok, { strategy: { type: "span", minSpan: 3, maxSpan: 2 } }), /^`minSpan\/maxSpan` must satisfy 1 <= `minSpan` <= `maxSpan` <= 1000, got 3\/2$/],
    [() => new Masker(tok, { neverSelect: [1, -2] }), /^invalid masker options: `neverSelect\[1\]`: invalid value: integer `-2`, expected u32$/],
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
    // UL2, FIM, lexicon spans, packing, views and added tokens.
    [() => Tokenizer.fromJSON('{"hello":"world"}'), /^could not load tokenizer\.json: this JSON is not a tokenizer\.json: it has no `model`\./],
    [() => Tokenizer.fromJSON(bertJson, { additionalSpecialTokens: "<mask>" }), /`additionalSpecialTokens`: invalid type: string "<mask>"/],
    [() => new Masker(tok, { views: 0 }), /^`views` must be an integer from 1 to 1024, got 0$/],
    [() => masker.collate(["a b c"], { packing: { maxLength: 2 } }), /^text 0 has 5 tokens, more than packing `maxLength` 2; raise `maxLength`, or truncate/],
    [() => tok.encode("x", { packing: { maxLength: 8 } }), /^`packing` is for collate\(\)/],
    [() => new Masker(tok, { strategy: { type: "fim" } }), /^the fim strategy needs the token <fim_prefix>/],
    [() => new Masker(tok, { strategy: { type: "fim", fimRate: 2 } }), /^`fimRate` must be a number between 0 and 1, got 2$/],
    [() => new Masker(tok, { strategy: { type: "lexiconSpans", lexicon: [[]] } }), /^`lexicon` entries must each hold at least one token, got an empty entry at index 0$/],
    [() => new Masker(tok, { strategy: { type: "ul2", denoisers: [{ kind: "r", weight: 0 }] } }), /^`denoisers` need a positive weight between them, got weights that add up to 0$/],
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
