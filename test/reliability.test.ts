// The invariant, case by case: no call on one network, with any input, changes another network
// or leaves the library unable to work, and a call that fails leaves its network exactly as it
// was. Each case here is one that broke it once (issue 9); test/fuzz.test.ts searches for more.
import { describe, expect, it } from "vitest";
import {
  CapacityError,
  DivergenceError,
  MAX_PARAMETERS,
  Network,
  NonFiniteError,
  oneHot,
  Standardizer,
  type NetworkJSON,
  type NetworkSpec,
} from "../src/index.js";
import { batchBytes, checkMemory, MEMORY_LIMIT, networkBytes, optimizerBytes } from "../src/capacity.js";
import { makePlan } from "../src/plan.js";
import { WasmBackend } from "../src/backends/wasm/backend.js";
import { fit, type FitRun } from "../src/training/fit.js";
import { OPTIMIZERS, optimizerConfig, optimizerSettings, stateValues } from "../src/operations/optimizers.js";
import { BACKENDS, randomMatrix, relativeDifference, testRandom, wasmMemoryBytes } from "./backends.js";

const small: Omit<NetworkSpec, "backend"> = {
  inputs: 2,
  layers: [
    { units: 3, activation: "tanh" },
    { units: 2, activation: "softmax" },
  ],
  loss: "crossEntropy",
  seed: 3,
};
const x = [
  [0.1, 0.2],
  [0.3, -0.4],
  [-0.5, 0.6],
  [0.7, 0.8],
  [-0.9, -0.1],
];
const y = [
  [1, 0],
  [0, 1],
  [1, 0],
  [0, 1],
  [1, 0],
];

/** A 1-`units`-1 relu network whose outputs are easy to compute by hand: o = Σⱼ w2ⱼ·max(0, w1ⱼ·x + b1ⱼ) + b2. */
function byHand(json: NetworkJSON, input: number): number {
  const [hidden, out] = json.parameters;
  return (
    hidden!.weights.reduce(
      (sum, [w], j) => sum + out!.weights[0]![j]! * Math.max(0, w! * input + hidden!.biases[j]!),
      0,
    ) + out!.biases[0]!
  );
}

