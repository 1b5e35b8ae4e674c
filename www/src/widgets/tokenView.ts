// Token chips over their source text spans, coloured by outcome.

import { el, indexOf } from "./dom";
import type { Tooltip } from "./tooltip";
import type { Settings } from "../model/settings";
import type { MaskResult } from "../model/result";
import { chipRows, describePosition, positionInfo, tokenString } from "../model/result";
import { chipLabel, endsWithNewline, segmentsFromOffsets, visibleWhitespace } from "../model/segments";
import { chipClasses, OUTCOMES, outcomeName, positionKind } from "../model/outcome";
import { count } from "../model/format";
import { BAND_COLOURS, groupPlaces, type GroupPlace } from "../model/groups";
import { sideBySide, spanStandIns, type SeqCell } from "../model/seq2seq";
import { CHIPS_AT_ONCE, CHIPS_PER_FRAME } from "../model/schedule";

/** What each chip shows: its span of the source text, the token piece, or the id. */
export type ChipDisplay = "text" | "pieces" | "ids";

export interface TokenView {
  /**
   * Draw the chips of `r`: the first CHIPS_AT_ONCE at once, the rest CHIPS_PER_FRAME per animation
   * frame. Resolves true once every chip is drawn, false when a newer render replaced this one.
   * `unkId`: the unknown token's id, whose chips are marked in every display (null: none).
   */
  render(r: MaskResult, s: Settings, display?: ChipDisplay, unkId?: number | null): Promise<boolean>;
  highlight(index: number | null): void;
  /** Mark the positions that differ from a compared run, on the chips drawn and those still to come. */
  markDiffering(positions: ReadonlySet<number>): void;
  /** Empty the view, stopping a render still drawing. */
  clear(): void;
}

export function setUpTokenView(
  root: HTMLElement,
  note: HTMLElement,
  tooltip: Tooltip,
  hover: (index: number | null) => void,
): TokenView {
  let result: MaskResult | null = null;
  let lit: HTMLElement[] = [];
  let differing: ReadonlySet<number> = new Set();
  /** The render still drawing chips frame by frame: its next frame, and how to tell it it was replaced. */
  let drawing: { frame: number; finish(complete: boolean): void } | null = null;
  /** Holds the previous render's height while the new one fills in, so the scroll position stays. */
  const spacer = el("div", "chips-pending");
  spacer.setAttribute("aria-hidden", "true");

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
    if (differing.has(i)) c.classList.add("differs");
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

  /**
   * Append the rows of `r` to the view, pausing (yield) after whole segments once a frame's share
   * of chips is drawn: the first CHIPS_AT_ONCE, then CHIPS_PER_FRAME each.
   */
  function* draw(r: MaskResult, s: Settings, display: ChipDisplay, unkId: number | null): Generator<void, void, void> {
    let quota = CHIPS_AT_ONCE;
    const { counts } = chipRows(r);
    for (let row = 0; row < counts.length; row++) {
      const line = el("div", "token-row");
      line.dataset.row = String(row);
      if (r.batchSize > 1) line.append(el("span", "row-label", `row ${row}`));
      root.insertBefore(line, spacer);
      const first = row * r.seqLen;
      const n = counts[row];
      const places = groupPlaces(r.spanIds, first, n);
      const sides = sideBySide(r, row);
      const standIns = sides ? spanStandIns(sides) : null;
      const segs = segmentsFromOffsets(r.texts[row], r.offsets, n, (i) => r.attentionMask[i] === 1 && r.specialTokensMask[i] === 0, first);
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
          const c = chip(r, i, label, display === "text" && k > 0, places[i - first], standIns, r.ids[i] === unkId);
          if (k === 0) joinGap(line, c);
          line.append(c);
        });
        if (seg.kind === "tokens" && endsWithNewline(seg.text)) line.append(document.createTextNode("\n"));
        quota -= seg.tokens.length;
        if (quota <= 0) {
          quota = CHIPS_PER_FRAME;
          yield;
        }
      }
    }
  }

  /**
   * Draw a frame's share, then ask for the next frame until the generator is done. The first
   * share may be drawn outside a frame callback and is then laid out in the coming frame, so the
   * second waits for the frame after it: each frame lays out one share.
   */
  function pump(chips: Generator<void, void, void>, finish: (complete: boolean) => void, inFrame: boolean) {
    if (chips.next().done) {
      spacer.remove();
      drawing = null;
      finish(true);
      return;
    }
    const next = () => pump(chips, finish, true);
    const state = { frame: 0, finish };
    state.frame = requestAnimationFrame(inFrame ? next : () => (state.frame = requestAnimationFrame(next)));
    drawing = state;
  }

  /** Stop the render still drawing, if any: its promise resolves false. */
  function stopDrawing() {
    if (!drawing) return;
    cancelAnimationFrame(drawing.frame);
    drawing.finish(false);
    drawing = null;
  }

  return {
    render(r, s, display = "text", unkId = null) {
      stopDrawing();
      result = r;
      lit = [];
      differing = new Set();
      // The spacer keeps the old content's height until the new chips are drawn, so the
      // scrolled-to place does not jump back while they fill in.
      const top = root.scrollTop;
      spacer.style.height = top > 0 ? `${root.scrollHeight}px` : "0";
      root.replaceChildren(spacer);
      const done = new Promise<boolean>((finish) => pump(draw(r, s, display, unkId), finish, false));
      if (top > 0) root.scrollTop = top;
      const firstChip = root.querySelector<HTMLElement>(".chip[data-index]");
      if (firstChip) firstChip.tabIndex = 0;
      const { counts, cut } = chipRows(r);
      const total = r.batchSize * r.seqLen;
      if (cut || counts.length < r.batchSize) {
        note.hidden = false;
        note.textContent = `Showing ${count(counts.reduce((a, b) => a + b, 0))} of ${count(total)} positions${
          counts.length < r.batchSize ? ` (${counts.length} of ${r.batchSize} rows)` : ""
        } to keep the page responsive. The tensors, statistics and export cover the whole batch.`;
      } else note.hidden = true;
      return done;
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
    clear() {
      stopDrawing();
      result = null;
      lit = [];
      root.replaceChildren();
    },
    markDiffering(positions) {
      if (positions.size === 0 && differing.size === 0) return;
      differing = positions;
      for (const c of root.querySelectorAll<HTMLElement>(".chip[data-index]")) {
        c.classList.toggle("differs", positions.has(Number(c.dataset.index)));
      }
    },
  };
}

/** A gap between two chips of one group belongs to the group's band too (`chip` comes next on `line`). */
function joinGap(line: HTMLElement, chip: HTMLElement) {
  const g = line.lastElementChild as HTMLElement | null;
  if (!g?.classList.contains("gap")) return;
  const a = g.previousElementSibling as HTMLElement | null;
  if (a?.dataset.span !== undefined && a.dataset.span === chip.dataset.span) {
    g.classList.add("grp-gap", `band-${Number(a.dataset.span) % BAND_COLOURS}`);
    g.dataset.span = a.dataset.span;
  }
}
