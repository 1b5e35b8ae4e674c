// Entry module: loads mlmask and the tokenizers, owns the settings, runs the masking (here for
// small inputs, in the worker for large ones) and hands the result to the widgets.

import init, * as mlmask from "mlmask";
import { Masker, Tokenizer, type LoadOptions } from "mlmask";
import wasmUrl from "mlmask/mlmask_bg.wasm?url";
import { encodeOptions, maskerOptions, runMasking, selectionCounts, tokenizerInfo, type TokenizerInfo } from "./engine";
import type { FromWorker, ToWorker } from "./worker";
import { BUNDLED_TOKENIZERS, decodeSettings, DEFAULTS, encodeSettings, type Settings } from "./model/settings";
import { splitTexts } from "./model/lines";
import type { MaskResult } from "./model/result";
import { countOutcomes } from "./model/outcome";
import { expectedCounts, rerollCount, selectionHistogram } from "./model/stats";
import { pythonSnippet } from "./model/python";
import { exportBatch, exportText } from "./model/exportJson";
import { bytes as fmtBytes, count } from "./model/format";
import { byId, copyText } from "./widgets/dom";
import { setUpTooltip } from "./widgets/tooltip";
import { setUpTokenizerPanel } from "./widgets/tokenizerPanel";
import { setUpControls } from "./widgets/controls";
import { setUpTextInput } from "./widgets/textInput";
import { setUpTokenView } from "./widgets/tokenView";
import { setUpStepView } from "./widgets/stepView";
import { setUpTensorView } from "./widgets/tensorView";
import { setUpStatsView } from "./widgets/statsView";
import { setUpPythonView } from "./widgets/pythonView";
import { setUpExport } from "./widgets/exportView";
import { setUpStatus } from "./widgets/status";
import { setUpSeq2seqView } from "./widgets/seq2seqView";
import { findStrategy, strategyProblem, useCatalog } from "./model/strategies";

/** Inputs up to this many UTF-16 units re-mask on the next frame (≈ 512 tokens and more). */
const FRAME_CHARS = 4000;
/** Inputs above this many UTF-16 units go to the Web Worker. */
const WORKER_CHARS = 30_000;
/** Largest tokenizer file accepted. */
const MAX_TOKENIZER_BYTES = 64 * 1024 * 1024;
const VERSION = "0.1.0";

interface Loaded {
  name: string;
  key: string;
  tok: Tokenizer;
  bytes: Uint8Array;
  options: LoadOptions;
  info: TokenizerInfo;
}

let settings: Settings = { ...DEFAULTS };
let active: Loaded | null = null;
let lastResult: MaskResult | null = null;
let loadCounter = 0;
const bundled = new Map<string, Loaded>();
const bundledBytes = new Map<string, Promise<Uint8Array>>();

// --- widgets ---------------------------------------------------------------------------------

const status = setUpStatus(byId("status"), byId("notices"));
const tooltip = setUpTooltip(byId("tooltip"));
const panel = setUpTokenizerPanel(byId("tokenizer-panel"), {
  select: (name) => void selectBundled(name),
  file: (f) => void loadFile(f),
  url: (a) => void loadUrl(a),
});
const controls = setUpControls(
  document.querySelector<HTMLElement>(".controls")!,
  () => settings,
  (patch) => change(patch),
  () => void reset(),
  () => void copyLink(),
);
const textInput = setUpTextInput(byId("text").closest<HTMLElement>(".panel")!, (patch) => change(patch));
const tokenView = setUpTokenView(byId("token-view"), byId("token-note"), tooltip, hover);
const stepView = setUpStepView(byId("steps-section"), (step) => change({ step }), hover);
const tensorView = setUpTensorView(byId("tensor-view"), byId("tensor-explanation"), byId("tensor-note"), tooltip, hover, byId("masked-lm-view"));
const seq2seqView = setUpSeq2seqView(byId("seq2seq-section"), byId("seq2seq-view"), byId("seq2seq-explanation"), byId("seq2seq-note"), byId("token-view"));
const strategyProblemBox = byId("strategy-problem");
const statsView = setUpStatsView(byId("stats-section"));
const pythonView = setUpPythonView(byId("python-section"), (m) => (byId("export-status").textContent = m));
setUpExport(byId("export-section"), () =>
  lastResult ? exportText(exportBatch(lastResult, settings, VERSION)) : null,
);