describe.each(BACKENDS)("$name backend", ({ name, create }) => {
  it("a 1-1023-1 network predicts 2¹⁹ rows (whose batch memory passed 2³² bytes), and a bystander is unchanged", async () => {
    const bystander = await create(small);
    const before = bystander.toJSON();
    const net = await create({
      inputs: 1,
      layers: [
        { units: 1023, activation: "relu" },
        { units: 1, activation: "linear" },
      ],
      loss: "mse",
      seed: 1,
    });
    const rows = 2 ** 19;
    const input = Float64Array.from({ length: rows }, (_, i) => (i % 1000) / 500 - 1);
    const out = net.predict(input);
    expect(out).toHaveLength(rows);
    const json = net.toJSON();
    for (const i of [0, 1, 999, 1000, 123_457, rows - 1])
      expect(Math.abs(out[i]![0]! - byHand(json, input[i]!))).toBeLessThan(1e-12);
    expect(bystander.toJSON()).toEqual(before);
    expect(bystander.predict(x)).toEqual((await create(small)).predict(x));
  });

  it("a network beyond the largest is refused at once, naming its size and the limit", async () => {
    const huge = { inputs: 65_536, layers: [{ units: 65_536, activation: "relu" as const }], loss: "mse" as const };
    const attempt = create(huge);
    await expect(attempt).rejects.toThrow(CapacityError);
    await expect(attempt).rejects.toThrow(/4,295,032,832 parameters .* larger than the largest, 67,108,864 parameters/);
    const error = (await attempt.catch((e: unknown) => e)) as CapacityError;
    expect(error).toBeInstanceOf(RangeError);
    expect(error.bytes).toBe(16 * 65_536 * 65_537);
    expect(error.limit).toBe(16 * MAX_PARAMETERS);
    // one parameter over the limit, checked before anything is allocated
    await expect(
      create({ inputs: MAX_PARAMETERS / 2, layers: [{ units: 2, activation: "linear" }], loss: "mse" }),
    ).rejects.toThrow(CapacityError);
    expect((await create(small)).predict(x)).toHaveLength(5);
  });

  it("a batch beyond a network's memory (4 GiB) is refused before anything is allocated, and the network is unchanged", async () => {
    const net = await create({
      inputs: 1,
      layers: [
        { units: 1023, activation: "relu" },
        { units: 1, activation: "linear" },
      ],
      loss: "mse",
      seed: 1,
    });
    const before = net.toJSON();
    // 8 bytes × rows × (1 input + 1 output + 3 × 1024 units) just over 2³² bytes: 2.1 MB of input
    const rows = Math.ceil(2 ** 32 / (8 * (2 + 3 * 1024)));
    const input = new Float64Array(rows).fill(0.5),
      target = new Float64Array(rows);
    expect(() => net.trainStep(input, target, { learningRate: 0.1 })).toThrow(CapacityError);
    const batch = 8 * rows * (2 + 3 * 1024);
    expect(batch).toBeGreaterThan(2 ** 32);
    expect(() => net.gradients(input, target)).toThrow(
      new RegExp(
        `gradients on ${rows.toLocaleString("en-US")} rows needs .* of memory \\(network .*, batch ${batch.toLocaleString("en-US")} bytes .*\\); a network holds at most`,
      ),
    );
    await expect(net.fit(input, target, { epochs: 1, batchSize: rows })).rejects.toThrow(CapacityError);
    expect(net.toJSON()).toEqual(before);
    // the same rows in batches that fit train; predict and loss take them in chunks
    expect(net.loss(input, target)).toBeGreaterThanOrEqual(0);
    expect(net.predict(input.subarray(0, 3))).toHaveLength(3);
  });

  it.each([2 ** 31, 2 ** 32, 2 ** 53])(
    "fit with a batch size of %d is one full batch, as a batch size of the row count is",
    async (batchSize) => {
      const options = { epochs: 3, optimizer: "sgd" as const, learningRate: 0.1, shuffle: true };
      const full = await create(small),
        huge = await create(small);
      const expected = await full.fit(x, y, { ...options, batchSize: x.length });
      expect(await huge.fit(x, y, { ...options, batchSize })).toEqual(expected);
      expect(huge.toJSON()).toEqual(full.toJSON());
      expect(expected.loss.every((l) => l > 0)).toBe(true);
    },
  );

  it("evaluate() between a fit's epochs leaves that fit's history as it is without it", async () => {
    const next = testRandom(5);
    const xs = randomMatrix(40, 2, next),
      ys = xs.map(([a, b]) => (a! * b! > 0 ? [1, 0] : [0, 1]));
    const options = { epochs: 4, batchSize: 8, optimizer: "adam" as const, learningRate: 0.05 };
    const alone = await create(small),
      watched = await create(small);
    const expected = await alone.fit(xs, ys, options);
    const seen: number[] = [];
    const history = await watched.fit(xs, ys, {
      ...options,
      onEpochEnd: () => void seen.push(watched.evaluate(xs, ys).accuracy!),
    });
    expect(history).toEqual(expected);
    expect(seen).toHaveLength(4);
    // the validation figures of a fit are evaluate's, computed the same way
    const checked = await create(small);
    const validated = await checked.fit(xs, ys, { ...options, epochs: 1, validationData: [x, y] });
    expect(validated.valLoss![0]).toBe(checked.evaluate(x, y).loss);
    expect(validated.valAccuracy![0]).toBe(checked.evaluate(x, y).accuracy);
  });

  it("a fit that diverges at its first batch leaves the network as it was: the earlier optimizer, its moments and the generator", async () => {
    // linear hidden units, so that an input of 1e300 reaches the update: logits of ~1e300 against the
    // target the network finds least likely give o − t = ±1, and 1e10 · (o − t) · a overflows
    const linear = { ...small, layers: [{ units: 3, activation: "linear" as const }, small.layers[1]!] };
    const net = await create(linear),
      twin = await create(linear);
    for (const n of [net, twin]) await n.fit(x, y, { epochs: 3, batchSize: 2, optimizer: "adam", learningRate: 0.01 });
    const before = net.toJSON();
    expect(before.optimizer).toMatchObject({ name: "adam", steps: 9 });
    const unlikely = net.predict([[1e300, 1e300]])[0]![0]! > 0.5 ? [[0, 1]] : [[1, 0]];
    const failed = net.fit([[1e300, 1e300]], unlikely, { epochs: 2, optimizer: "momentum", learningRate: 1e10 });
    await expect(failed).rejects.toThrow(DivergenceError);
    const error = (await failed.catch((e: unknown) => e)) as DivergenceError & {
      epoch: number;
      batch: number;
      parameters: unknown;
    };
    expect([error.epoch, error.batch]).toEqual([0, 0]);
    expect(error.parameters).toEqual(before.parameters); // nothing of the failed batch was applied
    expect(net.toJSON()).toEqual(before);
    // and training goes on exactly as if the failed fit had never been called
    const options = { epochs: 2, batchSize: 2, optimizer: "adam" as const, learningRate: 0.01 };
    expect(await net.fit(x, y, options)).toEqual(await twin.fit(x, y, options));
    expect(net.toJSON()).toEqual(twin.toJSON());
  });

  it("a fit whose onEpochEnd throws leaves the network as it was before the fit", async () => {
    const net = await create(small);
    const before = net.toJSON();
    const failing = net.fit(x, y, {
      epochs: 5,
      optimizer: "sgd",
      learningRate: 0.1,
      onEpochEnd: (epoch) => {
        if (epoch === 2) throw new Error("stop here");
      },
    });
    await expect(failing).rejects.toThrow("stop here");
    expect(net.toJSON()).toEqual(before);
  });

  it("fromJSON refuses optimizer states that training cannot produce, and loads every state toJSON writes", async () => {
    const net = await create(small);
    await net.fit(x, y, { epochs: 2, batchSize: 2, optimizer: "adam", learningRate: 0.01 });
    const json = net.toJSON();
    const opt = json.optimizer!;
    const with_ = (change: Partial<typeof opt>) => ({ ...json, optimizer: { ...opt, ...change } });
    const half = opt.state.length / 2;
    const negative = opt.state.map((v, i) => (i === half + 3 ? -1e-9 : v));
    const cases: [unknown, new (...args: never[]) => Error, RegExp][] = [
      [with_({ beta1Power: 1.5 }), RangeError, /optimizer\.beta1Power is 1\.5; after 6 adam steps it is in \[0, 1\)/],
      [with_({ beta2Power: -0.1 }), RangeError, /optimizer\.beta2Power is -0\.1/],
      [with_({ beta1Power: 1 }), RangeError, /beta1Power is 1; after 6 adam steps it is in \[0, 1\)/],
      [
        with_({ state: negative }),
        RangeError,
        new RegExp(`optimizer\\.state\\[${half + 3}\\] \\(a second moment\\) is -1e-9; expected ≥ 0`),
      ],
      [with_({ steps: -1 }), TypeError, /optimizer\.steps is -1; expected an integer ≥ 0/],
      [with_({ steps: 2.5 }), TypeError, /optimizer\.steps is 2\.5/],
      [with_({ steps: 0 }), RangeError, /beta1Power is .*; after 0 adam steps it is 1/],
      [
        with_({ steps: 0, beta1Power: 1, beta2Power: 1 }),
        RangeError,
        /optimizer\.state\[\d+\] is .* before any step; expected 0/,
      ],
      [with_({ extra: 1 } as never), TypeError, /optimizer has an unknown key "extra"/],
      [{ ...json, optimizer: null }, TypeError, /optimizer is null/],
    ];
    for (const [bad, type, message] of cases) {
      const attempt = Network.fromJSON(bad as NetworkJSON, { backend: name });
      await expect(attempt).rejects.toThrow(type);
      await expect(attempt).rejects.toThrow(message);
    }
    const momentum = await create(small);
    await momentum.fit(x, y, { epochs: 1, optimizer: "momentum" });
    const m = momentum.toJSON();
    await expect(Network.fromJSON({ ...m, optimizer: { ...m.optimizer!, beta1Power: 0.9 } })).rejects.toThrow(
      /beta1Power is 0\.9; after 1 momentum step it is 1/,
    );
    for (const saved of [json, m, (await create(small)).toJSON()]) {
      const copy = await Network.fromJSON(JSON.stringify(saved), { backend: name });
      expect(copy.toJSON()).toEqual(saved);
    }
  });

  it("a standardizer of huge values saves and loads exactly; values beyond float64's spread are refused by name", async () => {
    const columns = [
      [1e200, 1],
      [-1e200, 2],
      [3e199, 3],
    ];
    const standardizer = Standardizer.fit(columns);
    expect(standardizer.std.every(Number.isFinite)).toBe(true);
    // σ of column 0 from the definition, scaled by hand to avoid the overflow: 1e200·√(Σ((x−μ)/1e200)²/3)
    const mean = (1e200 - 1e200 + 3e199) / 3;
    const scaled = columns.map(([v]) => (v! - mean) / 1e200);
    expect(
      relativeDifference([standardizer.std[0]!], [1e200 * Math.sqrt(scaled.reduce((s, d) => s + d * d, 0) / 3)]),
    ).toBeLessThan(1e-15);
    const net = await create({ inputs: 2, layers: [{ units: 1, activation: "linear" }], loss: "mse" });
    net.setStandardizer(standardizer);
    const text = JSON.stringify(net);
    const copy = await Network.fromJSON(text, { backend: name });
    expect(copy.toJSON()).toEqual(net.toJSON());
    expect(copy.predict(columns)).toEqual(net.predict(columns));
    // here the mean is −0.57e308, so 1.7e308 − mean is beyond float64
    expect(() => Standardizer.fit([[1.7e308], [-1.7e308], [-1.7e308]])).toThrow(NonFiniteError);
    expect(() => Standardizer.fit([[1.7e308], [-1.7e308], [-1.7e308]])).toThrow(
      /column 0's values are too far apart for float64/,
    );
    expect(Standardizer.fit([[1.7e308], [-1.7e308]]).std[0]).toBe(1.7e308);
  });

  it("nothing is silently ignored: holes in layers, unknown keys, a number given as a string", async () => {
    const cases: [() => Promise<unknown> | unknown, new (...args: never[]) => Error, RegExp][] = [
      [
        () =>
          create({
            ...small,
            layers: [{ units: 3, activation: "tanh" }, , { units: 2, activation: "softmax" }] as never,
          }),
        TypeError,
        /layers\[1\] is missing \(the array has a hole\)/,
      ],
      [
        () => create({ ...small, dropout: 0.5 } as never),
        TypeError,
        /the network spec has an unknown key "dropout"; the keys are "inputs", "layers", "loss", "backend", "seed"/,
      ],
      [
        () => create({ ...small, layers: [{ units: 3, activation: "tanh", bias: false }, small.layers[1]!] } as never),
        TypeError,
        /layers\[0\] has an unknown key "bias"/,
      ],
      [() => create({ ...small, inputs: "2" } as never), TypeError, /inputs is "2"; expected a positive integer/],
    ];
    for (const [call, type, message] of cases) {
      await expect(Promise.resolve().then(call)).rejects.toThrow(type);
      await expect(Promise.resolve().then(call)).rejects.toThrow(message);
    }
    const net = await create(small);
    const before = net.toJSON();
    expect(() => net.trainStep(x, y, { learningRate: 0.1, momentum: 0.9 } as never)).toThrow(
      /trainStep's options has an unknown key "momentum"; the keys are "learningRate"/,
    );
    await expect(net.fit(x, y, { epochs: 2, earlyStopping: { patience: 1, mode: "min" } as never })).rejects.toThrow(
      /fit: earlyStopping has an unknown key "mode"/,
    );
    await expect(Network.fromJSON(before, { backend: name, seed: 1 } as never)).rejects.toThrow(
      /fromJSON's options has an unknown key "seed"/,
    );
    expect(net.toJSON()).toEqual(before);
  });
});

