// fit: optimizers against torch.optim's formulas worked by hand, the history's figures,
// validation, early stopping, stopping by callback or signal, divergence, determinism,
// resuming from JSON, and option checking.
import { describe, expect, it } from "vitest";
import { DivergenceError, Network, type FitOptions, type History, type NetworkSpec } from "../src/index.js";
import { BACKENDS, flat, randomMatrix, relativeDifference, testRandom, wasmMemoryBytes } from "./backends.js";

// one linear neuron z = w·x + b with mse: dE/dw = mean((z − t)·x), dE/db = mean(z − t)
const line: Omit<NetworkSpec, "backend"> = { inputs: 1, layers: [{ units: 1, activation: "linear" }], loss: "mse" };
const lx = [[1], [2], [-1]], ly = [[1], [3], [0.5]];
function lineGradient(w: number, b: number): [number, number] {
  let gw = 0, gb = 0;
  lx.forEach(([x], i) => {
    const e = w * x! + b - ly[i]![0]!;
    gw += (e * x!) / lx.length;
    gb += e / lx.length;
  });
  return [gw, gb];
}

// torch.optim's update rules, run on [w, b] for `steps` full-batch steps; decay on w only
function byHand(kind: "sgd" | "momentum" | "nesterov" | "adam", lr: number, steps: number, decay = 0): number[] {
  const theta = [0.5, 0.1], v = [0, 0], m = [0, 0], s = [0, 0];
  const [mu, b1, b2, eps] = [0.9, 0.9, 0.999, 1e-8];
  for (let t = 1; t <= steps; t++) {
    const g = lineGradient(theta[0]!, theta[1]!);
    g[0] += decay * theta[0]!;
    for (const i of [0, 1]) {
      if (kind === "sgd") theta[i] -= lr * g[i]!;
      else if (kind === "momentum" || kind === "nesterov") {
        v[i] = mu * v[i]! + g[i]!;
        theta[i] -= lr * (kind === "nesterov" ? g[i]! + mu * v[i]! : v[i]!);
      } else {
        m[i] = b1 * m[i]! + (1 - b1) * g[i]!;
        s[i] = b2 * s[i]! + (1 - b2) * g[i]! ** 2;
        const mHat = m[i]! / (1 - b1 ** t), vHat = s[i]! / (1 - b2 ** t);
        theta[i] -= (lr * mHat) / (Math.sqrt(vHat) + eps);
      }
    }
  }
  return theta;
}

