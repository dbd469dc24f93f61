// Per-layer inverted dropout: in fit and trainStep only, masks from the network's seeded
// generator (one uniform per output, row-major, kept where u ≥ p and scaled by 1/(1 − p)),
// Wasm equal to JS bit for bit; predict, loss, evaluate, gradients and explain unaffected.
import { describe, expect, it } from "vitest";
import { DivergenceError, Network, Random, type NetworkSpec } from "../src/index.js";
import { BACKENDS, flat, randomMatrix, testRandom } from "./backends.js";

const spec: Omit<NetworkSpec, "backend"> = {
  inputs: 3,
  layers: [
    { units: 6, activation: "relu", dropout: 0.3 },
    { units: 4, activation: "linear", dropout: 0.5 },
    { units: 2, activation: "linear" },
  ],
  loss: "mse",
  seed: 5,
};
const next = testRandom(8);
const x = randomMatrix(10, 3, next),
  y = randomMatrix(10, 2, next);

describe.each(BACKENDS)("$name backend", ({ create }) => {
  it("one trainStep equals the step worked by hand with the generator's masks", async () => {
    // 2 → 3 linear (dropout p = 0.5) → 1 linear, mse, one row: o = W2·(a ⊙ m) + b2, a = W1·x + b1
    const net = await create({
      inputs: 2,
      layers: [
        { units: 3, activation: "linear", dropout: 0.5 },
        { units: 1, activation: "linear" },
      ],
      loss: "mse",
      seed: 3,
    });
    const W1 = [
        [0.1, -0.2],
        [0.3, 0.4],
        [-0.5, 0.6],
      ],
      b1 = [0.05, -0.05, 0.1],
      W2 = [[0.7, -0.8, 0.9]],
      b2 = [0.2];
    net.setParameters([
      { weights: W1, biases: b1 },
      { weights: W2, biases: b2 },
    ]);
    const xi = [0.5, -1.5],
      t = 0.25,
      lr = 0.1;
    const random = new Random(0);
    random.state = net.toJSON().rng;
    const m = [0, 1, 2].map(() => (random.uniform() >= 0.5 ? 1 / (1 - 0.5) : 0));
    const a = W1.map((row, j) => row[0]! * xi[0]! + row[1]! * xi[1]! + b1[j]!);
    const o = W2[0]!.reduce((s, w, j) => s + w * a[j]! * m[j]!, b2[0]!);
    const loss = net.trainStep([xi], [[t]], { learningRate: lr });
    expect(loss).toBeCloseTo(0.5 * (o - t) ** 2, 15);
    const d = o - t; // dE/do
    const expected = [
      ...W1.flatMap((row, j) => row.map((w, k) => w - lr * d * W2[0]![j]! * m[j]! * xi[k]!)),
      ...b1.map((b, j) => b - lr * d * W2[0]![j]! * m[j]!),
      ...W2[0]!.map((w, j) => w - lr * d * a[j]! * m[j]!),
      b2[0]! - lr * d,
    ];
    flat(net.getParameters()).forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 15));
    expect(m.some((v) => v === 0) && m.some((v) => v === 2)).toBe(true); // this seed drops some and keeps some
    expect(net.toJSON().rng).toBe(random.state);
  });

  it("predict, loss, evaluate, gradients and explain are those of the network without dropout, and draw nothing", async () => {
    const dropping = await create(spec);
    const plain = await create({
      ...spec,
      layers: spec.layers.map(({ units, activation }) => ({ units, activation })),
    });
    expect(dropping.getParameters()).toEqual(plain.getParameters());
    const rng = dropping.toJSON().rng;
    expect(dropping.predict(x)).toEqual(plain.predict(x));
    expect(dropping.loss(x, y)).toBe(plain.loss(x, y));
    expect(dropping.evaluate(x, y)).toEqual(plain.evaluate(x, y));
    expect(dropping.gradients(x, y)).toEqual(plain.gradients(x, y));
    expect(dropping.explain([x[0]!], [y[0]!], { learningRate: 0.1 })).toEqual(
      plain.explain([x[0]!], [y[0]!], { learningRate: 0.1 }),
    );
    expect(dropping.toJSON().rng).toBe(rng);
    expect(dropping.spec.layers.map((l) => l.dropout)).toEqual([0.3, 0.5, undefined]);
  });

  it("a trainStep that fails leaves the generator as it was", async () => {
    const net = await create(spec);
    const before = net.toJSON();
    expect(() => net.trainStep([[1e300, 1e300, 1e300]], [[0, 0]], { learningRate: 1e300 })).toThrow(DivergenceError);
    expect(net.toJSON()).toEqual(before);
  });

  it("bad dropout values are refused by name; none on the output layer", async () => {
    await expect(
      create({
        ...spec,
        layers: [
          { units: 2, activation: "relu", dropout: 1 },
          { units: 1, activation: "linear" },
        ],
      }),
    ).rejects.toThrow(/layers\[0\]\.dropout is 1; expected a number in \[0, 1\)/);
    await expect(
      create({
        ...spec,
        layers: [
          { units: 2, activation: "relu", dropout: "0.2" as never },
          { units: 1, activation: "linear" },
        ],
      }),
    ).rejects.toThrow(TypeError);
    await expect(create({ ...spec, layers: [{ units: 2, activation: "linear", dropout: 0.2 }] })).rejects.toThrow(
      /on the output layer/,
    );
  });
});

it("Wasm and JS fits with dropout are bit-identical (relu and linear layers, shuffled, sgd), and deterministic", async () => {
  const results = [];
  for (const backend of ["wasm", "js", "wasm"] as const) {
    const net = await Network.create({ ...spec, backend });
    const history = await net.fit(x, y, { epochs: 4, batchSize: 3, optimizer: "sgd", learningRate: 0.05 });
    results.push({ history, parameters: net.getParameters(), rng: net.toJSON().rng });
  }
  expect(results[1]).toEqual(results[0]);
  expect(results[2]).toEqual(results[0]);
});

it("dropout's memory is counted: a dropout layer's batch block holds 5 values per unit and row, not 3", async () => {
  const { batchBytes } = await import("../src/capacity.js");
  const { makePlan } = await import("../src/plan.js");
  const plan = makePlan({
    inputs: 2,
    layers: [
      { units: 10, activation: "relu", dropout: 0.1 },
      { units: 1, activation: "linear" },
    ],
    loss: "mse",
  });
  expect(batchBytes(plan, 7)).toBe(8 * 7 * (2 + 1 + 5 * 10 + 3 * 1));
});
