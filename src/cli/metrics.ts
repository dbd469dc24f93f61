// Figures on encoded rows: the network's loss (as in training), and per target either the
// accuracy with a confusion matrix (rows: the actual class, columns: the predicted one) or, in
// the target's own units, RMSE = √(mean (t − o)²), MAE = mean |t − o| and R² = 1 − Σ(t − o)²/Σ(t − t̄)².
import type { Network } from "../index.js";
import { type CategoryColumn, type NumberColumn, type TableModel, predictedClasses } from "./encoding.js";

export interface ClassFigures {
  name: string;
  classes: string[];
  accuracy: number;
  /** confusion[actual][predicted] */
  confusion: number[][];
}

export interface NumberFigures {
  name: string;
  rmse: number;
  mae: number;
  r2: number;
}

export interface Figures {
  rows: number;
  loss: number;
  /** the network's accuracy: over rows for one class column, over targets for several */
  accuracy?: number;
  classes?: ClassFigures[];
  numbers?: NumberFigures[];
}

// rows per call to predict, so that its number[][] stays small
const BLOCK = 4096;

export function computeFigures(
  net: Network,
  model: TableModel,
  x: Float64Array,
  y: Float64Array,
  rows: number,
): Figures {
  const { loss, accuracy } = net.evaluate(x, y);
  const inputs = net.inputs;
  const outputs = net.outputs;
  const figures: Figures = { rows, loss, ...(accuracy === undefined ? {} : { accuracy }) };
  const oneClassColumn = model.task === "classification" && model.targets.length === 1;
  const classes =
    model.task === "classification"
      ? (model.targets as CategoryColumn[]).map((t) => ({
          name: t.name,
          classes: t.categories,
          accuracy: 0,
          confusion: t.categories.map(() => t.categories.map(() => 0)),
        }))
      : [];
  const sums = model.targets.map(() => ({ squares: 0, absolute: 0, mean: 0, total: 0 }));
  if (model.task === "regression") {
    (model.targets as NumberColumn[]).forEach((c, t) => {
      let sum = 0;
      for (let i = 0; i < rows; i++) sum += y[i * outputs + t]! * c.std + c.mean;
      sums[t]!.mean = sum / rows;
    });
  }
  for (let start = 0; start < rows; start += BLOCK) {
    const end = Math.min(rows, start + BLOCK);
    const predicted = net.predict(x.subarray(start * inputs, end * inputs));
    for (let i = start; i < end; i++) {
      const out = predicted[i - start]!;
      if (classes.length > 0) {
        const guesses = predictedClasses(model, out, 0);
        classes.forEach((c, t) => {
          const actual = oneClassColumn ? argmaxAt(y, i * outputs, c.classes.length) : y[i * outputs + t]!;
          c.confusion[actual]![guesses[t]!]!++;
        });
      } else {
        (model.targets as NumberColumn[]).forEach((c, t) => {
          const target = y[i * outputs + t]! * c.std + c.mean;
          const error = target - (out[t]! * c.std + c.mean);
          const s = sums[t]!;
          s.squares += error * error;
          s.absolute += Math.abs(error);
          s.total += (target - s.mean) ** 2;
        });
      }
    }
  }
  if (classes.length > 0) {
    for (const c of classes) c.accuracy = c.confusion.reduce((sum, row, k) => sum + row[k]!, 0) / rows;
    figures.classes = classes;
  } else {
    figures.numbers = model.targets.map((c, t) => {
      const s = sums[t]!;
      return {
        name: c.name,
        rmse: Math.sqrt(s.squares / rows),
        mae: s.absolute / rows,
        r2: s.total > 0 ? 1 - s.squares / s.total : NaN,
      };
    });
  }
  return figures;
}

function argmaxAt(values: Float64Array, at: number, length: number): number {
  let best = 0;
  for (let k = 1; k < length; k++) if (values[at + k]! > values[at + best]!) best = k;
  return best;
}

/** A significant-digits figure that reads well beside others: 0.1235, 12.35, 1235, 1.235e-5. */
export function formatFigure(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v !== 0 && (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e6)) return v.toExponential(3);
  return v.toFixed(Math.max(0, 4 - Math.max(0, Math.floor(Math.log10(Math.abs(v) || 1)) + 1)));
}

/** The confusion matrix as a table, labelled with the class names. */
export function confusionTable(c: ClassFigures): string[] {
  const label = `actual ${c.name} \\ predicted`;
  const first = Math.max(label.length, ...c.classes.map((n) => n.length));
  const widths = c.classes.map((n, k) => Math.max(n.length, ...c.confusion.map((row) => String(row[k]).length)));
  const lines = [[label.padEnd(first), ...c.classes.map((n, k) => n.padStart(widths[k]!))].join("  ")];
  c.confusion.forEach((row, a) =>
    lines.push([c.classes[a]!.padEnd(first), ...row.map((v, k) => String(v).padStart(widths[k]!))].join("  ")),
  );
  return lines;
}

/** Every figure, one per line, for `evaluate`. */
export function formatFigures(f: Figures, task: TableModel["task"]): string[] {
  const row = (label: string, value: string, note = "") => `${label.padEnd(10)}${value}${note ? `  (${note})` : ""}`;
  const lines = [row("rows", formatCount(f.rows))];
  const lossNote =
    task === "regression"
      ? "mean ½Σ(t − o)² on standardised targets, as in training"
      : f.classes!.length > 1
        ? "binary cross-entropy, as in training"
        : "cross-entropy, as in training";
  lines.push(row("loss", f.loss.toFixed(4), lossNote));
  if (f.classes) {
    const one = f.classes.length === 1;
    lines.push(
      row(
        "accuracy",
        f.accuracy!.toFixed(4),
        one
          ? `${formatCount(Math.round(f.accuracy! * f.rows))} of ${formatCount(f.rows)} rows`
          : `over all ${f.classes.length} targets`,
      ),
    );
    for (const c of f.classes) {
      lines.push("");
      if (!one) lines.push(row(`${c.name}:`, `accuracy ${c.accuracy.toFixed(4)}`));
      lines.push(...confusionTable(c));
    }
  } else {
    const many = f.numbers!.length > 1;
    for (const n of f.numbers!) {
      if (many) lines.push("", `${n.name}:`);
      lines.push(row("RMSE", formatFigure(n.rmse)), row("MAE", formatFigure(n.mae)), row("R²", n.r2.toFixed(4)));
    }
  }
  return lines;
}

/** The held-out figures in one line, for `train`'s summary. */
export function summarizeFigures(f: Figures): string {
  if (f.classes) {
    const parts = [`accuracy ${(100 * f.accuracy!).toFixed(2)}%`];
    if (f.classes.length > 1) parts.push(...f.classes.map((c) => `${c.name} ${(100 * c.accuracy).toFixed(2)}%`));
    return `loss ${f.loss.toFixed(4)}, ${parts.join(", ")}`;
  }
  const many = f.numbers!.length > 1;
  return [
    `loss ${f.loss.toFixed(4)}`,
    ...f.numbers!.map(
      (n) =>
        `${many ? `${n.name}: ` : ""}RMSE ${formatFigure(n.rmse)}, MAE ${formatFigure(n.mae)}, R² ${n.r2.toFixed(4)}`,
    ),
  ].join(", ");
}

const formatCount = (n: number) => n.toLocaleString("en-US");
