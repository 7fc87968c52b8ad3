// The way back to one run: "drive the left run alone" pauses both and ends the twinning (a
// twinned run takes no play or step of its own; both live on as ordinary runs), hands that run's
// own token to the main page as drive_link.js keeps it, and opens /?drive=<id>. Offered only where this browser holds the run's token (it made the twins, or
// opened the driver link, which carries both runs' tokens).

import { el } from "../lib/dom.js";
import { pageTokens } from "../lib/drive_link.js";
import { sideTokens } from "./tokens.js";

// slots: { left, right }, where each run's button goes (its panel's header); untwin(): pauses
// both and ends the twinning, a Promise.
export function mountAlone(slots, untwin) {
  const buttons = {};
  const ids = {};
  for (const key of ["left", "right"]) {
    const button = el("button", { type: "button", id: `alone-${key}`, hidden: true }, `Drive ${key} alone`);
    button.title = `Stop comparing: open the ${key} run on the main page, with all its views`;
    button.addEventListener("click", async () => {
      const token = sideTokens.tokenFor(ids[key]);
      if (!token) return;
      await untwin();
      pageTokens().remember(ids[key], token);
      location.assign(`/?drive=${encodeURIComponent(ids[key])}`);
    });
    buttons[key] = button;
    slots[key].append(button);
  }
  return {
    // The runs' ids, once known: a button for each run whose token this browser holds.
    setRuns(left, right) {
      Object.assign(ids, { left, right });
      for (const key of ["left", "right"]) buttons[key].hidden = !sideTokens.tokenFor(ids[key]);
    },
  };
}
