// Memory. Each Wasm network has an instance of the core and a memory of its own (it only ever
// grows): training the MLP must not grow it after the first epoch, nor predicting after the
// first call. And what a network of its own costs: the time to create and dispose one, and the
// process memory of 2,000 live ones (what issue 9 weighed against one shared instance).
import { Network } from "../../dist/index.js";
import { MLP } from "../models/mlp.mjs";

const SPEC = {
  inputs: MLP.inputs,
  layers: [
    { units: MLP.hidden, activation: "sigmoid" },
    { units: MLP.outputs, activation: "softmax" },
  ],
  loss: "crossEntropy",
};
// the playground's size, as many live networks are likely to be
const SMALL = {
  inputs: 2,
  layers: [
    { units: 16, activation: "tanh" },
    { units: 1, activation: "sigmoid" },
  ],
  loss: "mse",
};

// the memory of a network's core: a private field, read here only to measure it
const bytesOf = (net) => net.backendRef.core.memory.buffer.byteLength;

const median = (values) => values.slice().sort((a, b) => a - b)[values.length >> 1];

async function settle() {
  globalThis.gc?.();
  await new Promise((resolve) => setTimeout(resolve, 20));
  globalThis.gc?.();
}

export async function memoryWorkload(modeName, { x, y }) {
  const checks = [];
  const check = (what, before, after) => checks.push({ what, before, after, flat: after === before });

  const net = await Network.create({ ...SPEC, backend: "wasm", seed: 1 });
  const start = bytesOf(net);
  const epoch = () =>
    net.fit(x, y, {
      epochs: 1,
      batchSize: MLP.batchSize,
      optimizer: "sgd",
      learningRate: MLP.learningRate,
      shuffle: false,
    });
  await epoch();
  const afterFirst = bytesOf(net);
  for (let e = 0; e < (modeName === "full" ? 4 : 1); e++) await epoch();
  check(
    `training the MLP on 10,000 digits: after epoch 1 (from ${format(start)} at start) → after the next epochs`,
    afterFirst,
    bytesOf(net),
  );
  net.predict(x);
  const afterPredict = bytesOf(net);
  for (let i = 0; i < 3; i++) net.predict(x);
  check(
    "predict on 10,000 rows (in chunks of at most 16 MiB): after the first call → after 3 more",
    afterPredict,
    bytesOf(net),
  );
  net.dispose();

  // a network of its own: create + dispose, and 2,000 live networks
  const count = modeName === "full" ? 2_000 : 500;
  for (let i = 0; i < 200; i++) (await Network.create({ ...SMALL, seed: i })).dispose(); // warm-up
  const perCall = [];
  for (let round = 0; round < 5; round++) {
    const started = performance.now();
    for (let i = 0; i < count; i++) (await Network.create({ ...SMALL, seed: i })).dispose();
    perCall.push((performance.now() - started) / count);
  }
  await settle();
  const rssBefore = process.memoryUsage().rss;
  const live = [];
  for (let i = 0; i < count; i++) live.push(await Network.create({ ...SMALL, seed: i }));
  await settle();
  const rssAfter = process.memoryUsage().rss;
  const cores = live.reduce((sum, n) => sum + bytesOf(n), 0);
  live.forEach((n) => n.dispose());
  const isolation = {
    createDispose: median(perCall),
    live: count,
    rss: rssAfter - rssBefore,
    cores,
  };
  return { checks, isolation };
}

export const format = (bytes) => `${(bytes / 2 ** 20).toFixed(2)} MiB`;
