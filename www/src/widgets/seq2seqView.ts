// T5 and BART: the two sequences side by side (encoder input / target, source / original), with
// each span's stand-in (sentinel or mask token) linked to the tokens it replaced.

import { el } from "./dom";
import type { MaskResult } from "../model/result";
import { LIMITS } from "../model/result";
import { BAND_COLOURS } from "../model/groups";
import { sideBySide, type SeqCell } from "../model/seq2seq";
import { denoiserLabel, fimSegments, LAYOUT_NAMES } from "../model/corruption";

export interface Seq2seqView {
  render(r: MaskResult): void;
}

const TITLES: Record<string, [string, string, string]> = {
  t5SpanCorruption: [
    "Encoder input (input_ids)",
    "Target (labels)",
    "Each noise span of the text becomes one sentinel ◆ in the encoder input; the target repeats the sentinel, then the tokens it replaced, and ends with </s>. Matching colours and numbers link a sentinel to its span; hover one to light up the others.",
  ],
  ul2: [
    "Encoder input (input_ids)",
    "Target (labels)",
    "Each row drew one of UL2's denoisers (named above it). Its mode token ▸ leads the encoder input. R and X rows are T5 span corruption (one sentinel ◆ per noise span); an S row keeps a prefix and its target is the rest of the text. Hover a sentinel to light up its span.",
  ],
  fim: [
    "Rearranged row (input_ids)",
    "",
    "Each row is cut into prefix, middle and suffix and laid out PSM (prefix, suffix, then the middle last) or SPM (suffix first, then prefix and middle): a causal LM learns to write the middle from both sides. Colours: prefix, middle, suffix; ▸ marks the FIM tokens.",
  ],
  bartInfilling: [
    "Source (input_ids)",
    "Original (labels)",
    "Each span of the text becomes one mask token ■ in the source (its other tokens are deleted); + marks an inserted mask (or random) token, which stands for nothing. The labels are the original sequence. Hover a mask token to light up its span.",
  ],
};

export function setUpSeq2seqView(section: HTMLElement, view: HTMLElement, explanation: HTMLElement, note: HTMLElement, tokenView: HTMLElement): Seq2seqView {
  let lit: Element[] = [];
  const light = (span: string | null) => {
    for (const x of lit) x.classList.remove("lit");
    lit = span === null ? [] : [...view.querySelectorAll(`[data-span="${span}"]`), ...tokenView.querySelectorAll(`[data-span="${span}"]`)];
    for (const x of lit) x.classList.add("lit");
  };
  view.addEventListener("mouseover", (e) => {
    const hit = (e.target as Element).closest<HTMLElement>("[data-span]");
    const row = (e.target as Element).closest<HTMLElement>("[data-row]");
    light(hit && row ? hit.dataset.span! : null);
  });
  view.addEventListener("mouseleave", () => light(null));

  return {
    render(r) {
      const titles = TITLES[r.strategy];
      section.hidden = !titles;
      if (!titles) {
        view.replaceChildren();
        return;
      }
      explanation.textContent = titles[2];
      section.querySelector("h2")!.textContent = r.fim ? "Fill-in-the-middle: the rearranged rows" : "Input and target, side by side";
      const rows = Math.min(r.batchSize, LIMITS.tensorRows);
      const frag = document.createDocumentFragment();
      for (let row = 0; row < rows; row++) {
        const pair = el("div", "seq-pair");
        pair.dataset.row = String(row);
        const label = [r.batchSize > 1 ? `batch row ${row}` : "", r.ul2 ? `denoiser ${denoiserLabel(r.ul2, row)}` : ""].filter(Boolean).join(" · ");
        if (label) {
          const p = el("p", "seq-row-label", label);
          if (r.ul2) p.dataset.denoiser = String(r.ul2.denoiser[row]);
          pair.append(p);
        }
        if (r.fim) {
          pair.append(fimRow(r, row));
          frag.append(pair);
          continue;
        }
        const sides = sideBySide(r, row)!;
        pair.append(side(titles[0], "left", sides.left), side(titles[1], "right", sides.right));
        frag.append(pair);
      }
      view.replaceChildren(frag);
      note.hidden = r.batchSize <= rows;
      note.textContent = note.hidden ? "" : `Showing the first ${rows} of ${r.batchSize} rows; the export has everything.`;
    },
  };
}

/** One FIM row: its parts in layout order, each coloured, with the layout named. */
function fimRow(r: MaskResult, row: number): HTMLElement {
  const fim = r.fim!;
  const layout = fim.layout[row];
  const box = el("figure", "seq-side fim-row");
  box.dataset.layout = LAYOUT_NAMES[layout];
  const caption = el("figcaption", undefined, `Rearranged row (input_ids) · ${layout === 0 ? "left as it was" : LAYOUT_NAMES[layout]} `);
  const legend = el("span", "fim-legend");
  for (const part of ["prefix", "middle", "suffix"]) legend.append(el("span", `seq-cell fim-${part}`, part));
  caption.append(legend);
  box.append(caption);
  const list = el("ol", "seq-cells");
  let shown = 0;
  for (const segment of fimSegments(r, fim, row)) {
    for (const id of segment.ids) {
      if (shown++ >= LIMITS.tensorColumns) break;
      const li = el("li", `seq-cell fim-${segment.part}`);
      li.dataset.part = segment.part;
      li.dataset.id = String(id);
      if (segment.part === "fim") li.append(el("span", "seq-mark", "▸"));
      li.append(el("span", "seq-token", r.tokenStrings.get(id) ?? `<id ${id}>`));
      li.title = segment.part === "fim" ? "FIM token" : segment.part === "other" ? `id ${id}` : `${segment.part} (id ${id})`;
      list.append(li);
    }
  }
  box.append(list);
  return box;
}

function side(title: string, which: "left" | "right", cells: SeqCell[]): HTMLElement {
  const box = el("figure", `seq-side seq-${which}`);
  box.dataset.side = which;
  box.append(el("figcaption", undefined, `${title} · ${cells.filter((c) => c.kind !== "pad").length} tokens`));
  const list = el("ol", "seq-cells");
  for (const c of cells.slice(0, LIMITS.tensorColumns)) {
    const li = el("li", `seq-cell kind-${c.kind}`);
    li.dataset.kind = c.kind;
    li.dataset.id = String(c.id);
    if (c.span >= 0) {
      li.dataset.span = String(c.span);
      li.classList.add(`band-${c.span % BAND_COLOURS}`);
    }
    const mark = c.kind === "sentinel" ? "◆" : c.kind === "mask" ? "■" : c.kind === "random" ? "⇄" : c.kind === "insert" ? "+" : c.kind === "mode" ? "▸" : "";
    if (mark) li.append(el("span", "seq-mark", mark));
    li.append(el("span", "seq-token", c.token));
    if (c.span >= 0) li.append(el("span", "seq-span", `span ${c.span}`));
    li.title =
      c.kind === "sentinel"
        ? `Sentinel for noise span ${c.span} (${c.sources.length} token${c.sources.length === 1 ? "" : "s"})`
        : c.kind === "mask" || c.kind === "random"
          ? `Stands for span ${c.span} (${c.sources.length} token${c.sources.length === 1 ? "" : "s"} replaced)`
          : c.kind === "insert"
            ? "Inserted: replaces nothing"
            : c.kind === "noise"
              ? `Token of span ${c.span}`
              : c.kind === "pad"
                ? "Padding"
                : c.kind === "mode"
                  ? "UL2 mode token: tells the model which denoiser made this row"
                : `id ${c.id}`;
    list.append(li);
  }
  box.append(list);
  return box;
}
