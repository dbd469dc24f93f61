// The matrix kernels' test helpers (kernels.test.ts, threads.test.ts): the naive triple loop each
// kernel must equal bit for bit, and a kernel's result on a core with guards around it.
import type { Core } from "../src/backends/wasm/core.js";

export type Kernel = "matmul" | "matmulTransA" | "matmulTransB";
export type Shape = [m: number, k: number, n: number];

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
export const KERNELS = Object.keys(NAIVE) as Kernel[];

export function naive(kernel: Kernel, a: Float64Array, b: Float64Array, [m, k, n]: Shape): Float64Array {
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) out[i * n + j] = NAIVE[kernel](a, b, i, j, m, k, n);
  return out;
}

export const GUARD = 4; // f64s checked on either side of out: a kernel must not write past its result

/** The kernel's result on the Wasm core; out starts as NaN (the kernels overwrite, never accumulate). */
export function wasmProduct(
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

/** The same numbers to the bit (+0 and −0 differ, NaN equals NaN). */
export function sameBits(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  return a.length === b.length && Array.from(a).every((v, i) => Object.is(v, b[i]));
}
