// Standardisation: each input column shifted and scaled to mean 0 and standard deviation 1,
// with statistics taken from the training rows only and then applied to every other row.
import { checkResultSize } from "../capacity.js";
import { describe, NonFiniteError } from "../errors.js";
import { allFinite, toRows, toVector, widthOf, type MatrixInput } from "./rows.js";

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
    const cols = widthOf(x, columns, "Standardizer.fit: x");
    const { data, rows } = toRows(x, cols, "Standardizer.fit: x");
    const mean = new Float64Array(cols),
      std = new Float64Array(cols);
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) mean[j] = mean[j]! + data[i * cols + j]! / rows;
    for (let i = 0; i < rows; i++)
      for (let j = 0; j < cols; j++) std[j] = std[j]! + (data[i * cols + j]! - mean[j]!) ** 2 / rows;
    for (let j = 0; j < cols; j++) {
      // (x − mean)² overflows for |x − mean| beyond 1.3e154: then the same sum scaled by the largest |x − mean|
      const deviation = Number.isFinite(std[j]) ? Math.sqrt(std[j]!) : scaledDeviation(data, rows, cols, j, mean[j]!);
      if (!Number.isFinite(deviation))
        throw new NonFiniteError(
          `Standardizer.fit: column ${j}'s values are too far apart for float64 (x − mean overflows); scale the column first`,
        );
      std[j] = deviation || 1;
    }
    return new Standardizer(mean, std);
  }

  /**
   * A standardizer saved with toJSON(); `columns`, if given, is the width it must have. Every
   * mean is finite and every std finite and > 0, as Standardizer.fit makes them.
   */
  static fromJSON(json: StandardizerJSON, columns?: number): Standardizer {
    if (json === null || typeof json !== "object")
      throw new TypeError(`Standardizer.fromJSON: got ${describe(json)}; expected { mean, std }`);
    const unknown = Object.keys(json).find((key) => key !== "mean" && key !== "std");
    if (unknown !== undefined)
      throw new TypeError(`Standardizer.fromJSON: unknown key "${unknown}"; expected { mean, std }`);
    const cols = columns ?? (Array.isArray(json.mean) ? json.mean.length : 0);
    const mean = toVector(json.mean, cols, "Standardizer: mean");
    const std = toVector(json.std, cols, "Standardizer: std");
    std.forEach((s, j) => {
      if (!(s > 0)) throw new RangeError(`Standardizer: std[${j}] is ${s}; expected a number > 0`);
    });
    return new Standardizer(mean, std);
  }

  get columns(): number {
    return this.mean.length;
  }

  /** The standardised rows, as a new row-major Float64Array; `what` names them if one is not finite. */
  transformRows(data: Float64Array, what = "Standardizer.transform: x"): Float64Array {
    const cols = this.mean.length;
    const out = new Float64Array(data.length);
    for (let i = 0; i < data.length; i++) out[i] = (data[i]! - this.mean[i % cols]!) / this.std[i % cols]!;
    if (!allFinite(out)) {
      const i = out.findIndex((v) => !Number.isFinite(v));
      throw new NonFiniteError(
        `${what}[${Math.floor(i / cols)}][${i % cols}] is ${data[i]}, ${out[i]} once standardised (too far from the column's mean ${this.mean[i % cols]} for float64)`,
      );
    }
    return out;
  }

  /** Standardised rows in the form given: number[][] in, number[][] out; Float64Array in, Float64Array out. */
  transform(x: MatrixInput): MatrixInput {
    const { data, rows } = toRows(x, this.columns, "Standardizer.transform: x");
    const out = this.transformRows(data);
    if (x instanceof Float64Array) return out;
    checkResultSize("Standardizer.transform: the rows", rows, this.columns);
    return Array.from({ length: rows }, (_, i) => Array.from(out.subarray(i * this.columns, (i + 1) * this.columns)));
  }

  toJSON(): StandardizerJSON {
    return { mean: Array.from(this.mean), std: Array.from(this.std) };
  }
}

// √(Σᵢ (xᵢ − mean)² / rows) for column j, computed as s·√(Σᵢ ((xᵢ − mean)/s)² / rows) with s the
// largest |xᵢ − mean|, so that no square overflows; Infinity if s itself does.
function scaledDeviation(data: Float64Array, rows: number, cols: number, j: number, mean: number): number {
  let scale = 0;
  for (let i = 0; i < rows; i++) scale = Math.max(scale, Math.abs(data[i * cols + j]! - mean));
  if (!Number.isFinite(scale)) return Infinity;
  let sum = 0;
  for (let i = 0; i < rows; i++) sum += ((data[i * cols + j]! - mean) / scale) ** 2 / rows;
  return scale * Math.sqrt(sum);
}
