/// <reference types="vitest/config" />
import { defineConfig, type Plugin } from "vite";

const root = decodeURIComponent(new URL(".", import.meta.url).pathname);

/**
 * The built page carries a Content-Security-Policy as defence in depth: scripts only from the
 * page's own origin (plus WebAssembly compilation), no plugins, no off-origin images or
 * frames. `connect-src` stays open because the user may type a tokenizer URL on any host.
 * Only for the build: the dev server injects inline styles and a websocket.
 */
const CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self' https: http:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join("; ");

function contentSecurityPolicy(): Plugin {
  return {
    name: "mlmask-demo-csp",
    apply: "build",
    transformIndexHtml: () => [
      { tag: "meta", attrs: { "http-equiv": "Content-Security-Policy", content: CSP }, injectTo: "head-prepend" },
    ],
  };
}

export default defineConfig({
  root,
  // Relative asset URLs: the built folder works from any static host, at the root or under a sub-path.
  base: "./",
  publicDir: "public",
  // Keep vite's and vitest's caches out of www/ (the repository's node_modules is git-ignored).
  cacheDir: "../node_modules/.vite/www",
  plugins: [contentSecurityPolicy()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    // The wasm must stay a separate file (fetched once, compiled while streaming).
    assetsInlineLimit: (file) => (file.endsWith(".wasm") ? false : undefined),
  },
  worker: { format: "es" },
  // wasm-bindgen's glue finds its .wasm through import.meta.url; pre-bundling would break that.
  optimizeDeps: { exclude: ["mlmask"] },
  server: { host: "127.0.0.1" },
  preview: { host: "127.0.0.1" },
  test: {
    root,
    include: ["test/**/*.test.ts"],
    // The strategies' controls come from the package's catalog, as the page loads it.
    setupFiles: ["test/setup.ts"],
    environment: "node",
  },
});
