// backprop-wasm against pure JavaScript and other libraries, every workload side by side in one
// process: `npm run bench` (full, writes bench/RESULTS.md) or `npm run bench:quick` (a smoke
// run in under a minute, written to bench/results/quick.md, which git ignores). Both build first;
// this file reads the build in dist/. See bench/README.md for what each workload measures.
import { mkdirSync, writeFileSync } from "node:fs";
import { MODES } from "./lib/measure.mjs";
import { loadDigits } from "./lib/mnist.mjs";
import { machineLine, memoryTable, targetsTable, timingTable } from "./lib/report.mjs";
import { backpropWasm } from "./models/backprop-wasm.mjs";
import { brainJs } from "./models/brain.mjs";
import { pytorchMissing, pytorchRows } from "./models/pytorch.mjs";
import { synapticJs } from "./models/synaptic.mjs";
import { tfjs } from "./models/tfjs.mjs";
import { matmulWorkload } from "./workloads/matmul.mjs";
import { format, memoryWorkload } from "./workloads/memory.mjs";
import { mlpWorkload } from "./workloads/mlp.mjs";
import { seedWorkload } from "./workloads/seed.mjs";
import { smallWorkload } from "./workloads/small.mjs";
import { threadsWorkload } from "./workloads/threads.mjs";

const modeName = process.argv.includes("--quick") ? "quick" : "full";
const mode = MODES[modeName];
const log = (line) => process.stderr.write(`${line}\n`);

const started = performance.now();
const data = loadDigits();
log(`${modeName} run; ${machineLine()}`);

// PyTorch (float64, 1 and 2 threads) on the MLP workloads, if python3 has torch: its rows follow
// backprop-wasm's in the train and predict tables
const pytorchSkipped = pytorchMissing();
let pytorch = null;
if (pytorchSkipped) log(`PyTorch skipped: ${pytorchSkipped}`);
else {
  log("PyTorch …");
  pytorch = pytorchRows(mode, data, 10_000);
}

// rows per timed call: whole epochs where a library is fast enough, the first N digits otherwise
const MODELS = [
  {
    model: backpropWasm("wasm"),
    trainRows: { full: 10_000, quick: 10_000 },
    predictRows: { full: 10_000, quick: 10_000 },
  },
  {
    model: backpropWasm("wasm", 2),
    trainRows: { full: 10_000, quick: 10_000 },
    predictRows: { full: 10_000, quick: 10_000 },
    after: (task) => pytorch?.[task] ?? [],
  },
  { model: backpropWasm("js"), trainRows: { full: 10_000, quick: 1_000 }, predictRows: { full: 10_000, quick: 1_000 } },
  { model: tfjs("wasm"), trainRows: { full: 10_000, quick: 1_000 }, predictRows: { full: 10_000, quick: 1_000 } },
  { model: tfjs("cpu"), trainRows: { full: 2_000, quick: 500 }, predictRows: { full: 10_000, quick: 500 } },
  { model: brainJs(), trainRows: { full: 2_000, quick: 300 }, predictRows: { full: 2_000, quick: 300 } },
  { model: synapticJs(), trainRows: { full: 200, quick: 20 }, predictRows: { full: 200, quick: 20 } },
];

log("memory …");
const memory = await memoryWorkload(modeName, data); // first, before the other workloads' garbage
const rows = [];
for (const [name, run] of [
  ["matrix products", () => matmulWorkload(mode)],
  ["training the MLP", () => mlpWorkload("train", mode, modeName, data, MODELS)],
  ["the seed network", () => seedWorkload(mode)],
  ["a playground-sized network", () => smallWorkload(mode)],
  ["predict", () => mlpWorkload("predict", mode, modeName, data, MODELS)],
]) {
  log(`${name} …`);
  rows.push(...(await run()));
}

// implementation: the row's name, or a RegExp for names that carry a version
const find = (workload, implementation, threads = 1) =>
  rows.find(
    (r) =>
      r.workload.startsWith(workload) &&
      (r.threads ?? 1) === threads &&
      (implementation instanceof RegExp ? implementation.test(r.implementation) : r.implementation === implementation),
  );
