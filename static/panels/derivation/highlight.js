// Which lines of the derivation are the current stage of the animated pass: another panel (the
// network's backprop control) names them in a "bpv:derivation-highlight" event on document,
// detail { form: "sample" | "batch", n: int | null, stages: [names] }; [] clears the marks.

export const HIGHLIGHT_EVENT = "bpv:derivation-highlight";
export const CURRENT = "is-current";

// Mark the rows of `form` named in `stages` within root (and only those), opening a folded layer
// that holds one. Returns the marked rows, in the page's order.
export function markRows(root, form, stages) {
  for (const row of root.querySelectorAll(`.${CURRENT}`)) {
    row.classList.remove(CURRENT);
    row.removeAttribute("aria-current");
  }
  for (const name of stages) {
    const row = root.querySelector(`[data-form="${form}"][data-stage="${CSS.escape(String(name))}"]`);
    if (!row) continue;
    row.classList.add(CURRENT);
    row.setAttribute("aria-current", "step");
    const folded = row.closest("details");
    if (folded) folded.open = true;
  }
  return [...root.querySelectorAll(`.${CURRENT}`)];
}

// Bring the marked rows into view, the first one at least, moving no more than that takes.
export function scrollToRows(marked) {
  if (!marked.length) return;
  marked[marked.length - 1].scrollIntoView({ block: "nearest" });
  marked[0].scrollIntoView({ block: "nearest" });
}

// The event's detail made safe: a known form, an integer n or null, a list of names.
export function readDetail(detail) {
  if (!detail || (detail.form !== "sample" && detail.form !== "batch")) return null;
  const n = Number.isInteger(detail.n) && detail.n >= 0 ? detail.n : null;
  const stages = Array.isArray(detail.stages) ? detail.stages.map(String) : [];
  return { form: detail.form, n, stages };
}
