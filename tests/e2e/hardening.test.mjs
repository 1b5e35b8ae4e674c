// Hardening checks in Chromium: the error contract through the package's JS API (the same cases
// as the Node tests), memory that stays bounded over 100,000 encode + mask calls, and the demo
// working under a strict Content-Security-Policy.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { launchChromium, serveFolder } from "../support/browser.mjs";
import { REPO, startSite } from "./helpers.mjs";
import { tokenizerJson } from "../js/helpers.mjs";

// Strict for scripts and connections; images also from data: URLs, for the page's inline icon
// (an icon file was requested again on every address rewrite, i.e. on every keystroke).
const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; img-src 'self' data:";

let folder;
let server;
let browser;
let page;

before(async () => {
  // The package, the error cases the Node tests share and two vendored tokenizers, served on 127.0.0.1.
  folder = mkdtempSync(join(tmpdir(), "mlmask-hardening-"));
  cpSync(join(REPO, "pkg"), join(folder, "pkg"), { recursive: true });
  cpSync(join(REPO, "tests/js/error-cases.mjs"), join(folder, "error-cases.mjs"));
  writeFileSync(join(folder, "bert.json"), tokenizerJson("bert-base-uncased"));
  writeFileSync(join(folder, "gpt2.json"), tokenizerJson("gpt2"));
  writeFileSync(join(folder, "index.html"), "<!doctype html><title>mlmask hardening</title>");
  server = await serveFolder(folder);
  // --expose-gc lets the memory test collect forgotten objects at known points.
  browser = await launchChromium({ extraArgs: ["--js-flags=--expose-gc"] });
  page = await browser.newPage();
  await page.goto(server.url);
  await page.evaluate(async () => {
    const mlmask = await import("./pkg/mlmask.js");
    window.wasm = await mlmask.default();
    window.mlmask = mlmask;
    window.bertJson = await (await fetch("./bert.json")).text();
    window.gpt2Json = await (await fetch("./gpt2.json")).text();
  });
});

after(async () => {
  await browser?.close();
  await server?.close();
  rmSync(folder, { recursive: true, force: true });
});

test("every bad input throws an Error with an actionable message, and the instances survive", async () => {
  const results = await page.evaluate(async () => {
    const { errorCases } = await import("./error-cases.mjs");
    const { Tokenizer, Masker } = window.mlmask;
    const { tok, masker, cases } = errorCases({ Tokenizer, Masker, bertJson: window.bertJson, gpt2Json: window.gpt2Json });
    const outcomes = cases.map(([call, expected]) => {
      try {
        call();
        return { expected: String(expected), thrown: false };
      } catch (e) {
        return { expected: String(expected), thrown: true, isError: e instanceof Error, ok: expected.test(e.message), message: e.message };
      }
    });
    const stillWorks =
      [...tok.encode("hello").ids].join(",") === "101,7592,102" &&
      masker.collate(["still works"]).batchSize === 1 &&
      masker.mask(tok.encode("hello")).inputIds.length === 3;
    // free() throws if an error left either object borrowed.
    masker.free();
    tok.free();
    return { outcomes, stillWorks };
  });
  assert.ok(results.outcomes.length >= 25, `${results.outcomes.length} cases`);
  for (const o of results.outcomes) {
    assert.ok(o.thrown && o.isError && o.ok, `${o.expected}: ${o.message ?? "no error thrown"}`);
  }
  assert.ok(results.stillWorks, "the same instances work after every error");
});

test("use after free() throws a JS Error, not a wasm trap", async () => {
  const message = await page.evaluate(() => {
    const tok = window.mlmask.Tokenizer.fromJSON(window.bertJson);
    tok.free();
    try {
      tok.encode("x");
      return "no error";
    } catch (e) {
      return `${e instanceof Error}:${e.constructor.name}:${e.message}`;
    }
  });
  assert.match(message, /^true:Error:/);
  assert.doesNotMatch(message, /unreachable|RuntimeError/);
});

