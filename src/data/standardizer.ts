// Standardisation: each input column shifted and scaled to mean 0 and standard deviation 1,
// with statistics taken from the training rows only and then applied to every other row.
import { NonFiniteError, ShapeError } from "../errors.js";
import { describe, toRows, toVector, type MatrixInput } from "./rows.js";

export interface StandardizerJSON {
  mean: number[];
  std: number[];
}

/**
 * x′ = (x − mean) / std per column. A column with std 0 (constant) is only shifted.
 * @example
 * const standardizer = Standardizer.fit(xTrain);
 * net.setStandardizer(standardizer); // predict, fit, evaluate … now standardise their inputs, and toJSON() saves it
 */
export class Standardizer {
  private constructor(
    readonly mean: Float64Array,
    readonly std: Float64Array,
  ) {}

  /** Column means and (population) standard deviations of the rows. */
  static fit(x: MatrixInput, columns?: number): Standardizer {
    const cols = columns ?? (x instanceof Float64Array ? undefined : x[0]?.length);
    if (cols === undefined) throw new ShapeError("Standardizer.fit: needs at least one row (and, for a Float64Array, its column count)");
    const { data, rows } = toRows(x, cols, "Standardizer.fit: x");
    const mean = new Float64Array(cols), std = new Float64Array(cols);
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) mean[j] += data[i * cols + j]! / rows;
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) std[j] += (data[i * cols + j]! - mean[j]!) ** 2 / rows;
    for (let j = 0; j < cols; j++) std[j] = Math.sqrt(std[j]!) || 1;
    return new Standardizer(mean, std);
  }

  static fromJSON(json: StandardizerJSON): Standardizer {
    if (json === null || typeof json !== "object") throw new TypeError(`Standardizer.fromJSON: got ${describe(json)}; expected { mean, std }`);
    const cols = Array.isArray(json.mean) ? json.mean.length : 0;
    const mean = toVector(json.mean, cols, "Standardizer: mean");
    const std = toVector(json.std, cols, "Standardizer: std");
    std.forEach((s, j) => {
      if (!(s > 0)) throw new NonFiniteError(`Standardizer: std[${j}] is ${s}; expected a number > 0`);
    });
    return new Standardizer(mean, std);
  }

  get columns(): number {
    return this.mean.length;
  }

  /** The standardised rows, as a new row-major Float64Array. */
  transformRows(data: Float64Array): Float64Array {
    const cols = this.mean.length;
    const out = new Float64Array(data.length);
    for (let i = 0; i < data.length; i++) out[i] = (data[i]! - this.mean[i % cols]!) / this.std[i % cols]!;
    return out;
  }

  /** Standardised rows in the form given: number[][] in, number[][] out; Float64Array in, Float64Array out. */
  transform(x: MatrixInput): MatrixInput {
    const { data, rows } = toRows(x, this.columns, "Standardizer.transform: x");
    const out = this.transformRows(data);
    if (x instanceof Float64Array) return out;
    return Array.from({ length: rows }, (_, i) => Array.from(out.subarray(i * this.columns, (i + 1) * this.columns)));
  }

  toJSON(): StandardizerJSON {
    return { mean: Array.from(this.mean), std: Array.from(this.std) };
  }
}
