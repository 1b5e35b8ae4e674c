// End-to-end tests of the corruption schemes beyond MLM and the layouts around them (issue 13):
// UL2 with its denoiser per row, FIM's three parts in both layouts, lexicon spans, the views
// strip and packed rows with their text boundaries.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { andRun, openDemo, RESULTS, settle, siteForTests, T, typeText } from "./helpers.mjs";
import { tokenizerJson } from "../js/helpers.mjs";

const site = siteForTests();

describe("corruption beyond MLM", () => {
  it("UL2: each row names its denoiser, its mode token leads the encoder input", T, async () => {
    const { page, context, errors } = await openDemo(site);
    await andRun(page, () =>
      page.setInputFiles("#tokenizer-file", { name: "t5-small.json", mimeType: "application/json", buffer: Buffer.from(tokenizerJson("t5-small")) }),
    );
    await andRun(page, () => page.click("#batch-mode"));
    await typeText(page, "The quick brown fox jumps over the lazy dog.\nMasked language models learn by filling in the blanks.\nUL2 mixes denoisers.");
    await andRun(page, () => page.selectOption("#strategy", "ul2"));
    assert.equal(await page.isVisible("#seq2seq-section"), true);
    const result = await page.evaluate(() => {
      const r = window.mlmaskDemo.result();
      return { names: r.ul2.names, denoiser: Array.from(r.ul2.denoiser), modeLengths: r.ul2.modeLengths };
    });
    const labels = await page.$$eval(".seq-row-label[data-denoiser]", (els) => els.map((e) => ({ d: Number(e.dataset.denoiser), text: e.textContent })));
    assert.equal(labels.length, 3);
    for (const [row, label] of labels.entries()) {
      assert.equal(label.d, result.denoiser[row]);
      assert.ok(label.text.includes(result.names[label.d]), label.text);
      const kinds = await page.$$eval(`.seq-pair[data-row="${row}"] [data-side="left"] .seq-cell`, (els) => els.map((e) => e.dataset.kind));
      const mode = result.modeLengths[label.d];
      assert.ok(mode > 0);
      assert.deepEqual(kinds.slice(0, mode), Array(mode).fill("mode"));
      const sentinels = kinds.filter((k) => k === "sentinel").length;
      if (result.names[label.d].startsWith("s")) assert.equal(sentinels, 0, "S rows have no sentinel");
      else assert.ok(sentinels > 0, "R and X rows have sentinels");
    }
    await page.screenshot({ path: `${RESULTS}/ul2-desktop.png`, fullPage: true });
    assert.deepEqual(errors, []);
    await context.close();
  });

  it("FIM: one click adds the FIM tokens; rows show prefix, middle and suffix in PSM and SPM", T, async () => {
    const { page, context, errors } = await openDemo(site, { fragment: "batch=1&text=def%20add(a%2C%20b)%3A%20return%20a%20%2B%20b%0Afor%20i%20in%20range(10)%3A%20print(i)%0Ax%20%3D%20%5Bn%20*%20n%20for%20n%20in%20xs%5D%0Awhile%20True%3A%20pass" });
    await andRun(page, () => page.selectOption("#strategy", "fim"));
    assert.equal(await page.isVisible("#strategy-problem"), true);
    assert.match(await page.textContent("#strategy-problem"), /<fim_prefix>.*has none of them/);
    await andRun(page, () => page.click("#add-fim-tokens"));
    await page.waitForFunction(() => window.mlmaskDemo.tokenizer().tokenToId("<fim_prefix>") !== undefined && window.mlmaskDemo.result()?.fim);
    await settle(page);
    assert.equal(await page.isVisible("#strategy-problem"), false);
    assert.equal(await page.isVisible("#add-fim-tokens"), false);
    await andRun(page, () => page.fill("#param-fimRate", "1"));
    const layouts = new Set();
    for (const seed of [1, 2, 3, 4]) {
      await andRun(page, () => page.fill("#seed", String(seed)));
      const rows = await page.$$eval(".fim-row", (els) =>
        els.map((e) => ({ layout: e.dataset.layout, parts: [...e.querySelectorAll(".seq-cell")].map((c) => c.dataset.part) })),
      );
      assert.equal(rows.length, 4);
      for (const row of rows) {
        layouts.add(row.layout);
        assert.ok(["PSM", "SPM"].includes(row.layout));
        assert.equal(row.parts.filter((p) => p === "fim").length, 3, "the three FIM tokens");
        // The order of the parts is the layout's.
        const order = row.parts.filter((p, i) => p !== "other" && p !== row.parts[i - 1]);
        const expected = row.layout === "PSM" ? ["fim", "prefix", "fim", "suffix", "fim", "middle"] : ["fim", "suffix", "fim", "middle"];
        assert.deepEqual(order.filter((p) => expected.includes(p)).join(), order.join(), JSON.stringify(order));
      }
    }
    assert.deepEqual([...layouts].sort(), ["PSM", "SPM"]);
    await page.screenshot({ path: `${RESULTS}/fim-desktop.png`, fullPage: true });
    assert.deepEqual(errors, []);
    await context.close();
  });

  it("lexicon spans: the demo lexicon's collocations are masked as one unit", T, async () => {
    const { page, context, errors } = await openDemo(site, { fragment: "p=0.4" });
    await typeText(page, "New York is big. Machine learning in order to learn, as well as new york and machine learning again.");
    await andRun(page, () => page.selectOption("#strategy", "lexiconSpans"));
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      await andRun(page, () => page.fill("#seed", String(seed)));
      const pairs = await page.evaluate(() => {
        const r = window.mlmaskDemo.result();
        const tok = window.mlmaskDemo.tokenizer();
        const out = [];
        for (const entry of ["new york", "machine learning"]) {
          const ids = Array.from(tok.encode(entry, { addSpecialTokens: false }).ids);
          for (let i = 0; i + ids.length <= r.seqLen; i++) {
            if (ids.every((id, k) => r.ids[i + k] === id)) out.push(ids.map((_, k) => r.outcome[i + k] !== 0));
          }
        }
        return out;
      });
      assert.equal(pairs.length, 4);
      for (const selected of pairs) assert.equal(new Set(selected).size, 1, `seed ${seed}: ${JSON.stringify(pairs)}`);
    }
    assert.deepEqual(errors, []);
    await context.close();
  });

  it("views: a strip of N masked copies of the same text, as a views Masker gives them", T, async () => {
    const { page, context, errors } = await openDemo(site, { fragment: "p=0.3" });
    assert.equal(await page.isVisible("#views-section"), false);
    await andRun(page, () => page.fill("#views", "5"));
    assert.equal(await page.isVisible("#views-section"), true);
    const rowsOf = (strip) =>
      page.$$eval(`#views-view [data-strip="${strip}"] .view-copy`, (rows) => rows.map((r) => [...r.querySelectorAll(".chip")].map((c) => c.dataset.outcome)));
    const strip = await rowsOf("dynamic");
    assert.equal(strip.length, 5);
    assert.ok(new Set(strip.map((r) => r.join())).size > 1, "the copies differ");
    const expected = await page.evaluate(() => {
      const { mlmask, tokenizer, settings, encodeOptions, maskerOptions } = window.mlmaskDemo;
      const s = settings();
      const tok = tokenizer();
      const batch = tok.encodeBatch([s.text], encodeOptions(s));
      const masker = new mlmask.Masker(tok, { ...maskerOptions(s), views: 5 });
      const out = masker.mask(batch);
      masker.free();
      const names = ["unselected", "mask", "random", "kept"];
      return Array.from({ length: 5 }, (_, k) => Array.from(out.outcome.subarray(k * out.seqLen, (k + 1) * out.seqLen)).map((o) => names[o]));
    });
    assert.deepEqual(strip, expected);
    // Beside it, BERT's static masking: dupe_factor = 2 copies (the first two calls), epoch e
    // showing copy e mod 2.
    const fixed = await rowsOf("static");
    assert.equal(await page.getAttribute('#views-view [data-strip="static"]', "data-dupe-factor"), "2");
    assert.deepEqual(fixed, [0, 1, 0, 1, 0].map((k) => expected[k]));
    assert.match(await page.evaluate(() => location.hash), /views=5/);
    await page.screenshot({ path: `${RESULTS}/views-desktop.png`, fullPage: true });
    assert.deepEqual(errors, []);
    await context.close();
  });

  it("packing: texts one after another in rows, their boundaries marked, padding only at the end", T, async () => {
    const { page, context, errors } = await openDemo(site);
    await andRun(page, () => page.click("#batch-mode"));
    await typeText(page, "Short line.\nA somewhat longer second line of the batch.\nThird!\nAnd a fourth one.");
    assert.equal(await page.isDisabled("#packing"), false);
    await andRun(page, () => page.fill("#packing", "24"));
    assert.equal(await page.isVisible("#packed-section"), true);
    const rows = await page.$$eval("#packed-view .packed-row", (els) =>
      els.map((e) => ({
        texts: [...e.querySelectorAll(".packed-text")].map((t) => ({ text: Number(t.dataset.text), positions: [...t.querySelectorAll(".chip")].map((c) => Number(c.dataset.position)) })),
        padding: Number(e.querySelector(".packed-pad")?.dataset.padding ?? 0),
      })),
    );
    assert.deepEqual(rows.flatMap((r) => r.texts.map((t) => t.text)), [0, 1, 2, 3], "every text once, in order");
    const lengths = await page.evaluate(() => {
      const r = window.mlmaskDemo.result();
      return Array.from({ length: r.batchSize }, (_, row) => r.attentionMask.subarray(row * r.seqLen, (row + 1) * r.seqLen).reduce((a, b) => a + b, 0));
    });
    for (const row of rows) {
      for (const t of row.texts) assert.deepEqual(t.positions, [...Array(lengths[t.text]).keys()], "position ids restart per text");
      assert.ok(row.texts.reduce((n, t) => n + t.positions.length, 0) + row.padding <= 24);
    }
    assert.ok(rows.length < 4, "several texts share a row");
    // A row too short for a text: the reason, not a stale view.
    await andRun(page, () => page.fill("#packing", "4"));
    assert.match(await page.textContent("[data-packed-error]"), /more than packing `maxLength` 4/);
    assert.match(await page.evaluate(() => location.hash), /pack=4/);
    await page.screenshot({ path: `${RESULTS}/packing-desktop.png`, fullPage: true });
    assert.deepEqual(errors, []);
    await context.close();
  });
});
