// The diagram's links painted on one canvas under the SVG's nodes: a 6 × 16 net has some 1,400
// links, and restyling as many SVG paths every frame made Chromium repaint them all (14 frames
// a second, measured); one canvas repaints in a few milliseconds. Each link is a straight line
// from the right edge of its source node to the left edge of its target (a thick curve cost
// Chromium's software raster twice a line's, measured), the line the SVG's invisible hover paths
// follow, so the pointer and the keyboard still find it there.

import { NEGATIVE_COLOR, POSITIVE_COLOR } from "../../lib/palette.js";
import { linkWidth } from "./model.js";

const OPACITY = 0.85;
const WEAK_OPACITY = 0.12; // a dense diagram's weak links: the strong ones carry the picture

// Each link's line at geometry g: [x0, y0, x1, y1], and its SVG path.
export function linkLines(model, g) {
  const half = g.side / 2;
  return model.links.map((link) => {
    const [xa, y0] = g.centres[link.from[0]][link.from[1]];
    const [xb, y1] = g.centres[link.to[0]][link.to[1]];
    const x0 = xa + half;
    const x1 = xb - half;
    return [x0, y0, x1, y1];
  });
}

export function linePath([x0, y0, x1, y1]) {
  return `M${x0},${y0} L${x1},${y1}`;
}

// The links as a frame shows them: width ∝ |shown| (the thickest g.widest px), the sign's colour,
// the weak ones faint. One { width, color, alpha, state } a link.
export function frameStyles(model, g) {
  return model.links.map((link) => ({
    width: linkWidth(link, model.scale, g.widest),
    color: link.shown < 0 ? NEGATIVE_COLOR : POSITIVE_COLOR,
    alpha: link.weak ? WEAK_OPACITY : OPACITY,
    state: link.weak ? "weak" : "shown",
  }));
}

// Paint every link on `sized` (lib/canvas.js's SizedCanvas, already its box's size): the faint
// first, the lit last, so a strong or lit link is never buried under a faint one.
export function paintLinks(sized, lines, styles) {
  const ctx = sized.begin();
  ctx.lineCap = "butt";
  const order = styles.map((_, n) => n).sort((a, b) => rank(styles[a]) - rank(styles[b]));
  for (const n of order) {
    const s = styles[n];
    if (!(s.width > 0) || !(s.alpha > 0)) continue;
    const [x0, y0, x1, y1] = lines[n];
    ctx.globalAlpha = s.alpha;
    ctx.strokeStyle = s.color;
    ctx.lineWidth = s.width;
    ctx.beginPath();
    ctx.moveTo(x0, y0);
    ctx.lineTo(x1, y1);
    ctx.stroke();
  }
  ctx.globalAlpha = 1;
}

// A frame that moves no link's width by this many px (nor changes a colour or a state) is not
// painted at once: a playing net's links mostly move by less, and each paint of the canvas costs
// the page as much as the rest of the frame (measured, headless Chromium on two cores).
export const PAINT_STEP_PX = 0.1;

// Whether `styles` differ visibly from those painted last (`painted`, or null: never painted).
export function visiblyChanged(painted, styles) {
  if (!painted || painted.length !== styles.length) return true;
  for (let n = 0; n < styles.length; n++) {
    const a = painted[n];
    const b = styles[n];
    if (a.color !== b.color || a.alpha !== b.alpha || a.state !== b.state) return true;
    if (Math.abs(a.width - b.width) >= PAINT_STEP_PX) return true;
  }
  return false;
}

const RANKS = { dimmed: 0, weak: 1, walked: 2, shown: 3, lit: 4 };

function rank(style) {
  return RANKS[style.state] ?? 3;
}
