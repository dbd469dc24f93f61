// The table → features encoding kept in the model file: for each input column in order, a
// numeric column is one input, standardised with the training rows' statistics, x′ = (x − mean)/std;
// a text column is one input per category (one-hot, categories in the saved order). Targets:
// one class column → one output per class (softmax); several two-class columns → one output each
// (sigmoid, 1 for the second class); numbers → one output each, standardised like the inputs.
import { DataError, listNames, place } from "./errors.js";
import { isBlank, toNumber } from "./table.js";

export type Task = "classification" | "regression";

export interface NumberColumn {
  name: string;
  type: "number";
  mean: number;
  std: number;
}

export interface CategoryColumn {
  name: string;
  type: "category";
  /** one-hot order; for a target, its classes */
  categories: string[];
}

export type ColumnModel = NumberColumn | CategoryColumn;

/** The command's section of the model file (`table`), beside the network's own toJSON(). */
export interface TableModel {
  format: "backprop-table";
  version: 1;
  task: Task;
  /** input columns in the order their features are laid out */
  inputs: ColumnModel[];
  targets: ColumnModel[];
}

export const columnWidth = (c: ColumnModel): number => (c.type === "number" ? 1 : c.categories.length);
export const inputWidth = (model: TableModel): number => model.inputs.reduce((sum, c) => sum + columnWidth(c), 0);
export function outputWidth(model: TableModel): number {
  const [only] = model.targets;
  return model.targets.length === 1 && only?.type === "category" ? only.categories.length : model.targets.length;
}

// one column's part of the encoding: where its field is in a record and where its values go
interface ColumnStep {
  column: ColumnModel;
  index: number;
  offset: number;
  lookup: Map<string, number> | null;
}

/** Encodes records of a CSV file (whose header may order or add columns freely) for a model. */
export class RowEncoder {
  readonly inputs: number;
  readonly outputs: number;
  private readonly steps: ColumnStep[];
  private readonly targetSteps: ColumnStep[];
  private readonly oneClassColumn: boolean;

  constructor(
    readonly file: string,
    header: string[],
    readonly model: TableModel,
    withTargets: boolean,
  ) {
    const needed = [...model.inputs, ...(withTargets ? model.targets : [])].map((c) => c.name);
    const missing = needed.filter((name) => !header.includes(name));
    if (missing.length > 0)
      throw new DataError(
        `${file}: the model needs the column${missing.length > 1 ? "s" : ""} ${listNames(missing)}, which the file lacks` +
          `; its columns are ${listNames(header, 40)}`,
      );
    const steps = (columns: ColumnModel[], perColumn: (c: ColumnModel) => number) => {
      let offset = 0;
      return columns.map((column): ColumnStep => {
        const step = {
          column,
          index: header.indexOf(column.name),
          offset,
          lookup: column.type === "category" ? new Map(column.categories.map((name, i) => [name, i])) : null,
        };
        offset += perColumn(column);
        return step;
      });
    };
    this.steps = steps(model.inputs, columnWidth);
    this.oneClassColumn = model.targets.length === 1 && model.task === "classification";
    this.targetSteps = withTargets ? steps(model.targets, (c) => (this.oneClassColumn ? columnWidth(c) : 1)) : [];
    this.inputs = inputWidth(model);
    this.outputs = outputWidth(model);
  }

  /** Writes the record's inputs to x at `xAt` (all `inputs` values) and, if targets were asked for, its targets to y at `yAt`. */
  encode(record: string[], line: number, x: Float64Array, xAt: number, y?: Float64Array, yAt = 0): void {
    for (const step of this.steps) {
      const field = record[step.index]!;
      const c = step.column;
      if (c.type === "number") {
        x[xAt + step.offset] = (this.number(field, line, c) - c.mean) / c.std;
      } else {
        const at = xAt + step.offset;
        x.fill(0, at, at + c.categories.length);
        x[at + this.category(field, line, step, "category")] = 1;
      }
    }
    if (!y) return;
    for (const step of this.targetSteps) {
      const field = record[step.index]!;
      const c = step.column;
      if (c.type === "number") {
        y[yAt + step.offset] = (this.number(field, line, c) - c.mean) / c.std;
      } else if (this.oneClassColumn) {
        y.fill(0, yAt, yAt + c.categories.length);
        y[yAt + this.category(field, line, step, "class")] = 1;
      } else {
        y[yAt + step.offset] = this.category(field, line, step, "class");
      }
    }
  }

  private number(field: string, line: number, column: NumberColumn): number {
    const v = toNumber(field);
    if (v === v) return v;
    const where = place(this.file, line, column.name);
    if (isBlank(field)) throw new DataError(`${where}: missing value; expected a number`);
    throw new DataError(
      `${where}: ${JSON.stringify(field)} is not a number; expected a number (the column was numeric in training)`,
    );
  }

  private category(field: string, line: number, step: ColumnStep, what: "category" | "class"): number {
    const key = field.trim();
    const index = step.lookup!.get(key);
    if (index !== undefined) return index;
    const where = place(this.file, line, step.column.name);
    if (key === "") throw new DataError(`${where}: missing value; expected a value in every row`);
    const known = (step.column as CategoryColumn).categories;
    throw new DataError(
      `${where}: ${JSON.stringify(key)} is not a ${what} the model was trained on; expected one of ${listNames(known, 20)}`,
    );
  }
}

