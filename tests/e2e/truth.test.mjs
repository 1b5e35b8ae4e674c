// End-to-end tests of the demo telling the truth about its state (issue 14, part 1): no view
// shows an earlier run when a strategy cannot run, the status line says what its numbers
// count, and a JSON file that is not a tokenizer.json is called that.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { andRun, openDemo, settle, siteForTests, T } from "./helpers.mjs";
import { tokenizerJson } from "../js/helpers.mjs";

const site = siteForTests();

const RUN_SECTIONS = ["#steps-section", "#tensors-section", "#stats-section"];

describe("truthful state", () => {
  it("a strategy that cannot run leaves no view showing the previous run", T, async () => {
    const { page, context, errors } = await openDemo(site);
    for (const s of RUN_SECTIONS) assert.equal(await page.locator(`${s} [data-unavailable]`).count(), 0);
    await andRun(page, () => page.selectOption("#strategy", "span"));
    await andRun(page, () => page.selectOption("#strategy", "t5SpanCorruption"));
    for (const s of RUN_SECTIONS) {
      const note = page.locator(`${s} [data-unavailable]`);
      assert.equal(await note.isVisible(), true, s);
      assert.match(await note.textContent(), /^Not available: nothing was masked\. T5 span corruption needs the sentinel tokens <extra_id_0>/);
    }
    // The old run's content is gone from sight: the stats table ("Span…" counts), tensors and steps.
    assert.equal(await page.isVisible("#stats-table"), false);
    assert.equal(await page.isVisible("#tensor-view"), false);
    assert.equal(await page.isVisible("#step-list"), false);
    assert.match(await page.textContent("#status-text"), /^Not masked: this strategy cannot run with this tokenizer/);
    // Back to a strategy that runs: the views return, with the new run.
    await andRun(page, () => page.selectOption("#strategy", "token"));
    for (const s of RUN_SECTIONS) assert.equal(await page.locator(`${s} [data-unavailable]`).count(), 0, s);
    assert.equal(await page.isVisible("#stats-table"), true);
    assert.deepEqual(errors, []);
    await context.close();
  });

  it("t5-small with the token strategy shows no step table of BERT's run", T, async () => {
    const { page, context } = await openDemo(site);
    assert.match(await page.textContent("#step-table"), /\[CLS\]/);
    await andRun(page, () =>
      page.setInputFiles("#tokenizer-file", { name: "t5-small.json", mimeType: "application/json", buffer: Buffer.from(tokenizerJson("t5-small")) }),
    );
    await page.waitForFunction(() => window.mlmaskDemo.settings().tokenizer === "file:t5-small.json");
    await settle(page);
    assert.equal(await page.locator("#steps-section [data-unavailable]").isVisible(), true);
    assert.equal(await page.isVisible("#step-table"), false);
    // Its tokens show, unmasked, and the fix is one click away.
    const tokens = await page.$$eval("#token-view [data-index]", (els) => els.map((e) => e.dataset.outcome));
    assert.ok(tokens.length > 5 && tokens.every((o) => o === "unselected"), JSON.stringify(tokens));
    assert.equal(await page.isVisible("#add-mask-token"), true);
    await context.close();
  });

  it("any tokenizer loads and shows its tokens; one click adds a mask token", T, async () => {
    const { page, context, errors } = await openDemo(site, { fragment: "p=0.5" });
    await andRun(page, () =>
      page.setInputFiles("#tokenizer-file", { name: "gpt2.json", mimeType: "application/json", buffer: Buffer.from(tokenizerJson("gpt2")) }),
    );
    await page.waitForFunction(() => window.mlmaskDemo.settings().tokenizer === "file:gpt2.json");
    await settle(page);
    assert.equal(await page.isHidden("#tokenizer-error"), true, "gpt2 is not refused");
    const before = await page.$$eval("#token-view [data-index]", (els) => els.map((e) => e.dataset.outcome));
    assert.ok(before.length > 5 && before.every((o) => o === "unselected"));
    await andRun(page, () => page.click("#add-mask-token"));
    await page.waitForFunction(() => window.mlmaskDemo.tokenizer().maskTokenId === 50257);
    await settle(page);
    const after = await page.$$eval("#token-view [data-index]", (els) => els.map((e) => e.dataset.outcome));
    assert.ok(after.some((o) => o !== "unselected"), "masked once it has a mask token");
    assert.match(await page.textContent("#python-snippet"), /tokenizer\.add_special_tokens\(\{"mask_token": "<mask>"\}\)/);
    assert.deepEqual(errors, []);
    await context.close();
  });

  it("the status line says what each number counts", T, async () => {
    const { page, context } = await openDemo(site, { fragment: "p=0.4&seed=3" });
    await settle(page);
    const status = await page.textContent("#status-text");
    const c = await page.evaluate(() => {
      const r = window.mlmaskDemo.result();
      const n = { positions: r.outcome.length, tokens: 0, selectable: 0, mask: 0, random: 0, kept: 0 };
      for (let i = 0; i < r.outcome.length; i++) {
        if (r.attentionMask[i]) n.tokens++;
        if (r.attentionMask[i] && !r.specialTokensMask[i]) n.selectable++;
        n.mask += r.outcome[i] === 1 ? 1 : 0;
        n.random += r.outcome[i] === 2 ? 1 : 0;
        n.kept += r.outcome[i] === 3 ? 1 : 0;
      }
      return n;
    });
    const selected = c.mask + c.random + c.kept;
    assert.ok(selected > 0);
    assert.ok(
      status.startsWith(
        `${c.positions} positions (${c.tokens} tokens, ${c.selectable} selectable); ${selected} selected: ${c.mask} → mask token, ${c.random} → random token, ${c.kept} kept.`,
      ),
      status,
    );
    await context.close();
  });

  it("a JSON file that is not a tokenizer.json is called that, with one full stop", T, async () => {
    const { page, context } = await openDemo(site);
    await page.setInputFiles("#tokenizer-file", { name: "config.json", mimeType: "application/json", buffer: Buffer.from('{"hello":"world"}') });
    await page.waitForSelector("#tokenizer-error:not([hidden])");
    const message = await page.textContent("#tokenizer-error");
    assert.match(message, /^Could not use config\.json: could not load tokenizer\.json: this JSON is not a tokenizer\.json: it has no `model`/);
    assert.doesNotMatch(message, /expected `,` or `}`/);
    assert.doesNotMatch(message, /\.\./);
    await context.close();
  });

  it("names a loaded tokenizer by its file name, its URL, or the model its URL names", T, async () => {
    const { page, context, errors } = await openDemo(site);
    const picked = () => page.$eval("#tokenizer-select", (s) => s.selectedOptions[0].textContent);
    await andRun(page, () =>
      page.setInputFiles("#tokenizer-file", { name: "t5-small.json", mimeType: "application/json", buffer: Buffer.from(tokenizerJson("t5-small")) }),
    );
    assert.equal(await picked(), "Your file: t5-small.json");
    // A URL in the Hub's file layout (served here by the test) names its model.
    const hubLayout = `${site.origin}/google-t5/t5-small/resolve/main/tokenizer.json`;
    await page.route(hubLayout, (route) => route.fulfill({ status: 200, contentType: "application/json", body: tokenizerJson("t5-small") }));
    await page.click(".own-tokenizer summary");
    await page.fill("#tokenizer-url", hubLayout);
    await andRun(page, () => page.click("#tokenizer-url-load"));
    await page.waitForFunction((u) => window.mlmaskDemo.settings().tokenizer === `url:${u}`, hubLayout);
    assert.equal(await picked(), "From URL: google-t5/t5-small (from 127.0.0.1:" + new URL(site.origin).port + ")");
    // Any other URL is named by its address.
    const plain = `${site.url}tokenizers/roberta-base.json`;
    await page.fill("#tokenizer-url", plain);
    await andRun(page, () => page.click("#tokenizer-url-load"));
    await page.waitForFunction((u) => window.mlmaskDemo.settings().tokenizer === `url:${u}`, plain);
    assert.equal(await picked(), `From URL: ${plain}`);
    assert.deepEqual(errors, []);
    await context.close();
  });

  it("a control that does not apply is disabled, with the reason beside it", T, async () => {
    const { page, context, errors } = await openDemo(site);
    const reason = (field) => page.locator(`${field} [data-disabled-reason]`);
    assert.equal(await page.isDisabled("#mask-replace-prob"), false);
    // Whole words with replacement "mask" (its default): the split sliders cannot change anything.
    await andRun(page, () => page.selectOption("#strategy", "wholeWord"));
    for (const id of ["#mask-replace-prob", "#mask-replace-prob-range", "#random-replace-prob", "#random-replace-prob-range", "#random-tokens"]) {
      assert.equal(await page.isDisabled(id), true, id);
    }
    assert.match(await reason("#split-field").textContent(), /every selected token becomes the mask token, so the split does not apply/);
    assert.doesNotMatch(await page.textContent("#split-summary"), /become the mask token/, "no percentages that do not happen");
    await andRun(page, () => page.selectOption("#param-replacement", "perWord"));
    assert.equal(await page.isDisabled("#mask-replace-prob"), false);
    assert.equal(await reason("#split-field").count(), 0);
    // A strategy with its own budget: mlm_probability is disabled, and says why.
    await andRun(page, () => page.selectOption("#strategy", "bartInfilling"));
    assert.equal(await page.isDisabled("#mlm-probability"), true);
    assert.match(await reason("#mlm-probability-field").textContent(), /covers mask_ratio of the words, so mlm_probability does not apply/);
    assert.equal(await page.isDisabled("#random-tokens"), false, "BART's random_ratio draws from randomTokens");
    // Packing, outside batch mode.
    assert.equal(await page.isDisabled("#packing"), true);
    assert.match(await page.locator("#packing").locator("xpath=..").locator("[data-disabled-reason]").textContent(), /turn on batch mode/);
    assert.deepEqual(errors, []);
    await context.close();
  });
});
