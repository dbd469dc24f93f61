// The data helpers: one-hot targets, classes from outputs, the standardiser (also as part of a
// saved network), and the seeded train/test split.
import { describe, expect, it } from "vitest";
import { argmax, classify, Network, oneHot, ShapeError, Standardizer, trainTestSplit } from "../src/index.js";
import { BACKENDS, randomMatrix, testRandom } from "./backends.js";

describe("oneHot, argmax, classify", () => {
  it("one-hot rows, and back", () => {
    expect(oneHot([2, 0, 1], 3)).toEqual([
      [0, 0, 1],
      [1, 0, 0],
      [0, 1, 0],
    ]);
    expect(classify(oneHot([2, 0, 1], 3))).toEqual([2, 0, 1]);
    expect(argmax([0.1, 0.7, 0.7, 0.2])).toBe(1);
    expect(classify([[0.2], [0.5], [0.9]])).toEqual([0, 1, 1]);
    expect(classify(Float64Array.of(0.1, 0.9, 0.8, 0.2), 2)).toEqual([1, 0]);
  });

  it("bad labels and shapes", () => {
    expect(() => oneHot([0, 3], 3)).toThrow(/labels\[1\] is 3; expected an integer from 0 to 2/);
    expect(() => oneHot([0.5], 3)).toThrow(RangeError);
    expect(() => oneHot([0], 0)).toThrow(ShapeError);
    expect(() => classify(Float64Array.of(1, 2))).toThrow(/needs its column count/);
    expect(() => argmax([])).toThrow(ShapeError);
  });
});

describe("Standardizer", () => {
  const x = [
    [1, 10, 5],
    [3, 20, 5],
    [5, 60, 5],
  ];

  it("learns column means and population standard deviations; a constant column is only shifted", () => {
    const s = Standardizer.fit(x);
    expect(Array.from(s.mean)).toEqual([3, 30, 5]);
    expect(s.std[0]).toBeCloseTo(Math.sqrt(8 / 3), 15);
    expect(s.std[1]).toBeCloseTo(Math.sqrt((400 + 100 + 900) / 3), 13);
    expect(s.std[2]).toBe(1);
    const t = s.transform(x) as number[][];
    for (let j = 0; j < 2; j++) {
      const col = t.map((r) => r[j]!);
      expect(col.reduce((a, b) => a + b, 0) / 3).toBeCloseTo(0, 14);
      expect(col.reduce((a, b) => a + b * b, 0) / 3).toBeCloseTo(1, 14);
    }
    expect(t.map((r) => r[2])).toEqual([0, 0, 0]);
    expect(s.transform(Float64Array.from(x.flat()))).toBeInstanceOf(Float64Array);
  });

  it("rejects bad input", () => {
    expect(() => Standardizer.fit([[1, NaN]])).toThrow(/is NaN/);
    expect(() => Standardizer.fit([])).toThrow(ShapeError);
    expect(() => Standardizer.fit(x).transform([[1, 2]])).toThrow(/has 2 values; expected 3/);
    expect(() => Standardizer.fromJSON({ mean: [0], std: [0] })).toThrow(/std\[0\] is 0; expected a number > 0/);
  });

  describe.each(BACKENDS)("in a $name network", ({ create }) => {
    it("inputs are standardised before the network sees them, and toJSON saves the standardiser", async () => {
      const spec = { inputs: 3, layers: [{ units: 2, activation: "tanh" as const }], loss: "mse" as const, seed: 2 };
      const plain = await create(spec),
        scaled = await create(spec);
      const s = Standardizer.fit(x);
      scaled.setStandardizer(s);
      expect(scaled.predict(x)).toEqual(plain.predict(s.transform(x) as number[][]));
      const copy = await Network.fromJSON(JSON.stringify(scaled), { backend: scaled.backendKind });
      expect(copy.standardizer!.toJSON()).toEqual(s.toJSON());
      expect(copy.predict(x)).toEqual(scaled.predict(x));
      expect(() => scaled.setStandardizer(Standardizer.fit([[1, 2]]))).toThrow(
        /has 2 columns; the network takes 3 inputs/,
      );
    });
  });
});

describe("trainTestSplit", () => {
  const next = testRandom(5);
  const x = randomMatrix(10, 2, next);
  const y = x.map((_, i) => [i]);

  it("is a seeded partition: same seed, same split; rows stay paired", () => {
    const a = trainTestSplit(x, y, { testFraction: 0.3, seed: 4 });
    const b = trainTestSplit(x, y, { testFraction: 0.3, seed: 4 });
    const c = trainTestSplit(x, y, { testFraction: 0.3, seed: 5 });
    expect(a).toEqual(b);
    expect(a.yTest).not.toEqual(c.yTest);
    expect(a.xTest).toHaveLength(3);
    const labels = [...a.yTrain, ...a.yTest].map((r) => r[0]!);
    expect(labels.sort((p, q) => p - q)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    a.yTest.forEach((r, i) => expect(a.xTest[i]).toBe(x[r[0]!]));
  });

  it("keeps Float64Array rows as Float64Arrays", () => {
    const fx = Float64Array.from(x.flat()),
      fy = Float64Array.from(y.flat());
    const split = trainTestSplit(fx, fy, { testFraction: 0.2, seed: 4, xColumns: 2, yColumns: 1 });
    expect(split.xTest).toBeInstanceOf(Float64Array);
    const rows = Array.from(split.yTest);
    expect(Array.from(split.xTest)).toEqual(rows.flatMap((r) => x[r]!));
  });

  it("rejects bad fractions and mismatched rows", () => {
    expect(() => trainTestSplit(x, y, { testFraction: 1 })).toThrow(/testFraction is 1; expected a number in \(0, 1\)/);
    expect(() => trainTestSplit(x, y.slice(1), { testFraction: 0.5 })).toThrow(/x has 10 rows and y has 9/);
    expect(() => trainTestSplit(x, y, { testFraction: 0.01 })).toThrow(/leave 0 test rows/);
    expect(() => trainTestSplit(Float64Array.of(1, 2, 3), Float64Array.of(1), { testFraction: 0.5 })).toThrow(
      /give its column count/,
    );
  });
});
