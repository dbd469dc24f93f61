// backprop-wasm itself, through its public API: Network.fit (the epoch loop runs in the core)
// and Network.predict, on row-major Float64Arrays.
import { Network } from "../../dist/index.js";
import { MLP } from "./mlp.mjs";

/** @param {"wasm" | "js"} backend @param {number} threads */
export function backpropWasm(backend, threads = 1) {
  let net, x, y;
  return {
    name: backend === "wasm" ? "backprop-wasm (Wasm)" : "backprop-wasm (JS backend)",
    threads,
    config: "float64; fit: sgd, batch 32, shuffle false",
    predictConfig: "float64; predict(Float64Array of rows)",
    async init(data) {
      ({ x, y } = data);
      net = await Network.create({
        inputs: MLP.inputs,
        layers: [
          { units: MLP.hidden, activation: "sigmoid" },
          { units: MLP.outputs, activation: "softmax" },
        ],
        loss: "crossEntropy",
        backend,
        seed: 1,
        threads,
      });
    },
    train: (rows) =>
      net.fit(x.subarray(0, rows * MLP.inputs), y.subarray(0, rows * MLP.outputs), {
        epochs: 1,
        batchSize: MLP.batchSize,
        optimizer: "sgd",
        learningRate: MLP.learningRate,
        shuffle: false,
      }),
    predict: (rows) => net.predict(x.subarray(0, rows * MLP.inputs)),
    dispose: () => net.dispose(),
  };
}
