// backprop evaluate MODEL FILE [--threads N]
import { MAX_THREADS } from "../../index.js";
import { readCommandLine, positionals, threadsOption } from "../args.js";
import { checkReadable, readCsv } from "../csv.js";
import { RowEncoder } from "../encoding.js";
import { DataError, place } from "../errors.js";
import { computeFigures, formatFigures } from "../metrics.js";
import { readModel } from "../model-file.js";
import { checkHeader, RowBuffer } from "../table.js";
import type { Io } from "../io.js";

export const EVALUATE_HELP = `Usage: backprop evaluate MODEL FILE [--threads N]

Reads FILE, a CSV file with the model's input and target columns (in any order; others are
ignored), and prints how well the model predicts its targets:
  classification: the loss (cross-entropy, as in training), the accuracy, and the confusion
                  matrix (rows: the actual class, columns: the predicted one), labelled with the
                  class names;
  regression:     the loss (as in training, on standardised targets), and in the target's own
                  units RMSE, MAE and R².

  --threads N  threads for the large matrix products: 1 to ${MAX_THREADS}, or auto (one per core); the
               same figures, bit for bit, on any number (default 1)
  -h, --help   this help

Example: backprop evaluate iris.model.json iris-test.csv`;

/** A CSV file encoded for a model, targets included. */
export async function readEncoded(file: string, encoder: (header: string[]) => RowEncoder) {
  let e: RowEncoder | null = null;
  let x: RowBuffer | null = null;
  let y: RowBuffer | null = null;
  let headerLine = 1;
  await readCsv(file, {
    header(names, line) {
      headerLine = line;
      e = encoder(checkHeader(file, names, line));
      x = new RowBuffer(e.inputs, `${file}, encoded`);
      y = new RowBuffer(e.outputs, `${file}, encoded targets`);
    },
    records(records, lineOf) {
      const xs = x!;
      const ys = y!;
      xs.reserve(xs.rows + records.length);
      ys.reserve(ys.rows + records.length);
      for (let i = 0; i < records.length; i++)
        e!.encode(records[i]!, lineOf(i), xs.values, (xs.rows + i) * e!.inputs, ys.values, (ys.rows + i) * e!.outputs);
      xs.rows += records.length;
      ys.rows += records.length;
    },
  });
  const xs = x as RowBuffer | null;
  const ys = y as RowBuffer | null;
  if (!xs || !ys || xs.rows === 0)
    throw new DataError(`${place(file, headerLine)}: no rows of data after the header; expected at least one`);
  return { x: xs.take(), y: ys.take(), rows: xs.rows };
}

export async function evaluate(argv: string[], io: Io): Promise<number> {
  const { values: v, positionals: given } = readCommandLine("evaluate", argv, { threads: { type: "string" } });
  if (v.help) {
    io.out(EVALUATE_HELP + "\n");
    return 0;
  }
  const [modelPath, file] = positionals("evaluate", given, ["MODEL", "FILE"]) as [string, string];
  const threads = threadsOption(v.threads);
  checkReadable(file);
  const { net, table } = await readModel(modelPath, threads);
  try {
    const { x, y, rows } = await readEncoded(file, (header) => new RowEncoder(file, header, table, true));
    const figures = computeFigures(net, table, x, y, rows);
    io.out(formatFigures(figures, table.task).join("\n") + "\n");
  } finally {
    net.dispose();
  }
  return 0;
}
