// End-to-end tests of the masking strategies and the random streams (issues 4 and 5).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { andRun, chips, nextRun, openDemo, RESULTS, runs, settle, siteForTests, T, tensorRow, typeText } from "./helpers.mjs";
import { tokenizerJson } from "../js/helpers.mjs";

const TEXT = "The quick brown fox jumps over the lazy dog. Masked language models learn by filling in the blanks.";

const site = siteForTests();

async function choose(page, selector, value) {
  const before = await runs(page);
  await page.selectOption(selector, value);
  await nextRun(page, before);
  await settle(page);
}

/** The chips that belong to a group, with their span and joined-chip part. */
function grouped(page) {
  return page.$$eval("#token-view .chip[data-span]", (els) =>
    els.map((e) => ({ index: Number(e.dataset.index), span: Number(e.dataset.span), part: [...e.classList].find((c) => c.startsWith("grp-")) })),
  );
}

async function uploadT5(page) {
  const before = await runs(page);
  await page.setInputFiles("#tokenizer-file", { name: "t5-small.json", mimeType: "application/json", buffer: Buffer.from(tokenizerJson("t5-small")) });
  await page.waitForFunction(() => window.mlmaskDemo.settings().tokenizer === "file:t5-small.json");
  await nextRun(page, before);
  await settle(page);
}