/** What the network's outputs mean: per target, its predicted value (class name or number) and, for classes, each class's probability. */
export function decodeOutputs(
  model: TableModel,
  outputs: ArrayLike<number>,
  at: number,
): { predicted: string[]; probabilities: number[] } {
  const predicted: string[] = [];
  const probabilities: number[] = [];
  if (model.task === "regression") {
    model.targets.forEach((c, k) =>
      predicted.push(String(outputs[at + k]! * (c as NumberColumn).std + (c as NumberColumn).mean)),
    );
  } else if (model.targets.length === 1) {
    const classes = (model.targets[0] as CategoryColumn).categories;
    let best = 0;
    for (let k = 0; k < classes.length; k++) {
      probabilities.push(outputs[at + k]!);
      if (outputs[at + k]! > outputs[at + best]!) best = k;
    }
    predicted.push(classes[best]!);
  } else {
    model.targets.forEach((c, k) => {
      const p = outputs[at + k]!; // the second class's probability
      predicted.push((c as CategoryColumn).categories[p >= 0.5 ? 1 : 0]!);
      probabilities.push(1 - p, p);
    });
  }
  return { predicted, probabilities };
}

/** The class index of each target from the network's outputs (classification only). */
export function predictedClasses(model: TableModel, outputs: ArrayLike<number>, at: number): number[] {
  if (model.targets.length === 1) {
    const classes = (model.targets[0] as CategoryColumn).categories.length;
    let best = 0;
    for (let k = 1; k < classes; k++) if (outputs[at + k]! > outputs[at + best]!) best = k;
    return [best];
  }
  return model.targets.map((_, k) => (outputs[at + k]! >= 0.5 ? 1 : 0));
}

// --- the section as read from a file: untrusted, checked whole ---

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/** Checks a model file's `table` section; `inputs` and `outputs` are the network's widths. */
export function checkTableModel(file: string, section: unknown, inputs: number, outputs: number): TableModel {
  const fail = (what: string): never => {
    throw new DataError(`${file}: the model's table section ${what}; expected what backprop train writes`);
  };
  if (!isObject(section)) return fail("is missing");
  if (section.format !== "backprop-table") fail(`has format ${JSON.stringify(section.format)}, not "backprop-table"`);
  if (section.version !== 1) fail(`has version ${JSON.stringify(section.version)}; this backprop reads version 1`);
  if (section.task !== "classification" && section.task !== "regression")
    fail(`has task ${JSON.stringify(section.task)}`);
  const columns = (key: "inputs" | "targets", budget: number): ColumnModel[] => {
    const list = section[key];
    if (!Array.isArray(list) || list.length === 0) return fail(`has no ${key}`);
    // each column takes at least one of the network's inputs or outputs: no more can be real
    if (list.length > budget) return fail(`has ${list.length} ${key} for a network of ${budget}`);
    return list.map((c: unknown, i): ColumnModel => {
      if (!isObject(c) || typeof c.name !== "string") return fail(`${key}[${i}] has no name`);
      if (c.type === "number") {
        const { mean, std } = c;
        if (
          typeof mean !== "number" ||
          !Number.isFinite(mean) ||
          typeof std !== "number" ||
          !Number.isFinite(std) ||
          !(std > 0)
        )
          return fail(`${key}[${i}] (${JSON.stringify(c.name)}) has no finite mean and std > 0`);
        return { name: c.name, type: "number", mean, std };
      }
      if (c.type !== "category")
        return fail(`${key}[${i}] (${JSON.stringify(c.name)}) has type ${JSON.stringify(c.type)}`);
      const categories = c.categories;
      if (
        !Array.isArray(categories) ||
        categories.length < 1 ||
        categories.length > budget ||
        categories.some((v) => typeof v !== "string")
      )
        return fail(`${key}[${i}] (${JSON.stringify(c.name)}) has no list of categories`);
      if (new Set(categories).size !== categories.length)
        fail(`${key}[${i}] (${JSON.stringify(c.name)}) lists a category twice`);
      return { name: c.name, type: "category", categories: categories as string[] };
    });
  };
  const model: TableModel = {
    format: "backprop-table",
    version: 1,
    task: section.task as Task,
    inputs: columns("inputs", inputs),
    targets: columns("targets", outputs),
  };
  const names = [...model.inputs, ...model.targets].map((c) => c.name);
  if (new Set(names).size !== names.length) fail("names a column twice");
  if (inputWidth(model) !== inputs) fail(`encodes ${inputWidth(model)} inputs for a network of ${inputs}`);
  if (outputWidth(model) !== outputs) fail(`encodes ${outputWidth(model)} outputs for a network of ${outputs}`);
  const classes = model.targets.filter((c) => c.type === "category");
  if (model.task === "classification" ? classes.length !== model.targets.length : classes.length > 0)
    fail(`has targets that do not fit its task`);
  if (model.task === "classification" && model.targets.length > 1 && classes.some((c) => c.categories.length !== 2))
    fail("has several targets, not all of two classes");
  return model;
}
