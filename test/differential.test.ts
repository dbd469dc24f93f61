// Wasm against JS on seeded random networks and batches: the same seed gives bit-identical
// initial parameters, and every computed figure agrees to 1e-12 (relative, norm-wise).
import { describe, expect, it } from "vitest";
import { Network, type NetworkSpec } from "../src/index.js";
import { flat, randomMatrix, relativeDifference, testRandom } from "./backends.js";

const CASES: { name: string; spec: Omit<NetworkSpec, "backend">; rows: number }[] = [
  { name: "1×1", spec: { inputs: 1, layers: [{ units: 1, activation: "sigmoid" }], loss: "mse", seed: 1 }, rows: 1 },
  {
    name: "non-square 3-7-2, tanh/linear",
    spec: {
      inputs: 3,
      layers: [
        { units: 7, activation: "tanh" },
        { units: 2, activation: "linear" },
      ],
      loss: "mse",
      seed: 2,
    },
    rows: 5,
  },
  {
    name: "3+ layers, relu/leakyRelu/sigmoid/softmax, cross-entropy",
    spec: {
      inputs: 9,
      layers: [
        { units: 16, activation: "relu" },
        { units: 5, activation: "leakyRelu" },
        { units: 11, activation: "sigmoid" },
        { units: 4, activation: "softmax" },
      ],
      loss: "crossEntropy",
      seed: 3,
    },
    rows: 33,
  },
  {
    name: "wide 64-33-3, binary cross-entropy",
    spec: {
      inputs: 64,
      layers: [
        { units: 33, activation: "tanh" },
        { units: 3, activation: "sigmoid" },
      ],
      loss: "binaryCrossEntropy",
      seed: 4,
    },
    rows: 17,
  },
  {
    name: "the new activations elu, gelu, softplus, silu, huber loss",
    spec: {
      inputs: 5,
      layers: [
        { units: 7, activation: "elu" },
        { units: 6, activation: "gelu" },
        { units: 5, activation: "softplus" },
        { units: 4, activation: "silu" },
        { units: 3, activation: "linear" },
      ],
      loss: { name: "huber", delta: 0.7 },
      seed: 6,
    },
    rows: 21,
  },
  {
    name: "mae on a tanh output",
    spec: {
      inputs: 4,
      layers: [
        { units: 9, activation: "gelu" },
        { units: 2, activation: "tanh" },
      ],
      loss: "mae",
      seed: 7,
    },
    rows: 13,
  },
];

function targetsFor(spec: Omit<NetworkSpec, "backend">, rows: number, next: (lo?: number, hi?: number) => number) {
  const outputs = spec.layers[spec.layers.length - 1]!.units;
  if (spec.loss !== "crossEntropy" && spec.loss !== "binaryCrossEntropy") return randomMatrix(rows, outputs, next);
  if (spec.loss === "binaryCrossEntropy") return randomMatrix(rows, outputs, () => Math.round(next(0, 1)));
  return Array.from({ length: rows }, (_, i) => Array.from({ length: outputs }, (_, j) => (j === i % outputs ? 1 : 0)));
}

describe.each(CASES)("wasm = js: $name", ({ spec, rows }) => {
  it("same seed, bit-identical initial parameters; predictions, loss, gradients and 25 steps agree to 1e-12", async () => {
    const wasm = await Network.create({ ...spec, backend: "wasm" });
    const js = await Network.create({ ...spec, backend: "js" });
    expect(wasm.getParameters()).toEqual(js.getParameters());

    const next = testRandom(spec.seed! * 1000 + rows);
    const x = randomMatrix(rows, spec.inputs, () => next(-2, 2));
    const y = targetsFor(spec, rows, next);
    expect(relativeDifference(flat(wasm.predict(x)), flat(js.predict(x)))).toBeLessThan(1e-12);
    expect(relativeDifference([wasm.loss(x, y)], [js.loss(x, y)])).toBeLessThan(1e-12);
    expect(relativeDifference(flat(wasm.gradients(x, y)), flat(js.gradients(x, y)))).toBeLessThan(1e-12);

    for (let step = 0; step < 25; step++) {
      const a = wasm.trainStep(x, y, { learningRate: 0.05 });
      const b = js.trainStep(x, y, { learningRate: 0.05 });
      expect(relativeDifference([a], [b])).toBeLessThan(1e-12);
    }
    expect(relativeDifference(flat(wasm.getParameters()), flat(js.getParameters()))).toBeLessThan(1e-12);
    wasm.dispose();
  });
});

