// backprop export MODEL (--onnx FILE | --tfjs DIR): the network of a model file as a model that
// other engines run, taking the table's features as the CSV gives them (numbers as they are,
// text one-hot over the saved categories) and giving regression targets in their own units.
import { existsSync } from "node:fs";
import { type Network, Standardizer } from "../../index.js";
import { positionals, readCommandLine, stringOption } from "../args.js";
import { columnWidth, type TableModel } from "../encoding.js";
import { UsageError } from "../errors.js";
import { readModel } from "../model-file.js";
import { checkWritable, writeBytesAtomic, writeFolderAtomic } from "../output.js";
import type { Io } from "../io.js";

export const EXPORT_HELP = `Usage: backprop export MODEL --onnx FILE
       backprop export MODEL --tfjs DIR

Writes the network of MODEL (from backprop train) in a format that other engines run:
  --onnx FILE   an ONNX model, one file (onnxruntime in Node, browsers or Python; float64)
  --tfjs DIR    a TensorFlow.js layers model: DIR/model.json and DIR/weights.bin
                (tf.loadLayersModel; float32); DIR is created, and must not exist yet
  -h, --help    this help

The exported network takes the features in the model file's order (its table.inputs): each
number column as it is in the CSV, each text column one-hot over its saved categories (in their
order); the standardisation is inside the model. It gives the class probabilities (classes in the
saved order), or the regression targets in their own units. Each file is written in full or not
at all.`;

const OPTIONS = {
  onnx: { type: "string" },
  tfjs: { type: "string" },
} as const;

/** What to write, from the command line. */
export function exportTarget(
  argv: string[],
): { help: true } | { help: false; model: string; format: "onnx" | "tfjs"; path: string } {
  const { values: v, positionals: given } = readCommandLine("export", argv, OPTIONS);
  if (v.help) return { help: true };
  const [model] = positionals("export", given, ["MODEL"]) as [string];
  const onnx = stringOption("onnx", v.onnx);
  const tfjs = stringOption("tfjs", v.tfjs);
  if ((onnx === undefined) === (tfjs === undefined)) throw new UsageError("give one of --onnx FILE or --tfjs DIR");
  return onnx !== undefined
    ? { help: false, model, format: "onnx", path: onnx }
    : { help: false, model, format: "tfjs", path: tfjs! };
}

export async function exportModel(argv: string[], io: Io): Promise<number> {
  const target = exportTarget(argv);
  if (target.help) {
    io.out(EXPORT_HELP + "\n");
    return 0;
  }
  checkWritable(target.path, `--${target.format}`);
  if (target.format === "tfjs" && existsSync(target.path))
    throw new UsageError(`--tfjs ${target.path}: already exists; expected a new folder's name`);
  const { net, table } = await readModel(target.model);
  try {
    onRawFeatures(net, table);
    if (target.format === "onnx") {
      await writeBytesAtomic(target.path, net.toONNX());
    } else {
      // model.json as tf.io's file handlers write it: the artifacts, with the weights' manifest
      const { weightSpecs, weightData, ...artifacts } = net.toTFJS();
      const model = { ...artifacts, weightsManifest: [{ paths: ["weights.bin"], weights: weightSpecs }] };
      await writeFolderAtomic(target.path, {
        "model.json": JSON.stringify(model),
        "weights.bin": new Uint8Array(weightData),
      });
    }
  } finally {
    net.dispose();
  }
  io.out(`${target.format === "onnx" ? "ONNX model" : "TensorFlow.js model"} written to ${target.path}\n`);
  return 0;
}

// The table's standardisation made part of the network: the inputs' as a standardizer
// (x′ = (x − mean)/std for number columns; one-hot columns pass as they are, mean 0, std 1),
// which toONNX and toTFJS write in front of the first layer; and for regression the targets',
// undone in the last layer (linear): o = σₜ·(W·a + b) + μₜ, i.e. W′ = σₜW, b′ = σₜb + μₜ.
function onRawFeatures(net: Network, table: TableModel): void {
  const mean: number[] = [],
    std: number[] = [];
  for (const column of table.inputs) {
    if (column.type === "number") {
      mean.push(column.mean);
      std.push(column.std);
    } else {
      for (let k = 0; k < columnWidth(column); k++) mean.push(0), std.push(1);
    }
  }
  net.setStandardizer(Standardizer.fromJSON({ mean, std }, net.inputs));
  if (table.task === "regression") {
    const parameters = net.getParameters();
    const last = parameters[parameters.length - 1]!;
    table.targets.forEach((target, k) => {
      if (target.type !== "number") return;
      last.weights[k] = last.weights[k]!.map((w) => target.std * w);
      last.biases[k] = target.std * last.biases[k]! + target.mean;
    });
    net.setParameters(parameters);
  }
}
