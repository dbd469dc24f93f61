// A playground-sized network: 2-16-16-1 (tanh hidden layers, a sigmoid output, binary
// cross-entropy), Adam at 0.01, batches of 32, shuffled, on 512 points of two interleaved spirals
// (the size the playground's two-spirals data set asks for).
// One timed call is one epoch, continuing the same model. Here the products are small (at most
// 32×16·16×16), so the activations and the optimizer weigh as much as they do.
import { Network } from "../../dist/index.js";
import { measure } from "../lib/measure.mjs";

const POINTS = 512;

// two spirals, one per class, with a fixed pseudo-random jitter (an LCG)
export function spirals() {
  const x = new Float64Array(2 * POINTS),
    y = new Float64Array(POINTS);
  let s = 7;
  const jitter = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32 - 0.5) * 0.1;
  for (let i = 0; i < POINTS; i++) {
    const label = i % 2,
      t = (i >> 1) / (POINTS / 2),
      angle = 3 * Math.PI * t + label * Math.PI;
    x[2 * i] = t * Math.cos(angle) + jitter();
    x[2 * i + 1] = t * Math.sin(angle) + jitter();
    y[i] = label;
  }
  return { x, y };
}

/** The network (2-16-16-1, tanh, sigmoid, binary cross-entropy) and fit's options for one epoch. */
export const SPIRALS_SPEC = {
  inputs: 2,
  layers: [
    { units: 16, activation: "tanh" },
    { units: 16, activation: "tanh" },
    { units: 1, activation: "sigmoid" },
  ],
  loss: "binaryCrossEntropy",
  seed: 1,
};
export const SPIRALS_EPOCH = { epochs: 1, batchSize: 32, optimizer: "adam", learningRate: 0.01 };

export async function smallWorkload(mode) {
  const { x, y } = spirals();
  const rows = [];
  // with 2 threads, the same: its products are far below the threshold, so no thread is started
  for (const [backend, threads] of [
    ["wasm", 1],
    ["wasm", 2],
    ["js", 1],
  ]) {
    const net = await Network.create({ ...SPIRALS_SPEC, backend, threads });
    const epoch = () => net.fit(x, y, SPIRALS_EPOCH);
    const stats = await measure(`small network ${backend} ${threads}`, epoch, mode, { async: true });
    rows.push({
      workload:
        "train 2-16-16-1 (tanh, sigmoid, binary cross-entropy, Adam 0.01, batch 32) on 512 points of two spirals",
      implementation: `backprop-wasm (${backend === "wasm" ? "Wasm" : "JS backend"})`,
      threads,
      config: `float64; fit: one epoch per call, shuffled${threads > 1 ? `, threads: ${threads}` : ""}`,
      ...stats,
      throughput: POINTS / stats.median,
      unit: "samples/s",
      reference: backend === "wasm" && threads === 1,
    });
    net.dispose();
  }
  return rows;
}
