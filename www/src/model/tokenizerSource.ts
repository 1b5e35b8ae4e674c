// Where a tokenizer comes from and what the page calls it: a bundled name, "file:<name>" or
// "url:<address>". Pure, so that the loading code (loading.ts) only fetches and reads.

import { bytes as fmtBytes } from "./format";

/** Largest tokenizer file accepted. */
export const MAX_TOKENIZER_BYTES = 64 * 1024 * 1024;

/** The name shown for a source: the file name or the address, without its prefix. */
export function displayName(source: string): string {
  return source.replace(/^(url|file):/, "");
}

/** The http(s) URL the user typed, resolved against the page, or null when it is not one. */
export function tokenizerUrl(address: string, base: string): URL | null {
  try {
    const url = new URL(address, base);
    return url.protocol === "https:" || url.protocol === "http:" ? url : null;
  } catch {
    return null;
  }
}

/** Why a tokenizer file of `size` bytes is refused, or null when it is not. */
export function sizeProblem(size: number): string | null {
  if (size <= MAX_TOKENIZER_BYTES) return null;
  return `it is ${fmtBytes(size)}, more than the ${fmtBytes(MAX_TOKENIZER_BYTES)} a tokenizer.json may have here`;
}
