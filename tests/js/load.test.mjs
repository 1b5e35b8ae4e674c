// Tokenizer.load: a tokenizer.json from a URL (served here by a local HTTP server), a file, a
// fetch Request or Response, a Blob or bytes, loaded exactly as Tokenizer.fromJSON loads its text;
// download progress; abort; and an Error naming the source and what to fix for each bad input,
// after which the module keeps working.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

import * as full from "mlmask";
import * as lite from "mlmask/lite";
import { tokenizerJson } from "./helpers.mjs";

const SENTENCE = "Masked language models predict hidden words. 😀 naïve café";
const bert = tokenizerJson("bert-base-uncased");
const roberta = tokenizerJson("roberta-base");
const bertBytes = Buffer.from(bert);
/** A body large enough to arrive in several chunks. */
const CHUNK = 64 * 1024;

let server;
let base;
let dir;
/** Each request of the "stall" route, so a test can finish it. */
const stalled = [];

/** The routes of the test server. Each names what it answers in its path. */
function handle(req, res) {
  const url = new URL(req.url, "http://localhost");
  switch (url.pathname) {
    case "/bert.json":
      return res.writeHead(200, { "content-type": "application/json", "content-length": bertBytes.length }).end(bertBytes);
    case "/roberta.json":
      return res.writeHead(200, { "content-type": "application/json" }).end(roberta);
    case "/chunked.json": {
      // No Content-Length: the size is known only at the end. Several writes, several chunks.
      res.writeHead(200, { "content-type": "application/json" });
      for (let at = 0; at < bertBytes.length; at += CHUNK) res.write(bertBytes.subarray(at, at + CHUNK));
      return res.end();
    }
    case "/stall.json": {
      // Half the file, then nothing until the test ends it.
      res.writeHead(200, { "content-type": "application/json", "content-length": bertBytes.length });
      res.write(bertBytes.subarray(0, bertBytes.length >> 1));
      stalled.push(res);
      return;
    }
    case "/not-json.json":
      return res.writeHead(200, { "content-type": "text/plain" }).end("this is not JSON");
    case "/page.html":
      return res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end("<!doctype html><title>app</title>");
    case "/not-a-tokenizer.json":
      return res.writeHead(200, { "content-type": "application/json" }).end('{"model_type": "bert", "hidden_size": 768}');
    default:
      return res.writeHead(404, { "content-type": "text/plain" }).end("not found");
  }
}

