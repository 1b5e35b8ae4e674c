// Headless Debian Chromium through playwright-core (which downloads no browser), with the
// flags that keep it quiet on a machine without internet, and a static server on 127.0.0.1.
import { chromium } from "playwright-core";
import { preview } from "vite";

export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-dev-shm-usage",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export function launchChromium({ extraArgs = [] } = {}) {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: [...CHROMIUM_ARGS, ...extraArgs],
  });
}

/** Serve a built folder on 127.0.0.1 with Vite's preview server; returns { url, close }. */
export async function serveFolder(dir) {
  const server = await preview({
    configFile: false,
    root: dir,
    logLevel: "silent",
    build: { outDir: dir },
    preview: { host: "127.0.0.1", port: 0, strictPort: false, open: false },
  });
  const url = server.resolvedUrls.local[0];
  return { url, close: () => server.close() };
}
