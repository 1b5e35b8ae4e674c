// Counts against the expectation, the selected-count distribution over many seeds (plain SVG),
// and the heatmap of how often each position was selected over those seeds.

import { byId, el, svg } from "./dom";
import type { OutcomeCounts } from "../model/outcome";
import { LIMITS, tokenString, type MaskResult } from "../model/result";
import type { Expected, Histogram } from "../model/stats";
import { count, expectedValue } from "../model/format";

export interface StatsView {
  /** `e` null: the strategy has no binomial expectation (only the token strategy has). */
  render(c: OutcomeCounts, e: Expected | null): void;
  plot(h: Histogram | null, current: number, status: string, binomial?: boolean): void;
  /**
   * Per position of `r`'s batch, how many of `runs` seeds selected it (`positions`), as shaded
   * tokens; null clears it while re-rolling. `strategy` names the strategy in the caption.
   */
  heatmap(r: MaskResult | null, positions: Int32Array | null, runs: number, strategy: string): void;
}

export function setUpStatsView(root: HTMLElement): StatsView {
  const body = root.querySelector("#stats-table tbody")!;
  const plotBox = byId("stats-plot", root);
  const caption = byId("stats-caption", root);
  const heat = byId("heatmap", root);
  const heatCaption = byId("heatmap-caption", root);

  return {
    render(c, e) {
      const rows: [string, string, number, string][] = [
        ["Eligible (not special, not padding)", "", c.eligible, "–"],
        ["Selected", "selected", c.selected, e ? `${expectedValue(e.selected)} ± ${expectedValue(e.selectedSd)}` : "–"],
        ["→ mask token", "mask", c.mask, e ? expectedValue(e.mask) : "–"],
        ["→ random token", "random", c.random, e ? expectedValue(e.random) : "–"],
        ["→ kept", "kept", c.kept, e ? expectedValue(e.kept) : "–"],
      ];
      body.replaceChildren(
        ...rows.map(([label, key, n, exp]) => {
          const tr = el("tr");
          if (key) tr.dataset.stat = key;
          const h = el("th", key ? `stat-${key}` : "", label);
          h.scope = "row";
          tr.append(h, el("td", "num", count(n)), el("td", "num", exp));
          return tr;
        }),
      );
    },
    plot(h, current, status, binomial = true) {
      caption.textContent = status;
      if (!h) {
        plotBox.replaceChildren();
        return;
      }
      const W = 560;
      const H = 220;
      const m = { l: 44, r: 12, t: 12, b: 36 };
      const k = h.max - h.min + 1;
      const maxY = Math.max(1, ...h.observed, ...(binomial ? h.expected : []));
      const x = (i: number) => m.l + ((i + 0.5) / k) * (W - m.l - m.r);
      const y = (v: number) => H - m.b - (v / maxY) * (H - m.t - m.b);
      const bw = Math.max(1, ((W - m.l - m.r) / k) * 0.8);
      const s = svg("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", class: "hist" });
      s.append(
        svg("title", {}, `Selected-token count over ${h.runs} seeds against the binomial expectation`),
        svg("desc", {}, `Observed mean ${h.mean.toFixed(2)}; this run selected ${current}.`),
      );
      // Axes.
      s.append(svg("line", { x1: m.l, y1: H - m.b, x2: W - m.r, y2: H - m.b, class: "axis" }));
      s.append(svg("line", { x1: m.l, y1: m.t, x2: m.l, y2: H - m.b, class: "axis" }));
      for (const v of [0, maxY / 2, maxY]) {
        s.append(svg("text", { x: m.l - 6, y: y(v) + 4, class: "tick", "text-anchor": "end" }, String(Math.round(v))));
      }
      const every = Math.max(1, Math.ceil(k / 10));
      for (let i = 0; i < k; i += every) {
        s.append(svg("text", { x: x(i), y: H - m.b + 14, class: "tick", "text-anchor": "middle" }, String(h.min + i)));
      }
      s.append(svg("text", { x: (W + m.l) / 2, y: H - 4, class: "label", "text-anchor": "middle" }, "tokens selected"));
      // Observed bars.
      h.observed.forEach((v, i) => {
        if (v > 0) s.append(svg("rect", { x: x(i) - bw / 2, y: y(v), width: bw, height: H - m.b - y(v), class: "bar" }));
      });
      // Binomial expectation.
      if (binomial) {
        const pts = h.expected.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(" ");
        s.append(svg("polyline", { points: pts, class: "expected" }));
        h.expected.forEach((v, i) => s.append(svg("circle", { cx: x(i), cy: y(v), r: k > 60 ? 1.2 : 2.5, class: "expected-dot" })));
      }
      // This run.
      if (current >= h.min && current <= h.max) {
        const cx = x(current - h.min);
        s.append(svg("line", { x1: cx, y1: m.t, x2: cx, y2: H - m.b, class: "current" }));
        s.append(svg("text", { x: cx + 4, y: H - m.b - 6, class: "tick current-label" }, "this run"));
      }
      const legend = el("ul", "plot-legend");
      legend.append(
        el("li", "lg-bar", `observed over ${count(h.runs)} seeds`),
        el("li", "lg-expected", "binomial expectation"),
        el("li", "lg-current", "this run"),
      );
      if (!binomial) legend.querySelector(".lg-expected")!.remove();
      plotBox.replaceChildren(s, legend);
    },
    heatmap(r, positions, runs, strategy) {
      if (!r || !positions) {
        heat.replaceChildren();
        heatCaption.textContent = "";
        return;
      }
      heatCaption.textContent =
        `How often each token was selected over ${count(runs)} seeds (${strategy}): the stronger the colour, the more often. ` +
        "Whole-word, n-gram and span masking select the tokens of a unit together.";
      const rows = Math.min(r.batchSize, LIMITS.tensorRows);
      const out: HTMLElement[] = [];
      for (let row = 0; row < rows; row++) {
        const line = el("div", "heat-row");
        line.dataset.row = String(row);
        for (let c = 0; c < Math.min(r.seqLen, LIMITS.tensorColumns); c++) {
          const i = row * r.seqLen + c;
          if (r.attentionMask[i] === 0) continue;
          const share = positions[i] / runs;
          const cell = el("span", "heat", tokenString(r, r.ids[i]));
          cell.dataset.index = String(i);
          cell.dataset.selected = String(positions[i]);
          cell.style.setProperty("--heat", share.toFixed(3));
          cell.title = `${tokenString(r, r.ids[i])}: selected by ${positions[i]} of ${runs} seeds (${(share * 100).toFixed(1)} %)`;
          line.append(cell);
        }
        out.push(line);
      }
      heat.replaceChildren(...out);
    },
  };
}
