// The views strip (one text masked N times: dynamic masking, seen at once) and the packed rows
// (several texts to a row, their boundaries marked). Both only render what the engine computed.

import { el } from "./dom";
import type { MaskResult } from "../model/result";
import { LIMITS, tokenString } from "../model/result";
import { OUTCOMES, outcomeName } from "../model/outcome";
import { packedTexts, staticCopies, stripDupeFactor, viewsStrip } from "../model/corruption";
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
    // Two strips of chips per row: the dynamic one and the static one, so half the chip budget each.
    const columns = Math.min(v.seqLen, Math.floor(LIMITS.chips / (2 * v.count)));
    /** Epoch `e`'s row, showing call `k` of the views strip. */
    const line = (cls: string, e: number, k: number, label: string) => {
      const row = el("div", `view-copy ${cls}`);
      row.dataset.viewCopy = String(e);
      row.dataset.call = String(k);
      row.append(el("span", "view-label", label));
      const chips = el("span", "view-chips");
      for (let j = 0; j < columns; j++) {
        if (v.attentionMask[j] === 0) continue;
        const id = v.inputIds ? v.inputIds[k * v.seqLen + j] : v.ids[j];
        chips.append(chip(r, id, rows[k][j], false));
      }
      row.append(chips);
      return row;
    };
    const dupeFactor = stripDupeFactor(v.count);
    const dynamic = el("div", "views-strip views-dynamic");
    dynamic.dataset.strip = "dynamic";
    dynamic.append(el("h3", undefined, "Dynamic (RoBERTa): masked again at every epoch"));
    rows.forEach((_, e) => dynamic.append(line("", e, e, `epoch ${e + 1}`)));
    const fixed = el("div", "views-strip views-static");
    fixed.dataset.strip = "static";
    fixed.dataset.dupeFactor = String(dupeFactor);
    fixed.append(el("h3", undefined, `Static (BERT): dupe_factor = ${dupeFactor} copies made once, then repeated`));
    staticCopies(v.count, dupeFactor).forEach((k, e) => fixed.append(line("", e, k, `epoch ${e + 1} · copy ${k + 1}`)));
    const pair = el("div", "views-pair");
    pair.append(dynamic, fixed);
    frag.append(pair);
    const eligible = selectedIn.filter((_, j) => v.attentionMask[j] === 1).length;
    const ever = selectedIn.filter((n) => n > 0).length;
    frag.append(
      el(
        "p",
        "note",
        `${v.count} calls with one masker: each draws new positions, so the model sees a different masking of the same text every epoch (RoBERTa's dynamic masking); ${ever} of ${eligible} positions were selected at least once. BERT's create_pretraining_data.py instead masks dupe_factor copies once (10 in the paper, over 40 epochs), so each comes back every dupe_factor epochs; here the static copies are the first ${dupeFactor} calls.`,
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