describe("masking strategies", () => {
  it("offers every strategy, each with its parameters, and draws groups as joined chips", T, async () => {
    const { page, context, errors } = await openDemo(site, { fragment: "p=0.4&seed=7" });
    const offered = await page.$$eval("#strategy option", (os) => os.map((o) => o.value));
    assert.deepEqual(offered, ["token", "exactCount", "wholeWord", "ngram", "span", "t5SpanCorruption", "bartInfilling", "ul2", "fim", "lexiconSpans"]);
    const params = {
      token: [],
      exactCount: ["maxPredictions", "countSpecialTokens"],
      wholeWord: ["wordBoundary", "replacement", "selection"],
      ngram: ["maxN", "wordBoundary"],
      span: ["geometricP", "maxSpan", "replacement"],
      bartInfilling: ["maskRatio", "poissonLambda", "randomRatio"],
    };
    for (const [strategy, keys] of Object.entries(params)) {
      if (strategy !== "token") await choose(page, "#strategy", strategy);
      assert.deepEqual(await page.$$eval("#strategy-params [data-param]", (els) => els.map((e) => e.dataset.param)), keys);
      assert.equal(await page.evaluate(() => window.mlmaskDemo.settings().strategy), strategy);
      const g = await grouped(page);
      const c = await chips(page);
      if (["wholeWord", "ngram", "span", "bartInfilling"].includes(strategy)) {
        assert.ok(g.length > 0, `${strategy}: no joined chips`);
        // Exactly the selected chips carry data-span, and data-span follows the result's spanIds.
        const spanIds = await page.evaluate(() => Array.from(window.mlmaskDemo.result().spanIds));
        for (const x of c) assert.equal(g.some((y) => y.index === x.index), spanIds[x.index] >= 0, `${strategy} chip ${x.index}`);
        for (const y of g) assert.equal(y.span, spanIds[y.index]);
        // Runs of one group: start … end, or a solo chip.
        for (let k = 0; k < g.length; k++) {
          const joinedToNext = k + 1 < g.length && g[k + 1].index === g[k].index + 1 && g[k + 1].span === g[k].span;
          assert.ok(joinedToNext ? ["grp-start", "grp-middle"].includes(g[k].part) : ["grp-end", "grp-solo"].includes(g[k].part), `${strategy}: ${JSON.stringify(g[k])}`);
        }
        // The step view describes this strategy instead of the token steps.
        assert.equal(await page.isVisible("#token-steps"), false);
        assert.ok((await page.locator("#strategy-steps-list li").count()) >= 4);
      } else {
        assert.equal(g.length, 0, `${strategy}: unexpected groups`);
      }
      if (strategy === "span") await page.screenshot({ path: `${RESULTS}/strategy-span-desktop.png`, fullPage: true });
    }
    // A parameter control changes the masks and lands in the URL.
    await choose(page, "#strategy", "span");
    const before = await runs(page);
    await page.fill("#param-maxSpan", "2");
    await nextRun(page, before);
    await settle(page);
    assert.equal(await page.evaluate(() => window.mlmaskDemo.settings().strategyParams.maxSpan), 2);
    await page.waitForFunction(() => location.hash.includes("s.maxSpan=2"));
    assert.deepEqual(errors, []);
    await context.close();
  });

  it("shows exactCount's masked_lm lists", T, async () => {
    const { page, context } = await openDemo(site, { fragment: "strategy=exactCount&s.maxPredictions=6&p=0.3" });
    await page.waitForSelector("#masked-lm-view:not([hidden])");
    const positions = await page.$$eval('#masked-lm-view tr[data-list="masked_lm_positions"] td', (tds) => tds.map((t) => Number(t.textContent)));
    const weights = await page.$$eval('#masked-lm-view tr[data-list="masked_lm_weights"] td', (tds) => tds.map((t) => Number(t.textContent)));
    assert.equal(positions.length, 6);
    const selected = (await chips(page)).filter((x) => x.outcome !== "unselected").map((x) => x.index);
    assert.deepEqual(positions.filter((_, k) => weights[k] === 1), selected);
    assert.equal(selected.length, Math.min(6, Math.max(1, Math.round(0.3 * (await chips(page)).filter((x) => x.kind === "kind-token").length))));
    await context.close();
  });

  // t5-small's tokenizer.json is not bundled: the test drops the vendored copy (tests/data) on the page.
  it("shows T5's encoder input and target side by side, sentinels linked to their spans", T, async () => {
    for (const [name, viewport] of [
      ["desktop", { width: 1366, height: 900 }],
      ["phone", { width: 390, height: 844 }],
    ]) {
      const { page, context, errors } = await openDemo(site, { viewport, fragment: "strategy=t5SpanCorruption&s.noiseDensity=0.3&seed=3" });
      // bert-base-uncased has no sentinels: a clear message, and its tokens unmasked.
      await page.waitForSelector("#strategy-problem:not([hidden])");
      assert.match(await page.textContent("#strategy-problem"), /<extra_id_0>.*bert-base-uncased has none/);
      await settle(page);
      const outcomes = await page.$$eval("#token-view .chip[data-index]", (els) => els.map((e) => e.dataset.outcome));
      assert.ok(outcomes.length > 0 && outcomes.every((o) => o === "unselected"));
      await uploadT5(page);
      assert.equal(await page.isHidden("#strategy-problem"), true);
      assert.equal(await page.textContent('[data-info="mask"]'), "none");
      await page.waitForSelector("#seq2seq-section:not([hidden])");
      const left = await page.$$eval('#seq2seq-view [data-side="left"] .seq-cell', (els) => els.map((e) => ({ kind: e.dataset.kind, span: e.dataset.span, token: e.querySelector(".seq-token").textContent })));
      const right = await page.$$eval('#seq2seq-view [data-side="right"] .seq-cell', (els) => els.map((e) => ({ kind: e.dataset.kind, span: e.dataset.span, token: e.querySelector(".seq-token").textContent })));
      const sentinels = left.filter((c) => c.kind === "sentinel");
      assert.ok(sentinels.length >= 2, "expected several noise spans");
      sentinels.forEach((c, k) => {
        assert.equal(c.token, `<extra_id_${k}>`);
        assert.equal(c.span, String(k));
      });
      assert.deepEqual(right.filter((c) => c.kind === "sentinel").map((c) => c.token), sentinels.map((c) => c.token));
      assert.equal(right.at(-1).token, "</s>");
      // Each sentinel's span: the noise chips carry the same data-span, and the target lists their tokens.
      const r = await page.evaluate(() => {
        const x = window.mlmaskDemo.result();
        return { ids: Array.from(x.ids), spanIds: Array.from(x.spanIds), labels: Array.from(x.labels), inputIds: Array.from(x.inputIds) };
      });
      const g = await grouped(page);
      assert.deepEqual(g.map((y) => y.span), r.spanIds.filter((s) => s >= 0));
      const noiseIds = r.ids.filter((_, j) => r.spanIds[j] >= 0);
      const targetNoise = await page.$$eval('#seq2seq-view [data-side="right"] .seq-cell[data-kind="noise"]', (els) => els.map((e) => Number(e.dataset.id)));
      assert.deepEqual(targetNoise, noiseIds);
      assert.deepEqual(await tensorRow(page, "labels"), r.labels);
      assert.deepEqual(await tensorRow(page, "input_ids"), r.inputIds);
      // The first noise chip shows its sentinel; hovering the sentinel lights up its span.
      assert.match(await page.textContent('#token-view .chip[data-span="0"] .chip-new'), /<extra_id_0>/);
      await page.hover('#seq2seq-view [data-side="left"] .seq-cell[data-kind="sentinel"][data-span="0"]');
      assert.ok((await page.locator('#token-view .chip.lit[data-span="0"]').count()) >= 1);
      assert.match(await page.textContent("#python-snippet"), /FlaxDataCollatorForT5MLM/);
      await page.mouse.move(0, 0);
      await page.screenshot({ path: `${RESULTS}/strategy-t5-${name}.png`, fullPage: true });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 0, `${name}: page scrolls sideways by ${overflow}px`);
      // Another strategy with this tokenizer: it has no mask token, and says so.
      await page.selectOption("#strategy", "span");
      await page.waitForSelector("#strategy-problem:not([hidden])");
      assert.match(await page.textContent("#strategy-problem"), /mask token, and t5-small\.json has none/);
      assert.deepEqual(errors, []);
      await context.close();
    }
  });

  it("shows BART's source next to the original", T, async () => {
    const { page, context, errors } = await openDemo(site, { fragment: `strategy=bartInfilling&s.maskRatio=0.4&seed=11&text=${encodeURIComponent(TEXT)}` });
    await page.waitForSelector("#seq2seq-section:not([hidden])");
    const cells = (side) =>
      page.$$eval(`#seq2seq-view [data-side="${side}"] .seq-cell`, (els) => els.map((e) => ({ kind: e.dataset.kind, span: e.dataset.span, id: Number(e.dataset.id) })));
    const source = await cells("left");
    const original = await cells("right");
    const r = await page.evaluate(() => {
      const x = window.mlmaskDemo.result();
      return { ids: Array.from(x.ids), inputIds: Array.from(x.inputIds), labels: Array.from(x.labels), spanIds: Array.from(x.spanIds), mask: x.maskTokenId };
    });
    assert.deepEqual(source.map((c) => c.id), r.inputIds);
    assert.deepEqual(original.map((c) => c.id), r.labels);
    assert.deepEqual(r.labels, r.ids); // the target is the original sequence
    const spans = [...new Set(r.spanIds.filter((s) => s >= 0))];
    assert.ok(spans.length >= 1);
    assert.deepEqual(source.filter((c) => c.span !== undefined).map((c) => Number(c.span)), spans);
    for (const c of source.filter((c) => c.kind === "mask" || c.kind === "insert")) assert.equal(c.id, r.mask);
    assert.equal(original.filter((c) => c.kind === "noise").length, r.spanIds.filter((s) => s >= 0).length);
    assert.ok((await grouped(page)).length > 0);
    assert.match(await page.textContent("#python-snippet"), /fairseq's DenoisingDataset/);
    assert.deepEqual(errors, []);
    await context.close();
  });
});

