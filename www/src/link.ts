// The page's address keeps the settings (model/settings.ts encodes them): rewritten shortly after
// each change, at once before copying or resetting.

import { encodeSettings, type Settings } from "./model/settings";
import type { Status } from "./widgets/status";

export interface Link {
  /** Rewrite the address after a short pause, unless the settings change again meanwhile. */
  writeSoon(): void;
  /** Rewrite it now, and wait for a pending rewrite. */
  flush(): Promise<void>;
}

export function setUpLink(status: Status, settings: () => Settings): Link {
  let timer = 0;
  let pending: Promise<void> = Promise.resolve();
  const address = (frag: string) => `${location.pathname}${location.search}${frag ? `#${frag}` : ""}`;

  return {
    writeSoon() {
      clearTimeout(timer);
      timer = window.setTimeout(() => {
        const snapshot = settings();
        pending = encodeSettings(snapshot).then((frag) => {
          if (snapshot !== settings()) return;
          try {
            history.replaceState(null, "", address(frag));
          } catch {
            status.notice("The text is too long to keep in the link; the settings are still there.", "warning");
          }
        });
      }, 120);
    },

    async flush() {
      clearTimeout(timer);
      history.replaceState(null, "", address(await encodeSettings(settings())));
      await pending;
    },
  };
}
