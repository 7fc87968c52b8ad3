// Every number the page writes comes from lib/format.js.
import assert from "node:assert/strict";
import { test } from "node:test";

import {
  formatCell,
  formatFixed,
  formatNumber,
  formatPercent,
  texNumber,
  trimZeros,
} from "../../static/lib/format.js";

test("formatNumber: 4 significant digits, trailing zeros gone, a true minus sign", () => {
  assert.equal(formatNumber(0.5), "0.5");
  assert.equal(formatNumber(1), "1");
  assert.equal(formatNumber(1.23456), "1.235");
  assert.equal(formatNumber(-2.5), "−2.5");
  assert.equal(formatNumber(1234.5), "1235");
  assert.equal(formatNumber(0), "0");
});

test("formatNumber: a power of ten when tiny or huge", () => {
  assert.equal(formatNumber(0.000123), "1.23e−4");
  assert.equal(formatNumber(-4.337e-19), "−4.337e−19");
  assert.equal(formatNumber(12345), "1.235e4");
  assert.equal(formatNumber(1e-4, 1), "1e−4");
});

test("formatNumber: what is not a number says so", () => {
  assert.equal(formatNumber(null), "–");
  assert.equal(formatNumber(undefined), "–");
  assert.equal(formatNumber(Number.NaN), "–");
  assert.equal(formatNumber(Number.POSITIVE_INFINITY), "∞");
  assert.equal(formatNumber(Number.NEGATIVE_INFINITY), "−∞");
});

test("formatFixed and formatPercent, as the status bar shows them", () => {
  assert.equal(formatFixed(0.612345, 4), "0.6123");
  assert.equal(formatFixed(null, 4), "–");
  assert.equal(formatPercent(0.975), "97.5%");
  assert.equal(formatPercent(1), "100.0%");
  assert.equal(formatPercent(undefined), "–");
});

test("formatPercent: a share under 1 never shows as 100%", () => {
  assert.equal(formatPercent(0.997, 0), "99.7%");
  assert.equal(formatPercent(0.42, 0), "42%");
  assert.equal(formatPercent(1, 0), "100%");
});

test("formatCell: short enough for a matrix cell", () => {
  assert.equal(formatCell(0), "0");
  assert.equal(formatCell(1.234), "1.23");
  assert.equal(formatCell(-0.5), "-0.50");
  assert.equal(formatCell(123.4), "123");
  assert.equal(formatCell(0.001234), "1.2e-3");
  assert.equal(formatCell(12345), "1.2e4");
});

test("texNumber: TeX's times and powers of ten", () => {
  assert.equal(texNumber(0.25), "0.25");
  assert.equal(texNumber(-1.5e-4), "-1.5{\\times}10^{-4}");
  assert.equal(texNumber(2e5), "2{\\times}10^{5}");
  assert.equal(texNumber(Number.NaN), "\\text{nan}");
  assert.equal(texNumber(Number.NEGATIVE_INFINITY), "-\\infty");
});

test("trimZeros leaves exponents and integers alone", () => {
  assert.equal(trimZeros("1.500"), "1.5");
  assert.equal(trimZeros("2.000"), "2");
  assert.equal(trimZeros("100"), "100");
  assert.equal(trimZeros("1.0e+5"), "1.0e+5");
});