describe.each(BACKENDS)("$name backend", ({ create }) => {
  const lineNet = async () => {
    const net = await create(line);
    net.setParameters([{ weights: [[0.5]], biases: [0.1] }]);
    return net;
  };
  const fullBatch: Partial<FitOptions> = { batchSize: 3, shuffle: false };

  describe("optimizers: the first steps equal torch.optim's formulas worked by hand", () => {
    it.each([
      ["sgd", { optimizer: "sgd", learningRate: 0.1 }, byHand("sgd", 0.1, 4)],
      ["sgd with weight decay", { optimizer: "sgd", learningRate: 0.1, weightDecay: 0.5 }, byHand("sgd", 0.1, 4, 0.5)],
      ["momentum", { optimizer: "momentum", learningRate: 0.05 }, byHand("momentum", 0.05, 4)],
      ["Nesterov momentum", { optimizer: { name: "momentum", momentum: 0.9, nesterov: true }, learningRate: 0.05 }, byHand("nesterov", 0.05, 4)],
      ["adam", { optimizer: "adam", learningRate: 0.01 }, byHand("adam", 0.01, 4)],
      ["adam with weight decay", { optimizer: { name: "adam", beta1: 0.9, beta2: 0.999, epsilon: 1e-8 }, learningRate: 0.01, weightDecay: 0.1 }, byHand("adam", 0.01, 4, 0.1)],
    ] as [string, Partial<FitOptions>, number[]][])("%s", async (_, options, expected) => {
      const net = await lineNet();
      await net.fit(lx, ly, { ...fullBatch, ...options, epochs: 4 });
      const [w, b] = flat(net.getParameters());
      expect(w).toBeCloseTo(expected[0]!, 14);
      expect(b).toBeCloseTo(expected[1]!, 14);
    });

    it("a second fit with the same optimizer continues its state (moments, step count)", async () => {
      const net = await lineNet();
      await net.fit(lx, ly, { ...fullBatch, optimizer: "adam", learningRate: 0.01, epochs: 2 });
      await net.fit(lx, ly, { ...fullBatch, optimizer: "adam", learningRate: 0.01, epochs: 2 });
      const expected = byHand("adam", 0.01, 4);
      flat(net.getParameters()).forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 14));
    });
  });

  it("history.loss is the batch-size-weighted mean of the epoch's batch losses, each before its update", async () => {
    const spec = { inputs: 2, layers: [{ units: 3, activation: "tanh" as const }, { units: 1, activation: "linear" as const }], loss: "mse" as const, seed: 4 };
    const next = testRandom(2);
    const x = randomMatrix(7, 2, next), y = randomMatrix(7, 1, next);
    const net = await create(spec), replay = await create(spec);
    const history = await net.fit(x, y, { epochs: 2, batchSize: 3, shuffle: false, optimizer: "sgd", learningRate: 0.1 });
    for (let epoch = 0; epoch < 2; epoch++) {
      let sum = 0;
      for (const [from, to] of [[0, 3], [3, 6], [6, 7]] as const)
        sum += replay.trainStep(x.slice(from, to), y.slice(from, to), { learningRate: 0.1 }) * (to - from);
      expect(history.loss[epoch]).toBeCloseTo(sum / 7, 14);
    }
    expect(relativeDifference(flat(net.getParameters()), flat(replay.getParameters()))).toBeLessThan(1e-14);
  });

  describe("validation and accuracy", () => {
    const spec = { inputs: 2, layers: [{ units: 8, activation: "tanh" as const }, { units: 2, activation: "softmax" as const }], loss: "crossEntropy" as const, seed: 5 };
    const next = testRandom(6);
    const x = randomMatrix(50, 2, next);
    const y = x.map(([a, b]) => (a! * b! > 0 ? [1, 0] : [0, 1]));

    it("validationSplit holds out the last rows, before shuffling; accuracy is the share of argmax matches", async () => {
      const net = await create(spec);
      const history = await net.fit(x, y, { epochs: 1, validationSplit: 0.2, batchSize: 8, optimizer: "adam", learningRate: 0.01 });
      const held = net.evaluate(x.slice(40), y.slice(40));
      expect(history.valLoss![0]).toBeCloseTo(held.loss, 14); // summed in chunks of the batch size: the last bit may differ
      expect(history.valAccuracy![0]).toBe(held.accuracy);
      const predicted = net.predict(x.slice(40)).map((o) => (o[0]! > o[1]! ? 0 : 1));
      expect(held.accuracy).toBe(predicted.filter((c, i) => c === (y[40 + i]![0] === 1 ? 0 : 1)).length / 10);
      expect(history.accuracy![0]).toBeGreaterThanOrEqual(0);
      expect(history.accuracy![0]).toBeLessThanOrEqual(1);
    });

    it("evaluate: the loss equals loss(), accuracy for a sigmoid output is the share of outputs on the target's side of ½", async () => {
      const net = await create({ inputs: 2, layers: [{ units: 2, activation: "sigmoid" }], loss: "binaryCrossEntropy", seed: 1 });
      net.setParameters([{ weights: [[1, 0], [0, -1]], biases: [0, 0] }]);
      const ex = [[1, 1], [-1, 1], [2, -3]], ey = [[1, 0], [1, 1], [0, 1]];
      // outputs σ(x₀) and σ(−x₁) are ≥ ½ as [1,0], [0,0], [1,1] against targets [1,0], [1,1], [0,1]: 2 + 0 + 1 of 6 right
      expect(net.evaluate(ex, ey)).toEqual({ loss: net.loss(ex, ey), accuracy: 3 / 6 });
      const linear = await create(line);
      expect(linear.evaluate(lx, ly)).toEqual({ loss: linear.loss(lx, ly) });
    });

    it("validationData is evaluated after every epoch", async () => {
      const net = await create(spec);
      const epochs: number[] = [];
      await net.fit(x.slice(0, 40), y.slice(0, 40), {
        epochs: 3,
        validationData: [x.slice(40), y.slice(40)],
        onEpochEnd: (_, logs) => {
          epochs.push(logs.valLoss!);
          expect(logs.valLoss).toBe(net.evaluate(x.slice(40), y.slice(40)).loss);
        },
      });
      expect(epochs).toHaveLength(3);
    });
  });

  describe("stopping", () => {
    it("early stopping stops after `patience` epochs without improvement and restores exactly the best epoch's parameters", async () => {
      const net = await lineNet();
      const seen: number[][] = [];
      // training pulls towards y = 2x + 1, validation wants y = −x: the validation loss is best early
      const history = await net.fit([[0], [1], [2]], [[1], [3], [5]], {
        epochs: 50, batchSize: 3, optimizer: "sgd", learningRate: 0.05,
        validationData: [[[0], [1], [2]], [[0], [-1], [-2]]],
        earlyStopping: { patience: 2 },
        onEpochEnd: () => void seen.push(flat(net.getParameters())),
      });
      const best = history.valLoss!.indexOf(Math.min(...history.valLoss!));
      expect(history.stopReason).toBe("earlyStopping");
      expect(history.stoppedEpoch).toBe(best + 2);
      expect(history.loss).toHaveLength(best + 3);
      expect(flat(net.getParameters())).toEqual(seen[best]);
    });

    it("restoreBest false keeps the last parameters; monitor 'loss' without validation", async () => {
      const net = await lineNet();
      const history = await net.fit(lx, ly, { epochs: 30, optimizer: "sgd", learningRate: 0.5, earlyStopping: { patience: 1, minDelta: 10, restoreBest: false } });
      expect(history.stoppedEpoch).toBe(1); // nothing improves the loss by 10 after epoch 0
      expect(history.loss).toHaveLength(2);
    });

    it("onEpochEnd returning false stops after that epoch", async () => {
      const net = await lineNet();
      const history = await net.fit(lx, ly, { epochs: 10, onEpochEnd: (epoch) => epoch !== 3 });
      expect(history.loss).toHaveLength(4);
      expect(history).toMatchObject({ stoppedEpoch: 3, stopReason: "callback" });
    });

    it("an aborted signal stops: before the first batch if aborted already, else between batches", async () => {
      const net = await lineNet();
      const before = net.getParameters();
      const aborted = new AbortController();
      aborted.abort();
      expect(await net.fit(lx, ly, { epochs: 5, signal: aborted.signal })).toEqual({ loss: [], stoppedEpoch: 0, stopReason: "aborted" });
      expect(net.getParameters()).toEqual(before);

      const controller = new AbortController();
      const history = await net.fit(lx, ly, { epochs: 10, signal: controller.signal, onEpochEnd: (epoch) => void (epoch === 2 && controller.abort()) });
      expect(history).toMatchObject({ stoppedEpoch: 3, stopReason: "aborted" });
      expect(history.loss).toHaveLength(3);
    });

    it("an abort during a long epoch stops it between batches, and the event loop keeps running meanwhile", async () => {
      const next = testRandom(3);
      const x = Float64Array.from({ length: 20000 * 20 }, () => next());
      const y = Float64Array.from({ length: 20000 * 10 }, () => next());
      const net = await create({ inputs: 20, layers: [{ units: 64, activation: "relu" }, { units: 10, activation: "linear" }], loss: "mse", seed: 1 });
      const controller = new AbortController();
      let ticks = 0;
      const ticker = setInterval(() => ticks++, 1);
      setTimeout(() => controller.abort(), 5);
      const history = await net.fit(x, y, { epochs: 2, batchSize: 4, signal: controller.signal });
      clearInterval(ticker);
      expect(history).toMatchObject({ stoppedEpoch: 0, stopReason: "aborted", loss: [] });
      expect(ticks).toBeGreaterThan(0);
      expect(flat(net.getParameters()).every(Number.isFinite)).toBe(true);
    });
  });

  it("a divergent run throws a DivergenceError naming the epoch and batch, with finite parameters left", async () => {
    const net = await lineNet();
    const x = [[1e100], [2e100], [3e100]], y = [[0], [0], [0]];
    const error = await net.fit(x, y, { epochs: 5, batchSize: 1, shuffle: false, optimizer: "sgd", learningRate: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DivergenceError);
    expect((error as Error).message).toMatch(/fit: .* non-finite in epoch 0, batch \d \(optimizer "sgd", learningRate 1\); .* Try a smaller learningRate/);
    expect((error as { history: History }).history.loss).toEqual([]);
    expect(flat(net.getParameters()).every(Number.isFinite)).toBe(true);
    expect(() => net.predict([[1]])).not.toThrow();
  });

  it.each(["sgd", "momentum", "adam"] as const)("%s: an update that would overflow is not applied, and is reported as such; the optimizer's state is kept", async (optimizer) => {
    const net = await create({ inputs: 2, layers: [{ units: 1, activation: "linear" }], loss: "mse" });
    net.setParameters([{ weights: [[1, 1]], biases: [0] }]);
    // E = ½(1e154)² = 5e307 and dE/dw₀ = 1e308 are finite, but a step of 1e308 times a huge rate is not
    const learningRate = optimizer === "adam" ? 1e308 : 10;
    // a first, ordinary step, so that the state (velocity, moments, step count) is not zero
    await net.fit([[0.5, -0.25]], [[1]], { epochs: 1, batchSize: 1, optimizer, learningRate: 0.1 });
    const before = net.toJSON();
    expect(before.optimizer!.steps).toBe(1);
    if (optimizer !== "sgd") expect(before.optimizer!.state.some((v) => v !== 0)).toBe(true);
    const error = await net.fit([[1e154, 0]], [[0]], { epochs: 1, batchSize: 1, optimizer, learningRate }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/an update would have made a parameter non-finite in epoch 0, batch 0/);
    const after = net.toJSON();
    expect(after.parameters).toEqual(before.parameters);
    expect({ ...after.optimizer, learningRate: 0.1 }).toEqual(before.optimizer);
  });

  it("the same seed, data and options give identical histories and parameters", async () => {
    const spec = { inputs: 3, layers: [{ units: 6, activation: "relu" as const }, { units: 3, activation: "softmax" as const }], loss: "crossEntropy" as const, seed: 8 };
    const next = testRandom(12);
    const x = randomMatrix(40, 3, next);
    const y = x.map((r) => [0, 1, 2].map((k) => (k === (r[0]! > 0 ? 0 : r[1]! > 0 ? 1 : 2) ? 1 : 0)));
    const options: FitOptions = { epochs: 5, batchSize: 7, optimizer: "momentum", learningRate: 0.1, validationSplit: 0.25 };
    const [a, b] = [await create(spec), await create(spec)];
    const [ha, hb] = [await a.fit(x, y, options), await b.fit(x, y, options)];
    expect(ha).toEqual(hb);
    expect(a.getParameters()).toEqual(b.getParameters());
  });

  it("a model saved mid-training and reloaded continues bit-identically", async () => {
    const spec = { inputs: 2, layers: [{ units: 5, activation: "tanh" as const }, { units: 1, activation: "sigmoid" as const }], loss: "binaryCrossEntropy" as const, seed: 3 };
    const next = testRandom(9);
    const x = randomMatrix(30, 2, next);
    const y = x.map(([a, b]) => [a! * b! > 0 ? 1 : 0]);
    const options: FitOptions = { epochs: 3, batchSize: 4, optimizer: "adam", learningRate: 0.02 };
    const whole = await create(spec);
    const wholeHistory = await whole.fit(x, y, { ...options, epochs: 6 });
    const first = await create(spec);
    const h1 = await first.fit(x, y, options);
    for (const backend of ["wasm", "js"] as const) {
      const resumed = await Network.fromJSON(JSON.stringify(first), { backend });
      const h2 = await resumed.fit(x, y, options);
      if (backend === first.backendKind) {
        expect([...h1.loss, ...h2.loss]).toEqual(wholeHistory.loss);
        expect(resumed.getParameters()).toEqual(whole.getParameters());
      } else {
        expect(relativeDifference(flat(resumed.getParameters()), flat(whole.getParameters()))).toBeLessThan(1e-9);
      }
    }
  });

  describe("bad options are rejected before any training", () => {
    it.each([
      ["an unknown optimizer", { optimizer: "rmsprop" }, TypeError, /optimizer is "rmsprop"; expected one of "sgd", "momentum", "adam"/],
      ["an unknown optimizer option", { optimizer: { name: "adam", momentum: 0.9 } }, TypeError, /"adam" has no option "momentum"/],
      ["0 epochs", { epochs: 0 }, RangeError, /epochs is 0; expected a positive integer/],
      ["fractional epochs", { epochs: 1.5 }, RangeError, /epochs is 1\.5/],
      ["a batch size of 0", { batchSize: 0 }, RangeError, /batchSize is 0; expected a positive integer/],
      ["validationSplit 0", { validationSplit: 0 }, RangeError, /validationSplit is 0; expected a number in \(0, 1\)/],
      ["validationSplit 1", { validationSplit: 1 }, RangeError, /validationSplit is 1/],
      ["validationData of the wrong width", { validationData: [[[1, 2]], [[0]]] }, RangeError, /fit: validationData: x\[0\] has 2 values; expected 1/],
      ["both validationData and validationSplit", { validationSplit: 0.5, validationData: [lx, ly] }, TypeError, /both validationData and validationSplit/],
      ["a learning rate of 0", { learningRate: 0 }, RangeError, /learningRate is 0/],
      ["a negative weight decay", { weightDecay: -1 }, RangeError, /weightDecay is -1/],
      ["momentum of 1", { optimizer: { name: "momentum", momentum: 1 } }, RangeError, /momentum is 1; expected a number in \[0, 1\)/],
      ["an unknown option", { epoch: 3 }, TypeError, /unknown option "epoch"/],
      ["monitoring valLoss without validation", { earlyStopping: { monitor: "valLoss" } }, TypeError, /no validationData or validationSplit/],
      ["monitoring accuracy on a linear output", { earlyStopping: { monitor: "accuracy" } }, TypeError, /accuracy is reported only for softmax or sigmoid/],
      ["onEpochEnd not a function", { onEpochEnd: "log" }, TypeError, /onEpochEnd is "log"; expected a function/],
    ] as [string, Record<string, unknown>, ErrorConstructor, RegExp][])("%s", async (_, change, type, message) => {
      const net = await lineNet();
      const before = net.getParameters();
      const run = net.fit(lx, ly, { epochs: 2, ...change } as FitOptions);
      await expect(run).rejects.toThrow(type);
      await expect(net.fit(lx, ly, { epochs: 2, ...change } as FitOptions)).rejects.toThrow(message);
      expect(net.getParameters()).toEqual(before);
    });

    it("calls that change the network wait for a running fit", async () => {
      const net = await lineNet();
      const running = net.fit(lx, ly, { epochs: 3, onEpochEnd: () => new Promise((r) => setTimeout(r, 1)) });
      expect(() => net.trainStep(lx, ly, { learningRate: 0.1 })).toThrow(/this network is training/);
      await expect(net.fit(lx, ly, { epochs: 1 })).rejects.toThrow(/this network is training/);
      expect(() => net.predict(lx)).not.toThrow();
      await running;
      expect(() => net.trainStep(lx, ly, { learningRate: 0.1 })).not.toThrow();
    });
  });
});

