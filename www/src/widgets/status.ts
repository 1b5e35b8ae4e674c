// The status line (with a progress bar for worker runs) and the dismissible notices.

import { byId, el } from "./dom";

export interface Status {
  busy(text: string, fraction: number | null): void;
  idle(text: string): void;
  notice(text: string, kind?: "info" | "warning" | "error"): void;
  clearNotices(): void;
}

export function setUpStatus(bar: HTMLElement, notices: HTMLElement): Status {
  const text = byId("status-text", bar);
  const progress = byId<HTMLProgressElement>("status-progress", bar);
  return {
    busy(t, fraction) {
      bar.classList.add("busy");
      text.textContent = t;
      progress.hidden = false;
      if (fraction === null) progress.removeAttribute("value");
      else progress.value = fraction;
    },
    idle(t) {
      bar.classList.remove("busy");
      text.textContent = t;
      progress.hidden = true;
    },
    notice(t, kind = "info") {
      const n = el("div", `notice ${kind}`);
      n.setAttribute("role", kind === "error" ? "alert" : "status");
      const close = el("button", "close", "×");
      close.type = "button";
      close.setAttribute("aria-label", "Dismiss");
      close.addEventListener("click", () => n.remove());
      n.append(el("span", undefined, t), close);
      notices.append(n);
    },
    clearNotices() {
      notices.replaceChildren();
    },
  };
}
