// input_ids, attention_mask and labels, aligned by position as transformers returns them.

import { el, indexOf } from "./dom";
import type { Tooltip } from "./tooltip";
import type { MaskResult } from "../model/result";
import { aligned, describePosition, labelsExplanation, LIMITS, positionInfo, tokenString } from "../model/result";
import { outcomeName } from "../model/outcome";
import { count } from "../model/format";

export interface TensorView {
  render(r: MaskResult): void;
  highlight(index: number | null): void;
}

export function setUpTensorView(
  root: HTMLElement,
  explanation: HTMLElement,
  note: HTMLElement,
  tooltip: Tooltip,
  hover: (index: number | null) => void,
  maskedLmBox: HTMLElement,
): TensorView {
  let result: MaskResult | null = null;
  let lit: Element[] = [];

  root.addEventListener("mouseover", (e) => {
    const i = indexOf(e.target);
    if (i === null || !result) {
      tooltip.hide();
      hover(null);
      return;
    }
    tooltip.show((e.target as Element).closest("[data-index]")!, describePosition(positionInfo(result, i), result.batchSize));
    hover(i);
  });
  root.addEventListener("mouseleave", () => {
    tooltip.hide();
    hover(null);
  });

  return {
    render(r) {
      result = r;
      lit = [];
      explanation.textContent = labelsExplanation(r);
      const rows = Math.min(r.batchSize, LIMITS.tensorRows);
      const cols = Math.min(r.seqLen, LIMITS.tensorColumns);
      const frag = document.createDocumentFragment();
      for (let row = 0; row < rows; row++) {
        const wrap = el("div", "scroll-x");
        wrap.tabIndex = 0;
        wrap.setAttribute("role", "region");
        wrap.setAttribute("aria-label", r.batchSize > 1 ? `Tensors of row ${row} (scrolls sideways)` : "Tensors (scrolls sideways)");
        const table = el("table", "grid tensor");
        table.dataset.row = String(row);
        if (r.batchSize > 1) table.append(el("caption", undefined, `batch row ${row}: ${JSON.stringify(r.texts[row].slice(0, 60))}${r.texts[row].length > 60 ? "…" : ""}`));
        const head = el("tr");
        head.append(el("th", "corner", "position"));
        const tokens = el("tr", "tokens-row");
        tokens.append(th("token"));
        const lines = (["input_ids", "attention_mask", "labels"] as const).map((name) => {
          const tr = el("tr");
          tr.dataset.tensor = name;
          tr.append(th(name));
          return tr;
        });
        for (let c = 0; c < cols; c++) {
          const i = row * r.seqLen + c;
          const pad = r.attentionMask[i] === 0;
          const special = !pad && r.specialTokensMask[i] === 1;
          const o = outcomeName(r.outcome[i]);
          const cls = (extra: string) => `${extra} outcome-${o}${pad ? " pad" : ""}${special ? " special" : ""}`;
          const h = el("th", cls("pos"), String(c));
          h.scope = "col";
          h.dataset.index = String(i);
          head.append(h);
          const t = el("td", cls("tok"), tokenString(r, r.ids[i]));
          t.dataset.index = String(i);
          tokens.append(t);
          const ids = el("td", cls("num"), String(r.inputIds[i]));
          ids.dataset.index = String(i);
          if (r.outcome[i] === 1 || r.outcome[i] === 2) ids.classList.add("changed");
          const att = el("td", cls("num"), String(r.attentionMask[i]));
          att.dataset.index = String(i);
          const lab = el("td", cls("num"), String(r.labels[i]));
          lab.dataset.index = String(i);
          if (r.labels[i] === -100) lab.classList.add("ignored");
          lines[0].append(ids);
          lines[1].append(att);
          lines[2].append(lab);
        }
        const body = el("tbody");
        body.append(head, tokens, ...lines);
        table.append(body);
        wrap.append(table);
        frag.append(wrap);
      }
      if (!aligned(r)) frag.replaceChildren(seq2seqTables(r));
      root.replaceChildren(frag);
      renderMaskedLm(r, maskedLmBox);
      const more: string[] = [];
      if (r.seqLen > cols) more.push(`the first ${count(cols)} of ${count(r.seqLen)} positions`);
      if (r.batchSize > rows) more.push(`the first ${rows} of ${r.batchSize} rows`);
      note.hidden = more.length === 0;
      note.textContent = more.length ? `Showing ${more.join(" and ")}; the export has everything.` : "";
    },
    highlight(index) {
      for (const x of lit) x.classList.remove("lit");
      lit = index === null ? [] : Array.from(root.querySelectorAll(`[data-index="${index}"]`));
      for (const x of lit) x.classList.add("lit");
    },
  };
}

