// The views strip (one text masked N times: dynamic masking, seen at once) and the packed rows
// (several texts to a row, their boundaries marked). Both only render what the engine computed.

import { el } from "./dom";
import type { MaskResult } from "../model/result";
import { LIMITS, tokenString } from "../model/result";
import { OUTCOMES, outcomeName } from "../model/outcome";
import { packedTexts, viewsStrip } from "../model/corruption";
import { BAND_COLOURS } from "../model/groups";

export interface LayoutViews {
  render(r: MaskResult): void;
  clear(): void;
}

function chip(r: MaskResult, id: number, outcome: number, padding: boolean): HTMLElement {
  const name = outcomeName(outcome);
  const c = el("span", `chip outcome-${name}${padding ? " kind-padding" : ""}`);
  c.dataset.outcome = name;
  const icon = OUTCOMES[name].icon;
  c.append(el("span", "chip-text", `${icon ? `${icon} ` : ""}${tokenString(r, id)}`));
  return c;
}

export function setUpLayoutViews(viewsSection: HTMLElement, viewsBox: HTMLElement, packedSection: HTMLElement, packedBox: HTMLElement): LayoutViews {
  function renderViews(r: MaskResult) {
    const v = r.views;
    viewsSection.hidden = !v;
    if (!v) return viewsBox.replaceChildren();
    const { rows, selectedIn } = viewsStrip(v);
    const frag = document.createDocumentFragment();
    const columns = Math.min(v.seqLen, Math.floor(LIMITS.chips / v.count));
    rows.forEach((outcome, k) => {
      const line = el("div", "view-copy");
      line.dataset.viewCopy = String(k);
      line.append(el("span", "view-label", `call ${k + 1}`));
      const chips = el("span", "view-chips");
      for (let j = 0; j < columns; j++) {
        if (v.attentionMask[j] === 0) continue;
        const id = v.inputIds ? v.inputIds[k * v.seqLen + j] : v.ids[j];
        chips.append(chip(r, id, outcome[j], false));
      }
      line.append(chips);
      frag.append(line);
    });
    const eligible = selectedIn.filter((_, j) => v.attentionMask[j] === 1).length;
    const ever = selectedIn.filter((n) => n > 0).length;
    frag.append(
      el(
        "p",
        "note",
        `${v.count} calls with one masker: each draws new positions, so the model sees a different masking of the same text every epoch (RoBERTa's dynamic masking). ${ever} of ${eligible} positions were selected at least once; BERT's static masking makes dupe_factor fixed copies once and repeats them.`,
      ),
    );
    viewsBox.replaceChildren(frag);
  }

  function renderPacked(r: MaskResult) {
    const p = r.packed;
    packedSection.hidden = !p;
    if (!p) return packedBox.replaceChildren();
    if ("error" in p) {
      const message = el("p", "error", `Packing cannot run: ${p.error}`);
      message.dataset.packedError = "";
      return packedBox.replaceChildren(message);
    }
    const frag = document.createDocumentFragment();
    frag.append(
      el(
        "p",
        "explain",
        `${r.batchSize} texts packed into ${p.batchSize} row${p.batchSize === 1 ? "" : "s"} of at most ${p.maxLength} tokens: each text keeps the masks it gets without packing, position_ids restart at 0 for each, padding only ends a row. cu_seqlens = [${[...p.cuSeqlens].join(", ")}].`,
      ),
    );
    for (let row = 0; row < Math.min(p.batchSize, LIMITS.tensorRows); row++) {
      const line = el("div", "packed-row");
      line.dataset.packedRow = String(row);
      line.append(el("span", "packed-row-label", `row ${row}`));
      for (const t of packedTexts(p, row)) {
        const text = el("span", `packed-text band-${t.text % BAND_COLOURS}`);
        text.dataset.text = String(t.text);
        text.append(el("span", "packed-label", `text ${t.text}`));
        for (let j = t.start; j < t.end && j < LIMITS.tensorColumns; j++) {
          const i = row * p.seqLen + j;
          const c = chip(r, p.inputIds[i], p.outcome ? p.outcome[i] : 0, false);
          c.dataset.position = String(p.positionIds[i]);
          text.append(c);
        }
        line.append(text);
      }
      const used = packedTexts(p, row).reduce((n, t) => Math.max(n, t.end), 0);
      if (used < p.seqLen) {
        const pad = el("span", "packed-pad", `${p.seqLen - used} padding`);
        pad.dataset.padding = String(p.seqLen - used);
        line.append(pad);
      }
      frag.append(line);
    }
    packedBox.replaceChildren(frag);
  }

  return {
    render(r) {
      renderViews(r);
      renderPacked(r);
    },
    clear() {
      viewsSection.hidden = true;
      packedSection.hidden = true;
      viewsBox.replaceChildren();
      packedBox.replaceChildren();
    },
  };
}
