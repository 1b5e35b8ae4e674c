// The benchmark cases, shared by the Chromium page (bench/page.mjs) and Node (bench/run.mjs).
// Every case times mlmask and the peers in the same process, in rounds whose order rotates
// (A/B/C, B/C/A, ...); each round builds fresh tokenizers outside the timed part, so caches
// start cold. A ratio is computed per round (peer time / mlmask time) and reported as the
// median with its min–max over rounds.

const now = () => performance.now();

/** lexiconSpans' lexicon in the benchmark: frequent English collocations. */
const LEXICON = ["of the", "in the", "to the", "on the", "and the", "at the", "for the", "from the", "new york", "united states", "such as", "as well as"];

export function stats(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
  return { median, min: s[0], max: s[s.length - 1], n: s.length };
}

function rotate(list, r) {
  return list.map((_, i) => list[(i + r) % list.length]);
}

/** A text of about `target` tokens made of consecutive corpus lines (the demo's input size). */
function demoText(tok, lines, target) {
  let text = "";
  for (const line of lines) {
    text += (text ? "\n" : "") + line;
    if (tok.encode(text, { offsets: false }).ids.length >= target) return text;
  }
  return text;
}

/**
 * @param env.mlmask       the mlmask module (Tokenizer, Masker)
 * @param env.mlmaskLite   the mlmask/lite module (or null)
 * @param env.TJS          @huggingface/tokenizers' Tokenizer class
 * @param env.TF           @huggingface/transformers' PreTrainedTokenizer class (or null)
 * @param env.tokenizers   { name: tokenizer.json text }
 * @param env.lines        corpus lines
 * @param env.rounds       rounds per case
 * @param env.model        the demo's render model ({ segmentsFromOffsets, countOutcomes }) or null
 * @param env.log          progress output
 */
