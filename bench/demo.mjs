// The demo page in Chromium (issue 14): time from navigation to the first rendered result, and,
// with 5,000 words of text, the longest main-thread task per keystroke (from a Chromium trace). Run by
// `bash scripts/bench.sh` (after `vite build www`), or alone: `node bench/demo.mjs`.
// Writes bench/results/demo-latest.json and demo-latest.md.
//
// Environment: BENCH_DEMO_RUNS (navigations for the first result, default 9), BENCH_KEYS
// (keystrokes typed into the long text, each waiting for its re-render, default 20).
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { preview } from "vite";

import { launchChromium } from "../tests/support/browser.mjs";

const root = new URL("..", import.meta.url).pathname;
const runs = Number(process.env.BENCH_DEMO_RUNS ?? 9);
const keys = Number(process.env.BENCH_KEYS ?? 20);
const log = (m) => console.error(m);

const server = await preview({ root: join(root, "www"), configFile: join(root, "www/vite.config.ts"), logLevel: "silent", preview: { host: "127.0.0.1", port: 0 } });
const url = server.resolvedUrls.local[0];
const browser = await launchChromium();

/** Before any script of the page: note when the first result is rendered (`<html data-runs>`). */
function watchFirstResult() {
  new MutationObserver((_, observer) => {
    if (Number(document.documentElement.dataset.runs ?? 0) >= 1) {
      window.__firstResult = performance.now();
      observer.disconnect();
    }
    // At document start there is no <html> element yet: watch the whole document.
  }).observe(document, { attributes: true, subtree: true, attributeFilter: ["data-runs"] });
}

const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return { median: s[s.length >> 1], min: s[0], max: s.at(-1) };
};
const range = (x) => `${x.median.toFixed(0)} [${x.min.toFixed(0)}–${x.max.toFixed(0)}]`;

/**
 * From a Chromium trace: for each keydown on the renderer's main thread, the longest task
 * (RunTask) that starts between it and the next keydown (or the trace's end), in ms.
 */
function longestTaskPerKey(events) {
  const main = new Set(events.filter((e) => e.name === "thread_name" && e.args?.name === "CrRendererMain").map((e) => `${e.pid}:${e.tid}`));
  const onMain = (e) => main.has(`${e.pid}:${e.tid}`);
  const keydowns = events
    .filter((e) => onMain(e) && e.name === "EventDispatch" && e.args?.data?.type === "keydown")
    .map((e) => e.ts)
    .sort((a, b) => a - b);
  const tasks = events.filter((e) => onMain(e) && e.name === "RunTask" && e.ph === "X");
  return keydowns.map((from, k) => {
    const to = keydowns[k + 1] ?? Infinity;
    return Math.max(0, ...tasks.filter((t) => t.ts >= from && t.ts < to).map((t) => t.dur / 1000));
  });
}

const report = { date: new Date().toISOString(), chromium: browser.version(), firstResult: [], keystrokes: null };
try {
  // 1. Navigation → first result, each in a fresh context (empty caches).
  for (let i = 0; i < runs; i++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.addInitScript(watchFirstResult);
    const page = await context.newPage();
    await page.goto(url);
    await page.waitForFunction(() => window.__firstResult !== undefined, null, { timeout: 60_000 });
    report.firstResult.push(await page.evaluate(() => window.__firstResult));
    await context.close();
    log(`[demo] first result ${i + 1}/${runs}`);
  }

  // 2. 5,000 words, then keystrokes, each after the previous one's result is on screen (the
  // worker's debounce is 400 ms), under a Chromium trace: per keystroke, the longest task on the
  // page's main thread from its keydown to the next, which holds the re-render of every view.
  // The Event Timing API adds the longest input event (input delay + handlers + the next paint).
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(url);
  await page.waitForFunction(() => window.mlmaskDemo?.ready === true, null, { timeout: 60_000 });
  const words = await page.evaluate(() => {
    const vocabulary = ["masked", "language", "models", "learn", "by", "filling", "in", "the", "blanks", "of", "a", "sentence", "during", "pretraining."];
    const text = Array.from({ length: 5000 }, (_, i) => vocabulary[(i * 7 + (i >> 3)) % vocabulary.length]).join(" ");
    const area = document.querySelector("textarea");
    area.value = text;
    area.dispatchEvent(new Event("input", { bubbles: true }));
    return text.split(" ").length;
  });
  await page.waitForFunction(() => !window.mlmaskDemo.result() || window.mlmaskDemo.result().texts[0].length > 20_000, null, { timeout: 60_000 });
  await page.waitForTimeout(1500);
  await page.evaluate(() => {
    window.__events = [];
    new PerformanceObserver((list) =>
      window.__events.push(...list.getEntries().filter((e) => ["keydown", "keypress", "input", "keyup"].includes(e.name)).map((e) => e.duration)),
    ).observe({ type: "event", durationThreshold: 16 });
  });
  await page.focus("textarea");
  await page.keyboard.press("End");
  const runsBefore = await page.evaluate(() => Number(document.documentElement.dataset.runs));
  await browser.startTracing(page, { categories: ["devtools.timeline", "disabled-by-default-devtools.timeline", "toplevel"] });
  for (let k = 0; k < keys; k++) {
    const before = await page.evaluate(() => Number(document.documentElement.dataset.runs));
    await page.keyboard.type("x", { delay: 0 });
    await page.waitForFunction((b) => Number(document.documentElement.dataset.runs) > b, before, { timeout: 30_000 });
    await page.waitForTimeout(300);
  }
  const trace = JSON.parse((await browser.stopTracing()).toString());
  const measured = await page.evaluate(() => ({ events: window.__events, runs: Number(document.documentElement.dataset.runs) }));
  report.keystrokes = { words, keys, perKey: longestTaskPerKey(trace.traceEvents ?? trace), slowEvents: measured.events, runs: measured.runs - runsBefore };
  await context.close();
} finally {
  await browser.close();
  await new Promise((resolve) => server.httpServer.close(resolve));
}

const first = stats(report.firstResult);
const k = report.keystrokes;
if (k.perKey.length !== k.keys) throw new Error(`the trace shows ${k.perKey.length} keydowns for ${k.keys} keys typed`);
const perKey = stats(k.perKey);
const over = k.perKey.filter((ms) => ms > 50).length;
const slowestEvent = k.slowEvents.length ? Math.max(...k.slowEvents) : null;
const md = [
  `# mlmask demo benchmark — ${report.date}`,
  "",
  `Chromium ${report.chromium}, the built demo (www/dist) served by vite preview on 127.0.0.1.`,
  "",
  "| measure | value | target |",
  "|---|---|---|",
  `| navigation → first rendered result, ms (median [min–max] of ${runs} fresh contexts) | ${range(first)} | – |`,
  `| longest main-thread task per keystroke into ${k.words.toLocaleString("en")} words, each keystroke re-rendered (${k.runs} renders), ms (median [min–max] of ${k.keys} keystrokes) | ${range(perKey)} (${over} over 50) | ≤ 50 |`,
  `| longest keystroke event (input delay + handlers + next paint), ms | ${slowestEvent === null ? "none over 16" : slowestEvent.toFixed(0)} | – |`,
  "",
];
mkdirSync(join(root, "bench/results"), { recursive: true });
writeFileSync(join(root, "bench/results/demo-latest.json"), JSON.stringify(report, null, 1) + "\n");
writeFileSync(join(root, "bench/results/demo-latest.md"), md.join("\n"));
console.log(md.join("\n"));