function th(text: string): HTMLTableCellElement {
  const h = el("th", "name", text);
  h.scope = "row";
  return h;
}

/** T5 / BART: input_ids (with its attention mask) and labels have their own lengths. */
function seq2seqTables(r: MaskResult): DocumentFragment {
  const frag = document.createDocumentFragment();
  const rows = Math.min(r.batchSize, LIMITS.tensorRows);
  for (let row = 0; row < rows; row++) {
    const wrap = el("div", "scroll-x");
    wrap.tabIndex = 0;
    wrap.setAttribute("role", "region");
    wrap.setAttribute("aria-label", `Tensors of row ${row} (scrolls sideways)`);
    const table = el("table", "grid tensor");
    table.dataset.row = String(row);
    if (r.batchSize > 1) table.append(el("caption", undefined, `batch row ${row}`));
    const body = el("tbody");
    const line = (name: string, values: ArrayLike<number>, start: number, n: number, tokens: boolean) => {
      const tr = el("tr");
      if (!tokens) tr.dataset.tensor = name;
      tr.append(th(name));
      for (let c = 0; c < Math.min(n, LIMITS.tensorColumns); c++) {
        const v = values[start + c];
        const td = el("td", tokens ? "tok" : "num", tokens ? (v < 0 ? "" : tokenString(r, v)) : String(v));
        if (!tokens && v === -100) td.classList.add("ignored");
        tr.append(td);
      }
      return tr;
    };
    body.append(
      line("input tokens", r.inputIds, row * r.inputLen, r.inputLen, true),
      line("input_ids", r.inputIds, row * r.inputLen, r.inputLen, false),
      line("attention_mask", r.inputAttention, row * r.inputLen, r.inputLen, false),
      line("label tokens", r.labels, row * r.labelsLen, r.labelsLen, true),
      line("labels", r.labels, row * r.labelsLen, r.labelsLen, false),
    );
    table.append(body);
    wrap.append(table);
    frag.append(wrap);
  }
  return frag;
}

/** exactCount: BERT's masked_lm_positions / ids / weights, one table per row. */
function renderMaskedLm(r: MaskResult, box: HTMLElement) {
  const m = r.maskedLm;
  box.hidden = m === null;
  if (!m) {
    box.replaceChildren();
    return;
  }
  const frag = document.createDocumentFragment();
  frag.append(
    el("h3", undefined, "masked_lm_positions / masked_lm_ids / masked_lm_weights"),
    el(
      "p",
      "hint",
      `BERT's pre-training layout: the selected positions in order, their original ids, and weight 1 for a real entry, padded with zeros to max_predictions = ${m.maxPredictions}.`,
    ),
  );
  for (let row = 0; row < Math.min(r.batchSize, LIMITS.tensorRows); row++) {
    const wrap = el("div", "scroll-x");
    const table = el("table", "grid masked-lm");
    table.dataset.row = String(row);
    const body = el("tbody");
    for (const [name, values] of [
      ["masked_lm_positions", m.positions],
      ["masked_lm_ids", m.ids],
      ["masked_lm_weights", m.weights],
    ] as const) {
      const tr = el("tr");
      tr.dataset.list = name;
      tr.append(th(name));
      for (let k = 0; k < m.maxPredictions; k++) {
        const v = values[row * m.maxPredictions + k];
        const real = m.weights[row * m.maxPredictions + k] > 0;
        const td = el("td", real ? "num" : "num ignored", name === "masked_lm_weights" ? v.toFixed(1) : String(v));
        if (real && name === "masked_lm_positions") td.dataset.index = String(row * r.seqLen + v);
        tr.append(td);
      }
      body.append(tr);
    }
    table.append(body);
    wrap.append(table);
    frag.append(wrap);
  }
  box.replaceChildren(frag);
}
