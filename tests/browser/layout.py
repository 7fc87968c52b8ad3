"""What the layout tests measure on a page, as JavaScript run in it: the controls a person can
press and whether any two overlap, text smaller than a size (Plotly's SVG text included), the
focus ring's contrast against what it sits on."""

from __future__ import annotations

# Every control in view: [name, left, top, right, bottom] in CSS px. A control scrolled out of
# its container or hidden (display, visibility, a closed dialog) is not in view.
VISIBLE_CONTROLS = """() => {
  const named = e => e.id ? '#' + e.id : (e.textContent.trim().slice(0, 24) || e.tagName.toLowerCase());
  const outside = (r, c) =>
    r.right <= c.left + 1 || r.left >= c.right - 1 || r.bottom <= c.top + 1 || r.top >= c.bottom - 1;
  const shown = e => {
    const r = e.getBoundingClientRect();
    if (r.width < 1 || r.height < 1 || getComputedStyle(e).visibility !== 'visible') return null;
    for (let p = e.parentElement; p; p = p.parentElement) {
      const s = getComputedStyle(p);
      if (s.overflowX === 'visible' && s.overflowY === 'visible') continue;
      if (outside(r, p.getBoundingClientRect())) return null;
    }
    return r;
  };
  const controls = 'button, input:not([type=hidden]), select, textarea, a[href], [role=tab]';
  const found = [];
  for (const e of document.querySelectorAll(controls)) {
    const r = shown(e);
    if (r) found.push([named(e), r.left, r.top, r.right, r.bottom]);
  }
  return found;
}"""


def overlapping(boxes: list, tolerance: float = 0.5) -> list[tuple[str, str]]:
    """The pairs of controls whose boxes intersect by more than `tolerance` px both ways."""
    pairs = []
    for i, (a, al, at, ar, ab) in enumerate(boxes):
        for b, bl, bt, br, bb in boxes[i + 1 :]:
            if min(ar, br) - max(al, bl) > tolerance and min(ab, bb) - max(at, bt) > tolerance:
                pairs.append((a, b))
    return pairs


# Every visible piece of text smaller than `min` px, in the first screen or below it:
# [what it says, its size, where, whether it is in a formula], HTML and SVG (Plotly's ticks,
# legends and titles).
SMALL_TEXT = """(min) => {
  const small = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let t = walker.nextNode(); t; t = walker.nextNode()) {
    const text = t.textContent.replace(/\u200b/g, '').trim();  // KaTeX's zero-width struts are no text
    const e = t.parentElement;
    if (!text || !e || e.closest('script, style, .katex-mathml')) continue;
    const r = e.getBoundingClientRect();
    if (r.width < 1 || r.height < 1 || getComputedStyle(e).visibility !== 'visible') continue;
    const size = parseFloat(getComputedStyle(e).fontSize);
    const where = e.tagName.toLowerCase() + '.' + (e.className.baseVal ?? e.className);
    if (size < min) small.push([text.slice(0, 30), size, where, Boolean(e.closest('.katex'))]);
  }
  return small;
}"""

# The relative-luminance contrast of two CSS colours, and the colour behind an element.
CONTRAST = """
const rgb = c => (c.match(/[\\d.]+/g) || []).map(Number);
const channel = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
const lum = c => { const [r, g, b] = rgb(c).slice(0, 3).map(channel);
  return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
const contrast = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05); };
const behind = e => {
  for (let p = e.parentElement; p; p = p.parentElement) {
    const c = getComputedStyle(p).backgroundColor;
    const v = rgb(c);
    if (v.length === 3 || v[3] > 0.5) return c;
  }
  return 'rgb(255, 255, 255)';
};
"""

# The focused element's ring: [name, outline style, width px, contrast against what is behind it],
# or null when the document itself has the focus.
FOCUS_RING = (
    "() => {"
    + CONTRAST
    + """
  const e = document.activeElement;
  if (!e || e === document.body) return null;  // past the last control: the document itself
  const s = getComputedStyle(e);
  return [e.id || e.textContent.trim().slice(0, 20) || e.tagName, s.outlineStyle, parseFloat(s.outlineWidth),
          contrast(s.outlineColor, behind(e))];
}"""
)
