// Every activation and loss against its formula, written here independently of the library.
import { describe, expect, it } from "vitest";
import { BACKENDS } from "./backends.js";
import type { Activation } from "../src/index.js";

const sigma = (z: number) => 1 / (1 + Math.exp(-z));

// erf(x) = (2/√π) Σₙ (−1)ⁿ x^(2n+1) / (n!(2n+1)), summed until the terms vanish: good to ~1e-15 for |x| ≤ 3
// (the terms grow to x^(2n+1)/n! ≈ 10³ before they fall, so larger |x| would lose digits)
function erfSeries(x: number): number {
  let term = x,
    sum = x;
  for (let n = 1; n < 200 && Math.abs(term) > 1e-300; n++) {
    term *= (-x * x) / n;
    sum += term / (2 * n + 1);
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}
// erfc(x) for x ≥ 2.5 by its continued fraction (Abramowitz & Stegun 7.1.14): √π·e^(x²)·erfc(x) = 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …))))
function erfcFraction(x: number): number {
  let f = x;
  for (let k = 120; k >= 1; k--) f = x + k / 2 / f;
  return Math.exp(-x * x) / (Math.sqrt(Math.PI) * f);
}
// Φ(z) = ½(1 + erf(z/√2)) = ½ erfc(−z/√2)
const phi = (z: number) => {
  const t = z / Math.SQRT2;
  return t >= 2.5 ? 1 - 0.5 * erfcFraction(t) : t <= -2.5 ? 0.5 * erfcFraction(-t) : 0.5 * (1 + erfSeries(t));
};

// each as PyTorch defines it (torch.nn.ELU, GELU, Softplus, SiLU with their defaults)
const ACTIVATION_FORMULAS: Record<Exclude<Activation, "softmax">, (z: number) => number> = {
  linear: (z) => z,
  sigmoid: sigma,
  tanh: Math.tanh,
  relu: (z) => Math.max(0, z),
  leakyRelu: (z) => (z > 0 ? z : 0.01 * z),
  elu: (z) => (z > 0 ? z : 1 * (Math.exp(z) - 1)),
  gelu: (z) => z * phi(z),
  softplus: (z) => (z > 20 ? z : Math.log(1 + Math.exp(z))),
  silu: (z) => z * sigma(z),
};
// f′(z) by hand, for the backward passes
const DERIVATIVE_FORMULAS: Partial<Record<Activation, (z: number) => number>> = {
  elu: (z) => (z > 0 ? 1 : Math.exp(z)),
  gelu: (z) => phi(z) + (z * Math.exp((-z * z) / 2)) / Math.sqrt(2 * Math.PI),
  softplus: (z) => (z > 20 ? 1 : sigma(z)),
  silu: (z) => sigma(z) * (1 + z * (1 - sigma(z))),
};
const softmaxOf = (z: number[]) => {
  const e = z.map(Math.exp);
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
};

// a single layer with W = I and bias b, so that z = x + b
const identity = [
  [1, 0, 0],
  [0, 1, 0],
  [0, 0, 1],
];
const bias = [0.1, -0.2, 0.3];
const x = [
  [-2, 0.5, 3],
  [0, -0.7, 1.5],
  [-0.1, 0.2, -0.3],
];
const z = x.map((row) => row.map((v, j) => v + bias[j]!));

function expectClose(actual: number[][], expected: number[][], tolerance = 1e-14) {
  expect(actual.map((row) => row.length)).toEqual(expected.map((row) => row.length));
  actual.flat().forEach((v, i) => {
    const e = expected.flat()[i]!;
    expect(Math.abs(v - e)).toBeLessThanOrEqual(tolerance * Math.max(1, Math.abs(e)));
  });
}

describe("the references of this file", () => {
  it("erf by series and continued fraction agree where both hold, and give erf's known values", () => {
    // erf(1) = 0.8427007929497148693…, erf(2) = 0.9953222650189527341… (Abramowitz & Stegun, Table 7.1)
    expect(erfSeries(1)).toBeCloseTo(0.8427007929497149, 15);
    expect(erfSeries(2)).toBeCloseTo(0.9953222650189527, 15);
    // the series' sums reach ~10³ near x = 3, so it keeps ~1e-13 absolutely, not relatively to erfc(3) ≈ 2.2e-5
    for (const x of [2.5, 3]) expect(Math.abs(1 - erfSeries(x) - erfcFraction(x))).toBeLessThan(1e-12);
  });
});

describe.each(BACKENDS)("$name backend", ({ create }) => {
  const layer = (activation: Activation) => create({ inputs: 3, layers: [{ units: 3, activation }], loss: "mse" });

  it.each(Object.keys(ACTIVATION_FORMULAS) as (keyof typeof ACTIVATION_FORMULAS)[])(
    "%s: a = f(W·x + b)",
    async (name) => {
      const net = await layer(name);
      net.setParameters([{ weights: identity, biases: bias }]);
      expectClose(
        net.predict(x),
        z.map((row) => row.map(ACTIVATION_FORMULAS[name])),
      );
    },
  );

  it.each(Object.keys(DERIVATIVE_FORMULAS) as Activation[])(
    "%s: dE/dz = dE/da · f′(z), at z from −30 to 30",
    async (name) => {
      // one unit, a = f(w·x + b) with w = 1, b = 0 and mse against t = a − 1: dE/da = 1, so dE/db = f′(z) (averaged over one row)
      const net = await create({ inputs: 1, layers: [{ units: 1, activation: name }], loss: "mse" });
      net.setParameters([{ weights: [[1]], biases: [0] }]);
      for (const zv of [-30, -8, -2.5, -1, -0.3, -1e-9, 0, 1e-9, 0.3, 1, 2.5, 8, 19.5, 20.5, 30]) {
        const a = ACTIVATION_FORMULAS[name as keyof typeof ACTIVATION_FORMULAS](zv);
        const g = net.gradients([[zv]], [[a - 1]])[0]!.biases[0]!;
        const expected = DERIVATIVE_FORMULAS[name]!(zv);
        expect(Math.abs(g - expected)).toBeLessThanOrEqual(1e-14 * Math.max(1, Math.abs(expected)));
      }
    },
  );

  it("explain shows the new activations' da/dz and the new losses' dE/da, as worked by hand", async () => {
    for (const [loss, dEdA] of [
      [{ name: "huber", delta: 0.5 }, (o: number, t: number) => Math.min(Math.max(o - t, -0.5), 0.5)],
      ["mae", (o: number, t: number) => Math.sign(o - t)],
    ] as const) {
      const net = await create({
        inputs: 3,
        layers: [
          { units: 3, activation: "gelu" },
          { units: 3, activation: "elu" },
          { units: 3, activation: "softplus" },
          { units: 2, activation: "silu" },
        ],
        loss,
        seed: 4,
      });
      const step = net.explain([[0.4, -1.3, 2]], [[0.5, -3]], { learningRate: 0.1 });
      step.layers.forEach((layer) => {
        const f = DERIVATIVE_FORMULAS[layer.activation]!;
        layer.z.forEach((zv, j) => expect(layer.dAdZ![j]).toBeCloseTo(f(zv), 14));
      });
      const out = step.layers[3]!;
      out.a.forEach((o, k) => expect(out.dEdA[k]).toBe(dEdA(o, step.target[k]!)));
    }
  });

  it("gelu stays exact far out on both sides: z·Φ(z) with Φ from erfc, not 1 + erf", async () => {
    const net = await layer("gelu");
    net.setParameters([{ weights: identity, biases: [0, 0, 0] }]);
    const [out] = net.predict([[-8, -6, 10]]);
    // Φ(−8) = 6.22096057427178e-16, Φ(−6) = 9.865876450376981e-10 (A&S 26.2); Φ(10) = 1 − 7.6e-24 → 1
    expect(out![0]! / (-8 * 6.22096057427178e-16)).toBeCloseTo(1, 12);
    expect(out![1]! / (-6 * 9.865876450376981e-10)).toBeCloseTo(1, 12);
    expect(out![2]).toBe(10);
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
    const y = [
      [1, 2, 3],
      [0, 0, 0],
      [-1, 0.5, 0.25],
    ];
    const perRow = z.map((o, i) => 0.5 * o.reduce((s, oj, j) => s + (y[i]![j]! - oj) ** 2, 0));
    expect(net.loss(x, y)).toBeCloseTo(perRow.reduce((a, b) => a + b, 0) / 3, 14);
  });

  it("crossEntropy: E = −Σₖ tₖ log oₖ on a softmax output", async () => {
    const net = await create({ inputs: 3, layers: [{ units: 3, activation: "softmax" }], loss: "crossEntropy" });
    net.setParameters([{ weights: identity, biases: bias }]);
    const y = [
      [0, 0, 1],
      [0.2, 0.3, 0.5],
      [1, 0, 0],
    ];
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
    const y = [
      [0, 1, 0.5],
      [1, 1, 0],
      [0.25, 0, 1],
    ];
    const perRow = z.map(
      (zi, i) =>
        -zi.reduce((s, zj, j) => s + y[i]![j]! * Math.log(sigma(zj)) + (1 - y[i]![j]!) * Math.log(1 - sigma(zj)), 0),
    );
    expect(net.loss(x, y)).toBeCloseTo(perRow.reduce((a, b) => a + b, 0) / 3, 14);
  });

  it("huber: E = Σₖ h(oₖ − tₖ), h(e) = ½e² where |e| < δ, else δ(|e| − ½δ), per row, averaged; δ = 1 by default", async () => {
    const y = [
      [1, 2, 3],
      [0, 0, 0],
      [-1, 0.5, 0.25],
    ];
    for (const delta of [1, 0.25, 3]) {
      const net = await create({
        inputs: 3,
        layers: [{ units: 3, activation: "linear" }],
        loss: delta === 1 ? "huber" : { name: "huber", delta },
      });
      net.setParameters([{ weights: identity, biases: bias }]);
      const h = (e: number) => (Math.abs(e) < delta ? 0.5 * e * e : delta * (Math.abs(e) - 0.5 * delta));
      const perRow = z.map((o, i) => o.reduce((s, oj, j) => s + h(oj - y[i]![j]!), 0));
      expect(net.loss(x, y)).toBeCloseTo(perRow.reduce((a, b) => a + b, 0) / 3, 14);
      // dE/db = mean over rows of clamp(o − t, −δ, δ)
      const expected = [0, 1, 2].map(
        (j) => z.reduce((s, o, i) => s + Math.min(Math.max(o[j]! - y[i]![j]!, -delta), delta), 0) / 3,
      );
      net.gradients(x, y)[0]!.biases.forEach((g, j) => expect(g).toBeCloseTo(expected[j]!, 15));
      if (delta !== 1) expect(net.spec.loss).toEqual({ name: "huber", delta });
    }
  });

  it("mae: E = Σₖ |tₖ − oₖ| per row, averaged; dE/do = sign(o − t)", async () => {
    const net = await create({ inputs: 3, layers: [{ units: 3, activation: "linear" }], loss: "mae" });
    net.setParameters([{ weights: identity, biases: bias }]);
    const y = [
      [1, 2, 3],
      [0, -0.7 + -0.2, 0],
      [-1, 0.5, 0.25],
    ]; // y[1][1] = o[1][1]: sign 0
    const perRow = z.map((o, i) => o.reduce((s, oj, j) => s + Math.abs(y[i]![j]! - oj), 0));
    expect(net.loss(x, y)).toBeCloseTo(perRow.reduce((a, b) => a + b, 0) / 3, 14);
    const expected = [0, 1, 2].map((j) => z.reduce((s, o, i) => s + Math.sign(o[j]! - y[i]![j]!), 0) / 3);
    net.gradients(x, y)[0]!.biases.forEach((g, j) => expect(g).toBe(expected[j]));
  });

  it("binaryCrossEntropy stays finite where σ rounds to 0 or 1", async () => {
    const net = await create({ inputs: 1, layers: [{ units: 1, activation: "sigmoid" }], loss: "binaryCrossEntropy" });
    net.setParameters([{ weights: [[1]], biases: [0] }]);
    // E = −log(1 − σ(800)) = log(1 + e^800) = 800 + log1p(e^−800) = 800 in floating point
    expect(net.loss([[800]], [[0]])).toBe(800);
    expect(net.loss([[-800]], [[0]])).toBe(0);
  });
});
