// The demo on a phone (issue 14), at 390×844 as the issue measured it: the result on the first
// screen, the settings reachable without scrolling past the output, a Re-roll button on one line
// and chart labels of at least 11 px. Screenshots go to test-results/.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { openDemo, RESULTS, settle, siteForTests, T } from "./helpers.mjs";

const site = siteForTests();
const PHONE = { width: 390, height: 844 };

/** Whether the element's box lies inside the viewport, above the sticky jump bar. */
function onScreen(page, selector) {
  return page.evaluate((sel) => {
    const box = document.querySelector(sel).getBoundingClientRect();
    const bar = document.querySelector(".jump-bar").getBoundingClientRect();
    return box.top >= 0 && box.bottom <= bar.top && box.height > 0;
  }, selector);
}

describe("on a phone", () => {
  for (const colorScheme of ["light", "dark"]) {
    it(`shows the result on the first screen and reaches the settings from a sticky bar, ${colorScheme}`, T, async () => {
      const { page, context } = await openDemo(site, { viewport: PHONE, colorScheme });
      await settle(page);
      await page.screenshot({ path: `${RESULTS}/phone-first-screen-${colorScheme}.png` });
      // Every chip of the default example is visible without scrolling.
      const chips = await page.$$eval("#token-view [data-outcome]", (els) => els.length);
      assert.ok(chips > 10);
      assert.ok(await onScreen(page, "#token-view [data-outcome]:first-child"), "the first chip is on the first screen");
      assert.ok(await onScreen(page, "#token-view .token-row:last-child, #token-view [data-outcome]:last-child"), "the last chip is on the first screen");
      // The bar takes the reader to the settings and back, without scrolling by hand.
      await page.click("#jump-settings");
      await page.waitForFunction(() => document.activeElement?.id === "settings");
      assert.ok(await onScreen(page, "#tokenizer-heading"), "the settings' first heading is in view");
      await page.click("#jump-tokens");
      await page.waitForFunction(() => document.activeElement?.id === "token-view-section");
      assert.ok(await onScreen(page, "#tokens-heading"));
      await context.close();
    });
  }

  it("keeps Re-roll on one line and the chart's labels at 11 px or more", T, async () => {
    const { page, context } = await openDemo(site, { viewport: PHONE });
    await page.waitForSelector("#stats-plot svg text.tick", { timeout: 30_000 });
    const lines = await page.$eval("#reroll", (b) => {
      const r = document.createRange();
      r.selectNodeContents(b);
      return new Set([...r.getClientRects()].map((x) => Math.round(x.top))).size;
    });
    assert.equal(lines, 1, "↻ Re-roll wraps");
    const sizes = await page.$$eval("#stats-plot svg text", (texts) =>
      texts.map((t) => t.getScreenCTM().a * parseFloat(getComputedStyle(t).fontSize)),
    );
    assert.ok(sizes.length > 3);
    for (const px of sizes) assert.ok(px >= 11, `a chart label is drawn at ${px.toFixed(1)} px`);
    await page.locator("#stats-section").screenshot({ path: `${RESULTS}/phone-statistics.png` });
    await context.close();
  });
});
