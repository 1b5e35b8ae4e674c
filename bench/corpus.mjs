// The benchmark corpus, rebuilt the same way every run from the shared data:
// corpus/en/*.txt in name order, a leading BOM and every CR removed, blank lines dropped.
// One "line" is the unit of the per-line cases (the profile's 22,430 lines, 1.94 MB).
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

export function sharedData() {
  return process.env.MLMASK_SHARED_DATA ?? new URL("../../shared/data", import.meta.url).pathname;
}

export function buildCorpus(dir = join(sharedData(), "corpus/en")) {
  const files = readdirSync(dir).filter((f) => f.endsWith(".txt")).sort();
  const lines = [];
  for (const f of files) {
    const text = readFileSync(join(dir, f), "utf8").replace(/^\uFEFF/, "").replaceAll("\r", "");
    for (const line of text.split("\n")) if (line.trim() !== "") lines.push(line);
  }
  const text = lines.join("\n") + "\n";
  const bytes = Buffer.byteLength(text);
  const sha256 = createHash("sha256").update(text).digest("hex");
  return { files, lines, text, bytes, sha256 };
}
