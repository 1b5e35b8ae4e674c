// The text box, its sample texts, the batch and whitespace toggles, and the highlight of the
// hovered token's span (a backdrop behind the transparent textarea).

import { byId, el } from "./dom";
import type { Settings } from "../model/settings";
import { SAMPLE_TEXTS } from "../model/settings";

export interface TextInput {
  render(s: Settings): void;
  /** Highlight [start, end) of the whole input; null clears. */
  highlight(span: { start: number; end: number } | null): void;
}

export function setUpTextInput(root: HTMLElement, change: (patch: Partial<Settings>) => void): TextInput {
  const text = byId<HTMLTextAreaElement>("text", root);
  const backdrop = byId("text-backdrop", root);
  const samples = byId("samples", root);
  const batch = byId<HTMLInputElement>("batch-mode", root);
  const whitespace = byId<HTMLInputElement>("show-whitespace", root);

  for (const sample of SAMPLE_TEXTS) {
    const b = el("button", "sample", sample.label);
    b.type = "button";
    b.dataset.sample = sample.id;
    b.addEventListener("click", () => change({ text: sample.text, batch: sample.id === "batch" }));
    samples.append(b);
  }
  text.addEventListener("input", () => change({ text: text.value }));
  text.addEventListener("scroll", () => {
    backdrop.scrollTop = text.scrollTop;
  });
  batch.addEventListener("change", () => change({ batch: batch.checked }));
  whitespace.addEventListener("change", () => change({ whitespace: whitespace.checked }));

  return {
    render(s) {
      if (text.value !== s.text) text.value = s.text;
      batch.checked = s.batch;
      whitespace.checked = s.whitespace;
    },
    highlight(span) {
      if (!span) {
        backdrop.replaceChildren();
        return;
      }
      const v = text.value;
      const mark = el("mark", undefined, v.slice(span.start, span.end) || " ");
      // Only the text up to the span matters for placement; the rest is left out.
      backdrop.replaceChildren(document.createTextNode(v.slice(0, span.start)), mark, document.createTextNode(v.slice(span.end, span.end + 2000)));
      backdrop.scrollTop = text.scrollTop;
    },
  };
}
