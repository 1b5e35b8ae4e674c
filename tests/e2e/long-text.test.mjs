// End-to-end tests of long texts in the token view (issue 14): the chips are drawn over several
// frames (CHIPS_AT_ONCE, then CHIPS_PER_FRAME each), all of them in the end, with the compare marks
// on those drawn late too, and the scrolled-to place kept while they fill in. How long a frame
// takes is measured by bench/demo.mjs, never asserted here.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { andRun, chips, nextRun, openDemo, RESULTS, runs, settle, siteForTests, T } from "./helpers.mjs";

const site = siteForTests();

const OUTCOMES = ["unselected", "mask", "random", "kept"];

/** `n` words of ordinary English, the same each time. */
function words(n) {
  const vocabulary = ["masked", "language", "models", "learn", "by", "filling", "in", "the", "blanks", "of", "a", "sentence", "during", "pretraining."];
  return Array.from({ length: n }, (_, i) => vocabulary[(i * 7 + (i >> 3)) % vocabulary.length]).join(" ");
}

/**
 * Set the text, and record the number of chips in the token view at every animation frame until
 * the run is rendered: [first frame's count, …, last].
 */
async function typeAndWatchFrames(page, text) {
  const before = await runs(page);
  await page.evaluate((t) => {
    window.__frames = [];
    const start = Number(document.documentElement.dataset.runs ?? 0);
    const look = () => {
      window.__frames.push(document.querySelectorAll("#token-view .chip[data-index]").length);
      if (Number(document.documentElement.dataset.runs ?? 0) === start) requestAnimationFrame(look);
    };
    requestAnimationFrame(look);
    const area = document.querySelector("textarea");
    area.value = t;
    area.dispatchEvent(new Event("input", { bubbles: true }));
  }, text);
  await nextRun(page, before);
  await settle(page);
  return page.evaluate(() => window.__frames);
}

describe("long texts", () => {
  it("draws the chips over several frames, every one in the end, as the result has them", T, async () => {
    const { page, context, errors } = await openDemo(site);
    const frames = await typeAndWatchFrames(page, words(5000));
    const r = await page.evaluate(() => {
      const x = window.mlmaskDemo.result();
      return { seqLen: x.seqLen, shown: x.shownColumns, outcome: Array.from(x.outcome.subarray(0, x.shownColumns)) };
    });
    assert.ok(r.seqLen > 5000, `${r.seqLen} positions`);
    const drawn = await chips(page);
    assert.equal(drawn.length, r.shown, "every shown position has its chip");
    assert.deepEqual(
      drawn.map((c) => c.index),
      r.outcome.map((_, i) => i),
    );
    assert.deepEqual(
      drawn.map((c) => c.outcome),
      r.outcome.map((o) => OUTCOMES[o]),
    );
    // Drawn in steps: some frame showed part of the new chips (no frame drew them all at once).
    const partial = frames.filter((n) => n > 0 && n < r.shown);
    assert.ok(partial.length >= 2, `chips per frame: ${frames.join(" ")}`);
    assert.ok(
      frames.every((n, k) => k === 0 || n >= frames[k - 1] || n <= 400),
      `the count only grows once the first share is drawn: ${frames.join(" ")}`,
    );
    assert.match(await page.textContent("#token-note"), new RegExp(`Showing ${r.shown.toLocaleString("en")} of ${r.seqLen.toLocaleString("en")} positions`));
    // Every other view describes this run once it is counted as rendered.
    const tensorIds = await page.$$eval('#tensor-view tr[data-tensor="input_ids"] td', (tds) => tds.slice(0, 16).map((td) => Number(td.textContent)));
    const ids = await page.evaluate(() => Array.from(window.mlmaskDemo.result().inputIds.subarray(0, 16)));
    assert.deepEqual(tensorIds, ids);
    assert.deepEqual(errors, []);
    await context.close();
  });

  it("keeps the place scrolled to in the token view while a new result fills in", T, async () => {
    const { page, context, errors } = await openDemo(site);
    await typeAndWatchFrames(page, words(3000));
    const bottom = await page.$eval("#token-view", (v) => {
      v.scrollTop = v.scrollHeight;
      return v.scrollTop;
    });
    assert.ok(bottom > 1000, `scrolled to ${bottom}`);
    // A new seed: the same text, a new result, drawn over several frames again.
    await andRun(page, () => page.fill("#seed", "7"));
    const after = await page.$eval("#token-view", (v) => v.scrollTop);
    assert.ok(Math.abs(after - bottom) < 50, `scrolled to ${bottom}, then ${after}`);
    const last = await page.$eval("#token-view", (v) => {
      const box = v.getBoundingClientRect();
      const inView = [...v.querySelectorAll(".chip[data-index]")].filter((c) => {
        const b = c.getBoundingClientRect();
        return b.bottom > box.top && b.top < box.bottom;
      });
      return inView.length;
    });
    assert.ok(last > 20, `${last} chips in view at the scrolled-to place`);
    await page.screenshot({ path: `${RESULTS}/long-text-scrolled.png` });
    assert.deepEqual(errors, []);
    await context.close();
  });

  it("marks the differing positions on chips drawn in later frames too", T, async () => {
    const { page, context, errors } = await openDemo(site, { fragment: "p=0.4&seed=11" });
    // Under the compare view's 4,000 characters, and more chips than the first frame draws.
    await typeAndWatchFrames(page, words(620));
    await page.selectOption("#compare-rng", "numpy");
    await andRun(page, () => page.check("#compare-on"));
    const marked = (id) => page.$$eval(`#${id} .chip[data-index]`, (els) => els.filter((e) => e.classList.contains("differs")).map((e) => Number(e.dataset.index)));
    const expected = await page.evaluate(() => {
      const { mlmask, tokenizer, settings, encodeOptions, maskerOptions } = window.mlmaskDemo;
      const s = settings();
      const batch = tokenizer().encodeBatch([s.text], encodeOptions(s));
      const run = (rng) => {
        const m = new mlmask.Masker(tokenizer(), { ...maskerOptions(s), rng });
        const out = m.mask(batch);
        m.free();
        return { outcome: Array.from(out.outcome), inputIds: Array.from(out.inputIds) };
      };
      const torch = run("torch");
      const numpy = run("numpy");
      // A position differs in its outcome, or in the id it holds (two random draws).
      const differ = torch.outcome.flatMap((o, i) => (o !== numpy.outcome[i] || torch.inputIds[i] !== numpy.inputIds[i] ? [i] : []));
      return { n: torch.outcome.length, differ };
    });
    assert.ok(expected.n > 700, `${expected.n} positions`);
    assert.ok(expected.differ.some((i) => i > 700), "differences beyond the first frame's chips");
    assert.equal((await chips(page)).length, expected.n);
    assert.deepEqual(await marked("token-view"), expected.differ);
    assert.deepEqual(await marked("compare-view"), expected.differ);
    assert.deepEqual(errors, []);
    await context.close();
  });
});
