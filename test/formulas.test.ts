// Every activation and loss against its formula, written here independently of the library.
import { describe, expect, it } from "vitest";
import { BACKENDS } from "./backends.js";
import type { Activation } from "../src/index.js";

const sigma = (z: number) => 1 / (1 + Math.exp(-z));
const ACTIVATION_FORMULAS: Record<Exclude<Activation, "softmax">, (z: number) => number> = {
  linear: (z) => z,
  sigmoid: sigma,
  tanh: Math.tanh,
  relu: (z) => Math.max(0, z),
  leakyRelu: (z) => (z > 0 ? z : 0.01 * z),
};
const softmaxOf = (z: number[]) => {
  const e = z.map(Math.exp);
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
};

// a single layer with W = I and bias b, so that z = x + b
const identity = [[1, 0, 0], [0, 1, 0], [0, 0, 1]];
const bias = [0.1, -0.2, 0.3];
const x = [[-2, 0.5, 3], [0, -0.7, 1.5], [-0.1, 0.2, -0.3]];
const z = x.map((row) => row.map((v, j) => v + bias[j]!));

function expectClose(actual: number[][], expected: number[][], tolerance = 1e-14) {
  actual.flat().forEach((v, i) => {
    const e = expected.flat()[i]!;
    expect(Math.abs(v - e)).toBeLessThanOrEqual(tolerance * Math.max(1, Math.abs(e)));
  });
}

describe.each(BACKENDS)("$name backend", ({ create }) => {
  const layer = (activation: Activation) => create({ inputs: 3, layers: [{ units: 3, activation }], loss: "mse" });

  it.each(Object.keys(ACTIVATION_FORMULAS) as (keyof typeof ACTIVATION_FORMULAS)[])("%s: a = f(W·x + b)", async (name) => {
    const net = await layer(name);
    net.setParameters([{ weights: identity, biases: bias }]);
    expectClose(net.predict(x), z.map((row) => row.map(ACTIVATION_FORMULAS[name])));
  });

  it("softmax: aⱼ = e^zⱼ / Σₖ e^zₖ, rows summing to 1", async () => {
    const net = await layer("softmax");
    net.setParameters([{ weights: identity, biases: bias }]);
    const out = net.predict(x);
    expectClose(out, z.map(softmaxOf));
    for (const row of out) expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 15);
  });

  it("softmax and sigmoid stay finite for huge net inputs", async () => {
    const soft = await layer("softmax");
    soft.setParameters([{ weights: identity, biases: [0, 0, 0] }]);
    expect(soft.predict([[1000, 0, -1000]])).toEqual([[1, 0, 0]]);
    const sig = await layer("sigmoid");
    sig.setParameters([{ weights: identity, biases: [0, 0, 0] }]);
    expect(sig.predict([[-800, 0, 800]])).toEqual([[0, 0.5, 1]]);
  });

  it("mse: E = ½ Σₖ (tₖ − oₖ)² per row, averaged over rows", async () => {
    const net = await layer("linear");
    net.setParameters([{ weights: identity, biases: bias }]);
    const y = [[1, 2, 3], [0, 0, 0], [-1, 0.5, 0.25]];
    const perRow = z.map((o, i) => 0.5 * o.reduce((s, oj, j) => s + (y[i]![j]! - oj) ** 2, 0));
    expect(net.loss(x, y)).toBeCloseTo(perRow.reduce((a, b) => a + b, 0) / 3, 14);
  });

  it("crossEntropy: E = −Σₖ tₖ log oₖ on a softmax output", async () => {
    const net = await create({ inputs: 3, layers: [{ units: 3, activation: "softmax" }], loss: "crossEntropy" });
    net.setParameters([{ weights: identity, biases: bias }]);
    const y = [[0, 0, 1], [0.2, 0.3, 0.5], [1, 0, 0]];
    const perRow = z.map((zi, i) => -softmaxOf(zi).reduce((s, o, j) => s + y[i]![j]! * Math.log(o), 0));
    expect(net.loss(x, y)).toBeCloseTo(perRow.reduce((a, b) => a + b, 0) / 3, 14);
  });

  it("crossEntropy stays finite where the output underflows to 0", async () => {
    const net = await create({ inputs: 3, layers: [{ units: 3, activation: "softmax" }], loss: "crossEntropy" });
    net.setParameters([{ weights: identity, biases: [0, 0, 0] }]);
    // o = softmax(1000, 0, −1000) = (1, 0, 0) in floating point; E = −log o₂ = 1000 exactly in reals
    expect(net.loss([[1000, 0, -1000]], [[0, 1, 0]])).toBeCloseTo(1000, 9);
  });

  it("binaryCrossEntropy: E = −Σₖ [tₖ log oₖ + (1 − tₖ) log(1 − oₖ)] on a sigmoid output", async () => {
    const net = await create({ inputs: 3, layers: [{ units: 3, activation: "sigmoid" }], loss: "binaryCrossEntropy" });
    net.setParameters([{ weights: identity, biases: bias }]);
    const y = [[0, 1, 0.5], [1, 1, 0], [0.25, 0, 1]];
    const perRow = z.map((zi, i) =>
      -zi.reduce((s, zj, j) => s + y[i]![j]! * Math.log(sigma(zj)) + (1 - y[i]![j]!) * Math.log(1 - sigma(zj)), 0),
    );
    expect(net.loss(x, y)).toBeCloseTo(perRow.reduce((a, b) => a + b, 0) / 3, 14);
  });

  it("binaryCrossEntropy stays finite where σ rounds to 0 or 1", async () => {
    const net = await create({ inputs: 1, layers: [{ units: 1, activation: "sigmoid" }], loss: "binaryCrossEntropy" });
    net.setParameters([{ weights: [[1]], biases: [0] }]);
    // E = −log(1 − σ(800)) = log(1 + e^800) = 800 + log1p(e^−800) = 800 in floating point
    expect(net.loss([[800]], [[0]])).toBe(800);
    expect(net.loss([[-800]], [[0]])).toBe(0);
  });
});
