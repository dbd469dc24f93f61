// The `backprop` command: reads the command's name and hands the rest of the command line to it.
// Errors end as one line on standard error and an exit code: 2 for a wrong command line, 1 for
// bad data (or a failure of the library, named by its error's class).
import { readFileSync } from "node:fs";
import { evaluate, EVALUATE_HELP } from "./commands/evaluate.js";
import { explain, EXPLAIN_HELP } from "./commands/explain.js";
import { exportModel, EXPORT_HELP } from "./commands/export.js";
import { predict, PREDICT_HELP } from "./commands/predict.js";
import { train, TRAIN_HELP } from "./commands/train.js";
import { UsageError } from "./errors.js";
import { type Io, processIo } from "./io.js";

type Command = (argv: string[], io: Io) => Promise<number>;

const COMMANDS: Record<string, { run: Command; help: string }> = {
  train: { run: train, help: TRAIN_HELP },
  predict: { run: predict, help: PREDICT_HELP },
  evaluate: { run: evaluate, help: EVALUATE_HELP },
  explain: { run: explain, help: EXPLAIN_HELP },
  export: { run: exportModel, help: EXPORT_HELP },
};

export const HELP = `backprop: neural networks on CSV files (backprop-wasm)

Usage:
  backprop train FILE --target COLUMN --out MODEL [options]   train a network on a table
  backprop predict MODEL FILE [--out FILE] [--probabilities]   add the model's predictions to a table
  backprop evaluate MODEL FILE                                 loss and accuracy, or RMSE, MAE and R²
  backprop explain [MODEL FILE --row N]                        one gradient-descent step, factor by factor
  backprop export MODEL (--onnx FILE | --tfjs DIR)             the network as ONNX or TensorFlow.js

  backprop COMMAND --help    a command's options
  backprop --version         the version

FILE is a CSV file with a header line; MODEL is the JSON file that train writes.
Exit codes: 0 done, 1 bad data (in a file) or training failed, 2 a wrong command line.
Example:
  backprop train iris.csv --target species --out iris.model.json
  backprop predict iris.model.json new-flowers.csv --out predictions.csv`;

function version(): string {
  const manifest = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
    name: string;
    version: string;
  };
  return `${manifest.name} ${manifest.version}`;
}

export async function main(argv: string[], io: Io): Promise<number> {
  const [first, ...rest] = argv;
  let name = "backprop";
  try {
    if (first === undefined) {
      io.out(HELP + "\n");
      return 2;
    }
    if (first === "--help" || first === "-h" || first === "help") {
      const command = first === "help" ? rest[0] : undefined;
      if (command !== undefined && !(command in COMMANDS))
        throw new UsageError(
          `help: no command ${JSON.stringify(command)}; the commands are ${Object.keys(COMMANDS).join(", ")}`,
        );
      io.out((command ? COMMANDS[command]!.help : HELP) + "\n");
      return 0;
    }
    if (first === "--version" || first === "-v") {
      io.out(version() + "\n");
      return 0;
    }
    const command = COMMANDS[first];
    if (!command) {
      const what = first.startsWith("-") ? `unknown option ${first}` : `no command ${JSON.stringify(first)}`;
      throw new UsageError(`${what}; the commands are ${Object.keys(COMMANDS).join(", ")} (backprop --help)`);
    }
    name = `backprop ${first}`;
    return await command.run(rest, io);
  } catch (error) {
    return fail(name, error);
  }
}

function fail(name: string, error: unknown): number {
  if (error instanceof Error && typeof (error as { exitCode?: unknown }).exitCode === "number") {
    process.stderr.write(`${name}: ${error.message}\n`);
    return (error as unknown as { exitCode: number }).exitCode;
  }
  // the library's errors (ShapeError, DivergenceError, …) by their class
  process.stderr.write(`${name}: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}\n`);
  return 1;
}

// standard output closed early (`| head`) ends the command quietly
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(0);
  throw error;
});

process.exitCode = await main(process.argv.slice(2), processIo);
