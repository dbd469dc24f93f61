// The network every library trains and runs: 784 inputs, 128 sigmoid units, 10 softmax outputs,
// cross-entropy, plain SGD with learning rate 0.1 on batches of 32 (where the library has them).
export const MLP = { inputs: 784, hidden: 128, outputs: 10, learningRate: 0.1, batchSize: 32 };

/** The MLP as backprop-wasm's Network.create spec, and fit's options for one epoch in order. */
export const MLP_SPEC = {
  inputs: MLP.inputs,
  layers: [
    { units: MLP.hidden, activation: "sigmoid" },
    { units: MLP.outputs, activation: "softmax" },
  ],
  loss: "crossEntropy",
  seed: 1,
};
export const MLP_EPOCH = {
  epochs: 1,
  batchSize: MLP.batchSize,
  optimizer: "sgd",
  learningRate: MLP.learningRate,
  shuffle: false,
};
