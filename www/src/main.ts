// Entry module, composition only: sets up the widgets, owns the settings and the active
// tokenizer, and connects them to loading (loading.ts), the run scheduler (runner.ts) and the
// re-roll distribution (rerolls.ts).

import init, * as mlmask from "mlmask";
import { Masker, type LoadOptions, type Tokenizer } from "mlmask";
import wasmUrl from "mlmask/mlmask_bg.wasm?url";
import { encodeOptions, maskerOptions, runMasking, type TokenizerInfo } from "./engine";
import { fetchBundled, fetchTokenizerUrl, openTokenizer, parseTokenizerUrl, readTokenizerFile, type Loaded } from "./loading";
import { createRunner } from "./runner";
import { createRerolls } from "./rerolls";
import { displayName } from "./model/tokenizerSource";
import { BUNDLED_TOKENIZERS, decodeSettings, DEFAULTS, encodeSettings, type Settings } from "./model/settings";
import { splitTexts } from "./model/lines";
import type { MaskResult } from "./model/result";
import { countOutcomes } from "./model/outcome";
import { expectedCounts } from "./model/stats";
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
import { strategyProblem, useCatalog } from "./model/strategies";

let settings: Settings = { ...DEFAULTS };
let active: Loaded | null = null;
let lastResult: MaskResult | null = null;
const bundled = new Map<string, Loaded>();

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
  lastResult ? exportText(exportBatch(lastResult, settings, mlmask.version())) : null,
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
  if (patch.text !== undefined && patch.text !== before.text) runner.schedule(false);
  else runner.schedule(true);
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
  else runner.schedule(true);
}

async function applyUrl() {
  const { settings: s, warnings } = await decodeSettings(location.hash);
  for (const w of warnings) status.notice(w, "warning");
  const wanted = s.tokenizer;
  settings = s;
  renderControls();
  if ((BUNDLED_TOKENIZERS as readonly string[]).includes(wanted)) {
    if (!active || active.name !== wanted) await selectBundled(wanted);
    else runner.schedule(true);
    return;
  }
  if (active && active.name === wanted) {
    runner.schedule(true);
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

/** Load a tokenizer, check it can mask, and make it the active one; on failure keep the old one. */
function useTokenizer(name: string, bytes: Uint8Array, options: LoadOptions): boolean {
  let loaded: Loaded;
  try {
    // Validates the settings against it, when the strategy can run with it at all.
    loaded = openTokenizer(name, bytes, options, (tok, info) => {
      if (strategyProblem(settings.strategy, abilities(name, info)) === null) new Masker(tok, maskerOptions(settings)).free();
    });
  } catch (e) {
    const keep = active ? ` The previous tokenizer (${displayName(active.name)}) stays loaded.` : "";
    panel.error(`Could not use ${displayName(name)}: ${e instanceof Error ? e.message : String(e)}.${keep}`);
    if (active) panel.render(active.name, active.info);
    return false;
  }
  if ((BUNDLED_TOKENIZERS as readonly string[]).includes(name)) bundled.set(name, loaded);
  activate(loaded);
  return true;
}

/** Make `loaded` the active tokenizer (freeing the previous one unless it is bundled) and re-mask. */
function activate(loaded: Loaded) {
  if (active && active !== loaded && !bundled.has(active.name)) active.tok.free();
  active = loaded;
  panel.error(null);
  panel.render(loaded.name, loaded.info);
  settings = { ...settings, tokenizer: loaded.name };
  writeUrlSoon();
  rerolls.forget();
  runner.schedule(true);
}

function abilities(name: string, info: TokenizerInfo) {
  return { name: displayName(name), hasMaskToken: info.maskTokenId !== undefined, hasSentinels: info.hasSentinels };
}

async function selectBundled(name: string) {
  const cached = bundled.get(name);
  if (cached) {
    activate(cached);
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
  try {
    useTokenizer(`file:${f.name}`, await readTokenizerFile(f), loadOptions());
  } catch (e) {
    panel.error(`Could not use ${f.name}: ${e instanceof Error ? e.message : String(e)}.`);
  }
}

async function loadUrl(address: string) {
  let url: URL;
  try {
    url = parseTokenizerUrl(address);
  } catch (e) {
    panel.error(`${e instanceof Error ? e.message : String(e)}.`);
    return;
  }
  status.busy(`Fetching ${url.href}…`, null);
  try {
    const body = await fetchTokenizerUrl(url);
    status.idle("");
    useTokenizer(`url:${url.href}`, body, loadOptions());
  } catch (e) {
    status.idle("");
    panel.error(`Could not fetch ${url.href}: ${e instanceof Error ? e.message : String(e)}. The previous tokenizer stays loaded.`);
  }
}

// --- running the masking ------------------------------------------------------------------------

/** The last main-thread update: masking alone, and masking plus rendering every view. */
let lastUpdate: { maskMs: number; totalMs: number; positions: number } | null = null;

const runner = createRunner({
  textLength: () => settings.text.length,
  prepare() {
    if (!active) return null;
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
      return null;
    }
    const { texts, starts } = splitTexts(settings.text, settings.batch);
    return { active, texts, starts, settings };
  },
  runHere({ active, texts, starts, settings }) {
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
  },
  workerStarted: (chars) => status.busy(`Tokenizing ${fmtBytes(chars * 2)} of text in a background worker…`, 0),
  progress: (stage, fraction) => status.busy(`${stage} in a background worker…`, fraction),
  workerResult(result) {
    show(result);
    status.idle(`Masked ${count(result.batchSize * result.seqLen)} positions in ${result.elapsedMs.toFixed(0)} ms (in a background worker).`);
  },
  failed(message) {
    status.idle("");
    status.notice(`Masking failed: ${message}`, "error");
  },
  rerollProgress: (fraction) => statsView.plot(null, 0, `Re-rolling in the background… ${Math.round(fraction * 100)} %`),
});
const rerolls = createRerolls(statsView, runner, () => ({ active, settings, lastResult }));

let shown = 0;
function show(r: MaskResult) {
  lastResult = r;
  renderResult(r);
  rerolls.schedule(r);
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
  const histogram = rerolls.histogram();
  if (histogram) statsView.plot(histogram.h, c.selected, histogram.caption, binomial);
  pythonView.render(pythonSnippet(settings, r.texts));
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
  byId("version").textContent = mlmask.version();
  runner.startWorker(module);
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
