// backprop export MODEL (--onnx FILE | --tfjs DIR): the command line only, for now; writing
// the files waits for the library's net.toONNX() and net.toTFJS() (see the help's last line).
import { existsSync } from "node:fs";
import { positionals, readCommandLine, stringOption } from "../args.js";
import { UsageError } from "../errors.js";
import { readModel } from "../model-file.js";
import { checkWritable } from "../output.js";
import type { Io } from "../io.js";

export const EXPORT_HELP = `Usage: backprop export MODEL --onnx FILE
       backprop export MODEL --tfjs DIR

Writes the network of MODEL (from backprop train) in a format that other tools run:
  --onnx FILE   an ONNX model, one file (onnxruntime, ONNX-capable tools)
  --tfjs DIR    a TensorFlow.js layers model: DIR/model.json and its weights file beside it
                (tf.loadLayersModel); DIR is created, and must not exist yet
  -h, --help    this help

The exported network takes the features in the model file's order (table.inputs): numbers
standardised with the saved mean and std, text one-hot over the saved categories. Each file is
written in full or not at all.

Not available in this version: it waits for the library's ONNX and TensorFlow.js writers.`;

const OPTIONS = {
  onnx: { type: "string" },
  tfjs: { type: "string" },
} as const;

/** What to write, from the command line. */
export function exportTarget(argv: string[]): { help: true } | { help: false; model: string; format: "onnx" | "tfjs"; path: string } {
  const { values: v, positionals: given } = readCommandLine("export", argv, OPTIONS);
  if (v.help) return { help: true };
  const [model] = positionals("export", given, ["MODEL"]) as [string];
  const onnx = stringOption("onnx", v.onnx);
  const tfjs = stringOption("tfjs", v.tfjs);
  if ((onnx === undefined) === (tfjs === undefined)) throw new UsageError("give one of --onnx FILE or --tfjs DIR");
  return onnx !== undefined ? { help: false, model, format: "onnx", path: onnx } : { help: false, model, format: "tfjs", path: tfjs! };
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
  const { net } = await readModel(target.model);
  net.dispose();
  throw new UnavailableError(
    `export --${target.format}: not available in this version` +
      `; it waits for the library's ${target.format === "onnx" ? "net.toONNX()" : "net.toTFJS()"}`,
  );
}

/** A command that this version cannot carry out; exit code 1. */
export class UnavailableError extends Error {
  override name = "UnavailableError";
  readonly exitCode = 1;
}
