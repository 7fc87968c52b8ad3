// Your own data, in the form's Data section: a blank canvas to draw on (draw.js keeps the
// drawing), and a CSV of x, y, label from disk, read and checked by the server, whose errors
// are shown as it words them ("line 7: y 'abc' is not a number").

import { el, setControlsEnabled } from "../../lib/dom.js";
import { pointsFromCsv } from "../../lib/rest.js";

const MAX_CSV_BYTES = 1_000_000; // the server's default body limit, with room for the JSON around it

// slot: where the buttons go; draw: the draw panel (startBlank); startWithPoints(points, classes):
// a new run on these points.
export function mount(slot, _store, { draw, startWithPoints }) {
  const blank = el("button", { type: "button", id: "blank-canvas" }, "Blank canvas");
  blank.title = "Draw your own points on an empty plot, then train on them";
  const file = el("input", {
    type: "file",
    id: "csv-file",
    accept: ".csv,text/csv,text/plain",
    hidden: true,
  });
  const upload = el("button", { type: "button", id: "csv-upload" }, "Upload CSV");
  upload.title = "A file of x, y, label, one point a line (a header line is optional)";
  const errors = el("div", { className: "error csv-errors", id: "csv-errors", role: "alert", hidden: true });
  slot.append(el("div", "own-data-buttons", [blank, upload, file]), errors);

  function showErrors(title, lines) {
    errors.replaceChildren(
      el("p", {}, title),
      el(
        "ul",
        {},
        lines.map((line) => el("li", {}, line)),
      ),
    );
    errors.hidden = false;
  }

  blank.addEventListener("click", () => {
    errors.hidden = true;
    draw.startBlank();
  });
  upload.addEventListener("click", () => file.click());
  file.addEventListener("change", async () => {
    const chosen = file.files[0];
    file.value = ""; // the same file chosen again (after fixing it) is a new upload
    if (!chosen) return;
    errors.hidden = true;
    if (chosen.size > MAX_CSV_BYTES) {
      showErrors(`${chosen.name} was not read:`, [`it is ${chosen.size} bytes; at most ${MAX_CSV_BYTES}`]);
      return;
    }
    const result = await pointsFromCsv(await chosen.text());
    if (!result.ok) {
      const lines = result.errors.map((e) => e.message.replace(/^csv: /, ""));
      showErrors(`${chosen.name} was not read:`, lines);
      return;
    }
    startWithPoints(result.data.points, result.data.classes);
  });

  return {
    // Both start a new run: the driver's.
    setEnabled(on, reason) {
      setControlsEnabled([blank, upload], on, reason);
    },
  };
}
