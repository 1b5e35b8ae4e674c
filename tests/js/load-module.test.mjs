// Tokenizer.load with a module the caller compiled (`module`), on the browser entry of each
// build: it instantiates that module and never fetches the wasm file, which is how a page shares
// one compile with its workers. This file runs in its own process (node --test), where the web
// entries' glue is not instantiated yet; the Node entry instantiates at import.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

import { tokenizerJson } from "./helpers.mjs";

const bert = tokenizerJson("bert-base-uncased");
const pkg = new URL("../../pkg/", import.meta.url);

/** Every URL `fetch` is called with while `run` runs; the wasm file must not be among them. */
async function fetchesDuring(run) {
  const seen = [];
  const real = globalThis.fetch;
  globalThis.fetch = (input, init) => {
    seen.push(String(input?.url ?? input));
    return real(input, init);
  };
  try {
    return { result: await run(), seen };
  } finally {
    globalThis.fetch = real;
  }
}

test("a module promise that rejects is an Error naming the WebAssembly module, and the entry can still load", async () => {
  // Before any other test instantiates the lite web entry: a failed start leaves it able to
  // instantiate later (the next test loads with a good module).
  const api = await import(new URL("lite/web.js", pkg));
  const broken = Promise.reject(new Error("compile failed"));
  await assert.rejects(api.Tokenizer.load(new Blob([bert]), { module: broken }), (e) => {
    assert.ok(e instanceof Error);
    assert.match(e.message, /^Tokenizer\.load: the WebAssembly module could not be loaded: compile failed/);
    return true;
  });
});

for (const build of ["", "lite/"]) {
  test(`${build ? "mlmask/lite" : "mlmask"} (web entry): Tokenizer.load instantiates the module it is given, without fetching the wasm`, async () => {
    const api = await import(new URL(`${build}web.js`, pkg));
    const bytes = readFileSync(new URL(`${build}mlmask_bg.wasm`, pkg));
    // A promise of the module: the compile runs while load reads the file.
    const { result: tok, seen } = await fetchesDuring(() => api.Tokenizer.load(new Blob([bert]), { module: WebAssembly.compile(bytes) }));
    assert.deepEqual(seen, []);
    const reference = api.Tokenizer.fromJSON(bert);
    const text = "Masked language models predict hidden words.";
    assert.deepEqual([...tok.encode(text).ids], [...reference.encode(text).ids]);
    assert.deepEqual([...tok.encode(text).ids].slice(0, 4), [101, 16520, 2653, 4275]);
    // Once instantiated, a later module is not needed: a second load with one still works.
    const again = await api.Tokenizer.load(new Blob([bert]), { module: await WebAssembly.compile(bytes) });
    assert.equal(again.vocabSize, reference.vocabSize);
    for (const t of [tok, reference, again]) t.free();
  });
}
