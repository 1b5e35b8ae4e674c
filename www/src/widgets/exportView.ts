// Export: download the batch as JSON, or copy it.

import { byId, copyText, downloadJson } from "./dom";

export function setUpExport(root: HTMLElement, json: () => string | null): void {
  const status = byId("export-status", root);
  byId<HTMLButtonElement>("export-download", root).addEventListener("click", () => {
    const text = json();
    if (text === null) return;
    downloadJson("batch.json", text);
    status.textContent = "Downloaded batch.json.";
  });
  byId<HTMLButtonElement>("export-copy", root).addEventListener("click", async () => {
    const text = json();
    if (text === null) return;
    status.textContent = (await copyText(text)) ? "JSON copied to the clipboard." : "The browser refused the clipboard.";
  });
}
