// The three matrix products against the naive triple loop, for the Wasm core and its JS twin.
// Both sum each element in the order p = 0 … k−1 (assembly/matrix.ts), so they must equal the
// naive loop bit for bit. Sizes: every m, k, n from 1 to 17 (odd sizes exercise the SIMD tails
// and the partial 4×4 tiles), rows and columns of one, the MLP 784-128-10's shapes at batch 32,
// and shapes that cross the packing blocks (MC = 128 rows, KC = 256 deep, NC = 256 columns).
import { describe, expect, it } from "vitest";
import { instantiateCore } from "../src/backends/wasm/core.js";
import * as js from "../src/backends/js/matrix.js";
import { testRandom } from "./backends.js";
import { KERNELS, type Kernel, naive, sameBits, type Shape, wasmProduct } from "./kernel-products.js";

function jsProduct(kernel: Kernel, a: Float64Array, b: Float64Array, [m, k, n]: Shape): Float64Array {
  const out = new Float64Array(m * n).fill(NaN);
  js[kernel](a, b, out, m, k, n);
  return out;
}

/** The shapes whose Wasm or JS result differs from the naive product in any bit, or that wrote outside out. */
async function mismatches(kernel: Kernel, shapes: Shape[]): Promise<string[]> {
  const core = await instantiateCore();
  const next = testRandom(kernel.length);
  const wrong: string[] = [];
  for (const shape of shapes) {
    const [m, k, n] = shape;
    const a = Float64Array.from({ length: m * k }, () => next());
    const b = Float64Array.from({ length: k * n }, () => next());
    const expected = naive(kernel, a, b, shape);
    const { out, guards } = wasmProduct(core, kernel, a, b, shape);
    if (!sameBits(out, expected) || guards.some((g) => g !== -7)) wrong.push(`wasm ${m}×${k}×${n}`);
    if (!sameBits(jsProduct(kernel, a, b, shape), expected)) wrong.push(`js ${m}×${k}×${n}`);
  }
  return wrong;
}

const UP_TO_17: Shape[] = [];
for (let m = 1; m <= 17; m++) for (let k = 1; k <= 17; k++) for (let n = 1; n <= 17; n++) UP_TO_17.push([m, k, n]);

const LARGER: Shape[] = [
  [1, 300, 257],
  [257, 300, 1],
  [1, 1, 300],
  [300, 1, 300],
  [300, 300, 1], // a row, a column, k = 1
  [33, 65, 47],
  [5, 257, 129],
  [129, 257, 5],
  [130, 513, 270], // odd sizes; crossing MC, KC and NC
  [32, 784, 128],
  [128, 32, 784],
  [32, 128, 784], // the MLP 784-128-10 at batch 32: z = x·Wᵀ, dW = dZᵀ·x, dZ·W
  [32, 128, 10],
  [10, 32, 128],
  [32, 10, 128], // its output layer
];

describe.each(KERNELS)("%s", (kernel) => {
  it("Wasm and JS equal the naive product bit for bit for m, k, n = 1..17", async () => {
    expect(await mismatches(kernel, UP_TO_17)).toEqual([]);
  });

  it("Wasm and JS equal the naive product bit for bit on rows, columns, odd and MLP shapes", async () => {
    expect(await mismatches(kernel, LARGER)).toEqual([]);
  });
});

it("a product never allocates: once the packing scratch is reserved, products leave the Wasm memory as it was", async () => {
  const core = await instantiateCore();
  const next = testRandom(1);
  const shape: Shape = [130, 513, 270];
  const a = Float64Array.from({ length: 130 * 513 }, () => next());
  const b = Float64Array.from({ length: 513 * 270 }, () => next());
  wasmProduct(core, "matmulTransB", a, b, shape);
  const bytes = core.memory.buffer.byteLength;
  for (const kernel of KERNELS) for (let i = 0; i < 3; i++) wasmProduct(core, kernel, a, b, shape);
  expect(core.memory.buffer.byteLength).toBe(bytes);
});