function hover(index: number | null) {
  tokenView.highlight(index);
  tensorView.highlight(index);
  const r = lastResult;
  if (index === null || !r) {
    stepView.highlight(null);
    textInput.highlight(null);
    return;
  }
  const row = Math.floor(index / r.seqLen);
  stepView.highlight(row === 0 ? index : null);
  const s = r.offsets[2 * index];
  const e = r.offsets[2 * index + 1];
  const real = r.attentionMask[index] === 1 && r.specialTokensMask[index] === 0 && e > s;
  textInput.highlight(real ? { start: r.starts[row] + s, end: r.starts[row] + e } : null);
}

// --- settings and the URL ------------------------------------------------------------------------

function change(patch: Partial<Settings>) {
  const before = settings;
  settings = { ...settings, ...patch };
  renderControls();
  writeUrlSoon();
  const onlyView = Object.keys(patch).every((k) => k === "step" || k === "whitespace");
  if (onlyView && lastResult) {
    renderResult(lastResult);
    return;
  }
  if (patch.text !== undefined && patch.text !== before.text) schedule(false);
  else schedule(true);
}

function renderControls() {
  controls.render(settings);
  textInput.render(settings);
}

let urlTimer = 0;
let urlWrite: Promise<void> = Promise.resolve();
function writeUrlSoon() {
  clearTimeout(urlTimer);
  urlTimer = window.setTimeout(() => {
    const snapshot = settings;
    urlWrite = encodeSettings(snapshot).then((frag) => {
      if (snapshot !== settings) return;
      const url = `${location.pathname}${location.search}${frag ? `#${frag}` : ""}`;
      try {
        history.replaceState(null, "", url);
      } catch {
        status.notice("The text is too long to keep in the link; the settings are still there.", "warning");
      }
    });
  }, 120);
}

