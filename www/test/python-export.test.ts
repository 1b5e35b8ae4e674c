import { describe, expect, it } from "vitest";
import { pythonSnippet, snippetIsExact, snippetReadsFile, snippetTextsFile, SNIPPET_INLINE_CHARS, SNIPPET_TEXTS_FILE } from "../src/model/python";
import { exportBatch, exportText, toRows } from "../src/model/exportJson";
import { pyFloat, pyString } from "../src/model/format";
import { DEFAULTS } from "../src/model/settings";
import { fakeResult } from "./fixtures";

describe("Python snippet", () => {
  it("writes the exact DataCollatorForLanguageModeling call", () => {
    const code = pythonSnippet({ ...DEFAULTS }, ["Hello there."]);
    expect(code).toContain('AutoTokenizer.from_pretrained("bert-base-uncased")');
    const call = code.slice(code.indexOf("DataCollatorForLanguageModeling("), code.indexOf(")\nbatch") + 1);
    expect(call.replace(/\s+/g, " ")).toBe(
      'DataCollatorForLanguageModeling( tokenizer, mlm_probability=0.15, mask_replace_prob=0.8, random_replace_prob=0.1, seed=40, return_tensors="pt", )',
    );
    expect(code).toContain('"Hello there.",');
  });

  it("follows the settings", () => {
    const code = pythonSnippet(
      { ...DEFAULTS, tokenizer: "roberta-base", mlmProbability: 1, maskReplaceProb: 0, randomReplaceProb: 1, seed: 7, padToMultipleOf: 8, maxLength: 16, addSpecialTokens: false },
      ['say "hi"\n'],
    );
    expect(code).toContain("FacebookAI/roberta-base");
    expect(code).toContain("mlm_probability=1.0,");
    expect(code).toContain("mask_replace_prob=0.0,");
    expect(code).toContain("random_replace_prob=1.0,");
    expect(code).toContain("pad_to_multiple_of=8,");
    expect(code).toContain("seed=7,");
    expect(code).toContain("add_special_tokens=False");
    expect(code).toContain("truncation=True, max_length=16");
    expect(code).toContain('"say \\"hi\\"\\n",');
  });

  it("points at a tokenizer.json for the user's own tokenizer", () => {
    expect(pythonSnippet({ ...DEFAULTS, tokenizer: "file:my.json" }, ["x"])).toContain('PreTrainedTokenizerFast(tokenizer_file="tokenizer.json")');
  });

  it("says the numpy / torch streams give exactly the masks on screen, for the token strategy", () => {
    const np = pythonSnippet({ ...DEFAULTS, rng: "numpy", seed: 3 }, ["x"]);
    expect(np).toContain('return_tensors="np",');
    expect(np).toMatch(/yields exactly the masks on screen/);
    expect(np).toMatch(/same padded batch/);
    expect(np).not.toMatch(/The positions differ/);
    const pt = pythonSnippet({ ...DEFAULTS, rng: "torch" }, ["x"]);
    expect(pt).toContain('return_tensors="pt",');
    expect(pt).toMatch(/torch's mt19937/);
    // The default stream is torch's: a copied snippet masks as the screen does.
    expect(DEFAULTS.rng).toBe("torch");
    expect(snippetIsExact(DEFAULTS)).toBe(true);
    const own = pythonSnippet({ ...DEFAULTS, rng: "mlmask" }, ["x"]);
    expect(own).not.toContain("return_tensors");
    expect(own).toMatch(/The positions differ/);
    // Not exact with another strategy, even with the numpy stream.
    const span = pythonSnippet({ ...DEFAULTS, strategy: "span", rng: "numpy" }, ["x"]);
    expect(span).not.toMatch(/yields exactly/);
  });

  it("claims whole-word exactness only where tests/strategies.rs proves it: transformers 5.x's rule on numpy's stream", () => {
    const wwm = { ...DEFAULTS, strategy: "wholeWord", rng: "numpy" as const };
    const exact = { ...wwm, strategyParams: { wordBoundary: "offsetsGap", replacement: "mask", selection: "bernoulli" } };
    expect(snippetIsExact(exact)).toBe(true);
    const code = pythonSnippet(exact, ["x"]);
    expect(code).toMatch(/yields exactly the masks on screen/);
    expect(code).toContain('return_tensors="np",');
    // Any other boundary, replacement, selection or stream: same distribution, no claim.
    for (const other of [
      { ...exact, rng: "torch" as const },
      { ...exact, strategyParams: { ...exact.strategyParams, wordBoundary: "wordIds" } },
      { ...exact, strategyParams: { ...exact.strategyParams, replacement: "perWord" } },
      { ...exact, strategyParams: { ...exact.strategyParams, selection: "exactCount" } },
    ]) {
      expect(snippetIsExact(other)).toBe(false);
      expect(pythonSnippet(other, ["x"])).not.toMatch(/yields exactly/);
    }
  });

  it("holds the whole input: quoted inline when short, read from a file offered beside it when long", () => {
    const long = "word ".repeat(300).trim();
    expect(long.length).toBeGreaterThan(200);
    const inline = pythonSnippet({ ...DEFAULTS }, [long]);
    expect(inline).toContain(pyString(long));
    expect(inline).not.toMatch(/cut/);
    expect(snippetReadsFile([long])).toBe(false);
    // Past the inline limits (characters, or more than eight texts): every text, from the file.
    for (const texts of [["x".repeat(SNIPPET_INLINE_CHARS + 1)], Array.from({ length: 9 }, (_, i) => `text ${i}`)]) {
      expect(snippetReadsFile(texts)).toBe(true);
      const code = pythonSnippet({ ...DEFAULTS }, texts);
      expect(code.startsWith("import json\n")).toBe(true);
      expect(code).toContain(`texts = json.load(open("${SNIPPET_TEXTS_FILE}", encoding="utf-8"))`);
      expect(code).not.toContain(pyString(texts[0]));
      expect(JSON.parse(snippetTextsFile(texts))).toEqual(texts);
    }
    // The same for the strategies with no transformers collator.
    expect(pythonSnippet({ ...DEFAULTS, strategy: "span" }, Array.from({ length: 9 }, () => "x"))).toContain("json.load(");
  });

  it("in blocks mode, applies run_mlm.py's group_texts to the examples before collating", () => {
    const code = pythonSnippet({ ...DEFAULTS, blocks: 128 }, ["first text", "second"]);
    expect(code).toContain('"first text",');
    expect(code).toContain("group_texts");
    expect(code).toContain("total = total // 128 * 128 if total >= 128 else total");
    expect(code.indexOf("examples = [{k: v[i : i + step]")).toBeLessThan(code.indexOf("batch = collator(examples)"));
    expect(code).toMatch(/yields exactly the masks on screen/);
    // Whole words in blocks: offsets restart with each text in Python, so no claim.
    const wwm = { ...DEFAULTS, blocks: 128, strategy: "wholeWord", rng: "numpy" as const, strategyParams: { wordBoundary: "offsetsGap", replacement: "mask", selection: "bernoulli" } };
    expect(snippetIsExact(wwm)).toBe(false);
  });

  it("collates id lists when every special id counts as special", () => {
    const code = pythonSnippet({ ...DEFAULTS, specialTokens: "ids", rng: "torch" }, ["x"]);
    expect(code).toContain('["input_ids"] for t in texts]');
    expect(code).not.toContain("return_special_tokens_mask");
  });

  it("uses whole_word_mask=True with offsets for whole-word masking", () => {
    const code = pythonSnippet({ ...DEFAULTS, strategy: "wholeWord" }, ["x"]);
    expect(code).toContain("whole_word_mask=True,");
    expect(code).toContain("return_offsets_mapping=True");
  });

  it("names the original, honestly, for strategies without a transformers collator", () => {
    const names: Record<string, RegExp> = {
      exactCount: /create_pretraining_data/,
      ngram: /MacBERT/,
      span: /SpanBERT/,
      t5SpanCorruption: /FlaxDataCollatorForT5MLM/,
      bartInfilling: /fairseq's DenoisingDataset/,
      ul2: /NeMo's UL2Dataset/,
      fim: /bigcode Megatron-LM's permute\(\)/,
      lexiconSpans: /PMI-Masking/,
    };
    for (const [strategy, name] of Object.entries(names)) {
      const code = pythonSnippet({ ...DEFAULTS, strategy, strategyParams: strategy === "ngram" ? { maxN: 2 } : {} }, ["x"]);
      expect(code).toMatch(/no drop-in transformers collator/);
      expect(code).toMatch(name);
      expect(code).not.toContain("DataCollatorForLanguageModeling(");
      expect(code).toMatch(/masks differ/);
      expect(code).toMatch(/no Python package\n# reproduces them bit for bit/);
    }
    expect(pythonSnippet({ ...DEFAULTS, strategy: "fim" }, ["x"])).toContain('tokenizer.add_special_tokens({"additional_special_tokens": ["<fim_prefix>", "<fim_middle>", "<fim_suffix>", "<fim_pad>"]})');
    expect(pythonSnippet({ ...DEFAULTS, strategy: "lexiconSpans" }, ["x"])).toMatch(/lexicon = \["new york", "machine learning",/);
    expect(pythonSnippet({ ...DEFAULTS }, ["x"], ["<mask>"])).toMatch(/^tokenizer = .*\ntokenizer\.add_special_tokens\(\{"mask_token": "<mask>"\}\)  # the file has none/m);
    expect(pythonSnippet({ ...DEFAULTS }, ["x"])).not.toContain("add_special_tokens({");
    const layout = pythonSnippet({ ...DEFAULTS, views: 3, batch: true, packing: 64 }, ["x"]);
    expect(layout).toContain("[t for t in texts for _ in range(3)]");
    expect(layout).toMatch(/rows of at most 64 tokens/);
    expect(pythonSnippet({ ...DEFAULTS, strategy: "ngram", strategyParams: { maxN: 2 } }, ["x"])).toContain("maxN=2");
  });

  it("prints floats as Python does, and escapes strings", () => {
    expect([0.15, 1, 0, 1e-5, 0.1 + 0.2].map(pyFloat)).toEqual(["0.15", "1.0", "0.0", "1e-05", "0.30000000000000004"]);
    expect(pyString("a\\b\"\t\u0001\u2028é")).toBe('"a\\\\b\\"\\t\\x01\\u2028é"');
  });
});

describe("export", () => {
  it("splits flat arrays into rows", () => {
    expect(toRows([1, 2, 3, 4, 5, 6], 2, 3)).toEqual([[1, 2, 3], [4, 5, 6]]);
  });

  it("exports the tensors and the settings as valid JSON", () => {
    const r = fakeResult();
    const e = exportBatch(r, { ...DEFAULTS, padToMultipleOf: 4 }, "0.1.0");
    const back = JSON.parse(exportText(e));
    expect(back.input_ids).toEqual([[101, 103, 2088, 102]]);
    expect(back.labels).toEqual([[-100, 7592, -100, -100]]);
    expect(back.attention_mask).toEqual([[1, 1, 1, 1]]);
    expect(back.settings).toMatchObject({ mlm_probability: 0.15, seed: 40, pad_to_multiple_of: 4, tokenizer: "bert-base-uncased" });
    expect(back.texts).toEqual(["hello world"]);
  });
});
