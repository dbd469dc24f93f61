// The network every library trains and runs: 784 inputs, 128 sigmoid units, 10 softmax outputs,
// cross-entropy, plain SGD with learning rate 0.1 on batches of 32 (where the library has them).
export const MLP = { inputs: 784, hidden: 128, outputs: 10, learningRate: 0.1, batchSize: 32 };
