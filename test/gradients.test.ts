// Finite-difference checks: the analytic dE/dθ against (E(θ+h) − E(θ−h)) / 2h for every
// hidden activation × output activation × loss that fit together.
import { describe, expect, it } from "vitest";
import {
  ACTIVATIONS,
  type Activation,
  type LayerParameters,
  type Loss,
  type LossOption,
  type Network,
} from "../src/index.js";
import { BACKENDS, flat, randomMatrix, testRandom } from "./backends.js";

const OUTPUTS: { output: Activation; loss: LossOption }[] = [
  ...ACTIVATIONS.map((output) => ({ output, loss: "mse" as Loss })),
  { output: "softmax", loss: "crossEntropy" },
  { output: "sigmoid", loss: "binaryCrossEntropy" },
  { output: "linear", loss: { name: "huber", delta: 0.3 } },
  { output: "tanh", loss: "huber" },
  { output: "linear", loss: "mae" },
];

function targets(loss: LossOption, rows: number, cols: number, next: (lo?: number, hi?: number) => number): number[][] {
  if (typeof loss === "object" || loss === "mse" || loss === "huber" || loss === "mae")
    return randomMatrix(rows, cols, () => next(-1, 1));
  if (loss === "binaryCrossEntropy") return randomMatrix(rows, cols, () => next(0, 1));
  return randomMatrix(rows, cols, () => next(0.05, 1)).map((row) => {
    const s = row.reduce((a, b) => a + b, 0);
    return row.map((v) => v / s);
  });
}

// replaces parameter number `index` (in getParameters order) by `value`
function withParameter(params: LayerParameters[], index: number, value: number): LayerParameters[] {
  let i = 0;
  return params.map((p) => ({
    weights: p.weights.map((row) => row.map((w) => (i++ === index ? value : w))),
    biases: p.biases.map((b) => (i++ === index ? value : b)),
  }));
}

// Relative error per parameter, |a − n| / (|a| + |n|), floored at 1e-3 of the largest gradient:
// the central difference itself is only good to about ε·E/h ≈ 1e-11, which is a large share
// of a gradient element near 0.
function worstRelativeError(net: Network, x: number[][], y: number[][]): number {
  const params = net.getParameters();
  const analytic = flat(net.gradients(x, y));
  const floor = 1e-3 * Math.max(...analytic.map(Math.abs));
  const theta = flat(params);
  let worst = 0;
  theta.forEach((t, i) => {
    const h = 1e-5 * Math.max(1, Math.abs(t));
    net.setParameters(withParameter(params, i, t + h));
    const up = net.loss(x, y);
    net.setParameters(withParameter(params, i, t - h));
    const down = net.loss(x, y);
    const numeric = (up - down) / (2 * h);
    const a = analytic[i]!;
    worst = Math.max(worst, Math.abs(a - numeric) / Math.max(Math.abs(a) + Math.abs(numeric), floor));
  });
  net.setParameters(params);
  return worst;
}

describe.each(BACKENDS)("$name backend", ({ create }) => {
  describe.each(OUTPUTS.map((o) => ({ ...o, name: JSON.stringify(o.loss) })))(
    "output $output with $name",
    ({ output, loss }) => {
      it.each(ACTIVATIONS)("hidden %s: analytic gradient = central difference (rel. error < 1e-6)", async (hidden) => {
        const next = testRandom(
          ACTIVATIONS.indexOf(hidden) * 31 + OUTPUTS.findIndex((o) => o.output === output && o.loss === loss),
        );
        // (mae: |e| has a kink at 0; the random targets keep every e away from it)
        const net = await create({
          inputs: 3,
          layers: [
            { units: 4, activation: hidden },
            { units: 3, activation: output },
          ],
          loss,
          seed: 11,
        });
        const x = randomMatrix(5, 3, () => next(-1.5, 1.5));
        expect(worstRelativeError(net, x, targets(loss, 5, 3, next))).toBeLessThan(1e-6);
        net.dispose();
      });
    },
  );

  it("three hidden layers of different sizes and activations", async () => {
    const next = testRandom(99);
    const net = await create({
      inputs: 4,
      layers: [
        { units: 5, activation: "tanh" },
        { units: 3, activation: "leakyRelu" },
        { units: 6, activation: "sigmoid" },
        { units: 2, activation: "softmax" },
      ],
      loss: "crossEntropy",
      seed: 5,
    });
    const x = randomMatrix(7, 4, next);
    expect(worstRelativeError(net, x, targets("crossEntropy", 7, 2, next))).toBeLessThan(1e-6);
  });

  it("a layer with trainBias false still reports dE/db (only its update is skipped)", async () => {
    const net = await create({
      inputs: 2,
      layers: [{ units: 2, activation: "sigmoid", trainBias: false }],
      loss: "mse",
      seed: 3,
    });
    const x = [[0.3, -0.2]],
      y = [[0.1, 0.9]];
    expect(worstRelativeError(net, x, y)).toBeLessThan(1e-6);
    const before = net.getParameters()[0]!.biases;
    net.trainStep(x, y, { learningRate: 0.5 });
    expect(net.getParameters()[0]!.biases).toEqual(before);
  });
});
