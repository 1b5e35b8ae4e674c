// "Same thing in Python": the snippet, its copy button, and the file of texts a long input's
// snippet reads (offered for download beside it).

import { SNIPPET_TEXTS_FILE } from "../model/python";
import { byId, copyText, downloadJson } from "./dom";

export interface PythonView {
  /** Show `snippet`; `textsFile` is the contents of the file it reads, or null when it quotes the texts. */
  render(snippet: string, textsFile: string | null): void;
}

export function setUpPythonView(root: HTMLElement, status: (message: string) => void): PythonView {
  const pre = byId("python-snippet", root);
  const download = byId<HTMLButtonElement>("download-python-texts", root);
  let textsFile: string | null = null;
  byId<HTMLButtonElement>("copy-python", root).addEventListener("click", async () => {
    const copied = await copyText(pre.textContent ?? "");
    const also = textsFile === null ? "" : ` It reads ${SNIPPET_TEXTS_FILE}: download it too.`;
    status(copied ? `Python copied to the clipboard.${also}` : "The browser refused the clipboard; select the code and copy it.");
  });
  download.addEventListener("click", () => {
    if (textsFile === null) return;
    downloadJson(SNIPPET_TEXTS_FILE, textsFile);
    status(`Downloaded ${SNIPPET_TEXTS_FILE}.`);
  });
  return {
    render(snippet, file) {
      pre.textContent = snippet;
      textsFile = file;
      download.hidden = file === null;
    },
  };
}
