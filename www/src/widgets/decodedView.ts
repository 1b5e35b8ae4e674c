// "What the model reads", decoded: each row's input_ids and labels as strings, as
// `tokenizer.decode` gives them in Python. The unknown token is marked wherever it appears.

import { el } from "./dom";
import type { MaskResult } from "../model/result";
import { LIMITS } from "../model/result";

export interface DecodedView {
  /**
   * Show the rows of `r`. `decode` is the tokenizer's (it may throw: the lite build cannot
   * decode, and the caller then loads the full build); `unkToken` is marked in the text.
   */
  render(r: MaskResult, decode: (ids: Uint32Array) => string, unkToken: string | null): void;
  hide(): void;
}

export function setUpDecodedView(root: HTMLElement): DecodedView {
  /** `text` with every `unk` in a <mark>. */
  function marked(text: string, unk: string | null): Node[] {
    if (!unk || !text.includes(unk)) return [document.createTextNode(text)];
    const out: Node[] = [];
    text.split(unk).forEach((part, k) => {
      if (k > 0) out.push(el("mark", "unk", unk));
      if (part) out.push(document.createTextNode(part));
    });
    return out;
  }

  function line(name: string, text: string, unk: string | null): HTMLElement {
    const p = el("p", "decoded-line");
    const value = el("span", "decoded-text");
    value.dataset.decoded = name;
    value.append(...marked(text, unk));
    p.append(el("code", "decoded-name", name), value);
    return p;
  }

  return {
    render(r, decode, unk) {
      const rows = Math.min(r.batchSize, LIMITS.tensorRows);
      const out: HTMLElement[] = [];
      for (let row = 0; row < rows; row++) {
        const ids: number[] = [];
        for (let c = 0; c < r.inputLen; c++) {
          if (r.inputAttention[row * r.inputLen + c] === 1) ids.push(r.inputIds[row * r.inputLen + c]);
        }
        // Labels: the target id where a token was selected, -100 (shown as ·) elsewhere.
        const labels: string[] = [];
        for (let c = 0; c < r.labelsLen; c++) {
          const l = r.labels[row * r.labelsLen + c];
          labels.push(l === -100 ? "·" : decode(Uint32Array.of(l)));
        }
        const block = el("div", "decoded-row");
        block.dataset.row = String(row);
        if (r.batchSize > 1) block.append(el("span", "row-label", `row ${row}`));
        block.append(line("input_ids", decode(Uint32Array.from(ids)), unk), line("labels", labels.join(" "), unk));
        out.push(block);
      }
      root.replaceChildren(...out);
      root.hidden = false;
    },
    hide() {
      root.hidden = true;
      root.replaceChildren();
    },
  };
}
