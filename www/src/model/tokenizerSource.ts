// Where a tokenizer comes from, as the settings and links name it ("bert-base-uncased",
// "url:https://…", "file:name.json", "hub:org/model@revision"), and the words the demo uses when
// loading one fails.

import type { TokenizerInfo } from "../engine";
import { BUNDLED_TOKENIZERS } from "./settings";
import type { TokenizerAbilities } from "./strategies";

/** Largest tokenizer file accepted, from a file or a URL. */
export const MAX_TOKENIZER_BYTES = 64 * 1024 * 1024;

export type TokenizerSource =
  | { kind: "bundled"; name: string }
  | { kind: "url"; href: string }
  | { kind: "file"; fileName: string }
  | { kind: "hub"; id: string; revision: string | null };

export const urlTokenizer = (href: string) => `url:${href}`;
export const fileTokenizer = (fileName: string) => `file:${fileName}`;
export const hubTokenizer = (id: string, revision: string | null) => `hub:${id}${revision ? `@${revision}` : ""}`;

export function isBundled(name: string): boolean {
  return (BUNDLED_TOKENIZERS as readonly string[]).includes(name);
}

/** A tokenizer's name in the settings, read back. Unknown plain names count as bundled. */
export function parseTokenizerName(name: string): TokenizerSource {
  if (name.startsWith("url:")) return { kind: "url", href: name.slice(4) };
  if (name.startsWith("file:")) return { kind: "file", fileName: name.slice(5) };
  if (name.startsWith("hub:")) {
    const [id, ...rest] = name.slice(4).split("@");
    return { kind: "hub", id, revision: rest.length ? rest.join("@") : null };
  }
  return { kind: "bundled", name };
}

/**
 * The model a URL names, when it has the Hub's file layout (`…/org/model/resolve/main/tokenizer.json`,
 * also `raw` and `blob`, on huggingface.co or a mirror), with its host; else null. A tokenizer.json
 * itself names no model (its keys are the pipeline's parts), so a file is known by its file name only.
 */
export function modelOfUrl(href: string): { model: string; host: string } | null {
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return null;
  }
  const m = /^\/((?:[\w.-]+\/)?[\w.-]+)\/(?:resolve|raw|blob)\/[^/]+\/(?:[^/]+\/)*[^/]+\.json$/.exec(decodeURIComponent(url.pathname));
  return m ? { model: m[1], host: url.host } : null;
}

/** The name shown to the user: the bundled name, the model a URL names or the address, or the file name. */
export function displayName(name: string): string {
  const s = parseTokenizerName(name);
  if (s.kind === "hub") return `${s.id}${s.revision ? `@${s.revision}` : ""} (Hugging Face Hub)`;
  if (s.kind === "url") {
    const named = modelOfUrl(s.href);
    return named ? `${named.model} (from ${named.host})` : s.href;
  }
  return s.kind === "file" ? s.fileName : s.name;
}

/** The label of a tokenizer that is not bundled, in the tokenizer picker. */
export function pickerLabel(name: string): string {
  const s = parseTokenizerName(name);
  if (s.kind === "hub") return `Hub: ${s.id}${s.revision ? `@${s.revision}` : ""}`;
  return s.kind === "url" ? `From URL: ${displayName(name)}` : s.kind === "file" ? `Your file: ${s.fileName}` : s.name;
}

/** The Hugging Face Hub's address, where `resolve` URLs serve a repository's files. */
export const HUB = "https://huggingface.co";

