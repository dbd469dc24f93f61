// Handwritten digits: the 10,000 digits of the `mnist` package, a seeded 8,000/2,000 split,
// a 784-128-10 network (relu, softmax) trained with SGD and momentum for 10 epochs. The held-out
// digits are only watched (validationData); batch size, optimizer and learning rate were chosen
// on a validation split of the 8,000 training digits, for three seeds of the split. Its large
// products run on every core (threads: "auto"), with the same results, bit for bit, as on one.
// Run: npm run example:mnist
import { Network, trainTestSplit } from "backprop-wasm";
import { CLASSES, loadMnist, PIXELS } from "./data/mnist.mjs";

export async function main({ log = console.log, backend = "wasm", epochs = 10, threads = "auto" } = {}) {
  const { x, y } = loadMnist();
  const { xTrain, yTrain, xTest, yTest } = trainTestSplit(x, y, {
    testFraction: 0.2,
    seed: 1,
    xColumns: PIXELS,
    yColumns: CLASSES,
  });

  const net = await Network.create({
    inputs: PIXELS,
    layers: [
      { units: 128, activation: "relu" },
      { units: 10, activation: "softmax" },
    ],
    loss: "crossEntropy",
    backend,
    seed: 1,
    threads,
  });
  const started = performance.now();
  const history = await net.fit(xTrain, yTrain, {
    epochs,
    batchSize: 8,
    optimizer: "momentum",
    learningRate: 0.02,
    validationData: [xTest, yTest],
    onEpochEnd: (epoch, logs) =>
      log(
        `epoch ${epoch + 1}  loss ${logs.loss.toFixed(4)}  accuracy ${(100 * logs.accuracy).toFixed(2)}%  ` +
          `held-out accuracy ${(100 * logs.valAccuracy).toFixed(2)}%  (${((performance.now() - started) / 1000).toFixed(1)} s)`,
      ),
  });
  const test = net.evaluate(xTest, yTest);
  log(
    `held-out (2,000 digits): loss ${test.loss.toFixed(4)}, accuracy ${(100 * test.accuracy).toFixed(2)}% after ${history.loss.length} epochs`,
  );
  net.dispose();
  return test;
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
