// fit: optimizers against torch.optim's formulas worked by hand, the history's figures,
// validation, early stopping, stopping by callback or signal, divergence, determinism,
// resuming from JSON, and option checking.
import { describe, expect, it } from "vitest";
import { DivergenceError, Network, type FitOptions, type History, type NetworkSpec } from "../src/index.js";
import { BACKENDS, flat, randomMatrix, relativeDifference, testRandom, wasmMemoryBytes } from "./backends.js";

// one linear neuron z = w·x + b with mse: dE/dw = mean((z − t)·x), dE/db = mean(z − t)
const line: Omit<NetworkSpec, "backend"> = { inputs: 1, layers: [{ units: 1, activation: "linear" }], loss: "mse" };
const lx = [[1], [2], [-1]],
  ly = [[1], [3], [0.5]];
function lineGradient(w: number, b: number): [number, number] {
  let gw = 0,
    gb = 0;
  lx.forEach(([x], i) => {
    const e = w * x! + b - ly[i]![0]!;
    gw += (e * x!) / lx.length;
    gb += e / lx.length;
  });
  return [gw, gb];
}

type Pair = [number, number];

// torch.optim's update rules, run on [w, b] for `steps` full-batch steps; decay on w only
function byHand(kind: "sgd" | "momentum" | "nesterov" | "adam", lr: number, steps: number, decay = 0): number[] {
  const theta: Pair = [0.5, 0.1],
    v: Pair = [0, 0],
    m: Pair = [0, 0],
    s: Pair = [0, 0];
  const [mu, b1, b2, eps] = [0.9, 0.9, 0.999, 1e-8];
  for (let t = 1; t <= steps; t++) {
    const g = lineGradient(theta[0]!, theta[1]!);
    g[0] += decay * theta[0]!;
    for (const i of [0, 1] as const) {
      if (kind === "sgd") theta[i] -= lr * g[i]!;
      else if (kind === "momentum" || kind === "nesterov") {
        v[i] = mu * v[i]! + g[i]!;
        theta[i] -= lr * (kind === "nesterov" ? g[i]! + mu * v[i]! : v[i]!);
      } else {
        m[i] = b1 * m[i]! + (1 - b1) * g[i]!;
        s[i] = b2 * s[i]! + (1 - b2) * g[i]! ** 2;
        const mHat = m[i]! / (1 - b1 ** t),
          vHat = s[i]! / (1 - b2 ** t);
        theta[i] -= (lr * mHat) / (Math.sqrt(vHat) + eps);
      }
    }
  }
  return theta;
}

