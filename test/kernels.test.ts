// The three matrix products against the naive triple loop, on every size from 1 to 17 (odd
// sizes exercise the SIMD tails), for the Wasm core and its JS twin.
import { describe, expect, it } from "vitest";
import { loadCore } from "../src/backends/wasm/core.js";
import * as js from "../src/backends/js/matrix.js";
import { relativeDifference, testRandom } from "./backends.js";

type Kernel = "matmul" | "matmulTransA" | "matmulTransB";
// element (i, j) of the result from the operands as the kernel reads them
const NAIVE: Record<Kernel, (a: Float64Array, b: Float64Array, i: number, j: number, m: number, k: number, n: number) => number> = {
  matmul: (a, b, i, j, _m, k, n) => { let s = 0; for (let p = 0; p < k; p++) s += a[i * k + p]! * b[p * n + j]!; return s; },
  matmulTransA: (a, b, i, j, m, k, n) => { let s = 0; for (let p = 0; p < k; p++) s += a[p * m + i]! * b[p * n + j]!; return s; },
  matmulTransB: (a, b, i, j, _m, k, _n) => { let s = 0; for (let p = 0; p < k; p++) s += a[i * k + p]! * b[j * k + p]!; return s; },
};
const SIZES = Array.from({ length: 17 }, (_, i) => i + 1);

function naive(kernel: Kernel, a: Float64Array, b: Float64Array, m: number, k: number, n: number): Float64Array {
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) out[i * n + j] = NAIVE[kernel](a, b, i, j, m, k, n);
  return out;
}

describe.each(["matmul", "matmulTransA", "matmulTransB"] as Kernel[])("%s", (kernel) => {
  it("Wasm and JS equal the naive product for m, k, n = 1..17", async () => {
    const core = await loadCore();
    const wasm = core.exports;
    const next = testRandom(kernel.length);
    const bytes = 8 * 17 * 17;
    const [aPtr, bPtr, outPtr] = [wasm.alloc(bytes), wasm.alloc(bytes), wasm.alloc(bytes)];
    let worst = 0;
    for (const m of SIZES) for (const k of SIZES) for (const n of SIZES) {
      const a = Float64Array.from({ length: m * k }, () => next());
      const b = Float64Array.from({ length: k * n }, () => next());
      const expected = naive(kernel, a, b, m, k, n);
      core.f64().set(a, aPtr / 8);
      core.f64().set(b, bPtr / 8);
      core.f64().fill(NaN, outPtr / 8, outPtr / 8 + m * n); // the kernels must overwrite, not accumulate
      wasm[kernel](aPtr, bPtr, outPtr, m, k, n);
      const out = core.f64().slice(outPtr / 8, outPtr / 8 + m * n);
      const jsOut = new Float64Array(m * n).fill(NaN);
      js[kernel](a, b, jsOut, m, k, n);
      worst = Math.max(worst, relativeDifference(out, expected), relativeDifference(jsOut, expected));
    }
    [aPtr, bPtr, outPtr].forEach((p) => wasm.free(p));
    expect(worst).toBeLessThan(1e-14);
  });
});