describe("random streams", () => {
  it("passes rng to the Masker and says when the Python snippet is exact", T, async () => {
    // mlmask's own stream (the default is torch's): the snippet says its masks differ.
    const { page, context } = await openDemo(site, { fragment: "p=0.5&seed=3&rng=mlmask" });
    assert.match(await page.textContent("#python-snippet"), /The positions differ/);
    for (const rng of ["numpy", "torch"]) {
      await choose(page, "#rng", rng);
      const py = await page.textContent("#python-snippet");
      assert.match(py, new RegExp(`return_tensors="${rng === "numpy" ? "np" : "pt"}"`));
      assert.match(py, /yields exactly the masks on screen/);
      assert.match(py, /same padded batch/);
      // The chips are the Masker's with that stream.
      const direct = await page.evaluate((rng) => {
        const { mlmask, tokenizer, settings, encodeOptions } = window.mlmaskDemo;
        const tok = tokenizer();
        const m = new mlmask.Masker(tok, { mlmProbability: 0.5, seed: 3, rng });
        const out = Array.from(m.mask(tok.encodeBatch([settings().text], encodeOptions(settings()))).outcome);
        m.free();
        return out;
      }, rng);
      assert.deepEqual((await chips(page)).map((x) => ["unselected", "mask", "random", "kept"].indexOf(x.outcome)), direct);
    }
    await choose(page, "#special-tokens", "ids");
    assert.match(await page.textContent("#python-snippet"), /\["input_ids"\] for t in texts/);
    // Another strategy: not exact any more.
    await choose(page, "#strategy", "wholeWord");
    assert.doesNotMatch(await page.textContent("#python-snippet"), /yields exactly/);
    assert.match(await page.textContent("#python-snippet"), /whole_word_mask=True/);
    await context.close();
  });

  it("round-trips strategy, parameters, rng and special tokens through the URL", T, async () => {
    const { page, context } = await openDemo(site, { fragment: "seed=9" });
    await choose(page, "#strategy", "ngram");
    const before = await runs(page);
    await page.fill("#param-maxN", "2");
    await nextRun(page, before);
    await choose(page, "#param-wordBoundary", "offsetsGap");
    await choose(page, "#rng", "numpy");
    await choose(page, "#special-tokens", "ids");
    await page.waitForTimeout(400);
    const url = page.url();
    assert.match(url, /strategy=ngram/);
    assert.match(url, /rng=numpy/);
    const state = await page.evaluate(() => window.mlmaskDemo.settings());
    assert.deepEqual(state.strategyParams, { maxN: 2, wordBoundary: "offsetsGap" });
    const shown = await chips(page);
    const groups = await grouped(page);

    const again = await openDemo(site, { fragment: url.split("#")[1] });
    await settle(again.page);
    assert.deepEqual(await again.page.evaluate(() => window.mlmaskDemo.settings()), state);
    assert.deepEqual(await chips(again.page), shown);
    assert.deepEqual(await grouped(again.page), groups);
    assert.equal(await again.page.inputValue("#strategy"), "ngram");
    assert.equal(await again.page.inputValue("#param-maxN"), "2");
    assert.equal(await again.page.inputValue("#param-wordBoundary"), "offsetsGap");
    assert.equal(await again.page.inputValue("#rng"), "numpy");
    assert.equal(await again.page.inputValue("#special-tokens"), "ids");
    await again.context.close();
    await context.close();
  });

  it("the Python snippet's inputs, run through a Masker in the page, give the masks on screen", T, async () => {
    const { page, context, errors } = await openDemo(site);
    // The default settings: torch's stream, so the snippet claims exactness.
    let py = await page.textContent("#python-snippet");
    assert.match(py, /yields exactly the masks on screen/);
    await assertSnippetReproducesScreen(page, py, snippetTexts(py));
    assert.equal(await page.isHidden("#download-python-texts"), true);

    // A long text: the snippet reads it, whole, from the file offered beside it.
    const long = `${"Masked language models predict hidden words from their context. ".repeat(40)}The end.`;
    await andRun(page, () => typeText(page, long));
    py = await page.textContent("#python-snippet");
    assert.match(py, /^import json\n/);
    assert.match(py, /texts = json\.load\(open\("mlmask-texts\.json", encoding="utf-8"\)\)/);
    assert.doesNotMatch(py, /cut/);
    const [download] = await Promise.all([page.waitForEvent("download"), page.click("#download-python-texts")]);
    assert.equal(download.suggestedFilename(), "mlmask-texts.json");
    const fromFile = JSON.parse(readFileSync(await download.path(), "utf8"));
    assert.deepEqual(fromFile, [long]);
    await assertSnippetReproducesScreen(page, py, fromFile);

    // Whole words as transformers 5.x masks them, on numpy's stream: exact too.
    await andRun(page, () => typeText(page, TEXT));
    await choose(page, "#strategy", "wholeWord");
    await choose(page, "#param-wordBoundary", "offsetsGap");
    await choose(page, "#rng", "numpy");
    py = await page.textContent("#python-snippet");
    assert.match(py, /whole_word_mask=True/);
    assert.match(py, /yields exactly the masks on screen/);
    await assertSnippetReproducesScreen(page, py, snippetTexts(py));
    assert.deepEqual(errors, []);
    await context.close();
  });
});

