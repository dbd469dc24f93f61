// Threads (src/backends/wasm/threads.ts): the products split across 2 and 3 threads give the same
// bits as one thread, kernel by kernel and through every activation, loss and optimizer; the
// option is checked; and the reliability invariant holds: a failed product leaves no worker
// running and nothing written after it returns, a disposed or dropped network's workers go back
// to the pool, a request past the memory is a CapacityError with nothing changed, and a process
// with live threaded networks exits.
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import v8 from "node:v8";
import { runInNewContext } from "node:vm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CapacityError, DivergenceError, Network, type NetworkSpec, type OptimizerOption } from "../src/index.js";
import { ACTIVATIONS, type Activation } from "../src/operations/activations.js";
import { LOSS_DESCRIPTORS, LOSSES } from "../src/operations/losses.js";
import { OPTIMIZERS } from "../src/operations/optimizers.js";
import { instantiateCore, type Core } from "../src/backends/wasm/core.js";
import { cutBy, cutJob, idleThreads, PARALLEL_WORK, settings } from "../src/backends/wasm/threads.js";
import { WasmBackend } from "../src/backends/wasm/backend.js";
import { makePlan } from "../src/plan.js";
import { networkBytes, THREAD_PACKING_BYTES } from "../src/capacity.js";
import { coreCount, MAX_THREADS } from "../src/threads.js";
import { flat, randomMatrix, testRandom } from "./backends.js";
import { KERNELS, naive, sameBits, type Shape, wasmProduct as product } from "./kernel-products.js";

const SHAPES: Shape[] = [];
for (let m = 1; m <= 17; m++) for (let k = 1; k <= 17; k += 4) for (let n = 1; n <= 17; n++) SHAPES.push([m, k, n]);
SHAPES.push(
  [1, 300, 257],
  [257, 300, 1],
  [300, 1, 300],
  [33, 65, 47],
  [5, 257, 129],
  [129, 257, 5],
  [130, 513, 270], // rows, columns, k = 1, odd, across MC, KC, NC
  [32, 784, 128],
  [128, 32, 784],
  [32, 128, 784],
  [1000, 784, 128], // the MLP's at batch 32, and a chunk of predict
  [200, 700, 200],
  [8, 5000, 200], // a tile of fewer columns packs more slices of B̃ than the whole product
);

