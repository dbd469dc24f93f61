// Matrix products, f64: the Wasm core's kernels (assembly/matrix.ts, called on pointers into its
// memory) on one thread and split across two (a core with threads, src/backends/wasm/threads.ts),
// against the JS backend's (src/backends/js/matrix.ts, on Float64Arrays), same operands.
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

// the operands in a core's memory; run() computes the product there, result() reads it
function operands(core, { kernel, m, k, n }) {
  const wasm = core.exports;
  const a = fill(new Float64Array(m * k), 1),
    b = fill(new Float64Array(k * n), 2);
  const [aPtr, bPtr, outPtr] = [a.length, b.length, m * n].map((count) => wasm.alloc(8 * count) >>> 0);
  if (!wasm.packingReserve(wasm.packingBytesFor(m, k, n))) throw new Error("no memory for the packing scratch");
  core.f64().set(a, aPtr / 8);
  core.f64().set(b, bPtr / 8);
  return {
    a,
    b,
    run: () => wasm[kernel](aPtr, bPtr, outPtr, m, k, n),
    result: () => core.f64().slice(outPtr / 8, outPtr / 8 + m * n),
    free: () => [aPtr, bPtr, outPtr].forEach((p) => wasm.free(p)),
  };
}

export async function matmulWorkload(mode) {
  const cores = { 1: await instantiateCore(), 2: await instantiateCore({ threads: 2 }) };
  const rows = [];
  for (const product of PRODUCTS) {
    const { what, kernel, m, k, n } = product;
    const flops = 2 * m * k * n;
    const shape = `${kernel} m=${m} k=${k} n=${n}`;
    const one = operands(cores[1], product),
      two = operands(cores[2], product);
    const wasmStats = await measure(`${what} wasm`, one.run, mode);
    const threadStats = await measure(`${what} wasm, 2 threads`, two.run, mode);
    const out = new Float64Array(m * n);
    const jsStats = await measure(`${what} js`, () => js[kernel](one.a, one.b, out, m, k, n), mode);
    const expected = one.result();
    const same = (result) => result.every((v, i) => Object.is(v, expected[i]));
    rows.push(
      {
        workload: what,
        implementation: "backprop-wasm Wasm core",
        config: `${shape}; f64x2 SIMD`,
        ...wasmStats,
        throughput: flops / wasmStats.median / 1e9,
        unit: "GFLOP/s",
        reference: true,
      },
      {
        workload: what,
        implementation: "backprop-wasm Wasm core",
        threads: 2,
        config: `${shape}; ${same(two.result()) ? "bit-identical result" : "RESULT DIFFERS"}`,
        ...threadStats,
        throughput: flops / threadStats.median / 1e9,
        unit: "GFLOP/s",
      },
      {
        workload: what,
        implementation: "backprop-wasm JS backend",
        config: `${shape}; ${same(out) ? "bit-identical result" : "RESULT DIFFERS"}`,
        ...jsStats,
        throughput: flops / jsStats.median / 1e9,
        unit: "GFLOP/s",
      },
    );
    one.free();
    two.free();
  }
  cores[2].dispose();
  return rows;
}
