// The seed post's worked example. The expected figures come from the scalar arithmetic below,
// written from the post's equations (net = w·i + b, out = σ(net), E = Σ ½(t − out)²,
// w ← w − η·dE/dw), not from the library; the post's printed digits are checked against both.
import { describe, expect, it } from "vitest";
import { runSeedExample, SEED_EXAMPLE, type SeedExampleResult } from "../src/index.js";
import { BACKENDS } from "./backends.js";

const sigma = (z: number) => 1 / (1 + Math.exp(-z));
const [i1, i2, t1, t2, b1, b2, eta] = [0.05, 0.1, 0.01, 0.99, 0.35, 0.6, 0.5];
type W = [number, number, number, number, number, number, number, number]; // w1..w8

function forward(w: W) {
  const h1 = sigma(w[0] * i1 + w[1] * i2 + b1),
    h2 = sigma(w[2] * i1 + w[3] * i2 + b1);
  const o1 = sigma(w[4] * h1 + w[5] * h2 + b2),
    o2 = sigma(w[6] * h1 + w[7] * h2 + b2);
  return { h1, h2, o1, o2, E: 0.5 * (t1 - o1) ** 2 + 0.5 * (t2 - o2) ** 2 };
}

// one round; `postOrder` backpropagates through the already-updated w5..w8
function round(w: W, postOrder: boolean): W {
  const { h1, h2, o1, o2 } = forward(w);
  const d1 = (o1 - t1) * o1 * (1 - o1),
    d2 = (o2 - t2) * o2 * (1 - o2);
  const w5 = w[4] - eta * d1 * h1,
    w6 = w[5] - eta * d1 * h2,
    w7 = w[6] - eta * d2 * h1,
    w8 = w[7] - eta * d2 * h2;
  const [v5, v6, v7, v8] = postOrder ? [w5, w6, w7, w8] : [w[4], w[5], w[6], w[7]];
  const dh1 = (d1 * v5 + d2 * v7) * h1 * (1 - h1),
    dh2 = (d1 * v6 + d2 * v8) * h2 * (1 - h2);
  return [w[0] - eta * dh1 * i1, w[1] - eta * dh1 * i2, w[2] - eta * dh2 * i1, w[3] - eta * dh2 * i2, w5, w6, w7, w8];
}

function run(postOrder: boolean) {
  let w: W = [0.15, 0.2, 0.25, 0.3, 0.4, 0.45, 0.5, 0.55];
  w = round(w, postOrder);
  const errorAfterOneRound = forward(w).E;
  let lossOfLastRound = 0;
  for (let r = 1; r < 10000; r++) {
    lossOfLastRound = forward(w).E;
    w = round(w, postOrder);
  }
  const end = forward(w);
  return { errorAfterOneRound, lossOfLastRound, errorAfterRounds: end.E, outputsAfterRounds: [end.o1, end.o2] };
}

const initial = forward([0.15, 0.2, 0.25, 0.3, 0.4, 0.45, 0.5, 0.55]);
const exactRef = run(false);
const postRef = run(true);
// a figure as the post prints it: rounded to 9 decimal places (0.0000351085 to 6 significant digits)
const nine = (v: number) => Number(v.toFixed(9));
const decimalsOf = (printed: number) => String(printed).split(".")[1]!.length;

const results = new Map<string, SeedExampleResult>();
const result = async (backend: "wasm" | "js") => {
  if (!results.has(backend)) results.set(backend, await runSeedExample(backend));
  return results.get(backend)!;
};

