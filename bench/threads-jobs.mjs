// Where a training batch's time goes on 2 threads: an epoch of the MLP (batch 32) on one thread,
// then on two with every job of the network's threads timed (src/backends/wasm/threads.ts, its
// run() wrapped here): for each job of a batch, how long it took from opening to its last tile
// done, how long each thread took for its own tile, and how long the network's thread worked
// alone before it. Not paired: for the shape of a batch, not for speed-ups (bench/run.mjs).
//   npm run build && node bench/threads-jobs.mjs [EPOCHS]
import { CoreThreads } from "../dist/backends/wasm/threads.js";
import { ownTileTime } from "../dist/backends/wasm/tiles.js";
import { Network } from "../dist/index.js";
import { loadMnist } from "../examples/data/mnist.mjs";
import { MLP_EPOCH, MLP_SPEC } from "./models/mlp.mjs";

const epochs = Number(process.argv[2] ?? 3);
const jobs = []; // [opened, done, own tile of thread 0, of thread 1] per job, in ms and µs
const run = CoreThreads.prototype.run;
CoreThreads.prototype.run = function (tiles, open) {
  const opened = performance.now();
  run.call(this, tiles, open);
  jobs.push([opened, performance.now(), ownTileTime(this.control, 0) / 1e3, ownTileTime(this.control, 1) / 1e3]);
};

const { x, y } = loadMnist();
const [one, two] = [
  await Network.create({ ...MLP_SPEC, threads: 1 }),
  await Network.create({ ...MLP_SPEC, threads: 2 }),
];
for (let i = 0; i < 3; i++) await Promise.all([one.fit(x, y, MLP_EPOCH), two.fit(x, y, MLP_EPOCH)]);
const batches = Math.ceil(x.length / MLP_SPEC.inputs / MLP_EPOCH.batchSize);
const µs = (values, p) => [...values].sort((a, b) => a - b)[Math.floor(p * (values.length - 1))].toFixed(0);
const mean = (values) => (values.reduce((sum, v) => sum + v, 0) / values.length).toFixed(0);
for (let e = 0; e < epochs; e++) {
  let start = performance.now();
  await one.fit(x, y, MLP_EPOCH);
  const oneMs = performance.now() - start;
  jobs.length = 0;
  start = performance.now();
  await two.fit(x, y, MLP_EPOCH);
  const twoMs = performance.now() - start;
  const perBatch = jobs.length / batches;
  console.log(
    `epoch ${e + 1}: ${((oneMs / batches) * 1e3).toFixed(0)} µs a batch on 1 thread, ${((twoMs / batches) * 1e3).toFixed(0)} on 2 ` +
      `(${(oneMs / twoMs).toFixed(2)}×); ${perBatch} jobs a batch`,
  );
  for (let j = 0; j < perBatch; j++) {
    const mine = jobs.map((job, i) => [job, i]).filter(([, i]) => i % perBatch === j && i > 0);
    const took = mine.map(([job]) => (job[1] - job[0]) * 1e3);
    const before = mine.map(([job, i]) => (job[0] - jobs[i - 1][1]) * 1e3);
    console.log(
      `  job ${j + 1}: ${µs(took, 0.1)} / ${µs(took, 0.5)} / ${µs(took, 0.9)} µs (p10 / median / p90; mean ${mean(took)}), ` +
        `own tiles ${µs(
          mine.map(([job]) => job[2]),
          0.5,
        )} and ${µs(
          mine.map(([job]) => job[3]),
          0.5,
        )} µs (medians), ` +
        `the network's thread alone before it ${mean(before)} µs (mean)`,
    );
  }
}
one.dispose();
two.dispose();