export async function runCases(env) {
  const { mlmask, mlmaskLite, TJS, TF, tokenizers, lines, rounds, model, log } = env;
  const { Tokenizer, Masker } = mlmask;
  const results = { tokenizers: {} };
  const pause = () => new Promise((r) => setTimeout(r, 0));

  for (const [name, json] of Object.entries(tokenizers)) {
    log(`${name}: building`);
    const parsed = JSON.parse(json);
    const make = {
      // Mistral's file has no pad token; batches need one (transformers users set eos).
      mlmask: () => Tokenizer.fromJSON(json, name.startsWith("mistral") ? { padToken: "</s>" } : undefined),
      tjs: () => new TJS(parsed, {}),
      tf: TF ? () => new TF(parsed, {}) : null,
    };
    // --- Load: the tokenizer.json text to a tokenizer that can encode (what a page waits for
    // after the download). Tokenizers.js and transformers.js parse the JSON themselves first.
    // mlmask/lite is measured only where it serves the file.
    const loaders = {
      "mlmask fromJSON": () => mlmask.Tokenizer.fromJSON(json),
      "Tokenizers.js JSON.parse + new Tokenizer": () => new TJS(JSON.parse(json), {}),
    };
    try {
      mlmaskLite?.Tokenizer.fromJSON(json).free();
      if (mlmaskLite) loaders["mlmask/lite fromJSON"] = () => mlmaskLite.Tokenizer.fromJSON(json);
    } catch {
      log(`${name}: mlmask/lite does not serve it`);
    }
    if (TF) loaders["transformers.js JSON.parse + new PreTrainedTokenizer"] = () => new TF(JSON.parse(json), {});
    const loadTimes = Object.fromEntries(Object.keys(loaders).map((k) => [k, []]));
    for (let round = 0; round < rounds; round++) {
      for (const key of rotate(Object.keys(loaders), round)) {
        await pause();
        const t0 = now();
        const made = loaders[key]();
        loadTimes[key].push(now() - t0);
        made.free?.();
      }
    }
    const peerLoad = "Tokenizers.js JSON.parse + new Tokenizer";
    const load = {};
    for (const [key, ts] of Object.entries(loadTimes)) {
      load[key] = { ms: stats(ts), ratios: key === peerLoad ? {} : { [peerLoad]: stats(ts.map((ms, i) => loadTimes[peerLoad][i] / ms)) } };
    }

    const probe = make.mlmask();
    let tokens = 0;
    for (const l of lines) tokens += probe.encode(l, { offsets: false }).ids.length;
    let tjsTokens = 0;
    const tjs0 = make.tjs();
    for (const l of lines) tjsTokens += tjs0.encode(l).ids.length;
    const r = { tokens, tjsTokens, load, cases: {} };
    results.tokenizers[name] = r;

    // --- Per-line throughput: one call per corpus line, special tokens on.
    const perLine = {
      "mlmask encode (offsets)": (t) => {
        for (const l of lines) t.tok.encode(l);
      },
      "mlmask encode (offsets: false)": (t) => {
        for (const l of lines) t.tok.encode(l, { offsets: false });
      },
      "mlmask encode + mask": (t) => {
        for (const l of lines) t.masker.mask(t.tok.encode(l));
      },
      "Tokenizers.js encode": (t) => {
        for (const l of lines) t.tjs.encode(l);
      },
    };
    if (make.tf) {
      perLine["transformers.js encode"] = (t) => {
        for (const l of lines) t.tf.encode(l);
      };
    }
    // --- Bulk: the whole corpus in batches of 64 lines (a training batch), flat typed arrays.
    const B = 64;
    const chunks = [];
    for (let i = 0; i < lines.length; i += B) chunks.push(lines.slice(i, i + B));
    const bulk = {
      "mlmask encodeBatch×64 (offsets: false)": (t) => {
        for (const c of chunks) t.tok.encodeBatch(c, { offsets: false });
      },
      "mlmask encodeBatch×64 (offsets)": (t) => {
        for (const c of chunks) t.tok.encodeBatch(c);
      },
      "mlmask collate×64": (t) => {
        for (const c of chunks) t.masker.collate(c);
      },
    };
    // Tokenizers with no mask token (T5, Mistral) can't mask: tokenization only.
    const canMask = probe.maskTokenId !== undefined;
    if (!canMask) {
      delete perLine["mlmask encode + mask"];
      delete bulk["mlmask collate×64"];
    }
    const variants = { ...perLine, ...bulk };
    const times = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
    const warm = { "mlmask encode (offsets)": [], "Tokenizers.js encode": [] };
    for (let round = 0; round < rounds; round++) {
      for (const key of rotate(Object.keys(variants), round)) {
        const tok = make.mlmask();
        const t = {
          tok,
          masker: canMask ? new Masker(tok, { seed: round }) : null,
          tjs: key.startsWith("Tokenizers") ? make.tjs() : null,
          tf: key.startsWith("transformers") ? make.tf() : null,
        };
        await pause();
        const t0 = now();
        variants[key](t);
        times[key].push(now() - t0);
        if (key in warm) {
          const t1 = now();
          variants[key](t);
          warm[key].push(now() - t1);
        }
        t.masker?.free();
        tok.free();
      }
      log(`${name}: round ${round + 1}/${rounds}`);
    }
    for (const [key, ts] of Object.entries(times)) {
      const c = { ms: stats(ts), mtokPerS: stats(ts.map((ms) => tokens / ms / 1000)), ratios: {} };
      for (const peer of ["Tokenizers.js encode", "transformers.js encode"]) {
        if (!times[peer] || key === peer) continue;
        c.ratios[peer] = stats(ts.map((ms, i) => times[peer][i] / ms));
      }
      r.cases[key] = c;
    }
    r.warm = Object.fromEntries(
      Object.entries(warm).map(([k, ts]) => [k, { ms: stats(ts), mtokPerS: stats(ts.map((ms) => tokens / ms / 1000)) }]),
    );

    // --- Fixed cost per call: encode("hello world") 20,000 times.
    const N = 20000;
    const calls = {
      "mlmask encode": (t) => t.tok.encode("hello world"),
      "mlmask encode (offsets: false)": (t) => t.tok.encode("hello world", { offsets: false }),
      "mlmask tokenToId (bare call)": (t) => t.tok.tokenToId("hello"),
      "Tokenizers.js encode": (t) => t.tjs.encode("hello world"),
    };
    if (make.tf) calls["transformers.js encode"] = (t) => t.tf.encode("hello world");
    const callTimes = Object.fromEntries(Object.keys(calls).map((k) => [k, []]));
    const t = { tok: make.mlmask(), tjs: make.tjs(), tf: make.tf ? make.tf() : null };
    for (let round = 0; round < rounds; round++) {
      for (const key of rotate(Object.keys(calls), round)) {
        for (let i = 0; i < 200; i++) calls[key](t);
        await pause();
        const t0 = now();
        for (let i = 0; i < N; i++) calls[key](t);
        callTimes[key].push(((now() - t0) / N) * 1000);
      }
    }
    r.perCallUs = Object.fromEntries(Object.entries(callTimes).map(([k, us]) => [k, stats(us)]));

    // --- Masking alone: one padded batch of 256 corpus lines, masked again and again.
    const batch = t.tok.encodeBatch(lines.slice(0, 256), { offsets: false });
    const cells = batch.batchSize * batch.seqLen;
    const realTokens = batch.attentionMask.reduce((a, x) => a + x, 0);
    // FIM's four tokens: four of the vocabulary's own (the benchmark measures the algorithm;
    // which ids mark the parts does not change its cost).
    const fimTokens = Object.fromEntries(["prefix", "middle", "suffix", "pad"].map((k, i) => [k, t.tok.idToToken(i)]));
    const strategies = [
      ["token", { strategy: { type: "token" } }],
      ["exactCount", { strategy: { type: "exactCount" } }],
      ["wholeWord", { strategy: { type: "wholeWord" } }],
      ["ngram", { strategy: { type: "ngram" } }],
      ["span", { strategy: { type: "span" } }],
      ["t5SpanCorruption", { strategy: { type: "t5SpanCorruption" } }],
      ["bartInfilling", { strategy: { type: "bartInfilling" } }],
      ["ul2", { strategy: { type: "ul2" } }],
      ["fim (token level)", { strategy: { type: "fim", level: "token", fimTokens } }],
      ["fim (character level)", { strategy: { type: "fim", fimTokens } }],
      ["lexiconSpans", { strategy: { type: "lexiconSpans", lexicon: LEXICON } }],
      ["token, views: 4", { strategy: { type: "token" }, views: 4 }],
    ];
    r.masking = { batchSize: batch.batchSize, seqLen: batch.seqLen, cells, realTokens, strategies: {} };
    // Every strategy on every tokenizer: one that cannot serve it (no mask token, no sentinels)
    // is reported with the masker's error.
    for (const [label, options] of strategies) {
      let masker;
      try {
        masker = new Masker(t.tok, { seed: 1, ...options });
        masker.mask(batch);
      } catch (e) {
        r.masking.strategies[label] = { error: String(e.message ?? e).slice(0, 160) };
        continue;
      }
      const ts = [];
      for (let round = 0; round < rounds; round++) {
        await pause();
        const reps = 20;
        const t0 = now();
        for (let i = 0; i < reps; i++) masker.mask(batch);
        ts.push((now() - t0) / reps);
      }
      masker.free();
      r.masking.strategies[label] = {
        msPerBatch: stats(ts),
        mPositionsPerS: stats(ts.map((ms) => cells / ms / 1000)),
        mTokensPerS: stats(ts.map((ms) => realTokens / ms / 1000)),
      };
    }
    // Packing belongs to collate: the same 256 lines collated with and without it (tokenizing
    // included), reported beside the strategies.
    for (const [label, options] of [["collate", {}], ["collate, packing: 512", { packing: { maxLength: 512 } }]]) {
      const texts = lines.slice(0, 256);
      let masker;
      try {
        masker = new Masker(t.tok, { seed: 1 });
        masker.collate(texts, { offsets: false, ...options });
      } catch (e) {
        r.masking.strategies[label] = { error: String(e.message ?? e).slice(0, 160) };
        masker?.free();
        continue;
      }
      const ts = [];
      for (let round = 0; round < rounds; round++) {
        await pause();
        const t0 = now();
        for (let i = 0; i < 5; i++) masker.collate(texts, { offsets: false, ...options });
        ts.push((now() - t0) / 5);
      }
      masker.free();
      r.masking.strategies[label] = {
        msPerBatch: stats(ts),
        mPositionsPerS: stats(ts.map((ms) => cells / ms / 1000)),
        mTokensPerS: stats(ts.map((ms) => realTokens / ms / 1000)),
      };
    }

    // --- One live demo update: ~512 tokens, tokenize + mask (+ the demo's render model).
    if (probe.maskTokenId !== undefined) {
      const text = demoText(t.tok, lines, 512);
      const masker = new Masker(t.tok, { seed: 7 });
      const opts = { truncation: { maxLength: 512 } };
      const update = () => {
        const enc = t.tok.encode(text, opts);
        const out = masker.mask(enc);
        if (model) {
          const segs = model.segmentsFromOffsets(text, enc.offsets, enc.ids.length, (i) => enc.specialTokensMask[i] === 0);
          model.tokenToSegment(segs, enc.ids.length);
          if (model.countOutcomes) model.countOutcomes(out.outcome, enc.specialTokensMask, enc.attentionMask);
        }
        return enc.ids.length;
      };
      const n = update();
      const ts = [];
      for (let i = 0; i < 20 * rounds; i++) {
        const t0 = now();
        update();
        ts.push(now() - t0);
      }
      const first = t.tok.encode(text, opts);
      r.demo = { tokens: n, renderModel: !!model, ms: stats(ts), firstTokens: first.ids.length };
      masker.free();
    }
    t.tok.free();
    probe.free();
  }
  return results;
}
