// Canvas helpers shared by the panels that paint cells (the decision boundary, the weights):
// one pixel per cell in an offscreen image, scaled up by drawImage. Painting this way costs well
// under a millisecond, where a Plotly heatmap costs ~10 ms a call (measured).

// A canvas sized in CSS pixels and backed by device pixels, so it stays sharp. Its size is set
// only when its box changes (from a ResizeObserver), never while drawing a frame: reading a
// box's size after the page changed forces a layout, which cost more than the drawing itself.
export class SizedCanvas {
  constructor(canvas) {
    this.canvas = canvas;
    this.ctx = canvas.getContext("2d");
    this.width = 0;
    this.height = 0;
    this.ratio = 1;
  }

  resize(width, height) {
    const w = Math.max(1, Math.round(width));
    const h = Math.max(1, Math.round(height));
    const ratio = window.devicePixelRatio || 1;
    if (w === this.width && h === this.height && ratio === this.ratio) return false;
    Object.assign(this, { width: w, height: h, ratio });
    this.canvas.width = Math.round(w * ratio);
    this.canvas.height = Math.round(h * ratio);
    this.canvas.style.width = `${w}px`;
    this.canvas.style.height = `${h}px`;
    return true;
  }

  // The context, cleared, drawing in CSS pixels.
  begin() {
    const ctx = this.ctx;
    ctx.setTransform(this.ratio, 0, 0, this.ratio, 0, 0);
    ctx.clearRect(0, 0, this.width, this.height);
    return ctx;
  }
}

// An image with one pixel per cell of a rows x cols matrix.
export class CellImage {
  constructor() {
    this.canvas = document.createElement("canvas");
    this.ctx = this.canvas.getContext("2d");
    this.image = null;
  }

  // fill(rgba) writes rows * cols RGBA quadruples, row 0 at the top.
  paint(rows, cols, fill) {
    if (!this.image || this.image.width !== cols || this.image.height !== rows) {
      this.canvas.width = cols;
      this.canvas.height = rows;
      this.image = this.ctx.createImageData(cols, rows);
    }
    fill(this.image.data);
    this.ctx.putImageData(this.image, 0, 0);
  }

  // Draw the cells into (x, y, w, h) of ctx: smooth interpolates between cell centres (a field
  // such as probabilities); not smooth keeps every cell a crisp block (a matrix).
  drawTo(ctx, x, y, w, h, smooth) {
    ctx.imageSmoothingEnabled = smooth;
    ctx.drawImage(this.canvas, x, y, w, h);
  }
}

// About n round-numbered ticks covering [lo, hi].
export function niceTicks(lo, hi, n = 5) {
  const raw = (hi - lo) / Math.max(1, n);
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const ticks = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + 1e-9 * step; t += step) {
    ticks.push(Math.abs(t) < step * 1e-9 ? 0 : t);
  }
  return { ticks, decimals: Math.max(0, -Math.floor(Math.log10(step))) };
}

export function cssPixels(el, property = "font-size") {
  return parseFloat(getComputedStyle(el).getPropertyValue(property)) || 14;
}
