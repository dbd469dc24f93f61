// Matrix products, f64: the Wasm core's kernels (assembly/matrix.ts, called on pointers into its
// memory) against the JS backend's (src/backends/js/matrix.ts, on Float64Arrays), same operands.
// The square product, then the three products of a training step of the MLP 784-128-10 at
// batch 32. Throughput counts 2·m·k·n floating-point operations per product.
import { instantiateCore } from "../../dist/backends/wasm/core.js";
import * as js from "../../dist/backends/js/matrix.js";
import { measure } from "../lib/measure.mjs";

const PRODUCTS = [
  { what: "matrix product 256×256 · 256×256", kernel: "matmul", m: 256, k: 256, n: 256 },
  { what: "MLP forward z = x·Wᵀ (32×784 · (128×784)ᵀ)", kernel: "matmulTransB", m: 32, k: 784, n: 128 },
  { what: "MLP weight gradient dW = dZᵀ·x ((32×128)ᵀ · 32×784)", kernel: "matmulTransA", m: 128, k: 32, n: 784 },
  { what: "MLP back-propagation dZ·W (32×128 · 128×784)", kernel: "matmul", m: 32, k: 128, n: 784 },
];

// a fixed pseudo-random fill in [−1, 1) (an LCG; the values do not matter, only that they are not 0)
function fill(array, seed) {
  let s = seed;
  for (let i = 0; i < array.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    array[i] = s / 2 ** 31 - 1;
  }
  return array;
}

export async function matmulWorkload(mode) {
  const core = await instantiateCore();
  const wasm = core.exports;
  const rows = [];
  for (const { what, kernel, m, k, n } of PRODUCTS) {
    const a = fill(new Float64Array(m * k), 1), b = fill(new Float64Array(k * n), 2), out = new Float64Array(m * n);
    const [aPtr, bPtr, outPtr] = [a.length, b.length, out.length].map((count) => wasm.alloc(8 * count) >>> 0);
    core.f64().set(a, aPtr / 8);
    core.f64().set(b, bPtr / 8);
    if (!wasm.packingReserve(wasm.packingBytesFor(m, k, n))) throw new Error("no memory for the packing scratch");
    const flops = 2 * m * k * n;
    const shape = `${kernel} m=${m} k=${k} n=${n}`;
    const wasmStats = await measure(`${what} wasm`, () => wasm[kernel](aPtr, bPtr, outPtr, m, k, n), mode);
    const jsStats = await measure(`${what} js`, () => js[kernel](a, b, out, m, k, n), mode);
    const same = core.f64().subarray(outPtr / 8, outPtr / 8 + m * n).every((v, i) => v === out[i]);
    rows.push(
      { workload: what, implementation: "backprop-wasm Wasm core", config: `${shape}; f64x2 SIMD`, ...wasmStats, throughput: flops / wasmStats.median / 1e9, unit: "GFLOP/s", reference: true },
      { workload: what, implementation: "backprop-wasm JS backend", config: `${shape}; ${same ? "bit-identical result" : "RESULT DIFFERS"}`, ...jsStats, throughput: flops / jsStats.median / 1e9, unit: "GFLOP/s" },
    );
    [aPtr, bPtr, outPtr].forEach((p) => wasm.free(p));
  }
  return rows;
}
