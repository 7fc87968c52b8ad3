// Small DOM helpers shared by the inspection panels (derivation, gradient check, hidden unit,
// check your gradient), so each panel reads as what it shows rather than as createElement calls.

// el("span", "shape", "H×C") or el("div", "row", [child, "text", ...]).
export function el(tag, className, content) {
  const node = document.createElement(tag);
  if (className) node.className = className;
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

// Short, readable numbers for text (not TeX): 4 significant digits, exponents when tiny or huge.
export function formatNumber(v, digits = 4) {
  if (v === null || v === undefined || Number.isNaN(v)) return "–";
  if (!Number.isFinite(v)) return v > 0 ? "∞" : "−∞";
  if (v === 0) return "0";
  const a = Math.abs(v);
  let text;
  if (a >= 1e-3 && a < 1e4) text = trimZeros(v.toPrecision(digits));
  else {
    const [m, e] = v.toExponential(digits - 1).split("e");
    text = `${trimZeros(m)}e${Number(e)}`;
  }
  return text.replaceAll("-", "−");
}

export function trimZeros(s) {
  return s.includes(".") && !s.includes("e") ? s.replace(/\.?0+$/, "") : s;
}