describe("the Wasm backend at scale", () => {
  it("a 10-128-64-8 network predicts 1,000,000 rows with its memory bounded by the chunk, and networks can still be created", async () => {
    const net = await Network.create({
      inputs: 10,
      layers: [
        { units: 128, activation: "relu" },
        { units: 64, activation: "tanh" },
        { units: 8, activation: "softmax" },
      ],
      loss: "crossEntropy",
      seed: 2,
    });
    const rows = 1_000_000;
    const input = Float64Array.from({ length: rows * 10 }, (_, i) => ((i * 7919) % 1013) / 1013);
    const out = net.predict(input);
    expect(out).toHaveLength(rows);
    for (const i of [0, 54_321, rows - 1]) expect(out[i]).toEqual(net.predict(input.subarray(i * 10, (i + 1) * 10))[0]);
    expect(wasmMemoryBytes(net)).toBeLessThan(32 * 2 ** 20);
    expect((await Network.create(small)).predict(x)).toHaveLength(5);
  });

  it("predict on 10,000,000 rows of a 10-input network returns all of them, in a memory of a few MiB", async () => {
    const net = await Network.create({
      inputs: 10,
      layers: [
        { units: 4, activation: "relu" },
        { units: 1, activation: "linear" },
      ],
      loss: "mse",
      seed: 4,
    });
    const rows = 10_000_000;
    const input = new Float64Array(rows * 10);
    for (let i = 0; i < input.length; i++) input[i] = (i % 97) / 97;
    const out = net.predict(input);
    expect(out).toHaveLength(rows);
    const [hidden, last] = net.getParameters();
    for (const i of [0, 1, 4_999_999, rows - 1]) {
      const row = input.subarray(i * 10, (i + 1) * 10);
      const h = hidden!.weights.map((w, j) =>
        Math.max(0, w.reduce((s, wk, k) => s + wk * row[k]!, 0) + hidden!.biases[j]!),
      );
      expect(
        Math.abs(out[i]![0]! - (h.reduce((s, hj, j) => s + last!.weights[0]![j]! * hj, 0) + last!.biases[0]!)),
      ).toBeLessThan(1e-12);
    }
    expect(wasmMemoryBytes(net)).toBeLessThan(24 * 2 ** 20);
  }, 120_000);

  it("a batch of just over 2³¹ bytes trains: sizes past the 32-bit signed range are computed without wrapping", async () => {
    const spec: NetworkSpec = {
      inputs: 1,
      layers: [
        { units: 1023, activation: "relu" },
        { units: 1, activation: "linear" },
      ],
      loss: "mse",
      seed: 6,
    };
    const net = await Network.create(spec);
    const rows = Math.ceil(2 ** 31 / (8 * (2 + 3 * 1024))) + 1;
    expect(batchBytes(makePlan(spec), rows)).toBeGreaterThan(2 ** 31);
    const input = Float64Array.from({ length: rows }, (_, i) => (i % 200) / 100 - 1),
      target = input.map((v) => v * v);
    // the gradient of the whole batch is the row-weighted mean of its two halves' gradients
    const half = Math.floor(rows / 2);
    const whole = net.gradients(input, target).flatMap((l) => [...l.weights.flat(), ...l.biases]);
    const first = net
      .gradients(input.subarray(0, half), target.subarray(0, half))
      .flatMap((l) => [...l.weights.flat(), ...l.biases]);
    const second = net
      .gradients(input.subarray(half), target.subarray(half))
      .flatMap((l) => [...l.weights.flat(), ...l.biases]);
    const combined = whole.map((_, i) => (first[i]! * half + second[i]! * (rows - half)) / rows);
    expect(relativeDifference(whole, combined)).toBeLessThan(1e-12);
  }, 120_000);
});

