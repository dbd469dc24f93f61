// TensorFlow.js 4.22 in Node, pure JavaScript ("cpu") or its WebAssembly backend (XNNPACK, SIMD;
// single-threaded in Node). float32, its only float type; prod mode (no debug checks).
// Training: model.fit on tensors made once, batch 32, no shuffling.
import { createRequire } from "node:module";
import { MLP } from "./mlp.mjs";

const require = createRequire(import.meta.url);
const tf = require("@tensorflow/tfjs");
require("@tensorflow/tfjs-backend-wasm");
tf.enableProdMode();

/** @param {"cpu" | "wasm"} backend */
export function tfjs(backend) {
  let model, xs, ys;
  return {
    name: `TensorFlow.js ${tf.version.tfjs} (${backend})`,
    config: "float32; model.fit, sgd, batch 32, shuffle false",
    predictConfig: "float32; model.predict(tensor of rows, { batchSize: rows })",
    async init({ x, y, rows }) {
      await tf.setBackend(backend);
      await tf.ready();
      model = tf.sequential({
        layers: [
          tf.layers.dense({ inputShape: [MLP.inputs], units: MLP.hidden, activation: "sigmoid" }),
          tf.layers.dense({ units: MLP.outputs, activation: "softmax" }),
        ],
      });
      model.compile({ optimizer: tf.train.sgd(MLP.learningRate), loss: "categoricalCrossentropy" });
      xs = tf.tensor2d(Float32Array.from(x.subarray(0, rows * MLP.inputs)), [rows, MLP.inputs]);
      ys = tf.tensor2d(Float32Array.from(y.subarray(0, rows * MLP.outputs)), [rows, MLP.outputs]);
    },
    async train(rows) {
      const [xPart, yPart] = [xs.slice(0, rows), ys.slice(0, rows)];
      await model.fit(xPart, yPart, { batchSize: MLP.batchSize, epochs: 1, shuffle: false, verbose: 0 });
      tf.dispose([xPart, yPart]);
    },
    async predict(rows) {
      const xPart = xs.slice(0, rows);
      const out = model.predict(xPart, { batchSize: rows }); // its default, 32, is ~20× slower on wasm
      await out.data();
      tf.dispose([xPart, out]);
    },
    dispose() {
      model.dispose();
      tf.dispose([xs, ys]);
    },
  };
}
