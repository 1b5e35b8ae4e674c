// The tokenizer picker: bundled ones, a file (picker or drag-and-drop), a URL the user types, or a
// Hugging Face Hub model id.

import { byId } from "./dom";
import type { TokenizerInfo } from "../engine";
import { isBundled, pickerLabel } from "../model/tokenizerSource";
import { count } from "../model/format";

export interface TokenizerPanelEvents {
  select(name: string): void;
  file(file: File): void;
  url(address: string): void;
  hub(id: string, revision: string | null): void;
}

export interface TokenizerPanel {
  render(name: string, info: TokenizerInfo | null): void;
  error(message: string | null): void;
  setUrl(address: string): void;
  setHub(id: string, revision: string | null): void;
  maskTokenOverride(): string | undefined;
}

export function setUpTokenizerPanel(root: HTMLElement, on: TokenizerPanelEvents): TokenizerPanel {
  const select = byId<HTMLSelectElement>("tokenizer-select", root);
  const file = byId<HTMLInputElement>("tokenizer-file", root);
  const form = byId<HTMLFormElement>("tokenizer-url-form", root);
  const url = byId<HTMLInputElement>("tokenizer-url", root);
  const maskOverride = byId<HTMLInputElement>("mask-token-override", root);
  const hubForm = byId<HTMLFormElement>("hub-form", root);
  const hubId = byId<HTMLInputElement>("hub-id", root);
  const hubRevision = byId<HTMLInputElement>("hub-revision", root);
  const errorBox = byId("tokenizer-error", root);
  const info = (k: string) => root.querySelector<HTMLElement>(`[data-info="${k}"]`)!;
  const overlay = byId("drop-overlay");

  select.addEventListener("change", () => on.select(select.value));
  file.addEventListener("change", () => {
    const f = file.files?.[0];
    if (f) on.file(f);
    file.value = "";
  });
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const a = url.value.trim();
    if (a) on.url(a);
  });

  hubForm.addEventListener("submit", (e) => {
    e.preventDefault();
    const id = hubId.value.trim();
    if (id) on.hub(id, hubRevision.value.trim() || null);
  });

  // Drag and drop anywhere on the page.
  let depth = 0;
  const hasFiles = (e: DragEvent) => Array.from(e.dataTransfer?.types ?? []).includes("Files");
  document.addEventListener("dragenter", (e) => {
    if (!hasFiles(e)) return;
    depth++;
    overlay.hidden = false;
  });
  document.addEventListener("dragleave", () => {
    depth = Math.max(0, depth - 1);
    if (depth === 0) overlay.hidden = true;
  });
  document.addEventListener("dragover", (e) => {
    if (hasFiles(e)) e.preventDefault();
  });
  document.addEventListener("drop", (e) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    depth = 0;
    overlay.hidden = true;
    const f = e.dataTransfer?.files[0];
    if (f) on.file(f);
  });

  const customOption = document.createElement("option");

  return {
    render(name, ti) {
      if (isBundled(name)) {
        customOption.remove();
      } else {
        customOption.value = name;
        customOption.textContent = pickerLabel(name);
        if (!customOption.isConnected) select.append(customOption);
      }
      select.value = name;
      info("family").textContent = ti ? ti.modelType : "–";
      info("vocab").textContent = ti ? `${count(ti.vocabSize)} tokens` : "–";
      info("mask").textContent = ti ? (ti.maskToken !== undefined ? `${ti.maskToken} (id ${ti.maskTokenId})` : "none") : "–";
      info("pad").textContent = ti ? (ti.padToken !== undefined ? `${ti.padToken} (id ${ti.padTokenId})` : "none") : "–";
    },
    error(message) {
      errorBox.textContent = message ?? "";
      errorBox.hidden = !message;
    },
    setUrl(address) {
      url.value = address;
    },
    setHub(id, revision) {
      hubId.value = id;
      hubRevision.value = revision ?? "";
    },
    maskTokenOverride() {
      return maskOverride.value.trim() || undefined;
    },
  };
}
