// `Tokenizer.load`: the one part of the package's API written in JavaScript, because it must run
// before the WebAssembly module is instantiated (it starts the instantiation, while the
// tokenizer.json downloads) and no wasm-bindgen function can. Each entry of the package (the web
// and the Node entry of every build, written by scripts/finish-package.mjs) attaches it to its
// own `Tokenizer` class and `init`, so a second build reuses this file with its own wasm file.
// Its types are in the package's .d.ts (src/wasm/types.rs).

/**
 * Add `Tokenizer.load(source, options)` to `Tokenizer`. `init` is the glue's default export
 * (it instantiates the module once, however often it is called). `readFile(pathOrFileUrl,
 * { signal })`, given by the Node entries, reads local files, which `fetch` cannot.
 */
export function attachLoad(Tokenizer, init, { readFile } = {}) {
  Tokenizer.load = async function load(source, options) {
    if (options != null && typeof options !== "object") {
      throw new TypeError(`Tokenizer.load: the options must be an object, got ${typeName(options)}`);
    }
    const { signal, onProgress, module, ...loadOptions } = options ?? {};
    if (onProgress != null && typeof onProgress !== "function") {
      throw new TypeError(`Tokenizer.load: \`onProgress\` must be a function, got ${typeName(onProgress)}`);
    }
    if (signal != null && typeof signal.throwIfAborted !== "function") {
      throw new TypeError(`Tokenizer.load: \`signal\` must be an AbortSignal, got ${typeName(signal)}`);
    }
    const isModule = module instanceof WebAssembly.Module || typeof module?.then === "function";
    if (module != null && !isModule) {
      throw new TypeError(`Tokenizer.load: \`module\` must be a WebAssembly.Module or a promise of one, got ${typeName(module)}`);
    }
    signal?.throwIfAborted();
    // The module compiles while the file downloads; a failure to start is reported once the
    // download is done (or has failed first, which names the more likely culprit). A module the
    // caller compiled (to share it with workers) is instantiated instead of fetching the wasm.
    const ready = module == null ? init() : init({ module_or_path: module });
    ready.catch(() => {});
    const { bytes, from, html } = await readSource(await source, { signal, onProgress: onProgress ?? undefined, readFile });
    try {
      await ready;
    } catch (e) {
      throw new Error(`Tokenizer.load: the WebAssembly module could not be loaded: ${e?.message ?? e}`, { cause: e });
    }
    try {
      return Tokenizer.fromJSON(bytes, loadOptions);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      if (message.startsWith("unknown option")) throw new Error(`${message}; Tokenizer.load also takes signal, onProgress and module`);
      const hint = html ? " (the server answered with an HTML page, not JSON: is the address right?)" : "";
      throw new Error(`${from}${hint}: ${message}`, { cause: e });
    }
  };
}

