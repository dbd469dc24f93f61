// synaptic 1.1.4: a network of neuron and connection objects (compiled by its optimizer into one
// function), float64, online training (activate, then propagate, per sample), sigmoid layers
// throughout (no softmax); its output error t − o is the cross-entropy gradient of a sigmoid.
import { createRequire } from "node:module";
import { rowsOf } from "../lib/mnist.mjs";
import { MLP } from "./mlp.mjs";

const synaptic = createRequire(import.meta.url)("synaptic");

export function synapticJs() {
  let net, inputs, targets;
  return {
    name: "synaptic 1.1.4",
    config: "float64; online (batch 1), sigmoid output",
    predictConfig: "float64; activate(row) for each row",
    async init({ x, y, rows }) {
      inputs = rowsOf(x, MLP.inputs, rows);
      targets = rowsOf(y, MLP.outputs, rows);
      net = new synaptic.Architect.Perceptron(MLP.inputs, MLP.hidden, MLP.outputs);
    },
    train(rows) {
      for (let i = 0; i < rows; i++) {
        net.activate(inputs[i]);
        net.propagate(MLP.learningRate, targets[i]);
      }
    },
    predict(rows) {
      for (let i = 0; i < rows; i++) net.activate(inputs[i]);
    },
    dispose() {},
  };
}
