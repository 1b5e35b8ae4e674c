// The README's JavaScript examples, run as written against the built package: the quick start and
// the `onProgress` example in Chromium (the tokenizer.json served at /tokenizer.json, the only
// change the package's import path and the example's host), the Node example in Node. The values
// the quick start's comments promise are checked too.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

import { launchChromium, serveFolder } from "../support/browser.mjs";

const repo = fileURLToPath(new URL("../../", import.meta.url));
const bertJson = readFileSync(join(repo, "www/public/tokenizers/bert-base-uncased.json"));
const readme = readFileSync(join(repo, "README.md"), "utf8");
const quickStart = readme.slice(readme.indexOf("## JavaScript quick start"), readme.indexOf("### API"));
const [browserExample, progressExample, nodeExample] = [...quickStart.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]);

let work;
before(() => {
  work = mkdtempSync(join(tmpdir(), "mlmask-readme-"));
});
after(() => rmSync(work, { recursive: true, force: true }));

test("the README has the three JavaScript examples this test runs", () => {
  assert.match(browserExample, /await Tokenizer\.load\("\/tokenizer\.json"\)/);
  const code = browserExample.replace(/\/\/.*$/gm, "");
  assert.doesNotMatch(code, /\binit\b/, "the quick start needs no init()");
  assert.match(progressExample, /onProgress/);
  assert.match(nodeExample, /await Tokenizer\.load\("tokenizer\.json"\)/);
});

test("the quick start and the onProgress example run in Chromium and give the values the comments say", async () => {
  const site = join(work, "site");
  mkdirSync(site);
  symlinkSync(join(repo, "pkg"), join(site, "pkg"));
  writeFileSync(join(site, "tokenizer.json"), bertJson);
  const fromPackage = (code) => code.replaceAll('from "mlmask"', 'from "/pkg/web.js"');
  writeFileSync(
    join(site, "quick-start.js"),
    `${fromPackage(browserExample)}
window.__readme = {
  ids: [...enc.ids],
  tokens: enc.tokens,
  emoji: "Hello world 😀".slice(enc.offsets[6], enc.offsets[7]),
  labels: [...out.labels],
  outcomes: [...out.outcome].every((o) => [Outcome.Unselected, Outcome.Mask, Outcome.Random, Outcome.Kept].includes(o)),
  batch: [batch.batchSize, batch.seqLen, batch.batch.ids.length],
};
`,
  );
  writeFileSync(
    join(site, "progress.js"),
    `import { Tokenizer } from "/pkg/web.js";
const logged = [];
console.log = (line) => logged.push(line);
${progressExample.replace("https://example.com/tokenizer.json", "/tokenizer.json")}
window.__readme = { logged, vocabSize: tok.vocabSize };
`,
  );
  for (const name of ["quick-start", "progress"]) {
    writeFileSync(join(site, `${name}.html`), `<!doctype html><meta charset="utf-8"><script type="module" src="./${name}.js"></script>`);
  }
  const server = await serveFolder(site);
  const browser = await launchChromium();
  try {
    const run = async (page) => {
      const tab = await browser.newPage();
      const errors = [];
      tab.on("pageerror", (e) => errors.push(e.message));
      await tab.goto(`${server.url}${page}`);
      await tab.waitForFunction(() => window.__readme, null, { timeout: 30000 }).catch(() => {});
      const result = await tab.evaluate(() => window.__readme);
      assert.deepEqual(errors, [], page);
      await tab.close();
      return result;
    };
    const quick = await run("quick-start.html");
    assert.deepEqual(quick.ids, [101, 7592, 2088, 100, 102]);
    assert.deepEqual(quick.tokens, ["[CLS]", "hello", "world", "[UNK]", "[SEP]"]);
    assert.equal(quick.emoji, "😀");
    assert.equal(quick.labels.length, 5);
    assert.ok(quick.outcomes);
    assert.equal(quick.batch[0], 2);
    assert.equal(quick.batch[2], 2 * quick.batch[1]);

    const progress = await run("progress.html");
    assert.equal(progress.vocabSize, 30522);
    assert.equal(progress.logged.at(-1), "100%", progress.logged.join(", "));
  } finally {
    await browser.close();
    await server.close();
  }
});

test("the Node example runs in Node with a tokenizer.json in the working folder", () => {
  const app = join(work, "node");
  mkdirSync(join(app, "node_modules"), { recursive: true });
  symlinkSync(join(repo, "pkg"), join(app, "node_modules/mlmask"));
  writeFileSync(join(app, "tokenizer.json"), bertJson);
  writeFileSync(join(app, "example.mjs"), `${nodeExample}\nconsole.log(JSON.stringify([...tok.encode("Hello world").ids]));\n`);
  const out = execFileSync("node", ["example.mjs"], { cwd: app, encoding: "utf8" });
  assert.deepEqual(JSON.parse(out), [101, 7592, 2088, 102]);
});
