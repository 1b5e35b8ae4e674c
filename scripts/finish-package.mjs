// Completes pkg/ after wasm-pack: the web and Node entries (the Node one loads the wasm
// synchronously), and the `exports` map that sends Node to its entry and bundlers and browsers
// to the web one.
import { copyFileSync, readFileSync, writeFileSync } from "node:fs";

const dir = new URL("../pkg/", import.meta.url);
const manifestUrl = new URL("package.json", dir);
const manifest = JSON.parse(readFileSync(manifestUrl, "utf8"));

// The entries of each build (the full one in pkg/, lite in pkg/lite/): the wasm-bindgen module
// plus `Tokenizer.load` (src/wasm/load.js, copied once into pkg/ and shared by both builds). The
// web entry leaves instantiation to `init()` or `Tokenizer.load`; the Node entry instantiates
// synchronously on import and lets `Tokenizer.load` read local files.
copyFileSync(new URL("../src/wasm/load.js", import.meta.url), new URL("load.js", dir));
for (const [folder, name] of [["", "mlmask"], ["lite/", "mlmask/lite"]]) {
  const load = folder ? "../load.js" : "./load.js";
  writeFileSync(
    new URL(`${folder}web.js`, dir),
    `// Browser and bundler entry of ${name}: \`await init()\` fetches and instantiates the wasm next to
// this file, or \`await Tokenizer.load(url)\` does so while it downloads the tokenizer.json.
import init, { Tokenizer } from "./mlmask.js";
import { attachLoad } from "${load}";

attachLoad(Tokenizer, init);

export * from "./mlmask.js";
export { default } from "./mlmask.js";
`,
  );
  writeFileSync(
    new URL(`${folder}node.js`, dir),
    `// Node.js entry of ${name}: the WebAssembly module is read from this folder and instantiated
// synchronously on import, so \`init()\` is optional here (it returns at once). \`Tokenizer.load\`
// also reads file paths and \`file:\` URLs.
import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import init, { initSync, Tokenizer } from "./mlmask.js";
import { attachLoad } from "${load}";

initSync({ module: readFileSync(new URL("./mlmask_bg.wasm", import.meta.url)) });
attachLoad(Tokenizer, init, { readFile });

export * from "./mlmask.js";
export { default } from "./mlmask.js";
`,
  );
  for (const entry of ["web", "node"]) {
    writeFileSync(new URL(`${folder}${entry}.d.ts`, dir), `export * from "./mlmask.js";\nexport { default } from "./mlmask.js";\n`);
  }
}

// wasm-bindgen declares `[Symbol.dispose]()` on every class, which only type-checks with the
// esnext.disposable lib. Referencing it from the declarations spares every TypeScript user a
// compiler error (or a tsconfig change) at no cost to those who have it already.
const reference = '/// <reference lib="esnext.disposable" />\n';
for (const file of ["mlmask.d.ts", "lite/mlmask.d.ts"]) {
  const typesUrl = new URL(file, dir);
  const types = readFileSync(typesUrl, "utf8");
  if (!types.startsWith(reference)) writeFileSync(typesUrl, reference + types);
}
// Same API, same declarations: lite is a smaller build of the same crate, not another library.
if (readFileSync(new URL("mlmask.d.ts", dir), "utf8") !== readFileSync(new URL("lite/mlmask.d.ts", dir), "utf8")) {
  throw new Error("pkg/lite/mlmask.d.ts differs from pkg/mlmask.d.ts: the lite build must export the same API");
}

const files = new Set([...(manifest.files ?? []), "web.js", "web.d.ts", "node.js", "node.d.ts", "load.js", "lite/", "LICENSE", "README.md"]);
Object.assign(manifest, {
  description: manifest.description,
  type: "module",
  main: "web.js",
  module: "web.js",
  types: "mlmask.d.ts",
  files: [...files],
  exports: {
    ".": {
      types: "./mlmask.d.ts",
      node: "./node.js",
      default: "./web.js",
    },
    "./web": { types: "./mlmask.d.ts", default: "./web.js" },
    "./lite": {
      types: "./lite/mlmask.d.ts",
      node: "./lite/node.js",
      default: "./lite/web.js",
    },
    "./lite/web": { types: "./lite/mlmask.d.ts", default: "./lite/web.js" },
    "./mlmask_bg.wasm": "./mlmask_bg.wasm",
    "./lite/mlmask_bg.wasm": "./lite/mlmask_bg.wasm",
    "./package.json": "./package.json",
  },
  // The entries attach Tokenizer.load to the class: a bundler must not skip them.
  sideEffects: ["./web.js", "./node.js", "./snippets/*", "./lite/web.js", "./lite/node.js", "./lite/snippets/*"],
  engines: { node: ">=18" },
});
writeFileSync(manifestUrl, JSON.stringify(manifest, null, 2) + "\n");
console.log(`pkg/package.json: exports, types and files set (${manifest.files.length} files)`);
