// The step-through view: transformers' masking steps in order, each a row aligned with the tokens.

import { byId, el, indexOf } from "./dom";
import type { Settings } from "../model/settings";
import { STEP_COUNT } from "../model/settings";
import type { MaskResult } from "../model/result";
import { LIMITS, tokenString } from "../model/result";
import { STEP_NOTE, stepCell, steps, type StepContext } from "../model/steps";
import { countOutcomes } from "../model/outcome";
import { findStrategy } from "../model/strategies";

export interface StepView {
  render(r: MaskResult, s: Settings, maskToken: string): void;
  highlight(index: number | null): void;
}

export function setUpStepView(
  root: HTMLElement,
  goTo: (step: number) => void,
  hover: (index: number | null) => void,
): StepView {
  const list = byId<HTMLOListElement>("step-list", root);
  const prev = byId<HTMLButtonElement>("step-prev", root);
  const next = byId<HTMLButtonElement>("step-next", root);
  const counter = byId("step-counter", root);
  const title = byId("step-title", root);
  const sentence = byId("step-sentence", root);
  const code = byId("step-code", root);
  const table = byId<HTMLTableElement>("step-table", root);
  const note = byId("step-note", root);
  const tokenSteps = byId("token-steps", root);
  const other = byId("strategy-steps", root);
  const otherIntro = byId("strategy-steps-intro", root);
  const otherList = byId("strategy-steps-list", root);
  const rowLabel = byId("step-row-label", root);
  const rowSelect = byId<HTMLSelectElement>("step-row", root);
  let step = 1;
  /** The batch row the steps show: the view's own choice, not a setting. */
  let row = 0;
  let last: Parameters<StepView["render"]> | null = null;
  let lit: Element[] = [];

  prev.addEventListener("click", () => goTo(Math.max(1, step - 1)));
  next.addEventListener("click", () => goTo(Math.min(STEP_COUNT, step + 1)));
  list.addEventListener("click", (e) => {
    const b = (e.target as Element).closest<HTMLElement>("[data-step]");
    if (b) goTo(Number(b.dataset.step));
  });
  rowSelect.addEventListener("change", () => {
    row = Number(rowSelect.value);
    if (last) view.render(...last);
  });
  table.addEventListener("mouseover", (e) => hover(indexOf(e.target)));
  table.addEventListener("mouseleave", () => hover(null));

  const view: StepView = {
    render(r, s, maskToken) {
      last = [r, s, maskToken];
      const info = findStrategy(s.strategy);
      const own = info !== undefined && info.id !== "token";
      tokenSteps.hidden = own;
      other.hidden = !own;
      if (own) {
        otherIntro.textContent = `The ${info.label} strategy, in ${info.steps.length} steps (the step-through below applies to the token strategy only):`;
        otherList.replaceChildren(...info.steps.map((t) => el("li", undefined, t)));
        return;
      }
      step = s.step;
      // One row of the batch (row 0 unless the reader picks another): the steps are the same
      // for every row, the values are that row's. Cells carry flat positions, as the chips do.
      if (row >= r.batchSize) row = 0;
      rowLabel.hidden = r.batchSize < 2;
      if (rowSelect.options.length !== r.batchSize) {
        rowSelect.replaceChildren(...Array.from({ length: r.batchSize }, (_, k) => el("option", undefined, String(k))));
      }
      rowSelect.value = String(row);
      const base = row * r.seqLen;
      const cols = Math.min(r.seqLen, LIMITS.stepColumns);
      const counts = countOutcomes(
        r.outcome.subarray(base, base + r.seqLen),
        r.specialTokensMask.subarray(base, base + r.seqLen),
        r.attentionMask.subarray(base, base + r.seqLen),
      );
      const ctx: StepContext = {
        settings: s,
        maskToken,
        selected: counts.selected,
        eligible: counts.eligible,
        masked: counts.mask,
        random: counts.random,
      };
      const all = steps(ctx);
      list.replaceChildren(
        ...all.map((st) => {
          const li = el("li");
          const b = el("button", "step-link", st.title);
          b.type = "button";
          b.dataset.step = String(st.n);
          if (st.n === step) b.setAttribute("aria-current", "step");
          if (st.n < step) b.classList.add("done");
          li.append(b);
          return li;
        }),
      );
      const cur = all[step - 1];
      counter.textContent = `Step ${step} of ${STEP_COUNT}`;
      prev.disabled = step === 1;
      next.disabled = step === STEP_COUNT;
      title.textContent = `${step}. ${cur.title}`;
      sentence.textContent = cur.sentence;
      code.textContent = cur.code;

      const head = el("tr");
      head.append(rowHead("token"));
      for (let c = base; c < base + cols; c++) {
        const t = el("th", "tok", tokenString(r, r.ids[c]));
        t.scope = "col";
        t.dataset.index = String(c);
        if (r.attentionMask[c] === 0) t.classList.add("pad");
        head.append(t);
      }
      const body = el("tbody");
      body.append(head);
      for (const st of all.slice(0, step)) {
        const tr = el("tr", st.n === step ? "current" : "");
        tr.dataset.step = String(st.n);
        tr.append(rowHead(`${st.n}. ${st.title}`));
        for (let c = base; c < base + cols; c++) {
          const cell = stepCell(st.n, c, r, s);
          const td = el("td", `tone-${cell.tone}`, cell.text);
          td.dataset.index = String(c);
          tr.append(td);
        }
        body.append(tr);
      }
      table.replaceChildren(body);
      note.textContent =
        STEP_NOTE +
        (r.batchSize > 1 ? ` Showing row ${row} of the batch's ${r.batchSize} (pick another above).` : "") +
        (r.seqLen > cols ? ` Showing the first ${cols} of ${r.seqLen} positions.` : "");
    },
    highlight(index) {
      for (const x of lit) x.classList.remove("lit");
      lit = index === null ? [] : Array.from(table.querySelectorAll(`[data-index="${index}"]`));
      for (const x of lit) x.classList.add("lit");
    },
  };
  return view;
}

function rowHead(text: string): HTMLTableCellElement {
  const h = el("th", "name", text);
  h.scope = "row";
  return h;
}
