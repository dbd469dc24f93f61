// The sigmoid layer over f64x2 lanes (assembly/exp.ts: e^x two at a time, std's algorithm and
// table) against the core's scalar sigmoid (Math.exp, one at a time): the same bits for every z.
// A 1-1 sigmoid network with weight 1 and bias 0 computes σ(x) exactly from z = x; one row at a
// time it takes the scalar path (a tiny layer), many rows at once the lanes.
import { describe, expect, it } from "vitest";
import { Network } from "../src/index.js";
import { testRandom } from "./backends.js";

async function identitySigmoid(): Promise<Network> {
  const net = await Network.create({ inputs: 1, layers: [{ units: 1, activation: "sigmoid" }], loss: "mse", backend: "wasm" });
  net.setParameters([{ weights: [[1]], biases: [0] }]);
  return net;
}

const bits = (values: number[]) => Array.from(new BigUint64Array(new Float64Array(values).buffer), (b) => b.toString(16));

// every table index (k mod 128 for k = round(z·128/ln 2)), both signs; the edges of the main
// range (|z| = 2^−54 and 512); the far tails, where e^−|z| underflows; and a random spread
const LN2_128 = Math.LN2 / 128;
const Z: number[] = [
  ...Array.from({ length: 512 }, (_, j) => (j - 256) * LN2_128 * 1.5 + 1e-3),
  0, -0, 2 ** -55, -(2 ** -55), 2 ** -54, -(2 ** -54), 2 ** -53, -(2 ** -53), 5e-324, -5e-324,
  511.999, -511.999, 512, -512, 512.001, -512.001, 700, -700, 709.8, -709.8, 745.2, -745.2, 800, -800, 1e300, -1e300,
  ...(() => {
    const next = testRandom(2024);
    return Array.from({ length: 3001 }, () => next(-40, 40));
  })(),
];

describe("sigmoid over f64x2 lanes", () => {
  it("gives the scalar sigmoid's bits for every z (odd count: the last one takes the scalar tail)", async () => {
    const net = await identitySigmoid();
    const lanes = net.predict(Z.map((z) => [z])).map(([a]) => a!);
    const scalar = Z.map((z) => net.predict([[z]])[0]![0]!);
    expect(bits(lanes)).toEqual(bits(scalar));
    net.dispose();
  });

  it("is σ(z) = 1/(1 + e^−z): within two units in the last place of JavaScript's Math.exp formula, and exactly 0, ½, 1 where they must be", async () => {
    const net = await identitySigmoid();
    const lanes = net.predict(Z.map((z) => [z])).map(([a]) => a!);
    Z.forEach((z, i) => {
      const reference = z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
      expect(Math.abs(lanes[i]! - reference)).toBeLessThanOrEqual(2 * Number.EPSILON * Math.max(reference, Number.MIN_VALUE));
    });
    const at = (z: number) => lanes[Z.indexOf(z)];
    expect(at(0)).toBe(0.5);
    expect(at(800)).toBe(1);
    expect(at(-800)).toBe(0);
    net.dispose();
  });
});