it("batches of different sizes reuse one network (its scratch grows, results stay right)", async () => {
  const spec = CASES[2]!.spec;
  const wasm = await Network.create({ ...spec, backend: "wasm" });
  const js = await Network.create({ ...spec, backend: "js" });
  const next = testRandom(8);
  for (const rows of [1, 40, 3, 100, 2]) {
    const x = randomMatrix(rows, spec.inputs, next);
    expect(relativeDifference(flat(wasm.predict(x)), flat(js.predict(x)))).toBeLessThan(1e-12);
  }
});

it("tiny layers (one loop nest in the core) give the kernels' bits, and rectifiers over lanes the scalar ones: without exp or tanh, Wasm equals JS exactly", async () => {
  const spec = {
    inputs: 2,
    layers: [
      { units: 3, activation: "leakyRelu" as const },
      { units: 2, activation: "relu" as const },
      { units: 2, activation: "linear" as const },
    ],
    loss: "mse" as const,
    seed: 6,
  };
  const wasm = await Network.create({ ...spec, backend: "wasm" });
  const js = await Network.create({ ...spec, backend: "js" });
  const next = testRandom(77);
  for (let step = 0; step < 20; step++) {
    const rows = 1 + (step % 3); // 2·3·rows ≤ 64 multiply-adds: the tiny path for every layer
    const x = randomMatrix(rows, 2, next),
      y = randomMatrix(rows, 2, next);
    expect(wasm.predict(x)).toEqual(js.predict(x));
    expect(wasm.gradients(x, y)).toEqual(js.gradients(x, y));
    expect(wasm.trainStep(x, y, { learningRate: 0.1 })).toBe(js.trainStep(x, y, { learningRate: 0.1 }));
  }
  expect(wasm.getParameters()).toEqual(js.getParameters());
  const big = randomMatrix(41, 2, next); // 41 rows: the kernels, and the rectifiers over f64x2 lanes with a scalar tail
  expect(wasm.predict(big)).toEqual(big.map((row) => wasm.predict([row])[0]));
  const bigY = randomMatrix(41, 2, next);
  expect(wasm.predict(big)).toEqual(js.predict(big));
  expect(wasm.gradients(big, bigY)).toEqual(js.gradients(big, bigY));
});

it.each(["rmsprop", "adagrad", "adamw"] as const)(
  "wasm = js: fit with %s, dropout, l1, clipping and a schedule agrees to 1e-12",
  async (optimizer) => {
    const spec = {
      inputs: 4,
      layers: [
        { units: 8, activation: "silu" as const, dropout: 0.2 },
        { units: 3, activation: "softmax" as const },
      ],
      loss: "crossEntropy" as const,
      seed: 9,
    };
    const next = testRandom(44);
    const x = randomMatrix(30, 4, () => next(-3, 3));
    const y = x.map((r) => [0, 1, 2].map((k) => (k === (r[0]! > 0 ? 0 : r[1]! > 0 ? 1 : 2) ? 1 : 0)));
    const results = [];
    for (const backend of ["wasm", "js"] as const) {
      const net = await Network.create({ ...spec, backend });
      const history = await net.fit(x, y, {
        epochs: 5,
        batchSize: 7,
        optimizer,
        learningRate: 0.03,
        l1: 1e-3,
        clipGradientNorm: 2,
        learningRateSchedule: { name: "exponential", gamma: 0.8 },
      });
      results.push({ loss: history.loss, parameters: flat(net.getParameters()), state: net.toJSON().optimizer!.state });
    }
    expect(relativeDifference(results[0]!.loss, results[1]!.loss)).toBeLessThan(1e-12);
    expect(relativeDifference(results[0]!.parameters, results[1]!.parameters)).toBeLessThan(1e-12);
    expect(relativeDifference(results[0]!.state, results[1]!.state)).toBeLessThan(1e-12);
  },
);
