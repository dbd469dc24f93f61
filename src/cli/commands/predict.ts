// backprop predict MODEL FILE [--out FILE] [--probabilities] [--threads N]
import { MAX_THREADS } from "../../index.js";
import { readCommandLine, positionals, stringOption, threadsOption } from "../args.js";
import { checkReadable, csvLine, readCsv } from "../csv.js";
import { type CategoryColumn, RowEncoder, decodeOutputs } from "../encoding.js";
import { checkHeader, checkSize } from "../table.js";
import { readModel } from "../model-file.js";
import { OutputFile, checkWritable } from "../output.js";
import type { Io } from "../io.js";

export const PREDICT_HELP = `Usage: backprop predict MODEL FILE [--out FILE] [--probabilities] [--threads N]

Reads FILE, a CSV file with the columns the model was trained on (in any order; others are
kept but not used), and writes it back as CSV with the prediction added after its columns:
predicted_TARGET, the class name or the number.

  -o, --out FILE      write there instead of to standard output
  --probabilities     for classes, add probability_CLASS for every class (probability_TARGET_CLASS
                      when the model has several targets)
  --threads N         threads for the large matrix products: 1 to ${MAX_THREADS}, or auto (one per core);
                      the same predictions, bit for bit, on any number (default 1)
  -h, --help          this help

The output is complete or absent: it is written to a temporary file, then moved into place.
Example: backprop predict iris.model.json new-flowers.csv --out predictions.csv`;

const OPTIONS = {
  out: { type: "string", short: "o" },
  probabilities: { type: "boolean" },
  threads: { type: "string" },
} as const;

export async function predict(argv: string[], io: Io): Promise<number> {
  const { values: v, positionals: given } = readCommandLine("predict", argv, OPTIONS);
  if (v.help) {
    io.out(PREDICT_HELP + "\n");
    return 0;
  }
  const [modelPath, file] = positionals("predict", given, ["MODEL", "FILE"]) as [string, string];
  const outPath = stringOption("out", v.out) ?? null;
  const probabilities = v.probabilities === true;
  const threads = threadsOption(v.threads);
  checkReadable(file);
  if (outPath !== null) checkWritable(outPath, "--out");
  const { net, table } = await readModel(modelPath, threads);
  const output = new OutputFile(outPath);
  try {
    let encoder: RowEncoder | null = null;
    const extra = table.targets.map((t) => `predicted_${t.name}`);
    if (probabilities && table.task === "classification") {
      const several = table.targets.length > 1;
      for (const t of table.targets as CategoryColumn[])
        for (const c of t.categories) extra.push(several ? `probability_${t.name}_${c}` : `probability_${c}`);
    }
    let x = new Float64Array(0);
    await readCsv(file, {
      header(names, line) {
        const header = checkHeader(file, names, line);
        encoder = new RowEncoder(file, header, table, false);
        output.write(csvLine([...names, ...extra]) + "\n");
      },
      records(records, lineOf) {
        const e = encoder!;
        if (x.length < records.length * e.inputs) {
          checkSize(file, records.length, e.inputs);
          x = new Float64Array(records.length * e.inputs);
        }
        for (let i = 0; i < records.length; i++) e.encode(records[i]!, lineOf(i), x, i * e.inputs);
        const outputs = net.predict(x.subarray(0, records.length * e.inputs));
        let text = "";
        for (let i = 0; i < records.length; i++) {
          const { predicted, probabilities: p } = decodeOutputs(table, outputs[i]!, 0);
          const added = probabilities ? [...predicted, ...p.map(String)] : predicted;
          text += csvLine([...records[i]!, ...added]) + "\n";
        }
        output.write(text);
      },
    });
    await output.commit();
  } catch (error) {
    output.discard();
    throw error;
  } finally {
    net.dispose();
  }
  return 0;
}
