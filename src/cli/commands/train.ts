// backprop train FILE --target COLUMN --out MODEL [options]
import { statSync } from "node:fs";
import {
  ACTIVATIONS,
  type EpochLogs,
  type FitOptions,
  type History,
  type LayerSpec,
  MAX_THREADS,
  Network,
  type NetworkSpec,
  OPTIMIZERS,
} from "../../index.js";
import {
  choiceOption,
  fractionOption,
  integerOption,
  namesOption,
  positionals,
  positiveOption,
  readCommandLine,
  stringOption,
  threadsOption,
} from "../args.js";
import { checkReadable } from "../csv.js";
import type { CategoryColumn, TableModel, Task } from "../encoding.js";
import { UsageError } from "../errors.js";
import { computeFigures, summarizeFigures } from "../metrics.js";
import { writeModel } from "../model-file.js";
import { checkWritable } from "../output.js";
import { MAX_AUTO_CLASSES, prepare } from "../prepare.js";
import { Progress, type ProgressMode, formatCount } from "../progress.js";
import { type RawTable, readTrainingTable } from "../table.js";
import type { Io } from "../io.js";

const HIDDEN_ACTIVATIONS = ACTIVATIONS.filter((a) => a !== "softmax");

export const DEFAULTS = {
  layers: "16",
  activation: "relu",
  optimizer: "adam",
  learningRate: 0.01,
  epochs: 100,
  batchSize: 32,
  validationSplit: 0.1,
  patience: 10,
  testSplit: 0.2,
  seed: 0,
  maxCategories: 100,
} as const;

export const TRAIN_HELP = `Usage: backprop train FILE --target COLUMN --out MODEL [options]

Trains a network on FILE, a CSV file with a header line, to predict COLUMN from the other
columns, and writes it to MODEL (JSON). Numeric columns are standardised, text columns one-hot
encoded; the model file keeps their statistics, categories and order. A target of text, or of
integers with at most ${MAX_AUTO_CLASSES} distinct values, means classification (softmax, cross-entropy); other
numbers mean regression (linear outputs, mean squared error on standardised targets).

Data:
  --target COLUMN[,COLUMN…]  the column to predict (required); several: all numbers, or all of two classes
  --out MODEL                where to write the model (required)
  --task TASK                classification or regression, instead of the choice above
  --categorical COLUMNS      columns of numbers to read as categories (codes), one-hot encoded
  --ignore COLUMNS           columns to leave out (identifiers, free text)
  --max-categories N         most distinct values of a text column or classes of a target (default ${DEFAULTS.maxCategories})

Network:
  --layers SIZES             hidden layers' units, e.g. 16,8; 0 for none (default ${DEFAULTS.layers})
  --activation NAME          of the hidden layers: ${HIDDEN_ACTIVATIONS.join(", ")} (default ${DEFAULTS.activation})

Training:
  --optimizer NAME           ${OPTIMIZERS.join(", ")} (default ${DEFAULTS.optimizer}; momentum is 0.9)
  --learning-rate RATE       step size (default ${DEFAULTS.learningRate})
  --epochs N                 passes over the training rows (default ${DEFAULTS.epochs})
  --batch-size N             rows per step (default ${DEFAULTS.batchSize})
  --validation-split F       fraction of the training rows watched after each epoch (default ${DEFAULTS.validationSplit}; 0 for none)
  --patience N               stop after N epochs without a lower validation loss (the training loss
                             if there is no validation) and keep the best epoch's network; 0 never
                             stops early (default ${DEFAULTS.patience})
  --test-split F             fraction of all rows held out, and reported at the end (default ${DEFAULTS.testSplit})
  --seed N                   seeds the split, the initial weights and the shuffles (default ${DEFAULTS.seed})
  --threads N                threads for the large matrix products: 1 to ${MAX_THREADS}, or auto (one per
                             core); the same model, bit for bit, on any number (default 1)

Output:
  --progress MODE            bar, lines or none (default: a bar on a terminal, one line per epoch when piped)
  -h, --help                 this help

Rows are shuffled once (by --seed) before the held-out and validation rows are set aside.
Example: backprop train iris.csv --target species --out iris.model.json`;

