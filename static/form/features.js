// The input features: a checkbox per feature, kept in the form's one text box for them
// ("x1,x2,x1_sq", in the order of the boxes), so the field is read, written and put in links as
// every other field is. Ticking a box changes that box's text and tells the form, as a typed field does.

import { FEATURE_LABELS } from "../lib/config.js";

// group: the field's element (.feature-boxes inside it takes the checkboxes); box: its hidden
// text input.
export function mountFeatures(group, box) {
  const checks = Object.entries(FEATURE_LABELS).map(([name, label]) => {
    const check = Object.assign(document.createElement("input"), { type: "checkbox", value: name });
    check.id = `feature-${name}`;
    const holder = Object.assign(document.createElement("label"), { className: "toggle" });
    holder.append(check, ` ${label}`);
    group.querySelector(".feature-boxes").append(holder);
    return check;
  });

  for (const check of checks) {
    check.addEventListener("change", () => {
      box.value = checks
        .filter((c) => c.checked)
        .map((c) => c.value)
        .join(",");
      box.dispatchEvent(new Event("change"));
    });
  }

  const summary = group.querySelector(".feature-summary");
  function summarise() {
    const chosen = checks.filter((c) => c.checked).map((c) => FEATURE_LABELS[c.value]);
    summary.textContent = chosen.join(", ") || "none";
  }
  for (const check of checks) check.addEventListener("change", summarise);

  return {
    checks,
    // The box's text was set (a default, a link, a preset): tick the boxes it names.
    show(text) {
      const names = new Set(String(text).split(/[\s,]+/));
      for (const check of checks) check.checked = names.has(check.value);
      summarise();
    },
    setDisabled(off, reason) {
      for (const check of checks) {
        check.disabled = off;
        if (reason) check.title = reason;
      }
    },
  };
}