/** The bytes of `source`, and how to name it in an error. */
async function readSource(source, { signal, onProgress, readFile }) {
  if (typeof source === "string") {
    if (/^\s*[[{]/.test(source)) {
      throw new TypeError("Tokenizer.load takes the address of a tokenizer.json, not its text; pass the text to Tokenizer.fromJSON");
    }
    if (readFile && !hasScheme(source)) return readLocal(source, source, { signal, onProgress, readFile });
    if (readFile && source.startsWith("file:")) return readLocal(new URL(source), source, { signal, onProgress, readFile });
    return download(source, source, { signal, onProgress, readFile });
  }
  if (source instanceof URL) {
    if (readFile && source.protocol === "file:") return readLocal(source, source.href, { signal, onProgress, readFile });
    return download(source, source.href, { signal, onProgress, readFile });
  }
  if (typeof Request !== "undefined" && source instanceof Request) return download(source, source.url, { signal, onProgress, readFile });
  if (typeof Response !== "undefined" && source instanceof Response) return readResponse(source, { signal, onProgress });
  let bytes;
  if (typeof Blob !== "undefined" && source instanceof Blob) bytes = new Uint8Array(await source.arrayBuffer());
  else if (source instanceof ArrayBuffer) bytes = new Uint8Array(source);
  else if (ArrayBuffer.isView(source)) bytes = new Uint8Array(source.buffer, source.byteOffset, source.byteLength);
  else {
    throw new TypeError(
      `Tokenizer.load takes the URL of a tokenizer.json (a string or URL; in Node also a file path), a Request, a Response, a Blob or the file's bytes, got ${typeName(source)}`,
    );
  }
  signal?.throwIfAborted();
  onProgress?.({ loaded: bytes.length, total: bytes.length });
  const name = typeof File !== "undefined" && source instanceof File ? `the file ${source.name}` : "the tokenizer.json";
  return { bytes, from: `could not load ${name}` };
}

/** A URL scheme of two letters or more: `C:\…` is a Windows path, not a URL. */
function hasScheme(text) {
  return /^[a-z][a-z0-9+.-]+:/i.test(text);
}

async function readLocal(path, name, { signal, onProgress, readFile }) {
  let bytes;
  try {
    bytes = new Uint8Array(await readFile(path, { signal }));
  } catch (e) {
    if (e?.name === "AbortError") throw e;
    throw new Error(`could not read the tokenizer.json file ${name}: ${e?.message ?? e}`, { cause: e });
  }
  onProgress?.({ loaded: bytes.length, total: bytes.length });
  return { bytes, from: `could not load the tokenizer.json file ${name}` };
}

async function download(input, name, { signal, onProgress, readFile }) {
  let response;
  try {
    response = await fetch(input, signal ? { signal } : undefined);
  } catch (e) {
    if (e?.name === "AbortError") throw e;
    const why = e?.cause?.message ?? e?.message ?? String(e);
    // In a browser the reason is hidden from the page; a missing CORS header is a common one.
    const check = readFile ? "is the address right and the server up?" : "is the address right, the server up, and does it allow this origin (CORS)?";
    throw new Error(`could not fetch the tokenizer.json at ${absolute(name)}: ${why} (${check})`, { cause: e });
  }
  // The address after redirects, and absolute: "./tokenizer.json" says little in an error.
  return readResponse(response, { signal, onProgress, name: response.url || absolute(name) });
}

/** `address` resolved as `fetch` resolves it, for messages; unchanged when it does not parse. */
function absolute(address) {
  try {
    return new URL(address, globalThis.document?.baseURI ?? globalThis.location?.href).href;
  } catch {
    return address;
  }
}

/** The body of `response`, with `onProgress` called as it arrives. */
async function readResponse(response, { signal, onProgress, name = response.url || "the given Response" }) {
  const at = name.startsWith("the ") ? name : `at ${name}`;
  if (!response.ok) {
    throw new Error(`could not fetch the tokenizer.json ${at}: the server answered HTTP ${response.status} ${response.statusText}`.trimEnd());
  }
  if (response.bodyUsed) {
    throw new TypeError("Tokenizer.load: this Response's body was already read; pass a fresh Response (or response.clone())");
  }
  const from = `could not load the tokenizer.json ${at}`;
  const html = /\bhtml\b/i.test(response.headers.get("content-type") ?? "");
  let bytes;
  try {
    bytes = onProgress && response.body ? await readWithProgress(response, onProgress) : new Uint8Array(await response.arrayBuffer());
  } catch (e) {
    if (e?.name === "AbortError") throw e;
    throw new Error(`could not fetch the tokenizer.json ${at}: the download broke off (${e?.message ?? e})`, { cause: e });
  }
  signal?.throwIfAborted();
  if (!onProgress || !response.body) onProgress?.({ loaded: bytes.length, total: bytes.length });
  return { bytes, from, html };
}

async function readWithProgress(response, onProgress) {
  // Content-Length counts the bytes on the wire: only without compression is it the body's size.
  const encoding = response.headers.get("content-encoding");
  const length = Number(response.headers.get("content-length") ?? NaN);
  let total = (!encoding || encoding === "identity") && length >= 0 ? length : undefined;
  const chunks = [];
  let loaded = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    loaded += value.length;
    if (total !== undefined && loaded > total) total = undefined;
    if (total === undefined || loaded < total) onProgress({ loaded, total });
  }
  const bytes = new Uint8Array(loaded);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.length;
  }
  onProgress({ loaded, total: loaded });
  return bytes;
}

function typeName(value) {
  if (value === null) return "null";
  if (typeof value !== "object") return typeof value;
  return value.constructor?.name ?? "object";
}
