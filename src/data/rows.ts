// Turns user data (number[][] rows, or a row-major Float64Array) into one flat Float64Array,
// checking its shape and that every value is a finite number. A Float64Array is used as it
// is, not copied.
import { describe, NonFiniteError, ShapeError } from "../errors.js";

/** Matrix data: `number[][]` (one array per row) or a row-major `Float64Array` of rows×cols. */
export type MatrixInput = readonly (readonly number[] | Float64Array)[] | Float64Array;

export interface Rows {
  data: Float64Array;
  rows: number;
  cols: number;
}

// `what` names the argument in messages, e.g. "predict: x". A Float64Array's values are checked
// unless `checkValues` is false (the caller then checks them with checkRowsFinite, or knows another
// way: Network.predict); number[][] rows are checked as they are copied.
export function toRows(x: MatrixInput, cols: number, what: string, checkValues = true): Rows {
  if (x instanceof Float64Array) {
    if (x.length === 0 || x.length % cols !== 0)
      throw new ShapeError(
        `${what} is a Float64Array of length ${x.length}; expected rows×${cols} values (a positive multiple of ${cols})`,
      );
    if (checkValues) checkRowsFinite(x, cols, what);
    return { data: x, rows: x.length / cols, cols };
  }
  if (!Array.isArray(x)) throw new TypeError(`${what} is ${describe(x)}; expected number[][] rows or a Float64Array`);
  if (x.length === 0) throw new ShapeError(`${what} has no rows; expected at least one row of ${cols} values`);
  const data = new Float64Array(x.length * cols);
  for (let i = 0; i < x.length; i++) {
    const row: unknown = x[i];
    if (!Array.isArray(row) && !(row instanceof Float64Array))
      throw new TypeError(`${what}[${i}] is ${describe(row)}; expected an array of ${cols} numbers`);
    if (row.length !== cols) throw new ShapeError(`${what}[${i}] has ${row.length} values; expected ${cols}`);
    for (let j = 0; j < cols; j++) {
      const v: unknown = row[j];
      if (typeof v !== "number") throw new TypeError(`${what}[${i}][${j}] is ${describe(v)}; expected a number`);
      if (!Number.isFinite(v)) throw new NonFiniteError(`${what}[${i}][${j}] is ${v}; expected a finite number`);
      data[i * cols + j] = v;
    }
  }
  return { data, rows: x.length, cols };
}

/**
 * Throws a NonFiniteError naming the first value of the rows that is not a finite number; rows
 * cols wide, the first of them row `firstRow` of the argument `what`.
 */
export function checkRowsFinite(x: Float64Array, cols: number, what: string, firstRow = 0): void {
  // 0·x is 0 for every finite x and NaN for NaN and ±Infinity: one branch-free pass, and a second
  // only to name the culprit
  if (allFinite(x)) return;
  const i = x.findIndex((v) => !Number.isFinite(v));
  throw new NonFiniteError(
    `${what}[${firstRow + Math.floor(i / cols)}][${i % cols}] is ${x[i]}; expected a finite number`,
  );
}

/** Whether the first value of each of the first `rows` rows (cols wide) is finite. */
export function firstColumnFinite(values: Float64Array, rows: number, cols: number): boolean {
  let sum = 0;
  for (let i = 0; i < rows; i++) sum += 0 * values[i * cols]!;
  return sum === 0;
}

/**
 * Whether every value is finite: 0·x is 0 for finite x, NaN for NaN and ±Infinity; four sums, so
 * that the adds need not wait on each other.
 */
export function allFinite(x: Float64Array): boolean {
  const n = x.length;
  let z0 = 0,
    z1 = 0,
    z2 = 0,
    z3 = 0,
    i = 0;
  for (; i + 4 <= n; i += 4) {
    z0 += 0 * x[i]!;
    z1 += 0 * x[i + 1]!;
    z2 += 0 * x[i + 2]!;
    z3 += 0 * x[i + 3]!;
  }
  for (; i < n; i++) z0 += 0 * x[i]!;
  return z0 + z1 + z2 + z3 === 0;
}

/**
 * The width of matrix data given without one: `columns` if given (a positive integer), else the
 * first row's length; a Float64Array needs `columns`.
 */
export function widthOf(x: unknown, columns: unknown, what: string): number {
  if (!(x instanceof Float64Array) && !Array.isArray(x))
    throw new TypeError(`${what} is ${describe(x)}; expected number[][] rows or a Float64Array`);
  if (columns !== undefined) {
    if (typeof columns !== "number" || !Number.isInteger(columns) || columns < 1)
      throw new TypeError(`${what}: columns is ${describe(columns)}; expected a positive integer`);
    return columns;
  }
  if (x instanceof Float64Array) throw new TypeError(`${what} is a Float64Array, which needs its column count`);
  const first: unknown = x[0];
  if (!Array.isArray(first) && !(first instanceof Float64Array))
    throw new ShapeError(`${what} has no rows of numbers; expected at least one row`);
  return first.length;
}

/** One row of exactly `length` finite numbers, as a new Float64Array. */
export function toVector(values: unknown, length: number, what: string): Float64Array {
  if (!Array.isArray(values) && !(values instanceof Float64Array))
    throw new TypeError(`${what} is ${describe(values)}; expected an array of ${length} numbers`);
  if (values.length !== length) throw new ShapeError(`${what} has ${values.length} values; expected ${length}`);
  const out = new Float64Array(length);
  for (let j = 0; j < length; j++) {
    const v: unknown = values[j];
    if (typeof v !== "number") throw new TypeError(`${what}[${j}] is ${describe(v)}; expected a number`);
    if (!Number.isFinite(v)) throw new NonFiniteError(`${what}[${j}] is ${v}; expected a finite number`);
    out[j] = v;
  }
  return out;
}

/** Splits flat row-major data back into rows. */
export function fromRows(data: Float64Array, rows: number, cols: number): number[][] {
  // filled by index: Array.from on a subarray per row costs several times more
  const out: number[][] = new Array(rows);
  for (let i = 0, k = 0; i < rows; i++) {
    const row: number[] = new Array(cols);
    for (let j = 0; j < cols; j++) row[j] = data[k++]!;
    out[i] = row;
  }
  return out;
}
