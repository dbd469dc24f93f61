// Paired A/B of two builds on the benchmark's workloads (the MNIST 784-128-10 fit epoch, predict on
// 10,000 rows, the seed network's 10,000 rounds, the 2-16-16-1 spirals fit), in one process, old and
// new alternated round by round (the order swapped every round): the median of the per-round
// new/old time ratios, which a loaded machine moves far less than it moves the times themselves.
//   git worktree add /tmp/base <commit> && ln -s "$PWD/node_modules" /tmp/base/node_modules
//   (cd /tmp/base && node scripts/build.mjs package) && npm run build && node bench/ab.mjs /tmp/base 31
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { loadMnist } from "../examples/data/mnist.mjs";

const [baseDir, roundsArg] = process.argv.slice(2);
if (!baseDir) throw new Error("usage: node bench/ab.mjs BASE_WORKTREE [ROUNDS]");
const OLD = await import(pathToFileURL(resolve(baseDir, "dist/backprop-wasm.js")).href);
const NEW = await import("../dist/backprop-wasm.js");
const rounds = Number(roundsArg ?? 15);
const { x, y } = await loadMnist();
const now = () => performance.now();

async function mnist(lib) {
  const net = await lib.Network.create({
    inputs: 784,
    layers: [
      { units: 128, activation: "sigmoid" },
      { units: 10, activation: "softmax" },
    ],
    loss: "crossEntropy",
    seed: 1,
  });
  const xs = x.subarray(0, 10_000 * 784),
    ys = y.subarray(0, 10_000 * 10);
  return {
    fit: async () => {
      const t = now();
      await net.fit(xs, ys, { epochs: 1, batchSize: 32, optimizer: "sgd", learningRate: 0.1, shuffle: false });
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
function spiralsData() {
  const P = 512,
    xs = new Float64Array(2 * P),
    ys = new Float64Array(P);
  let s = 7;
  const jitter = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32 - 0.5) * 0.1;
  for (let i = 0; i < P; i++) {
    const label = i % 2,
      t = (i >> 1) / (P / 2),
      angle = 3 * Math.PI * t + label * Math.PI;
    xs[2 * i] = t * Math.cos(angle) + jitter();
    xs[2 * i + 1] = t * Math.sin(angle) + jitter();
    ys[i] = label;
  }
  return { xs, ys };
}
async function spirals(lib) {
  const { xs, ys } = spiralsData();
  const net = await lib.Network.create({
    inputs: 2,
    layers: [
      { units: 16, activation: "tanh" },
      { units: 16, activation: "tanh" },
      { units: 1, activation: "sigmoid" },
    ],
    loss: "binaryCrossEntropy",
    seed: 1,
  });
  // one timed call = 20 epochs (one epoch is ~0.3 ms: too short to time alone)
  return async () => {
    const t = now();
    for (let e = 0; e < 20; e++)
      await net.fit(xs, ys, { epochs: 1, batchSize: 32, optimizer: "adam", learningRate: 0.01 });
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
    "spirals fit (20 epochs)": await spirals(lib),
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
const median = (a) => {
  const s = [...a].sort((p, q) => p - q);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
for (const w of Object.keys(ratios))
  console.log(
    `${w.padEnd(26)} old ${median(times.old[w]).toFixed(2)} ms  new ${median(times.new[w]).toFixed(2)} ms  median new/old ${median(ratios[w]).toFixed(4)}`,
  );
