// mlmask vs @huggingface/tokenizers (Tokenizers.js) and @huggingface/transformers, in the same
// Chromium page and the same Node process, on the same corpus and tokenizer files.
// Run through `bash scripts/bench.sh` (or `npm run bench`), which builds pkg/ first if needed.
// Writes bench/results/latest.json and latest.md, and prints the Markdown report.
//
// Environment: BENCH_ROUNDS (default 5), BENCH_ONLY=browser|node|cold (cold: only Chromium's
// cold start), BENCH_COLD_RUNS (default 9), BENCH_TOKENIZERS (comma-separated tokenizer names
// from tests/data).
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import { join } from "node:path";

import { buildCorpus } from "./corpus.mjs";
import { tokenizerJson as vendoredTokenizer } from "../tests/js/helpers.mjs";
import { launchChromium, serveFolder } from "../tests/support/browser.mjs";

const root = new URL("..", import.meta.url).pathname;
const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
const coldRuns = Number(process.env.BENCH_COLD_RUNS ?? 9);
const only = process.env.BENCH_ONLY ?? "";
// BERT (WordPiece fast path) and RoBERTa (byte-level BPE fast path) are the targets; T5
// (Unigram) and Mistral (SentencePiece BPE) have no fast path and show the crate path.
const TOKENIZERS = (process.env.BENCH_TOKENIZERS ?? "bert-base-uncased,roberta-base,t5-small,mistral-7b-v0.1").split(",");
// The cold-start targets: the two tokenizers with a fast path.
const COLD_TOKENIZERS = ["bert-base-uncased", "roberta-base"].filter((n) => TOKENIZERS.includes(n));
const log = (m) => console.error(m);

const corpus = buildCorpus();
const tokenizerJson = Object.fromEntries(
  TOKENIZERS.map((n) => [n, vendoredTokenizer(n)]),
);
const require = createRequire(import.meta.url);
const version = (p) => JSON.parse(readFileSync(join(root, "node_modules", p, "package.json"), "utf8")).version;

const report = {
  date: new Date().toISOString(),
  machine: {
    cpu: os.cpus()[0]?.model,
    cores: os.cpus().length,
    memGiB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    loadBefore: os.loadavg(),
  },
  versions: {
    mlmask: JSON.parse(readFileSync(join(root, "pkg/package.json"), "utf8")).version,
    "@huggingface/tokenizers": version("@huggingface/tokenizers"),
    "@huggingface/transformers": version("@huggingface/transformers"),
  },
  corpus: { files: corpus.files, lines: corpus.lines.length, bytes: corpus.bytes, sha256: corpus.sha256 },
  rounds,
};

// ---------------------------------------------------------------- shipped bytes
/** Raw, gzip and brotli bytes of `files`, each compressed alone (as a server sends them). */
function sizes(...files) {
  const total = { raw: 0, gzip: 0, brotli: 0 };
  for (const file of files) {
    total.raw += readFileSync(file).length;
    total.gzip += execFileSync("gzip", ["-9", "-c", file], { maxBuffer: 1 << 28 }).length;
    total.brotli += execFileSync("brotli", ["-q", "11", "-c", file], { maxBuffer: 1 << 28 }).length;
  }
  return total;
}
const shipped = {
  "mlmask_bg.wasm": sizes(join(root, "pkg/mlmask_bg.wasm")),
  "mlmask.js": sizes(join(root, "pkg/mlmask.js")),
  "lite/mlmask_bg.wasm": sizes(join(root, "pkg/lite/mlmask_bg.wasm")),
  "lite/mlmask.js": sizes(join(root, "pkg/lite/mlmask.js")),
  // The entry a page imports and Tokenizer.load's layer, which both builds share.
  "web.js + load.js": sizes(join(root, "pkg/web.js"), join(root, "pkg/load.js")),
  "Tokenizers.js (tokenizers.min.mjs)": sizes(join(root, "node_modules/@huggingface/tokenizers/dist/tokenizers.min.mjs")),
  "transformers.js (transformers.web.min.js, without onnxruntime)": sizes(
    join(root, "node_modules/@huggingface/transformers/dist/transformers.web.min.js"),
  ),
  "tokenizer.json (bert-base-uncased)": sizes(join(root, "www/public/tokenizers/bert-base-uncased.json")),
};
shipped["mlmask wasm + JS"] = Object.fromEntries(
  ["raw", "gzip", "brotli"].map((k) => [k, shipped["mlmask_bg.wasm"][k] + shipped["mlmask.js"][k] + shipped["web.js + load.js"][k]]),
);
shipped["mlmask/lite wasm + JS"] = Object.fromEntries(
  ["raw", "gzip", "brotli"].map((k) => [k, shipped["lite/mlmask_bg.wasm"][k] + shipped["lite/mlmask.js"][k] + shipped["web.js + load.js"][k]]),
);
report.shipped = shipped;

