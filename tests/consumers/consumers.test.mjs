// The npm tarball as users get it: its manifest, a plain Node project, a TypeScript check of the
// generated types, and a Vite project whose build is loaded in Chromium.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

import { launchChromium, serveFolder } from "../support/browser.mjs";

const repo = fileURLToPath(new URL("../../", import.meta.url));
const bertJson = join(repo, "www/public/tokenizers/bert-base-uncased.json");
const viteVersion = JSON.parse(readFileSync(join(repo, "node_modules/vite/package.json"), "utf8")).version;
const SENTENCE = "The quick brown fox jumps over the lazy dog.";

let work;
let tarball;

const run = (cmd, args, cwd) => execFileSync(cmd, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
/** Run tsc, failing with its diagnostics (printed on stdout) rather than a bare exit code. */
function tscRun(tsc, cwd, args) {
  try {
    run("node", [tsc, ...args], cwd);
  } catch (e) {
    assert.fail(`tsc failed:\n${e.stdout}${e.stderr}`);
  }
}
const npmInstall = (cwd) => run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"], cwd);

before(() => {
  work = mkdtempSync(join(tmpdir(), "mlmask-consumers-"));
  const [packed] = JSON.parse(run("npm", ["pack", join(repo, "pkg"), "--pack-destination", work, "--json"], repo));
  tarball = join(work, packed.filename);
});

after(() => rmSync(work, { recursive: true, force: true }));

test("the tarball's package.json has exports, types and files, and ships them all", () => {
  run("tar", ["-xzf", tarball, "-C", work], work);
  const dir = join(work, "package");
  const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  assert.equal(manifest.name, "mlmask");
  assert.equal(manifest.type, "module");
  assert.equal(manifest.types, "mlmask.d.ts");
  assert.deepEqual(manifest.exports["."], { types: "./mlmask.d.ts", node: "./node.js", default: "./web.js" });
  assert.deepEqual(manifest.exports["./lite"], {
    types: "./lite/mlmask.d.ts",
    node: "./lite/node.js",
    default: "./lite/web.js",
  });
  // The entries attach Tokenizer.load: a bundler that skipped them would lose it.
  for (const entry of ["./web.js", "./node.js", "./lite/web.js", "./lite/node.js"]) assert.ok(manifest.sideEffects.includes(entry), entry);
  for (const file of ["mlmask_bg.wasm", "web.js", "node.js"]) assert.ok(existsSync(join(dir, "lite", file)), `the tarball has lite/${file}`);
  assert.ok(WebAssembly.validate(readFileSync(join(dir, "lite/mlmask_bg.wasm"))), "the lite wasm validates");
  assert.equal(
    readFileSync(join(dir, "lite/mlmask.d.ts"), "utf8"),
    readFileSync(join(dir, "mlmask.d.ts"), "utf8"),
    "lite declares the same API",
  );
  for (const file of ["mlmask.js", "mlmask.d.ts", "mlmask_bg.wasm", "web.js", "web.d.ts", "node.js", "node.d.ts", "load.js", "README.md", "LICENSE"]) {
    assert.ok(manifest.files.includes(file), `files lists ${file}`);
    assert.ok(existsSync(join(dir, file)), `the tarball has ${file}`);
  }
  const wasm = readFileSync(join(dir, "mlmask_bg.wasm"));
  assert.ok(WebAssembly.validate(wasm), "the shipped wasm validates");
});

test("a Node project installs the tarball and masks a sentence", () => {
  const app = join(work, "node-app");
  mkdirSync(app);
  writeFileSync(join(app, "package.json"), JSON.stringify({ type: "module", private: true, dependencies: { mlmask: `file:${tarball}` } }));
  npmInstall(app);
  writeFileSync(
    join(app, "index.mjs"),
    `import { readFileSync } from "node:fs";
import { Tokenizer, Masker } from "mlmask";
const tok = Tokenizer.fromJSON(readFileSync(${JSON.stringify(bertJson)}, "utf8"));
const masker = new Masker(tok, { mlmProbability: 1, maskReplaceProb: 1, randomReplaceProb: 0, seed: 0 });
const out = masker.mask(tok.encode(${JSON.stringify(SENTENCE)}));
console.log(JSON.stringify({ inputIds: [...out.inputIds], labels: [...out.labels] }));
`,
  );
  // The same program against mlmask/lite, and both again with Tokenizer.load reading the file.
  writeFileSync(join(app, "lite.mjs"), readFileSync(join(app, "index.mjs"), "utf8").replace('from "mlmask"', 'from "mlmask/lite"'));
  for (const entry of ["index", "lite"]) {
    const program = readFileSync(join(app, `${entry}.mjs`), "utf8").replace(
      /Tokenizer\.fromJSON\(readFileSync\(([^,]+), "utf8"\)\)/,
      "await Tokenizer.load($1)",
    );
    assert.match(program, /await Tokenizer\.load\(/);
    writeFileSync(join(app, `${entry}-load.mjs`), program);
  }
  for (const entry of ["index.mjs", "lite.mjs", "index-load.mjs", "lite-load.mjs"]) {
    const out = JSON.parse(run("node", [entry], app));
    assert.deepEqual(out.inputIds, [101, ...Array(10).fill(103), 102], entry);
    assert.deepEqual(out.labels, [-100, 1996, 4248, 2829, 4419, 14523, 2058, 1996, 13971, 3899, 1012, -100], entry);
  }
});

test("TypeScript accepts correct use of the generated types and rejects wrong options", () => {
  const app = join(work, "node-app");
  writeFileSync(
    join(app, "check.ts"),
    `import { Tokenizer, Masker, Outcome, type Encoding, type MaskedBatch, type BatchEncoding, type LoadProgress } from "mlmask";
declare const json: string;
const tok: Tokenizer = Tokenizer.fromJSON(json, { maskToken: "[MASK]" });
const enc: Encoding = tok.encode("hi", { addSpecialTokens: true, truncation: { maxLength: 8 }, padding: false });
const ids: Uint32Array = enc.ids;
const offsets: Uint32Array | undefined = enc.offsets; // absent after offsets: false
// @ts-expect-error: offsets may be absent
const unchecked: Uint32Array = enc.offsets;
const words: Int32Array = enc.wordIds;
const batch: BatchEncoding = tok.encodeBatch(["a", "b"], { padToMultipleOf: 8 });
const masker = new Masker(tok, { mlmProbability: 0.15, randomTokens: "nonSpecial", seed: 1 });
const out: MaskedBatch = masker.mask(batch);
const labels: Int32Array = out.labels;
const kept: boolean = out.outcome[0] === Outcome.Kept;
const vocab: number = tok.vocabSize;
const mask: number | undefined = tok.maskTokenId;
const loading: Promise<Tokenizer> = Tokenizer.load("/tokenizer.json", {
  maskToken: "[MASK]",
  signal: new AbortController().signal,
  onProgress: ({ loaded, total }: LoadProgress) => console.log(loaded, total ?? "?"),
});
for (const source of [new URL("https://example.com/t.json"), new Request("/t.json"), new Blob([]), new Uint8Array(0), fetch("/t.json")]) {
  void Tokenizer.load(source);
}
// @ts-expect-error: the text goes to fromJSON; load takes where the file is
void Tokenizer.load(42);
// @ts-expect-error: misspelt load option
void Tokenizer.load("/tokenizer.json", { onProgres: () => {} });
// @ts-expect-error: misspelt option
new Masker(tok, { mlmProbabilty: 0.1 });
// @ts-expect-error: not a random-token mode
new Masker(tok, { randomTokens: "all" });
export { ids, offsets, unchecked, words, labels, kept, vocab, mask, loading };
`,
  );
  // mlmask/lite resolves to the same declarations.
  writeFileSync(join(app, "check-lite.ts"), readFileSync(join(app, "check.ts"), "utf8").replace('from "mlmask"', 'from "mlmask/lite"'));
  const tsc = join(repo, "node_modules/typescript/bin/tsc");
  tscRun(tsc, app, ["--noEmit", "--strict", "--module", "nodenext", "--moduleResolution", "nodenext", "--target", "es2022", "check.ts", "check-lite.ts"]);
});

test("a Vite project bundles both entries, and its build loads a tokenizer.json and masks a sentence with each in Chromium", async () => {
  const app = join(work, "vite-app");
  mkdirSync(join(app, "public"), { recursive: true });
  writeFileSync(
    join(app, "package.json"),
    JSON.stringify({ type: "module", private: true, dependencies: { mlmask: `file:${tarball}`, vite: viteVersion } }),
  );
  cpSync(bertJson, join(app, "public/bert.json"));
  writeFileSync(join(app, "index.html"), `<!doctype html><html><body><pre id="out"></pre><script type="module" src="./main.js"></script></body></html>`);
  writeFileSync(
    join(app, "main.js"),
    `import { Tokenizer, Masker } from "mlmask";
import * as lite from "mlmask/lite";
const out = document.querySelector("#out");
try {
  const results = [];
  for (const api of [{ Tokenizer, Masker }, lite]) {
    // The README's pattern: no init() first; load compiles the wasm while it fetches the file.
    const tok = await api.Tokenizer.load("./bert.json");
    const masker = new api.Masker(tok, { mlmProbability: 1, maskReplaceProb: 1, randomReplaceProb: 0, seed: 0 });
    const masked = masker.mask(tok.encode(${JSON.stringify(SENTENCE)}));
    results.push({ inputIds: [...masked.inputIds], labels: [...masked.labels] });
  }
  // A file the server lacks: an Error that names it, and the module keeps working.
  results.push(await Tokenizer.load("./missing.json").then(() => "loaded", (e) => e.message));
  results.push([...(await Tokenizer.load("./bert.json")).encode("hello").ids]);
  out.textContent = JSON.stringify(results);
  out.dataset.status = "done";
} catch (e) {
  out.textContent = String(e && e.stack || e);
  out.dataset.status = "error";
}
`,
  );
  npmInstall(app);
  run("node", [join(app, "node_modules/vite/bin/vite.js"), "build", "--base", "./", "--logLevel", "warn"], app);
  const server = await serveFolder(join(app, "dist"));
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(server.url);
    await page.waitForSelector("#out[data-status]");
    const status = await page.getAttribute("#out", "data-status");
    const text = await page.textContent("#out");
    assert.equal(status, "done", text);
    const [result, liteResult, missing, after] = JSON.parse(text);
    assert.deepEqual(result.inputIds, [101, ...Array(10).fill(103), 102]);
    assert.equal(result.labels[1], 1996);
    assert.deepEqual(liteResult, result, "mlmask/lite in the Vite build masks as the full build");
    // Vite's preview server answers a missing path with 404 or with the app's index.html.
    assert.match(missing, /could not (fetch|load) the tokenizer\.json at http:\/\/127\.0\.0\.1:\d+\/missing\.json(: the server answered HTTP 404| \(the server answered with an HTML page)/);
    assert.deepEqual(after, [101, 7592, 102]);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    await server.close();
  }
});
