// "Not available: …" in place of a result view whose content would describe another run.

import { el } from "./dom";

/**
 * Mark `section` as not available for `reason` (its heading stays, the rest is hidden behind one
 * note), or as available again when `reason` is null.
 */
export function markUnavailable(section: HTMLElement, reason: string | null) {
  let note = section.querySelector<HTMLElement>(":scope > .unavailable");
  section.classList.toggle("is-unavailable", reason !== null);
  if (reason === null) {
    note?.remove();
    return;
  }
  if (!note) {
    note = el("p", "unavailable");
    note.dataset.unavailable = "";
    section.querySelector("h2")!.after(note);
  }
  note.textContent = `Not available: ${reason}`;
}
