// The 10,000 digits of the `mnist` package (28×28 pixels in [0, 1]) as row-major
// Float64Arrays, in a fixed order that mixes the classes: the i-th sample of digit 0, of digit
// 1, …, of digit 9, then the (i+1)-th, so that unshuffled batches and the first N rows hold every
// digit. (The package's own set() shuffles with Math.random.) Used by examples/mnist.mjs and
// the benchmarks.
import { createRequire } from "node:module";

export const PIXELS = 28 * 28;
export const CLASSES = 10;

/** x [rows×784] and one-hot y [rows×10], row-major Float64Arrays, and the labels. */
export function loadMnist() {
  const mnist = createRequire(import.meta.url)("mnist");
  const digits = Array.from({ length: CLASSES }, (_, d) => mnist[d]);
  const rows = digits.reduce((sum, digit) => sum + digit.length, 0);
  const x = new Float64Array(rows * PIXELS);
  const y = new Float64Array(rows * CLASSES);
  const labels = new Uint8Array(rows);
  let row = 0;
  for (let i = 0; row < rows; i++) {
    for (const digit of digits) {
      if (i >= digit.length) continue;
      x.set(digit.raw.slice(i * PIXELS, (i + 1) * PIXELS), row * PIXELS);
      y[row * CLASSES + digit.id] = 1;
      labels[row++] = digit.id;
    }
  }
  return { x, y, labels, rows };
}
