// This build against another (the branch point of the threads, or the commit before a change to
// them) on the seed network's 10,000 rounds, an epoch of the playground-sized network, and the
// MLP's training epoch and predict: each on the other build and on this one, with threads: 1 and
// with threads: 2 (the other build's only if it has threads), in alternating rounds that count
// only when no other process used the CPU (lib/paired.mjs); the medians of the per-round ratios to
// the other build on one thread, and of each build's 2 threads against its 1.
//   git worktree add /tmp/base-threads e34b6db && ln -s "$PWD/node_modules" /tmp/base-threads/node_modules
//   (cd /tmp/base-threads && node scripts/build.mjs package) && npm run build && node bench/threads-ab.mjs /tmp/base-threads
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { loadMnist } from "../examples/data/mnist.mjs";
import { callsFor, median, medianRatio, paired } from "./lib/paired.mjs";
import { MLP_EPOCH, MLP_SPEC } from "./models/mlp.mjs";
import { SPIRALS_EPOCH, SPIRALS_SPEC, spirals } from "./workloads/small.mjs";

const [baseDir, roundsArg] = process.argv.slice(2);
if (!baseDir) throw new Error("usage: node bench/threads-ab.mjs BASE_WORKTREE [ROUNDS]");
const OLD = await import(pathToFileURL(resolve(baseDir, "dist/backprop-wasm.js")).href);
const NEW = await import("../dist/backprop-wasm.js");
const rounds = Number(roundsArg ?? 15);
const digits = loadMnist();

const WORKLOADS = {
  "the seed network, 10,000 rounds": async (lib, threads) => {
    const { x, y, learningRate, rounds: epochs, parameters, spec } = lib.SEED_EXAMPLE;
    const net = await lib.Network.create({ ...spec, ...threads });
    return () => {
      net.setParameters(parameters);
      return net.fit(x, y, { epochs, batchSize: 1, optimizer: "sgd", learningRate, shuffle: false });
    };
  },
  "2-16-16-1 on two spirals, an epoch": async (lib, threads) => {
    const { x, y } = spirals();
    const net = await lib.Network.create({ ...SPIRALS_SPEC, ...threads });
    return () => net.fit(x, y, SPIRALS_EPOCH);
  },
  "the MLP, an epoch of 10,000 rows": async (lib, threads) => {
    const net = await lib.Network.create({ ...MLP_SPEC, ...threads });
    return () => net.fit(digits.x, digits.y, MLP_EPOCH);
  },
  "the MLP, predict 10,000 rows": async (lib, threads) => {
    const net = await lib.Network.create({ ...MLP_SPEC, ...threads });
    return () => void net.predict(digits.x);
  },
};

// the other build's network with threads: 2, or null if it has no threads (its spec refuses the key)
async function optional(make) {
  try {
    return await make();
  } catch {
    return null;
  }
}

console.log(
  `| workload | ${baseDir}, threads: 1 | threads: 2 | this build, threads: 1 | threads: 2 | rounds (disturbed, dropped) |`,
);
console.log("| --- | ---: | ---: | ---: | ---: | ---: |");
for (const [name, make] of Object.entries(WORKLOADS)) {
  const oldTwo = await optional(() => make(OLD, { threads: 2 }));
  const variants = [await make(OLD, {}), await make(NEW, { threads: 1 }), await make(NEW, { threads: 2 })];
  if (oldTwo) variants.push(oldTwo);
  for (let i = 0; i < 3; i++) for (const run of variants) await run();
  const { seconds, dropped } = await paired(variants, { rounds, repeat: await callsFor(variants[0]) });
  const time = (s) => (s >= 1e-3 ? `${(s * 1e3).toFixed(2)} ms` : `${(s * 1e6).toFixed(0)} µs`);
  const versus = (i) => `${time(median(seconds[i]))} (${medianRatio(seconds[i], seconds[0]).toFixed(3)}× the time)`;
  const speedup = (two, one) =>
    `${time(median(seconds[two]))} (${(1 / medianRatio(seconds[two], seconds[one])).toFixed(2)}× its 1)`;
  console.log(
    `| ${name} | ${time(median(seconds[0]))} | ${oldTwo ? speedup(3, 0) : "—"} | ${versus(1)} | ${speedup(2, 1)} | ${seconds[0].length} (${dropped}) |`,
  );
}