/** The texts a snippet quotes (Python string literals as the demo writes them). */
function snippetTexts(py) {
  const block = py.slice(py.indexOf("texts = [\n") + "texts = [\n".length, py.indexOf("\n]\n"));
  return block.split("\n").map((line) => JSON.parse(line.trim().replace(/,$/, "").replace(/\\x([0-9a-f]{2})/g, "\\u00$1")));
}

/**
 * Read the collator's arguments from the snippet, mask its texts with a Masker in the page, and
 * compare with the run on screen: the snippet holds everything the screen's masks depend on.
 */
async function assertSnippetReproducesScreen(page, py, texts) {
  const number = (name) => Number(py.match(new RegExp(`${name}=([0-9.]+)`))[1]);
  const options = {
    mlmProbability: number("mlm_probability"),
    maskReplaceProb: number("mask_replace_prob"),
    randomReplaceProb: number("random_replace_prob"),
    seed: number("seed"),
    rng: { pt: "torch", np: "numpy" }[py.match(/return_tensors="(\w+)"/)[1]],
  };
  // whole_word_mask=True is transformers 5.x's rule: touching offsets, always the mask token, a coin per word.
  if (/whole_word_mask=True/.test(py)) options.strategy = { type: "wholeWord", wordBoundary: "offsetsGap", replacement: "mask", selection: "bernoulli" };
  const { fromSnippet, screen } = await page.evaluate(
    ({ texts, options }) => {
      const { mlmask, tokenizer, result } = window.mlmaskDemo;
      const masker = new mlmask.Masker(tokenizer(), options);
      const out = masker.collate(texts);
      const fromSnippet = { inputIds: [...out.inputIds], labels: [...out.labels] };
      masker.free();
      const r = result();
      return { fromSnippet, screen: { inputIds: [...r.inputIds], labels: [...r.labels] } };
    },
    { texts, options },
  );
  assert.ok(fromSnippet.labels.some((l) => l !== -100), "the snippet's batch masks something");
  assert.deepEqual(fromSnippet, screen);
}

