// The seed post's 2-2-2 network (sigmoid, mse, one sample, learning rate 0.5, biases fixed),
// 10,000 rounds of gradient descent: through Network.fit (epochs 10,000 of one batch of one
// row, the loop inside the backend) against the same arithmetic written as a scalar JavaScript
// loop over eight weights (as test/seed-example.test.ts writes it), and as the same loop in
// AssemblyScript (seed-straight-line.ts, compiled here: the floor for Wasm). Each call starts
// again from the post's initial weights; every implementation must end at the same error.
import { readFileSync } from "node:fs";
import asc from "assemblyscript/asc";
import { Network, SEED_EXAMPLE } from "../../dist/index.js";
import { measure } from "../lib/measure.mjs";

const { x, y, learningRate, rounds, parameters } = SEED_EXAMPLE;
const sigma = (z) => 1 / (1 + Math.exp(-z));

// net = w·i + b, out = σ(net), E = Σ ½(t − out)², w ← w − η·dE/dw; returns the error after the rounds
function handWritten() {
  const [i1, i2] = x[0],
    [t1, t2] = y[0];
  const [[w1, w2], [w3, w4]] = parameters[0].weights,
    [[w5, w6], [w7, w8]] = parameters[1].weights;
  const b1 = parameters[0].biases[0],
    b2 = parameters[1].biases[0],
    eta = learningRate;
  let [v1, v2, v3, v4, v5, v6, v7, v8] = [w1, w2, w3, w4, w5, w6, w7, w8];
  for (let r = 0; r < rounds; r++) {
    const h1 = sigma(v1 * i1 + v2 * i2 + b1),
      h2 = sigma(v3 * i1 + v4 * i2 + b1);
    const o1 = sigma(v5 * h1 + v6 * h2 + b2),
      o2 = sigma(v7 * h1 + v8 * h2 + b2);
    const d1 = (o1 - t1) * o1 * (1 - o1),
      d2 = (o2 - t2) * o2 * (1 - o2);
    const dh1 = (d1 * v5 + d2 * v7) * h1 * (1 - h1),
      dh2 = (d1 * v6 + d2 * v8) * h2 * (1 - h2);
    v5 -= eta * d1 * h1;
    v6 -= eta * d1 * h2;
    v7 -= eta * d2 * h1;
    v8 -= eta * d2 * h2;
    v1 -= eta * dh1 * i1;
    v2 -= eta * dh1 * i2;
    v3 -= eta * dh2 * i1;
    v4 -= eta * dh2 * i2;
  }
  return errorOf(v1, v2, v3, v4, v5, v6, v7, v8);
}

// the post's total error E for the weights w1..w8
function errorOf(w1, w2, w3, w4, w5, w6, w7, w8) {
  const [i1, i2] = x[0],
    [t1, t2] = y[0];
  const b1 = parameters[0].biases[0],
    b2 = parameters[1].biases[0];
  const h1 = sigma(w1 * i1 + w2 * i2 + b1),
    h2 = sigma(w3 * i1 + w4 * i2 + b1);
  const o1 = sigma(w5 * h1 + w6 * h2 + b2),
    o2 = sigma(w7 * h1 + w8 * h2 + b2);
  return 0.5 * (t1 - o1) ** 2 + 0.5 * (t2 - o2) ** 2;
}

// seed-straight-line.ts compiled as the core is (-O3, no assertions); returns the error after the rounds
async function straightLineWasm() {
  const source = readFileSync(new URL("./seed-straight-line.ts", import.meta.url), "utf8");
  const { error, binary, stderr } = await asc.compileString(source, {
    optimizeLevel: 3,
    runtime: "stub",
    noAssert: true,
  });
  if (error) throw new Error(`seed-straight-line.ts: ${error.message}\n${stderr}`);
  const { instance } = await WebAssembly.instantiate(binary, {
    env: {
      abort: () => {
        throw new Error("abort");
      },
    },
  });
  const { allocate, run, memory } = instance.exports;
  const weightsPtr = allocate(8 * 8),
    lossesPtr = allocate(8 * rounds);
  const initial = [...parameters[0].weights.flat(), ...parameters[1].weights.flat()];
  return () => {
    new Float64Array(memory.buffer, weightsPtr, 8).set(initial);
    run(rounds, weightsPtr, lossesPtr);
    const [w1, w2, w3, w4, w5, w6, w7, w8] = new Float64Array(memory.buffer, weightsPtr, 8);
    return errorOf(w1, w2, w3, w4, w5, w6, w7, w8);
  };
}

async function viaFit(backend, threads) {
  const net = await Network.create({ ...SEED_EXAMPLE.spec, backend, threads });
  const run = async () => {
    net.setParameters(parameters);
    await net.fit(x, y, { epochs: rounds, batchSize: 1, optimizer: "sgd", learningRate, shuffle: false });
    return net.loss(x, y);
  };
  return { run, dispose: () => net.dispose() };
}

export async function seedWorkload(mode) {
  const expected = handWritten();
  const rows = [];
  const add = (implementation, config, stats, error, reference = false, threads = 1) =>
    rows.push({
      workload: "the seed network 2-2-2, 10,000 rounds",
      implementation,
      threads,
      config: `${config}; error after: ${error.toPrecision(10)}${Math.abs(error - expected) <= 1e-9 * expected ? "" : ` ≠ ${expected.toPrecision(10)}!`}`,
      ...stats,
      throughput: rounds / stats.median,
      unit: "rounds/s",
      reference,
    });
  // with 2 threads, the same: its products are far below the threshold, so no thread is started
  for (const [backend, threads] of [
    ["wasm", 1],
    ["wasm", 2],
    ["js", 1],
  ]) {
    const { run, dispose } = await viaFit(backend, threads);
    const stats = await measure(`seed fit ${backend} ${threads}`, run, mode, { async: true });
    const config = `fit: 10,000 epochs of 1 row, sgd${threads > 1 ? `, threads: ${threads}` : ""}`;
    add(
      `backprop-wasm (${backend === "wasm" ? "Wasm" : "JS backend"})`,
      config,
      stats,
      await run(),
      backend === "wasm" && threads === 1,
      threads,
    );
    dispose();
  }
  add(
    "hand-written JavaScript",
    "8 scalar weights, the post's equations",
    await measure("seed scalar", handWritten, mode),
    expected,
  );
  const straightLine = await straightLineWasm();
  add(
    "hand-written Wasm (the floor)",
    "the same loop in AssemblyScript, not a library path",
    await measure("seed straight-line Wasm", straightLine, mode),
    straightLine(),
  );
  return rows;
}
