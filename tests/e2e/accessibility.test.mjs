// Accessibility (issue 14): axe-core, the engine behind Lighthouse's and Chrome's accessibility
// audits, on the demo's main views in both colour schemes. No serious or critical violation.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { andRun, openDemo, settle, siteForTests, T, typeText } from "./helpers.mjs";

const site = siteForTests();
const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/** axe's serious and critical violations on the page as it is, one line each. */
async function violations(page) {
  // evaluate() runs outside the page's Content-Security-Policy, which forbids inline scripts.
  if (!(await page.evaluate(() => "axe" in window))) await page.evaluate(AXE);
  const found = await page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ["violations"] });
    return result.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.slice(0, 3).map((n) => `${n.target.join(" ")} (${n.failureSummary?.split("\n").slice(1).join(" ").trim()})`).join("; ")}`);
  });
  return found;
}

/** The views a reader goes through: the first screen, a batch with tensors and statistics, a span strategy, a seq2seq strategy. */
const VIEWS = [
  // With the statistics' histogram and heatmap drawn (they follow the run, after the re-rolls).
  ["the first screen", async (page) => page.waitForSelector("#heatmap .heat", { timeout: 30_000 })],
  [
    "batch mode",
    async (page) => {
      await andRun(page, () => typeText(page, "first line of the batch\nsecond line, a little longer\nthird"));
      await andRun(page, () => page.check("#batch-mode"));
    },
  ],
  ["whole-word spans", async (page) => andRun(page, () => page.selectOption("#strategy", "wholeWord"))],
  ["BART infilling, side by side", async (page) => andRun(page, () => page.selectOption("#strategy", "bartInfilling"))],
];

describe("accessibility (axe-core)", () => {
  for (const colorScheme of ["light", "dark"]) {
    it(`no serious or critical violation on the main views, ${colorScheme}`, T, async () => {
      const { page, context } = await openDemo(site, { colorScheme });
      const all = [];
      for (const [view, open] of VIEWS) {
        await open(page);
        await settle(page);
        for (const v of await violations(page)) all.push(`${view}: ${v}`);
      }
      assert.deepEqual(all, []);
      await context.close();
    });
  }

  for (const colorScheme of ["light", "dark"]) {
    it(`keeps the outcome colours for outcomes: links, focus, errors, Reset and span bands use others, ${colorScheme}`, T, async () => {
      const { page, context } = await openDemo(site, { colorScheme, fragment: "strategy=span&p=0.5" });
      await settle(page);
      const found = await page.evaluate(() => {
        const css = (el, prop) => getComputedStyle(el).getPropertyValue(prop).trim();
        const probe = (cls) => {
          const el = document.createElement("span");
          el.className = cls;
          document.body.append(el);
          return el;
        };
        const outcome = ["mask", "random", "kept"].map((o) => css(probe(`chip outcome-${o}`), "border-top-color"));
        const error = probe("error");
        const band = (k) => css(probe(`chip grp band-${k}`), "--band");
        const others = {
          link: css(document.querySelector("a[href]"), "color"),
          // The focus ring's colour (:focus-visible's outline), resolved to rgb() like the others.
          focus: (() => {
            const el = probe("x");
            el.style.color = css(document.documentElement, "--focus");
            return getComputedStyle(el).color;
          })(),
          error: css(error, "border-top-color"),
          reset: css(document.getElementById("reset"), "border-top-color"),
          bands: [0, 1, 2, 3, 4, 5].map((k) => {
            const el = probe("x");
            el.style.color = band(k);
            return getComputedStyle(el).color;
          }),
        };
        return { outcome, others };
      });
      assert.equal(new Set(found.outcome).size, 3, `three outcome colours: ${found.outcome}`);
      const { bands, ...single } = found.others;
      for (const [what, colour] of [...Object.entries(single), ...bands.map((b, k) => [`band ${k}`, b])]) {
        assert.ok(!found.outcome.includes(colour), `${what} uses an outcome colour (${colour})`);
      }
      await context.close();
    });
  }
});
