// Where a split product's time goes on this machine: the MLP's forward product (32×784 · (128×784)ᵀ,
// the one training splits at batch 32) whole on one thread, one of its two column tiles alone, and
// the same tile while a worker computes the other tile over and over on the same shared memory (its
// own instance of the kernel-only module, as a network's worker has): if the two threads did not
// slow each other, the tile beside the worker takes what it takes alone. Then the product as a
// network with threads: 2 splits it, back to back and after its weights were written. Paired
// rounds (lib/paired.mjs), medians of the rounds.
//   npm run build && node bench/threads-tiles.mjs [ROUNDS]
import { Worker } from "node:worker_threads";
import { instantiateCore } from "../dist/backends/wasm/core.js";
import { median, paired } from "./lib/paired.mjs";

const rounds = Number(process.argv[2] ?? 11);
const [m, k, n] = [32, 784, 128];
const core = await instantiateCore({ threads: 2, parallelWork: 2 ** 30 }); // shared memory, nothing split (an i32 in the core)
const wasm = core.exports;
const scratch = wasm.alloc(2 * (4 << 20)) >>> 0; // a packing scratch per thread, 4 MiB apart
const [a, b, out] = [m * k, n * k, m * n].map((count) => wasm.alloc(8 * count) >>> 0);
if (!wasm.packingReserve(wasm.packingBytesFor(m, k, n))) throw new Error("no memory for the packing scratch");
const f64 = core.f64();
for (let i = 0; i < m * k; i++) f64[a / 8 + i] = Math.sin(i);
for (let i = 0; i < n * k; i++) f64[b / 8 + i] = Math.cos(i);

// matmulTransB's tile t of n/2 columns: A as rows, B as rows of Bᵀ (the weights), as tiles.ts cuts it
const tile = (t) => [
  1,
  a,
  k,
  1,
  b + 8 * ((t * n) / 2) * k,
  k,
  out + 8 * ((t * n) / 2),
  n,
  m,
  k,
  n / 2,
  scratch + t * (4 << 20),
];
const whole = () => wasm.matmulTransB(a, b, out, m, k, n);
const alone = () => wasm.productBlock(...tile(0));

const source = `
  const { parentPort, workerData } = require("node:worker_threads");
  const { module, memory, args, control } = workerData;
  const flag = new Int32Array(control);
  const block = new WebAssembly.Instance(module, { env: { memory } }).exports.productBlock;
  parentPort.postMessage("ready");
  for (;;) {
    Atomics.wait(flag, 0, 0);
    if (Atomics.load(flag, 0) === 2) break;
    while (Atomics.load(flag, 0) === 1) block(...args);
    Atomics.store(flag, 1, 1); Atomics.notify(flag, 1);
  }`;
const control = new Int32Array(new SharedArrayBuffer(8));
const kernels = core.coreThreads.kernels; // the kernel-only module, compiled for a shared memory
const worker = new Worker(source, {
  eval: true,
  workerData: { module: kernels, memory: core.memory, args: tile(1), control: control.buffer },
});
await new Promise((resolve) => worker.once("message", resolve));

// the tile while the worker loops over the other one (started before, stopped after)
const beside = (repeat) => () => {
  Atomics.store(control, 1, 0);
  Atomics.store(control, 0, 1);
  Atomics.notify(control, 0);
  const until = performance.now() + 0.2;
  while (performance.now() < until); // the worker is up and computing
  for (let i = 0; i < repeat; i++) alone();
  Atomics.store(control, 0, 0);
  Atomics.wait(control, 1, 0);
};

// The same product as a network with threads: 2 runs it (split by threads.ts, the worker woken or
// watching), back to back, and right after the weights were written on the network's thread (as
// the SGD update does before each batch's forward product), beside the same on one thread.
async function network(threads) {
  const c = await instantiateCore(threads === 1 ? {} : { threads });
  const w = c.exports;
  const [pa, pb, po] = [m * k, n * k, m * n].map((count) => w.alloc(8 * count) >>> 0);
  if (!w.packingReserve(w.packingBytesFor(m, k, n))) throw new Error("no memory for the packing scratch");
  const view = c.f64();
  for (let i = 0; i < m * k; i++) view[pa / 8 + i] = Math.sin(i);
  for (let i = 0; i < n * k; i++) view[pb / 8 + i] = Math.cos(i);
  const weights = view.subarray(pb / 8, pb / 8 + n * k);
  const product = () => w.matmulTransB(pa, pb, po, m, k, n);
  const write = () => {
    for (let i = 0; i < weights.length; i++) weights[i] = -weights[i];
  };
  return { core: c, product, write, writeThenProduct: () => (write(), product()) };
}
const [one, two] = [await network(1), await network(2)];

const repeat = 200;
const many = (run) => () => {
  for (let j = 0; j < repeat; j++) run();
};
const VARIANTS = {
  "the product whole, one thread": many(whole),
  "one of its two column tiles alone": many(alone),
  "that tile while a worker computes the other": beside(repeat),
  "the product split on 2 threads (threads.ts), back to back": many(two.product),
  "the weights written, then the product, one thread": many(one.writeThenProduct),
  "the weights written, then the product split on 2 threads": many(two.writeThenProduct),
  "the weights written alone (one thread, to subtract)": many(one.write),
  "the weights written alone (2 threads' memory)": many(two.write),
};
for (const run of Object.values(VARIANTS)) run();
const { seconds, dropped } = await paired(Object.values(VARIANTS), { rounds, repeat: 1 });
const t = Object.fromEntries(Object.keys(VARIANTS).map((name, i) => [name, (median(seconds[i]) / repeat) * 1e6]));
for (const [name, µs] of Object.entries(t)) console.log(`${name}: ${µs.toFixed(0)} µs`);
const afterWrite = (name, write) => t[name] - t[write];
console.log(
  `tile / whole ${(t["one of its two column tiles alone"] / t["the product whole, one thread"]).toFixed(2)}; ` +
    `tile beside the worker / alone ${(t["that tile while a worker computes the other"] / t["one of its two column tiles alone"]).toFixed(2)}; ` +
    `split / whole ${(t["the product split on 2 threads (threads.ts), back to back"] / t["the product whole, one thread"]).toFixed(2)}; ` +
    `after the weights were written: split ${afterWrite("the weights written, then the product split on 2 threads", "the weights written alone (2 threads' memory)").toFixed(0)} µs, ` +
    `whole ${afterWrite("the weights written, then the product, one thread", "the weights written alone (one thread, to subtract)").toFixed(0)} µs`,
);
console.log(`${seconds[0].length} rounds, ${dropped} dropped as disturbed`);
Atomics.store(control, 0, 2);
Atomics.notify(control, 0);
await worker.terminate();
two.core.dispose();
core.dispose();
process.exit(0);
