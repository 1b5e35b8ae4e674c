// One floating tooltip, shared by the token chips and the tensor cells.

import { el } from "./dom";

export interface Tooltip {
  show(anchor: Element, lines: string[]): void;
  hide(): void;
}

export function setUpTooltip(tip: HTMLElement): Tooltip {
  let anchor: Element | null = null;
  return {
    show(a, lines) {
      anchor?.removeAttribute("aria-describedby");
      anchor = a;
      a.setAttribute("aria-describedby", tip.id);
      tip.replaceChildren(...lines.map((line, i) => el("div", i === 0 ? "tip-head" : "tip-line", line)));
      tip.hidden = false;
      const r = a.getBoundingClientRect();
      const t = tip.getBoundingClientRect();
      const vw = document.documentElement.clientWidth;
      let left = r.left + r.width / 2 - t.width / 2;
      left = Math.max(6, Math.min(left, vw - t.width - 6));
      let top = r.bottom + 8;
      if (top + t.height > window.innerHeight - 6 && r.top - t.height - 8 > 6) top = r.top - t.height - 8;
      tip.style.left = `${Math.round(left + window.scrollX)}px`;
      tip.style.top = `${Math.round(top + window.scrollY)}px`;
    },
    hide() {
      anchor?.removeAttribute("aria-describedby");
      anchor = null;
      tip.hidden = true;
    },
  };
}
