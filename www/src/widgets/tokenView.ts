// Token chips over their source text spans, coloured by outcome.

import { el, indexOf } from "./dom";
import type { Tooltip } from "./tooltip";
import type { Settings } from "../model/settings";
import type { MaskResult } from "../model/result";
import { describePosition, LIMITS, positionInfo, tokenString } from "../model/result";
import { chipLabel, endsWithNewline, segmentsFromOffsets, visibleWhitespace } from "../model/segments";
import { chipClasses, OUTCOMES, outcomeName, positionKind } from "../model/outcome";
import { count } from "../model/format";
import { BAND_COLOURS, groupPlaces, type GroupPlace } from "../model/groups";
import { sideBySide, spanStandIns, type SeqCell } from "../model/seq2seq";

/** What each chip shows: its span of the source text, the token piece, or the id. */
export type ChipDisplay = "text" | "pieces" | "ids";

export interface TokenView {
  /** `unkId`: the unknown token's id, whose chips are marked in every display (null: none). */
  render(r: MaskResult, s: Settings, display?: ChipDisplay, unkId?: number | null): void;
  highlight(index: number | null): void;
}

export function setUpTokenView(
  root: HTMLElement,
  note: HTMLElement,
  tooltip: Tooltip,
  hover: (index: number | null) => void,
): TokenView {
  let result: MaskResult | null = null;
  let lit: HTMLElement[] = [];

  const onEnter = (e: Event) => {
    const i = indexOf(e.target);
    if (i === null || !result) {
      if (e.type === "mouseover") onLeave();
      return;
    }
    const chip = (e.target as Element).closest("[data-index]")!;
    tooltip.show(chip, describePosition(positionInfo(result, i), result.batchSize));
    hover(i);
  };
  const onLeave = () => {
    tooltip.hide();
    hover(null);
  };
  root.addEventListener("mouseover", onEnter);
  root.addEventListener("focusin", onEnter);
  root.addEventListener("mouseleave", onLeave);
  root.addEventListener("focusout", (e) => {
    if (!root.contains(e.relatedTarget as Node | null)) onLeave();
  });
  // Roving focus: the view is one tab stop; arrow keys move between chips.
  root.addEventListener("keydown", (e) => {
    const chips = Array.from(root.querySelectorAll<HTMLElement>(".chip[data-index]"));
    const at = chips.indexOf(document.activeElement as HTMLElement);
    if (at < 0) return;
    let next = at;
    if (e.key === "ArrowRight" || e.key === "ArrowDown") next = Math.min(chips.length - 1, at + 1);
    else if (e.key === "ArrowLeft" || e.key === "ArrowUp") next = Math.max(0, at - 1);
    else if (e.key === "Home") next = 0;
    else if (e.key === "End") next = chips.length - 1;
    else if (e.key === "Escape") {
      tooltip.hide();
      return;
    } else return;
    e.preventDefault();
    chips[at].tabIndex = -1;
    chips[next].tabIndex = 0;
    chips[next].focus();
  });

  function chip(r: MaskResult, i: number, label: string, cont: boolean, place: GroupPlace, standIns: Map<number, SeqCell> | null, unk: boolean): HTMLElement {
    const kind = positionKind(r.specialTokensMask[i], r.attentionMask[i]);
    const name = outcomeName(r.outcome[i]);
    const c = el("span", chipClasses(r.outcome[i], kind).join(" "));
    if (cont) c.classList.add("cont");
    // The unknown token: the text it stands for is lost to the model.
    if (unk) c.classList.add("unk");
    c.dataset.index = String(i);
    c.dataset.outcome = name;
    c.tabIndex = -1;
    if (place.part) {
      // Joined chips: one band per group, rounded only at the group's ends.
      c.dataset.span = String(place.span);
      c.classList.add("grp", `grp-${place.part}`, `band-${place.span % BAND_COLOURS}`);
    }
    if (name !== "unselected") {
      let badge: string;
      if (standIns) {
        const stand = standIns.get(place.span);
        const lead = place.part === "start" || place.part === "solo";
        badge = lead && stand ? `${stand.kind === "sentinel" ? "◆" : OUTCOMES[name].icon} ${stand.token}` : "⋯";
      } else badge = name === "kept" ? OUTCOMES.kept.icon : `${OUTCOMES[name].icon} ${tokenString(r, r.inputIds[i])}`;
      c.append(el("span", "chip-new", badge));
    }
    c.append(el("span", "chip-text", label));
    return c;
  }

  return {
    render(r, s, display = "text", unkId = null) {
      result = r;
      lit = [];
      const frag = document.createDocumentFragment();
      let budget = LIMITS.chips;
      let shownRows = 0;
      let cut = false;
      for (let row = 0; row < r.shownRows && budget > 0; row++) {
        shownRows++;
        const line = el("div", "token-row");
        line.dataset.row = String(row);
        if (r.batchSize > 1) line.append(el("span", "row-label", `row ${row}`));
        const first = row * r.seqLen;
        const n = Math.min(r.shownColumns, budget);
        if (n < r.seqLen) cut = true;
        budget -= n;
        const text = r.texts[row];
        const places = groupPlaces(r.spanIds, first, n);
        const sides = sideBySide(r, row);
        const standIns = sides ? spanStandIns(sides) : null;
        const segs = segmentsFromOffsets(
          text,
          r.offsets,
          n,
          (i) => r.attentionMask[i] === 1 && r.specialTokensMask[i] === 0,
          first,
        );
        for (const seg of segs) {
          if (seg.kind === "gap" || seg.kind === "tail") {
            if (seg.kind === "tail" && n < r.seqLen) continue; // capped: the rest is not shown
            const shown = s.whitespace ? visibleWhitespace(seg.text).replace(/↵/g, "↵\n") : seg.text;
            const g = el("span", seg.kind === "tail" ? "tail" : "gap", shown);
            if (seg.kind === "tail") g.title = "Cut off by max_length: not in the batch";
            line.append(g);
            continue;
          }
          seg.tokens.forEach((i, k) => {
            const label =
              display === "ids"
                ? String(r.ids[i])
                : display === "pieces" || seg.kind === "marker"
                  ? tokenString(r, r.ids[i])
                  : k === 0
                    ? chipLabel(seg.text, s.whitespace)
                    : "⋯";
            // Pieces and ids label every token; source text labels a span's first token.
            line.append(chip(r, i, label, display === "text" && k > 0, places[i - first], standIns, r.ids[i] === unkId));
          });
          if (seg.kind === "tokens" && endsWithNewline(seg.text)) line.append(document.createTextNode("\n"));
        }
        joinGaps(line);
        frag.append(line);
      }
      root.replaceChildren(frag);
      const firstChip = root.querySelector<HTMLElement>(".chip[data-index]");
      if (firstChip) firstChip.tabIndex = 0;
      const total = r.batchSize * r.seqLen;
      if (cut || shownRows < r.batchSize) {
        note.hidden = false;
        note.textContent = `Showing ${count(Math.min(LIMITS.chips, total))} of ${count(total)} positions${
          shownRows < r.batchSize ? ` (${shownRows} of ${r.batchSize} rows)` : ""
        } to keep the page responsive. The tensors, statistics and export cover the whole batch.`;
      } else note.hidden = true;
    },
    highlight(index) {
      for (const x of lit) x.classList.remove("lit");
      lit = [];
      if (index === null) return;
      const c = root.querySelector<HTMLElement>(`[data-index="${index}"]`);
      if (c) {
        c.classList.add("lit");
        lit.push(c);
      }
    },
  };
}

/** A gap between two chips of one group belongs to the group's band too. */
function joinGaps(line: HTMLElement) {
  for (const g of Array.from(line.querySelectorAll<HTMLElement>(":scope > .gap"))) {
    const a = g.previousElementSibling as HTMLElement | null;
    const b = g.nextElementSibling as HTMLElement | null;
    if (a?.dataset.span !== undefined && a.dataset.span === b?.dataset.span) {
      g.classList.add("grp-gap", `band-${Number(a.dataset.span) % BAND_COLOURS}`);
      g.dataset.span = a.dataset.span;
    }
  }
}