before(async () => {
  server = createServer(handle);
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${server.address().port}`;
  dir = mkdtempSync(join(tmpdir(), "mlmask-load-"));
  writeFileSync(join(dir, "bert.json"), bert);
});

after(async () => {
  for (const res of stalled) res.destroy();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

/** What a loaded tokenizer does, to compare with Tokenizer.fromJSON's. */
function fingerprint(tok) {
  const enc = tok.encode(SENTENCE);
  return { vocabSize: tok.vocabSize, maskTokenId: tok.maskTokenId, ids: [...enc.ids], offsets: [...enc.offsets], tokens: enc.tokens };
}

function expected(api, json, options) {
  const tok = api.Tokenizer.fromJSON(json, options);
  try {
    return fingerprint(tok);
  } finally {
    tok.free();
  }
}

/** Load, compare with fromJSON, free. */
async function assertLoads(api, source, json = bert, options = undefined) {
  const tok = await api.Tokenizer.load(source, options);
  try {
    assert.deepEqual(fingerprint(tok), expected(api, json, options));
  } finally {
    tok.free();
  }
}

/** Assert that `promise` rejects with an Error whose message matches every pattern. */
async function assertRejects(promise, patterns, type = Error) {
  await assert.rejects(promise, (e) => {
    assert.ok(e instanceof type, `a ${type.name}, got ${e}`);
    for (const p of patterns) assert.match(e.message, p);
    return true;
  });
}

for (const [entry, api] of [
  ["mlmask", full],
  ["mlmask/lite", lite],
]) {
  describe(`${entry}: Tokenizer.load`, () => {
    test("loads from an http URL as a string, a URL and a Request, as fromJSON loads the text", async () => {
      await assertLoads(api, `${base}/bert.json`);
      await assertLoads(api, new URL("/bert.json", base));
      await assertLoads(api, new Request(`${base}/bert.json`, { headers: { accept: "application/json" } }));
    });

    test("loads from a file path, a file: URL string and a file: URL", async () => {
      const path = join(dir, "bert.json");
      await assertLoads(api, path);
      await assertLoads(api, pathToFileURL(path).href);
      await assertLoads(api, pathToFileURL(path));
    });

    test("loads from a Response, a promise of one, a Blob, an ArrayBuffer and a Uint8Array", async () => {
      await assertLoads(api, await fetch(`${base}/bert.json`));
      await assertLoads(api, fetch(`${base}/bert.json`));
      await assertLoads(api, new Blob([bert]));
      await assertLoads(api, bertBytes.buffer.slice(bertBytes.byteOffset, bertBytes.byteOffset + bertBytes.length));
      // A view into a larger buffer: only its own bytes are the file.
      const padded = new Uint8Array(bertBytes.length + 8);
      padded.set(bertBytes, 4);
      await assertLoads(api, padded.subarray(4, 4 + bertBytes.length));
    });

    test("passes the load options on, as fromJSON takes them", async () => {
      const options = { additionalSpecialTokens: ["<extra_a>", "[MASK]"], maskToken: "[MASK]", padToken: "[PAD]" };
      await assertLoads(api, `${base}/bert.json`, bert, options);
    });

    test("several loads at once share one instance of the module", async () => {
      const toks = await Promise.all([1, 2, 3].map(() => api.Tokenizer.load(`${base}/bert.json`)));
      const want = expected(api, bert);
      for (const tok of toks) assert.deepEqual(fingerprint(tok), want);
      for (const tok of toks) tok.free();
    });

    test("reports progress as the body arrives, the last call with loaded === total", async () => {
      for (const [path, total] of [
        ["/bert.json", bertBytes.length],
        ["/chunked.json", undefined],
      ]) {
        const calls = [];
        const tok = await api.Tokenizer.load(`${base}${path}`, { onProgress: (p) => calls.push({ ...p }) });
        tok.free();
        assert.ok(calls.length >= 2, `${path}: ${calls.length} progress calls for ${bertBytes.length} bytes`);
        assert.deepEqual(calls.at(-1), { loaded: bertBytes.length, total: bertBytes.length }, path);
        for (let i = 0; i < calls.length - 1; i++) {
          assert.equal(calls[i].total, total, `${path}: call ${i}'s total`);
          // Without a total, the last chunk cannot tell it is the last: the final call may repeat its count.
          assert.ok(calls[i].loaded > (calls[i - 1]?.loaded ?? 0) && calls[i].loaded <= bertBytes.length, `${path}: call ${i}`);
        }
      }
      // A file and bytes have no download: one call, complete.
      for (const source of [join(dir, "bert.json"), new Blob([bert])]) {
        const calls = [];
        (await api.Tokenizer.load(source, { onProgress: (p) => calls.push(p) })).free();
        assert.deepEqual(calls, [{ loaded: bertBytes.length, total: bertBytes.length }]);
      }
    });

    test("an aborted download rejects with the signal's reason", async () => {
      const controller = new AbortController();
      let halfway;
      const reached = new Promise((resolve) => (halfway = resolve));
      const loading = api.Tokenizer.load(`${base}/stall.json`, { signal: controller.signal, onProgress: () => halfway() });
      await reached;
      controller.abort();
      await assert.rejects(loading, { name: "AbortError" });
      await assert.rejects(api.Tokenizer.load(`${base}/bert.json`, { signal: AbortSignal.abort() }), { name: "AbortError" });
      await assert.rejects(api.Tokenizer.load(join(dir, "bert.json"), { signal: AbortSignal.abort() }), { name: "AbortError" });
      await assertLoads(api, `${base}/bert.json`);
    });
  });

  describe(`${entry}: Tokenizer.load refuses bad input with an Error that says what to fix`, () => {
    test("an HTTP error names the URL and the status", async () => {
      await assertRejects(api.Tokenizer.load(`${base}/missing.json`), [/could not fetch the tokenizer\.json at http:\/\/127\.0\.0\.1:\d+\/missing\.json/, /HTTP 404 Not Found/]);
      await assertRejects(api.Tokenizer.load(await fetch(`${base}/missing.json`)), [/\/missing\.json/, /HTTP 404/]);
    });

    test("an unreachable server names the URL", async () => {
      // A port nothing listens on: the server is closed before the request.
      const closed = createServer();
      await new Promise((resolve) => closed.listen(0, "127.0.0.1", resolve));
      const url = `http://127.0.0.1:${closed.address().port}/bert.json`;
      await new Promise((resolve) => closed.close(resolve));
      await assertRejects(api.Tokenizer.load(url), [new RegExp(`could not fetch the tokenizer\\.json at ${url.replace(/\./g, "\\.")}`), /is the address right/]);
    });

    test("a body that is not a tokenizer.json names the URL and keeps fromJSON's reason", async () => {
      await assertRejects(api.Tokenizer.load(`${base}/not-json.json`), [/at http:\/\/127\.0\.0\.1:\d+\/not-json\.json: could not load tokenizer\.json/]);
      await assertRejects(api.Tokenizer.load(`${base}/not-a-tokenizer.json`), [/\/not-a-tokenizer\.json: could not load tokenizer\.json/, /Hugging Face tokenizer\.json/]);
      // A web server's fallback page instead of the file: the message says so.
      await assertRejects(api.Tokenizer.load(`${base}/page.html`), [/\/page\.html \(the server answered with an HTML page, not JSON: is the address right\?\)/]);
      await assertRejects(api.Tokenizer.load(new Blob(["{}"])), [/^could not load the tokenizer\.json: could not load tokenizer\.json/]);
    });

    test("a missing file names the path", async () => {
      const path = join(dir, "missing.json");
      await assertRejects(api.Tokenizer.load(path), [new RegExp(`could not read the tokenizer\\.json file ${path.replace(/[.\\/]/g, "\\$&")}`), /ENOENT/]);
    });

    test("wrong arguments", async () => {
      await assertRejects(api.Tokenizer.load(42), [/Tokenizer\.load takes the URL of a tokenizer\.json .*got number/], TypeError);
      await assertRejects(api.Tokenizer.load(undefined), [/got undefined/], TypeError);
      await assertRejects(api.Tokenizer.load(bert), [/not its text; pass the text to Tokenizer\.fromJSON/], TypeError);
      await assertRejects(api.Tokenizer.load(`${base}/bert.json`, "bert"), [/the options must be an object, got string/], TypeError);
      await assertRejects(api.Tokenizer.load(`${base}/bert.json`, { onProgress: 1 }), [/`onProgress` must be a function, got number/], TypeError);
      await assertRejects(api.Tokenizer.load(`${base}/bert.json`, { signal: {} }), [/`signal` must be an AbortSignal, got Object/], TypeError);
      await assertRejects(api.Tokenizer.load(`${base}/bert.json`, { module: "mlmask_bg.wasm" }), [/`module` must be a WebAssembly\.Module or a promise of one, got string/], TypeError);
      await assertRejects(api.Tokenizer.load(`${base}/bert.json`, { maskTokn: "[MASK]" }), [/unknown option `maskTokn`/, /Tokenizer\.load also takes signal, onProgress and module/]);
      const used = await fetch(`${base}/bert.json`);
      await used.arrayBuffer();
      await assertRejects(api.Tokenizer.load(used), [/body was already read/], TypeError);
    });

    test("the module keeps working after every error", async () => {
      await assertLoads(api, `${base}/bert.json`);
      const tok = api.Tokenizer.fromJSON(bert);
      const masker = new api.Masker(tok, { seed: 1 });
      assert.equal(masker.mask(tok.encode(SENTENCE)).labels.length, tok.encode(SENTENCE).ids.length);
      masker.free();
      tok.free();
    });
  });
}

test("mlmask: Tokenizer.load reads RoBERTa (byte-level BPE) as fromJSON does", async () => {
  await assertLoads(full, `${base}/roberta.json`, roberta);
});
