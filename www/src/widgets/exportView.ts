// Export: download the batch as JSON, or copy it.

import { byId, copyText } from "./dom";

export function setUpExport(root: HTMLElement, json: () => string | null): void {
  const status = byId("export-status", root);
  byId<HTMLButtonElement>("export-download", root).addEventListener("click", () => {
    const text = json();
    if (text === null) return;
    const url = URL.createObjectURL(new Blob([text], { type: "application/json" }));
    const a = document.createElement("a");
    a.href = url;
    a.download = "batch.json";
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    status.textContent = "Downloaded batch.json.";
  });
  byId<HTMLButtonElement>("export-copy", root).addEventListener("click", async () => {
    const text = json();
    if (text === null) return;
    status.textContent = (await copyText(text)) ? "JSON copied to the clipboard." : "The browser refused the clipboard.";
  });
}
