// End-to-end tests of the demo's two builds (issue 12): the page starts on mlmask/lite, which
// serves every bundled tokenizer, downloads one WebAssembly module for it, and loads the full
// build only when a tokenizer or a text needs it; the masks are the same either way.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { andRun, openDemo, settle, siteForTests, T } from "./helpers.mjs";
import { tokenizerJson } from "../js/helpers.mjs";

const site = siteForTests();

/** The `input_ids` of the shown run, from the page's live objects. */
const shownIds = (page) => page.evaluate(() => [...window.mlmaskDemo.result().inputIds]);
const build = (page) => page.getAttribute("#version", "data-build");

describe("lite first, the full build on demand", () => {
  it("bundled tokenizers run on lite with one wasm download; a file lite cannot serve switches to the full build", T, async () => {
    const wasm = [];
    const { page, context, errors } = await openDemo(site, {
      beforeGoto: (p) => p.on("request", (r) => r.url().endsWith(".wasm") && wasm.push(r.url())),
    });
    assert.equal(await build(page), "lite");
    const liteIds = await shownIds(page);
    assert.equal(wasm.length, 1, `one module while on lite: ${wasm}`);

    // A WordLevel file: no fast path, so lite refuses it and the page loads the full build.
    const wordLevel = JSON.parse(tokenizerJson("bert-base-uncased"));
    wordLevel.model = { type: "WordLevel", vocab: wordLevel.model.vocab, unk_token: "[UNK]" };
    wordLevel.pre_tokenizer = { type: "Whitespace" };
    await andRun(page, () =>
      page.setInputFiles("#tokenizer-file", { name: "wordlevel.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify(wordLevel)) }),
    );
    await page.waitForFunction(() => window.mlmaskDemo.settings().tokenizer === "file:wordlevel.json");
    await settle(page);
    assert.equal(await build(page), "full");
    assert.equal(wasm.length, 2, `the full module was fetched once: ${wasm}`);
    assert.ok((await page.$$("#token-view [data-index]")).length > 3);

    // Back to bundled BERT, now made again in the full build: the same masks as on lite.
    await andRun(page, () => page.selectOption("#tokenizer-select", "bert-base-uncased"));
    await settle(page);
    assert.deepEqual(await shownIds(page), liteIds);
    assert.equal(wasm.length, 2);
    assert.deepEqual(errors, []);
    await context.close();
  });

  it("the first tokenizer downloads while the wasm compiles (Tokenizer.load with the page's module), once", T, async () => {
    const events = [];
    const { page, context, errors } = await openDemo(site, {
      beforeGoto: async (p) => {
        p.on("request", (r) => r.url().includes("/tokenizers/") && events.push(`request ${r.url().split("/").pop()}`));
        // Hold the wasm back: the tokenizer.json must be requested before it is answered.
        await p.route(/\.wasm$/, async (route) => {
          await new Promise((resolve) => setTimeout(resolve, 800));
          events.push("wasm answered");
          await route.continue();
        });
      },
    });
    assert.deepEqual(events, ["request bert-base-uncased.json", "wasm answered"]);
    assert.ok((await page.$$("#token-view [data-index]")).length > 3);
    assert.deepEqual(errors, []);
    await context.close();
  });
});
