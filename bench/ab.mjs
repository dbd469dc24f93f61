// Paired A/B of two builds on the benchmark's workloads (the MNIST 784-128-10 fit epoch, predict on
// 10,000 rows, the seed network's 10,000 rounds, the 2-16-16-1 spirals fit), in one process, old and
// new alternated round by round (the order swapped every round): the median of the per-round
// new/old time ratios, which a loaded machine moves far less than it moves the times themselves.
//   git worktree add /tmp/base <commit> && ln -s "$PWD/node_modules" /tmp/base/node_modules
//   (cd /tmp/base && node scripts/build.mjs package) && npm run build && node bench/ab.mjs /tmp/base 31
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { loadMnist } from "../examples/data/mnist.mjs";
import { median } from "./lib/paired.mjs";
import { MLP_EPOCH, MLP_SPEC } from "./models/mlp.mjs";
import { SPIRALS_EPOCH, SPIRALS_SPEC, spirals } from "./workloads/small.mjs";

const [baseDir, roundsArg] = process.argv.slice(2);
if (!baseDir) throw new Error("usage: node bench/ab.mjs BASE_WORKTREE [ROUNDS]");
const OLD = await import(pathToFileURL(resolve(baseDir, "dist/backprop-wasm.js")).href);
const NEW = await import("../dist/backprop-wasm.js");
const rounds = Number(roundsArg ?? 15);
const { x, y } = await loadMnist();
const now = () => performance.now();

async function mnist(lib) {
  const net = await lib.Network.create(MLP_SPEC);
  const xs = x.subarray(0, 10_000 * 784),
    ys = y.subarray(0, 10_000 * 10);
  return {
    fit: async () => {
      const t = now();
      await net.fit(xs, ys, MLP_EPOCH);
      return now() - t;
    },
    predict: async () => {
      const t = now();
      net.predict(xs);
      return now() - t;
    },
  };
}
async function seed(lib) {
  const { x: sx, y: sy, learningRate, rounds: r, parameters, spec } = lib.SEED_EXAMPLE;
  const net = await lib.Network.create({ ...spec, backend: "wasm" });
  // one timed call = 5 runs of the 10,000 rounds (one is ~3 ms: too short to time alone on a shared machine)
  return async () => {
    const t = now();
    for (let k = 0; k < 5; k++) {
      net.setParameters(parameters);
      await net.fit(sx, sy, { epochs: r, batchSize: 1, optimizer: "sgd", learningRate, shuffle: false });
    }
    return now() - t;
  };
}
async function spiralsFit(lib) {
  const { x: sx, y: sy } = spirals();
  const net = await lib.Network.create(SPIRALS_SPEC);
  // one timed call = 20 epochs (one epoch is ~0.3 ms: too short to time alone)
  return async () => {
    const t = now();
    for (let e = 0; e < 20; e++) await net.fit(sx, sy, SPIRALS_EPOCH);
    return now() - t;
  };
}

const libs = { old: OLD, new: NEW };
const work = {};
for (const [name, lib] of Object.entries(libs)) {
  const m = await mnist(lib);
  work[name] = {
    "mnist fit epoch": m.fit,
    "predict 10,000": m.predict,
    "seed 10,000 rounds (x5)": await seed(lib),
    "spirals fit (20 epochs)": await spiralsFit(lib),
  };
}
// warm-up
for (const name of ["old", "new"])
  for (const f of Object.values(work[name])) {
    await f();
    await f();
  }
const ratios = {};
const times = { old: {}, new: {} };
for (let r = 0; r < rounds; r++) {
  for (const w of Object.keys(work.old)) {
    const order = r % 2 === 0 ? ["old", "new"] : ["new", "old"];
    const t = {};
    for (const name of order) t[name] = await work[name][w]();
    (ratios[w] ??= []).push(t.new / t.old);
    (times.old[w] ??= []).push(t.old);
    (times.new[w] ??= []).push(t.new);
  }
}
for (const w of Object.keys(ratios))
  console.log(
    `${w.padEnd(26)} old ${median(times.old[w]).toFixed(2)} ms  new ${median(times.new[w]).toFixed(2)} ms  median new/old ${median(ratios[w]).toFixed(4)}`,
  );
