// backprop explain [MODEL FILE --row N [--learning-rate RATE]]
import {
  ACTIVATION_DESCRIPTORS,
  LOSS_DESCRIPTORS,
  type Activation,
  type ExplainedLayer,
  type Loss,
} from "../../index.js";
import { integerOption, positionals, positiveOption, readCommandLine } from "../args.js";
import { checkReadable, readCsv } from "../csv.js";
import { type CategoryColumn, type NumberColumn, RowEncoder, type TableModel } from "../encoding.js";
import { DataError, UsageError, place } from "../errors.js";
import { readModel } from "../model-file.js";
import { printSeedExample } from "../seed-walkthrough.js";
import { checkHeader } from "../table.js";
import type { Io } from "../io.js";

export const EXPLAIN_HELP = `Usage: backprop explain
       backprop explain MODEL FILE --row N [--learning-rate RATE]

With no arguments: the seed example (a 2-2-2 sigmoid network, one sample), step by step, as
npm start shows it: the forward pass, the total error, every dE/dw with its chain-rule factors,
the updated weights, and the figures after 10,000 rounds.

With a model: row N of FILE (counting data rows from 1, the header not counted) through the
network: its encoded inputs, each layer's net input z and output a, the error E against the
row's target, and the backward pass factor by factor (dE/da, da/dz, dE/dz, dE/dW, dE/db), with
the error after one gradient-descent step on that row. The model file is not changed.

  --row N              the data row (required with a model)
  --learning-rate R    the step's size (default: the one the model was trained with)
  -h, --help           this help

Example: backprop explain iris.model.json iris.csv --row 1`;

const OPTIONS = {
  row: { type: "string" },
  "learning-rate": { type: "string" },
} as const;

const DIGITS = 4;
const SHOWN = 10;

// four significant digits, positional from 0.001 up (77430, 0.518), else with an exponent
function num(v: number): string {
  if (v !== 0 && Math.abs(v) < 1e-3) return v.toExponential(DIGITS - 1);
  return String(Number(v.toPrecision(DIGITS)));
}
function vector(values: readonly number[]): string {
  const shown = values.slice(0, SHOWN).map(num).join(", ");
  return `[${shown}${values.length > SHOWN ? `, … ${values.length - SHOWN} more` : ""}]`;
}
function matrix(rows: readonly (readonly number[])[], indent: string): string[] {
  const lines = rows
    .slice(0, 6)
    .map((row, i) => `${indent}${i === 0 ? "[" : " "}${vector(row)}${i === rows.length - 1 ? "]" : ","}`);
  if (rows.length > 6) lines.push(`${indent} … ${rows.length - 6} more rows]`);
  return lines;
}

// the formulas from the library's descriptors: f′ as "relu′(z) = …", the loss and its dE/da
const derivative = (activation: Activation) => ACTIVATION_DESCRIPTORS[activation].derivative;
const ERROR = (loss: Loss) => ({ e: LOSS_DESCRIPTORS[loss].formula, dEdA: LOSS_DESCRIPTORS[loss].derivative });

export async function explain(argv: string[], io: Io): Promise<number> {
  const { values: v, positionals: given } = readCommandLine("explain", argv, OPTIONS);
  if (v.help) {
    io.out(EXPLAIN_HELP + "\n");
    return 0;
  }
  if (given.length === 0) {
    if (v.row !== undefined || v["learning-rate"] !== undefined)
      throw new UsageError("--row and --learning-rate go with MODEL FILE; usage: backprop explain MODEL FILE --row N");
    await printSeedExample((line) => io.out(line + "\n"));
    return 0;
  }
  const [modelPath, file] = positionals("explain", given, ["MODEL", "FILE"]) as [string, string];
  if (v.row === undefined) throw new UsageError("--row is required with a model: the data row to explain, from 1");
  const row = integerOption("row", v.row, 1, 1);
  const rate = positiveOption("learning-rate", v["learning-rate"]);
  checkReadable(file);
  const { net, table } = await readModel(modelPath);
  try {
    let encoder: RowEncoder | null = null;
    let header: string[] = [];
    let seen = 0;
    let found: { record: string[]; line: number } | null = null;
    await readCsv(file, {
      header(names, line) {
        header = checkHeader(file, names, line);
        encoder = new RowEncoder(file, header, table, true);
      },
      records(records, lineOf) {
        if (seen + records.length < row) {
          seen += records.length;
          return true;
        }
        found = { record: records[row - seen - 1]!, line: lineOf(row - seen - 1) };
        seen = row;
        return false;
      },
    });
    const hit = found as { record: string[]; line: number } | null;
    if (!hit) throw new DataError(`${file}: ${seen} row${seen === 1 ? "" : "s"} of data; --row ${row} is beyond them`);
    const e = encoder! as RowEncoder;
    const x = new Float64Array(e.inputs);
    const y = new Float64Array(e.outputs);
    e.encode(hit.record, hit.line, x, 0, y, 0);
    const learningRate = rate ?? net.toJSON().optimizer?.learningRate ?? 0.01;
    const step = net.explain(x, y, { learningRate });
    const given = net.spec.loss;
    const loss = typeof given === "string" ? given : given.name;
    const out = (line = "") => io.out(line + "\n");

    out(`Row ${row} of ${place(file, hit.line)}, through ${modelPath}`);
    out(`  ${header.map((name, i) => `${name} ${hit.record[i]}`).join(" · ")}`);
    out();
    out("Inputs x: numbers standardised, x′ = (x − mean)/std, with the training rows' mean and std; text one-hot");
    for (const c of table.inputs) out(`  ${describeInput(c, hit.record[header.indexOf(c.name)]!)}`);
    out(`Target t: ${vector(step.target)}${describeTarget(table)}`);

    out();
    out("Forward pass, layer by layer: z = W·a + b (a = x for the first layer), a = f(z)");
    step.layers.forEach((layer, l) => {
      out(`  layer ${l + 1}: ${layer.input.length} → ${layer.z.length}, ${layer.activation}`);
      out(`    z = ${vector(layer.z)}`);
      out(
        `    a = ${layer.activation}(z) = ${vector(layer.a)}${l === step.layers.length - 1 ? describePrediction(table, layer.a) : ""}`,
      );
    });
    out(`Error: ${ERROR(loss).e} = ${step.loss.toPrecision(6)}`);

    out();
    out("Backward pass, from the output: dE/dz = dE/da · da/dz; dE/dW = dE/dz · (the layer's input)ᵀ; dE/db = dE/dz");
    for (let l = step.layers.length - 1; l >= 0; l--)
      describeBackward(step.layers[l]!, l, l === step.layers.length - 1, loss, out);

    out();
    out(
      `Update: θ ← θ − η · dE/dθ with η = ${learningRate}${rate === undefined ? " (the model's learning rate)" : ""}`,
    );
    out(
      `  E on this row after the step: ${step.lossAfter.toPrecision(6)} (before: ${step.loss.toPrecision(6)}); ${modelPath} is not changed`,
    );
  } finally {
    net.dispose();
  }
  return 0;
}

