// Loading the WebAssembly module, and tokenizers: the bundled ones (fetched once, kept), a file, or a URL. A tokenizer is
// checked (it can mask, the settings suit it) before it replaces the active one; on failure the
// panel says why and the active one stays.

import { Masker, Tokenizer, type LoadOptions } from "mlmask";
import wasmUrl from "mlmask/mlmask_bg.wasm?url";
import { maskerOptions, tokenizerInfo, type TokenizerInfo } from "./engine";
import type { Settings } from "./model/settings";
import { strategyProblem } from "./model/strategies";
import { bytes as fmtBytes } from "./model/format";
import {
  abilities,
  fetchFailure,
  fileTokenizer,
  isBundled,
  loadFailure,
  parseTokenizerAddress,
  tooLarge,
  urlTokenizer,
} from "./model/tokenizerSource";
import type { TokenizerPanel } from "./widgets/tokenizerPanel";
import type { Status } from "./widgets/status";

/** The package's WebAssembly module, compiled once for the page and the worker. */
export async function compileWasm(): Promise<WebAssembly.Module> {
  const res = await fetch(wasmUrl);
  if (!res.ok) throw new Error(`could not load the WebAssembly module (HTTP ${res.status})`);
  // Static hosts without the application/wasm type cannot stream-compile; fall back to bytes.
  if (res.headers.get("content-type")?.startsWith("application/wasm")) {
    return WebAssembly.compileStreaming(res);
  }
  return WebAssembly.compile(await res.arrayBuffer());
}

/** A loaded tokenizer, with what the worker needs to load it again. */
export interface Loaded {
  /** As in the settings: "bert-base-uncased", "url:…" or "file:…". */
  name: string;
  /** Unique per load, so the worker can tell whether it has this one. */
  key: string;
  tok: Tokenizer;
  bytes: Uint8Array;
  options: LoadOptions;
  info: TokenizerInfo;
}

export interface Tokenizers {
  active(): Loaded | null;
  /**
   * Request the bundled tokenizer `name` now, while the wasm compiles: the one the page shows
   * first. The others are fetched when picked, so a page that never uses them never loads them.
   */
  prefetch(name: string): void;
  selectBundled(name: string): Promise<void>;
  loadFile(f: File): Promise<void>;
  loadUrl(address: string): Promise<void>;
  /** Load the active tokenizer again with `tokens` added as special tokens (the fim strategy's). */
  addSpecialTokens(tokens: readonly string[]): void;
}

/**
 * `activated` is called whenever a tokenizer becomes the active one, after the panel shows it;
 * `settings` are the current settings, which a new tokenizer must accept.
 */
export function setUpTokenizers(panel: TokenizerPanel, status: Status, settings: () => Settings, activated: (t: Loaded) => void): Tokenizers {
  let active: Loaded | null = null;
  let loads = 0;
  const bundled = new Map<string, Loaded>();
  const bundledBytes = new Map<string, Promise<Uint8Array>>();

  function fetchBundled(name: string): Promise<Uint8Array> {
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

  /** The one place a tokenizer becomes the active one. */
  function activate(loaded: Loaded) {
    if (active && active !== loaded && !isBundled(active.name)) active.tok.free();
    // A bundled tokenizer with tokens added is not the bundled one: its vocabulary is larger.
    if (isBundled(loaded.name) && !loaded.options.additionalSpecialTokens?.length) bundled.set(loaded.name, loaded);
    active = loaded;
    panel.error(null);
    panel.render(loaded.name, loaded.info);
    activated(loaded);
  }

  function refuse(message: string) {
    panel.error(message);
    if (active) panel.render(active.name, active.info);
  }

  /** Load `bytes`, check the tokenizer can mask, and activate it; on failure keep the old one. */
  function use(name: string, bytes: Uint8Array, options: LoadOptions) {
    let tok: Tokenizer | null = null;
    let info: TokenizerInfo;
    try {
      tok = Tokenizer.fromJSON(bytes, options);
      info = tokenizerInfo(tok);
      // Any tokenizer loads: one the strategy cannot use still shows its tokens, with the
      // reason and the fix (main.ts). The settings are validated when the strategy can run.
      const s = settings();
      if (strategyProblem(s.strategy, abilities(name, info)) === null) new Masker(tok, maskerOptions(s)).free();
    } catch (e) {
      tok?.free();
      return refuse(loadFailure(name, e, active?.name ?? null));
    }
    activate({ name, key: `${name}#${++loads}`, tok, bytes, options, info });
  }

  function loadOptions(): LoadOptions {
    const maskToken = panel.maskTokenOverride();
    return maskToken ? { maskToken } : {};
  }

  return {
    active: () => active,

    addSpecialTokens(tokens) {
      if (!active) return;
      const added = [...(active.options.additionalSpecialTokens ?? []), ...tokens];
      use(active.name, active.bytes, { ...active.options, additionalSpecialTokens: added });
    },

    prefetch(name) {
      if (isBundled(name)) fetchBundled(name).catch(() => {});
    },

    async selectBundled(name) {
      const cached = bundled.get(name);
      if (cached) return activate(cached);
      try {
        status.busy(`Loading ${name}…`, null);
        use(name, await fetchBundled(name), {});
      } catch (e) {
        refuse(e instanceof Error ? e.message : String(e));
      }
    },

    async loadFile(f) {
      const big = tooLarge(f.size, fmtBytes);
      if (big) return panel.error(loadFailure(fileTokenizer(f.name), big, null));
      use(fileTokenizer(f.name), new Uint8Array(await f.arrayBuffer()), loadOptions());
    },

    async loadUrl(address) {
      const parsed = parseTokenizerAddress(address, document.baseURI);
      if ("error" in parsed) return panel.error(parsed.error);
      const { url } = parsed;
      status.busy(`Fetching ${url.href}…`, null);
      try {
        const res = await fetch(url, { credentials: "omit", referrerPolicy: "no-referrer", cache: "no-store" });
        if (!res.ok) throw new Error(`the server answered HTTP ${res.status} ${res.statusText}`.trim());
        const big = tooLarge(Number(res.headers.get("content-length") ?? 0), fmtBytes);
        if (big) throw new Error(big);
        const body = new Uint8Array(await res.arrayBuffer());
        status.idle("");
        use(urlTokenizer(url.href), body, loadOptions());
      } catch (e) {
        status.idle("");
        panel.error(fetchFailure(url.href, e));
      }
    },
  };
}
