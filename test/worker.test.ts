// A network trained in a worker (here Node's worker_threads; in Chromium see package.test.ts
// and web.test.ts): the same numbers as in this thread, progress reported here, stopping by
// callback and by AbortSignal, the worker's errors arriving as the same classes, and this
// thread left free while the worker trains.
import { describe, expect, it } from "vitest";
import {
  createTrainingWorker,
  DisposedError,
  DivergenceError,
  Network,
  NonFiniteError,
  ShapeError,
  type LayerParameters,
  type NetworkSpec,
  type WorkerFitOptions,
} from "../src/index.js";
import { testRandom } from "./backends.js";

const SPEC: NetworkSpec = {
  inputs: 2,
  layers: [
    { units: 8, activation: "tanh" },
    { units: 1, activation: "sigmoid" },
  ],
  loss: "binaryCrossEntropy",
  seed: 11,
};

// two noisy clusters, class 1 around (1, 1) and class 0 around (−1, −1)
function clusters(rows: number, seed: number) {
  const next = testRandom(seed);
  const x: number[][] = [],
    y: number[][] = [];
  for (let i = 0; i < rows; i++) {
    const label = i % 2;
    const centre = label ? 1 : -1;
    x.push([centre + next(-0.8, 0.8), centre + next(-0.8, 0.8)]);
    y.push([label]);
  }
  return { x, y };
}

const { x, y } = clusters(64, 5);
const FIT = { epochs: 40, batchSize: 8, optimizer: "adam", learningRate: 0.02 } satisfies WorkerFitOptions;