describe("selection heatmap", () => {
  /** The heatmap's cells once the re-rolls are done: flat index → times selected, and the seed count. */
  async function heatmap(page) {
    await page.waitForSelector("#heatmap .heat", { timeout: 30_000 });
    const cells = await page.$$eval("#heatmap .heat", (els) => els.map((e) => [Number(e.dataset.index), Number(e.dataset.selected)]));
    const runs = Number((await page.textContent("#heatmap-caption")).match(/over ([\d,]+) seeds/)[1].replace(/,/g, ""));
    return { selected: new Map(cells), runs };
  }

  it("token strategy: specials never, every other token about mlm_probability of the seeds", T, async () => {
    const { page, context } = await openDemo(site, { fragment: "p=0.3" });
    const { selected, runs } = await heatmap(page);
    const special = await page.evaluate(() => [...window.mlmaskDemo.result().specialTokensMask]);
    assert.ok(runs >= 50);
    const sd = Math.sqrt(runs * 0.3 * 0.7);
    for (const [i, k] of selected) {
      if (special[i]) assert.equal(k, 0, `special position ${i}`);
      else assert.ok(Math.abs(k - runs * 0.3) <= 5 * sd, `position ${i}: ${k} of ${runs}, expected ${runs * 0.3} ± 5 × ${sd.toFixed(1)}`);
    }
    await context.close();
  });

  it("whole words: every token of a word is selected by the same seeds, so the same number of times", T, async () => {
    const { page, context } = await openDemo(site, { fragment: "p=0.3&strategy=wholeWord" });
    await andRun(page, () => typeText(page, "Unbelievably, tokenization splits antidisestablishmentarianism into pieces."));
    const { selected } = await heatmap(page);
    const words = await page.evaluate(() => [...window.mlmaskDemo.result().wordIds]);
    const byWord = new Map();
    for (const [i, k] of selected) if (words[i] >= 0) (byWord.get(words[i]) ?? byWord.set(words[i], []).get(words[i])).push(k);
    assert.ok([...byWord.values()].some((ks) => ks.length >= 3), "a word of three tokens or more");
    for (const [w, ks] of byWord) assert.equal(new Set(ks).size, 1, `word ${w}: ${ks}`);
    assert.ok([...byWord.values()].some((ks) => ks[0] > 0));
    await context.close();
  });
});