async function flushUrl() {
  clearTimeout(urlTimer);
  const frag = await encodeSettings(settings);
  history.replaceState(null, "", `${location.pathname}${location.search}${frag ? `#${frag}` : ""}`);
  await urlWrite;
}

async function copyLink() {
  await flushUrl();
  status.idle((await copyText(location.href)) ? "Link copied: it reproduces this view." : "Copy the address bar to share this view.");
}

async function reset() {
  settings = { ...DEFAULTS };
  panel.error(null);
  status.clearNotices();
  renderControls();
  await flushUrl();
  if (!active || active.name !== DEFAULTS.tokenizer) await selectBundled(DEFAULTS.tokenizer);
  else schedule(true);
}

async function applyUrl() {
  const { settings: s, warnings } = await decodeSettings(location.hash);
  for (const w of warnings) status.notice(w, "warning");
  const wanted = s.tokenizer;
  settings = s;
  renderControls();
  if ((BUNDLED_TOKENIZERS as readonly string[]).includes(wanted)) {
    if (!active || active.name !== wanted) await selectBundled(wanted);
    else schedule(true);
    return;
  }
  if (active && active.name === wanted) {
    schedule(true);
    return;
  }
  // The user's own tokenizer is not in the link: ask before fetching anything.
  if (wanted.startsWith("url:")) {
    panel.setUrl(wanted.slice(4));
    document.querySelector<HTMLDetailsElement>(".own-tokenizer")!.open = true;
    status.notice(`This link used the tokenizer at ${wanted.slice(4)}. Press Load (under "Use your own tokenizer.json") to fetch it; until then bert-base-uncased is shown.`);
  } else {
    status.notice(`This link used your own file "${wanted.slice(5)}", which links cannot carry; choose it again. Showing bert-base-uncased meanwhile.`);
  }
  settings = { ...settings, tokenizer: DEFAULTS.tokenizer };
  await selectBundled(DEFAULTS.tokenizer);
}

// --- tokenizers ------------------------------------------------------------------------------

function fetchBundled(name: string): Promise<Uint8Array> {
  let p = bundledBytes.get(name);
  if (!p) {
    p = fetch(new URL(`tokenizers/${name}.json`, document.baseURI)).then(async (res) => {
      if (!res.ok) throw new Error(`could not load the bundled ${name} (HTTP ${res.status})`);
      return new Uint8Array(await res.arrayBuffer());
    });
    bundledBytes.set(name, p);
  }
  return p;
}

/** Load a tokenizer, check it can mask, and make it the active one; on failure keep the old one. */
function useTokenizer(name: string, bytes: Uint8Array, options: LoadOptions): boolean {
  let tok: Tokenizer | null = null;
  try {
    tok = Tokenizer.fromJSON(bytes, options);
    const info = tokenizerInfo(tok);
    // A T5 tokenizer has no mask token but its sentinels serve T5 span corruption.
    if (tok.maskTokenId === undefined && !info.hasSentinels) {
      throw new Error(
        `it has no mask token: neither [MASK] nor <mask> is among its added tokens, so masked-language-model masking cannot replace anything. ` +
          `Name one of its tokens in the "Mask token" field and load it again.`,
      );
    }
    // Validates the settings against it, when the strategy can run with it at all.
    if (strategyProblem(settings.strategy, abilities(name, info)) === null) new Masker(tok, maskerOptions(settings)).free();
  } catch (e) {
    tok?.free();
    const label = name.startsWith("url:") ? name.slice(4) : name.startsWith("file:") ? name.slice(5) : name;
    const keep = active ? ` The previous tokenizer (${active.name.replace(/^(url|file):/, "")}) stays loaded.` : "";
    panel.error(`Could not use ${label}: ${e instanceof Error ? e.message : String(e)}.${keep}`);
    if (active) panel.render(active.name, active.info);
    return false;
  }
  const loaded: Loaded = { name, key: `${name}#${++loadCounter}`, tok, bytes, options, info: tokenizerInfo(tok) };
  if (active && !bundled.has(active.name)) active.tok.free();
  if ((BUNDLED_TOKENIZERS as readonly string[]).includes(name)) bundled.set(name, loaded);
  active = loaded;
  panel.error(null);
  panel.render(name, loaded.info);
  settings = { ...settings, tokenizer: name };
  writeUrlSoon();
  rerollKey = "";
  schedule(true);
  return true;
}

function abilities(name: string, info: TokenizerInfo) {
  return { name: name.replace(/^(url|file):/, ""), hasMaskToken: info.maskTokenId !== undefined, hasSentinels: info.hasSentinels };
}

async function selectBundled(name: string) {
  const cached = bundled.get(name);
  if (cached) {
    if (active && !bundled.has(active.name)) active.tok.free();
    active = cached;
    panel.error(null);
    panel.render(name, cached.info);
    settings = { ...settings, tokenizer: name };
    writeUrlSoon();
    rerollKey = "";
    schedule(true);
    return;
  }
  try {
    status.busy(`Loading ${name}…`, null);
    useTokenizer(name, await fetchBundled(name), {});
  } catch (e) {
    panel.error(e instanceof Error ? e.message : String(e));
    if (active) panel.render(active.name, active.info);
  }
}

function loadOptions(): LoadOptions {
  const maskToken = panel.maskTokenOverride();
  return maskToken ? { maskToken } : {};
}

async function loadFile(f: File) {
  if (f.size > MAX_TOKENIZER_BYTES) {
    panel.error(`Could not use ${f.name}: it is ${fmtBytes(f.size)}, more than the ${fmtBytes(MAX_TOKENIZER_BYTES)} a tokenizer.json may have here.`);
    return;
  }
  useTokenizer(`file:${f.name}`, new Uint8Array(await f.arrayBuffer()), loadOptions());
}

async function loadUrl(address: string) {
  let url: URL;
  try {
    url = new URL(address, document.baseURI);
    if (url.protocol !== "https:" && url.protocol !== "http:") throw new Error();
  } catch {
    panel.error(`"${address}" is not an http(s) address.`);
    return;
  }
  status.busy(`Fetching ${url.href}…`, null);
  try {
    const res = await fetch(url, { credentials: "omit", referrerPolicy: "no-referrer", cache: "no-store" });
    if (!res.ok) throw new Error(`the server answered HTTP ${res.status} ${res.statusText}`.trim());
    const len = Number(res.headers.get("content-length") ?? 0);
    if (len > MAX_TOKENIZER_BYTES) throw new Error(`it is ${fmtBytes(len)}, more than ${fmtBytes(MAX_TOKENIZER_BYTES)}`);
    const body = new Uint8Array(await res.arrayBuffer());
    status.idle("");
    useTokenizer(`url:${url.href}`, body, loadOptions());
  } catch (e) {
    status.idle("");
    const why = e instanceof TypeError ? "the server is unreachable or does not allow other sites to read it (CORS)" : e instanceof Error ? e.message : String(e);
    panel.error(`Could not fetch ${url.href}: ${why}. The previous tokenizer stays loaded.`);
  }
}

// --- running the masking ------------------------------------------------------------------------

let frameRequest = 0;
let debounceTimer = 0;

/** Re-mask soon: on the next frame for small inputs, after a pause in typing for large ones. */
function schedule(immediate: boolean) {
  cancelAnimationFrame(frameRequest);
  clearTimeout(debounceTimer);
  if (settings.text.length <= FRAME_CHARS || immediate) frameRequest = requestAnimationFrame(runNow);
  else debounceTimer = window.setTimeout(runNow, settings.text.length > WORKER_CHARS ? 400 : 120);
}

/** The last main-thread update: masking alone, and masking plus rendering every view. */
let lastUpdate: { maskMs: number; totalMs: number; positions: number } | null = null;
let workerBusy = false;
let workerPending = false;
let workerKey = "";
let runCounter = 0;
let latestRun = 0;

function runNow() {
  if (!active) return;
  const problem = strategyProblem(settings.strategy, abilities(active.name, active.info));
  strategyProblemBox.hidden = problem === null;
  strategyProblemBox.textContent = problem ?? "";
  if (problem !== null) {
    // Nothing to show for this strategy with this tokenizer: say why, instead of stale chips.
    lastResult = null;
    for (const id of ["token-view", "tensor-view", "masked-lm-view", "seq2seq-view"]) byId(id).replaceChildren();
    byId("seq2seq-section").hidden = true;
    pythonView.render(pythonSnippet(settings, splitTexts(settings.text, settings.batch).texts));
    status.idle("");
    document.documentElement.dataset.runs = String(++shown);
    if (window.mlmaskDemo) window.mlmaskDemo.ready = true;
    return;
  }
  const { texts, starts } = splitTexts(settings.text, settings.batch);
  const chars = texts.reduce((n, t) => n + t.length, 0);
  const id = ++runCounter;
  latestRun = id;
  if (chars <= WORKER_CHARS || !worker) {
    try {
      const t0 = performance.now();
      const r = runMasking(active.tok, texts, starts, settings);
      show(r);
      lastUpdate = { maskMs: r.elapsedMs, totalMs: performance.now() - t0, positions: r.batchSize * r.seqLen };
      status.idle(
        `Masked ${count(r.batchSize * r.seqLen)} positions in ${r.elapsedMs.toFixed(1)} ms; with the chips drawn, ${lastUpdate.totalMs.toFixed(1)} ms.`,
      );
    } catch (e) {
      status.idle("");
      status.notice(`Masking failed: ${e instanceof Error ? e.message : String(e)}`, "error");
    }
    return;
  }
  if (workerBusy) {
    workerPending = true;
    return;
  }
  syncWorkerTokenizer();
  workerBusy = true;
  status.busy(`Tokenizing ${fmtBytes(chars * 2)} of text in a background worker…`, 0);
  post({ type: "run", id, key: active.key, texts, starts, settings: { ...settings } });
}

function syncWorkerTokenizer() {
  if (!active || !worker || workerKey === active.key) return;
  post({ type: "tokenizer", key: active.key, bytes: active.bytes, options: active.options });
  workerKey = active.key;
}

let shown = 0;
function show(r: MaskResult) {
  lastResult = r;
  renderResult(r);
  scheduleRerolls(r);
}

let restFrame = 0;
/**
 * The token chips are drawn at once (the live part while typing); the step, tensor, statistics
 * and Python views follow on the next frame, so that one keystroke costs one frame.
 */
function renderResult(r: MaskResult) {
  tokenView.render(r, settings);
  cancelAnimationFrame(restFrame);
  restFrame = requestAnimationFrame(() => {
    if (r !== lastResult) return;
    renderRest(r);
    // For automation: how many results have been fully rendered.
    document.documentElement.dataset.runs = String(++shown);
    if (window.mlmaskDemo) window.mlmaskDemo.ready = true;
  });
}

function renderRest(r: MaskResult) {
  const maskToken = active?.info.maskToken ?? "[MASK]";
  stepView.render(r, settings, maskToken);
  tensorView.render(r);
  seq2seqView.render(r);
  const c = countOutcomes(r.outcome, r.specialTokensMask, r.attentionMask);
  const binomial = settings.strategy === "token";
  statsView.render(c, binomial ? expectedCounts(c.eligible, settings.mlmProbability, settings) : null);
  if (histogram) statsView.plot(histogram.h, c.selected, histogram.caption, binomial);
  pythonView.render(pythonSnippet(settings, r.texts));
}

// --- the re-roll distribution (depends on the batch and mlmProbability, not on the seed) -------

let rerollKey = "";
let rerollTimer = 0;
let rerollRun = 0;
let histogram: { h: ReturnType<typeof selectionHistogram>; caption: string } | null = null;

function scheduleRerolls(r: MaskResult) {
  const key = JSON.stringify([
    active?.key,
    r.texts,
    settings.addSpecialTokens,
    settings.maxLength,
    settings.padToMultipleOf,
    settings.mlmProbability,
    settings.strategy,
    settings.strategyParams,
    settings.rng,
    settings.specialTokens,
  ]);
  if (key === rerollKey) return;
  rerollKey = key;
  histogram = null;
  const id = ++rerollRun;
  clearTimeout(rerollTimer);
  const c = countOutcomes(r.outcome, r.specialTokensMask, r.attentionMask);
  statsView.plot(null, c.selected, "Re-rolling…");
  rerollTimer = window.setTimeout(() => {
    const runs = rerollCount(r.batchSize * r.seqLen);
    const done = (counts: Int32Array) => {
      if (id !== rerollRun || !lastResult) return;
      const h = selectionHistogram(counts, c.eligible, settings.mlmProbability);
      const sd = Math.sqrt(c.eligible * settings.mlmProbability * (1 - settings.mlmProbability));
      const binomial = settings.strategy === "token";
      histogram = {
        h,
        caption: binomial
          ? `Tokens selected over ${count(runs)} seeds (0–${runs - 1}): mean ${h.mean.toFixed(2)}, binomial expectation ${(
              c.eligible * settings.mlmProbability
            ).toFixed(2)} ± ${sd.toFixed(2)} (n = ${count(c.eligible)}, p = ${settings.mlmProbability}).`
          : `Tokens selected over ${count(runs)} seeds (0–${runs - 1}): mean ${h.mean.toFixed(2)} of ${count(c.eligible)} eligible. ` +
            `${findStrategy(settings.strategy)?.label ?? settings.strategy} selects by its own rule (words, spans or a budget), so there is no binomial curve to compare with.`,
      };
      const now = countOutcomes(lastResult.outcome, lastResult.specialTokensMask, lastResult.attentionMask);
      statsView.plot(h, now.selected, histogram.caption, binomial);
    };
    if (!r.viaWorker || !worker || !active) {
      // On the main thread, in slices so that typing stays smooth.
      const counts = new Int32Array(runs);
      const tok = active!.tok;
      let k = 0;
      const slice = () => {
        if (id !== rerollRun) return;
        const n = Math.min(100, runs - k);
        try {
          counts.set(selectionCounts(tok, r, settings, k, n), k);
        } catch (e) {
          statsView.plot(null, 0, `Re-rolling failed: ${e instanceof Error ? e.message : String(e)}`);
          return;
        }
        k += n;
        if (k < runs) setTimeout(slice, 0);
        else done(counts);
      };
      slice();
    } else {
      syncWorkerTokenizer();
      rerollDone.set(id, done);
      post({
        type: "rerolls",
        id,
        key: active.key,
        input: {
          ids: r.ids,
          specialTokensMask: r.specialTokensMask,
          attentionMask: r.attentionMask,
          batchSize: r.batchSize,
          seqLen: r.seqLen,
          offsets: r.offsets,
          wordIds: r.wordIds,
        },
        settings: { ...settings },
        runs,
      });
    }
  }, 200);
}

// --- the worker --------------------------------------------------------------------------------

let worker: Worker | null = null;
const rerollDone = new Map<number, (counts: Int32Array) => void>();

function post(msg: ToWorker) {
  worker?.postMessage(msg);
}

function startWorker(module: WebAssembly.Module) {
  try {
    worker = new Worker(new URL("./worker.ts", import.meta.url), { type: "module", name: "mlmask-worker" });
  } catch {
    worker = null;
    return;
  }
  worker.onmessage = (ev: MessageEvent<FromWorker>) => {
    const msg = ev.data;
    switch (msg.type) {
      case "progress":
        if (msg.stage === "Re-rolling") statsView.plot(null, 0, `Re-rolling in the background… ${Math.round(msg.fraction * 100)} %`);
        else if (msg.id === latestRun) status.busy(`${msg.stage} in a background worker…`, msg.fraction);
        break;
      case "result":
        workerBusy = false;
        if (workerPending) {
          workerPending = false;
          runNow();
        }
        if (msg.id === latestRun) {
          show(msg.result);
          status.idle(`Masked ${count(msg.result.batchSize * msg.result.seqLen)} positions in ${msg.result.elapsedMs.toFixed(0)} ms (in a background worker).`);
        }
        break;
      case "rerolls":
        rerollDone.get(msg.id)?.(msg.counts);
        rerollDone.delete(msg.id);
        break;
      case "error":
        if (rerollDone.has(msg.id)) {
          rerollDone.delete(msg.id);
          statsView.plot(null, 0, `Re-rolling failed: ${msg.message}`);
          break;
        }
        workerBusy = false;
        status.idle("");
        status.notice(`Masking failed: ${msg.message}`, "error");
        if (workerPending) {
          workerPending = false;
          runNow();
        }
        break;
    }
  };
  worker.onerror = () => {
    worker = null; // fall back to the main thread
  };
  post({ type: "init", module });
}

// --- start -------------------------------------------------------------------------------------

async function compileWasm(): Promise<WebAssembly.Module> {
  const res = await fetch(wasmUrl);
  if (!res.ok) throw new Error(`could not load the WebAssembly module (HTTP ${res.status})`);
  // Static hosts without the application/wasm type cannot stream-compile; fall back to bytes.
  if (res.headers.get("content-type")?.startsWith("application/wasm")) {
    return WebAssembly.compileStreaming(res);
  }
  return WebAssembly.compile(await res.arrayBuffer());
}

declare global {
  interface Window {
    /** Automation hook for the tests: the mlmask module and the page's live objects. */
    mlmaskDemo?: {
      mlmask: typeof mlmask;
      ready: boolean;
      tokenizer(): Tokenizer | null;
      settings(): Settings;
      result(): MaskResult | null;
      /** Timing of the last main-thread update (masking, and masking + chips), for the benchmark. */
      lastUpdate(): { maskMs: number; totalMs: number; positions: number } | null;
      encodeOptions: typeof encodeOptions;
      maskerOptions: typeof maskerOptions;
    };
  }
}

async function start() {
  renderControls();
  status.busy("Loading the WebAssembly module and tokenizers…", null);
  // Everything the page will ever need is requested now; afterwards only a tokenizer URL the user
  // types is fetched.
  for (const name of BUNDLED_TOKENIZERS) fetchBundled(name).catch(() => {});
  const module = await compileWasm();
  await init({ module_or_path: module });
  useCatalog(mlmask.strategies());
  startWorker(module);
  window.mlmaskDemo = {
    mlmask,
    ready: false,
    tokenizer: () => active?.tok ?? null,
    settings: () => ({ ...settings }),
    result: () => lastResult,
    lastUpdate: () => lastUpdate,
    encodeOptions,
    maskerOptions,
  };
  await applyUrl();
  window.addEventListener("hashchange", () => void applyUrl());
}

start().catch((e) => {
  status.idle("");
  status.notice(`The demo could not start: ${e instanceof Error ? e.message : String(e)}`, "error");
});
