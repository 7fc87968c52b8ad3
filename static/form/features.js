// The input features: a checkbox per feature, kept in the form's one text box for them
// ("x1,x2,x1_sq", in the order of the boxes), so the field is read, written and put in links as
// every other field is. Ticking a box changes that box's text and tells the form, as a typed field does.

// group: the field's element (its checkboxes inside); box: its hidden text input.
export function mountFeatures(group, box) {
  const checks = [...group.querySelectorAll('input[type="checkbox"]')];

  for (const check of checks) {
    check.addEventListener("change", () => {
      box.value = checks
        .filter((c) => c.checked)
        .map((c) => c.value)
        .join(",");
      box.dispatchEvent(new Event("change"));
    });
  }

  return {
    checks,
    // The box's text was set (a default, a link, a preset): tick the boxes it names.
    show(text) {
      const names = new Set(String(text).split(/[\s,]+/));
      for (const check of checks) check.checked = names.has(check.value);
    },
    setDisabled(off, reason) {
      for (const check of checks) {
        check.disabled = off;
        if (reason) check.title = reason;
      }
    },
  };
}
