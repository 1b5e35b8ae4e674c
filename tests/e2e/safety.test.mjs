// Bad input and safety: hostile and broken tokenizer files, hostile text, very large text, and
// the network rule (nothing off-origin, nothing at all after load unless the user asks).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { chips, nextRun, openDemo, RESULTS, runs, settle, siteForTests, T, typeText } from "./helpers.mjs";

const site = siteForTests();

const added = (id, content) => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true });

/** A tiny WordLevel tokenizer whose tokens are HTML that would run script if rendered as HTML. */
/** Drop a tokenizer.json file on the page, as a user dragging it from their desktop would. */
async function dropTokenizer(page, json) {
  await page.evaluate((content) => {
    const dt = new DataTransfer();
    dt.items.add(new File([content], "dropped.json", { type: "application/json" }));
    document.body.dispatchEvent(new DragEvent("dragenter", { dataTransfer: dt, bubbles: true }));
    document.body.dispatchEvent(new DragEvent("drop", { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, json);
  await page.waitForFunction(() => window.mlmaskDemo.settings().tokenizer === "file:dropped.json");
}

function hostileTokenizer() {
  const evil = [
    "<img/src=x/onerror=window.__pwned=1>",
    "<script>window.__pwned=2</script>",
    "<svg/onload=window.__pwned=3>",
    '"><iframe/src=javascript:window.__pwned=4>',
  ];
  const vocab = { "[MASK]": 0, "[PAD]": 1, "[UNK]": 2, hi: 3 };
  evil.forEach((t, i) => (vocab[t] = 4 + i));
  return {
    json: JSON.stringify({
      version: "1.0",
      truncation: null,
      padding: null,
      added_tokens: [added(0, "[MASK]"), added(1, "[PAD]"), added(8, "<img src=x onerror=window.__pwned=5>")],
      normalizer: null,
      pre_tokenizer: { type: "WhitespaceSplit" },
      post_processor: null,
      decoder: null,
      model: { type: "WordLevel", vocab: { ...vocab, "<img src=x onerror=window.__pwned=5>": 8 }, unk_token: "[UNK]" },
    }),
    text: `hi ${evil.join(" ")} <script>window.__pwned=6</script> <img src=x onerror="window.__pwned=7">`,
  };
}

function noMaskTokenizer() {
  return JSON.stringify({
    version: "1.0",
    truncation: null,
    padding: null,
    added_tokens: [added(0, "[PAD]")],
    normalizer: null,
    pre_tokenizer: { type: "WhitespaceSplit" },
    post_processor: null,
    decoder: null,
    model: { type: "WordLevel", vocab: { "[PAD]": 0, "[UNK]": 1, a: 2 }, unk_token: "[UNK]" },
  });
}

async function upload(page, name, content) {
  await page.click("summary"); // open "Use your own tokenizer.json"
  await page.setInputFiles("#tokenizer-file", { name, mimeType: "application/json", buffer: Buffer.from(content) });
}

describe("bad input and safety", () => {
  it("renders a hostile tokenizer's tokens and hostile text as text, never running them", T, async () => {
    const { page, context, errors } = await openDemo(site, { fragment: "p=1&mask=0&random=1&seed=3" });
    await page.evaluate(() => (window.__pwned = undefined));
    const { json, text } = hostileTokenizer();
    const before = await runs(page);
    await upload(page, "hostile.json", json);
    await page.waitForFunction(() => window.mlmaskDemo.settings().tokenizer === "file:hostile.json");
    await nextRun(page, before);
    await typeText(page, text);
    await page.waitForTimeout(500); // give any injected handler time to fire
    assert.equal(await page.evaluate(() => window.__pwned), undefined, "a script from the tokenizer or text ran");
    assert.equal(await page.locator("main img, main script, main svg:not(.hist), main iframe").count(), 0);
    const chipTexts = await page.$$eval("#token-view [data-index] .chip-text", (els) => els.map((e) => e.textContent));
    assert.ok(chipTexts.includes("<img/src=x/onerror=window.__pwned=1>"));
    assert.ok(chipTexts.includes("<script>window.__pwned=2</script>"));
    // Random replacements draw the hostile tokens into the chips' badges and the tensors, as text too.
    const badges = await page.$$eval("#token-view .chip-new", (els) => els.map((e) => e.textContent).join(" "));
    assert.match(badges, /</);
    assert.equal(await page.textContent('[data-info="family"]'), "WordLevel");
    await page.hover('#token-view [data-index="1"]');
    assert.match(await page.textContent("#tooltip"), /<img\/src=x\/onerror/);
    assert.equal(await page.evaluate(() => window.__pwned), undefined);
    await page.screenshot({ path: `${RESULTS}/safety-hostile.png`, fullPage: true });
    assert.deepEqual(errors, []);
    await context.close();
  });

  it("keeps the old tokenizer and says what is wrong when an upload is broken", T, async () => {
    const { page, context } = await openDemo(site, { fragment: "tok=roberta-base" });
    await typeText(page, "still masked with roberta");
    const beforeChips = await chips(page);
    await upload(page, "broken.json", '{"version": "1.0", "model": ');
    await page.waitForSelector("#tokenizer-error:not([hidden])");
    const msg = await page.textContent("#tokenizer-error");
    assert.match(msg, /Could not use broken\.json: could not load tokenizer\.json/);
    assert.match(msg, /roberta-base\) stays loaded/);
    assert.equal(await page.evaluate(() => window.mlmaskDemo.settings().tokenizer), "roberta-base");
    assert.equal(await page.textContent('[data-info="family"]'), "BPE");
    assert.equal(await page.inputValue("#tokenizer-select"), "roberta-base");
    assert.deepEqual(await chips(page), beforeChips);

    // A valid file without a mask token loads and shows its tokens, unmasked; the strategy's
    // problem says why nothing is masked and offers to add <mask>, as add_special_tokens does.
    await page.setInputFiles("#tokenizer-file", { name: "nomask.json", mimeType: "application/json", buffer: Buffer.from(noMaskTokenizer()) });
    await page.waitForFunction(() => window.mlmaskDemo.settings().tokenizer === "file:nomask.json");
    await settle(page);
    assert.equal(await page.isHidden("#tokenizer-error"), true);
    assert.match(await page.textContent("#strategy-problem"), /replaces tokens with the mask token, and nomask\.json has none\. Add <mask> as a new special token/);
    const unmasked = await chips(page);
    assert.ok(unmasked.length > 0, "its tokens are shown");
    assert.ok(unmasked.every((c) => c.outcome === "unselected"));
    assert.equal(await page.isVisible("#add-mask-token"), true);
    const added = await runs(page);
    await page.click("#add-mask-token");
    await nextRun(page, added);
    await page.waitForFunction(() => window.mlmaskDemo.tokenizer().maskTokenId !== undefined);
    await settle(page);
    assert.equal(await page.isHidden("#strategy-problem"), true);
    assert.equal(await page.isVisible("#add-mask-token"), false);
    const vocab = await page.evaluate(() => window.mlmaskDemo.tokenizer().vocabSize);
    assert.equal(await page.textContent('[data-info="mask"]'), `<mask> (id ${vocab - 1})`, "appended after the vocabulary");
    assert.match(await page.textContent("#python-snippet"), /tokenizer\.add_special_tokens\(\{"mask_token": "<mask>"\}\)/);
    assert.equal(await page.evaluate(() => window.mlmaskDemo.tokenizer().modelType), "WordLevel");

    // The page keeps working afterwards.
    const before = await runs(page);
    await page.fill("#seed", "8");
    await nextRun(page, before);
    // As the message says: the same file with a mask token named in the field is accepted.
    await page.fill("#mask-token-override", "a");
    await page.setInputFiles("#tokenizer-file", { name: "nomask.json", mimeType: "application/json", buffer: Buffer.from(noMaskTokenizer()) });
    await page.waitForFunction(() => window.mlmaskDemo.settings().tokenizer === "file:nomask.json");
    assert.equal(await page.textContent('[data-info="mask"]'), "a (id 2)");
    assert.equal(await page.isHidden("#tokenizer-error"), true);
    await page.screenshot({ path: `${RESULTS}/safety-broken.png` });
    await context.close();
  });

  it("loads a tokenizer dropped on the page", T, async () => {
    const { page, context } = await openDemo(site);
    await dropTokenizer(page, hostileTokenizer().json);
    assert.equal(await page.textContent('[data-info="mask"]'), "[MASK] (id 0)");
    assert.equal(await page.isHidden("#drop-overlay"), true);
    await context.close();
  });

  it("makes no off-origin request, fetches only the tokenizers it uses, and nothing else after load", T, async () => {
    const context = await site.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const requests = [];
    page.on("request", (r) => requests.push(r.url()));
    await page.goto(`${site.url}#p=0.3`);
    await page.waitForFunction(() => window.mlmaskDemo?.ready === true);
    await settle(page);
    const offOrigin = requests.filter((u) => !u.startsWith(site.origin) && !u.startsWith("data:") && !u.startsWith("blob:"));
    assert.deepEqual(offOrigin, []);
    assert.ok(requests.some((u) => u.endsWith(".wasm")));
    // Only the tokenizer it shows: roberta-base (1.3 MB) waits until someone picks it.
    const tokenizerFiles = requests.filter((u) => u.includes("/tokenizers/"));
    assert.deepEqual(tokenizerFiles, [`${site.url}tokenizers/bert-base-uncased.json`]);

    requests.length = 0;
    // Interact with everything: text, settings, tokenizers, batch mode, steps, a large text.
    await typeText(page, "Nothing here should reach the network.");
    await page.fill("#mlm-probability", "0.5");
    await page.selectOption("#tokenizer-select", "roberta-base");
    await page.waitForFunction(() => window.mlmaskDemo.settings().tokenizer === "roberta-base");
    await page.check("#batch-mode");
    await page.click("#step-next");
    await page.click("#reroll");
    await page.selectOption("#tokenizer-select", "bert-base-uncased");
    await typeText(page, "word ".repeat(12_000)); // 60 kB: goes through the worker
    await page.waitForFunction(() => window.mlmaskDemo.result().viaWorker === true, null, { timeout: 60_000 });
    await settle(page);
    await dropTokenizer(page, hostileTokenizer().json);
    await page.selectOption("#tokenizer-select", "bert-base-uncased");
    await settle(page);
    await page.waitForTimeout(500);
    // Picking roberta-base fetched it, once; switching back used the copy already loaded. No
    // icon request either: the icon is inline (Chromium re-requested a favicon file whenever the
    // page rewrote its address, i.e. on every keystroke).
    // The page started on mlmask/lite; a tokenizer lite cannot serve loads the full build's
    // module, once, and a worker for it.
    const fullBuild = (await page.getAttribute("#version", "data-build")) === "full";
    const isBuild = (u) => u.endsWith(".wasm") || /\/assets\/worker-[\w-]+\.js$/.test(u);
    const afterLoad = [...requests];
    assert.deepEqual(afterLoad.filter((u) => !isBuild(u)), [`${site.url}tokenizers/roberta-base.json`], "requests after load without a user-typed URL");
    assert.equal(afterLoad.filter((u) => u.endsWith(".wasm")).length, fullBuild ? 1 : 0, `${afterLoad}`);
    requests.length = 0;

    // The one allowed request: a tokenizer URL the user typed and asked for.
    await page.click("summary");
    const typed = `${site.url}tokenizers/roberta-base.json`;
    await page.fill("#tokenizer-url", typed);
    await page.click("#tokenizer-url-load");
    await page.waitForFunction((u) => window.mlmaskDemo.settings().tokenizer === `url:${u}`, typed);
    assert.deepEqual(requests, [typed]);
    await context.close();
  });

  it("stays responsive with 1 MB of text: worker, progress and a capped chip view", T, async () => {
    const { page, context, errors } = await openDemo(site);
    const words = ["masked", "language", "model", "token", "the", "of", "and", "data", "learns", "predicts", "Größe", "你好", "🎉"];
    const big = await page.evaluate((w) => {
      let s = "";
      let i = 0;
      while (s.length < 1_000_000) s += w[(i * 7 + (i >> 3)) % w.length] + (++i % 17 === 0 ? ".\n" : " ");
      return s;
    }, words);
    const before = await runs(page);
    // The worker can finish quickly, so record what the status showed while it ran rather than
    // racing to look at it.
    await page.evaluate(() => {
      window.__seen = { busy: false, progress: false };
      const look = () => {
        const status = document.querySelector("#status");
        const progress = document.querySelector("#status-progress");
        if (status?.classList.contains("busy")) window.__seen.busy = true;
        if (progress && progress.offsetParent !== null) window.__seen.progress = true;
      };
      new MutationObserver(look).observe(document.body, { subtree: true, attributes: true, childList: true });
    });
    await page.evaluate((text) => {
      const ta = document.querySelector("textarea");
      ta.value = text;
      ta.dispatchEvent(new Event("input", { bubbles: true }));
    }, big);
    // The work runs in the worker, so the page keeps answering while it does (no timing is
    // asserted here: speed belongs to the benchmark).
    assert.equal(await page.evaluate(() => 1 + 1), 2);
    await nextRun(page, before);
    assert.deepEqual(await page.evaluate(() => window.__seen), { busy: true, progress: true }, "busy status and progress shown");
    const r = await page.evaluate(() => {
      const x = window.mlmaskDemo.result();
      return { viaWorker: x.viaWorker, positions: x.batchSize * x.seqLen };
    });
    assert.equal(r.viaWorker, true);
    assert.ok(r.positions > 150_000);
    const n = (await chips(page)).length;
    assert.ok(n > 0 && n <= 2000, `${n} chips rendered`);
    // The note counts the chips drawn (one row: at most 1,024 of its positions).
    assert.match(await page.textContent("#token-note"), new RegExp(`Showing ${n.toLocaleString("en")} of ${r.positions.toLocaleString("en")} positions`));
    // Typing into the large text still works.
    await page.locator("textarea").press("End");
    await page.keyboard.type("!");
    assert.ok((await page.inputValue("textarea")).endsWith("!"));
    await page.screenshot({ path: `${RESULTS}/safety-1mb.png` });
    assert.deepEqual(errors, []);
    await context.close();
  });
});
