// From a table read for training to the network's data: the task (classification or regression),
// the categories in a fixed order, a seeded split of the rows into training, validation and
// held-out rows, the training rows' statistics, and the encoded inputs and targets.
import { Random } from "../index.js";
import {
  type CategoryColumn,
  type ColumnModel,
  type NumberColumn,
  type TableModel,
  type Task,
  columnWidth,
  inputWidth,
  outputWidth,
} from "./encoding.js";
import { DataError, UsageError, listNames } from "./errors.js";
import type { RawColumn, RawTable } from "./table.js";
import { checkSize, toNumber } from "./table.js";

/** An integer target with at most this many distinct values is taken for classes. */
export const MAX_AUTO_CLASSES = 10;

export interface SplitOptions {
  /** fraction of all rows held out and reported at the end */
  testSplit: number;
  /** fraction of the remaining rows watched during training */
  validationSplit: number;
  seed: number;
}

export interface Prepared {
  model: TableModel;
  /** encoded rows, shuffled: training rows, then validation rows, then held-out rows */
  x: Float64Array;
  y: Float64Array;
  train: number;
  validation: number;
  test: number;
  /** why the task was chosen, for the summary */
  taskReason: string;
}

/** The distinct values of a numeric column. */
function distinctValues(raw: RawTable, c: number, limit: number): number[] | null {
  const seen = new Set<number>();
  const cols = raw.columns.length;
  for (let k = c; k < raw.values.length; k += cols) {
    seen.add(raw.values[k]!);
    if (seen.size > limit) return null;
  }
  return [...seen];
}

