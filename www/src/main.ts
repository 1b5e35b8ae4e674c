// Entry module: wires the widgets to the settings, the tokenizer loading (loading.ts) and the
// masking runs (runner.ts, here for small inputs, in the worker for large ones).

import type * as mlmask from "mlmask";
import { api, buildName, needsFullBuild } from "./build";
import { encodeOptions, maskerOptions, runMasking } from "./engine";
import { setUpTokenizers, type Loaded } from "./loading";
import { setUpRunner, type RunSettings, type UpdateTiming } from "./runner";
import { setUpRerolls } from "./rerolls";
import { setUpLink } from "./link";
import { decodeSettings, DEFAULTS, type Settings } from "./model/settings";
import type { MaskResult } from "./model/result";
import { countOutcomes } from "./model/outcome";
import { expectedCounts } from "./model/stats";
import { pythonSnippet, snippetReadsFile, snippetTextsFile } from "./model/python";
import { exportBatch, exportText } from "./model/exportJson";
import { abilities, displayName, isBundled, parseTokenizerName, unloadedLinkNotice } from "./model/tokenizerSource";
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
import { setUpDecodedView } from "./widgets/decodedView";
import { rowsOverLength } from "./model/blocks";
import { splitTexts } from "./model/lines";
import { setUpCompareView, type Compared } from "./widgets/compareView";
import { count as formatCount } from "./model/format";
import { setUpExport } from "./widgets/exportView";
import { setUpStatus } from "./widgets/status";
import { setUpSeq2seqView } from "./widgets/seq2seqView";
import { setUpLayoutViews } from "./widgets/layoutViews";
import { markUnavailable } from "./widgets/unavailable";
import { ADDED_MASK_TOKEN, FIM_TOKENS, findStrategy, strategyProblem, useCatalog } from "./model/strategies";

let settings: Settings = { ...DEFAULTS };
let lastResult: MaskResult | null = null;

// --- widgets ---------------------------------------------------------------------------------

