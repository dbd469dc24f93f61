// The sigmoid and tanh layers over f64x2 lanes (two values at a time; e^x by assembly/exp.ts,
// std's algorithm and table) against the core's scalar path (one value at a time, Math.exp): the
// same bits for every z. A 1-1 network with weight 1 and bias 0 computes f(x) exactly from
// z = x; one row at a time it takes the scalar path (a tiny layer), many rows at once the lanes.
import { describe, expect, it } from "vitest";
import { Network } from "../src/index.js";
import { testRandom } from "./backends.js";

async function identityLayer(activation: "sigmoid" | "tanh"): Promise<Network> {
  const net = await Network.create({ inputs: 1, layers: [{ units: 1, activation }], loss: "mse", backend: "wasm" });
  net.setParameters([{ weights: [[1]], biases: [0] }]);
  return net;
}

const bits = (values: number[]) =>
  Array.from(new BigUint64Array(new Float64Array(values).buffer), (b) => b.toString(16));

/** |a − b| in units in the last place of b */
function ulps(a: number, b: number): number {
  if (a === b) return 0;
  const next = new Float64Array([Math.abs(b)]);
  new BigUint64Array(next.buffer)[0]! += 1n;
  return Math.abs(a - b) / (next[0]! - Math.abs(b));
}

// every table index of e^x (k mod 128 for k = round(x·128/ln 2)), both signs; the edges of exp's
// main range (|x| = 2^−54 and 512) and of tanh's two forms (|z| = 0.625); the far tails, where
// e^−|z| underflows; and a random spread
const LN2_128 = Math.LN2 / 128;
const Z: number[] = [
  ...Array.from({ length: 512 }, (_, j) => (j - 256) * LN2_128 * 1.5 + 1e-3),
  0,
  -0,
  2 ** -55,
  -(2 ** -55),
  2 ** -54,
  -(2 ** -54),
  2 ** -53,
  -(2 ** -53),
  5e-324,
  -5e-324,
  1e-8,
  -1e-8,
  0.625,
  -0.625,
  0.6249999999999999,
  -0.6249999999999999,
  0.3125,
  128,
  255.9,
  256,
  -256,
  256.1,
  511.999,
  -511.999,
  512,
  -512,
  512.001,
  -512.001,
  700,
  -700,
  709.8,
  -709.8,
  745.2,
  -745.2,
  800,
  -800,
  1e300,
  -1e300,
  ...(() => {
    const next = testRandom(2024);
    return Array.from({ length: 3001 }, (_, i) => (i % 3 === 0 ? next(-1, 1) : next(-40, 40)));
  })(),
];

const REFERENCE = {
  sigmoid: (z: number) => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z))),
  tanh: Math.tanh,
};

describe.each(["sigmoid", "tanh"] as const)("%s over f64x2 lanes", (activation) => {
  it("gives the scalar path's bits for every z (odd count: the last one takes the scalar tail)", async () => {
    const net = await identityLayer(activation);
    const lanes = net.predict(Z.map((z) => [z])).map(([a]) => a!);
    const scalar = Z.map((z) => net.predict([[z]])[0]![0]!);
    expect(bits(lanes)).toEqual(bits(scalar));
    net.dispose();
  });

  it("is within two units in the last place of the formula on JavaScript's Math", async () => {
    const net = await identityLayer(activation);
    const lanes = net.predict(Z.map((z) => [z])).map(([a]) => a!);
    const worst = Math.max(...Z.map((z, i) => ulps(lanes[i]!, REFERENCE[activation](z))));
    expect(worst).toBeLessThanOrEqual(2);
    net.dispose();
  });
});

it("exact values: σ(0) = ½, σ(±800) = 1 and 0; tanh(0) = 0, tanh(±25) = ±1, and tanh is odd", async () => {
  const sigmoid = await identityLayer("sigmoid");
  expect(sigmoid.predict([[0], [800], [-800]]).flat()).toEqual([0.5, 1, 0]);
  const tanh = await identityLayer("tanh");
  expect(tanh.predict([[0], [25], [-25]]).flat()).toEqual([0, 1, -1]);
  const magnitudes = Z.map(Math.abs).filter((z) => z > 0); // z = 0·1 + x turns −0 into 0
  const positive = tanh.predict(magnitudes.map((z) => [z])).flat();
  const negative = tanh.predict(magnitudes.map((z) => [-z])).flat();
  expect(bits(negative.map((v) => -v))).toEqual(bits(positive));
});
