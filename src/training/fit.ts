// The training loop: epochs of shuffled mini-batches run inside the backend, validation,
// early stopping, callbacks, cancellation, and divergence, with the event loop given a turn at
// a bounded interval so that a page or a Node process stays responsive.
import type { Backend, DataSet, FitFailure } from "../backends/backend.js";
import { DivergenceError } from "../errors.js";
import type { Plan } from "../plan.js";
import { optimizerSettings, type OptimizerConfig } from "../operations/optimizers.js";
import { accuracyPerRow } from "../operations/activations.js";
import { scheduler, type LearningRateSchedule } from "./schedules.js";

/** Figures of one epoch: the training loss (mean over its batches, each before its update) and, where they apply, accuracy and validation figures. */
export interface EpochLogs {
  loss: number;
  /** the learning rate of the epoch, with a learningRateSchedule */
  learningRate?: number;
  accuracy?: number;
  valLoss?: number;
  valAccuracy?: number;
}

export type Monitor = "loss" | "accuracy" | "valLoss" | "valAccuracy";

/** What `fit` resolves to: one entry per completed epoch. */
export interface History {
  loss: number[];
  accuracy?: number[];
  valLoss?: number[];
  valAccuracy?: number[];
  /** each epoch's learning rate, with a learningRateSchedule */
  learningRate?: number[];
  /** the epoch in which training stopped before `epochs` (early stopping, a callback, an abort) */
  stoppedEpoch?: number;
  stopReason?: "earlyStopping" | "callback" | "aborted";
}

export interface EarlyStopping {
  monitor: Monitor;
  patience: number;
  minDelta: number;
  restoreBest: boolean;
}

/** Fit options after checking (src/training/options.ts). */
export interface FitPlan {
  epochs: number;
  batchSize: number;
  shuffle: boolean;
  optimizer: OptimizerConfig;
  learningRateSchedule: LearningRateSchedule | null;
  earlyStopping: EarlyStopping | null;
  onEpochEnd: ((epoch: number, logs: EpochLogs) => unknown) | null;
  signal: AbortSignal | null;
}

/** What `fit` runs: the checked options, with the batch size at most the rows, and the rows per chunk of validation. */
export interface FitRun extends FitPlan {
  validationChunk: number;
}

const SLICE_MS = 4; // aim for calls into the backend of about this long
const YIELD_EVERY_MS = 12; // give the event loop a turn at least this often

const now = () => performance.now();

// setImmediate where it exists (Node), else a message to ourselves (browsers, workers):
// unlike setTimeout(0) neither is clamped to 4 ms
const setImmediateFn = (globalThis as { setImmediate?: (callback: () => void) => unknown }).setImmediate;
let channel: MessageChannel | undefined;
function yieldToEventLoop(): Promise<void> {
  if (setImmediateFn) return new Promise((resolve) => setImmediateFn(resolve));
  channel ??= new MessageChannel();
  const port = channel;
  return new Promise((resolve) => {
    port.port1.onmessage = () => resolve();
    port.port2.postMessage(null);
  });
}

// how many units of work (epochs or batches) the next call should run, from how long `done` took
function nextCount(done: number, elapsed: number, remaining: number): number {
  const scaled = elapsed <= 0 ? done * 2 : Math.floor((done * SLICE_MS) / elapsed);
  return Math.max(1, Math.min(remaining, scaled, done * 4));
}

