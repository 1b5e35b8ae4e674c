// The Chromium side of the benchmark: mlmask (wasm fetched by init() from the same server),
// Tokenizers.js and transformers.js in one page, running bench/cases.mjs.
import init, * as mlmask from "/pkg/web.js";
import initLite, * as mlmaskLite from "/pkg/lite/web.js";
import { Tokenizer as TJS } from "/node_modules/@huggingface/tokenizers/dist/tokenizers.min.mjs";
import { runCases } from "/bench/cases.mjs";

const log = (m) => console.log(`[page] ${m}`);
try {
  const config = await (await fetch("/data/config.json")).json();
  await init();
  await initLite();
  let TF = null;
  try {
    TF = (await import("/node_modules/@huggingface/transformers/dist/transformers.web.min.js")).PreTrainedTokenizer;
  } catch (e) {
    log(`transformers.js unavailable: ${e}`);
  }
  let model = null;
  if (config.model) {
    const segments = await import("/model/segments.js");
    const outcome = await import("/model/outcome.js");
    model = { ...segments, ...outcome };
  }
  const lines = await (await fetch("/data/lines.json")).json();
  const tokenizers = {};
  for (const name of config.tokenizers) tokenizers[name] = await (await fetch(`/data/${name}.json`)).text();
  const results = await runCases({ mlmask, mlmaskLite, TJS, TF, tokenizers, lines, rounds: config.rounds, model, log });
  results.userAgent = navigator.userAgent;
  results.transformers = !!TF;
  window.__results = results;
} catch (e) {
  window.__error = `${e}\n${e.stack}`;
}
