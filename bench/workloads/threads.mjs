// Two threads against one, side by side: for each of issue 13's targets, the same work on a
// network (or core) with threads: 1 and one with threads: 2 in alternating rounds that count only
// if no other process used the CPU meanwhile (lib/paired.mjs), and the median of the rounds'
// ratios. Beside them, what the machine gives to threads at all: independent products on two
// worker threads at once against one (the ceiling of any split), measured the same way.
import { spawn } from "node:child_process";
import { Worker } from "node:worker_threads";
import { instantiateCore } from "../../dist/backends/wasm/core.js";
import { Network, SEED_EXAMPLE } from "../../dist/index.js";
import { MLP_EPOCH, MLP_SPEC } from "../models/mlp.mjs";
import { callsFor, median, medianRatio, paired } from "../lib/paired.mjs";
import { SPIRALS_EPOCH, SPIRALS_SPEC, spirals } from "./small.mjs";

// the 256² product on a core: a function that computes it once
function squareProduct(core) {
  const wasm = core.exports,
    n = 256;
  const [a, b, out] = [n * n, n * n, n * n].map((count) => wasm.alloc(8 * count) >>> 0);
  if (!wasm.packingReserve(wasm.packingBytesFor(n, n, n))) throw new Error("no memory for the packing scratch");
  const f64 = core.f64();
  for (let i = 0; i < n * n; i++) (f64[a / 8 + i] = Math.sin(i)), (f64[b / 8 + i] = Math.cos(i));
  return () => wasm.matmul(a, b, out, n, n, n);
}

// a network per thread count and a task on it
async function networks(spec, task) {
  const nets = [await Network.create({ ...spec, threads: 1 }), await Network.create({ ...spec, threads: 2 })];
  return { variants: nets.map((net) => () => task(net)), dispose: () => nets.forEach((net) => net.dispose()) };
}

const WORKLOADS = {
  train: () => networks(MLP_SPEC, (net) => net.fit(WORKLOADS.data.x, WORKLOADS.data.y, MLP_EPOCH)),
  predict: () => networks(MLP_SPEC, (net) => void net.predict(WORKLOADS.data.x)),
  product: async () => {
    const cores = [await instantiateCore(), await instantiateCore({ threads: 2 })];
    return { variants: cores.map(squareProduct), dispose: () => cores[1].dispose() };
  },
  seed: () =>
    networks(SEED_EXAMPLE.spec, (net) => {
      net.setParameters(SEED_EXAMPLE.parameters);
      return net.fit(SEED_EXAMPLE.x, SEED_EXAMPLE.y, {
        epochs: SEED_EXAMPLE.rounds,
        batchSize: 1,
        optimizer: "sgd",
        learningRate: SEED_EXAMPLE.learningRate,
        shuffle: false,
      });
    }),
  small: () => {
    const { x, y } = spirals();
    return networks(SPIRALS_SPEC, (net) => net.fit(x, y, SPIRALS_EPOCH));
  },
};

// how much faster 2 threads are than 1 (> 1 is faster), over undisturbed rounds
async function speedup(make, rounds, alsoOurs = []) {
  const { variants, dispose } = await make();
  try {
    for (let i = 0; i < 3; i++) for (const run of variants) await run(); // warm up, workers started
    const repeat = await callsFor(variants[0]);
    const { seconds, dropped } = await paired(variants, { rounds, repeat, alsoOurs });
    return {
      ratio: 1 / medianRatio(seconds[1], seconds[0]),
      one: median(seconds[0]),
      two: median(seconds[1]),
      rounds: seconds[0].length,
      dropped,
    };
  } finally {
    dispose();
  }
}

// independent 256² products on one worker thread, against as many on each of two at once
async function capacity(rounds) {
  const source = `
    const { parentPort, workerData } = require("node:worker_threads");
    import(workerData).then(async ({ instantiateCore }) => {
      const run = (${squareProduct.toString()})(await instantiateCore());
      for (let i = 0; i < 100; i++) run();
      parentPort.on("message", (count) => { for (let i = 0; i < count; i++) run(); parentPort.postMessage(count); });
      parentPort.postMessage(0);
    });`;
  const core = new URL("../../dist/backends/wasm/core.js", import.meta.url).href;
  const workers = [0, 1].map(() => new Worker(source, { eval: true, workerData: core }));
  const ask = (worker, count) => new Promise((resolve) => (worker.once("message", resolve), worker.postMessage(count)));
  await Promise.all(workers.map((worker) => new Promise((resolve) => worker.once("message", resolve))));
  try {
    const { seconds, dropped } = await paired(
      [() => ask(workers[0], 40), () => Promise.all(workers.map((w) => ask(w, 40)))],
      { rounds },
    );
    return { ratio: 2 * medianRatio(seconds[0], seconds[1]), rounds: seconds[0].length, dropped };
  } finally {
    workers.forEach((worker) => worker.terminate());
  }
}

/** Speedups of 2 threads over 1 for each target, the busy-core case, and the machine's capacity. */
export async function threadsWorkload(modeName, data) {
  WORKLOADS.data = data;
  const rounds = modeName === "full" ? 15 : 3;
  const results = { capacity: await capacity(rounds) };
  for (const name of ["product", "train", "predict", "seed", "small"])
    results[name] = await speedup(WORKLOADS[name], rounds);
  // training while another process keeps a core busy: its CPU time is expected, not a disturbance
  const busy = spawn(process.execPath, ["-e", "for (;;);"], { stdio: "ignore" });
  try {
    await new Promise((resolve) => setTimeout(resolve, 200));
    results.busy = await speedup(WORKLOADS.train, rounds, [busy.pid]);
  } finally {
    busy.kill();
  }
  return results;
}
