// How long a network's threads should watch before they sleep (settings.spinMs for the workers,
// settings.ownerSpinMs for the network's thread waiting for the last tiles, in
// src/backends/wasm/threads.ts): an epoch of the MLP (batch 32) on one thread and on 2 threads
// with each pair of spins, in paired rounds (lib/paired.mjs), alone and beside a process that keeps
// the other core busy. Prints each pair's speed-up over one thread (median of the rounds' ratios).
//   npm run build && node bench/threads-spins.mjs "0.05,0.02;0.05,0.3;0.3,0.3" [ROUNDS]
import { spawn } from "node:child_process";
import { settings } from "../dist/backends/wasm/threads.js";
import { Network } from "../dist/index.js";
import { loadMnist } from "../examples/data/mnist.mjs";
import { medianRatio, paired } from "./lib/paired.mjs";
import { MLP_EPOCH, MLP_SPEC } from "./models/mlp.mjs";

const [pairsArg = "0.05,0.02;0.05,0.3;0.3,0.3", roundsArg] = process.argv.slice(2);
const pairs = pairsArg.split(";").map((pair) => pair.split(",").map(Number));
const rounds = Number(roundsArg ?? 7);
const { x, y } = loadMnist();

const one = await Network.create({ ...MLP_SPEC, threads: 1 });
const variants = [() => one.fit(x, y, MLP_EPOCH)];
for (const [spinMs, ownerSpinMs] of pairs) {
  settings.spinMs = spinMs; // read when the network's workers start, at its first split product
  const net = await Network.create({ ...MLP_SPEC, threads: 2 });
  variants.push(() => {
    settings.ownerSpinMs = ownerSpinMs; // read at every split product
    return net.fit(x, y, MLP_EPOCH);
  });
}
for (const run of variants) await run();

for (const busy of [false, true]) {
  const load = busy ? spawn(process.execPath, ["-e", "for (;;);"], { stdio: "ignore" }) : null;
  await new Promise((resolve) => setTimeout(resolve, 200));
  try {
    const { seconds, dropped } = await paired(variants, { rounds, repeat: 1, alsoOurs: load ? [load.pid] : [] });
    const speedups = pairs.map(
      ([spin, owner], i) =>
        `workers ${spin} ms, network ${owner} ms: ${(1 / medianRatio(seconds[i + 1], seconds[0])).toFixed(2)}×`,
    );
    console.log(
      `${busy ? "beside a busy core" : "alone"} (${seconds[0].length} rounds, ${dropped} dropped): ${speedups.join("; ")}`,
    );
  } finally {
    load?.kill();
  }
}
process.exit(0);
