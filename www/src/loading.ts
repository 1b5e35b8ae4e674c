// Loading tokenizers: the bundled ones (fetched once, kept), a file, or a URL. A tokenizer is
// checked (it can mask, the settings suit it) before it replaces the active one; on failure the
// panel says why and the active one stays. A tokenizer that mlmask/lite cannot serve switches the
// page to the full build (build.ts), and every tokenizer the page holds is made again in it.

import type { LoadOptions, Tokenizer } from "mlmask";
import { api, needsFullBuild, startWith, useBuild, type BuildName } from "./build";
import { maskerOptions, tokenizerInfo, type TokenizerInfo } from "./engine";
import { BUNDLED_TOKENIZERS, type Settings } from "./model/settings";
import { strategyProblem } from "./model/strategies";
import { bytes as fmtBytes } from "./model/format";
import {
  abilities,
  fetchFailure,
  fileTokenizer,
  hubConfig,
  hubFailure,
  hubFileUrl,
  hubTokenizer,
  isBundled,
  modelMaxLength,
  parseHubId,
  loadFailure,
  parseTokenizerAddress,
  pickerLabel,
  tooLarge,
  urlTokenizer,
} from "./model/tokenizerSource";
import type { TokenizerPanel } from "./widgets/tokenizerPanel";
import type { Status } from "./widgets/status";

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
  /** The longest sequence the model reads (model_max_length), when the file or its config says. */
  maxLength: number | null;
}

export interface Tokenizers {
  active(): Loaded | null;
  /**
   * Start build `build` with the tokenizer the page shows first: a bundled `name` is fetched
   * with `Tokenizer.load` while the wasm compiles, and kept for the first `selectBundled(name)`.
   * The others are fetched when picked, so a page that never uses them never loads them.
   * Returns the compiled module, for the worker.
   */
  start(build: BuildName, name: string): Promise<WebAssembly.Module>;
  selectBundled(name: string): Promise<void>;
  loadFile(f: File): Promise<void>;
  loadUrl(address: string): Promise<void>;
  /** Fetch a model's tokenizer.json (and tokenizer_config.json, for its mask token) from the Hub. */
  loadHub(id: string, revision: string | null): Promise<void>;
  /** Load the active tokenizer again with `tokens` added as special tokens (the fim strategy's). */
  addSpecialTokens(tokens: readonly string[]): Promise<void>;
  /** Switch the page to the full build (once), making the tokenizers it holds again there. */
  switchToFullBuild(): Promise<void>;
  /**
   * The tokenizers the compare view offers beside the active one: the bundled ones, and the one
   * that was active before (kept until another replaces it), as `{ choice, label }`.
   */
  comparable(): { choice: string; label: string }[];
  /** The tokenizer behind a `comparable()` choice, when it is loaded now (never made active). */
  comparison(choice: string): Loaded | null;
  /** Load the tokenizer behind a choice for `comparison`; rejects with what went wrong. */
  prepareComparison(choice: string): Promise<void>;
}

/** The compare view's choice for the tokenizer that was active before the current one. */
export const PREVIOUS_TOKENIZER = "previous";

/**
 * `activated` is called whenever a tokenizer becomes the active one, after the panel shows it;
 * `settings` are the current settings, which a new tokenizer must accept.
 */
