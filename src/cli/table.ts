// A CSV file read for training: the columns used (inputs and targets) as one row-major
// Float64Array, numbers as they are and text as category codes (in order of first appearance).
// A column is numeric when its first row holds a number (unless --categorical names it), and
// then every later row must hold one; a text column holds at most `maxCategories` values.
import { readCsv } from "./csv.js";
import { DataError, UsageError, listNames, place } from "./errors.js";

export type ColumnKind = "number" | "category";

export interface RawColumn {
  name: string;
  /** position in the file's header */
  index: number;
  target: boolean;
  kind: ColumnKind;
  /** for categories: each value's code, in order of first appearance */
  codes: Map<string, number>;
}

export interface RawTable {
  file: string;
  header: string[];
  /** the columns used, in the file's order */
  columns: RawColumn[];
  rows: number;
  /** rows × columns.length, row-major */
  values: Float64Array;
}

export interface TableOptions {
  targets: string[];
  /** columns read as categories even when they hold numbers */
  categorical: string[];
  ignore: string[];
  maxCategories: number;
  /** the kind every target must have, when the task says so (classification: categories, regression: numbers) */
  targetKind?: ColumnKind;
}

/** A field as a finite number, or NaN. (Number() alone takes blanks for 0.) */
export function toNumber(field: string): number {
  // integers of up to 15 digits, exactly, by hand: most of a table's fields, and several times
  // faster than the general conversion
  const n = field.length;
  if (n > 0 && n <= 15) {
    let v = 0;
    let i = 0;
    for (; i < n; i++) {
      const d = field.charCodeAt(i) - 48;
      if (d < 0 || d > 9) break;
      v = v * 10 + d;
    }
    if (i === n) return v;
  }
  const v = +field;
  if (v === 0) return field.trim() !== "" ? 0 : NaN;
  return Number.isFinite(v) ? v : NaN;
}

export function isBlank(field: string): boolean {
  return field.trim() === "";
}

/** Column names from a header line: trimmed, none empty, none twice. */
export function checkHeader(file: string, names: string[], line: number): string[] {
  const header = names.map((n) => n.trim());
  header.forEach((name, i) => {
    if (name === "")
      throw new DataError(
        `${place(file, line)}: column ${i + 1} has no name; expected a name for every column of the header`,
      );
    const first = header.indexOf(name);
    if (first < i)
      throw new DataError(
        `${place(file, line)}: column ${JSON.stringify(name)} appears twice (columns ${first + 1} and ${i + 1}); expected unique names`,
      );
  });
  return header;
}

/** The columns named by an option, each of which must be in the header (else a usage error listing them). */
export function findColumns(file: string, header: string[], names: string[], option: string): number[] {
  return names.map((name) => {
    const index = header.indexOf(name);
    if (index < 0)
      throw new UsageError(
        `${option} ${JSON.stringify(name)}: ${file} has no such column; its columns are ${listNames(header, 40)}`,
      );
    return index;
  });
}

/** The most bytes a table of values may take in memory (as Float64Arrays), read or encoded. */
export const MAX_TABLE_BYTES = 2 ** 30;

/** Rows × cols values must fit in MAX_TABLE_BYTES; else a data error saying how large they would be. */
export function checkSize(what: string, rows: number, cols: number): void {
  const bytes = rows * cols * 8;
  if (bytes > MAX_TABLE_BYTES)
    throw new DataError(
      `${what}: ${rows.toLocaleString("en-US")} rows × ${cols.toLocaleString("en-US")} values` +
        ` would take ${(bytes / 2 ** 30).toFixed(1)} GiB; expected at most ${MAX_TABLE_BYTES / 2 ** 30} GiB ` +
        `(fewer rows, or fewer one-hot columns: --ignore wide text columns, lower --max-categories)`,
    );
}

// A growable row-major Float64Array: its first size comes from the file's size and the first
// rows' length, so that it is seldom copied and holds little more than the rows.
export class RowBuffer {
  values = new Float64Array(0);
  rows = 0;
  /** `what` names the rows in an error, e.g. "iris.csv, encoded" */
  constructor(
    readonly cols: number,
    readonly what: string,
  ) {}

  reserve(rows: number): void {
    if (rows * this.cols <= this.values.length) return;
    checkSize(this.what, rows, this.cols);
    const grown = new Float64Array(
      Math.min(Math.max(rows, Math.ceil(this.rows * 1.5)), Math.floor(MAX_TABLE_BYTES / 8 / this.cols)) * this.cols,
    );
    grown.set(this.values.subarray(0, this.rows * this.cols));
    this.values = grown;
  }

  /** the rows, without the unused end when it is more than a tenth */
  take(): Float64Array {
    const used = this.rows * this.cols;
    return used * 1.1 < this.values.length ? this.values.slice(0, used) : this.values.subarray(0, used);
  }
}