it("Wasm and JS fits agree to 1e-9: the same shuffles from the same generator", async () => {
  const spec = { inputs: 4, layers: [{ units: 10, activation: "leakyRelu" as const }, { units: 3, activation: "softmax" as const }], loss: "crossEntropy" as const, seed: 17 };
  const next = testRandom(33);
  const x = randomMatrix(64, 4, next);
  const y = x.map((r) => [0, 1, 2].map((k) => (k === (r[0]! + r[1]! > 0 ? 0 : r[2]! > 0 ? 1 : 2) ? 1 : 0)));
  const options: FitOptions = { epochs: 8, batchSize: 5, optimizer: "adam", learningRate: 0.01, weightDecay: 1e-3, validationSplit: 0.25 };
  const histories: History[] = [], params: number[][] = [];
  for (const backend of ["wasm", "js"] as const) {
    const net = await Network.create({ ...spec, backend });
    histories.push(await net.fit(x, y, options));
    params.push(flat(net.getParameters()));
  }
  expect(relativeDifference(histories[0]!.loss, histories[1]!.loss)).toBeLessThan(1e-9);
  expect(relativeDifference(histories[0]!.valLoss!, histories[1]!.valLoss!)).toBeLessThan(1e-9);
  expect(histories[0]!.accuracy).toEqual(histories[1]!.accuracy);
  expect(relativeDifference(params[0]!, params[1]!)).toBeLessThan(1e-9);
});