// torch.optim's RMSprop, Adagrad and AdamW (their defaults) on [w, b], with L1 (λ·sign(w)) and
// clip_grad_norm_ applied as fit applies them: clipping first, then decay and L1 on w
interface More {
  l1?: number;
  clip?: number;
  decay?: number;
}
function byHandMore(
  kind: "rmsprop" | "rmspropCentered" | "rmspropMomentum" | "adagrad" | "adamw" | "sgd",
  lr: number,
  steps: number,
  more: More = {},
): number[] {
  const theta: Pair = [0.5, 0.1],
    v: Pair = [0, 0],
    buf: Pair = [0, 0],
    mean: Pair = [0, 0],
    m: Pair = [0, 0],
    s2: Pair = [0, 0];
  const sum: Pair = kind === "adagrad" ? [0.1, 0.1] : [0, 0]; // initialAccumulatorValue 0.1 in the test below
  const [alpha, eps] = [0.99, 1e-8];
  for (let t = 1; t <= steps; t++) {
    const g = lineGradient(theta[0]!, theta[1]!);
    if (more.clip) {
      const norm = Math.hypot(g[0], g[1]),
        coef = more.clip / (norm + 1e-6);
      if (coef < 1) g.forEach((_, i) => (g[i]! *= coef));
    }
    if (kind !== "adamw") g[0] += (more.decay ?? 0) * theta[0]!;
    g[0] += (more.l1 ?? 0) * Math.sign(theta[0]!);
    for (const i of [0, 1] as const) {
      if (kind === "sgd") theta[i] -= lr * g[i]!;
      else if (kind.startsWith("rmsprop")) {
        v[i] = alpha * v[i]! + (1 - alpha) * g[i]! ** 2;
        let avg = Math.sqrt(v[i]!) + eps;
        if (kind === "rmspropCentered") {
          mean[i] = alpha * mean[i]! + (1 - alpha) * g[i]!;
          avg = Math.sqrt(v[i]! - mean[i]! ** 2) + eps;
        }
        if (kind === "rmspropMomentum") {
          buf[i] = 0.5 * buf[i]! + g[i]! / avg;
          theta[i] -= lr * buf[i]!;
        } else theta[i] -= (lr * g[i]!) / avg;
      } else if (kind === "adagrad") {
        const clr = lr / (1 + (t - 1) * 0.05); // lrDecay 0.05
        sum[i] += g[i]! ** 2;
        theta[i] -= (clr * g[i]!) / (Math.sqrt(sum[i]!) + 1e-10);
      } else {
        // AdamW: θ ← θ(1 − lr·λ) on w, then Adam with the plain gradient
        if (i === 0) theta[i] *= 1 - lr * (more.decay ?? 0.01);
        m[i] = 0.9 * m[i]! + 0.1 * g[i]!;
        s2[i] = 0.999 * s2[i]! + 0.001 * g[i]! ** 2;
        theta[i] -= (lr * (m[i]! / (1 - 0.9 ** t))) / (Math.sqrt(s2[i]! / (1 - 0.999 ** t)) + 1e-8);
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
      [
        "Nesterov momentum",
        { optimizer: { name: "momentum", momentum: 0.9, nesterov: true }, learningRate: 0.05 },
        byHand("nesterov", 0.05, 4),
      ],
      ["adam", { optimizer: "adam", learningRate: 0.01 }, byHand("adam", 0.01, 4)],
      [
        "adam with weight decay",
        { optimizer: { name: "adam", beta1: 0.9, beta2: 0.999, epsilon: 1e-8 }, learningRate: 0.01, weightDecay: 0.1 },
        byHand("adam", 0.01, 4, 0.1),
      ],
    ] as [string, Partial<FitOptions>, number[]][])("%s", async (_, options, expected) => {
      const net = await lineNet();
      await net.fit(lx, ly, { ...fullBatch, ...options, epochs: 4 });
      const [w, b] = flat(net.getParameters());
      expect(w).toBeCloseTo(expected[0]!, 14);
      expect(b).toBeCloseTo(expected[1]!, 14);
    });

    it.each([
      ["rmsprop", { optimizer: "rmsprop", learningRate: 0.01 }, () => byHandMore("rmsprop", 0.01, 4)],
      [
        "rmsprop centered",
        { optimizer: { name: "rmsprop", centered: true }, learningRate: 0.01 },
        () => byHandMore("rmspropCentered", 0.01, 4),
      ],
      [
        "rmsprop with momentum",
        { optimizer: { name: "rmsprop", momentum: 0.5 }, learningRate: 0.01 },
        () => byHandMore("rmspropMomentum", 0.01, 4),
      ],
      [
        "adagrad",
        { optimizer: { name: "adagrad", lrDecay: 0.05, initialAccumulatorValue: 0.1 }, learningRate: 0.1 },
        () => byHandMore("adagrad", 0.1, 4),
      ],
      [
        "adamw (weightDecay 0.01 by default, decoupled)",
        { optimizer: "adamw", learningRate: 0.01 },
        () => byHandMore("adamw", 0.01, 4),
      ],
      [
        "adamw, weightDecay 0.5",
        { optimizer: "adamw", learningRate: 0.01, weightDecay: 0.5 },
        () => byHandMore("adamw", 0.01, 4, { decay: 0.5 }),
      ],
      ["sgd with l1", { optimizer: "sgd", learningRate: 0.1, l1: 0.3 }, () => byHandMore("sgd", 0.1, 4, { l1: 0.3 })],
      [
        "rmsprop with l1 and weight decay",
        { optimizer: "rmsprop", learningRate: 0.01, l1: 0.2, weightDecay: 0.1 },
        () => byHandMore("rmsprop", 0.01, 4, { l1: 0.2, decay: 0.1 }),
      ],
      [
        "sgd with clipGradientNorm 0.5",
        { optimizer: "sgd", learningRate: 0.1, clipGradientNorm: 0.5 },
        () => byHandMore("sgd", 0.1, 4, { clip: 0.5 }),
      ],
      [
        "sgd with clipGradientNorm 100 (never reached)",
        { optimizer: "sgd", learningRate: 0.1, clipGradientNorm: 100 },
        () => byHand("sgd", 0.1, 4),
      ],
    ] as [string, Partial<FitOptions>, () => number[]][])("%s", async (_, options, expected) => {
      const net = await lineNet();
      await net.fit(lx, ly, { ...fullBatch, ...options, epochs: 4 });
      const [w, b] = flat(net.getParameters());
      const [ew, eb] = expected();
      expect(w).toBeCloseTo(ew!, 14);
      expect(b).toBeCloseTo(eb!, 14);
    });

    it("the optimizers' defaults are torch.optim's, and toJSON saves them with the state", async () => {
      const defaults = {
        rmsprop: { learningRate: 0.01, weightDecay: 0, alpha: 0.99, epsilon: 1e-8, momentum: 0, centered: false },
        adagrad: { learningRate: 0.01, weightDecay: 0, lrDecay: 0, initialAccumulatorValue: 0, epsilon: 1e-10 },
        adamw: { learningRate: 0.001, weightDecay: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 },
      };
      for (const [name, expected] of Object.entries(defaults)) {
        const net = await lineNet();
        await net.fit(lx, ly, { ...fullBatch, optimizer: name as "adamw", epochs: 2 });
        const saved = net.toJSON().optimizer!;
        expect(saved).toMatchObject({ name, ...expected, l1: 0, clipGradientNorm: null, steps: 2 });
        expect(saved.state).toHaveLength({ rmsprop: 3, adagrad: 1, adamw: 2 }[name]! * 2);
      }
    });

    it("learning-rate schedules, stepped after each epoch as torch's are; history.learningRate holds each epoch's", async () => {
      const cases: [FitOptions["learningRateSchedule"], number[]][] = [
        [{ name: "step", stepSize: 2, gamma: 0.5 }, [0.1, 0.1, 0.05, 0.05, 0.025]],
        [{ name: "step", stepSize: 3 }, [0.1, 0.1, 0.1, 0.1 * 0.1, 0.1 * 0.1]],
        [
          { name: "exponential", gamma: 0.9 },
          [0.1, 0.1 * 0.9, 0.1 * 0.9 * 0.9, 0.1 * 0.9 * 0.9 * 0.9, 0.1 * 0.9 * 0.9 * 0.9 * 0.9],
        ],
        [
          { name: "cosine", epochs: 4, minLearningRate: 0.01 },
          [0, 1, 2, 3, 4].map((t) => 0.01 + (0.09 * (1 + Math.cos((Math.PI * t) / 4))) / 2),
        ],
      ];
      for (const [schedule, rates] of cases) {
        const net = await lineNet();
        const history = await net.fit(lx, ly, {
          ...fullBatch,
          optimizer: "sgd",
          learningRate: 0.1,
          learningRateSchedule: schedule,
          epochs: 5,
        });
        history.learningRate!.forEach((lr, e) => expect(lr).toBeCloseTo(rates[e]!, 15));
        // and each epoch's step was taken with it: plain gradient descent by hand
        let [w, b] = [0.5, 0.1];
        for (const lr of rates) {
          const [gw, gb] = lineGradient(w, b);
          [w, b] = [w - lr * gw, b - lr * gb];
        }
        const [nw, nb] = flat(net.getParameters());
        expect(nw).toBeCloseTo(w, 14);
        expect(nb).toBeCloseTo(b, 14);
      }
    });

    it("plateau: the learning rate times factor after more than `patience` epochs without a relative improvement of 1e-4", async () => {
      const net = await lineNet();
      // validation that training cannot improve: y = −x against training's y = 2x + 1
      const history = await net.fit([[0], [1], [2]], [[1], [3], [5]], {
        epochs: 12,
        batchSize: 3,
        shuffle: false,
        optimizer: "sgd",
        learningRate: 0.05,
        validationData: [
          [[0], [1], [2]],
          [[0], [-1], [-2]],
        ],
        learningRateSchedule: { name: "plateau", factor: 0.5, patience: 2 },
      });
      // ReduceLROnPlateau by hand on the recorded validation losses
      let lr = 0.05,
        best = Infinity,
        bad = 0;
      history.valLoss!.forEach((loss, e) => {
        expect(history.learningRate![e]).toBe(lr);
        if (loss < best * (1 - 1e-4)) [best, bad] = [loss, 0];
        else bad++;
        if (bad > 2) [lr, bad] = [Math.max(lr * 0.5, 0), 0];
      });
      expect(new Set(history.learningRate).size).toBeGreaterThan(1);
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
    const spec = {
      inputs: 2,
      layers: [
        { units: 3, activation: "tanh" as const },
        { units: 1, activation: "linear" as const },
      ],
      loss: "mse" as const,
      seed: 4,
    };
    const next = testRandom(2);
    const x = randomMatrix(7, 2, next),
      y = randomMatrix(7, 1, next);
    const net = await create(spec),
      replay = await create(spec);
    const history = await net.fit(x, y, {
      epochs: 2,
      batchSize: 3,
      shuffle: false,
      optimizer: "sgd",
      learningRate: 0.1,
    });
    for (let epoch = 0; epoch < 2; epoch++) {
      let sum = 0;
      for (const [from, to] of [
        [0, 3],
        [3, 6],
        [6, 7],
      ] as const)
        sum += replay.trainStep(x.slice(from, to), y.slice(from, to), { learningRate: 0.1 }) * (to - from);
      expect(history.loss[epoch]).toBeCloseTo(sum / 7, 14);
    }
    expect(relativeDifference(flat(net.getParameters()), flat(replay.getParameters()))).toBeLessThan(1e-14);
  });

  describe("validation and accuracy", () => {
    const spec = {
      inputs: 2,
      layers: [
        { units: 8, activation: "tanh" as const },
        { units: 2, activation: "softmax" as const },
      ],
      loss: "crossEntropy" as const,
      seed: 5,
    };
    const next = testRandom(6);
    const x = randomMatrix(50, 2, next);
    const y = x.map(([a, b]) => (a! * b! > 0 ? [1, 0] : [0, 1]));

    it("validationSplit holds out the last rows, before shuffling; accuracy is the share of argmax matches", async () => {
      const net = await create(spec);
      const history = await net.fit(x, y, {
        epochs: 1,
        validationSplit: 0.2,
        batchSize: 8,
        optimizer: "adam",
        learningRate: 0.01,
      });
      const held = net.evaluate(x.slice(40), y.slice(40));
      expect(history.valLoss![0]).toBeCloseTo(held.loss, 14); // summed in chunks of the batch size: the last bit may differ
      expect(history.valAccuracy![0]).toBe(held.accuracy);
      const predicted = net.predict(x.slice(40)).map((o) => (o[0]! > o[1]! ? 0 : 1));
      expect(held.accuracy).toBe(predicted.filter((c, i) => c === (y[40 + i]![0] === 1 ? 0 : 1)).length / 10);
      // one full batch without shuffling: the epoch's accuracy is the network's before its one step
      const once = await create(spec);
      const before = once.evaluate(x.slice(0, 40), y.slice(0, 40)).accuracy!;
      const full = await once.fit(x, y, {
        epochs: 1,
        validationSplit: 0.2,
        batchSize: 40,
        shuffle: false,
        optimizer: "sgd",
        learningRate: 0.1,
      });
      expect(full.accuracy).toEqual([before]);
      expect(before).toBeGreaterThan(0);
      expect(before).toBeLessThan(1);
    });

    it("evaluate: the loss equals loss(), accuracy for a sigmoid output is the share of outputs on the target's side of ½", async () => {
      const net = await create({
        inputs: 2,
        layers: [{ units: 2, activation: "sigmoid" }],
        loss: "binaryCrossEntropy",
        seed: 1,
      });
      net.setParameters([
        {
          weights: [
            [1, 0],
            [0, -1],
          ],
          biases: [0, 0],
        },
      ]);
      const ex = [
          [1, 1],
          [-1, 1],
          [2, -3],
        ],
        ey = [
          [1, 0],
          [1, 1],
          [0, 1],
        ];
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
        epochs: 50,
        batchSize: 3,
        optimizer: "sgd",
        learningRate: 0.05,
        validationData: [
          [[0], [1], [2]],
          [[0], [-1], [-2]],
        ],
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
      const history = await net.fit(lx, ly, {
        epochs: 30,
        optimizer: "sgd",
        learningRate: 0.5,
        earlyStopping: { patience: 1, minDelta: 10, restoreBest: false },
      });
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
      expect(await net.fit(lx, ly, { epochs: 5, signal: aborted.signal })).toEqual({
        loss: [],
        stoppedEpoch: 0,
        stopReason: "aborted",
      });
      expect(net.getParameters()).toEqual(before);

      const controller = new AbortController();
      const history = await net.fit(lx, ly, {
        epochs: 10,
        signal: controller.signal,
        onEpochEnd: (epoch) => void (epoch === 2 && controller.abort()),
      });
      expect(history).toMatchObject({ stoppedEpoch: 3, stopReason: "aborted" });
      expect(history.loss).toHaveLength(3);
    });

    it("an abort during a long epoch stops it between batches, and the event loop keeps running meanwhile", async () => {
      const next = testRandom(3);
      const x = Float64Array.from({ length: 20000 * 20 }, () => next());
      const y = Float64Array.from({ length: 20000 * 10 }, () => next());
      const net = await create({
        inputs: 20,
        layers: [
          { units: 64, activation: "relu" },
          { units: 10, activation: "linear" },
        ],
        loss: "mse",
        seed: 1,
      });
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
    const x = [[1e100], [2e100], [3e100]],
      y = [[0], [0], [0]];
    const error = await net
      .fit(x, y, { epochs: 5, batchSize: 1, shuffle: false, optimizer: "sgd", learningRate: 1 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DivergenceError);
    expect((error as Error).message).toMatch(
      /fit: .* non-finite in epoch 0, batch \d \(optimizer "sgd", learningRate 1\); .* Try a smaller learningRate/,
    );
    expect((error as { history: History }).history.loss).toEqual([]);
    expect(flat(net.getParameters()).every(Number.isFinite)).toBe(true);
    expect(() => net.predict([[1]])).not.toThrow();
  });

  it.each(["sgd", "momentum", "adam"] as const)(
    "%s: an update that would overflow is not applied, and is reported as such; the optimizer's state is kept",
    async (optimizer) => {
      const net = await create({ inputs: 2, layers: [{ units: 1, activation: "linear" }], loss: "mse" });
      net.setParameters([{ weights: [[1, 1]], biases: [0] }]);
      // E = ½(1e154)² = 5e307 and dE/dw₀ = 1e308 are finite, but a step of 1e308 times a huge rate is not
      const learningRate = optimizer === "adam" ? 1e308 : 10;
      // a first, ordinary step, so that the state (velocity, moments, step count) is not zero
      await net.fit([[0.5, -0.25]], [[1]], { epochs: 1, batchSize: 1, optimizer, learningRate: 0.1 });
      const before = net.toJSON();
      expect(before.optimizer!.steps).toBe(1);
      if (optimizer !== "sgd") expect(before.optimizer!.state.some((v) => v !== 0)).toBe(true);
      const error = await net
        .fit([[1e154, 0]], [[0]], { epochs: 1, batchSize: 1, optimizer, learningRate })
        .catch((e: unknown) => e);
      expect((error as Error).message).toMatch(/an update would have made a parameter non-finite in epoch 0, batch 0/);
      const after = net.toJSON();
      expect(after.parameters).toEqual(before.parameters);
      expect({ ...after.optimizer, learningRate: 0.1 }).toEqual(before.optimizer);
    },
  );

  it("the same seed, data and options give identical histories and parameters", async () => {
    const spec = {
      inputs: 3,
      layers: [
        { units: 6, activation: "relu" as const },
        { units: 3, activation: "softmax" as const },
      ],
      loss: "crossEntropy" as const,
      seed: 8,
    };
    const next = testRandom(12);
    const x = randomMatrix(40, 3, next);
    const y = x.map((r) => [0, 1, 2].map((k) => (k === (r[0]! > 0 ? 0 : r[1]! > 0 ? 1 : 2) ? 1 : 0)));
    const options: FitOptions = {
      epochs: 5,
      batchSize: 7,
      optimizer: "momentum",
      learningRate: 0.1,
      validationSplit: 0.25,
    };
    const [a, b] = [await create(spec), await create(spec)];
    const [ha, hb] = [await a.fit(x, y, options), await b.fit(x, y, options)];
    expect(ha).toEqual(hb);
    expect(a.getParameters()).toEqual(b.getParameters());
  });

  it("a model saved mid-training and reloaded continues bit-identically", async () => {
    const spec = {
      inputs: 2,
      layers: [
        { units: 5, activation: "tanh" as const },
        { units: 1, activation: "sigmoid" as const },
      ],
      loss: "binaryCrossEntropy" as const,
      seed: 3,
    };
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
      [
        "an unknown optimizer",
        { optimizer: "lion" },
        TypeError,
        /optimizer is "lion"; expected one of "sgd", "momentum", "adam", "rmsprop", "adagrad", "adamw"/,
      ],
      [
        "an adagrad option given to rmsprop",
        { optimizer: { name: "rmsprop", lrDecay: 0.1 } },
        TypeError,
        /"rmsprop" has no option "lrDecay"/,
      ],
      [
        "rmsprop's alpha above 1",
        { optimizer: { name: "rmsprop", alpha: 1.5 } },
        RangeError,
        /alpha is 1\.5; expected a number in \[0, 1\]/,
      ],
      ["a negative l1", { l1: -0.1 }, RangeError, /l1 is -0\.1/],
      [
        "clipGradientNorm 0",
        { clipGradientNorm: 0 },
        RangeError,
        /clipGradientNorm is 0; expected a number in \(0, Infinity\)/,
      ],
      [
        "an unknown schedule",
        { learningRateSchedule: { name: "linear" } },
        TypeError,
        /learningRateSchedule\.name is "linear"/,
      ],
      [
        "a step schedule without stepSize",
        { learningRateSchedule: { name: "step" } },
        TypeError,
        /"step" needs stepSize/,
      ],
      [
        "a schedule with an unknown key",
        { learningRateSchedule: { name: "exponential", gamma: 0.9, warmup: 2 } },
        TypeError,
        /unknown key "warmup"/,
      ],
      [
        "an unknown optimizer option",
        { optimizer: { name: "adam", momentum: 0.9 } },
        TypeError,
        /"adam" has no option "momentum"/,
      ],
      ["0 epochs", { epochs: 0 }, RangeError, /epochs is 0; expected a positive integer/],
      ["fractional epochs", { epochs: 1.5 }, RangeError, /epochs is 1\.5/],
      ["a batch size of 0", { batchSize: 0 }, RangeError, /batchSize is 0; expected a positive integer/],
      ["validationSplit 0", { validationSplit: 0 }, RangeError, /validationSplit is 0; expected a number in \(0, 1\)/],
      ["validationSplit 1", { validationSplit: 1 }, RangeError, /validationSplit is 1/],
      [
        "validationData of the wrong width",
        { validationData: [[[1, 2]], [[0]]] },
        RangeError,
        /fit: validationData: x\[0\] has 2 values; expected 1/,
      ],
      [
        "both validationData and validationSplit",
        { validationSplit: 0.5, validationData: [lx, ly] },
        TypeError,
        /both validationData and validationSplit/,
      ],
      ["a learning rate of 0", { learningRate: 0 }, RangeError, /learningRate is 0/],
      ["a negative weight decay", { weightDecay: -1 }, RangeError, /weightDecay is -1/],
      [
        "momentum of 1",
        { optimizer: { name: "momentum", momentum: 1 } },
        RangeError,
        /momentum is 1; expected a number in \[0, 1\)/,
      ],
      ["an unknown option", { epoch: 3 }, TypeError, /unknown option "epoch"/],
      [
        "monitoring valLoss without validation",
        { earlyStopping: { monitor: "valLoss" } },
        TypeError,
        /no validationData or validationSplit/,
      ],
      [
        "monitoring accuracy on a linear output",
        { earlyStopping: { monitor: "accuracy" } },
        TypeError,
        /accuracy is reported only for softmax or sigmoid/,
      ],
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
  const spec = {
    inputs: 4,
    layers: [
      { units: 10, activation: "leakyRelu" as const },
      { units: 3, activation: "softmax" as const },
    ],
    loss: "crossEntropy" as const,
    seed: 17,
  };
  const next = testRandom(33);
  const x = randomMatrix(64, 4, next);
  const y = x.map((r) => [0, 1, 2].map((k) => (k === (r[0]! + r[1]! > 0 ? 0 : r[2]! > 0 ? 1 : 2) ? 1 : 0)));
  const options: FitOptions = {
    epochs: 8,
    batchSize: 5,
    optimizer: "adam",
    learningRate: 0.01,
    weightDecay: 1e-3,
    validationSplit: 0.25,
  };
  const histories: History[] = [],
    params: number[][] = [];
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
  const spec = {
    inputs: 3,
    layers: [
      { units: 5, activation: "tanh" as const },
      { units: 1, activation: "sigmoid" as const },
    ],
    loss: "binaryCrossEntropy" as const,
    seed: 4,
  };
  const next = testRandom(5);
  const big = randomMatrix(120, 3, next),
    small = randomMatrix(13, 3, next);
  const label = (rows: number[][]) => rows.map((r) => [r[0]! * r[1]! > 0 ? 1 : 0]);
  const figures: number[][] = [];
  for (const backend of ["wasm", "js"] as const) {
    const net = await Network.create({ ...spec, backend });
    const options: FitOptions = { epochs: 3, batchSize: 8, optimizer: "adam", learningRate: 0.01 };
    const first = await net.fit(big, label(big), { ...options, validationSplit: 0.25 });
    const second = await net.fit(small, label(small), options); // on the Wasm core, in the first fit's blocks
    const third = await net.fit(big, label(big), { ...options, validationData: [small, label(small)] });
    figures.push([
      ...first.loss,
      ...first.valLoss!,
      ...second.loss,
      ...third.loss,
      ...third.valLoss!,
      net.evaluate(small, label(small)).loss,
    ]);
  }
  expect(figures[0]!).toHaveLength(3 * 5 + 1);
  expect(relativeDifference(figures[0]!, figures[1]!)).toBeLessThan(1e-9);
});

it("repeated fits and evaluations on tens of MB of data do not grow the network's memory", async () => {
  // MNIST's shape (10,000 × 784 inputs, 10 classes): each fit frees its 63 MB data set, and the
  // next one must find the space again rather than grow the memory by as much
  const rows = 10_000,
    inputs = 784,
    classes = 10;
  const next = testRandom(9);
  const x = Float64Array.from({ length: rows * inputs }, () => next(0, 1));
  const y = Float64Array.from({ length: rows * classes }, (_, i) =>
    i % classes === Math.floor(i / classes) % classes ? 1 : 0,
  );
  const net = await Network.create({
    inputs,
    layers: [
      { units: 128, activation: "sigmoid" },
      { units: classes, activation: "softmax" },
    ],
    loss: "crossEntropy",
    backend: "wasm",
  });
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