describe("the capacity arithmetic", () => {
  it("an optimizer's state is counted as its descriptor's values per parameter, twice (the state and its spare)", () => {
    // the largest network, 2²⁶ parameters: with SGD it fits; with RMSprop's three values per parameter it does not
    const plan = makePlan({ inputs: 2 ** 26 / 2 - 1, layers: [{ units: 2, activation: "linear" }], loss: "mse" });
    expect(plan.paramCount).toBe(2 ** 26);
    expect(OPTIMIZERS.map((name) => [name, stateValues(name)])).toEqual([
      ["sgd", 0],
      ["momentum", 1],
      ["adam", 2],
      ["rmsprop", 3],
      ["adagrad", 1],
      ["adamw", 2],
    ]);
    const parts = (name: (typeof OPTIMIZERS)[number]) => ({
      network: networkBytes(plan),
      optimizer: optimizerBytes(plan, stateValues(name)),
      batch: batchBytes(plan, 1),
    });
    expect(optimizerBytes(plan, stateValues("rmsprop"))).toBe(2 * 8 * 3 * 2 ** 26);
    expect(() => checkMemory(() => "sgd", parts("sgd"))).not.toThrow();
    expect(() => checkMemory(() => "adagrad", parts("adagrad"))).not.toThrow();
    expect(() => checkMemory(() => "rmsprop", parts("rmsprop"))).toThrow(CapacityError);
  });

  it("a batch's bytes are 8 · rows · (inputs + outputs + 3 · Σ units), exact for sizes past 2³²", () => {
    const plan = makePlan({
      inputs: 784,
      layers: [
        { units: 128, activation: "relu" },
        { units: 10, activation: "softmax" },
      ],
      loss: "crossEntropy",
    });
    expect(batchBytes(plan, 32)).toBe(8 * 32 * (784 + 10 + 3 * 138));
    expect(batchBytes(plan, 2 ** 40)).toBe(8 * 2 ** 40 * 1208);
  });

  it("checkMemory allows exactly the limit and refuses a byte more", () => {
    const limit = MEMORY_LIMIT - 2 ** 21;
    expect(() => checkMemory(() => "this", { network: 0, batch: limit })).not.toThrow();
    expect(() => checkMemory(() => "this", { network: 0, batch: limit + 1 })).toThrow(CapacityError);
    expect(() => checkMemory(() => "this", { network: 2 ** 31, batch: 2 ** 31 })).toThrow(
      /this needs 4,294,967,296 bytes \(4 GiB\) of memory \(network 2,147,483,648 bytes \(2 GiB\), batch 2,147,483,648 bytes \(2 GiB\)\)/,
    );
  });

  it("oneHot refuses a result too large for arrays instead of exhausting the process", () => {
    expect(() => oneHot([0], 1e9)).toThrow(CapacityError);
    expect(() => oneHot([0], 1e9)).toThrow(/oneHot: the rows would be 1 rows of 1,000,000,000 numbers/);
    expect(oneHot([2, 0], 3)).toEqual([
      [0, 0, 1],
      [1, 0, 0],
    ]);
  });
});