it("a data set's blocks are reused by the next fit or evaluate, for as many rows as it is given (Wasm against JS)", async () => {
  const spec = { inputs: 3, layers: [{ units: 5, activation: "tanh" as const }, { units: 1, activation: "sigmoid" as const }], loss: "binaryCrossEntropy" as const, seed: 4 };
  const next = testRandom(5);
  const big = randomMatrix(120, 3, next), small = randomMatrix(13, 3, next);
  const label = (rows: number[][]) => rows.map((r) => [r[0]! * r[1]! > 0 ? 1 : 0]);
  const figures: number[][] = [];
  for (const backend of ["wasm", "js"] as const) {
    const net = await Network.create({ ...spec, backend });
    const options: FitOptions = { epochs: 3, batchSize: 8, optimizer: "adam", learningRate: 0.01 };
    const first = await net.fit(big, label(big), { ...options, validationSplit: 0.25 });
    const second = await net.fit(small, label(small), options); // on the Wasm core, in the first fit's blocks
    const third = await net.fit(big, label(big), { ...options, validationData: [small, label(small)] });
    figures.push([...first.loss, ...first.valLoss!, ...second.loss, ...third.loss, ...third.valLoss!, net.evaluate(small, label(small)).loss]);
  }
  expect(figures[0]!).toHaveLength(3 * 5 + 1);
  expect(relativeDifference(figures[0]!, figures[1]!)).toBeLessThan(1e-9);
});

it("repeated fits and evaluations on tens of MB of data do not grow the network's memory", async () => {
  // MNIST's shape (10,000 × 784 inputs, 10 classes): each fit frees its 63 MB data set, and the
  // next one must find the space again rather than grow the memory by as much
  const rows = 10_000, inputs = 784, classes = 10;
  const next = testRandom(9);
  const x = Float64Array.from({ length: rows * inputs }, () => next(0, 1));
  const y = Float64Array.from({ length: rows * classes }, (_, i) => (i % classes === Math.floor(i / classes) % classes ? 1 : 0));
  const net = await Network.create({ inputs, layers: [{ units: 128, activation: "sigmoid" }, { units: classes, activation: "softmax" }], loss: "crossEntropy", backend: "wasm" });
  const round = async () => {
    await net.fit(x, y, { epochs: 1, batchSize: 32, optimizer: "sgd", learningRate: 0.1, shuffle: false });
    net.evaluate(x, y);
  };
  await round();
  const bytes = wasmMemoryBytes(net);
  for (let i = 0; i < 2; i++) await round();
  expect(wasmMemoryBytes(net)).toBe(bytes);
  net.dispose();
});