function describeInput(c: TableModel["inputs"][number], field: string): string {
  if (c.type === "number") {
    const value = Number(field);
    return `${c.name}: (${field.trim()} − ${num(c.mean)}) / ${num(c.std)} = ${num((value - c.mean) / c.std)}`;
  }
  const key = field.trim();
  return (
    `${c.name}: ${JSON.stringify(key)} → ${vector(c.categories.map((k) => (k === key ? 1 : 0)))}` +
    ` over ${c.categories.map((k) => JSON.stringify(k)).join(", ")}`
  );
}

function describeTarget(table: TableModel): string {
  if (table.task === "regression") {
    const units = (table.targets as NumberColumn[]).map(
      (t) => `${t.name} (t·${num(t.std)} + ${num(t.mean)} in its units)`,
    );
    return `  (standardised: ${units.join(", ")})`;
  }
  const targets = table.targets as CategoryColumn[];
  if (targets.length === 1)
    return `  (one-hot over ${targets[0]!.categories.map((c) => JSON.stringify(c)).join(", ")})`;
  return `  (1 for ${targets.map((t) => `${t.name} = ${JSON.stringify(t.categories[1])}`).join(", ")})`;
}

function describePrediction(table: TableModel, a: number[]): string {
  if (table.task === "regression") {
    const values = (table.targets as NumberColumn[]).map((t, k) => `${t.name} ${num(a[k]! * t.std + t.mean)}`);
    return `  → predicted ${values.join(", ")}`;
  }
  const targets = table.targets as CategoryColumn[];
  if (targets.length === 1) return `  → predicted ${JSON.stringify(targets[0]!.categories[a.indexOf(Math.max(...a))])}`;
  return `  → predicted ${targets.map((t, k) => `${t.name} ${JSON.stringify(t.categories[a[k]! >= 0.5 ? 1 : 0])}`).join(", ")}`;
}

function describeBackward(
  layer: ExplainedLayer,
  l: number,
  last: boolean,
  loss: Loss,
  out: (line?: string) => void,
): void {
  out(`  layer ${l + 1} (${layer.activation})`);
  if (last) out(`    ${ERROR(loss).dEdA} = ${vector(layer.dEdA)}`);
  else out(`    dE/da = Σₖ dE/dzₖ · Wₖⱼ of layer ${l + 2} = ${vector(layer.dEdA)}`);
  if (layer.dAdZ === null) out(`    dE/dz = a − t (softmax's Jacobian with the cross-entropy) = ${vector(layer.dEdZ)}`);
  else if (last && LOSS_DESCRIPTORS[loss].output !== null)
    out(`    dE/dz = a − t (${derivative(layer.activation)} with the loss) = ${vector(layer.dEdZ)}`);
  else {
    out(`    da/dz = ${derivative(layer.activation)} = ${vector(layer.dAdZ)}`);
    out(`    dE/dz = dE/da · da/dz = ${vector(layer.dEdZ)}`);
  }
  const w = layer.gradients.weights;
  out(`    dE/dW (${w.length}×${layer.input.length}) =`);
  for (const line of matrix(w, "      ")) out(line);
  out(`    dE/db = ${vector(layer.gradients.biases)}`);
  // the largest factor-by-factor product, as one instance of dE/dWᵢⱼ = dE/dzᵢ · inputⱼ
  let bi = 0;
  let bj = 0;
  w.forEach((r, i) =>
    r.forEach((g, j) => {
      if (Math.abs(g) > Math.abs(w[bi]![bj]!)) [bi, bj] = [i, j];
    }),
  );
  out(
    `    e.g. dE/dW[${bi}][${bj}] = dE/dz[${bi}] ${num(layer.dEdZ[bi]!)} · input[${bj}] ${num(layer.input[bj]!)}` +
      ` = ${num(w[bi]![bj]!)}  (the largest in size)`,
  );
}
