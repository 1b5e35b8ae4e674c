// Shared set-up of the demo's end-to-end tests: the built site (www/dist) served by vite's
// preview server on 127.0.0.1, under a sub-path, and Debian's chromium driven by playwright-core.

import { after, before } from "node:test";
import { createServer } from "node:net";
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { preview } from "vite";
import { launchChromium } from "../support/browser.mjs";


export const REPO = fileURLToPath(new URL("../../", import.meta.url));
export const WWW = `${REPO}www`;
export const RESULTS = `${REPO}test-results`;
/** The site is served under a sub-path, as on a project page of a static host. */
export const BASE = "/mlmask-demo/";

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/**
 * Serve www/dist (built beforehand by scripts/test-demo.sh) and start chromium. `headers` are
 * sent with every response (the hardening tests set a Content-Security-Policy).
 */
export async function startSite({ headers } = {}) {
  const port = await freePort();
  const server = await preview({
    root: WWW,
    configFile: `${WWW}/vite.config.ts`,
    base: BASE,
    logLevel: "silent",
    preview: { host: "127.0.0.1", port, strictPort: true, open: false, headers },
  });
  const origin = `http://127.0.0.1:${port}`;
  const browser = await launchChromium();
  mkdirSync(RESULTS, { recursive: true });
  return {
    origin,
    url: `${origin}${BASE}`,
    browser,
    async close() {
      await browser.close();
      await new Promise((resolve) => server.httpServer.close(resolve));
    },
  };
}

/**
 * The site for one test file: started before its tests and closed after them. The object is
 * filled in when the site is up, so tests read it as they would `startSite()`'s.
 */
export function siteForTests() {
  const site = {};
  before(async () => {
    Object.assign(site, await startSite());
  });
  after(async () => {
    await site.close?.();
  });
  return site;
}

/** The time one end-to-end test may take. */
export const T = { timeout: 120_000 };

/** A new page at the demo (optionally with a URL fragment), waiting for the first result. */
export async function openDemo(site, { fragment = "", viewport = { width: 1280, height: 900 }, colorScheme = "light", beforeGoto } = {}) {
  const context = await site.browser.newContext({ viewport, colorScheme });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  // For listeners that must see the page's first requests.
  await beforeGoto?.(page);
  await page.goto(`${site.url}${fragment ? `#${fragment}` : ""}`);
  await page.waitForFunction(() => window.mlmaskDemo?.ready === true, null, { timeout: 30_000 });
  return { page, context, errors };
}

/** Wait until the page has rendered a result newer than `before` (the data-runs counter). */
export async function nextRun(page, before) {
  await page.waitForFunction((b) => Number(document.documentElement.dataset.runs ?? 0) > b, before, { timeout: 30_000 });
}

export async function runs(page) {
  return page.evaluate(() => Number(document.documentElement.dataset.runs ?? 0));
}

/** Do `action`, then wait until the run it causes is rendered and no other follows. */
export async function andRun(page, action) {
  const before = await runs(page);
  await action();
  await nextRun(page, before);
  await settle(page);
}

/** Replace the text in the textarea as a user would (select all, type). */
export async function typeText(page, text) {
  const before = await runs(page);
  await page.fill("textarea", text);
  await nextRun(page, before);
  await settle(page);
}

/** Let pending debounced runs finish: wait until the run counter stops moving. */
export async function settle(page) {
  let last = -1;
  for (let i = 0; i < 50; i++) {
    const now = await runs(page);
    if (now === last) return;
    last = now;
    await page.waitForTimeout(150);
  }
}

/** The chips of the token view: index and outcome of each. */
export function chips(page) {
  return page.$$eval("#token-view [data-index]", (els) =>
    els.map((e) => ({ index: Number(e.dataset.index), outcome: e.dataset.outcome, kind: [...e.classList].find((c) => c.startsWith("kind-")) })),
  );
}

/** A row of the tensor view as numbers. */
export function tensorRow(page, name, row = 0) {
  return page.$$eval(`table[data-row="${row}"] tr[data-tensor="${name}"] td`, (tds) => tds.map((td) => Number(td.textContent)));
}