describe.each(BACKENDS)("$name backend", ({ name }) => {
  it("forward pass: net and out of h1, h2, o1, o2 and the total error", async () => {
    const { first } = await result(name);
    const [h, o] = first.layers;
    expect(h!.z[0]).toBeCloseTo(0.15 * i1 + 0.2 * i2 + b1, 15);
    expect(h!.a).toEqual([expect.closeTo(initial.h1, 15), expect.closeTo(initial.h2, 15)]);
    expect(o!.a).toEqual([expect.closeTo(initial.o1, 15), expect.closeTo(initial.o2, 15)]);
    expect(first.loss).toBeCloseTo(initial.E, 15);
    expect(nine(first.loss)).toBe(SEED_EXAMPLE.post.initialError);
  });

  it("dE/dw5 = (o1 − t1) · o1(1 − o1) · h1, its factors, and every updated weight", async () => {
    const { first } = await result(name);
    const [h, o] = first.layers;
    expect(o!.dEdA[0]).toBeCloseTo(initial.o1 - t1, 15);
    expect(o!.dAdZ![0]).toBeCloseTo(initial.o1 * (1 - initial.o1), 15);
    expect(o!.gradients.weights[0]![0]).toBeCloseTo((initial.o1 - t1) * initial.o1 * (1 - initial.o1) * initial.h1, 15);
    const updated = round([0.15, 0.2, 0.25, 0.3, 0.4, 0.45, 0.5, 0.55], false);
    const got = [...h!.updated.weights.flat(), ...o!.updated.weights.flat()];
    got.forEach((w, k) => expect(w).toBeCloseTo(updated[k]!, 15));
    // the updated weights as the post prints them (w1⁺ … w8⁺), each to its printed decimals
    const printed = [0.149780716, 0.19956143, 0.24975114, 0.29950229, 0.35891648, 0.408666186, 0.51130127, 0.561370121];
    got.forEach((w, k) => expect(Number(w.toFixed(decimalsOf(printed[k]!)))).toBe(printed[k]));
    expect(h!.updated.biases).toEqual([b1, b1]);
  });

  it("10,000 rounds of exact gradient descent", async () => {
    const { exact } = await result(name);
    expect(exact.errorAfterOneRound).toBeCloseTo(exactRef.errorAfterOneRound, 14);
    expect(exact.lossOfLastRound / exactRef.lossOfLastRound).toBeCloseTo(1, 11);
    expect(exact.errorAfterRounds / exactRef.errorAfterRounds).toBeCloseTo(1, 11);
    exact.outputsAfterRounds.forEach((o, k) => expect(o).toBeCloseTo(exactRef.outputsAfterRounds[k]!, 12));
  });

  it("the post's order of updates reproduces its other figures", async () => {
    const { postOrder } = await result(name);
    expect(postOrder.errorAfterOneRound).toBeCloseTo(postRef.errorAfterOneRound, 14);
    postOrder.outputsAfterRounds.forEach((o, k) => expect(o).toBeCloseTo(postRef.outputsAfterRounds[k]!, 12));
  });
});

describe("which of the post's figures the exact gradient reproduces: the reference arithmetic and the library alike", () => {
  const post = SEED_EXAMPLE.post;
  it("to every printed digit: the first error, and the error computed in round 10,000", async () => {
    const lib = await result("wasm");
    for (const [initialError, lossOfLastRound] of [
      [initial.E, exactRef.lossOfLastRound],
      [lib.first.loss, lib.exact.lossOfLastRound],
    ]) {
      expect(nine(initialError!)).toBe(post.initialError);
      expect(Number(lossOfLastRound!.toPrecision(6))).toBe(post.errorAfterRounds);
    }
  });
  it("only to about six digits: the error after round 1 and the final outputs", async () => {
    const lib = await result("wasm");
    for (const run of [exactRef, lib.exact]) {
      expect(nine(run.errorAfterOneRound)).not.toBe(post.errorAfterOneRound);
      expect(run.errorAfterOneRound).toBeCloseTo(post.errorAfterOneRound, 6);
      expect(run.outputsAfterRounds.map(nine)).not.toEqual(post.outputsAfterRounds);
      run.outputsAfterRounds.forEach((o, k) => expect(o).toBeCloseTo(post.outputsAfterRounds[k]!, 5));
    }
  });
  it("the post's order of updates gives those to every printed digit", async () => {
    const lib = await result("wasm");
    for (const run of [postRef, lib.postOrder]) {
      expect(nine(run.errorAfterOneRound)).toBe(post.errorAfterOneRound);
      expect(run.outputsAfterRounds.map(nine)).toEqual(post.outputsAfterRounds);
    }
  });
});