describe("the Wasm backend at the limit of its memory", () => {
  // backends with a memory that can grow to 1 MiB only, so that the limit is reached without gigabytes
  const spec: NetworkSpec = {
    inputs: 20,
    layers: [
      { units: 16, activation: "tanh" },
      { units: 3, activation: "softmax" },
    ],
    loss: "crossEntropy",
    seed: 8,
  };
  const plan = makePlan(spec);
  const next = testRandom(21);
  const rows = 7000; // 6000 training rows × (20 + 3) × 8 bytes = 1.1 MB: more than the whole memory (1 MiB)
  const xs = Float64Array.from({ length: rows * 20 }, () => next());
  const ys = Float64Array.from({ length: rows * 3 }, (_, i) => (i % 3 === Math.floor(i / 3) % 3 ? 1 : 0));

  // what Network.fit does, on a backend given
  async function train(backend: WasmBackend, options: Partial<FitRun>, validation: boolean) {
    const run: FitRun = {
      epochs: 3,
      batchSize: 32,
      shuffle: true,
      optimizer: optimizerConfig("adam", 0.01, 0, "test"),
      learningRateSchedule: null,
      earlyStopping: null,
      onEpochEnd: null,
      signal: null,
      validationChunk: validation ? 250 : 0,
      ...options,
    };
    backend.reserve(Math.max(run.batchSize, run.validationChunk), rows - 1000);
    backend.setOptimizer(optimizerSettings(run.optimizer));
    const trainSet = backend.createDataSet(
      xs.subarray(0, (rows - 1000) * 20),
      ys.subarray(0, (rows - 1000) * 3),
      rows - 1000,
    );
    const validationSet = validation
      ? backend.createDataSet(xs.subarray((rows - 1000) * 20), ys.subarray((rows - 1000) * 3), 1000)
      : null;
    const history = await fit(plan, backend, trainSet, validationSet, run, () => false);
    const streamed = (trainSet as unknown as { ptr: number }).ptr === 0; // a data set left in JavaScript
    return { streamed, result: { history, parameters: backend.readParameters(), state: backend.readTrainingState() } };
  }

  it.each([
    ["whole epochs in one call", {}, false],
    ["epochs in slices, with validation and a callback", { onEpochEnd: () => undefined }, true],
    ["unshuffled", { shuffle: false }, false],
  ] as const)(
    "a data set the memory cannot hold is streamed, with the same results bit for bit: %s",
    async (_, options, validation) => {
      const resident = await WasmBackend.create(plan);
      resident.initParameters(plan.seed);
      const streamed = await WasmBackend.create(plan, { maximumPages: 16 });
      streamed.initParameters(plan.seed);
      const { streamed: residentStreamed, result: expected } = await train(resident, options, validation);
      const { streamed: wasStreamed, result: got } = await train(streamed, options, validation);
      expect([residentStreamed, wasStreamed]).toEqual([false, true]);
      expect(got).toEqual(expected);
      expect(expected.history.loss).toHaveLength(3);
    },
  );

  it("a batch the memory cannot hold is a CapacityError, and the network goes on as before", async () => {
    const backend = await WasmBackend.create(plan, { maximumPages: 16 });
    backend.initParameters(plan.seed);
    const probe = xs.subarray(0, 20 * 4);
    const before = backend.predict(probe, 4);
    expect(() => backend.reserve(5000)).toThrow(CapacityError);
    expect(() => backend.reserve(5000)).toThrow(
      /a batch of 5000 rows needs .* more than the network's memory holds now .* it grows to at most 1,048,576 bytes/,
    );
    expect(backend.predict(probe, 4)).toEqual(before);
    expect(() => backend.createDataSet(xs, ys, rows)).not.toThrow(); // streamed instead
  });
});