const OPTIONS = {
  target: { type: "string", multiple: true },
  out: { type: "string", short: "o" },
  task: { type: "string" },
  categorical: { type: "string", multiple: true },
  ignore: { type: "string", multiple: true },
  "max-categories": { type: "string" },
  layers: { type: "string" },
  activation: { type: "string" },
  optimizer: { type: "string" },
  "learning-rate": { type: "string" },
  epochs: { type: "string" },
  "batch-size": { type: "string" },
  "validation-split": { type: "string" },
  patience: { type: "string" },
  "test-split": { type: "string" },
  seed: { type: "string" },
  threads: { type: "string" },
  progress: { type: "string" },
} as const;

function layerSizes(text: string): number[] {
  if (text.trim() === "0") return [];
  const sizes = text.split(",").map((s) => (s.trim() === "" ? NaN : Number(s)));
  if (sizes.some((n) => !Number.isInteger(n) || n < 1 || n > 1_000_000))
    throw new UsageError(
      `--layers is ${JSON.stringify(text)}; expected hidden layer sizes (positive integers) separated by commas, e.g. 16,8, or 0 for none`,
    );
  return sizes;
}

export async function train(argv: string[], io: Io): Promise<number> {
  const { values: v, positionals: given } = readCommandLine("train", argv, OPTIONS);
  if (v.help) {
    io.out(TRAIN_HELP + "\n");
    return 0;
  }
  const [file] = positionals("train", given, ["FILE"]) as [string];
  const targets = namesOption("target", v.target);
  if (targets.length === 0) throw new UsageError("--target is required: the column to predict");
  const out = stringOption("out", v.out);
  if (out === undefined) throw new UsageError("--out is required: where to write the model");
  if (new Set(targets).size !== targets.length)
    throw new UsageError(`--target names a column twice: ${targets.join(",")}`);
  const task =
    v.task === undefined
      ? undefined
      : choiceOption<Task>("task", v.task, ["classification", "regression"], "classification");
  const hidden = layerSizes(stringOption("layers", v.layers) ?? DEFAULTS.layers);
  const activation = choiceOption("activation", v.activation, HIDDEN_ACTIVATIONS, DEFAULTS.activation);
  const optimizer = choiceOption("optimizer", v.optimizer, OPTIMIZERS, DEFAULTS.optimizer);
  const learningRate = positiveOption("learning-rate", v["learning-rate"]) ?? DEFAULTS.learningRate;
  const epochs = integerOption("epochs", v.epochs, DEFAULTS.epochs, 1);
  const batchSize = integerOption("batch-size", v["batch-size"], DEFAULTS.batchSize, 1);
  const validationSplit = fractionOption("validation-split", v["validation-split"], DEFAULTS.validationSplit);
  const patience = integerOption("patience", v.patience, DEFAULTS.patience, 0);
  const testSplit = fractionOption("test-split", v["test-split"], DEFAULTS.testSplit);
  const seed = integerOption("seed", v.seed, DEFAULTS.seed, 0, 0xffffffff);
  const maxCategories = integerOption("max-categories", v["max-categories"], DEFAULTS.maxCategories, 2, 100_000);
  const threads = threadsOption(v.threads);
  const progressMode = choiceOption<ProgressMode | "auto">(
    "progress",
    v.progress,
    ["auto", "bar", "lines", "none"],
    "auto",
  );
  checkReadable(file);
  checkWritable(out, "--out");

  const started = performance.now();
  let raw: RawTable | null = await readTrainingTable(file, statSync(file).size, {
    targets,
    categorical: namesOption("categorical", v.categorical),
    ignore: namesOption("ignore", v.ignore),
    maxCategories,
    ...(task === undefined ? {} : { targetKind: task === "regression" ? "number" : "category" }),
  });
  const readSeconds = (performance.now() - started) / 1000;
  io.out(`read ${file}: ${formatCount(raw.rows)} rows, ${raw.header.length} columns (${readSeconds.toFixed(2)} s)\n`);

  const rowCount = raw.rows;
  const data = prepare(raw, task, maxCategories, { testSplit, validationSplit, seed }, targets);
  raw = null; // the encoded rows replace it
  const { model } = data;
  const inputs = data.x.length / rowCount;
  const outputs = data.y.length / rowCount;
  io.out(describeTask(model, data.taskReason) + "\n");
  const numeric = model.inputs.filter((c) => c.type === "number").length;
  io.out(
    `inputs: ${numeric} numeric (standardised), ${model.inputs.length - numeric} text (one-hot) → ${inputs} features\n`,
  );

  const output: LayerSpec =
    model.task === "regression"
      ? { units: outputs, activation: "linear" }
      : { units: outputs, activation: model.targets.length === 1 ? "softmax" : "sigmoid" };
  const spec: NetworkSpec = {
    inputs,
    layers: [...hidden.map((units): LayerSpec => ({ units, activation })), output],
    loss: model.task === "regression" ? "mse" : model.targets.length === 1 ? "crossEntropy" : "binaryCrossEntropy",
    seed,
  };
  io.out(
    `network: ${[inputs, ...hidden, outputs].join("-")} (${hidden.length ? `${activation}, ` : ""}${output.activation}),` +
      ` loss ${spec.loss}; ` +
      `${optimizer}, learning rate ${learningRate}, batch size ${batchSize}\n`,
  );
  io.out(
    `rows: ${formatCount(data.train)} training, ${formatCount(data.validation)}` +
      ` validation, ${formatCount(data.test)} held out (seed ${seed})\n`,
  );

  const { train: trainRows, validation: validationRows } = data;
  const xTrain = data.x.subarray(0, trainRows * inputs);
  const yTrain = data.y.subarray(0, trainRows * outputs);
  const end = trainRows + validationRows;
  const net = await Network.create({ ...spec, threads });
  try {
    const mode = progressMode === "auto" ? (io.isTTY ? "bar" : "lines") : progressMode;
    const progress = new Progress(mode, io.stream, epochs, trainRows);
    const controller = new AbortController();
    const interrupt = () => controller.abort();
    process.once("SIGINT", interrupt);
    const options: FitOptions = {
      epochs,
      batchSize,
      optimizer,
      learningRate,
      signal: controller.signal,
      onEpochEnd: (epoch: number, logs: EpochLogs) => progress.epoch(epoch, logs),
    };
    if (validationRows > 0)
      options.validationData = [
        data.x.subarray(trainRows * inputs, end * inputs),
        data.y.subarray(trainRows * outputs, end * outputs),
      ];
    if (patience > 0)
      options.earlyStopping = { patience, monitor: validationRows > 0 ? "valLoss" : "loss", restoreBest: true };
    const fitStarted = performance.now();
    progress.start();
    let history: History;
    try {
      history = await net.fit(xTrain, yTrain, options);
    } finally {
      progress.finish();
      process.removeListener("SIGINT", interrupt);
    }
    const fitSeconds = (performance.now() - fitStarted) / 1000;
    const epochsRun = history.loss.length;
    const stop = describeStop(history, patience, validationRows > 0);
    if (stop) io.out(stop + "\n");

    const [fx, fy, rows, what] =
      data.test > 0
        ? [
            data.x.subarray(end * inputs),
            data.y.subarray(end * outputs),
            data.test,
            `held-out (${formatCount(data.test)} rows)`,
          ]
        : [xTrain, yTrain, trainRows, `training rows (${formatCount(trainRows)}; none held out)`];
    io.out(`${what}: ${summarizeFigures(computeFigures(net, model, fx, fy, rows))}\n`);
    await writeModel(out, net, model);
    io.out(
      `trained in ${fitSeconds.toFixed(2)} s (${epochsRun} epoch${epochsRun === 1 ? "" : "s"}, ` +
        `${formatCount((epochsRun * trainRows) / fitSeconds)} samples/s` +
        `${net.threads > 1 ? `, ${net.threads} threads` : ""}); ` +
        `model written to ${out}\n`,
    );
  } finally {
    net.dispose();
  }
  return 0;
}

function describeTask(model: TableModel, reason: string): string {
  if (model.task === "regression") return `task: regression (${reason})`;
  const classes = (model.targets as CategoryColumn[]).map((t) => {
    const names = t.categories.length > 12 ? [...t.categories.slice(0, 12), "…"] : t.categories;
    return `${model.targets.length > 1 ? `classes of ${JSON.stringify(t.name)}` : "classes"}: ${names.join(", ")} (${t.categories.length})`;
  });
  return [`task: classification (${reason})`, ...classes].join("\n");
}

function describeStop(history: History, patience: number, validates: boolean): string | null {
  if (history.stopReason === "earlyStopping") {
    const monitored = (validates ? history.valLoss : history.loss)!;
    const best = monitored.indexOf(Math.min(...monitored));
    const name = validates ? "val_loss" : "loss";
    return (
      `stopped early after epoch ${history.stoppedEpoch! + 1}: ${name} had not improved for ${patience} epochs` +
      `; kept epoch ${best + 1}'s network (${name} ${monitored[best]!.toFixed(4)})`
    );
  }
  if (history.stopReason === "aborted")
    return `interrupted after epoch ${history.loss.length}; the model is written as it was then`;
  return null;
}
