// The three matrix products against the naive triple loop, for the Wasm core and its JS twin.
// Both sum each element in the order p = 0 … k−1 (assembly/matrix.ts), so they must equal the
// naive loop bit for bit. Sizes: every m, k, n from 1 to 17 (odd sizes exercise the SIMD tails
// and the partial 4×4 tiles), rows and columns of one, the MLP 784-128-10's shapes at batch 32,
// and shapes that cross the packing blocks (MC = 128 rows, KC = 256 deep, NC = 256 columns).
import { describe, expect, it } from "vitest";
import { instantiateCore, type Core } from "../src/backends/wasm/core.js";
import * as js from "../src/backends/js/matrix.js";
import { testRandom } from "./backends.js";

type Kernel = "matmul" | "matmulTransA" | "matmulTransB";
type Shape = [m: number, k: number, n: number];

// out[i][j] = Σ_p A(i,p)·B(p,j) with the operands as each kernel reads them
const NAIVE: Record<
  Kernel,
  (a: Float64Array, b: Float64Array, i: number, j: number, m: number, k: number, n: number) => number
> = {
  matmul: (a, b, i, j, _m, k, n) => {
    let s = 0;
    for (let p = 0; p < k; p++) s += a[i * k + p]! * b[p * n + j]!;
    return s;
  },
  matmulTransA: (a, b, i, j, m, k, n) => {
    let s = 0;
    for (let p = 0; p < k; p++) s += a[p * m + i]! * b[p * n + j]!;
    return s;
  },
  matmulTransB: (a, b, i, j, _m, k, _n) => {
    let s = 0;
    for (let p = 0; p < k; p++) s += a[i * k + p]! * b[j * k + p]!;
    return s;
  },
};
const KERNELS = Object.keys(NAIVE) as Kernel[];

function naive(kernel: Kernel, a: Float64Array, b: Float64Array, [m, k, n]: Shape): Float64Array {
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) out[i * n + j] = NAIVE[kernel](a, b, i, j, m, k, n);
  return out;
}

const GUARD = 4; // f64s checked on either side of out: a kernel must not write past its result

/** The kernel's result on the Wasm core; out starts as NaN (the kernels overwrite, never accumulate). */
function wasmProduct(
  core: Core,
  kernel: Kernel,
  a: Float64Array,
  b: Float64Array,
  [m, k, n]: Shape,
): { out: Float64Array; guards: Float64Array } {
  const wasm = core.exports;
  const [aPtr, bPtr, outPtr] = [a.length, b.length, m * n + 2 * GUARD].map((count) => wasm.alloc(8 * count) >>> 0) as [
    number,
    number,
    number,
  ];
  core.f64().set(a, aPtr / 8);
  core.f64().set(b, bPtr / 8);
  const start = outPtr / 8 + GUARD;
  core
    .f64()
    .fill(-7, start - GUARD, start + m * n + GUARD)
    .fill(NaN, start, start + m * n);
  if (!wasm.packingReserve(wasm.packingBytesFor(m, k, n))) throw new Error("no memory for the packing scratch");
  wasm[kernel](aPtr, bPtr, outPtr + 8 * GUARD, m, k, n);
  const f64 = core.f64(); // reserving the packing scratch may have grown memory: a fresh view
  const out = f64.slice(start, start + m * n);
  const guards = Float64Array.from([
    ...f64.subarray(start - GUARD, start),
    ...f64.subarray(start + m * n, start + m * n + GUARD),
  ]);
  [aPtr, bPtr, outPtr].forEach((p) => wasm.free(p));
  return { out, guards };
}

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

const sameBits = (x: Float64Array, y: Float64Array) => x.length === y.length && x.every((v, i) => Object.is(v, y[i]));

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