/** the error `call` throws (or rejects with), for comparing the worker's with this thread's */
async function caught(call: () => unknown): Promise<Error> {
  try {
    await call();
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected an error");
}

describe("a network trained in a worker (worker_threads)", () => {
  it("fits, predicts, evaluates and saves exactly as the same network in this thread", async () => {
    const local = await Network.create(SPEC);
    const worker = await createTrainingWorker(SPEC);
    try {
      expect(worker.spec).toEqual(local.spec);
      expect(await worker.getParameters()).toEqual(local.getParameters());
      const history = await worker.fit(x, y, { ...FIT, validationData: [x.slice(0, 16), y.slice(0, 16)] });
      expect(history).toEqual(await local.fit(x, y, { ...FIT, validationData: [x.slice(0, 16), y.slice(0, 16)] }));
      expect(await worker.getParameters()).toEqual(local.getParameters());
      expect(await worker.predict(x)).toEqual(local.predict(x));
      expect(await worker.evaluate(x, y)).toEqual(local.evaluate(x, y));
      expect(await worker.toJSON()).toEqual(local.toJSON());

      const restored = local.getParameters().map((layer) => ({ ...layer, biases: layer.biases.map((b) => b + 1) }));
      await worker.setParameters(restored);
      expect(await worker.getParameters()).toEqual(restored);
    } finally {
      local.dispose();
      await worker.dispose();
    }
  });

  it("calls onEpochEnd here with each epoch's logs (and parameters if asked), and stops when it returns false", async () => {
    const worker = await createTrainingWorker(SPEC);
    const local = await Network.create(SPEC);
    try {
      const seen: { epoch: number; loss: number; parameters?: LayerParameters[] }[] = [];
      const history = await worker.fit(x, y, {
        ...FIT,
        includeParameters: true,
        onEpochEnd: (epoch, logs, parameters) => {
          seen.push({ epoch, loss: logs.loss, parameters });
          return epoch === 9 ? false : undefined;
        },
      });
      expect(seen.map((s) => s.epoch)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      expect(history.loss).toEqual(seen.map((s) => s.loss));
      expect(history).toMatchObject({ stoppedEpoch: 9, stopReason: "callback" });
      expect(seen.at(-1)!.parameters).toEqual(await worker.getParameters());

      // the same stop in this thread leaves the same network
      await local.fit(x, y, { ...FIT, onEpochEnd: (epoch) => (epoch === 9 ? false : undefined) });
      expect(await worker.getParameters()).toEqual(local.getParameters());

      // a promise from onEpochEnd is awaited too
      const slow = await worker.fit(x, y, {
        ...FIT,
        onEpochEnd: async (epoch) => new Promise((done) => setTimeout(() => done(epoch < 2), 5)),
      });
      expect(slow.loss).toHaveLength(3);
    } finally {
      local.dispose();
      await worker.dispose();
    }
  });

  it("stops when the AbortSignal aborts, resolving with the history so far", async () => {
    const worker = await createTrainingWorker(SPEC);
    try {
      const controller = new AbortController();
      let epochs = 0;
      const history = await worker.fit(x, y, {
        ...FIT,
        epochs: 1_000_000,
        signal: controller.signal,
        onEpochEnd: () => {
          if (++epochs === 5) controller.abort();
        },
      });
      expect(history.stopReason).toBe("aborted");
      expect(history.loss.length).toBeGreaterThanOrEqual(5);
      expect(history.loss.length).toBeLessThan(1_000_000);

      const timed = new AbortController();
      setTimeout(() => timed.abort(), 200);
      const started = performance.now();
      const long = await worker.fit(x, y, { ...FIT, epochs: 1_000_000, signal: timed.signal });
      expect(long.stopReason).toBe("aborted");
      expect(performance.now() - started).toBeLessThan(5_000);

      expect((await worker.fit(x, y, { ...FIT, signal: AbortSignal.abort() })).loss).toEqual([]);
    } finally {
      await worker.dispose();
    }
  });

  it("rejects with the worker's error as the same class, with the same message, as in this thread", async () => {
    const worker = await createTrainingWorker(SPEC);
    const local = await Network.create(SPEC);
    try {
      const cases: [
        string,
        new (...args: never[]) => Error,
        (net: Network) => unknown,
        (net: typeof worker) => unknown,
      ][] = [
        ["ShapeError", ShapeError, (n) => n.predict([[1, 2, 3]]), (w) => w.predict([[1, 2, 3]])],
        ["NonFiniteError", NonFiniteError, (n) => n.predict([[NaN, 1]]), (w) => w.predict([[NaN, 1]])],
        [
          "TypeError",
          TypeError,
          (n) => n.fit(x, y, { ...FIT, optimizer: "lion" as never }),
          (w) => w.fit(x, y, { ...FIT, optimizer: "lion" as never }),
        ],
        [
          "RangeError",
          RangeError,
          (n) => n.fit(x, y, { ...FIT, epochs: 0 }),
          (w) => w.fit(x, y, { ...FIT, epochs: 0 }),
        ],
        [
          "RangeError",
          RangeError,
          (n) =>
            n.evaluate(
              x,
              x.map(() => [2]),
            ),
          (w) =>
            w.evaluate(
              x,
              x.map(() => [2]),
            ),
        ],
      ];
      for (const [name, ErrorClass, inThread, inWorker] of cases) {
        const expected = await caught(() => inThread(local));
        const error = await caught(() => inWorker(worker));
        expect(error).toBeInstanceOf(ErrorClass);
        expect({ name: error.name, message: error.message }).toEqual({ name, message: expected.message });
      }
      expect(
        await caught(() => createTrainingWorker({ ...SPEC, layers: [{ units: 1, activation: "swish" as never }] })),
      ).toBeInstanceOf(TypeError);
      const { message } = await caught(() => worker.fit(x, y, { ...FIT, onEpochEnd: 3 as never }));
      expect(message).toMatch(/onEpochEnd/);
    } finally {
      local.dispose();
      await worker.dispose();
    }
  });

  it("brings a DivergenceError's epoch, batch and history along", async () => {
    const spec: NetworkSpec = { inputs: 1, layers: [{ units: 1, activation: "linear" }], loss: "mse", seed: 1 };
    const worker = await createTrainingWorker(spec);
    try {
      const error = await caught(() =>
        worker.fit([[1e3], [-2e3]], [[1e3], [5]], { epochs: 50, optimizer: "sgd", learningRate: 10 }),
      );
      expect(error).toBeInstanceOf(DivergenceError);
      expect(error).toMatchObject({
        epoch: expect.any(Number),
        batch: expect.any(Number),
        history: { loss: expect.any(Array) },
      });
    } finally {
      await worker.dispose();
    }
  });

  it("rejects with the error onEpochEnd throws, and stops training", async () => {
    const worker = await createTrainingWorker(SPEC);
    try {
      const thrown = new Error("stop here");
      let calls = 0;
      const error = await caught(() =>
        worker.fit(x, y, {
          ...FIT,
          onEpochEnd: () => {
            if (++calls === 3) throw thrown;
          },
        }),
      );
      expect(error).toBe(thrown);
      expect(calls).toBe(3);
    } finally {
      await worker.dispose();
    }
  });

  it("after dispose, rejects a pending fit and every later call with DisposedError", async () => {
    const worker = await createTrainingWorker(SPEC);
    const pending = worker.fit(x, y, { ...FIT, epochs: 1_000_000 });
    await worker.dispose();
    await expect(pending).rejects.toBeInstanceOf(DisposedError);
    await expect(worker.predict(x)).rejects.toThrow(
      new DisposedError("predict: this network was disposed; create a new one"),
    );
  });

  it("leaves this thread free: timers keep firing at their rate during a long fit", async () => {
    const worker = await createTrainingWorker({
      ...SPEC,
      layers: [
        { units: 32, activation: "tanh" },
        { units: 32, activation: "tanh" },
        { units: 1, activation: "sigmoid" },
      ],
    });
    const big = clusters(2000, 9);
    const ticks: number[] = [];
    const timer = setInterval(() => ticks.push(performance.now()), 10);
    try {
      const controller = new AbortController();
      const stop = setTimeout(() => controller.abort(), 1500);
      const started = performance.now();
      const history = await worker.fit(big.x, big.y, { epochs: 1_000_000, batchSize: 16, signal: controller.signal });
      clearTimeout(stop);
      const elapsed = performance.now() - started;
      expect(history.loss.length).toBeGreaterThan(0);
      const gaps = ticks.slice(1).map((t, i) => t - ticks[i]!);
      // a 10 ms timer on a free thread: about elapsed / 10 ticks and no long gap (a blocked
      // thread would tick once, 1.5 s late); the bounds leave room for a loaded 2-core machine
      expect(ticks.length).toBeGreaterThan((elapsed / 10) * 0.4);
      expect(Math.max(...gaps)).toBeLessThan(500);
    } finally {
      clearInterval(timer);
      await worker.dispose();
    }
  });
});