// The backend has room for batches of batchSize rows, chunks of validationChunk rows, and the
// order of the training rows (Network.fit reserved it). `halted` says that the network was
// disposed meanwhile: training stops at the next slice.
export async function fit(
  plan: Plan,
  backend: Backend,
  train: DataSet,
  validation: DataSet | null,
  options: FitRun,
  halted: () => boolean,
): Promise<History> {
  const { epochs, batchSize, shuffle, earlyStopping, onEpochEnd, signal } = options;
  // a schedule sets the next epoch's learning rate after each epoch (the optimizer's state is kept: its kind is the same)
  const schedule =
    options.learningRateSchedule && scheduler(options.learningRateSchedule, options.optimizer.learningRate);
  let learningRate = options.optimizer.learningRate;
  const stepSchedule = (epoch: number, metric: number) => {
    const next = schedule!.next(epoch, metric);
    if (next !== learningRate) backend.setOptimizer(optimizerSettings({ ...options.optimizer, learningRate: next }));
    learningRate = next;
  };
  const classifies = plan.layers[plan.layers.length - 1]!.activation;
  const perRow = accuracyPerRow(classifies, plan.outputs);
  const accuracyOf = (correct: number, rows: number) => (perRow > 0 ? correct / (rows * perRow) : undefined);
  const history: History = { loss: [] };
  const record = (logs: EpochLogs) => {
    for (const key of ["loss", "accuracy", "valLoss", "valAccuracy", "learningRate"] as const) {
      const value = logs[key];
      if (value !== undefined) (history[key] ??= []).push(value);
    }
  };
  const diverged = (epoch: number, failure: FitFailure): never => {
    const what =
      failure.reason === "loss" ? "the loss became non-finite" : "an update would have made a parameter non-finite";
    const error = new DivergenceError(
      `fit: ${what} in epoch ${epoch}, batch ${failure.batch} (optimizer "${options.optimizer.name}", learningRate ${options.optimizer.learningRate}); ` +
        `training stopped with the parameters before that batch, all finite. Try a smaller learningRate, or standardise the inputs (Standardizer)`,
    );
    Object.assign(error, { epoch, batch: failure.batch, history });
    throw error;
  };

  const stop = (epoch: number, reason: History["stopReason"]) => {
    history.stoppedEpoch = epoch;
    history.stopReason = reason;
  };
  let lastYield = now();
  const maybeYield = async () => {
    if (now() - lastYield >= YIELD_EVERY_MS) {
      await yieldToEventLoop();
      lastYield = now();
    }
  };

  // Nothing to do between epochs: run as many whole epochs per call as fit in a slice.
  if (!earlyStopping && !onEpochEnd && !signal && !validation) {
    let count = 1;
    for (let epoch = 0; epoch < epochs; ) {
      const started = now();
      const run = backend.runEpochs(train, batchSize, shuffle, schedule ? 1 : Math.min(count, epochs - epoch));
      const { losses, corrects } = run;
      for (let e = 0; e < losses.length; e++) history.loss.push(losses[e]!);
      if (schedule && losses.length === 1) {
        (history.learningRate ??= []).push(learningRate);
        stepSchedule(epoch, losses[0]!);
      }
      if (perRow > 0) {
        const accuracy = (history.accuracy ??= []);
        const outputs = train.rows * perRow; // accuracyOf's division, without a call per epoch
        for (let e = 0; e < corrects.length; e++) accuracy.push(corrects[e]! / outputs);
      }
      if (run.failure) diverged(epoch + run.losses.length, run.failure);
      epoch += run.losses.length;
      count = nextCount(run.losses.length, now() - started, epochs - epoch);
      await maybeYield();
      if (halted() && epoch < epochs) {
        stop(epoch, "aborted");
        break;
      }
    }
    return history;
  }

  const batches = Math.ceil(train.rows / batchSize);
  const monitorMax = earlyStopping?.monitor === "accuracy" || earlyStopping?.monitor === "valAccuracy";
  let best = monitorMax ? -Infinity : Infinity;
  let bestEpoch = -1;
  let bestParameters: Float64Array | null = null;
  let count = 1;

  for (let epoch = 0; epoch < epochs; epoch++) {
    backend.beginEpoch(train, shuffle);
    for (let batch = 0; batch < batches; ) {
      if (signal?.aborted || halted()) {
        stop(epoch, "aborted");
        return finish();
      }
      const started = now();
      const run = Math.min(count, batches - batch);
      if (!backend.runBatches(train, batchSize, batch, run)) diverged(epoch, backend.epochTotals().failure!);
      batch += run;
      count = nextCount(run, now() - started, batches - batch);
      await maybeYield();
    }
    const totals = backend.epochTotals();
    const logs: EpochLogs = { loss: totals.lossSum / train.rows, accuracy: accuracyOf(totals.correct, train.rows) };
    if (validation) {
      const v = backend.evaluate(validation, options.validationChunk);
      logs.valLoss = v.loss;
      logs.valAccuracy = accuracyOf(v.correct, validation.rows);
    }
    if (schedule) logs.learningRate = learningRate;
    for (const key of Object.keys(logs) as (keyof EpochLogs)[]) if (logs[key] === undefined) delete logs[key];
    record(logs);
    if (schedule) stepSchedule(epoch, logs.valLoss ?? logs.loss);

    if (earlyStopping) {
      const value = logs[earlyStopping.monitor]!;
      const improved = monitorMax ? value > best + earlyStopping.minDelta : value < best - earlyStopping.minDelta;
      if (improved) {
        best = value;
        bestEpoch = epoch;
        if (earlyStopping.restoreBest) bestParameters = backend.readParameters();
      } else if (epoch - bestEpoch >= earlyStopping.patience) {
        stop(epoch, "earlyStopping");
        return finish();
      }
    }
    if (onEpochEnd && (await onEpochEnd(epoch, { ...logs })) === false) {
      stop(epoch, "callback");
      return finish();
    }
    if (signal?.aborted) {
      if (epoch + 1 < epochs) stop(epoch + 1, "aborted");
      return finish();
    }
  }
  return finish();

  function finish(): History {
    if (bestParameters && bestEpoch < history.loss.length - 1) backend.writeParameters(bestParameters);
    return history;
  }
}
