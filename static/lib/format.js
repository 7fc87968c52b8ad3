// Every number the page writes, in one place: in text (4 significant digits, a power of ten
// when tiny or huge), fixed decimals for the status bar, a share as a percentage, short enough
// for a matrix cell, and in TeX for the derivation. Missing values are "–" in text.

// "1.500" -> "1.5", "2.000" -> "2"; exponent forms are left alone.
export function trimZeros(s) {
  return s.includes(".") && !s.includes("e") ? s.replace(/\.?0+$/, "") : s;
}

// Mantissa and exponent of v with `digits` significant digits: 0.000123 -> ["1.23", -4].
function scientific(v, digits) {
  const [m, e] = v.toExponential(digits - 1).split("e");
  return [trimZeros(m), Number(e)];
}

// Whether v reads better as a plain decimal than with a power of ten.
function plain(v) {
  const a = Math.abs(v);
  return a >= 1e-3 && a < 1e4;
}

// Short, readable numbers for text (not TeX): 4 significant digits, exponents when tiny or
// huge, and a true minus sign.
export function formatNumber(v, digits = 4) {
  if (v === null || v === undefined || Number.isNaN(v)) return "–";
  if (!Number.isFinite(v)) return v > 0 ? "∞" : "−∞";
  if (v === 0) return "0";
  let text;
  if (plain(v)) text = trimZeros(v.toPrecision(digits));
  else {
    const [m, e] = scientific(v, digits);
    text = `${m}e${e}`;
  }
  return text.replaceAll("-", "−");
}

// A fixed number of decimals, as the status bar shows losses: 0.6931.
export function formatFixed(v, decimals) {
  return v === null || v === undefined ? "–" : v.toFixed(decimals);
}

// A share as a percentage: 0.975 -> "97.5%". A share under 1 never shows as 100%: it gets
// a decimal more instead.
export function formatPercent(v, decimals = 1) {
  if (v === null || v === undefined) return "–";
  const p = 100 * v;
  const text = p.toFixed(decimals);
  return `${Number(text) >= 100 && p < 100 ? p.toFixed(decimals + 1) : text}%`;
}

// Short enough to fit a matrix cell: 2 decimals for everyday weights, exponents for tiny or
// huge ones.
export function formatCell(v) {
  const a = Math.abs(v);
  if (a === 0) return "0";
  if (a < 0.01 || a >= 1000) return v.toExponential(1).replace("e+", "e");
  return a >= 100 ? v.toFixed(0) : v.toFixed(2);
}

// One number in TeX, 4 significant digits; a power of ten when it would need more than three
// leading zeros, as 1/N-sized gradients do.
export function texNumber(v, digits = 4) {
  if (v === null || v === undefined || Number.isNaN(v)) return "\\text{nan}";
  if (!Number.isFinite(v)) return v > 0 ? "\\infty" : "-\\infty";
  if (v === 0) return "0";
  const fixed = v.toPrecision(digits);
  if (plain(v) && !fixed.includes("e")) return trimZeros(fixed);
  const [m, e] = scientific(v, digits);
  return `${m}{\\times}10^{${e}}`;
}

// A plain number in TeX with a fixed number of decimals, as a matrix's column writes it: 0.10,
// -5.73; one that rounds to zero is 0 (not -0.00).
export function texFixed(v, decimals) {
  const text = v.toFixed(decimals);
  return Number(text) === 0 ? "0" : text;
}
