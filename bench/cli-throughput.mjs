// The `backprop` command against `fit` itself, on the same data: the 10,000 MNIST digits written
// as a CSV file (label, then 784 pixels), trained by `backprop train` (784-128-10 relu/softmax,
// SGD, batch 32, 8,000 training rows, no validation) and by `net.fit` on the same 8,000 rows
// with the same network and options, from Float64Arrays. Each run is a new Node process, as a
// command is (so both pay for V8's compiling the Wasm core). Runs alternate; the medians and the
// best runs are reported (on a shared machine the best run is the one least disturbed).
// Also times reading the CSV file (what `train` prints). Not part of `npm run bench`.
// Run: npm run build && node bench/cli-throughput.mjs [runs] [epochs]
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { Network, trainTestSplit } from "../dist/backprop-wasm.js";
import { CLASSES, loadMnist, PIXELS } from "../examples/data/mnist.mjs";

const run = promisify(execFile);
const fitOnly = process.argv[2] === "--fit";
const runs = Number(process.argv[fitOnly ? 3 : 2] ?? 3);
const epochs = Number(process.argv[fitOnly ? 4 : 3] ?? 5);
const cli = new URL("../dist/cli.js", import.meta.url).pathname;
const self = new URL(import.meta.url).pathname;

const { x, y, labels, rows } = loadMnist();
if (fitOnly) {
  console.log(await direct());
  process.exit(0);
}
const folder = mkdtempSync(join(tmpdir(), "backprop-cli-bench-"));
const csv = join(folder, "mnist.csv");
const lines = ["label," + Array.from({ length: PIXELS }, (_, i) => `p${i}`).join(",")];
for (let r = 0; r < rows; r++)
  lines.push(`${labels[r]},${Array.from(x.subarray(r * PIXELS, (r + 1) * PIXELS)).join(",")}`);
writeFileSync(csv, lines.join("\n") + "\n");

async function command() {
  const { stdout } = await run(process.execPath, [
    cli,
    "train",
    csv,
    "--target",
    "label",
    "--out",
    join(folder, "model.json"),
    "--layers",
    "128",
    "--activation",
    "relu",
    "--optimizer",
    "sgd",
    "--learning-rate",
    "0.01",
    "--batch-size",
    "32",
    "--epochs",
    String(epochs),
    "--validation-split",
    "0",
    "--patience",
    "0",
    "--test-split",
    "0.2",
    "--progress",
    "none",
  ]);
  const read = Number(/\((\d+\.\d+) s\)/.exec(stdout)[1]);
  const rate = Number(/epochs?, ([\d,]+) samples\/s/.exec(stdout)[1].replaceAll(",", ""));
  return { read, rate };
}

// one fit, in this process (run as `node bench/cli-throughput.mjs --fit 1 EPOCHS`)
async function direct() {
  const { xTrain, yTrain } = trainTestSplit(x, y, { testFraction: 0.2, seed: 0, xColumns: PIXELS, yColumns: CLASSES });
  const net = await Network.create({
    inputs: PIXELS,
    layers: [
      { units: 128, activation: "relu" },
      { units: CLASSES, activation: "softmax" },
    ],
    loss: "crossEntropy",
    seed: 0,
  });
  const started = performance.now();
  await net.fit(xTrain, yTrain, { epochs, batchSize: 32, optimizer: "sgd", learningRate: 0.01 });
  const seconds = (performance.now() - started) / 1000;
  net.dispose();
  return ((xTrain.length / PIXELS) * epochs) / seconds;
}

async function fitInNewProcess() {
  const { stdout } = await run(process.execPath, [self, "--fit", "1", String(epochs)]);
  return Number(stdout);
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const fromCommand = [],
  fromFit = [],
  reads = [];
try {
  for (let i = 0; i < runs; i++) {
    const c = await command();
    fromCommand.push(c.rate);
    reads.push(c.read);
    fromFit.push(await fitInNewProcess());
    console.error(
      `run ${i + 1}: backprop train ${Math.round(c.rate)} samples/s (read ${c.read} s), fit ${Math.round(fromFit.at(-1))} samples/s`,
    );
  }
} finally {
  rmSync(folder, { recursive: true, force: true });
}
const best = (values) => Math.max(...values);
const ratio = median(fromCommand) / median(fromFit);
const count = (v) => Math.round(v).toLocaleString("en-US");
console.log(
  `MNIST CSV (${rows} × ${PIXELS + 1}), 784-128-10 relu, SGD, batch 32, ${epochs} epochs on 8,000 rows, ${runs} runs each:`,
);
console.log(
  `  backprop train: median ${count(median(fromCommand))} samples/s, best ${count(best(fromCommand))}` +
    `; reading the CSV file: median ${median(reads).toFixed(2)} s, best ${Math.min(...reads).toFixed(2)} s`,
);
console.log(`  net.fit:        median ${count(median(fromFit))} samples/s, best ${count(best(fromFit))}`);
console.log(
  `  ratio:          ${(100 * ratio).toFixed(1)}% of fit's throughput (medians)` +
    `, ${((100 * best(fromCommand)) / best(fromFit)).toFixed(1)}% (best runs)`,
);