const status = setUpStatus(byId("status"), byId("notices"));
const tooltip = setUpTooltip(byId("tooltip"));
const panel = setUpTokenizerPanel(byId("tokenizer-panel"), {
  select: (name) => void tokenizers.selectBundled(name),
  file: (f) => void tokenizers.loadFile(f),
  url: (a) => void tokenizers.loadUrl(a),
  hub: (id, revision) => void tokenizers.loadHub(id, revision),
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
const decodedView = setUpDecodedView(byId("decoded-view"));
const compareView = setUpCompareView(byId("compare-section"), setUpTokenView(byId("compare-view"), byId("compare-note"), tooltip, hover), tokenView, compareChanged);

/** The compare choice changed, or its tokenizer finished loading: the second row again. */
function compareChanged() {
  const r = lastResult;
  if (r) whenDrawn(r, [chipsDrawn, renderRest(r)]);
}

/** Texts longer than this are not compared (the second run is on the main thread). */
const COMPARE_MAX_CHARS = 4000;

/**
 * The same texts and seed under the compare choice, on the main thread, or why not. Another
 * tokenizer is loaded on first use (the row says so meanwhile); one that cannot run the strategy
 * shows its tokens unmasked, with the reason.
 */
function compareRun(r: MaskResult): Compared | { error: string } | { waiting: string } | null {
  const choice = compareView.choice();
  const active = tokenizers.active();
  if (!choice || !active || r.notMasked !== null) return null;
  if (settings.blocks !== null) return { error: "compare one row per text (turn the blocks off)." };
  if (r.texts.reduce((n, t) => n + t.length, 0) > COMPARE_MAX_CHARS) return { error: `the text is longer than ${COMPARE_MAX_CHARS.toLocaleString("en")} characters.` };
  const wanted = choice.tokenizer;
  const label = tokenizers.comparable().find((c) => c.choice === wanted)?.label ?? wanted ?? "";
  const other = wanted === null ? active : tokenizers.comparison(wanted);
  if (!other && wanted !== null) {
    tokenizers.prepareComparison(wanted).then(compareChanged, (e: unknown) =>
      status.notice(`Could not load ${label} to compare with: ${e instanceof Error ? e.message : String(e)}`, "error"),
    );
    return { waiting: `Loading ${label} to compare with…` };
  }
  const tok = other ?? active;
  const same = tok === active;
  try {
    const strategyParams = choice.strategy === settings.strategy ? settings.strategyParams : {};
    const run = { ...settings, strategy: choice.strategy, strategyParams, rng: choice.rng, views: 1, packing: null };
    // Only the reason: the fixes the tokens panel offers are for the active tokenizer.
    const problem = same ? null : strategyProblem(choice.strategy, abilities(tok.name, tok.info))?.split(/(?<=\.) /)[0];
    const result = runMasking(tok.tok, r.texts, r.starts, problem ? { ...run, notMasked: problem } : run);
    return { result, tokenizers: same ? null : { main: displayName(active.name), other: displayName(tok.name) } };
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
}
/** The view toggle: what the chips show, or the decoded rows (with the chips as pieces). */
let display: "text" | "pieces" | "ids" | "decoded" = "text";
for (const input of document.querySelectorAll<HTMLInputElement>('input[name="token-display"]')) {
  input.addEventListener("change", () => {
    display = input.value as typeof display;
    if (lastResult) renderResult(lastResult);
  });
}

/** The unknown token of the active tokenizer, by its usual spellings, or null. */
function unknownToken(): { id: number; token: string } | null {
  const tok = tokenizers.active()?.tok;
  if (!tok) return null;
  for (const token of ["[UNK]", "<unk>", "<UNK>"]) {
    const id = tok.tokenToId(token);
    if (id !== undefined) return { id, token };
  }
  return null;
}

/** The decoded rows; lite cannot decode, so the first request loads the full build, then shows them. */
function renderDecoded(r: MaskResult) {
  if (display !== "decoded") return decodedView.hide();
  const tok = tokenizers.active()?.tok;
  if (!tok) return;
  try {
    decodedView.render(r, (ids) => tok.decode(ids, false), unknownToken()?.token ?? null);
  } catch (e) {
    if (!needsFullBuild(e)) throw e;
    decodedView.hide();
    void tokenizers.switchToFullBuild().then(() => runner.schedule(true));
  }
}
const stepView = setUpStepView(byId("steps-section"), (step) => change({ step }), hover);
const tensorView = setUpTensorView(byId("tensor-view"), byId("tensor-explanation"), byId("tensor-note"), tooltip, hover, byId("masked-lm-view"));
const seq2seqView = setUpSeq2seqView(byId("seq2seq-section"), byId("seq2seq-view"), byId("seq2seq-explanation"), byId("seq2seq-note"), byId("token-view"));
const layoutViews = setUpLayoutViews(byId("views-section"), byId("views-view"), byId("packed-section"), byId("packed-view"));
const strategyProblemBox = byId("strategy-problem");
const addFimTokens = byId<HTMLButtonElement>("add-fim-tokens");
addFimTokens.addEventListener("click", () => void tokenizers.addSpecialTokens(FIM_TOKENS));
const addMaskToken = byId<HTMLButtonElement>("add-mask-token");
addMaskToken.addEventListener("click", () => void tokenizers.addSpecialTokens([ADDED_MASK_TOKEN]));
const statsView = setUpStatsView(byId("stats-section"));
const pythonView = setUpPythonView(byId("python-section"), (m) => (byId("export-status").textContent = m));
setUpExport(byId("export-section"), () =>
  lastResult ? exportText(exportBatch(lastResult, settings, api().version())) : null,
);

// --- tokenizers, runs and the link -----------------------------------------------------------------

const link = setUpLink(status, () => settings);
const tokenizers = setUpTokenizers(
  panel,
  status,
  () => settings,
  (t) => {
    settings = { ...settings, tokenizer: t.name };
    compareView.useTokenizers(tokenizers.comparable());
    link.writeSoon();
    rerolls.reset();
    runner.schedule(true);
  },
  (module) => {
    runner.startWorker(module, "full");
    buildView();
  },
);
const runner = setUpRunner(status, {
  text: () => settings.text,
  job,
  show,
  fullBuildNeeded(message) {
    if (!needsFullBuild(new Error(message))) return false;
    void tokenizers.switchToFullBuild().then(() => runner.schedule(true));
    return true;
  },
});

/** The footer's version says which build the page runs (lite until a tokenizer or a text needs the full one). */
function buildView() {
  const version = byId("version");
  version.textContent = api().version();
  version.dataset.build = buildName() ?? "";
  version.title = buildName() === "lite" ? "mlmask/lite (the full build loads when a tokenizer needs it)" : "mlmask (full build)";
}
const rerolls = setUpRerolls(statsView, runner, () => lastResult);

/** The views that describe one run: when there is none, each says why instead of showing an old one. */
const RUN_SECTIONS = ["steps-section", "tensors-section", "stats-section"];

/**
 * What the next run masks. When the strategy cannot run with this tokenizer, the problem is
 * shown with the one-click fix that applies, and the run only tokenizes (`notMasked`), so the
 * tokens still show while every view of a masked run says why it has none.
 */
function job(): { tokenizer: Loaded; settings: RunSettings } | null {
  const active = tokenizers.active();
  if (!active) return null;
  const problem = strategyProblem(settings.strategy, abilities(active.name, active.info));
  strategyProblemBox.hidden = problem === null;
  strategyProblemBox.textContent = problem ?? "";
  const needs = findStrategy(settings.strategy)?.needs;
  addFimTokens.hidden = problem === null || needs !== "fimTokens";
  addMaskToken.hidden = problem === null || needs !== "maskToken" || active.info.maskTokenId !== undefined;
  return { tokenizer: active, settings: problem === null ? settings : { ...settings, notMasked: problem } };
}

function show(r: MaskResult) {
  lastResult = r;
  renderResult(r);
  const active = tokenizers.active();
  if (active && !r.notMasked) rerolls.update(r, active, settings);
}

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
  // The step table holds one row's cells (flat positions); another row's index finds none.
  stepView.highlight(index);
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
  link.writeSoon();
  const onlyView = Object.keys(patch).every((k) => k === "step" || k === "whitespace");
  if (onlyView && lastResult) {
    renderResult(lastResult);
    return;
  }
  runner.schedule(patch.text === undefined || patch.text === before.text);
}

function renderControls() {
  controls.render(settings);
  textInput.render(settings);
}

async function copyLink() {
  await link.flush();
  status.idle((await copyText(location.href)) ? "Link copied: it reproduces this view." : "Copy the address bar to share this view.");
}

async function reset() {
  settings = { ...DEFAULTS };
  panel.error(null);
  status.clearNotices();
  renderControls();
  await link.flush();
  await showTokenizer(DEFAULTS.tokenizer);
}

/** Make `name` the active tokenizer (a bundled one), or re-run with it when it is already. */
async function showTokenizer(name: string) {
  if (tokenizers.active()?.name !== name) await tokenizers.selectBundled(name);
  else runner.schedule(true);
}

async function applyUrl() {
  const { settings: s, warnings } = await decodeSettings(location.hash);
  for (const w of warnings) status.notice(w, "warning");
  const wanted = s.tokenizer;
  settings = s;
  renderControls();
  if (isBundled(wanted) || tokenizers.active()?.name === wanted) return showTokenizer(wanted);
  // The user's own tokenizer is not in the link: ask before fetching anything.
  const source = parseTokenizerName(wanted);
  if (source.kind === "url") {
    panel.setUrl(source.href);
    document.querySelector<HTMLDetailsElement>(".own-tokenizer")!.open = true;
  }
  if (source.kind === "hub") {
    panel.setHub(source.id, source.revision);
    document.querySelector<HTMLDetailsElement>(".own-tokenizer")!.open = true;
  }
  status.notice(unloadedLinkNotice(wanted, DEFAULTS.tokenizer));
  settings = { ...settings, tokenizer: DEFAULTS.tokenizer };
  await tokenizers.selectBundled(DEFAULTS.tokenizer);
}

/**
 * The frame that draws the step, tensor, statistics and Python views: the chips come first (the
 * live part while typing), these in the frame after the chips are drawn.
 */
let restFrame = 0;
const lengthNotice = {
  box: byId("length-notice"),
  text: byId("length-notice-text"),
  truncate: byId<HTMLButtonElement>("truncate-rows"),
  split: byId<HTMLButtonElement>("split-blocks"),
  unsplit: byId<HTMLButtonElement>("no-blocks"),
  max: 0,
};
lengthNotice.truncate.addEventListener("click", () => change({ maxLength: lengthNotice.max }));
lengthNotice.split.addEventListener("click", () => change({ blocks: lengthNotice.max }));
lengthNotice.unsplit.addEventListener("click", () => change({ blocks: null }));

/**
 * Rows longer than the model reads, and the two ways training scripts handle them: truncation,
 * or run_mlm.py's group_texts (the texts concatenated and cut into blocks). In blocks, what was cut.
 */
function renderLengthNotice(r: MaskResult) {
  const n = lengthNotice;
  const active = tokenizers.active();
  const max = active?.maxLength ?? null;
  const over = max !== null && settings.maxLength === null && !r.blocks ? rowsOverLength(r.attentionMask, r.batchSize, r.seqLen, max) : [];
  n.box.hidden = !r.blocks && over.length === 0;
  n.truncate.hidden = n.split.hidden = over.length === 0;
  n.unsplit.hidden = !r.blocks;
  if (r.blocks) {
    const b = r.blocks;
    n.text.textContent =
      `Split as run_mlm.py's group_texts does: the texts with their special tokens, ${formatCount(b.tokens)} tokens in all, ` +
      `cut into ${formatCount(r.batchSize)} block${r.batchSize === 1 ? "" : "s"} of ${formatCount(r.seqLen)}` +
      (b.dropped > 0 ? `; the last ${formatCount(b.dropped)} tokens, which do not fill a block, are dropped.` : ".");
    return;
  }
  if (over.length === 0 || max === null || !active) return;
  n.max = max;
  const longest = Math.max(...over.map(([, len]) => len));
  const which = r.batchSize === 1 ? `The text has ${formatCount(longest)} tokens` : `${over.length} of ${r.batchSize} rows have more (up to ${formatCount(longest)} tokens)`;
  n.text.textContent =
    `${which}, more than the ${formatCount(max)} that ${displayName(active.name)} reads (model_max_length): positions past ${formatCount(max)} do not exist for the model. ` +
    `Training scripts either truncate each text (truncation=True, max_length=${max}) or concatenate the texts and cut them into blocks of ${max} tokens (run_mlm.py's group_texts).`;
  n.truncate.textContent = `Truncate to ${formatCount(max)} tokens`;
  n.split.textContent = `Split into blocks of ${formatCount(max)}`;
}

/** The main row's chips of the last render, drawn (true) or replaced by a newer render (false). */
let chipsDrawn = Promise.resolve(true);

function renderResult(r: MaskResult) {
  const chips = tokenView.render(r, settings, display === "decoded" ? "pieces" : display, unknownToken()?.id ?? null);
  chipsDrawn = chips;
  renderLengthNotice(r);
  renderDecoded(r);
  cancelAnimationFrame(restFrame);
  // The other views in the frame after the last chips: a long text's chips take a few frames,
  // and no frame lays out both (bench/demo.mjs measures the longest task while typing).
  void chips.then((complete) => {
    if (!complete || r !== lastResult) return;
    cancelAnimationFrame(restFrame);
    restFrame = requestAnimationFrame(() => {
      if (r !== lastResult) return;
      whenDrawn(r, [renderRest(r)]);
    });
  });
}

let shown = 0;
/**
 * For automation: count `r` as fully rendered (`<html data-runs>`) once every view is, the chips
 * of long texts included, unless a newer render replaced it meanwhile.
 */
function whenDrawn(r: MaskResult, chips: Promise<boolean>[]) {
  void Promise.all(chips).then((complete) => {
    if (r !== lastResult || !complete.every(Boolean)) return;
    document.documentElement.dataset.runs = String(++shown);
    if (window.mlmaskDemo) window.mlmaskDemo.ready = true;
  });
}

/** Every view but the chips; resolves once the compared row's chips are drawn. */
function renderRest(r: MaskResult): Promise<boolean> {
  const compared = compareView.render(r, compareRun(r), settings);
  // In blocks the rows are stretches of the input; the snippet starts from the texts themselves.
  const texts = r.blocks ? splitTexts(settings.text, settings.batch).texts : r.texts;
  const python = pythonSnippet(settings, texts, tokenizers.active()?.options.additionalSpecialTokens ?? []);
  const textsFile = snippetReadsFile(texts) ? snippetTextsFile(texts) : null;
  for (const id of RUN_SECTIONS) markUnavailable(byId(id), r.notMasked === null ? null : `nothing was masked. ${r.notMasked}`);
  if (r.notMasked !== null) {
    // Only the tokens: no view of a masked run describes this one.
    for (const id of ["tensor-view", "masked-lm-view", "seq2seq-view"]) byId(id).replaceChildren();
    byId("seq2seq-section").hidden = true;
    layoutViews.clear();
    pythonView.render(python, textsFile);
    return compared;
  }
  const maskToken = tokenizers.active()?.info.maskToken ?? "[MASK]";
  stepView.render(r, settings, maskToken);
  tensorView.render(r);
  seq2seqView.render(r);
  layoutViews.render(r);
  const c = countOutcomes(r.outcome, r.specialTokensMask, r.attentionMask);
  const binomial = settings.strategy === "token";
  statsView.render(c, binomial ? expectedCounts(c.eligible, settings.mlmProbability, settings) : null);
  const histogram = rerolls.current();
  if (histogram) statsView.plot(histogram.h, c.selected, histogram.caption, binomial);
  pythonView.render(python, textsFile);
  return compared;
}

// --- start -------------------------------------------------------------------------------------

declare global {
  interface Window {
    /** Automation hook for the tests: the mlmask module and the page's live objects. */
    mlmaskDemo?: {
      mlmask: typeof mlmask;
      ready: boolean;
      tokenizer(): mlmask.Tokenizer | null;
      settings(): Settings;
      result(): MaskResult | null;
      /** Timing of the last main-thread update (masking, and masking + chips), for the benchmark. */
      lastUpdate(): UpdateTiming | null;
      encodeOptions: typeof encodeOptions;
      maskerOptions: typeof maskerOptions;
    };
  }
}

// In-page links (the skip link, "step through"): the address's fragment holds the settings, so
// they scroll to their section and move focus there without touching it.
for (const link of document.querySelectorAll<HTMLAnchorElement>("a[data-jump]")) {
  link.addEventListener("click", (e) => {
    e.preventDefault();
    const target = byId(link.dataset.jump ?? "");
    target.scrollIntoView({ block: "start" });
    target.focus({ preventScroll: true });
  });
}

async function start() {
  renderControls();
  status.busy("Loading the WebAssembly module and tokenizers…", null);
  // mlmask/lite serves every bundled tokenizer; the full build loads when a file or a text needs
  // it. The tokenizer the page shows first downloads while the wasm compiles (Tokenizer.load);
  // any other only when the user picks it or types its URL.
  const module = await tokenizers.start("lite", new URLSearchParams(location.hash.slice(1)).get("tok") ?? DEFAULTS.tokenizer);
  useCatalog(api().strategies());
  compareView.useStrategies(settings.strategy);
  buildView();
  runner.startWorker(module, "lite");
  window.mlmaskDemo = {
    get mlmask() {
      return api();
    },
    ready: false,
    tokenizer: () => tokenizers.active()?.tok ?? null,
    settings: () => ({ ...settings }),
    result: () => lastResult,
    lastUpdate: runner.lastUpdate,
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
