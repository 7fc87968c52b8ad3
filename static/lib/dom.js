// The page's DOM helpers, so each panel reads as what it shows rather than as createElement calls.

// el("span", "shape", "H×C"), el("div", "row", [child, "text", ...]) or
// el("button", { id: "share", type: "button", "aria-expanded": "false" }, "Share link").
// props: a class name, or properties to set (role and names with a dash, such as aria-*, as
// attributes).
export function el(tag, props, content) {
  const node = document.createElement(tag);
  if (typeof props === "string") node.className = props;
  else if (props) {
    for (const [name, value] of Object.entries(props)) {
      if (name.includes("-") || name === "role") node.setAttribute(name, value);
      else node[name] = value;
    }
  }
  if (content === undefined || content === null) return node;
  if (Array.isArray(content)) node.append(...content.filter((c) => c !== null && c !== undefined));
  else node.append(content);
  return node;
}

// A class's colour as a small square, with the class named for screen readers.
export function swatch(color, label) {
  const s = el("span", "swatch");
  s.style.background = color;
  if (label) s.title = label;
  return s;
}

// What Space presses when it has the focus: a keyboard user's Space is theirs, not play's.
const PRESSABLE =
  "button, a[href], summary, [role=button], [role=tab], [role=checkbox], [role=radio], [role=switch]";

// Calls handler(event) for a key pressed on the page itself: not while typing in a field (but
// Escape, which closes what is open from anywhere), not Space on a focused button (it presses
// the button), not with a modifier (those are the browser's), not when the key repeats.
export function onPageKey(handler) {
  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || event.repeat) return;
    const target = event.target instanceof Element ? event.target : document.body;
    if (event.key !== "Escape" && target.closest("input, select, textarea")) return;
    if (event.key === " " && target.closest(PRESSABLE)) return;
    handler(event);
  });
}

// Controls a watcher may not use: disabled, with a title saying why (or enabled again).
export function setControlsEnabled(controls, on, reason) {
  for (const control of controls) {
    control.disabled = !on;
    if (!on && reason) control.title = reason;
  }
}

// A Copy button for the text of `box` (a read-only input): to the clipboard where the page may
// use it, else (plain http on a class's network is no secure context: no navigator.clipboard)
// the text selected, with a hint to press Ctrl+C. text(): what to copy, box's value by default.
export function copyOnClick(button, box, text = () => box.value) {
  const label = button.textContent;
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(text());
      button.textContent = "Copied";
    } catch {
      box.select();
      button.textContent = "Press Ctrl+C";
    }
    setTimeout(() => {
      button.textContent = label;
    }, 2000);
  });
}
