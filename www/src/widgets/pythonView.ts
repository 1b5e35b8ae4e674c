// "Same thing in Python": the snippet and its copy button.

import { byId, copyText } from "./dom";

export interface PythonView {
  render(snippet: string): void;
}

export function setUpPythonView(root: HTMLElement, status: (message: string) => void): PythonView {
  const pre = byId("python-snippet", root);
  byId<HTMLButtonElement>("copy-python", root).addEventListener("click", async () => {
    status((await copyText(pre.textContent ?? "")) ? "Python copied to the clipboard." : "The browser refused the clipboard; select the code and copy it.");
  });
  return {
    render(snippet) {
      pre.textContent = snippet;
    },
  };
}