// ---------------------------------------------------------------- the demo's render model
// www/src/model (another part of the project) is TypeScript: transpile it into the staging
// folder, for the two modules the demo's update runs (segments, outcome counts).
function stageModel(dir) {
  const src = join(root, "www/src/model");
  if (!existsSync(join(src, "segments.ts")) || !existsSync(join(src, "outcome.ts"))) return false;
  const ts = require("typescript");
  mkdirSync(dir, { recursive: true });
  // Every module of the model, since the two import others (outcome.ts imports format.ts).
  const names = readdirSync(src).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts") && !f.endsWith(".d.ts"));
  for (const name of names.map((f) => f.slice(0, -3))) {
    const out = ts.transpileModule(readFileSync(join(src, `${name}.ts`), "utf8"), {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    }).outputText;
    writeFileSync(join(dir, `${name}.js`), out.replace(/from "\.\/([\w-]+)"/g, 'from "./$1.js"'));
  }
  return true;
}

const stage = mkdtempSync(join(os.tmpdir(), "mlmask-bench-"));
for (const d of ["pkg", "node_modules", "bench"]) symlinkSync(join(root, d), join(stage, d));
mkdirSync(join(stage, "data"));
const hasModel = stageModel(join(stage, "model"));
writeFileSync(join(stage, "data/lines.json"), JSON.stringify(corpus.lines));
for (const [n, j] of Object.entries(tokenizerJson)) writeFileSync(join(stage, `data/${n}.json`), j);
writeFileSync(join(stage, "data/config.json"), JSON.stringify({ tokenizers: TOKENIZERS, rounds, model: hasModel }));
report.renderModel = hasModel;

async function loadModelNode() {
  if (!hasModel) return null;
  const segments = await import(join(stage, "model/segments.js"));
  const outcome = await import(join(stage, "model/outcome.js"));
  return { ...segments, ...outcome };
}

// ---------------------------------------------------------------- Chromium
if (only !== "node") {
  const browser = await launchChromium();
  const server = await serveFolder(stage);
  report.chromium = { version: browser.version() };
  try {
    const page = await browser.newPage();
    page.on("console", (m) => log(m.text()));
    page.on("pageerror", (e) => log(`page error: ${e}`));
    if (only !== "cold") {
      await page.goto(`${server.url}bench/web/page.html`);
      await page.waitForFunction(() => window.__results || window.__error, null, { timeout: 60 * 60 * 1000 });
      const error = await page.evaluate(() => window.__error);
      if (error) throw new Error(error);
      report.chromium.results = await page.evaluate(() => window.__results);
    }
    await page.close();

    // Cold start: a fresh context (empty HTTP and code caches) per navigation, alternating.
    const cold = {};
    for (let i = 0; i < coldRuns; i++) {
      for (const name of COLD_TOKENIZERS) {
        for (const [library, page] of [
          ["mlmask", "cold-mlmask.html?"],
          ["mlmask/lite", "cold-mlmask.html?build=lite&"],
          ["Tokenizers.js", "cold-tjs.html?"],
        ]) {
          const context = await browser.newContext();
          const p = await context.newPage();
          await p.goto(`${server.url}bench/web/${page}tok=${name}`);
          await p.waitForFunction(() => window.__marks, null, { timeout: 60000 });
          (cold[`${library}, ${name}`] ??= []).push(await p.evaluate(() => window.__marks));
          await context.close();
        }
      }
    }
    report.chromium.cold = cold;
  } finally {
    await server.close();
    await browser.close();
  }
}