test("100,000 encode + mask calls keep the wasm memory bounded, with and without free()", async () => {
  const report = await page.evaluate(async () => {
    const { Tokenizer, Masker } = window.mlmask;
    const memory = () => window.wasm.memory.buffer.byteLength;
    const collect = async () => {
      // Garbage-collect, then let the FinalizationRegistry callbacks (weak refs) free the objects.
      for (let i = 0; i < 3; i++) {
        window.gc();
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    const tok = Tokenizer.fromJSON(window.bertJson);
    const masker = new Masker(tok, { seed: 1 });
    const texts = ["Masking happens at batch time.", "Hello world 😀 naïve café", "東京は晴れ。"];
    // Warm up so the allocator has its working set.
    for (let i = 0; i < 1000; i++) masker.mask(tok.encode(texts[i % 3]));
    const before = memory();
    for (let i = 0; i < 100_000; i++) masker.mask(tok.encode(texts[i % 3]));
    const afterCalls = memory();
    // Objects created and freed explicitly...
    for (let i = 0; i < 10_000; i++) new Masker(tok, { seed: i }).free();
    const afterFree = memory();
    // ...and created and forgotten, left to the garbage collector: a second round of the same
    // work must fit in the memory the first one left.
    const rounds = [];
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 5_000; i++) new Masker(tok, { seed: i }).mask(tok.encode(texts[i % 3]));
      await collect();
      rounds.push(memory());
    }
    return { before, afterCalls, afterFree, rounds };
  });
  const mib = (b) => (b / 2 ** 20).toFixed(1);
  console.log(
    `wasm memory: ${mib(report.before)} MiB before, ${mib(report.afterCalls)} after 100k encode+mask, ` +
      `${mib(report.afterFree)} after 10k Masker+free(), ${report.rounds.map(mib).join(" / ")} after rounds of 5k forgotten Maskers`,
  );
  assert.equal(report.afterCalls, report.before, "100k calls grow nothing: every call frees what it allocates");
  assert.equal(report.afterFree, report.afterCalls, "freed maskers leave nothing behind");
  assert.equal(report.rounds[2], report.rounds[1], "forgotten maskers are reclaimed: later rounds reuse the memory");
});

test("a 10 MB text encodes and masks in one call", async () => {
  const result = await page.evaluate(() => {
    const { Tokenizer, Masker } = window.mlmask;
    const tok = Tokenizer.fromJSON(window.bertJson);
    const sentence = "In the beginning the masking happened at batch time, naïvely, 😀 東京. ";
    const text = sentence.repeat(Math.ceil(10_000_000 / sentence.length)).slice(0, 10_000_000);
    const enc = tok.encode(text, { truncation: false, padding: false });
    const out = new Masker(tok, { seed: 1 }).mask(enc);
    const last = enc.ids.length - 2;
    return {
      tokens: enc.ids.length,
      masked: out.outcome.reduce((n, o) => n + (o !== 0), 0),
      lastSlice: text.slice(enc.offsets[2 * last], enc.offsets[2 * last + 1]),
      memoryMiB: window.wasm.memory.buffer.byteLength / 2 ** 20,
    };
  });
  console.log(`10 MB: ${result.tokens} tokens, ${result.masked} selected, wasm memory ${result.memoryMiB.toFixed(0)} MiB`);
  assert.ok(result.tokens > 2_000_000);
  const rate = result.masked / result.tokens;
  assert.ok(rate > 0.13 && rate < 0.16, `selection rate ${rate}`);
  assert.ok(result.lastSlice.length > 0, "offsets still slice the text at the end");
});

test("the demo works under a strict Content-Security-Policy, with no violation", async () => {
  const site = await startSite({ headers: { "Content-Security-Policy": CSP } });
  try {
    const demo = await site.browser.newPage();
    const violations = [];
    demo.on("console", (m) => {
      if (/Content Security Policy|Refused to/.test(m.text())) violations.push(m.text());
    });
    const response = await demo.goto(site.url);
    assert.equal(response.headers()["content-security-policy"], CSP);
    await demo.fill("textarea", "Masking under a strict policy works.");
    await demo.waitForSelector("[data-outcome]");
    assert.ok((await demo.locator("[data-outcome]").count()) > 3);
    assert.deepEqual(violations, []);
  } finally {
    await site.close();
  }
});
