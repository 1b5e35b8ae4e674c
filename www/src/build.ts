// Which build of mlmask the page runs. It starts with mlmask/lite (a smaller download, and every
// bundled tokenizer has a fast path it serves whole) and switches to the full build, with the
// tokenizers crate, the first time a tokenizer or a call needs it (an uploaded T5 file, a decode
// lite cannot do). Objects of one build cannot be passed to the other, so everything the page
// holds is made again from its bytes after a switch (loading.ts), and the worker restarts.
//
// The worker uses this module too: there, `adopt` installs the build the page sent.

import * as full from "mlmask";
import * as lite from "mlmask/lite";
import fullWasmUrl from "mlmask/mlmask_bg.wasm?url";
import liteWasmUrl from "mlmask/lite/mlmask_bg.wasm?url";

export type Api = typeof full;
export type BuildName = "lite" | "full";

const APIS: Record<BuildName, Api> = { full, lite: lite as Api };
const URLS: Record<BuildName, string> = { full: fullWasmUrl, lite: liteWasmUrl };

let current: { name: BuildName; api: Api } | null = null;
const compiled = new Map<BuildName, Promise<WebAssembly.Module>>();

/** The active build's classes and functions. */
export function api(): Api {
  if (!current) throw new Error("the WebAssembly module is not loaded yet");
  return current.api;
}

/** The active build's name, null before the first one is loaded. */
export function buildName(): BuildName | null {
  return current?.name ?? null;
}

/** Whether an error is lite saying that the full build can do what it cannot. */
export function needsFullBuild(e: unknown): boolean {
  return current?.name === "lite" && e instanceof Error && e.message.startsWith("mlmask/lite cannot");
}

/** Fetch and compile a build's WebAssembly module, once per page. */
export function compileBuild(name: BuildName): Promise<WebAssembly.Module> {
  let p = compiled.get(name);
  if (!p) {
    p = (async () => {
      const res = await fetch(URLS[name]);
      if (!res.ok) throw new Error(`could not load the WebAssembly module (HTTP ${res.status})`);
      // Static hosts without the application/wasm type cannot stream-compile; fall back to bytes.
      if (res.headers.get("content-type")?.startsWith("application/wasm")) return WebAssembly.compileStreaming(res);
      return WebAssembly.compile(await res.arrayBuffer());
    })();
    compiled.set(name, p);
    p.catch(() => compiled.delete(name));
  }
  return p;
}

/** Compile (if needed), instantiate and activate a build; returns its module for the worker. */
export async function useBuild(name: BuildName): Promise<WebAssembly.Module> {
  const module = await compileBuild(name);
  await APIS[name].default({ module_or_path: module });
  current = { name, api: APIS[name] };
  return module;
}

/**
 * Start the page on build `name` and its first tokenizer together: `load` gets the build's API
 * and the promise of its compiled module, to pass to `Tokenizer.load`, which instantiates the
 * module while the tokenizer.json downloads. Returns the module (for the worker) and what `load`
 * returned; if `load` fails, the build is still started and the error rethrown.
 */
export async function startWith<T>(
  name: BuildName,
  load: (api: Api, module: Promise<WebAssembly.Module>) => Promise<T>,
): Promise<{ module: WebAssembly.Module; first: T }> {
  const module = compileBuild(name);
  let first: T;
  try {
    first = await load(APIS[name], module);
  } finally {
    await useBuild(name);
  }
  return { module: await module, first };
}

/** Use a build whose entry instantiated itself (the package's Node entry, in the unit tests). */
export function useInstantiated(name: BuildName): Api {
  current = { name, api: APIS[name] };
  return current.api;
}

/** The worker's side: instantiate the module the page compiled, synchronously. */
export function adopt(name: BuildName, module: WebAssembly.Module): Api {
  APIS[name].initSync({ module });
  current = { name, api: APIS[name] };
  return current.api;
}