/** Reads `file` for training; see the top of this file. */
export async function readTrainingTable(file: string, fileBytes: number, options: TableOptions): Promise<RawTable> {
  let header: string[] = [];
  let columns: RawColumn[] = [];
  let buffer: RowBuffer | null = null;
  let layout: { numeric: Uint8Array; indexes: Int32Array } | null = null;
  let headerLine = 1;

  await readCsv(file, {
    header(names, line) {
      headerLine = line;
      header = checkHeader(file, names, line);
      const targets = findColumns(file, header, options.targets, "--target");
      const ignored = findColumns(file, header, options.ignore, "--ignore");
      const categorical = findColumns(file, header, options.categorical, "--categorical");
      for (const t of targets)
        if (ignored.includes(t))
          throw new UsageError(`--target ${JSON.stringify(header[t])} is also in --ignore; expected one or the other`);
      for (const c of categorical)
        if (ignored.includes(c))
          throw new UsageError(
            `--categorical ${JSON.stringify(header[c])} is also in --ignore; expected one or the other`,
          );
      columns = header
        .map((name, index): RawColumn => {
          const target = targets.includes(index);
          const category = categorical.includes(index) || (target && options.targetKind === "category");
          return { name, index, target, kind: category ? "category" : "number", codes: new Map() };
        })
        .filter((c) => !ignored.includes(c.index));
      if (!columns.some((c) => !c.target))
        throw new UsageError(
          `${file}: no input columns are left besides the target${targets.length > 1 ? "s" : ""}` +
            `; expected at least one column to predict from`,
        );
    },
    records(records, lineOf) {
      if (!buffer) {
        buffer = new RowBuffer(columns.length, file);
        decideKinds(records[0]!, lineOf(0));
        layout = {
          numeric: Uint8Array.from(columns, (c) => (c.kind === "number" ? 1 : 0)),
          indexes: Int32Array.from(columns, (c) => c.index),
        };
        // rows ≈ the file's bytes / the first rows' bytes per row (fields plus separators)
        let chars = 0;
        for (const record of records) for (const field of record) chars += field.length + 1;
        // (an estimate, so clamped to what a table may hold: only real rows can be refused as too many)
        const estimate = Math.ceil((1.02 * fileBytes * records.length) / Math.max(chars, 1)) + 16;
        buffer.reserve(Math.min(estimate, Math.floor(MAX_TABLE_BYTES / 8 / columns.length)));
      }
      const b: RowBuffer = buffer;
      b.reserve(b.rows + records.length);
      const values = b.values;
      const cols = columns.length;
      const { numeric, indexes } = layout!;
      let k = b.rows * cols;
      for (let i = 0; i < records.length; i++) {
        const record = records[i]!;
        for (let c = 0; c < cols; c++) {
          const field = record[indexes[c]!]!;
          if (numeric[c] === 1) {
            const v = toNumber(field);
            if (v !== v) throw notANumber(columns[c]!, field, lineOf(i));
            values[k++] = v;
          } else {
            values[k++] = categoryCode(columns[c]!, field, lineOf, i);
          }
        }
      }
      b.rows += records.length;
    },
  });
  if (!buffer)
    throw new DataError(`${place(file, headerLine)}: no rows of data after the header; expected at least one`);
  const b: RowBuffer = buffer;
  return { file, header, columns, rows: b.rows, values: b.take() };

  // the first row decides: a number makes a numeric column, anything else a text column
  function decideKinds(first: string[], line: number) {
    for (const column of columns) {
      const field = first[column.index]!;
      if (isBlank(field))
        throw new DataError(`${place(file, line, column.name)}: missing value; expected a value in every row`);
      if (column.kind === "number" && Number.isNaN(toNumber(field))) column.kind = "category";
      if (column.target && options.targetKind === "number" && column.kind === "category")
        throw new DataError(
          `${place(file, line, column.name)}: ${JSON.stringify(field)} is not a number; --task regression needs a numeric target`,
        );
    }
  }

  function categoryCode(column: RawColumn, field: string, lineOf: (i: number) => number, i: number): number {
    const key = field.trim();
    let code = column.codes.get(key);
    if (code === undefined) {
      if (key === "")
        throw new DataError(`${place(file, lineOf(i), column.name)}: missing value; expected a value in every row`);
      code = column.codes.size;
      if (code >= options.maxCategories) throw tooManyCategories(column, lineOf(i));
      column.codes.set(key, code);
    }
    return code;
  }

  function notANumber(column: RawColumn, field: string, line: number): DataError {
    const where = place(file, line, column.name);
    if (isBlank(field)) return new DataError(`${where}: missing value; expected a number`);
    const hint =
      column.target && options.targetKind === "number"
        ? ""
        : ` (or give --categorical ${JSON.stringify(column.name)} to read the column as categories)`;
    return new DataError(
      `${where}: ${JSON.stringify(field)} is not a number; expected a number, as in the column's first row${hint}`,
    );
  }

  function tooManyCategories(column: RawColumn, line: number): DataError {
    const what = column.target ? "classes" : "categories";
    const remedy = column.target
      ? `give --task regression for a numeric target, or allow more with --max-categories`
      : `a text column becomes one input per value: leave it out with --ignore ${JSON.stringify(column.name)}` +
        `, or allow more with --max-categories`;
    return new DataError(
      `${place(file, line, column.name)}: more than ${options.maxCategories} distinct values` +
        `; expected at most ${options.maxCategories} ${what} (${remedy})`,
    );
  }
}
