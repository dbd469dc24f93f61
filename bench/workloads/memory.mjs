// The Wasm core's linear memory (it only ever grows): training the MLP must not grow it after the
// first epoch, nor predicting after the first call, and creating and disposing networks must
// leave it flat. Run first, on a fresh core, so that no earlier workload's growth hides one.
import { Network } from "../../dist/index.js";
import { loadCore } from "../../dist/backends/wasm/core.js";
import { MLP } from "../models/mlp.mjs";

const SPEC = {
  inputs: MLP.inputs,
  layers: [{ units: MLP.hidden, activation: "sigmoid" }, { units: MLP.outputs, activation: "softmax" }],
  loss: "crossEntropy",
};

export async function memoryWorkload(modeName, { x, y }) {
  const memory = (await loadCore()).exports.memory;
  const bytes = () => memory.buffer.byteLength;
  const checks = [];
  const check = (what, before, after) => checks.push({ what, before, after, flat: after === before });

  const start = bytes();
  const net = await Network.create({ ...SPEC, backend: "wasm", seed: 1 });
  const epoch = () => net.fit(x, y, { epochs: 1, batchSize: MLP.batchSize, optimizer: "sgd", learningRate: MLP.learningRate, shuffle: false });
  await epoch();
  const afterFirst = bytes();
  for (let e = 0; e < (modeName === "full" ? 4 : 1); e++) await epoch();
  check(`training the MLP on 10,000 digits: after epoch 1 (from ${format(start)} at start) → after the next epochs`, afterFirst, bytes());

  net.predict(x);
  const afterPredict = bytes();
  for (let i = 0; i < 3; i++) net.predict(x);
  check("predict on 10,000 rows: after the first call → after 3 more", afterPredict, bytes());
  net.dispose();

  const count = modeName === "full" ? 10_000 : 1_000;
  (await Network.create({ ...SPEC, backend: "wasm" })).dispose();
  const beforeMany = bytes();
  for (let i = 0; i < count; i++) (await Network.create({ ...SPEC, backend: "wasm", seed: i })).dispose();
  const parameters = MLP.hidden * (MLP.inputs + 1) + MLP.outputs * (MLP.hidden + 1);
  check(`creating and disposing ${count.toLocaleString("en")} MLPs (${format(2 * 8 * parameters)} of parameters and gradients each)`, beforeMany, bytes());
  return checks;
}

export const format = (bytes) => `${(bytes / 2 ** 20).toFixed(2)} MiB`;
