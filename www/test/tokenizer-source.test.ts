import { describe, expect, it } from "vitest";
import { abilities, displayName, modelOfUrl, fetchFailure, fileTokenizer, isBundled, loadFailure, MAX_TOKENIZER_BYTES, parseTokenizerAddress, parseTokenizerName, pickerLabel, tooLarge, unloadedLinkNotice, urlTokenizer, hubTokenizer, parseHubId, hubFileUrl, hubConfig, hubFailure } from "../src/model/tokenizerSource";
import { bytes } from "../src/model/format";

describe("tokenizer names", () => {
  it("round-trip through the settings' names", () => {
    expect(parseTokenizerName("bert-base-uncased")).toEqual({ kind: "bundled", name: "bert-base-uncased" });
    expect(parseTokenizerName(urlTokenizer("https://x.test/t.json"))).toEqual({ kind: "url", href: "https://x.test/t.json" });
    expect(parseTokenizerName(fileTokenizer("my:file.json"))).toEqual({ kind: "file", fileName: "my:file.json" });
  });

  it("are shown without their prefix, and labelled in the picker", () => {
    expect(displayName("url:https://x.test/t.json")).toBe("https://x.test/t.json");
    expect(displayName("file:t5.json")).toBe("t5.json");
    expect(displayName("roberta-base")).toBe("roberta-base");
    expect(pickerLabel("url:https://x.test/t.json")).toBe("From URL: https://x.test/t.json");
    expect(pickerLabel("file:t5.json")).toBe("Your file: t5.json");
    // A URL in the Hub's layout names its model; the picker and the messages use it.
    const hubUrl = "url:https://huggingface.co/mistralai/Mistral-7B-v0.1/resolve/main/tokenizer.json";
    expect(displayName(hubUrl)).toBe("mistralai/Mistral-7B-v0.1 (from huggingface.co)");
    expect(pickerLabel(hubUrl)).toBe("From URL: mistralai/Mistral-7B-v0.1 (from huggingface.co)");
    expect(displayName("url:https://hf-mirror.example/gpt2/raw/3f2a/tokenizer.json")).toBe("gpt2 (from hf-mirror.example)");
    expect(modelOfUrl("https://huggingface.co/org/model/blob/v1.0/sub/tokenizer.json")).toEqual({ model: "org/model", host: "huggingface.co" });
    expect(modelOfUrl("https://x.test/files/tokenizer.json")).toBeNull();
    expect(modelOfUrl("not a url")).toBeNull();
  });

  it("only the bundled ones count as bundled", () => {
    expect(isBundled("bert-base-uncased")).toBe(true);
    expect(isBundled("roberta-base")).toBe(true);
    expect(isBundled("file:bert-base-uncased")).toBe(false);
    expect(isBundled("gpt2")).toBe(false);
  });

  it("abilities name the tokenizer as the user knows it", () => {
    expect(abilities("file:t5.json", { maskTokenId: undefined, hasSentinels: true, hasFimTokens: false })).toEqual({
      name: "t5.json",
      hasMaskToken: false,
      hasSentinels: true,
      hasFimTokens: false,
    });
    expect(abilities("bert-base-uncased", { maskTokenId: 103, hasSentinels: false, hasFimTokens: true })).toEqual({
      name: "bert-base-uncased",
      hasMaskToken: true,
      hasSentinels: false,
      hasFimTokens: true,
    });
  });
});

describe("tokenizer addresses", () => {
  const base = "https://demo.test/mlmask/";
  it("resolve against the page and accept only http(s)", () => {
    const ok = parseTokenizerAddress("tokenizers/t.json", base);
    expect("url" in ok && ok.url.href).toBe("https://demo.test/mlmask/tokenizers/t.json");
    expect("url" in parseTokenizerAddress("http://other.test/t.json", base)).toBe(true);
    expect(parseTokenizerAddress("javascript:alert(1)", base)).toEqual({ error: '"javascript:alert(1)" is not an http(s) address.' });
    expect(parseTokenizerAddress("file:///etc/passwd", base)).toEqual({ error: '"file:///etc/passwd" is not an http(s) address.' });
    expect("error" in parseTokenizerAddress("http://[bad", base)).toBe(true);
  });
});

