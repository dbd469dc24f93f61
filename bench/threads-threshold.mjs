// Where splitting a product across two threads starts to pay: each shape's product on one thread
// and on two (every product split: parallelWork 0), in alternating rounds that count only when no
// other process used the CPU (lib/paired.mjs), the median of each round's ratio. The threshold in
// src/backends/wasm/threads.ts (PARALLEL_WORK) is the work (m·k·n multiply-adds) from which two
// threads are clearly faster here.
//   npm run build && node bench/threads-threshold.mjs
import { instantiateCore } from "../dist/backends/wasm/core.js";
import { callsFor, median, medianRatio, paired } from "./lib/paired.mjs";

const SHAPES = [];
// a batch of 32 rows through square-ish layers, and a few other forms
for (const units of [16, 24, 32, 48, 64, 96, 128, 192, 256]) SHAPES.push(["matmulTransB", 32, units, units]);
for (const size of [24, 32, 48, 64, 96]) SHAPES.push(["matmul", size, size, size]);
SHAPES.push(
  ["matmulTransA", 64, 32, 64],
  ["matmulTransA", 128, 32, 128],
  ["matmulTransB", 256, 16, 16],
  ["matmulTransB", 1024, 2, 32],
);
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

const one = await instantiateCore();
const two = await instantiateCore({ threads: 2, parallelWork: 0 });
console.log("| product | m·k·n | 1 thread | 2 threads | time, 2 threads / 1 | rounds (dropped) |");
console.log("| --- | ---: | ---: | ---: | ---: | ---: |");
for (const [kernel, m, k, n] of SHAPES) {
  const [a, b] = [setUp(one, kernel, m, k, n), setUp(two, kernel, m, k, n)];
  for (let i = 0; i < 3000; i++) a(), b(); // warm up: TurboFan, and the worker started
  const { seconds, dropped } = await paired([a, b], { rounds: 15, repeat: await callsFor(a) });
  const us = (s) => `${(s * 1e6).toFixed(1)} µs`;
  console.log(
    `| ${kernel} ${m}×${k}×${n} | ${(m * k * n).toLocaleString("en")} | ${us(median(seconds[0]))} | ${us(median(seconds[1]))} | ` +
      `${medianRatio(seconds[1], seconds[0]).toFixed(2)} | ${seconds[0].length} (${dropped}) |`,
  );
}
two.dispose();
