// toJSON / fromJSON: an exact round trip, through a JSON string, on either backend.
import { describe, expect, it } from "vitest";
import { Network, ShapeError } from "../src/index.js";
import { BACKENDS, randomMatrix, testRandom } from "./backends.js";

const spec = {
  inputs: 4,
  layers: [{ units: 6, activation: "tanh" as const, trainBias: false }, { units: 3, activation: "softmax" as const }],
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
});
