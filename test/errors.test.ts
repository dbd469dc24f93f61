// Bad input: a named error that says what was given and what was expected, thrown before the
// core is touched (predict's Float64Array values: after its pass, which writes only scratch),
// leaving the network as it was.
import { describe, expect, it } from "vitest";
import { DisposedError, DivergenceError, Network, NonFiniteError, ShapeError, type NetworkSpec } from "../src/index.js";
import { BACKENDS } from "./backends.js";
import { chunkRows } from "../src/capacity.js";
import { makePlan } from "../src/plan.js";

const spec: Omit<NetworkSpec, "backend"> = {
  inputs: 2,
  layers: [
    { units: 3, activation: "tanh" },
    { units: 2, activation: "sigmoid" },
  ],
  loss: "mse",
  seed: 1,
};
const x = [
  [0.1, 0.2],
  [0.3, -0.4],
];
const y = [
  [0, 1],
  [1, 0],
];
const lr = { learningRate: 0.1 };

describe.each(BACKENDS)("$name backend", ({ create }) => {
  describe("the spec", () => {
    it.each([
      [
        "unknown activation",
        { layers: [{ units: 2, activation: "swish" }] },
        TypeError,
        /layers\[0\]\.activation is "swish"; expected one of "linear", "sigmoid"/,
      ],
      ["unknown loss", { loss: "hinge" }, TypeError, /loss is "hinge"; expected one of "mse"/],
      [
        "a layer of 0 units",
        {
          layers: [
            { units: 0, activation: "relu" },
            { units: 2, activation: "sigmoid" },
          ],
        },
        ShapeError,
        /layers\[0\]\.units is 0; expected a positive integer/,
      ],
      ["fractional units", { layers: [{ units: 2.5, activation: "relu" }] }, ShapeError, /units is 2\.5/],
      ["no layers", { layers: [] }, ShapeError, /layers is empty/],
      ["0 inputs", { inputs: 0 }, ShapeError, /inputs is 0; expected a positive integer/],
      [
        "crossEntropy on a sigmoid output",
        { loss: "crossEntropy" },
        TypeError,
        /loss "crossEntropy" needs a "softmax" output layer; the last layer is "sigmoid"/,
      ],
      [
        "binaryCrossEntropy on a softmax output",
        { loss: "binaryCrossEntropy", layers: [{ units: 2, activation: "softmax" }] },
        TypeError,
        /needs a "sigmoid" output layer/,
      ],
      [
        "a 1-unit softmax output",
        { layers: [{ units: 1, activation: "softmax" }] },
        ShapeError,
        /softmax needs at least 2/,
      ],
      ["a negative seed", { seed: -1 }, TypeError, /seed is -1; expected an integer from 0 to 4294967295/],
      [
        "trainBias not a boolean",
        { layers: [{ units: 2, activation: "relu", trainBias: "no" }] },
        TypeError,
        /trainBias is "no"; expected true or false/,
      ],
    ])("%s", async (_, change, type, message) => {
      const bad = create({ ...spec, ...change } as NetworkSpec);
      await expect(bad).rejects.toThrow(type);
      await expect(bad).rejects.toThrow(message);
    });

    it("an unknown backend", async () => {
      await expect(Network.create({ ...spec, backend: "gpu" as never })).rejects.toThrow(
        /backend is "gpu"; expected one of "wasm", "js"/,
      );
    });
  });

  describe("calls on a network, which stays unchanged", () => {
    const cases: [string, (net: Network) => unknown, new (...args: never[]) => Error, RegExp][] = [
      [
        "a row of the wrong width",
        (n) => n.predict([[1, 2, 3]]),
        ShapeError,
        /predict: x\[0\] has 3 values; expected 2/,
      ],
      [
        "ragged rows",
        (n) => n.trainStep([[1, 2], [3]], y, lr),
        ShapeError,
        /trainStep: x\[1\] has 1 values; expected 2/,
      ],
      [
        "a Float64Array that is not rows×inputs",
        (n) => n.predict(new Float64Array(3)),
        ShapeError,
        /length 3; expected rows×2 values/,
      ],
      ["no rows", (n) => n.predict([]), ShapeError, /predict: x has no rows/],
      [
        "x and y of different row counts",
        (n) => n.trainStep(x, [[0, 1]], lr),
        ShapeError,
        /x has 2 rows and y has 1; expected the same number/,
      ],
      ["targets of the wrong width", (n) => n.loss(x, [[1], [0]]), ShapeError, /loss: y\[0\] has 1 values; expected 2/],
      [
        "NaN in the inputs",
        (n) =>
          n.trainStep(
            [
              [0.1, NaN],
              [0, 0],
            ],
            y,
            lr,
          ),
        NonFiniteError,
        /trainStep: x\[0\]\[1\] is NaN; expected a finite number/,
      ],
      [
        "Infinity in a Float64Array",
        (n) => n.predict(Float64Array.of(1, 2, Infinity, 0)),
        NonFiniteError,
        /x\[1\]\[0\] is Infinity/,
      ],
      [
        "-Infinity in the targets",
        (n) =>
          n.gradients(x, [
            [0, 1],
            [-Infinity, 0],
          ]),
        NonFiniteError,
        /gradients: y\[1\]\[0\] is -Infinity/,
      ],
      [
        "a string among the inputs",
        (n) => n.predict([[1, "2" as never]]),
        TypeError,
        /x\[0\]\[1\] is "2"; expected a number/,
      ],
      [
        "inputs that are not rows",
        (n) => n.predict("0.1, 0.2" as never),
        TypeError,
        /predict: x is "0.1, 0.2"; expected number\[\]\[\] rows or a Float64Array/,
      ],
      [
        "a learning rate of 0",
        (n) => n.trainStep(x, y, { learningRate: 0 }),
        RangeError,
        /learningRate is 0; expected a finite number > 0/,
      ],
      [
        "a negative learning rate",
        (n) => n.trainStep(x, y, { learningRate: -0.1 }),
        RangeError,
        /learningRate is -0\.1/,
      ],
      ["a NaN learning rate", (n) => n.trainStep(x, y, { learningRate: NaN }), RangeError, /learningRate is NaN/],
      [
        "no learning rate",
        (n) => n.trainStep(x, y, {} as never),
        TypeError,
        /learningRate is undefined; expected a number > 0/,
      ],
      [
        "parameters with a layer missing",
        (n) => n.setParameters(n.getParameters().slice(1)),
        ShapeError,
        /setParameters has 1 layers; expected 2/,
      ],
      [
        "weights of the wrong shape",
        (n) => n.setParameters([{ weights: [[1, 2]], biases: [0, 0, 0] }, n.getParameters()[1]!]),
        ShapeError,
        /setParameters\[0\]\.weights has 1 rows; expected 3/,
      ],
      [
        "a weight row of the wrong width",
        (n) => n.setParameters([{ weights: [[1], [2], [3]], biases: [0, 0, 0] }, n.getParameters()[1]!]),
        ShapeError,
        /setParameters\[0\]\.weights\[0\] has 1 values; expected 2/,
      ],
      [
        "biases of the wrong length",
        (n) =>
          n.setParameters([
            n.getParameters()[0]!,
            {
              weights: [
                [1, 2, 3],
                [4, 5, 6],
              ],
              biases: [0],
            },
          ]),
        ShapeError,
        /setParameters\[1\]\.biases has 1 values; expected 2/,
      ],
      [
        "a NaN parameter",
        (n) =>
          n.setParameters([
            n.getParameters()[0]!,
            {
              weights: [
                [1, 2, 3],
                [4, NaN, 6],
              ],
              biases: [0, 0],
            },
          ]),
        NonFiniteError,
        /setParameters\[1\]\.weights\[1\]\[1\] is NaN/,
      ],
      [
        "an infinite bias",
        (n) =>
          n.setParameters([
            n.getParameters()[0]!,
            {
              weights: [
                [1, 2, 3],
                [4, 5, 6],
              ],
              biases: [0, Infinity],
            },
          ]),
        NonFiniteError,
        /setParameters\[1\]\.biases\[1\] is Infinity/,
      ],
      ["explain on two samples", (n) => n.explain(x, y, lr), ShapeError, /explain: x has 2 rows; expected one sample/],
    ];

    it.each(cases)("%s", async (_, call, type, message) => {
      const net = await create(spec);
      const before = net.getParameters();
      expect(() => call(net)).toThrow(type);
      expect(() => call(net)).toThrow(message);
      expect(net.getParameters()).toEqual(before);
      expect(net.predict(x)).toEqual((await create(spec)).predict(x));
    });

    it("a non-finite value anywhere in a Float64Array is found and named (every position of the four-way check and its tail)", async () => {
      const net = await create(spec);
      const values = Float64Array.from({ length: 14 }, (_, i) => i / 10); // 7 rows × 2: 12 in the main loop, 2 in the tail
      for (let i = 0; i < values.length; i++) {
        for (const bad of [NaN, Infinity, -Infinity]) {
          const x = values.slice();
          x[i] = bad;
          expect(() => net.predict(x)).toThrow(
            new RegExp(`predict: x\\[${i >> 1}\\]\\[${i & 1}\\] is ${bad}; expected a finite number`),
          );
        }
      }
      expect(net.predict(values)).toHaveLength(7);
    });

    // predict checks a Float64Array's values after its pass, where the first unit's z is not finite
    // (src/network.ts): the same errors, whatever the weights and in whichever chunk of rows
    it("predict: a non-finite input is found with zero weights (Infinity·0 is NaN), in a later chunk, and the first is named", async () => {
      const net = await create(spec);
      const zeros = net.getParameters().map(({ weights, biases }) => ({
        weights: weights.map((row) => row.map(() => 0)),
        biases: biases.map(() => 0),
      }));
      net.setParameters(zeros);
      const rows = chunkRows(makePlan(spec)) + 10; // two chunks
      const values = Float64Array.from({ length: rows * 2 }, (_, i) => (i % 7) / 7);
      expect(net.predict(values)).toHaveLength(rows);
      for (const [at, bad] of [
        [1, Infinity],
        [2 * (rows - 1), -Infinity],
        [2 * (rows - 5) + 1, NaN],
      ] as const) {
        const x = values.slice();
        x[at] = bad;
        x[x.length - 1] = NaN; // a second one, after it
        expect(() => net.predict(x)).toThrow(NonFiniteError);
        expect(() => net.predict(x)).toThrow(
          new RegExp(`^predict: x\\[${at >> 1}\\]\\[${at & 1}\\] is ${bad}; expected a finite number$`),
        );
      }
      expect(net.getParameters()).toEqual(zeros);
    });

    it("predict: finite inputs whose first-layer sums overflow are not taken for non-finite inputs", async () => {
      const net = await create(spec);
      net.setParameters([
        {
          weights: [
            [10, 10],
            [10, 10],
            [-10, -10],
          ],
          biases: [0, 0, 0],
        },
        {
          weights: [
            [1, 1, 1],
            [0, 0, 0],
          ],
          biases: [0, 0],
        },
      ]);
      // z₁ = ±20·1e308 = ±Infinity, tanh(z₁) = (1, 1, −1), z₂ = (1, 0), a = (σ(1), ½)
      const [out] = net.predict(Float64Array.of(1e308, 1e308));
      expect(out![0]).toBeCloseTo(1 / (1 + Math.exp(-1)), 15);
      expect(out![1]).toBe(0.5);
    });

    it("targets outside [0, 1] for a probability loss", async () => {
      const net = await create({ ...spec, loss: "binaryCrossEntropy" });
      expect(() =>
        net.trainStep(
          x,
          [
            [0, 1],
            [1.5, 0],
          ],
          lr,
        ),
      ).toThrow(/y\[1\]\[0\] is 1\.5; loss "binaryCrossEntropy" needs targets in \[0, 1\]/);
    });

    it("a step that would overflow is not applied, and is reported as a DivergenceError", async () => {
      const net = await create({ inputs: 1, layers: [{ units: 1, activation: "linear" }], loss: "mse" });
      net.setParameters([{ weights: [[1]], biases: [0] }]);
      const before = net.getParameters();
      // E = ½(w·x)² = 5e307 is finite, dE/dw = w·x² = 1e308 too, but w − 10 · 1e308 overflows
      expect(() => net.trainStep([[1e154]], [[0]], { learningRate: 10 })).toThrow(DivergenceError);
      expect(() => net.trainStep([[1e154]], [[0]], { learningRate: 10 })).toThrow(
        /parameter at index 0 would become non-finite with learningRate 10; the step was not applied. Try a smaller learning rate or scale the inputs/,
      );
      // here E = ½(1e160)² itself overflows
      expect(() => net.trainStep([[1e160]], [[0]], { learningRate: 1 })).toThrow(
        /the loss is Infinity with learningRate 1; the step was not applied/,
      );
      expect(net.getParameters()).toEqual(before);
    });

    it("outputs that overflow are reported, not returned", async () => {
      const net = await create({ inputs: 1, layers: [{ units: 1, activation: "linear" }], loss: "mse" });
      net.setParameters([{ weights: [[1e300]], biases: [0] }]);
      expect(() => net.predict([[1e10]])).toThrow(/predict: an output is Infinity/);
      expect(() => net.loss([[1e200]], [[0]])).toThrow(NonFiniteError);
    });
  });

  it("every call after dispose() throws DisposedError", async () => {
    const net = await create(spec);
    net.dispose();
    net.dispose(); // a second dispose is harmless
    for (const call of [
      () => net.predict(x),
      () => net.loss(x, y),
      () => net.gradients(x, y),
      () => net.trainStep(x, y, lr),
      () => net.getParameters(),
      () => net.setParameters([]),
      () => net.toJSON(),
      () => net.explain([x[0]!], [y[0]!], lr),
    ]) {
      expect(call).toThrow(DisposedError);
      expect(call).toThrow(/this network was disposed; create a new one/);
    }
  });
});