describe("load messages", () => {
  it("refuse files above the limit, with both sizes", () => {
    expect(tooLarge(MAX_TOKENIZER_BYTES, bytes)).toBeNull();
    expect(tooLarge(MAX_TOKENIZER_BYTES + 1, bytes)).toBe(`it is ${bytes(MAX_TOKENIZER_BYTES + 1)}, more than the ${bytes(MAX_TOKENIZER_BYTES)} a tokenizer.json may have here`);
  });

  it("say what failed and which tokenizer stays", () => {
    expect(loadFailure("file:broken.json", new Error("could not load tokenizer.json"), "roberta-base")).toBe(
      "Could not use broken.json: could not load tokenizer.json. The previous tokenizer (roberta-base) stays loaded.",
    );
    expect(loadFailure("url:https://x.test/t.json", "it is big", null)).toBe("Could not use https://x.test/t.json: it is big.");
    expect(loadFailure("bert-base-uncased", new Error("boom"), "file:mine.json")).toMatch(/\(mine\.json\) stays loaded\.$/);
    // One full stop, even when the error's text ends with one ("…load it again..").
    expect(loadFailure("file:t.json", new Error("load it again."), null)).toBe("Could not use t.json: load it again.");
  });

  it("tell network and CORS failures from the server's answers", () => {
    expect(fetchFailure("https://x.test/t.json", new TypeError("Failed to fetch"))).toBe(
      "Could not fetch https://x.test/t.json: the server is unreachable or does not allow other sites to read it (CORS). The previous tokenizer stays loaded.",
    );
    expect(fetchFailure("https://x.test/t.json", new Error("the server answered HTTP 404"))).toMatch(/: the server answered HTTP 404\. The previous/);
  });

  it("explain a link whose tokenizer is not loaded", () => {
    expect(unloadedLinkNotice("url:https://x.test/t.json", "bert-base-uncased")).toBe(
      'This link used the tokenizer at https://x.test/t.json. Press Load (under "Use your own tokenizer.json") to fetch it; until then bert-base-uncased is shown.',
    );
    expect(unloadedLinkNotice("file:mine.json", "bert-base-uncased")).toBe(
      'This link used your own file "mine.json", which links cannot carry; choose it again. Showing bert-base-uncased meanwhile.',
    );
  });
});

describe("Hugging Face Hub ids", () => {
  it("reads ids and revisions, in links and as typed", () => {
    expect(parseTokenizerName("hub:bert-base-uncased")).toEqual({ kind: "hub", id: "bert-base-uncased", revision: null });
    expect(parseTokenizerName(hubTokenizer("org/model", "v1.0"))).toEqual({ kind: "hub", id: "org/model", revision: "v1.0" });
    expect(displayName("hub:org/model@v1.0")).toBe("org/model@v1.0 (Hugging Face Hub)");
    expect(parseHubId(" org/model ")).toEqual({ id: "org/model" });
    expect(parseHubId("https://huggingface.co/org/model/")).toEqual({ id: "org/model" });
    for (const bad of ["org/model/extra", "../etc", "a b", "", "/model"]) expect(parseHubId(bad)).toHaveProperty("error");
    expect(hubFileUrl("org/model", null, "tokenizer.json")).toBe("https://huggingface.co/org/model/resolve/main/tokenizer.json");
    expect(hubFileUrl("org/model", "refs/pr/1", "tokenizer.json")).toBe("https://huggingface.co/org/model/resolve/refs%2Fpr%2F1/tokenizer.json");
  });

  it("takes the mask token and model_max_length from tokenizer_config.json", () => {
    expect(hubConfig('{"mask_token": "[MASK]", "model_max_length": 512}')).toEqual({ maskToken: "[MASK]", modelMaxLength: 512 });
    expect(hubConfig('{"mask_token": {"content": "<mask>", "lstrip": true}}')).toEqual({ maskToken: "<mask>" });
    // transformers' "no limit" and files that are not JSON give nothing.
    expect(hubConfig('{"model_max_length": 1000000000000000019884624838656}')).toEqual({});
    expect(hubConfig("not json")).toEqual({});
    expect(hubConfig(null)).toEqual({});
  });

  it("names the failure: not found, gated, not a fast tokenizer", () => {
    expect(hubFailure("a/b", null, 404, 404)).toMatch(/^a\/b was not found on the Hub: check the model id\.$/);
    expect(hubFailure("a/b", "dev", 404, 404)).toMatch(/at revision dev was not found.*and the revision/);
    expect(hubFailure("a/b", null, 401, 401)).toMatch(/gated or private/);
    expect(hubFailure("a/b", null, 403, 0)).toMatch(/gated or private/);
    expect(hubFailure("a/b", null, 404, 200)).toMatch(/no tokenizer\.json: it is not a fast tokenizer/);
    expect(hubFailure("a/b", null, 500, 200)).toMatch(/HTTP 500/);
  });
});
