// Class labels to one-hot targets and outputs back to labels.
import { checkResultSize } from "../capacity.js";
import { describe, ShapeError } from "../errors.js";
import { toRows, widthOf, type MatrixInput } from "./rows.js";

/**
 * One-hot rows for integer class labels 0 … classes−1.
 * @example oneHot([2, 0], 3) // [[0, 0, 1], [1, 0, 0]]
 */
export function oneHot(labels: ArrayLike<number>, classes: number): number[][] {
  if (typeof classes !== "number")
    throw new TypeError(`oneHot: classes is ${describe(classes)}; expected a positive integer`);
  if (!Number.isInteger(classes) || classes < 1)
    throw new ShapeError(`oneHot: classes is ${describe(classes)}; expected a positive integer`);
  if (labels === null || typeof labels !== "object" || typeof labels.length !== "number")
    throw new TypeError(`oneHot: labels is ${describe(labels)}; expected an array of class labels`);
  checkResultSize("oneHot: the rows", labels.length, classes);
  return Array.from({ length: labels.length }, (_, i) => {
    const label = labels[i];
    if (typeof label !== "number" || !Number.isInteger(label) || label < 0 || label >= classes)
      throw new RangeError(`oneHot: labels[${i}] is ${describe(label)}; expected an integer from 0 to ${classes - 1}`);
    const row = new Array<number>(classes).fill(0);
    row[label] = 1;
    return row;
  });
}

/** Index of the largest value (the first, on a tie). */
export function argmax(values: ArrayLike<number>): number {
  if (values.length === 0) throw new ShapeError("argmax: no values; expected at least one");
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
}

/**
 * The class of each row of outputs: its argmax, or for one-column outputs (a sigmoid) 1 when ≥ ½.
 * @example classify(net.predict(x)) // [2, 0, 1, …]
 */
export function classify(outputs: MatrixInput, columns?: number): number[] {
  const cols = widthOf(outputs, columns, "classify: outputs");
  const { data, rows } = toRows(outputs, cols, "classify: outputs");
  return Array.from({ length: rows }, (_, i) =>
    cols === 1 ? (data[i]! >= 0.5 ? 1 : 0) : argmax(data.subarray(i * cols, (i + 1) * cols)),
  );
}