/** A Hub model id as typed ("bert-base-uncased", "org/model"), checked, or why it is not one. */
export function parseHubId(text: string): { id: string } | { error: string } {
  const id = text.trim().replace(/^https:\/\/huggingface\.co\//, "").replace(/\/+$/, "");
  if (/^[A-Za-z0-9][\w.-]*(\/[A-Za-z0-9][\w.-]*)?$/.test(id) && !id.includes("..")) return { id };
  return { error: `"${text.trim()}" is not a Hugging Face model id: type one like bert-base-uncased or org/model.` };
}

/** The `resolve` URL of `file` in model `id` at `revision` (default: main). */
export function hubFileUrl(id: string, revision: string | null, file: string): string {
  return `${HUB}/${id}/resolve/${encodeURIComponent(revision || "main")}/${file}`;
}

/** What tokenizer_config.json adds: the mask token and model_max_length, when it names them. */
export function hubConfig(text: string | null): { maskToken?: string; modelMaxLength?: number } {
  if (!text) return {};
  let c: Record<string, unknown>;
  try {
    c = JSON.parse(text);
  } catch {
    return {};
  }
  const out: { maskToken?: string; modelMaxLength?: number } = {};
  const mask = c.mask_token;
  if (typeof mask === "string") out.maskToken = mask;
  else if (mask && typeof mask === "object" && typeof (mask as { content?: unknown }).content === "string") out.maskToken = (mask as { content: string }).content;
  // transformers writes a huge number (1e30) when the model sets no limit.
  if (typeof c.model_max_length === "number" && c.model_max_length > 0 && c.model_max_length < 1e9) out.modelMaxLength = c.model_max_length;
  return out;
}

/**
 * Why the Hub did not give a tokenizer.json: `status` is its answer for tokenizer.json,
 * `configStatus` for tokenizer_config.json (0: not asked or unreachable).
 */
export function hubFailure(id: string, revision: string | null, status: number, configStatus: number): string {
  const at = revision ? ` at revision ${revision}` : "";
  if (status === 401 || status === 403)
    return `${id} is gated or private on the Hub: it serves its files only to signed-in users who accepted its terms, and this page never sends credentials. Download its tokenizer.json from the Hub yourself and drop the file here.`;
  if (status === 404 && configStatus === 200)
    return `${id}${at} has no tokenizer.json: it is not a fast tokenizer. Convert it in Python (AutoTokenizer.from_pretrained("${id}").save_pretrained("out")) and load out/tokenizer.json as a file.`;
  if (status === 404) return `${id}${at} was not found on the Hub: check the model id${revision ? " and the revision" : ""}.`;
  return `the Hub answered HTTP ${status} for ${id}'s tokenizer.json.`;
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
  if (s.kind === "hub")
    return `This link used ${displayName(name)}. Press "Load from the Hub" (under "Use your own tokenizer.json") to fetch it; until then ${fallback} is shown.`;
  return s.kind === "url"
    ? `This link used the tokenizer at ${s.href}. Press Load (under "Use your own tokenizer.json") to fetch it; until then ${fallback} is shown.`
    : `This link used your own file "${displayName(name)}", which links cannot carry; choose it again. Showing ${fallback} meanwhile.`;
}

/** What a loaded tokenizer offers the strategies (see `strategyProblem`). */
export function abilities(name: string, info: Pick<TokenizerInfo, "maskTokenId" | "hasSentinels" | "hasFimTokens">): TokenizerAbilities {
  return { name: displayName(name), hasMaskToken: info.maskTokenId !== undefined, hasSentinels: info.hasSentinels, hasFimTokens: info.hasFimTokens };
}

/** model_max_length of the bundled tokenizers, from their tokenizer_config.json on the Hub. */
const BUNDLED_MAX_LENGTH: Record<string, number> = { "bert-base-uncased": 512, "roberta-base": 512 };

/**
 * The longest sequence the model reads: `fromConfig` (a Hub model's tokenizer_config.json), else
 * the file's own truncation (`"truncation": {"max_length": N}`, near the top of a tokenizer.json),
 * else the bundled tokenizer's; null when nothing says.
 */
export function modelMaxLength(name: string, bytes: Uint8Array, fromConfig?: number): number | null {
  if (fromConfig) return fromConfig;
  const head = new TextDecoder().decode(bytes.subarray(0, 8192));
  const m = head.match(/"truncation"\s*:\s*\{[^{}]*"max_length"\s*:\s*(\d+)/);
  if (m) return Number(m[1]);
  return BUNDLED_MAX_LENGTH[name] ?? null;
}
