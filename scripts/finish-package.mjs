// Completes pkg/ after wasm-pack: a Node entry that loads the wasm synchronously, and the
// `exports` map that sends Node to it and bundlers and browsers to the web entry.
import { readFileSync, writeFileSync } from "node:fs";

const dir = new URL("../pkg/", import.meta.url);
const manifestUrl = new URL("package.json", dir);
const manifest = JSON.parse(readFileSync(manifestUrl, "utf8"));

// The Node entry of each build (the full one in pkg/, lite in pkg/lite/).
for (const [folder, name] of [["", "mlmask"], ["lite/", "mlmask/lite"]]) {
  writeFileSync(
    new URL(`${folder}node.js`, dir),
    `// Node.js entry of ${name}: the WebAssembly module is read from this folder and instantiated
// synchronously on import, so \`init()\` is optional here (it returns at once).
import { readFileSync } from "node:fs";
import { initSync } from "./mlmask.js";

initSync({ module: readFileSync(new URL("./mlmask_bg.wasm", import.meta.url)) });

export * from "./mlmask.js";
export { default } from "./mlmask.js";
`,
  );
  writeFileSync(new URL(`${folder}node.d.ts`, dir), `export * from "./mlmask.js";\nexport { default } from "./mlmask.js";\n`);
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

const files = new Set([...(manifest.files ?? []), "node.js", "node.d.ts", "lite/", "LICENSE", "README.md"]);
Object.assign(manifest, {
  description: manifest.description,
  type: "module",
  main: "mlmask.js",
  module: "mlmask.js",
  types: "mlmask.d.ts",
  files: [...files],
  exports: {
    ".": {
      types: "./mlmask.d.ts",
      node: "./node.js",
      default: "./mlmask.js",
    },
    "./web": { types: "./mlmask.d.ts", default: "./mlmask.js" },
    "./lite": {
      types: "./lite/mlmask.d.ts",
      node: "./lite/node.js",
      default: "./lite/mlmask.js",
    },
    "./lite/web": { types: "./lite/mlmask.d.ts", default: "./lite/mlmask.js" },
    "./mlmask_bg.wasm": "./mlmask_bg.wasm",
    "./lite/mlmask_bg.wasm": "./lite/mlmask_bg.wasm",
    "./package.json": "./package.json",
  },
  sideEffects: ["./node.js", "./snippets/*", "./lite/node.js", "./lite/snippets/*"],
  engines: { node: ">=18" },
});
writeFileSync(manifestUrl, JSON.stringify(manifest, null, 2) + "\n");
console.log(`pkg/package.json: exports, types and files set (${manifest.files.length} files)`);