// ---------------------------------------------------------------- Node
if (only !== "browser" && only !== "cold") {
  const mlmask = await import("mlmask");
  const mlmaskLite = await import("mlmask/lite");
  const { Tokenizer: TJS } = await import("@huggingface/tokenizers");
  let TF = null;
  try {
    TF = (await import("@huggingface/transformers")).PreTrainedTokenizer;
  } catch (e) {
    log(`transformers.js unavailable in Node: ${e}`);
  }
  const model = await loadModelNode();
  report.node = await (await import("./cases.mjs")).runCases({
    mlmask,
    mlmaskLite,
    TJS,
    TF,
    tokenizers: tokenizerJson,
    lines: corpus.lines,
    rounds,
    model,
    log: (m) => log(`[node] ${m}`),
  });
}
report.machine.loadAfter = os.loadavg();
rmSync(stage, { recursive: true, force: true });

// ---------------------------------------------------------------- report
const f = (x, d = 2) => (x >= 100 ? x.toFixed(0) : x.toFixed(d));
const range = (s, d = 2) => `${f(s.median, d)} [${f(s.min, d)}–${f(s.max, d)}]`;
const md = [];
md.push(`# mlmask benchmark — ${report.date}`, "");
md.push(
  `Machine: ${report.machine.cpu}, ${report.machine.cores} cores, ${report.machine.memGiB} GiB, ${report.machine.os}; ` +
    `Node ${report.machine.node}; Chromium ${report.chromium?.version ?? "–"}; load average before ` +
    `${report.machine.loadBefore.map((x) => x.toFixed(2)).join(" ")}, after ${report.machine.loadAfter.map((x) => x.toFixed(2)).join(" ")}.`,
);
md.push(
  `Peers: @huggingface/tokenizers ${report.versions["@huggingface/tokenizers"]}, @huggingface/transformers ${report.versions["@huggingface/transformers"]}. ` +
    `Corpus: ${report.corpus.lines} lines, ${report.corpus.bytes} bytes, sha256 ${report.corpus.sha256}. ${rounds} rounds per case; ` +
    `cells are median [min–max] over rounds; ratios are per-round peer time / mlmask time.`,
  "",
);
for (const [env, res] of [
  ["Chromium", report.chromium?.results],
  ["Node", report.node],
]) {
  if (!res) continue;
  for (const [name, r] of Object.entries(res.tokenizers)) {
    md.push(`## ${env}, ${name} (${r.tokens} tokens; Tokenizers.js counts ${r.tjsTokens})`, "");
    md.push("| load (tokenizer.json text → tokenizer) | ms | × Tokenizers.js |", "|---|---|---|");
    for (const [k, c] of Object.entries(r.load)) {
      const peer = c.ratios["Tokenizers.js JSON.parse + new Tokenizer"];
      md.push(`| ${k} | ${range(c.ms)} | ${peer ? range(peer) : "–"} |`);
    }
    md.push("");
    md.push("| case | Mtok/s | ms per corpus pass | × Tokenizers.js | × transformers.js |", "|---|---|---|---|---|");
    for (const [k, c] of Object.entries(r.cases)) {
      const ratio = (p) => (c.ratios[p] ? range(c.ratios[p]) : "–");
      md.push(`| ${k} | ${range(c.mtokPerS)} | ${range(c.ms, 0)} | ${ratio("Tokenizers.js encode")} | ${ratio("transformers.js encode")} |`);
    }
    for (const [k, c] of Object.entries(r.warm)) md.push(`| ${k}, second pass (warm caches) | ${range(c.mtokPerS)} | ${range(c.ms, 0)} | | |`);
    md.push("", "| per call: `encode(\"hello world\")` ×20,000 | µs per call |", "|---|---|");
    for (const [k, s] of Object.entries(r.perCallUs)) md.push(`| ${k} | ${range(s)} |`);
    const m = r.masking;
    md.push(
      "",
      `Masking alone: one ${m.batchSize}×${m.seqLen} batch (${m.cells} positions, ${m.realTokens} tokens), masked repeatedly.`,
      "",
      "| strategy | M positions/s | M tokens/s | ms per batch |",
      "|---|---|---|---|",
    );
    for (const [k, s] of Object.entries(m.strategies)) {
      if (s.error) md.push(`| ${k} | – | – | ${s.error} |`);
      else md.push(`| ${k} | ${range(s.mPositionsPerS, 1)} | ${range(s.mTokensPerS, 1)} | ${range(s.msPerBatch, 3)} |`);
    }
    if (!Object.keys(m.strategies).length) md.push("| (no mask token: tokenization only) | | | |");
    if (r.demo) {
      md.push(
        "",
        `Demo update (${r.demo.tokens} tokens: encode with offsets + mask${r.demo.renderModel ? " + www/src/model segments and outcome counts" : ""}): ${range(r.demo.ms, 3)} ms.`,
      );
    }
    md.push("");
  }
}
if (report.chromium?.cold) {
  md.push("## Chromium cold start (navigation → first mask / first encode), ms", "");
  md.push(
    "mlmask's page is the README's quick start: `await Tokenizer.load(url)` (no `init()` first), encode, mask, with the `mlmask` or the `mlmask/lite` entry.",
    "The download columns are the responses' ends (resource timing): the wasm and the JSON download side by side.",
    "",
  );
  md.push(
    "| | module | wasm downloaded | tokenizer.json downloaded | tokenizer loaded | first mask / encode |",
    "|---|---|---|---|---|---|",
  );
  for (const [k, runs] of Object.entries(report.chromium.cold)) {
    const col = (key) => (runs[0][key] === undefined ? "–" : range(stats(runs.map((r) => r[key])), 0));
    md.push(`| ${k} | ${col("module")} | ${col("wasm")} | ${col("fetched")} | ${col("loaded")} | ${col("firstMask")} |`);
  }
  // The target: mlmask's first mask no later than Tokenizers.js's first encode, per tokenizer.
  const firstMask = (key) => stats(report.chromium.cold[key].map((r) => r.firstMask)).median;
  for (const name of COLD_TOKENIZERS) {
    for (const build of ["mlmask", "mlmask/lite"]) {
      const ratio = firstMask(`${build}, ${name}`) / firstMask(`Tokenizers.js, ${name}`);
      md.push("", `${name}: ${build}'s median first mask takes ${ratio.toFixed(2)}× Tokenizers.js's median first encode.`);
    }
  }
  md.push("");
}
md.push("## Shipped bytes", "", "| file | raw | gzip -9 | brotli -q 11 |", "|---|---|---|---|");
for (const [k, s] of Object.entries(shipped)) md.push(`| ${k} | ${s.raw} | ${s.gzip} (${(s.gzip / 1024).toFixed(0)} KiB) | ${s.brotli} |`);
md.push("");

function stats(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return { median: s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2, min: s[0], max: s[s.length - 1] };
}

mkdirSync(join(root, "bench/results"), { recursive: true });
writeFileSync(join(root, "bench/results/latest.json"), JSON.stringify(report, null, 1));
writeFileSync(join(root, "bench/results/latest.md"), md.join("\n"));
console.log(md.join("\n"));
