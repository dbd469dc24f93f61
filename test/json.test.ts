// toJSON / fromJSON: an exact round trip, through a JSON string, on either backend.
import { describe, expect, it } from "vitest";
import { Network, ShapeError } from "../src/index.js";
import { BACKENDS, randomMatrix, testRandom } from "./backends.js";

const spec = {
  inputs: 4,
  layers: [
    { units: 6, activation: "tanh" as const, trainBias: false },
    { units: 3, activation: "softmax" as const },
  ],
  loss: "crossEntropy" as const,
  seed: 21,
};

describe.each(BACKENDS)("$name backend", ({ name, create }) => {
  it("predictions are bit-identical after a reload from the JSON string, on both backends", async () => {
    const net = await create(spec);
    const next = testRandom(4);
    const x = randomMatrix(10, 4, next);
    const y = x.map((_, i) => [0, 1, 2].map((k) => (k === i % 3 ? 1 : 0)));
    for (let i = 0; i < 30; i++) net.trainStep(x, y, { learningRate: 0.3 });
    const text = JSON.stringify(net);
    for (const backend of ["wasm", "js"] as const) {
      const copy = await Network.fromJSON(text, { backend });
      expect(copy.getParameters()).toEqual(net.getParameters());
      expect(copy.spec).toEqual({ ...spec, layers: [spec.layers[0], { ...spec.layers[1], trainBias: true }] });
      if (backend === name) expect(copy.predict(x)).toEqual(net.predict(x));
    }
  });

  it("rejects what toJSON did not write, before building anything", async () => {
    const json = (await create(spec)).toJSON();
    await expect(Network.fromJSON({ ...json, format: "other" } as never)).rejects.toThrow(TypeError);
    await expect(Network.fromJSON({ ...json, version: 2 } as never)).rejects.toThrow(/version 2/);
    const short = { ...json, parameters: json.parameters.slice(1) };
    await expect(Network.fromJSON(short)).rejects.toThrow(ShapeError);
    const nan = JSON.parse(JSON.stringify(json));
    nan.parameters[1].biases[0] = null;
    await expect(Network.fromJSON(nan)).rejects.toThrow(/parameters\[1\]\.biases\[0\] is null/);
  });

  it("rejects a damaged optimizer state or generator state", async () => {
    const net = await create(spec);
    await net.fit([[1, 2, 3, 4]], [[0, 1, 0]], { epochs: 2, optimizer: "adam" });
    const json = net.toJSON();
    expect(json.optimizer).toMatchObject({ name: "adam", steps: 2 });
    expect(json.optimizer!.state).toHaveLength(2 * (4 * 6 + 6 + 6 * 3 + 3));
    const short = { ...json, optimizer: { ...json.optimizer!, state: json.optimizer!.state.slice(1) } };
    await expect(Network.fromJSON(short)).rejects.toThrow(/fromJSON: optimizer\.state has 101 values; expected 102/);
    await expect(
      Network.fromJSON({ ...json, optimizer: { ...json.optimizer!, steps: null as never } }),
    ).rejects.toThrow(/optimizer\.steps is null/);
    await expect(Network.fromJSON({ ...json, optimizer: { ...json.optimizer!, beta1: 1 } })).rejects.toThrow(
      /beta1 is 1; expected a number in \[0, 1\)/,
    );
    await expect(Network.fromJSON({ ...json, rng: -1 })).rejects.toThrow(
      /rng is -1; expected an unsigned 32-bit integer/,
    );
  });
});

describe.each(BACKENDS)("$name backend: the new optimizers' state", ({ create }) => {
  const small = {
    inputs: 2,
    layers: [
      { units: 3, activation: "gelu" as const, dropout: 0.2 },
      { units: 1, activation: "linear" as const },
    ],
    loss: "huber" as const,
    seed: 4,
  };
  const next = testRandom(6);
  const x = randomMatrix(12, 2, next),
    y = randomMatrix(12, 1, next);
  it.each([
    { name: "rmsprop", momentum: 0.5, centered: true },
    { name: "adagrad", lrDecay: 0.01, initialAccumulatorValue: 0.1 },
    { name: "adamw" },
  ] as const)(
    "$name: a model saved mid-training resumes bit-identically (with l1, clipping and a schedule)",
    async (optimizer) => {
      const options = {
        epochs: 3,
        batchSize: 4,
        optimizer,
        learningRate: 0.02,
        l1: 1e-3,
        clipGradientNorm: 0.5,
      } as const;
      const whole = await create(small),
        first = await create(small);
      const all = await whole.fit(x, y, { ...options, epochs: 6 });
      const h1 = await first.fit(x, y, options);
      const resumed = await Network.fromJSON(JSON.stringify(first), { backend: first.backendKind });
      const h2 = await resumed.fit(x, y, options);
      expect([...h1.loss, ...h2.loss]).toEqual(all.loss);
      expect(resumed.getParameters()).toEqual(whole.getParameters());
      expect(resumed.toJSON()).toEqual(whole.toJSON());
    },
  );

  it("fromJSON refuses a negative mean square (rmsprop) or sum of squares (adagrad), and an unknown hyperparameter", async () => {
    for (const optimizer of ["rmsprop", "adagrad"] as const) {
      const net = await create(small);
      await net.fit(x, y, { epochs: 1, optimizer });
      const json = net.toJSON();
      const state = [...json.optimizer!.state];
      state[0] = -1e-3;
      await expect(Network.fromJSON({ ...json, optimizer: { ...json.optimizer!, state } })).rejects.toThrow(
        /optimizer\.state\[0\] \(a (mean square|sum of squares)\) is -0\.001; expected ≥ 0/,
      );
      await expect(Network.fromJSON({ ...json, optimizer: { ...json.optimizer!, beta1: 0.5 } })).rejects.toThrow(
        /unknown key "beta1"/,
      );
    }
  });

  it("reads a file written before the descriptors (every optimizer's hyperparameters in one object)", async () => {
    const net = await create({ inputs: 2, layers: [{ units: 1, activation: "linear" }], loss: "mse", seed: 1 });
    await net.fit([[1, 2]], [[0.5]], { epochs: 2, optimizer: "adam" });
    const json = net.toJSON();
    // the shape e34b6db wrote: momentum and nesterov beside Adam's own
    const legacy = { ...json, optimizer: { ...json.optimizer!, momentum: 0, nesterov: false } };
    delete (legacy.optimizer as Record<string, unknown>).l1;
    delete (legacy.optimizer as Record<string, unknown>).clipGradientNorm;
    expect((await Network.fromJSON(legacy)).toJSON()).toEqual(json);
    await expect(Network.fromJSON({ ...legacy, optimizer: { ...legacy.optimizer, momentum: 0.5 } })).rejects.toThrow(
      /unknown key "momentum"/,
    );
  });
});