describe("products on 2 and 3 threads (every product above 64 multiply-adds split)", () => {
  const cores: Core[] = [];
  const workerTiles = (core: Core) =>
    (core as unknown as { coreThreads: { workerTiles: number } }).coreThreads.workerTiles;
  beforeAll(async () => {
    cores.push(
      await instantiateCore(),
      await instantiateCore({ threads: 2, parallelWork: 0 }),
      await instantiateCore({ threads: 3, parallelWork: 0 }),
    );
    // workers start with a core's first split product and join as they come up: run until both have
    const next = testRandom(1);
    const a = Float64Array.from({ length: 64 * 64 }, () => next());
    for (let i = 0; i < 400 && (workerTiles(cores[1]!) === 0 || workerTiles(cores[2]!) === 0); i++) {
      for (const core of cores.slice(1)) product(core, "matmul", a, a, [64, 64, 64]);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect([workerTiles(cores[1]!), workerTiles(cores[2]!)].every((tiles) => tiles > 0)).toBe(true);
  });

  it("large products whose tiles run at the same time: each thread packs in a scratch of its own", () => {
    const next = testRandom(4);
    const shape: Shape = [384, 512, 384];
    const a = Float64Array.from({ length: 384 * 512 }, () => next());
    const b = Float64Array.from({ length: 512 * 384 }, () => next());
    const before = cores.slice(1).map(workerTiles);
    for (const kernel of KERNELS) {
      const expected = product(cores[0]!, kernel, a, b, shape).out;
      for (let round = 0; round < 5; round++) {
        for (const core of cores.slice(1))
          expect(sameBits(product(core, kernel, a, b, shape).out, expected), `${kernel}, ${core.threads} threads`).toBe(
            true,
          );
      }
    }
    // the workers computed some of those tiles, beside this thread
    expect(cores.slice(1).map((core, i) => workerTiles(core) > before[i]!)).toEqual([true, true]);
  });

  it.each(KERNELS)(
    "%s: the same bits as one thread and as the naive product, nothing written outside out",
    (kernel) => {
      expect(cores.map((core) => core.threads)).toEqual([1, 2, 3]);
      const next = testRandom(kernel.length);
      const wrong: string[] = [];
      const split = cores.map((core) => core.splitJobs);
      for (const shape of SHAPES) {
        const [m, k, n] = shape;
        const a = Float64Array.from({ length: m * k }, () => next());
        const b = Float64Array.from({ length: k * n }, () => next());
        const expected =
          m * k * n <= 200_000 ? naive(kernel, a, b, shape) : product(cores[0]!, kernel, a, b, shape).out;
        cores.forEach((core, t) => {
          const { out, guards } = product(core, kernel, a, b, shape);
          if (!sameBits(out, expected) || guards.some((g) => g !== -7)) wrong.push(`${t + 1} threads: ${m}×${k}×${n}`);
        });
      }
      expect(wrong).toEqual([]);
      // every product above the plain loop's 64 multiply-adds went through the threads
      const large = SHAPES.filter(([m, k, n]) => m * k * n > 64).length;
      expect(cores.map((core, t) => core.splitJobs - split[t]!)).toEqual([0, large, large]);
    },
  );
});

// ---- networks ----

// every optimizer, activation and loss the descriptors list (src/operations/), so that a new one is tested here too
const OPTIMIZER_OPTIONS: OptimizerOption[] = [...OPTIMIZERS, { name: "momentum", momentum: 0.8, nesterov: true }];
const HIDDEN = ACTIVATIONS.filter(
  (activation): activation is Exclude<Activation, "softmax"> => activation !== "softmax",
);
const OUTPUTS = LOSSES.map((loss) => ({ loss, activation: LOSS_DESCRIPTORS[loss].output ?? "linear" }));

// 19-23-17-5, the second hidden layer with dropout
function specFor(hidden: (typeof HIDDEN)[number], output: (typeof OUTPUTS)[number], threads: number): NetworkSpec {
  const second = HIDDEN[(HIDDEN.indexOf(hidden) + 2) % HIDDEN.length]!;
  return {
    inputs: 19,
    layers: [
      { units: 23, activation: hidden, dropout: 0.1 },
      { units: 17, activation: second, dropout: 0.25 },
      { units: 5, activation: output.activation },
    ],
    loss: output.loss,
    seed: 7,
    threads,
  };
}

function data(loss: NetworkSpec["loss"], rows: number, seed: number) {
  const next = testRandom(seed);
  const x = randomMatrix(rows, 19, next);
  const y =
    loss === "mse"
      ? randomMatrix(rows, 5, next)
      : loss === "binaryCrossEntropy"
        ? randomMatrix(rows, 5, () => Math.round(next(0, 1)))
        : Array.from({ length: rows }, (_, i) => Array.from({ length: 5 }, (_, j) => (j === (i * 7) % 5 ? 1 : 0)));
  return { x, y };
}

/** `run` on a network of `spec` with 1 thread and with 2: the same bits, and the second split jobs. */
async function expectSameOnTwoThreads(spec: (threads: number) => NetworkSpec, run: (net: Network) => Promise<unknown>) {
  const results = [];
  for (const threads of [1, 2]) {
    const net = await Network.create(spec(threads));
    const numbers = flat(await run(net));
    results.push({ numbers, split: (net as unknown as { backendRef: { core: Core } }).backendRef.core.splitJobs });
    net.dispose();
  }
  expect(results[1]!.split).toBeGreaterThan(0);
  expect(sameBits(results[1]!.numbers, results[0]!.numbers)).toBe(true);
}

/** Everything a network computes and holds after training, as one list of numbers. */
async function trained(spec: NetworkSpec, optimizer: OptimizerOption, speeds?: number[]) {
  const net = await Network.create(spec);
  if (speeds)
    (
      net as unknown as { backendRef: { core: { coreThreads: { speeds: number[] } } } }
    ).backendRef.core.coreThreads.speeds.splice(0, speeds.length, ...speeds);
  const { x, y } = data(spec.loss, 91, 3);
  const history = await net.fit(x, y, {
    epochs: 3,
    batchSize: 13,
    optimizer,
    weightDecay: 0.01,
    l1: 0.001,
    clipGradientNorm: 5,
    learningRate: 0.05,
    validationSplit: 0.2,
  });
  // without clipping, the tiles of a split dW product take the update (with clipping, a job of
  // rows after the gradients does): both paths, with the optimizer's state carried across
  const unclipped = await net.fit(x, y, {
    epochs: 2,
    batchSize: 13,
    optimizer,
    weightDecay: 0.01,
    l1: 0.001,
    learningRate: 0.05,
  });
  const step = net.trainStep(x.slice(0, 29), y.slice(0, 29), { learningRate: 0.01 });
  const numbers = flat([
    history,
    unclipped,
    step,
    net.toJSON(),
    net.predict(x),
    net.gradients(x, y),
    net.loss(x, y),
    net.evaluate(x, y),
  ]);
  const threads = net.threads;
  const split = (net as unknown as { backendRef: { core: Core } }).backendRef.core.splitJobs;
  net.dispose();
  return { numbers, threads, split };
}

describe("networks on 1, 2 and 3 threads train to the same bits, on every activation, loss and optimizer", () => {
  let saved = 0;
  beforeAll(() => {
    saved = settings.parallelWork;
    settings.parallelWork = 0; // every product above 64 multiply-adds split, so that small networks test it
  });
  afterAll(() => {
    settings.parallelWork = saved;
  });

  // each (hidden, output) pair with one optimizer in turn, so that every one of each meets the others
  const CASES = OUTPUTS.flatMap((output, o) =>
    HIDDEN.map((hidden, h) => ({ output, hidden, optimizer: OPTIMIZER_OPTIONS[(o + h) % OPTIMIZER_OPTIONS.length]! })),
  );
  it.each(CASES)(
    "$hidden hidden layers, $output.activation output, $output.loss, $optimizer",
    async ({ output, hidden, optimizer }) => {
      const [one, two, three] = [
        await trained(specFor(hidden, output, 1), optimizer),
        await trained(specFor(hidden, output, 2), optimizer),
        await trained(specFor(hidden, output, 3), optimizer),
      ];
      expect([one.threads, two.threads, three.threads]).toEqual([1, 2, 3]);
      expect([two.split, three.split].every((split) => split > 0)).toBe(true);
      expect(sameBits(two.numbers, one.numbers), "2 threads").toBe(true);
      expect(sameBits(three.numbers, one.numbers), "3 threads").toBe(true);
    },
  );

  // 4×4 layers: split on a batch of 13 rows (every product above 64 multiply-adds, here), one
  // loop nest on a single row (16 multiply-adds): the single-row step after split ones must still
  // update every layer (a layer's "stepped by the tiles" mark from the last batch is not carried)
  it("a step on one row after split batches updates every layer, as on one thread", async () => {
    const spec = (threads: number): NetworkSpec => ({
      inputs: 4,
      layers: [
        { units: 4, activation: "tanh" },
        { units: 4, activation: "linear" },
      ],
      loss: "mse",
      seed: 5,
      threads,
    });
    const next = testRandom(9);
    const x = randomMatrix(26, 4, next),
      y = randomMatrix(26, 4, next);
    await expectSameOnTwoThreads(spec, async (net) => {
      const history = await net.fit(x, y, { epochs: 2, batchSize: 13, optimizer: "sgd", learningRate: 0.1 });
      const before = net.getParameters();
      const loss = net.trainStep(x.slice(0, 1), y.slice(0, 1), { learningRate: 0.1 });
      const after = net.getParameters();
      const moved = after.map((layer, l) => layer.weights.flat().some((w, i) => w !== before[l]!.weights.flat()[i]));
      expect(moved).toEqual([true, true]);
      return [history, loss, after];
    });
  });

  // a first layer's dZ is found by the tiles of its dW product, each on its own units, unless its
  // activation needs whole rows: then on the network's thread, before the job
  it("a softmax hidden layer trains to the same bits (its dZ found whole, not by the tiles)", async () => {
    const spec = (threads: number): NetworkSpec => ({
      inputs: 19,
      layers: [
        { units: 23, activation: "softmax" },
        { units: 5, activation: "linear" },
      ],
      loss: "mse",
      seed: 3,
      threads,
    });
    const { x, y } = data("mse", 91, 3);
    await expectSameOnTwoThreads(spec, async (net) => {
      const history = await net.fit(x, y, { epochs: 2, batchSize: 13, optimizer: "adam", learningRate: 0.01 });
      return [history, net.toJSON(), net.gradients(x, y)];
    });
  });

  // 40 units cut into 16 + 16 + 8 rows on 3 threads: only the last unit's row overflows, z = 1e153
  // there (x₀ = 1e150, W[39][0] = 1e3) and 0 elsewhere, so the loss is finite and dW[39][0] = 1e303,
  // which a learning rate of 1e10 turns into −Infinity
  it("an update that would overflow in one thread's rows is refused whole: DivergenceError, nothing written", async () => {
    const spec = (threads: number): NetworkSpec => ({
      inputs: 40,
      layers: [{ units: 40, activation: "linear" }],
      loss: "mse",
      threads,
    });
    const weights = Array.from({ length: 40 }, (_, j) =>
      Array.from({ length: 40 }, (_, i) => (j === 39 && i === 0 ? 1e3 : 0)),
    );
    const parameters = [{ weights, biases: new Array(40).fill(0) }];
    const x = [Array.from({ length: 40 }, (_, i) => (i === 0 ? 1e150 : 0))];
    const y = [new Array(40).fill(0)];
    const messages: string[] = [];
    for (const threads of [1, 2, 3]) {
      const net = await Network.create(spec(threads));
      net.setParameters(parameters);
      expect(net.threads).toBe(threads);
      expect(() => net.trainStep(x, y, { learningRate: 1e10 })).toThrow(DivergenceError);
      await expect(net.fit(x, y, { epochs: 1, optimizer: "sgd", learningRate: 1e10 })).rejects.toThrow(DivergenceError);
      expect(net.getParameters()).toEqual(parameters);
      expect(net.trainStep(x, y, { learningRate: 1e-310 })).toBeGreaterThan(0); // a step that stays finite still applies
      expect(net.getParameters()[0]!.weights[39]![0]).toBeLessThan(1e3);
      const core = (net as unknown as { backendRef: { core: Core } }).backendRef.core;
      expect(core.splitJobs > 0).toBe(threads > 1); // the updates went through the threads
      try {
        net.trainStep(x, y, { learningRate: 1e10 });
      } catch (error) {
        messages.push((error as Error).message);
      }
      net.dispose();
    }
    expect(messages).toHaveLength(3);
    expect(new Set(messages).size).toBe(1);
    expect(messages[0]).toContain("the parameter at index 1560 would become non-finite");
  });

  // threads.ts cuts a job in proportion to the threads' speeds, which it learns from their times:
  // forced far apart here, every cut is uneven, and the bits stay those of one thread
  it("cut unevenly (one worker taken as 4× slower, the other as 2.5× faster), the same bits", async () => {
    const output = { activation: "softmax", loss: "crossEntropy" } as const;
    const one = await trained(specFor("tanh", output, 1), "adam");
    const uneven = await trained(specFor("tanh", output, 3), "adam", [1, 0.25, 2.5]);
    expect(cutBy(23, [1, 0.25, 2.5])).toEqual([0, 8, 8, 23]); // the first layer's 23 units, to begin with
    expect(uneven.split).toBeGreaterThan(0);
    expect(sameBits(uneven.numbers, one.numbers)).toBe(true);
  });
});

describe("cutBy: where tiles begin and end", () => {
  it("cuts in proportion to the weights, a tile each, at multiples of 4", () => {
    expect(cutBy(128, [1, 1])).toEqual([0, 64, 128]);
    expect(cutBy(128, [1, 0.8])).toEqual([0, 72, 128]); // 128 · 1/1.8 = 71.1, the nearest multiple of 4
    expect(cutBy(10, [1, 1, 1])).toEqual([0, 4, 8, 10]);
    expect(cutBy(4, [1, 1])).toEqual([0, 4, 4]); // two tiles of 2 would split a micro-tile: one is empty
    expect(cutBy(128, [1, 0.25])).toEqual([0, 104, 128]);
    expect(cutBy(130, [1, 1, 1, 1])).toEqual([0, 32, 64, 96, 130]);
    expect(cutBy(8, [1, 0.25, 2.5])).toEqual([0, 4, 4, 8]); // 8 · 1/3.75 = 2.1 and 8 · 1.25/3.75 = 2.7: both nearest to 4
  });

  it("a large product: each thread's own tile first, by their speeds, then equal tail tiles for whoever finishes first", () => {
    expect(settings.ownShare).toBe(0.75);
    // 375 rows each in the threads' own tiles, then 6 tails of 41⅔ rows, at multiples of 4
    expect(cutJob(1000, [1, 1], 8)).toEqual([0, 376, 752, 792, 832, 876, 916, 960, 1000]);
    // a thread half as fast gets half as much of the 3/4: 250 and 500 rows
    expect(cutJob(1000, [1, 0.5], 4)).toEqual([0, 500, 752, 876, 1000]);
    expect(cutJob(128, [1, 0.8], 2)).toEqual(cutBy(128, [1, 0.8])); // one tile per thread: no tail
  });
});

it("with the default threshold, the MLP 784-128-10 at batch 32 splits its two large products and its first layer's update, and trains to the same bits; each tile of a forward product does its block's bias and activation", async () => {
  const spec = (threads: number): NetworkSpec => ({
    inputs: 784,
    layers: [
      { units: 128, activation: "sigmoid" },
      { units: 10, activation: "softmax" },
    ],
    loss: "crossEntropy",
    seed: 1,
    threads,
  });
  const next = testRandom(5);
  const x = randomMatrix(96, 784, () => next(0, 1));
  const y = Array.from({ length: 96 }, (_, i) => Array.from({ length: 10 }, (_, j) => (j === i % 10 ? 1 : 0)));
  const wide = Float64Array.from({ length: 1024 * 784 }, () => next(0, 1));
  const results = [];
  for (const threads of [1, 2]) {
    const net = await Network.create(spec(threads));
    const history = await net.fit(x, y, {
      epochs: 2,
      batchSize: 32,
      optimizer: "sgd",
      learningRate: 0.1,
      shuffle: false,
    });
    const core = (net as unknown as { backendRef: { core: Core } }).backendRef.core;
    const numbers = flat([history, net.toJSON(), net.predict(x)]);
    const trained = core.splitJobs;
    numbers.push(...flat(net.predict(wide))); // 1,024 rows
    results.push({ numbers, split: [trained, core.splitJobs - trained] });
    net.dispose();
  }
  expect(sameBits(results[1]!.numbers, results[0]!.numbers)).toBe(true);
  // per batch: z = x·Wᵀ (32×784·784×128, its tiles by units then adding the bias and taking the
  // sigmoid of their columns of z) and dW = dZᵀ·x (128×32·32×784, its tiles by units then taking
  // the first layer's update of their rows of W: the new values, which then become the parameters
  // with no copy); the output layer's are small. 2 epochs of 3 batches, then predict's 96×784·784×128. Predict on 1,024 rows: both products (the second is
  // 1,024×128·128×10), their tiles by rows, each with its rows' bias and sigmoid, or softmax: no
  // job of its own for an activation
  expect(results[1]!.split).toEqual([2 * 3 * 2 + 1, 2]);
});

// ---- the option ----

describe("the threads option", () => {
  const small = { inputs: 2, layers: [{ units: 3, activation: "tanh" as const }], loss: "mse" as const };

  it('takes 1 to 16 or "auto", refuses anything else by name, and net.threads says how many the network got', async () => {
    await expect(Network.create({ ...small, threads: 0 })).rejects.toThrow(
      new RangeError(`threads is 0; expected an integer from 1 to ${MAX_THREADS}, or "auto"`),
    );
    await expect(Network.create({ ...small, threads: 17 })).rejects.toThrow(RangeError);
    await expect(Network.create({ ...small, threads: 1.5 })).rejects.toThrow(RangeError);
    await expect(Network.create({ ...small, threads: "2" as unknown as number })).rejects.toThrow(
      new TypeError(`threads is "2"; expected an integer from 1 to ${MAX_THREADS}, or "auto"`),
    );
    await expect(Network.create({ ...small, thread: 2 } as unknown as NetworkSpec)).rejects.toThrow(
      /unknown key "thread"/,
    );
    const nets = await Promise.all([
      Network.create(small),
      Network.create({ ...small, threads: 2 }),
      Network.create({ ...small, threads: "auto" }),
      Network.create({ ...small, threads: 2, backend: "js" }),
    ]);
    expect(nets.map((net) => net.threads)).toEqual([1, 2, Math.min(MAX_THREADS, coreCount()), 1]);
    nets.forEach((net) => net.dispose());
    expect(nets[1]!.threads).toBe(2); // still answers after dispose(), like spec
  });

  it("fromJSON, fromONNX and fromTFJS take threads as an option; a saved file cannot choose them", async () => {
    const net = await Network.create({ ...small, seed: 3 });
    const json = { ...net.toJSON(), spec: { ...net.toJSON().spec, threads: 4 } } as unknown as Parameters<
      typeof Network.fromJSON
    >[0];
    const restored = await Network.fromJSON(json);
    expect(restored.threads).toBe(1);
    const threaded = await Network.fromJSON(net.toJSON(), { threads: 2 });
    expect(threaded.threads).toBe(2);
    expect(threaded.predict([[0.5, -0.25]])).toEqual(net.predict([[0.5, -0.25]]));
    expect((await Network.fromONNX(net.toONNX(), { threads: 2 })).threads).toBe(2);
    expect((await Network.fromTFJS(net.toTFJS(), { threads: 2 })).threads).toBe(2);
    await expect(
      Network.fromJSON(net.toJSON(), { threads: 2, thread: 1 } as unknown as { threads: number }),
    ).rejects.toThrow(/unknown key "thread"/);
    [net, restored, threaded].forEach((n) => n.dispose());
  });

  it("counts a packing scratch per thread beyond the first in the network's bytes", () => {
    const plan = (threads: number) => makePlan({ ...small, threads });
    expect(networkBytes(plan(3)) - networkBytes(plan(1))).toBe(2 * THREAD_PACKING_BYTES);
    expect(THREAD_PACKING_BYTES).toBe(128 * 256 * 8 + 2 ** 20 + 128); // assembly/matrix.ts: MC·KC·8 + B_MAX + a 4×4 tile
  });
});

// ---- reliability ----

// workers that were stopped come back to the pool when their message arrives: wait for them
const poolSettled = () => new Promise((resolve) => setTimeout(resolve, 200));

describe("reliability with threads", () => {
  it("a product that traps leaves no worker running: the call throws, nothing is written after it returns, and the next product is right", async () => {
    const core = await instantiateCore({ threads: 3, parallelWork: 0 });
    const wasm = core.exports;
    const [m, k, n] = [64, 300, 96];
    const a = wasm.alloc(8 * m * k) >>> 0,
      b = wasm.alloc(8 * k * n) >>> 0,
      out = wasm.alloc(8 * m * n) >>> 0;
    expect(wasm.packingReserve(wasm.packingBytesFor(m, k, n))).toBeTruthy();
    const next = testRandom(9);
    const f64 = core.f64();
    for (let i = 0; i < m * k; i++) f64[a / 8 + i] = next();
    for (let i = 0; i < k * n; i++) f64[b / 8 + i] = next();
    // out past the end of memory: every tile traps at its first store, in this thread or a worker
    expect(() => wasm.matmulTransB(a, b, core.bytes + 64, m, k, n)).toThrow();
    const after = core.f64().slice();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(sameBits(core.f64(), after)).toBe(true);
    for (let round = 0; round < 3; round++) {
      wasm.matmulTransB(a, b, out, m, k, n);
      const A = core.f64().slice(a / 8, a / 8 + m * k),
        B = core.f64().slice(b / 8, b / 8 + k * n);
      expect(sameBits(core.f64().subarray(out / 8, out / 8 + m * n), naive("matmulTransB", A, B, [m, k, n]))).toBe(
        true,
      );
    }
    core.dispose();
  });

  const spec: NetworkSpec = { inputs: 40, layers: [{ units: 40, activation: "relu" }], loss: "mse", threads: 3 };
  const x = [Array.from({ length: 40 }, (_, i) => i / 40)]; // 1×40·40×40: 1,600 multiply-adds

  it("workers start with the first split product, go back to the pool on dispose(), and the next network takes them", async () => {
    const splits = (net: Network) => (net as unknown as { backendRef: { core: Core } }).backendRef.core.splitJobs;
    const small = await Network.create(spec);
    settings.parallelWork = 1000;
    const [first, second] = [await Network.create(spec), await Network.create(spec)];
    settings.parallelWork = PARALLEL_WORK;
    await poolSettled();
    const idle = idleThreads();
    small.predict(x); // below the threshold: no product split, no worker started
    expect([splits(small), idleThreads()]).toEqual([0, idle]);
    first.predict(x);
    expect(splits(first)).toBe(1);
    const afterFirst = Math.max(0, idle - 2);
    expect(idleThreads()).toBe(afterFirst);
    first.dispose();
    for (let i = 0; i < 40 && idleThreads() < afterFirst + 2; i++)
      await new Promise((resolve) => setTimeout(resolve, 25));
    expect(idleThreads()).toBe(afterFirst + 2);
    second.predict(x);
    expect(idleThreads()).toBe(afterFirst);
    expect([small.threads, second.threads]).toEqual([3, 3]);
    small.dispose();
    second.dispose();
  });

  it("a batch past the memory's maximum is a CapacityError with the network unchanged, and its threads still work", async () => {
    const spec: NetworkSpec = {
      inputs: 64,
      layers: [
        { units: 96, activation: "tanh" },
        { units: 8, activation: "linear" },
      ],
      loss: "mse",
      seed: 2,
    };
    const backend = await WasmBackend.create(makePlan({ ...spec, threads: 2 }), { maximumPages: 48, parallelWork: 0 }); // 3 MiB
    const reference = await WasmBackend.create(makePlan(spec));
    expect([backend.threads, reference.threads]).toEqual([2, 1]);
    backend.initParameters(2);
    const before = backend.readParameters();
    reference.writeParameters(before);
    const x = Float64Array.from({ length: 64 * 40 }, (_, i) => Math.sin(i));
    const y = Float64Array.from({ length: 8 * 40 }, (_, i) => Math.cos(i));
    expect(() => backend.reserve(20_000)).toThrow(CapacityError);
    expect(sameBits(backend.readParameters(), before)).toBe(true);
    const step = backend.trainStep(x, y, 40, 0.1, false);
    expect(step).toEqual(reference.trainStep(x, y, 40, 0.1, false));
    expect(sameBits(backend.readParameters(), reference.readParameters())).toBe(true);
    backend.dispose();
    reference.dispose();
  });

  it("a threaded network dropped without dispose() sends its workers back to the pool once collected", async () => {
    v8.setFlagsFromString("--expose-gc");
    const gc = runInNewContext("gc") as () => void;
    await (async () => {
      settings.parallelWork = 1000;
      const net = await Network.create(spec);
      settings.parallelWork = PARALLEL_WORK;
      expect(net.predict(x)).toHaveLength(1);
    })();
    await poolSettled();
    const idleBefore = idleThreads();
    for (let i = 0; i < 20 && idleThreads() < idleBefore + 2; i++) {
      gc();
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(idleThreads()).toBe(idleBefore + 2);
  });

  it("a Node process whose threaded networks were never disposed exits at its end", () => {
    const script = fileURLToPath(new URL("./scripts/threads-exit.mjs", import.meta.url));
    const started = Date.now();
    const output = execFileSync(process.execPath, [script], { encoding: "utf8", timeout: 30_000 });
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(JSON.parse(output.trim().split("\n").pop()!)).toEqual({ threads: [2, 3], trained: true });
  }, 40_000);
});
