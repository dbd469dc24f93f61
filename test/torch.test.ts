// The toolbox against PyTorch's own numbers (test/fixtures/torch/torch_fixtures.json, written by
// make_torch_fixtures.py with torch 1.13 in float64): the new activations and their derivatives,
// Huber and L1 losses, and runs of torch.optim's RMSprop, Adagrad, AdamW, SGD with L1 and
// clip_grad_norm_, and the four schedulers, on both backends.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Activation, FitOptions, LayerParameters, LossOption } from "../src/index.js";
import { BACKENDS, flat, relativeDifference } from "./backends.js";

interface Fixture {
  activations: Record<string, { z: number[]; a: number[]; derivative: number[] }>;
  losses: { o: number[][]; t: number[][] } & Record<string, { loss: number; gradient: number[][] }>;
  network: { x: number[][]; y: number[][]; parameters: LayerParameters[] };
  optimizers: Record<
    string,
    { options: Partial<FitOptions>; torch: { parameters: LayerParameters[]; learningRates: number[] } }
  >;
}
const FIXTURE: Fixture = JSON.parse(
  readFileSync(new URL("./fixtures/torch/torch_fixtures.json", import.meta.url), "utf8"),
);

describe.each(BACKENDS)("$name backend", ({ create }) => {
  it.each(Object.keys(FIXTURE.activations))(
    "%s: a and da/dz equal torch's to 1e-15 (relative, or absolute below 1)",
    async (name) => {
      const { z, a, derivative } = FIXTURE.activations[name]!;
      const net = await create({ inputs: 1, layers: [{ units: 1, activation: name as Activation }], loss: "mse" });
      net.setParameters([{ weights: [[1]], biases: [0] }]);
      const close = (got: number, want: number) =>
        expect(Math.abs(got - want)).toBeLessThanOrEqual(2e-15 * Math.max(1, Math.abs(want)));
      net.predict(z.map((v) => [v])).forEach(([got], i) => close(got!, a[i]!));
      // dE/db of ½(a − (a − 1))² over one row is f′(z)
      z.forEach((v, i) => close(net.gradients([[v]], [[a[i]! - 1]])[0]!.biases[0]!, derivative[i]!));
    },
  );

  it.each([
    ["huber", "huber"],
    ["huber0.5", { name: "huber", delta: 0.5 }],
    ["mae", "mae"],
  ] as [string, LossOption][])(
    "%s: the loss and dE/do equal torch's (reduction sum, over the rows)",
    async (key, loss) => {
      const { o, t } = FIXTURE.losses;
      const expected = FIXTURE.losses[key]!;
      const net = await create({ inputs: 3, layers: [{ units: 3, activation: "linear" }], loss });
      net.setParameters([
        {
          weights: [
            [1, 0, 0],
            [0, 1, 0],
            [0, 0, 1],
          ],
          biases: [0, 0, 0],
        },
      ]);
      expect(net.loss(o, t)).toBeCloseTo(expected.loss, 14);
      // with W = I and b = 0, dE/db is Σ over the rows of dE/do
      const byOutput = [0, 1, 2].map((j) => expected.gradient.reduce((s, row) => s + row[j]!, 0));
      net.gradients(o, t)[0]!.biases.forEach((g, j) => expect(g).toBeCloseTo(byOutput[j]!, 15));
    },
  );

  it.each(Object.keys(FIXTURE.optimizers))(
    "%s: the parameters after torch.optim's full-batch steps, to 1e-12",
    async (key) => {
      const { options, torch } = FIXTURE.optimizers[key]!;
      const { x, y, parameters } = FIXTURE.network;
      const net = await create({
        inputs: 2,
        layers: [
          { units: 3, activation: "tanh" },
          { units: 1, activation: "linear" },
        ],
        loss: "mse",
      });
      net.setParameters(parameters);
      const history = await net.fit(x, y, {
        ...options,
        epochs: torch.learningRates.length,
        batchSize: x.length,
        shuffle: false,
      });
      expect(relativeDifference(flat(net.getParameters()), flat(torch.parameters))).toBeLessThan(1e-12);
      if (options.learningRateSchedule)
        expect(relativeDifference(history.learningRate!, torch.learningRates)).toBeLessThan(1e-15);
    },
  );
});