/** Categories in a fixed order: numerically when all are numbers, else by their characters. */
export function sortCategories(names: string[]): string[] {
  const numbers = names.map(toNumber);
  if (numbers.every((v) => !Number.isNaN(v)))
    return names
      .map((n, i) => ({ n, v: numbers[i]! }))
      .sort((a, b) => a.v - b.v || (a.n < b.n ? -1 : 1))
      .map((e) => e.n);
  return [...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

// the column's categories in order, and each code's place in that order
function categoriesOf(column: RawColumn): { categories: string[]; remap: Float64Array } {
  const categories = sortCategories([...column.codes.keys()]);
  const remap = new Float64Array(column.codes.size);
  categories.forEach((name, i) => (remap[column.codes.get(name)!] = i));
  return { categories, remap };
}

function chooseTask(
  raw: RawTable,
  asked: Task | undefined,
  maxClasses: number,
): { task: Task; reason: string; classValues: Map<number, number[]> } {
  const classValues = new Map<number, number[]>(); // numeric targets read as classes: their values
  const targets = raw.columns.map((c, i) => ({ c, i })).filter(({ c }) => c.target);
  const numeric = targets.filter(({ c }) => c.kind === "number");
  if (asked === "regression") return { task: "regression", reason: "--task regression", classValues };
  const names = listNames(targets.map(({ c }) => c.name));
  const hold = targets.length > 1 ? "hold" : "holds";
  const looksLikeClasses = numeric.map(({ c, i }) => {
    const values = distinctValues(raw, i, asked === "classification" ? maxClasses : MAX_AUTO_CLASSES);
    if (values === null) {
      if (asked === "classification")
        throw new DataError(
          `${raw.file}, column ${JSON.stringify(c.name)}: more than ${maxClasses} distinct values` +
            `; expected at most ${maxClasses} classes (or allow more with --max-categories)`,
        );
      return false;
    }
    if (asked === undefined && !values.every(Number.isInteger)) return false;
    classValues.set(
      i,
      values.sort((a, b) => a - b),
    );
    return true;
  });
  if (asked === "classification") return { task: "classification", reason: "--task classification", classValues };
  if (numeric.length === 0) return { task: "classification", reason: `${names} ${hold} text`, classValues };
  if (looksLikeClasses.every(Boolean))
    return {
      task: "classification",
      reason: `${names} ${hold} integers, at most ${MAX_AUTO_CLASSES} distinct; --task regression to override`,
      classValues,
    };
  if (numeric.length === targets.length)
    return { task: "regression", reason: `${names} ${hold} numbers`, classValues: new Map() };
  throw new UsageError(
    `the targets mix classes (text) and numbers (${names}); give --task, or train one model per target`,
  );
}

/** Chooses the task, splits, standardises and encodes; see the top of this file. */
export function prepare(
  raw: RawTable,
  task: Task | undefined,
  maxClasses: number,
  split: SplitOptions,
  targetOrder: string[],
): Prepared {
  const chosen = chooseTask(raw, task, maxClasses);
  const cols = raw.columns.length;
  const rows = raw.rows;

  // the split: one seeded shuffle (Fisher–Yates); held-out rows first, then validation, then training
  const order = new Int32Array(rows);
  for (let i = 0; i < rows; i++) order[i] = i;
  const random = new Random(split.seed);
  for (let i = rows - 1; i > 0; i--) {
    const j = Math.floor(random.uniform() * (i + 1));
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
  const test = Math.round(rows * split.testSplit);
  const validation = Math.round((rows - test) * split.validationSplit);
  const train = rows - test - validation;
  if (train < 1)
    throw new DataError(
      `${raw.file}: ${rows} row${rows === 1 ? "" : "s"} leave none for training ` +
        `with --test-split ${split.testSplit} and --validation-split ${split.validationSplit}; expected more rows or smaller fractions`,
    );
  // position p of the encoded data holds row source(p)
  const source = (p: number) =>
    p < train
      ? order[test + validation + p]!
      : p < train + validation
        ? order[test + p - train]!
        : order[p - train - validation]!;

  // each column's model: statistics over the training rows only (row by row, in memory order),
  // categories in order
  const values = raw.values;
  const mean = new Float64Array(cols);
  const variance = new Float64Array(cols);
  for (let p = 0; p < train; p++) {
    const at = source(p) * cols;
    for (let c = 0; c < cols; c++) mean[c] = mean[c]! + values[at + c]!;
  }
  for (let c = 0; c < cols; c++) mean[c] = mean[c]! / train;
  for (let p = 0; p < train; p++) {
    const at = source(p) * cols;
    for (let c = 0; c < cols; c++) {
      const d = values[at + c]! - mean[c]!;
      variance[c] = variance[c]! + d * d;
    }
  }
  // a column's code for each raw value: categories' codes remapped to the sorted order, numeric classes by value
  const codes: ((v: number) => number)[] = [];
  const columns: ColumnModel[] = raw.columns.map((column, c) => {
    const classValues = chosen.classValues.get(c);
    if (classValues) {
      const index = new Map(classValues.map((v, i) => [v, i]));
      codes.push((v) => index.get(v)!);
      return { name: column.name, type: "category", categories: classValues.map(String) };
    }
    if (column.kind === "category") {
      const { categories, remap } = categoriesOf(column);
      codes.push((v) => remap[v]!);
      return { name: column.name, type: "category", categories };
    }
    codes.push((v) => v);
    // population standard deviation; a constant column is only shifted
    return { name: column.name, type: "number", mean: mean[c]!, std: Math.sqrt(variance[c]! / train) || 1 };
  });
  const inputs = columns.filter((_, c) => !raw.columns[c]!.target);
  // targets in the order --target names them
  const targets = columns
    .filter((_, c) => raw.columns[c]!.target)
    .sort((p, q) => targetOrder.indexOf(p.name) - targetOrder.indexOf(q.name));
  const model: TableModel = { format: "backprop-table", version: 1, task: chosen.task, inputs, targets };

  if (chosen.task === "classification") {
    for (const t of targets as CategoryColumn[]) {
      if (t.categories.length < 2)
        throw new DataError(
          `${raw.file}, column ${JSON.stringify(t.name)}: only one class (${JSON.stringify(t.categories[0])})` +
            `; expected at least two to tell apart`,
        );
      if (targets.length > 1 && t.categories.length !== 2)
        throw new UsageError(
          `several targets are learnt together only when each has two classes (one sigmoid output each)` +
            `; ${JSON.stringify(t.name)} has ${t.categories.length}: train one model per target`,
        );
    }
  }

  // encode, row by row: each column of the raw table into its place in x or y
  const width = inputWidth(model);
  const outputs = outputWidth(model);
  checkSize(`${raw.file}, encoded`, rows, width + outputs);
  const x = new Float64Array(rows * width);
  const y = new Float64Array(rows * outputs);
  const oneClassColumn = chosen.task === "classification" && targets.length === 1;
  const offsets = new Map<ColumnModel, number>();
  let at = 0;
  for (const c of inputs) {
    offsets.set(c, at);
    at += columnWidth(c);
  }
  at = 0;
  for (const c of targets) {
    offsets.set(c, at);
    at += oneClassColumn ? columnWidth(c) : 1;
  }
  // numeric inputs in one tight loop; categories and targets (a few columns) in another
  const numericInputs = raw.columns
    .map((_, c) => c)
    .filter((c) => !raw.columns[c]!.target && columns[c]!.type === "number");
  const rest = raw.columns.map((_, c) => c).filter((c) => !numericInputs.includes(c));
  const from = Int32Array.from(numericInputs);
  const to = Int32Array.from(numericInputs, (c) => offsets.get(columns[c]!)!);
  const shift = Float64Array.from(numericInputs, (c) => (columns[c] as NumberColumn).mean);
  const scale = Float64Array.from(numericInputs, (c) => (columns[c] as NumberColumn).std);
  for (let p = 0; p < rows; p++) {
    const row = source(p) * cols;
    const xAt = p * width;
    for (let k = 0; k < from.length; k++) x[xAt + to[k]!] = (values[row + from[k]!]! - shift[k]!) / scale[k]!;
    for (const c of rest) {
      const column = columns[c]!;
      const v = values[row + c]!;
      const isTarget = raw.columns[c]!.target;
      const at = (isTarget ? p * outputs : xAt) + offsets.get(column)!;
      const out = isTarget ? y : x;
      if (column.type === "number") out[at] = (v - column.mean) / column.std;
      else if (isTarget && !oneClassColumn) out[at] = codes[c]!(v);
      else out[at + codes[c]!(v)] = 1;
    }
  }
  return { model, x, y, train, validation, test, taskReason: chosen.reason };
}
