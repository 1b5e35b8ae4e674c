import { describe, expect, it } from "vitest";
import { displayName, MAX_TOKENIZER_BYTES, sizeProblem, tokenizerUrl } from "../src/model/tokenizerSource";

describe("tokenizer sources", () => {
  it("shows files and addresses without their prefix", () => {
    expect(displayName("bert-base-uncased")).toBe("bert-base-uncased");
    expect(displayName("file:my tok.json")).toBe("my tok.json");
    expect(displayName("url:https://example.org/t.json")).toBe("https://example.org/t.json");
  });
  it("accepts only http(s) addresses, resolved against the page", () => {
    expect(tokenizerUrl("https://example.org/t.json", "https://demo.test/a/")?.href).toBe("https://example.org/t.json");
    expect(tokenizerUrl("tokenizers/x.json", "https://demo.test/a/")?.href).toBe("https://demo.test/a/tokenizers/x.json");
    expect(tokenizerUrl("javascript:alert(1)", "https://demo.test/")).toBeNull();
    expect(tokenizerUrl("file:///etc/passwd", "https://demo.test/")).toBeNull();
    expect(tokenizerUrl("http://[::1", "https://demo.test/")).toBeNull();
  });
  it("refuses files above the limit, saying how large they are", () => {
    expect(sizeProblem(MAX_TOKENIZER_BYTES)).toBeNull();
    expect(sizeProblem(MAX_TOKENIZER_BYTES + 1)).toMatch(/^it is 67\.1 MB, more than the 67\.1 MB/);
  });
});