describe("side by side", () => {
  /** Chip outcomes of a token view, by flat index, and the indices marked as differing. */
  const view = (page, id) =>
    page.$$eval(`#${id} .chip[data-index]`, (els) => els.map((e) => ({ i: Number(e.dataset.index), outcome: e.dataset.outcome, differs: e.classList.contains("differs") })));

  it("compares two streams or two strategies on the same text and seed, marking where they differ", T, async () => {
    const { page, context, errors } = await openDemo(site, { fragment: "p=0.4&seed=11" });
    assert.equal(await page.isHidden("#compare-view"), true);
    await choose(page, "#compare-rng", "numpy");
    await andRun(page, () => page.check("#compare-on"));
    const expected = await page.evaluate(() => {
      const { mlmask, tokenizer, settings, encodeOptions, maskerOptions } = window.mlmaskDemo;
      const tok = tokenizer();
      const s = settings();
      const batch = tok.encodeBatch([s.text], encodeOptions(s));
      const run = (rng) => {
        const m = new mlmask.Masker(tok, { ...maskerOptions(s), rng });
        const out = Array.from(m.mask(batch).outcome);
        m.free();
        return out;
      };
      return { torch: run("torch"), numpy: run("numpy") };
    });
    const names = ["unselected", "mask", "random", "kept"];
    const main = await view(page, "token-view");
    const other = await view(page, "compare-view");
    assert.deepEqual(main.map((c) => c.outcome), expected.torch.map((o) => names[o]));
    assert.deepEqual(other.map((c) => c.outcome), expected.numpy.map((o) => names[o]));
    const differ = expected.torch.flatMap((o, i) => (o !== expected.numpy[i] ? [i] : []));
    assert.ok(differ.length > 0);
    assert.deepEqual(main.filter((c) => c.differs).map((c) => c.i), differ);
    assert.deepEqual(other.filter((c) => c.differs).map((c) => c.i), differ);
    assert.match(await page.textContent("#compare-summary"), new RegExp(`${differ.length} of \\d+ positions differ`));

    // Two strategies: whole words in the second row, each word selected whole.
    await choose(page, "#compare-strategy", "wholeWord");
    await choose(page, "#compare-rng", "torch");
    const words = await page.evaluate(() => [...window.mlmaskDemo.result().wordIds]);
    const second = await view(page, "compare-view");
    const byWord = new Map();
    for (const c of second) if (words[c.i] >= 0) (byWord.get(words[c.i]) ?? byWord.set(words[c.i], []).get(words[c.i])).push(c.outcome !== "unselected");
    for (const [w, sel] of byWord) assert.equal(new Set(sel).size, 1, `word ${w} split`);
    // A strategy this tokenizer cannot run: the reason instead of a row.
    await choose(page, "#compare-strategy", "t5SpanCorruption");
    assert.match(await page.textContent("#compare-summary"), /cannot run: .*extra_id_0/);
    await andRun(page, () => page.uncheck("#compare-on"));
    assert.equal(await page.isHidden("#compare-view"), true);
    assert.equal((await view(page, "token-view")).some((c) => c.differs), false);
    assert.deepEqual(errors, []);
    await context.close();
  });

  it("compares two tokenizers: each row marks the tokens it splits out differently", T, async () => {
    // Offsets from Python tokenizers 0.23.3: bert [CLS] token ##izer ##s disagree …, roberta <s> Token
    // izers Ġdisagree …, t5 ▁To ken izer s ▁disagree … (the words after "Tokenizers" split alike).
    const text = "Tokenizers disagree about unbelievable words.";
    const { page, context, errors } = await openDemo(site, { fragment: "p=0.3&seed=2" });
    await typeText(page, text);
    await page.check("#compare-on");
    await settle(page);
    await page.selectOption("#compare-tokenizer", "roberta-base");
    // The first render says it is loading roberta-base; the second row follows once it is.
    await page.waitForFunction(() => /roberta-base makes/.test(document.querySelector("#compare-summary").textContent));
    await settle(page);
    const marked = (rows) => rows.filter((c) => c.differs).map((c) => c.i);
    const main = await view(page, "token-view");
    const other = await view(page, "compare-view");
    assert.equal(main.length, 10);
    assert.equal(other.length, 9);
    assert.deepEqual(marked(main), [2, 3], "##izer, ##s");
    assert.deepEqual(marked(other), [2], "izers");
    const expected = await page.evaluate((t) => {
      const { mlmask, settings, encodeOptions, maskerOptions } = window.mlmaskDemo;
      return fetch("tokenizers/roberta-base.json")
        .then((r) => r.arrayBuffer())
        .then((bytes) => {
          const tok = mlmask.Tokenizer.fromJSON(new Uint8Array(bytes));
          const m = new mlmask.Masker(tok, maskerOptions(settings()));
          const out = Array.from(m.mask(tok.encodeBatch([t], encodeOptions(settings()))).outcome);
          m.free();
          tok.free();
          return out;
        });
    }, text);
    const names = ["unselected", "mask", "random", "kept"];
    assert.deepEqual(other.map((c) => c.outcome), expected.map((o) => names[o]), "the second row is roberta-base's own masking, same seed");
    assert.match(
      await page.textContent("#compare-summary"),
      /^Same text, same seed: bert-base-uncased makes 8 tokens \(\d+ selected\), roberta-base makes 7 tokens \(\d+ selected\)\. 2 of the first's tokens and 1 of the second's split the text differently/,
    );

    // The tokenizer loaded before the active one: t5-small, which has no mask token, shows its
    // tokens unmasked with the reason.
    await andRun(page, () =>
      page.setInputFiles("#tokenizer-file", { name: "t5-small.json", mimeType: "application/json", buffer: Buffer.from(tokenizerJson("t5-small")) }),
    );
    await page.waitForFunction(() => window.mlmaskDemo.settings().tokenizer === "file:t5-small.json");
    await andRun(page, () => page.selectOption("#tokenizer-select", "bert-base-uncased"));
    await page.waitForFunction(() => window.mlmaskDemo.settings().tokenizer === "bert-base-uncased");
    assert.deepEqual(
      await page.$$eval("#compare-tokenizer option", (os) => os.map((o) => o.textContent)),
      ["the same", "bert-base-uncased", "roberta-base", "Your file: t5-small.json (loaded before)"],
    );
    await andRun(page, () => page.selectOption("#compare-tokenizer", "previous"));
    const t5 = await view(page, "compare-view");
    assert.equal(t5.length, 10);
    assert.ok(t5.every((c) => c.outcome === "unselected"));
    assert.deepEqual(marked(await view(page, "token-view")), [1], "token");
    assert.deepEqual(marked(t5), [0, 1], "▁To, ken");
    assert.match(await page.textContent("#compare-summary"), /t5-small\.json makes 9 tokens\. .*The second row is not masked: .*mask token/);
    await page.locator("#compare-section").screenshot({ path: `${RESULTS}/compare-tokenizers.png` });
    assert.deepEqual(errors, []);
    await context.close();
  });
});

