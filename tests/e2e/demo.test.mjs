// End-to-end tests of the demo: the built site in Debian's chromium (see helpers.mjs).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { andRun, chips, nextRun, openDemo, RESULTS, runs, settle, siteForTests, tensorRow, typeText } from "./helpers.mjs";

const site = siteForTests();

const T = { timeout: 90_000 };

async function setValue(page, selector, value) {
  const before = await runs(page);
  await page.fill(selector, String(value));
  await nextRun(page, before);
  await settle(page);
}

describe("the demo page", () => {
  it("masks typed text into chips and tensors", T, async () => {
    const { page, context, errors } = await openDemo(site);
    assert.equal(await page.locator("textarea").count(), 1);
    await typeText(page, "The cat sat on the mat.");
    // Type a few more characters one by one: the view follows live.
    const before = await runs(page);
    await page.locator("textarea").press("End");
    await page.locator("textarea").pressSequentially(" Dog", { delay: 20 });
    await nextRun(page, before);
    await settle(page);
    const c = await chips(page);
    // bert-base-uncased: [CLS] the cat sat on the mat . dog [SEP]
    assert.equal(c.length, 10);
    assert.deepEqual(c.map((x) => x.index), [...Array(10).keys()]);
    assert.ok(c.every((x) => ["unselected", "mask", "random", "kept"].includes(x.outcome)));
    assert.equal(c[0].kind, "kind-special");
    assert.equal(c[9].kind, "kind-special");
    const texts = await page.$$eval("#token-view [data-index] .chip-text", (els) => els.map((e) => e.textContent));
    assert.deepEqual(texts, ["[CLS]", "The", "cat", "sat", "on", "the", "mat", ".", "Dog", "[SEP]"]);
    const ids = await tensorRow(page, "input_ids");
    const att = await tensorRow(page, "attention_mask");
    const labels = await tensorRow(page, "labels");
    assert.equal(ids.length, 10);
    assert.deepEqual(att, Array(10).fill(1));
    assert.equal(ids[0], 101);
    assert.equal(ids[9], 102);
    // Labels: the original id where selected, -100 elsewhere; outcome agrees with input_ids.
    const original = await page.evaluate(() => Array.from(window.mlmaskDemo.result().ids));
    c.forEach((x, i) => {
      if (x.outcome === "unselected") {
        assert.equal(labels[i], -100);
        assert.equal(ids[i], original[i]);
      } else assert.equal(labels[i], original[i]);
      if (x.outcome === "mask") assert.equal(ids[i], 103);
      if (x.outcome === "kept") assert.equal(ids[i], original[i]);
    });
    assert.equal(await page.locator('td.ignored').first().textContent(), "-100");
    assert.match(await page.textContent("#tensor-explanation"), /the loss ignores -100/);
    assert.deepEqual(errors, []);
    await context.close();
  });

  it("selects nothing at probability 0 and every ordinary token at 1", T, async () => {
    const { page, context } = await openDemo(site);
    await typeText(page, "Masked language models learn by filling in the blanks, one token at a time.");
    await setValue(page, "#mlm-probability", 0);
    let c = await chips(page);
    assert.ok(c.length > 10);
    assert.ok(c.every((x) => x.outcome === "unselected"));
    assert.deepEqual(await tensorRow(page, "labels"), Array(c.length).fill(-100));
    assert.equal(await page.textContent('[data-stat="selected"] td'), "0");

    await setValue(page, "#mlm-probability", 1);
    c = await chips(page);
    for (const x of c) {
      if (x.kind === "kind-token") assert.notEqual(x.outcome, "unselected", `token ${x.index} not selected at p = 1`);
      else assert.equal(x.outcome, "unselected", `special token ${x.index} selected`);
    }
    // mask_replace_prob 1: every selected token becomes [MASK].
    await setValue(page, "#mask-replace-prob", 1);
    assert.equal(await page.inputValue("#random-replace-prob"), "0");
    c = await chips(page);
    assert.ok(c.filter((x) => x.kind === "kind-token").every((x) => x.outcome === "mask"));
    await context.close();
  });

  it("gives the same chips for the same seed, and new ones on re-roll", T, async () => {
    const { page, context } = await openDemo(site, { fragment: "p=0.5" });
    await typeText(page, "One two three four five six seven eight nine ten eleven twelve thirteen fourteen.");
    await setValue(page, "#seed", 1234);
    const first = await chips(page);
    await setValue(page, "#seed", 99);
    const other = await chips(page);
    await setValue(page, "#seed", 1234);
    assert.deepEqual(await chips(page), first);
    assert.notDeepEqual(other.map((x) => x.outcome), first.map((x) => x.outcome));
    const before = await runs(page);
    await page.click("#reroll");
    await nextRun(page, before);
    assert.notEqual(await page.inputValue("#seed"), "1234");
    await context.close();
  });

  it("teaches on the first screen: the default example shows a masked, a random and a kept token", T, async () => {
    const { page, context } = await openDemo(site);
    const outcomes = new Set((await chips(page)).map((c) => c.outcome));
    for (const outcome of ["mask", "random", "kept"]) assert.ok(outcomes.has(outcome), `no ${outcome} chip on the first screen: ${[...outcomes]}`);
    await context.close();
  });

  it("reaches the step-through from the first screen, and the skip link the tokens, without touching the settings in the address", T, async () => {
    const { page, context } = await openDemo(site, { fragment: "seed=7&p=0.3" });
    await page.waitForTimeout(400);
    const url = page.url();
    const settings = await page.evaluate(() => window.mlmaskDemo.settings());
    // The link sits in the tokens panel, on the first screen.
    assert.ok(await page.locator("#to-steps").isVisible());
    assert.ok((await page.locator("#to-steps").boundingBox()).y < 900, "the link is on the first screen");
    await page.click("#to-steps");
    await page.waitForFunction(() => document.activeElement?.id === "steps-section");
    const top = await page.evaluate(() => document.getElementById("steps-section").getBoundingClientRect().top);
    assert.ok(Math.abs(top) < 5, `the steps are scrolled to the top (at ${top})`);
    await page.keyboard.press("Tab");
    await page.focus("a.skip");
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => document.activeElement?.id === "token-view-section");
    await page.waitForTimeout(400);
    assert.equal(page.url(), url);
    assert.deepEqual(await page.evaluate(() => window.mlmaskDemo.settings()), settings);
    await context.close();
  });

  it("shows the same chips as a direct Masker call in the same page", T, async () => {
    const { page, context } = await openDemo(site, { fragment: "p=0.4&seed=2024&tok=roberta-base" });
    await typeText(page, "Grüß Gott 👋🏽 — 你好世界! <b>bold</b> and\ttabs\nnew line.");
    const direct = await page.evaluate(() => {
      const { mlmask, tokenizer, settings } = window.mlmaskDemo;
      const tok = tokenizer();
      const enc = tok.encode(settings().text, { addSpecialTokens: true, truncation: false, padding: false });
      // The demo's default stream is torch's, as the Python snippet's collator draws it.
      const m = new mlmask.Masker(tok, { mlmProbability: 0.4, maskReplaceProb: 0.8, randomReplaceProb: 0.1, seed: 2024, rng: "torch" });
      const r = m.mask(enc);
      m.free();
      const name = ["unselected", "mask", "random", "kept"];
      return { outcome: Array.from(r.outcome, (o) => name[o]), inputIds: Array.from(r.inputIds), labels: Array.from(r.labels), modelType: tok.modelType };
    });
    assert.equal(direct.modelType, "BPE");
    const c = await chips(page);
    assert.deepEqual(c.map((x) => x.outcome), direct.outcome);
    assert.deepEqual(await tensorRow(page, "input_ids"), direct.inputIds);
    assert.deepEqual(await tensorRow(page, "labels"), direct.labels);
    assert.ok(direct.outcome.some((o) => o !== "unselected"));
    await context.close();
  });

  it("toggles what the chips show: source text, token pieces, ids, and the decoded input_ids and labels, [UNK] marked in each", T, async () => {
    const wasm = [];
    const { page, context, errors } = await openDemo(site, {
      // Seed 2 masks some tokens but leaves the [UNK] in input_ids.
      fragment: "p=0.5&seed=2",
      beforeGoto: (p) => p.on("request", (r) => r.url().endsWith(".wasm") && wasm.push(r.url())),
    });
    // ☃ is not in BERT's vocabulary: one [UNK].
    await andRun(page, () => typeText(page, "Tokenization of ☃ works."));
    const labels = () => page.$$eval("#token-view .chip[data-index] .chip-text", (els) => els.map((e) => e.textContent));
    const unkChips = () => page.$$eval("#token-view .chip.unk", (els) => els.map((e) => Number(e.dataset.index)));
    const r = await page.evaluate(() => {
      const res = window.mlmaskDemo.result();
      const tok = window.mlmaskDemo.tokenizer();
      return { ids: [...res.ids], pieces: [...res.ids].map((id) => tok.idToToken(id)), unk: tok.tokenToId("[UNK]") };
    });
    const unkAt = r.ids.flatMap((id, i) => (id === r.unk ? [i] : []));
    assert.equal(unkAt.length, 1);
    // Source text (the default): each chip shows the text it covers, ☃ where the model reads [UNK].
    assert.deepEqual(await labels(), ["[CLS]", "Token", "ization", "of", "☃", "works", ".", "[SEP]"]);
    assert.deepEqual(await unkChips(), unkAt);
    await andRun(page, () => page.check('[data-view="pieces"]'));
    assert.deepEqual(await labels(), r.pieces);
    assert.deepEqual(r.pieces, ["[CLS]", "token", "##ization", "of", "[UNK]", "works", ".", "[SEP]"]);
    assert.deepEqual(await unkChips(), unkAt);
    await andRun(page, () => page.check('[data-view="ids"]'));
    assert.deepEqual(await labels(), r.ids.map(String));
    assert.deepEqual(await unkChips(), unkAt);
    // Decoded: lite cannot decode, so the page loads the full build once, then shows the rows.
    await page.check('[data-view="decoded"]');
    await page.waitForSelector('#decoded-view [data-decoded="input_ids"]', { timeout: 30_000 });
    await settle(page);
    const decoded = await page.evaluate(() => {
      const res = window.mlmaskDemo.result();
      const tok = window.mlmaskDemo.tokenizer();
      return tok.decode(Uint32Array.from(res.inputIds), false);
    });
    assert.equal(await page.textContent('#decoded-view [data-decoded="input_ids"]'), decoded);
    assert.match(decoded, /^\[CLS\] .*\[UNK\].* \[SEP\]$/);
    assert.equal(await page.textContent('#decoded-view [data-decoded="input_ids"] mark.unk'), "[UNK]");
    const labelText = await page.textContent('#decoded-view [data-decoded="labels"]');
    assert.equal(labelText.split(" ").length, r.ids.length, "one entry per position");
    assert.ok(labelText.includes("·") && labelText.split(" ").some((t) => t !== "·"));
    assert.equal(wasm.length, 2, `lite, then the full build for decode: ${wasm}`);
    await andRun(page, () => page.check('[data-view="text"]'));
    assert.equal(await page.isHidden("#decoded-view"), true);
    assert.deepEqual(errors, []);
    await context.close();
  });

  it("says when a text is longer than the model reads, and truncates it or splits it into group_texts blocks", T, async () => {
    const { page, context, errors } = await openDemo(site, { fragment: "p=0.2" });
    assert.equal(await page.isHidden("#length-notice"), true);
    // About 700 tokens for BERT (model_max_length 512).
    const long = "Masked language models predict the hidden words of a sentence from their context. ".repeat(45).trim();
    await andRun(page, () => typeText(page, long));
    const tokens = await page.evaluate(() => window.mlmaskDemo.result().seqLen);
    assert.ok(tokens > 512, `${tokens} tokens`);
    assert.match(await page.textContent("#length-notice-text"), new RegExp(`The text has ${tokens.toLocaleString("en")} tokens, more than the 512 that bert-base-uncased reads`));
    assert.match(await page.textContent("#length-notice-text"), /group_texts/);

    // Truncate: one row of 512, the notice gone.
    await andRun(page, () => page.click("#truncate-rows"));
    assert.equal(await page.evaluate(() => window.mlmaskDemo.settings().maxLength), 512);
    assert.equal(await page.evaluate(() => window.mlmaskDemo.result().seqLen), 512);
    assert.equal(await page.isHidden("#length-notice"), true);

    // Blocks: the stream ([CLS] text [SEP]) cut into blocks of 512, the remainder dropped.
    await andRun(page, () => setValue(page, "#max-length", ""));
    await andRun(page, () => page.click("#split-blocks"));
    const r = await page.evaluate(() => {
      const res = window.mlmaskDemo.result();
      const tok = window.mlmaskDemo.tokenizer();
      return { blocks: res.blocks, batchSize: res.batchSize, seqLen: res.seqLen, ids: [...res.ids], stream: [...tok.encode(window.mlmaskDemo.settings().text).ids] };
    });
    assert.deepEqual(r.blocks, { size: 512, tokens: tokens, dropped: tokens - 512 });
    assert.equal(r.batchSize, 1);
    assert.equal(r.seqLen, 512);
    assert.deepEqual(r.ids, r.stream.slice(0, 512), "the block is the stream's first 512 tokens");
    assert.match(await page.textContent("#length-notice-text"), new RegExp(`the last ${(tokens - 512).toLocaleString("en")} tokens, which do not fill a block, are dropped`));
    assert.match(page.url(), /blocks=512/);
    assert.ok((await page.$$("#token-view [data-outcome]")).length >= 500, "the block's chips are drawn");
    await andRun(page, () => page.click("#no-blocks"));
    assert.equal(await page.evaluate(() => window.mlmaskDemo.result().blocks), null);
    assert.deepEqual(errors, []);
    await context.close();
  });

  it("steps through any row of a batch", T, async () => {
    const { page, context } = await openDemo(site, { fragment: "p=0.5&seed=3" });
    await andRun(page, () => typeText(page, "first line here\nthe second line is longer than the first\nthird"));
    await andRun(page, () => page.check("#batch-mode"));
    // Not shown for one text; one option per row in a batch.
    assert.equal(await page.isVisible("#step-row"), true);
    assert.deepEqual(await page.$$eval("#step-row option", (os) => os.map((o) => o.value)), ["0", "1", "2"]);
    for (let k = 1; k < 7; k++) await page.click("#step-next");
    await settle(page);
    const lastStepIds = () => page.$$eval("#step-table tr[data-step='7'] td", (tds) => tds.map((td) => Number(td.textContent)));
    for (const row of [1, 2, 0]) {
      await page.selectOption("#step-row", String(row));
      const seqLen = await page.evaluate(() => window.mlmaskDemo.result().seqLen);
      // The header cells carry the row's flat positions, and the last step's ids are that row's input_ids.
      const first = await page.$eval("#step-table th.tok", (th) => Number(th.dataset.index));
      assert.equal(first, row * seqLen);
      assert.deepEqual(await lastStepIds(), await tensorRow(page, "input_ids", row));
      assert.match(await page.textContent("#step-note"), new RegExp(`Showing row ${row} of the batch's 3`));
    }
    await andRun(page, () => page.uncheck("#batch-mode"));
    assert.equal(await page.isVisible("#step-row"), false);
    await context.close();
  });

  it("round-trips its state through the URL, and resets", T, async () => {
    const { page, context } = await openDemo(site);
    await page.selectOption("#tokenizer-select", "roberta-base");
    await page.waitForFunction(() => window.mlmaskDemo.settings().tokenizer === "roberta-base");
    await typeText(page, "first line here\nsecond, longer line of the batch");
    await page.check("#batch-mode");
    await setValue(page, "#mlm-probability", 0.35);
    await setValue(page, "#random-replace-prob", 0.3);
    await setValue(page, "#seed", 77);
    await setValue(page, "#pad-to-multiple-of", 8);
    await setValue(page, "#max-length", 12);
    await page.uncheck("#add-special-tokens");
    await page.selectOption("#random-tokens", "nonSpecial");
    await page.check("#show-whitespace");
    await page.click("#step-next");
    await page.click("#step-next");
    await settle(page);
    await page.waitForTimeout(400); // the URL is written after a short pause
    const url = page.url();
    assert.match(url, /step=3/);
    const state = await page.evaluate(() => window.mlmaskDemo.settings());
    const shown = await chips(page);
    const tensors = await tensorRow(page, "input_ids", 1);

    const again = await openDemo(site, { fragment: url.split("#")[1] });
    await settle(again.page);
    assert.deepEqual(await again.page.evaluate(() => window.mlmaskDemo.settings()), state);
    assert.deepEqual(await chips(again.page), shown);
    assert.deepEqual(await tensorRow(again.page, "input_ids", 1), tensors);
    assert.equal(await again.page.textContent("#step-counter"), "Step 3 of 7");
    assert.equal(await again.page.inputValue("#seed"), "77");
    assert.equal(await again.page.isChecked("#batch-mode"), true);
    assert.equal(await again.page.inputValue("#tokenizer-select"), "roberta-base");

    await again.page.click("#reset");
    await again.page.waitForFunction(() => location.hash === "" && window.mlmaskDemo.settings().tokenizer === "bert-base-uncased");
    await settle(again.page);
    assert.equal(await again.page.inputValue("#seed"), "40");
    assert.equal(await again.page.inputValue("#mlm-probability"), "0.15");
    await again.context.close();
    await context.close();
  });

  it("shows a padded batch with its attention mask", T, async () => {
    const { page, context } = await openDemo(site, { fragment: "batch=1&pad=8" });
    await typeText(page, "Short.\nA much longer line than the first one.\nMid length line.");
    const r = await page.evaluate(() => ({ b: window.mlmaskDemo.result().batchSize, l: window.mlmaskDemo.result().seqLen }));
    assert.equal(r.b, 3);
    assert.equal(r.l % 8, 0);
    const att0 = await tensorRow(page, "attention_mask", 0);
    assert.equal(att0.length, r.l);
    assert.deepEqual(att0.slice(0, 4), [1, 1, 1, 1]); // [CLS] short . [SEP]
    assert.ok(att0.slice(4).every((x) => x === 0));
    assert.equal(await page.locator('#token-view .token-row').count(), 3);
    assert.ok((await page.locator("#token-view .chip.kind-padding").count()) >= r.l - 4);
    const ids0 = await tensorRow(page, "input_ids", 0);
    assert.ok(ids0.slice(4).every((x) => x === 0)); // [PAD] = 0
    await context.close();
  });

  it("steps through the collator with next and previous, keeping the step in the URL", T, async () => {
    const { page, context } = await openDemo(site, { fragment: "p=0.5" });
    assert.equal(await page.textContent("#step-counter"), "Step 1 of 7");
    assert.equal(await page.isDisabled("#step-prev"), true);
    for (let n = 2; n <= 7; n++) {
      await page.click("#step-next");
      await page.waitForFunction((k) => document.querySelector("#step-counter").textContent === `Step ${k} of 7`, n);
      assert.equal(await page.locator("#step-table tr[data-step]").count(), n);
    }
    assert.equal(await page.isDisabled("#step-next"), true);
    assert.match(await page.textContent("#step-sentence"), /input_ids/);
    await page.waitForFunction(() => location.hash.includes("step=7"));
    await page.click("#step-prev");
    await page.waitForFunction(() => location.hash.includes("step=6"));
    assert.match(await page.textContent("#step-code"), /torch\.randint\(len\(self\.tokenizer\)/);
    // Step 3 row: 1 exactly where a chip is selected.
    await page.click(`#step-list [data-step="3"]`);
    const sel = await page.$$eval('#step-table tr[data-step="3"] td', (tds) => tds.map((t) => t.textContent));
    const c = await chips(page);
    assert.deepEqual(sel, c.map((x) => (x.outcome === "unselected" ? "0" : "1")));
    assert.match(await page.textContent("#step-note"), /not the individual coin flips/);
    await context.close();
  });

  it("links hover and focus across chip, text span and tensor column, with a tooltip", T, async () => {
    const { page, context } = await openDemo(site);
    await typeText(page, "we like big dogs");
    await page.hover('#token-view [data-index="2"]');
    assert.equal(await page.isVisible("#tooltip"), true);
    const tip = await page.textContent("#tooltip");
    assert.match(tip, /Position 2/);
    assert.match(tip, /Original: "like" \(id \d+\)/);
    assert.match(tip, /Label: /);
    // The tensor column: its token cell and the three tensors.
    assert.equal(await page.locator('#tensor-view td.lit[data-index="2"]').count(), 4);
    for (const name of ["input_ids", "attention_mask", "labels"]) {
      assert.equal(await page.locator(`#tensor-view tr[data-tensor="${name}"] td.lit`).count(), 1);
    }
    assert.equal(await page.textContent("#text-backdrop mark"), "like");
    // Keyboard: one tab stop for the chips, arrows move, focus shows the tooltip.
    await page.focus('#token-view [data-index="0"]');
    await page.keyboard.press("ArrowRight");
    assert.equal(await page.evaluate(() => document.activeElement.dataset.index), "1");
    assert.match(await page.textContent("#tooltip"), /Position 1/);
    await page.screenshot({ path: `${RESULTS}/demo-tooltip.png` });
    await context.close();
  });

  it("makes whitespace visible on request", T, async () => {
    const { page, context } = await openDemo(site, { fragment: "tok=roberta-base" });
    await typeText(page, "a\tb  c\nd");
    const plain = await page.textContent("#token-view");
    await page.check("#show-whitespace");
    await page.waitForFunction(() => document.querySelector("#token-view").textContent.includes("→"));
    const shown = await page.textContent("#token-view");
    assert.ok(!plain.includes("·"));
    assert.ok(shown.includes("·") && shown.includes("↵") && shown.includes("→"));
    await context.close();
  });

  it("shows statistics, the Python snippet and exports the batch", T, async () => {
    const { page, context } = await openDemo(site, { fragment: "seed=5&p=0.2" });
    await page.waitForSelector("#stats-plot svg rect.bar", { timeout: 30_000 });
    assert.match(await page.textContent("#stats-caption"), /over 1,000 seeds/);
    const py = await page.textContent("#python-snippet");
    assert.match(py.replace(/\s+/g, " "), /DataCollatorForLanguageModeling\( tokenizer, mlm_probability=0\.2, mask_replace_prob=0\.8, random_replace_prob=0\.1, seed=5, return_tensors="pt", \)/);
    const [download] = await Promise.all([page.waitForEvent("download"), page.click("#export-download")]);
    assert.equal(download.suggestedFilename(), "batch.json");
    const path = await download.path();
    const { readFileSync } = await import("node:fs");
    const data = JSON.parse(readFileSync(path, "utf8"));
    assert.deepEqual(data.input_ids[0], await tensorRow(page, "input_ids"));
    assert.deepEqual(data.labels[0], await tensorRow(page, "labels"));
    assert.equal(data.settings.seed, 5);
    // The version is the package's (Cargo.toml's), in the export and in the footer.
    const cargo = readFileSync(new URL("../../Cargo.toml", import.meta.url), "utf8");
    const version = /^version\s*=\s*"([^"]+)"/m.exec(cargo)[1];
    assert.equal(data.generator, `mlmask ${version} demo`);
    assert.equal(await page.textContent("#version"), version);
    await context.grantPermissions(["clipboard-read", "clipboard-write"]);
    await page.click("#export-copy");
    await page.waitForFunction(() => document.querySelector("#export-status").textContent.includes("copied"));
    assert.deepEqual(JSON.parse(await page.evaluate(() => navigator.clipboard.readText())).labels, data.labels);
    await context.close();
  });

  it("looks right on desktop and phone, light and dark (screenshots)", T, async () => {
    for (const [name, viewport] of [
      ["desktop", { width: 1366, height: 900 }],
      ["phone", { width: 390, height: 844 }],
    ]) {
      for (const colorScheme of ["light", "dark"]) {
        const { page, context, errors } = await openDemo(site, { viewport, colorScheme, fragment: "p=0.3&step=5" });
        await page.waitForSelector("#stats-plot svg", { timeout: 30_000 });
        await page.screenshot({ path: `${RESULTS}/demo-${name}-${colorScheme}.png`, fullPage: true });
        // Nothing sticks out sideways on a phone.
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        assert.ok(overflow <= 0, `${name} ${colorScheme}: page scrolls sideways by ${overflow}px`);
        assert.deepEqual(errors, []);
        await context.close();
      }
    }
  });

  it("labels every control", T, async () => {
    const { page, context } = await openDemo(site);
    const unlabelled = await page.evaluate(() =>
      Array.from(document.querySelectorAll("input, select, textarea, button"))
        .filter((e) => !(e.labels?.length || e.getAttribute("aria-label") || (e.tagName === "BUTTON" && e.textContent.trim())))
        .map((e) => e.id || e.outerHTML.slice(0, 60)),
    );
    assert.deepEqual(unlabelled, []);
    await context.close();
  });
});
