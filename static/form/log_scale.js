// A slider on a log scale: positions 0..steps cover 10^low .. 10^high, and a value read from
// the slider keeps two significant digits (0.0032, not 0.003162277...).

export class LogScale {
  constructor(low, high, steps = 1000) {
    this.low = low;
    this.high = high;
    this.steps = steps;
  }

  // The value at slider position `position`.
  value(position) {
    const { low, high, steps } = this;
    return Number((10 ** (low + ((high - low) * position) / steps)).toPrecision(2));
  }

  // The slider position of `value` (text or number), or null when it has none (not above 0).
  position(value) {
    const x = Number(value);
    if (!(x > 0)) return null;
    const { low, high, steps } = this;
    return Math.round(((Math.log10(x) - low) / (high - low)) * steps);
  }
}
