// The seeded generator and the initialisation it drives.
import { describe, expect, it } from "vitest";
import { Network, Random } from "../src/index.js";
import { mulberry32 } from "../src/random.js";

// Mulberry32 as its author published it (T. Ettinger, 2017), returning 32-bit outputs
function reference(seed: number) {
  let a = seed;
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (t ^ (t >>> 14)) >>> 0;
  };
}

describe("Random", () => {
  it("draws the published Mulberry32 stream, two outputs per 53-bit uniform", () => {
    const ref = reference(12345);
    const random = new Random(12345);
    for (let i = 0; i < 1000; i++) {
      const hi = ref() >>> 5,
        lo = ref() >>> 6;
      expect(random.uniform()).toBe((hi * 2 ** 26 + lo) / 2 ** 53);
    }
    expect(mulberry32(0x6d2b79f5)).toBe(reference(0)());
  });

  it("stays in [0, 1) with mean ½ and variance 1/12", () => {
    const random = new Random(7);
    const n = 100_000;
    let sum = 0,
      sq = 0;
    for (let i = 0; i < n; i++) {
      const u = random.uniform();
      expect(u >= 0 && u < 1).toBe(true);
      sum += u;
      sq += u * u;
    }
    expect(sum / n).toBeCloseTo(0.5, 2);
    expect(sq / n - (sum / n) ** 2).toBeCloseTo(1 / 12, 2);
  });
});

describe("initialisation", () => {
  const spec = {
    inputs: 30,
    layers: [
      { units: 20, activation: "relu" as const },
      { units: 10, activation: "sigmoid" as const },
    ],
    loss: "mse" as const,
  };

  it("is bit-identical on both backends and repeatable; another seed gives other weights", async () => {
    const a = await Network.create({ ...spec, seed: 9, backend: "wasm" });
    const b = await Network.create({ ...spec, seed: 9, backend: "js" });
    const c = await Network.create({ ...spec, seed: 9, backend: "wasm" });
    const d = await Network.create({ ...spec, seed: 10, backend: "wasm" });
    expect(a.getParameters()).toEqual(b.getParameters());
    expect(a.getParameters()).toEqual(c.getParameters());
    expect(a.getParameters()[0]!.weights).not.toEqual(d.getParameters()[0]!.weights);
  });

  it("He-uniform for relu layers, Glorot-uniform otherwise, zero biases, in the generator's order", async () => {
    const net = await Network.create({ ...spec, seed: 9, backend: "js" });
    const [relu, sigmoid] = net.getParameters();
    const random = new Random(9);
    const he = Math.sqrt(6 / 30),
      glorot = Math.sqrt(6 / (20 + 10));
    relu!.weights.flat().forEach((w) => expect(w).toBe((2 * random.uniform() - 1) * he));
    sigmoid!.weights.flat().forEach((w) => expect(w).toBe((2 * random.uniform() - 1) * glorot));
    expect([...relu!.biases, ...sigmoid!.biases].every((b) => b === 0)).toBe(true);
  });
});
