// The benchmark corpus, rebuilt the same way every run from the vendored test data
// (tests/data/corpus/en/*.txt.gz) in name order, a leading BOM and every CR removed, blank lines
// dropped (tests/common/data.rs builds the same lines for the native benches).
// One "line" is the unit of the per-line cases (the profile's 22,430 lines, 1.94 MB).
import { createHash } from "node:crypto";
import { corpus } from "../tests/js/helpers.mjs";

export function buildCorpus() {
  const files = [];
  const lines = [];
  for (const [f, content] of corpus("en")) {
    files.push(f);
    const text = content.replace(/^\uFEFF/, "").replaceAll("\r", "");
    for (const line of text.split("\n")) if (line.trim() !== "") lines.push(line);
  }
  const text = lines.join("\n") + "\n";
  const bytes = Buffer.byteLength(text);
  const sha256 = createHash("sha256").update(text).digest("hex");
  return { files, lines, text, bytes, sha256 };
}
