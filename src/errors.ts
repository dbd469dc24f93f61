// Every error the library throws for bad input. Sizes are ShapeErrors, values outside their
// allowed range (NaN, ±Infinity, a learning rate ≤ 0) are RangeErrors, wrong kinds and unknown
// names are TypeErrors; all say what was given and what was expected.

/** A size that does not fit: a row of the wrong width, a layer of 0 units, a matrix of the wrong shape. */
export class ShapeError extends RangeError {
  override name = "ShapeError";
}

/** NaN or ±Infinity where a finite number is needed (inputs, targets, parameters). */
export class NonFiniteError extends RangeError {
  override name = "NonFiniteError";
}

/** A call on a network after `dispose()`. */
export class DisposedError extends Error {
  override name = "DisposedError";
}

/** Training produced a non-finite loss or parameter; the parameters were left at their last finite values. */
export class DivergenceError extends Error {
  override name = "DivergenceError";
}

/**
 * A request larger than a network can hold: a network beyond the largest, a batch or data set
 * beyond its memory, a result beyond what JavaScript arrays can hold. `bytes` is what it needs,
 * `limit` the most there is (null when the JavaScript engine itself refused memory). Nothing
 * was changed.
 */
export class CapacityError extends RangeError {
  override name = "CapacityError";
  readonly bytes: number;
  readonly limit: number | null;

  constructor(message: string, sizes: { bytes: number; limit: number | null }) {
    super(message);
    this.bytes = sizes.bytes;
    this.limit = sizes.limit;
  }
}

/** A value as messages name it: "null", "an array of length 3", "a Map", "\"2\"", "NaN". */
export function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "object") return `a ${v.constructor?.name ?? "object"}`;
  return String(v);
}

/** Throws a TypeError naming the first key of `object` that is not one of `known`: nothing is silently ignored. */
export function checkKeys(object: object, known: readonly string[], what: string): void {
  const unknown = Object.keys(object).find((key) => !known.includes(key));
  if (unknown !== undefined)
    throw new TypeError(
      `${what} has an unknown key "${unknown}"; the keys are ${known.map((k) => `"${k}"`).join(", ")}`,
    );
}

/** A model file (ONNX, TensorFlow.js) that cannot be read as a network: malformed bytes, or an op, attribute or graph this library has no layer for. */
export class ModelFormatError extends TypeError {
  override name = "ModelFormatError";
}
