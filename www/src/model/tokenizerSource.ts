// Where a tokenizer comes from, as the settings and links name it ("bert-base-uncased",
// "url:https://…", "file:name.json"), and the words the demo uses when loading one fails.

import type { TokenizerInfo } from "../engine";
import { BUNDLED_TOKENIZERS } from "./settings";
import type { TokenizerAbilities } from "./strategies";

/** Largest tokenizer file accepted, from a file or a URL. */
export const MAX_TOKENIZER_BYTES = 64 * 1024 * 1024;

export type TokenizerSource =
  | { kind: "bundled"; name: string }
  | { kind: "url"; href: string }
  | { kind: "file"; fileName: string };

export const urlTokenizer = (href: string) => `url:${href}`;
export const fileTokenizer = (fileName: string) => `file:${fileName}`;

export function isBundled(name: string): boolean {
  return (BUNDLED_TOKENIZERS as readonly string[]).includes(name);
}

/** A tokenizer's name in the settings, read back. Unknown plain names count as bundled. */
export function parseTokenizerName(name: string): TokenizerSource {
  if (name.startsWith("url:")) return { kind: "url", href: name.slice(4) };
  if (name.startsWith("file:")) return { kind: "file", fileName: name.slice(5) };
  return { kind: "bundled", name };
}

/** The name shown to the user: the bundled name, the address or the file name. */
export function displayName(name: string): string {
  const s = parseTokenizerName(name);
  return s.kind === "url" ? s.href : s.kind === "file" ? s.fileName : s.name;
}

/** The label of a tokenizer that is not bundled, in the tokenizer picker. */
export function pickerLabel(name: string): string {
  const s = parseTokenizerName(name);
  return s.kind === "url" ? `From URL: ${s.href}` : s.kind === "file" ? `Your file: ${s.fileName}` : s.name;
}

/** An address the user typed, resolved against the page; only http(s) is fetched. */
export function parseTokenizerAddress(address: string, base: string): { url: URL } | { error: string } {
  try {
    const url = new URL(address, base);
    if (url.protocol === "https:" || url.protocol === "http:") return { url };
  } catch {
    // reported below
  }
  return { error: `"${address}" is not an http(s) address.` };
}

/** Why `bytes` is too large to load, or null. `byteText` formats a size. */
export function tooLarge(bytes: number, byteText: (n: number) => string): string | null {
  return bytes > MAX_TOKENIZER_BYTES ? `it is ${byteText(bytes)}, more than the ${byteText(MAX_TOKENIZER_BYTES)} a tokenizer.json may have here` : null;
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** The panel's message when `name` could not be made the active tokenizer. */
export function loadFailure(name: string, e: unknown, previous: string | null): string {
  const keep = previous !== null ? ` The previous tokenizer (${displayName(previous)}) stays loaded.` : "";
  // One full stop, whether or not the error's own text ends with one.
  return `Could not use ${displayName(name)}: ${errorText(e).replace(/\.+$/, "")}.${keep}`;
}

/** The panel's message when fetching a tokenizer URL failed (fetch rejects with a TypeError on network and CORS errors). */
export function fetchFailure(href: string, e: unknown): string {
  const why = e instanceof TypeError ? "the server is unreachable or does not allow other sites to read it (CORS)" : errorText(e);
  return `Could not fetch ${href}: ${why}. The previous tokenizer stays loaded.`;
}


/** A link names a tokenizer the page cannot load by itself: what to tell the user. */
export function unloadedLinkNotice(name: string, fallback: string): string {
  const s = parseTokenizerName(name);
  return s.kind === "url"
    ? `This link used the tokenizer at ${s.href}. Press Load (under "Use your own tokenizer.json") to fetch it; until then ${fallback} is shown.`
    : `This link used your own file "${displayName(name)}", which links cannot carry; choose it again. Showing ${fallback} meanwhile.`;
}

/** What a loaded tokenizer offers the strategies (see `strategyProblem`). */
export function abilities(name: string, info: Pick<TokenizerInfo, "maskTokenId" | "hasSentinels" | "hasFimTokens">): TokenizerAbilities {
  return { name: displayName(name), hasMaskToken: info.maskTokenId !== undefined, hasSentinels: info.hasSentinels, hasFimTokens: info.hasFimTokens };
}
