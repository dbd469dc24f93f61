// brain.js 1.6.1 (the latest release on npm): plain JavaScript, float64, online training (an
// update after every sample; it has no batches). Its output layer is sigmoid with the squared
// error's gradient: it has no softmax or cross-entropy. Momentum is its default 0.1 (it rejects 0).
import { createRequire } from "node:module";
import { rowsOf } from "../lib/mnist.mjs";
import { MLP } from "./mlp.mjs";

const brain = createRequire(import.meta.url)("brain.js");

export function brainJs() {
  let net, samples;
  return {
    name: "brain.js 1.6.1",
    config: "float64; online (batch 1), sigmoid output",
    predictConfig: "float64; run(row) for each row",
    async init({ x, y, rows }) {
      const inputs = rowsOf(x, MLP.inputs, rows),
        targets = rowsOf(y, MLP.outputs, rows);
      samples = inputs.map((input, i) => ({ input, output: targets[i] }));
      net = new brain.NeuralNetwork({ hiddenLayers: [MLP.hidden], activation: "sigmoid" });
      net.train(samples.slice(0, 1), { iterations: 1, learningRate: MLP.learningRate }); // sizes the network
    },
    train: (rows) => net.train(samples.slice(0, rows), { iterations: 1, learningRate: MLP.learningRate }),
    predict(rows) {
      for (let i = 0; i < rows; i++) net.run(samples[i].input);
    },
    dispose() {},
  };
}
