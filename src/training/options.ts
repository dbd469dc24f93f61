// fit's options, checked whole before any training: a bad option throws a TypeError (a wrong
// kind, an unknown name) or a RangeError (a value out of range) that names it.
import type { MatrixInput } from "../data/rows.js";
import { describe } from "../errors.js";
import type { EarlyStopping, EpochLogs, FitPlan, Monitor } from "./fit.js";
import { optimizerConfig, type OptimizerOption } from "../operations/optimizers.js";
import { checkSchedule, type LearningRateSchedule } from "./schedules.js";
import { checkKeys } from "../errors.js";

export interface FitOptions {
  /** passes over the training rows; a positive integer */
  epochs: number;
  /** rows per gradient step; default 32; at least the row count means full batch */
  batchSize?: number;
  /** a new order of the rows every epoch, drawn from the network's seeded generator; default true */
  shuffle?: boolean;
  /** default "adam" */
  optimizer?: OptimizerOption;
  /** default: sgd and momentum 0.01, adam 0.001 */
  learningRate?: number;
  /** L2: adds λ·W to the gradient of the weights (not the biases); default 0, and for adamw the decoupled decay θ ← θ·(1 − lr·λ), default 0.01 */
  weightDecay?: number;
  /** L1: adds λ·sign(W) to the gradient of the weights (not the biases); default 0 */
  l1?: number;
  /** clips the gradient of all trained parameters to this global L2 norm before each step (torch.nn.utils.clip_grad_norm_); default none */
  clipGradientNorm?: number;
  /** the learning rate epoch by epoch, stepped after each epoch as torch.optim.lr_scheduler's are */
  learningRateSchedule?: LearningRateSchedule;
  validationData?: [MatrixInput, MatrixInput];
  /** the last fraction of the rows, before shuffling, held out for validation; in (0, 1) */
  validationSplit?: number;
  earlyStopping?: { monitor?: Monitor; patience?: number; minDelta?: number; restoreBest?: boolean };
  /** called after every epoch; returning false (or a promise of false) stops training */
  onEpochEnd?: (epoch: number, logs: EpochLogs) => unknown;
  /** stops training between batches once aborted; fit then resolves with the history so far */
  signal?: AbortSignal;
}

const KNOWN = [
  "epochs",
  "batchSize",
  "shuffle",
  "optimizer",
  "learningRate",
  "weightDecay",
  "l1",
  "clipGradientNorm",
  "learningRateSchedule",
  "validationData",
  "validationSplit",
  "earlyStopping",
  "onEpochEnd",
  "signal",
];
const MONITORS: Monitor[] = ["loss", "valLoss", "accuracy", "valAccuracy"];
const EARLY_STOPPING_KEYS = ["monitor", "patience", "minDelta", "restoreBest"];

function positiveInteger(value: unknown, what: string): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value <= 0)
    throw new (typeof value === "number" ? RangeError : TypeError)(
      `fit: ${what} is ${describe(value)}; expected a positive integer`,
    );
  return value;
}

/** Checks fit's options; `classifies` says whether accuracy is reported (softmax or sigmoid output). */
export function fitPlan(options: FitOptions, classifies: boolean): FitPlan & { validationSplit: number | null } {
  if (options === null || typeof options !== "object")
    throw new TypeError(`fit: options are ${describe(options)}; expected { epochs, ... }`);
  const unknown = Object.keys(options).find((k) => !KNOWN.includes(k));
  if (unknown) throw new TypeError(`fit: unknown option "${unknown}"; the options are ${KNOWN.join(", ")}`);
  const epochs = positiveInteger(options.epochs, "epochs");
  const batchSize = positiveInteger(options.batchSize ?? 32, "batchSize");
  const shuffle = options.shuffle ?? true;
  if (typeof shuffle !== "boolean") throw new TypeError(`fit: shuffle is ${describe(shuffle)}; expected true or false`);
  const optimizer = optimizerConfig(options.optimizer, options.learningRate, options.weightDecay, "fit", {
    l1: options.l1,
    clipGradientNorm: options.clipGradientNorm,
  });

  let validationSplit: number | null = null;
  if (options.validationSplit !== undefined) {
    if (options.validationData !== undefined)
      throw new TypeError("fit: both validationData and validationSplit are given; expected one of them");
    const v = options.validationSplit;
    if (typeof v !== "number" || !(v > 0 && v < 1))
      throw new RangeError(`fit: validationSplit is ${describe(v)}; expected a number in (0, 1)`);
    validationSplit = v;
  }
  if (
    options.validationData !== undefined &&
    (!Array.isArray(options.validationData) || options.validationData.length !== 2)
  )
    throw new TypeError(`fit: validationData is ${describe(options.validationData)}; expected [x, y]`);
  const validates = validationSplit !== null || options.validationData !== undefined;

  let earlyStopping: EarlyStopping | null = null;
  if (options.earlyStopping !== undefined) {
    const e = options.earlyStopping;
    if (e === null || typeof e !== "object")
      throw new TypeError(
        `fit: earlyStopping is ${describe(e)}; expected { patience, monitor, restoreBest, minDelta }`,
      );
    checkKeys(e, EARLY_STOPPING_KEYS, "fit: earlyStopping");
    const monitor = e.monitor ?? (validates ? "valLoss" : "loss");
    if (!MONITORS.includes(monitor))
      throw new TypeError(
        `fit: earlyStopping.monitor is ${describe(monitor)}; expected one of ${MONITORS.map((m) => `"${m}"`).join(", ")}`,
      );
    if (monitor.startsWith("val") && !validates)
      throw new TypeError(
        `fit: earlyStopping.monitor is "${monitor}" but there is no validationData or validationSplit`,
      );
    if (monitor.toLowerCase().includes("accuracy") && !classifies)
      throw new TypeError(
        `fit: earlyStopping.monitor is "${monitor}", but accuracy is reported only for softmax or sigmoid outputs`,
      );
    const patience = e.patience ?? 5;
    if (typeof patience !== "number" || !Number.isInteger(patience) || patience < 0)
      throw new RangeError(`fit: earlyStopping.patience is ${describe(patience)}; expected an integer ≥ 0`);
    const minDelta = e.minDelta ?? 0;
    if (typeof minDelta !== "number" || !(minDelta >= 0) || !Number.isFinite(minDelta))
      throw new RangeError(`fit: earlyStopping.minDelta is ${describe(minDelta)}; expected a finite number ≥ 0`);
    const restoreBest = e.restoreBest ?? true;
    if (typeof restoreBest !== "boolean")
      throw new TypeError(`fit: earlyStopping.restoreBest is ${describe(restoreBest)}; expected true or false`);
    earlyStopping = { monitor, patience, minDelta, restoreBest };
  }
  const onEpochEnd = options.onEpochEnd ?? null;
  if (onEpochEnd !== null && typeof onEpochEnd !== "function")
    throw new TypeError(`fit: onEpochEnd is ${describe(onEpochEnd)}; expected a function`);
  const signal = options.signal ?? null;
  if (signal !== null && (typeof signal !== "object" || typeof signal.aborted !== "boolean"))
    throw new TypeError(`fit: signal is ${describe(signal)}; expected an AbortSignal`);
  const learningRateSchedule =
    options.learningRateSchedule === undefined ? null : checkSchedule(options.learningRateSchedule);
  return {
    epochs,
    batchSize,
    shuffle,
    optimizer,
    learningRateSchedule,
    earlyStopping,
    onEpochEnd,
    signal,
    validationSplit,
  };
}