const square = {
  wasm: find("matrix product 256", "backprop-wasm Wasm core"),
  js: find("matrix product 256", "backprop-wasm JS backend"),
};
const train = (implementation) => find("train MLP", implementation);
const seed = find("the seed network", "backprop-wasm (Wasm)");
const seedJs = find("the seed network", "hand-written JavaScript");
const predict = find("predict", "backprop-wasm (Wasm)");
const ratio = (a, b) => a.throughput / b.throughput;
const times = (value) => `${value.toFixed(2)}×`;
const trainingRatio = (implementation, name, least) => {
  const r = ratio(train("backprop-wasm (Wasm)"), train(implementation));
  return { target: `training the MLP ≥ ${least}× ${name}`, measured: times(r), met: r >= least };
};
const targets = [
  {
    target: "256×256 product ≥ 22 GFLOP/s (Wasm)",
    measured: `${square.wasm.throughput.toFixed(2)} GFLOP/s`,
    met: square.wasm.throughput >= 22,
  },
  {
    target: "256×256 product ≥ 8× the JS backend's",
    measured: times(ratio(square.wasm, square.js)),
    met: ratio(square.wasm, square.js) >= 8,
  },
  {
    target: "training the MLP ≥ 45,000 samples/s (Wasm, one thread)",
    measured: `${Math.round(train("backprop-wasm (Wasm)").throughput).toLocaleString("en")} samples/s`,
    met: train("backprop-wasm (Wasm)").throughput >= 45_000,
  },
  trainingRatio("backprop-wasm (JS backend)", "the JS backend", 8),
  trainingRatio(/^TensorFlow\.js .* \(wasm\)$/, "TensorFlow.js (wasm)", 6),
  trainingRatio(/^brain\.js /, "brain.js", 25),
  {
    target: "seed network, 10,000 rounds via fit ≤ 0.6 ms (Wasm)",
    measured: `${(seed.median * 1e3).toFixed(2)} ms`,
    met: seed.median <= 0.6e-3,
  },
  {
    target: "seed network via fit ≥ 1.5× the hand-written JavaScript loop",
    measured: times(ratio(seed, seedJs)),
    met: ratio(seed, seedJs) >= 1.5,
  },
  {
    target: "predict ≥ 150,000 rows/s (Wasm, MLP)",
    measured: `${Math.round(predict.throughput).toLocaleString("en")} rows/s`,
    met: predict.throughput >= 150_000,
  },
  {
    target: "a network's Wasm memory flat after the first epoch / call",
    measured: memory.checks.every((c) => c.flat) ? "flat" : "grew",
    met: memory.checks.every((c) => c.flat),
  },
];

// issue 13: 2 threads against 1, in paired rounds undisturbed by other processes (workloads/threads.mjs)
log("threads, paired …");
const paired = await threadsWorkload(modeName, data);
const duration = (s) => (s >= 1e-3 ? `${(s * 1e3).toFixed(1)} ms` : `${(s * 1e6).toFixed(0)} µs`);
// `ofCeiling`: the speed-up also as a share of what two threads gave independent work in this run
const speedup = (name, least, label, ofCeiling = false) => {
  const r = paired[name];
  const ceiling = ofCeiling ? `, ${((100 * r.ratio) / paired.capacity.ratio).toFixed(0)}% of this run's ceiling` : "";
  const measured = `${times(r.ratio)} (${duration(r.one)} → ${duration(r.two)}; ${r.rounds} rounds, ${r.dropped} disturbed ones dropped${ceiling})`;
  return { target: `${label}: 2 threads ≥ ${least}× one`, measured, met: r.ratio >= least };
};
const threadTargets = [
  speedup("train", 1.7, "training the MLP, batch 32 (an epoch of 10,000 rows)", true),
  speedup("predict", 1.8, "predict 10,000 rows with the MLP", true),
  speedup("product", 1.8, "the 256² product", true),
  speedup("seed", 0.97, "the seed network, 10,000 rounds (no slower)"),
  speedup("small", 0.97, "the playground-sized network, an epoch (no slower)"),
  speedup("busy", 0.9, "training the MLP while another process keeps a core busy"),
];
const capacityNote =
  `What this machine gave to threads at all in this run: independent 256² products on two worker threads at once ran ` +
  `${times(paired.capacity.ratio)} as fast in all as on one (${paired.capacity.rounds} rounds, ${paired.capacity.dropped} dropped): the ceiling of any split.`;
const pytorchNote = pytorchSkipped
  ? `PyTorch was skipped: ${pytorchSkipped}.`
  : "PyTorch's rows are timed by bench/models/pytorch.py (its own warm-up and samples), on the same digits in the same order.";

const command = modeName === "full" ? "npm run bench" : "npm run bench:quick";
const report = [
  `# Benchmark results (${modeName})`,
  "",
  `Generated by \`${command}\` on ${new Date().toISOString().slice(0, 10)} in ${((performance.now() - started) / 1000).toFixed(0)} s.`,
  `Machine: ${machineLine()}.`,
  "Median and benchmark.js's relative margin of error (95%) over its samples, after a warm-up; " +
    "throughput from the median. What each workload measures and what limits it: bench/README.md.",
  "",
  timingTable(rows),
  "",
  memoryTable(memory, format),
  "",
  "## Targets (issue 4)",
  "",
  targetsTable(targets),
  "",
  "## Targets (issue 13: threads)",
  "",
  targetsTable(threadTargets),
  "",
  capacityNote,
  "",
  pytorchNote,
  "",
].join("\n");

console.log(report);
const file =
  modeName === "full" ? new URL("./RESULTS.md", import.meta.url) : new URL("./results/quick.md", import.meta.url);
if (modeName === "quick") mkdirSync(new URL("./results/", import.meta.url), { recursive: true });
writeFileSync(file, report);
log(`written to ${file.pathname}`);
