// Where splitting a product across two threads starts to pay: each shape's product on one thread
// and on two (every product split: parallelWork 0), alternated in rounds, the median of each
// round's ratio. The threshold in src/backends/wasm/threads.ts (PARALLEL_WORK) is the work
// (m·k·n multiply-adds) from which two threads are faster here. Run on a quiet machine:
//   npm run build && node bench/threads-threshold.mjs
import { instantiateCore } from "../dist/backends/wasm/core.js";

const SHAPES = [];
// the batch of 32 rows of training through square-ish layers, and a few other forms
for (const units of [8, 16, 24, 32, 48, 64, 96, 128, 192, 256]) SHAPES.push(["matmulTransB", 32, units, units]);
for (const size of [16, 24, 32, 48, 64, 96]) SHAPES.push(["matmul", size, size, size]);
SHAPES.push(["matmulTransA", 64, 32, 64], ["matmulTransA", 128, 32, 128], ["matmulTransB", 256, 16, 16], ["matmulTransB", 1000, 2, 16]);
SHAPES.sort((a, b) => a[1] * a[2] * a[3] - b[1] * b[2] * b[3]);

function setUp(core, kernel, m, k, n) {
  const wasm = core.exports;
  const [a, b, out] = [m * k, k * n, m * n].map((count) => wasm.alloc(8 * count) >>> 0);
  if (!wasm.packingReserve(wasm.packingBytesFor(m, k, n))) throw new Error("no memory");
  const f64 = core.f64();
  for (let i = 0; i < m * k; i++) f64[a / 8 + i] = Math.sin(i);
  for (let i = 0; i < k * n; i++) f64[b / 8 + i] = Math.cos(i);
  return () => wasm[kernel](a, b, out, m, k, n);
}

// seconds per call of `run`, over calls adding up to about 20 ms
function time(run) {
  let calls = 1;
  for (;;) {
    const started = performance.now();
    for (let i = 0; i < calls; i++) run();
    const elapsed = performance.now() - started;
    if (elapsed >= 20) return elapsed / calls / 1000;
    calls *= 2;
  }
}

const one = await instantiateCore();
const two = await instantiateCore({ threads: 2, parallelWork: 0 });
const median = (values) => values.slice().sort((x, y) => x - y)[values.length >> 1];
console.log("| product | m·k·n | 1 thread | 2 threads | 2 threads / 1 (time) |");
console.log("| --- | ---: | ---: | ---: | ---: |");
for (const [kernel, m, k, n] of SHAPES) {
  const runs = [setUp(one, kernel, m, k, n), setUp(two, kernel, m, k, n)];
  for (const run of runs) for (let i = 0; i < 2000; i++) run(); // warm up: TurboFan, and the workers started
  const times = [[], []], ratios = [];
  for (let round = 0; round < 15; round++) {
    const [a, b] = runs.map(time);
    times[0].push(a);
    times[1].push(b);
    ratios.push(b / a);
  }
  const us = (s) => `${(s * 1e6).toFixed(1)} µs`;
  console.log(`| ${kernel} ${m}×${k}×${n} | ${(m * k * n).toLocaleString("en")} | ${us(median(times[0]))} | ${us(median(times[1]))} | ${median(ratios).toFixed(2)} |`);
}
two.dispose();