export function setUpTokenizers(
  panel: TokenizerPanel,
  status: Status,
  settings: () => Settings,
  activated: (t: Loaded) => void,
  buildChanged: (module: WebAssembly.Module) => void,
): Tokenizers {
  let active: Loaded | null = null;
  let switching: Promise<void> | null = null;
  let loads = 0;
  const bundled = new Map<string, Loaded>();
  const bundledBytes = new Map<string, Promise<Uint8Array>>();
  /** The first tokenizer, loaded with the build by `start`, until `use` takes it. */
  let preloaded: { name: string; tok: Tokenizer } | null = null;
  /** The tokenizer active before the current one, unless it is a kept bundled one: the compare view's. */
  let previous: Loaded | null = null;
  /** Bundled tokenizers loaded for comparing only (never active), by name. */
  const comparing = new Map<string, Loaded>();

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
    // The one replaced stays as `previous` for the compare view (a kept bundled one needs no copy).
    if (active && active !== loaded && bundled.get(active.name) !== active) {
      if (previous !== loaded) previous?.tok.free();
      previous = active;
    }
    if (previous === loaded) previous = null;
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

  /**
   * The full build replaces lite: bundled tokenizers are dropped (they are made again when
   * picked) and the active one is made again from its bytes, under a new key for the worker.
   */
  function switchToFullBuild(): Promise<void> {
    switching ??= (async () => {
      status.busy("Loading the full build of mlmask (this tokenizer needs the tokenizers crate)…", null);
      const module = await useBuild("full");
      preloaded?.tok.free();
      preloaded = null;
      for (const loaded of bundled.values()) if (loaded !== active) loaded.tok.free();
      bundled.clear();
      for (const loaded of comparing.values()) loaded.tok.free();
      comparing.clear();
      if (previous) {
        previous.tok.free();
        previous.tok = api().Tokenizer.fromJSON(previous.bytes, previous.options);
        previous.key = `${previous.name}#${++loads}`;
      }
      if (active) {
        active.tok.free();
        active.tok = api().Tokenizer.fromJSON(active.bytes, active.options);
        active.key = `${active.name}#${++loads}`;
        if (isBundled(active.name) && !active.options.additionalSpecialTokens?.length) bundled.set(active.name, active);
      }
      buildChanged(module);
      status.idle("");
    })();
    return switching;
  }

  /** Load `bytes`, check the tokenizer can mask, and activate it; on failure keep the old one. */
  async function use(name: string, bytes: Uint8Array, options: LoadOptions, configMaxLength?: number): Promise<void> {
    let tok: Tokenizer | null = null;
    let info: TokenizerInfo;
    try {
      const first = preloaded?.name === name && Object.keys(options).length === 0 ? preloaded.tok : null;
      if (first) preloaded = null;
      tok = first ?? api().Tokenizer.fromJSON(bytes, options);
      info = tokenizerInfo(tok);
      // Any tokenizer loads: one the strategy cannot use still shows its tokens, with the
      // reason and the fix (main.ts). The settings are validated when the strategy can run.
      const s = settings();
      if (strategyProblem(s.strategy, abilities(name, info)) === null) new (api().Masker)(tok, maskerOptions(s)).free();
    } catch (e) {
      tok?.free();
      if (needsFullBuild(e)) {
        await switchToFullBuild();
        return use(name, bytes, options, configMaxLength);
      }
      return refuse(loadFailure(name, e, active?.name ?? null));
    }
    activate(make(name, bytes, options, tok, info, configMaxLength));
  }

  function loadOptions(): LoadOptions {
    const maskToken = panel.maskTokenOverride();
    return maskToken ? { maskToken } : {};
  }

  /** A loaded tokenizer from its bytes, with what the views need to know of it. */
  function make(name: string, bytes: Uint8Array, options: LoadOptions, tok: Tokenizer, info = tokenizerInfo(tok), configMaxLength?: number): Loaded {
    return { name, key: `${name}#${++loads}`, tok, bytes, options, info, maxLength: modelMaxLength(name, bytes, configMaxLength) };
  }

  return {
    active: () => active,

    comparable() {
      const choices = BUNDLED_TOKENIZERS.map((name) => ({ choice: name as string, label: pickerLabel(name) }));
      if (previous) choices.push({ choice: PREVIOUS_TOKENIZER, label: `${pickerLabel(previous.name)} (loaded before)` });
      return choices;
    },

    comparison(choice) {
      if (choice === PREVIOUS_TOKENIZER) return previous;
      return bundled.get(choice) ?? comparing.get(choice) ?? null;
    },

    async prepareComparison(choice) {
      if (choice === PREVIOUS_TOKENIZER || !isBundled(choice) || bundled.has(choice) || comparing.has(choice)) return;
      const bytes = await fetchBundled(choice);
      // A build switch or a second request may have loaded it meanwhile.
      if (bundled.has(choice) || comparing.has(choice)) return;
      comparing.set(choice, make(choice, bytes, {}, api().Tokenizer.fromJSON(bytes)));
    },

    async addSpecialTokens(tokens) {
      if (!active) return;
      const added = [...(active.options.additionalSpecialTokens ?? []), ...tokens];
      await use(active.name, active.bytes, { ...active.options, additionalSpecialTokens: added }, active.maxLength ?? undefined);
    },

    switchToFullBuild,

    async start(build, name) {
      if (!isBundled(name)) return useBuild(build);
      try {
        const { module, first } = await startWith(build, (api, module) => api.Tokenizer.load(fetchBundled(name), { module }));
        preloaded = { name, tok: first };
        return module;
      } catch {
        // The build started anyway (startWith); selectBundled reports the failure when it
        // tries this tokenizer again.
        return useBuild(build);
      }
    },

    async selectBundled(name) {
      const cached = bundled.get(name);
      if (cached) return activate(cached);
      try {
        status.busy(`Loading ${name}…`, null);
        await use(name, await fetchBundled(name), {});
      } catch (e) {
        refuse(e instanceof Error ? e.message : String(e));
      }
    },

    async loadFile(f) {
      const big = tooLarge(f.size, fmtBytes);
      if (big) return panel.error(loadFailure(fileTokenizer(f.name), big, null));
      await use(fileTokenizer(f.name), new Uint8Array(await f.arrayBuffer()), loadOptions());
    },

    async loadHub(text, revision) {
      const parsed = parseHubId(text);
      if ("error" in parsed) return panel.error(parsed.error);
      const { id } = parsed;
      status.busy(`Fetching ${id} from the Hugging Face Hub…`, null);
      const get = (file: string) =>
        fetch(hubFileUrl(id, revision, file), { credentials: "omit", referrerPolicy: "no-referrer" }).catch(() => null);
      try {
        const [tokenizer, config] = await Promise.all([get("tokenizer.json"), get("tokenizer_config.json")]);
        if (!tokenizer) throw new TypeError("unreachable");
        if (!tokenizer.ok) throw new Error(hubFailure(id, revision, tokenizer.status, config?.status ?? 0));
        const big = tooLarge(Number(tokenizer.headers.get("content-length") ?? 0), fmtBytes);
        if (big) throw new Error(big);
        const body = new Uint8Array(await tokenizer.arrayBuffer());
        const extra = hubConfig(config?.ok ? await config.text() : null);
        status.idle("");
        // The panel's mask token wins over the config's.
        const options = loadOptions();
        await use(
          hubTokenizer(id, revision),
          body,
          extra.maskToken && !options.maskToken ? { ...options, maskToken: extra.maskToken } : options,
          extra.modelMaxLength,
        );
      } catch (e) {
        status.idle("");
        const why = e instanceof Error ? e.message : String(e);
        panel.error(e instanceof TypeError ? fetchFailure(hubFileUrl(id, revision, "tokenizer.json"), e) : `${why} The previous tokenizer stays loaded.`);
      }
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
        await use(urlTokenizer(url.href), body, loadOptions());
      } catch (e) {
        status.idle("");
        panel.error(fetchFailure(url.href, e));
      }
    },
  };
}
