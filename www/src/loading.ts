// Tokenizer loading: the bundled files, a file the user picks, an address the user types. Each
// gives the bytes of a tokenizer.json, which `openTokenizer` turns into a tokenizer the page
// can use, or an Error whose message says why not.

import { Masker, Tokenizer, type LoadOptions } from "mlmask";
import { tokenizerInfo, type TokenizerInfo } from "./engine";
import { sizeProblem, tokenizerUrl } from "./model/tokenizerSource";

/** A tokenizer the page has loaded: where it came from, and what the worker needs to load it too. */
export interface Loaded {
  /** A bundled name, "file:<name>" or "url:<address>". */
  name: string;
  /** Unique per load, so that the worker knows when to reload. */
  key: string;
  tok: Tokenizer;
  bytes: Uint8Array;
  options: LoadOptions;
  info: TokenizerInfo;
}

const bundledBytes = new Map<string, Promise<Uint8Array>>();
let loads = 0;

/** The bytes of a bundled tokenizer, fetched once. */
export function fetchBundled(name: string): Promise<Uint8Array> {
  let p = bundledBytes.get(name);
  if (!p) {
    p = fetch(new URL(`tokenizers/${name}.json`, document.baseURI)).then(async (res) => {
      if (!res.ok) throw new Error(`could not load the bundled ${name} (HTTP ${res.status})`);
      return new Uint8Array(await res.arrayBuffer());
    });
    bundledBytes.set(name, p);
  }
  return p;
}

/** The bytes of a file the user picked. */
export async function readTokenizerFile(file: File): Promise<Uint8Array> {
  const tooLarge = sizeProblem(file.size);
  if (tooLarge) throw new Error(tooLarge);
  return new Uint8Array(await file.arrayBuffer());
}

/** The address the user typed, checked: an http(s) URL. */
export function parseTokenizerUrl(address: string): URL {
  const url = tokenizerUrl(address, document.baseURI);
  if (!url) throw new Error(`"${address}" is not an http(s) address`);
  return url;
}

/** The bytes at `url`, fetched without cookies or referrer. */
export async function fetchTokenizerUrl(url: URL): Promise<Uint8Array> {
  let res: Response;
  try {
    res = await fetch(url, { credentials: "omit", referrerPolicy: "no-referrer", cache: "no-store" });
  } catch {
    throw new Error("the server is unreachable or does not allow other sites to read it (CORS)");
  }
  if (!res.ok) throw new Error(`the server answered HTTP ${res.status} ${res.statusText}`.trim());
  const tooLarge = sizeProblem(Number(res.headers.get("content-length") ?? 0));
  if (tooLarge) throw new Error(tooLarge);
  return new Uint8Array(await res.arrayBuffer());
}

/**
 * Load a tokenizer and check that the page can mask with it. The package makes the checks:
 * loading checks the file, and a default `Masker` the mask token (T5's sentinels are the
 * exception: its span corruption needs no mask token). `check` then validates the page's
 * settings against it. Throws the package's Error otherwise.
 */
export function openTokenizer(name: string, bytes: Uint8Array, options: LoadOptions, check: (tok: Tokenizer, info: TokenizerInfo) => void): Loaded {
  const tok = Tokenizer.fromJSON(bytes, options);
  try {
    const info = tokenizerInfo(tok);
    if (!info.hasSentinels) new Masker(tok).free();
    check(tok, info);
    return { name, key: `${name}#${++loads}`, tok, bytes, options, info };
  } catch (e) {
    tok.free();
    throw e;
  }
}
