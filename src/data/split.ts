// A seeded train/test split.
import { Random } from "../random.js";
import { checkKeys, describe, ShapeError } from "../errors.js";
import type { MatrixInput } from "./rows.js";

export interface Split<T> {
  xTrain: T;
  yTrain: T;
  xTest: T;
  yTest: T;
}

function rowCount(x: MatrixInput, cols: number | undefined, what: string): number {
  if (!(x instanceof Float64Array)) {
    if (!Array.isArray(x))
      throw new TypeError(`trainTestSplit: ${what} is ${describe(x)}; expected number[][] rows or a Float64Array`);
    return x.length;
  }
  if (cols === undefined || !Number.isInteger(cols) || cols < 1 || x.length % cols !== 0)
    throw new ShapeError(
      `trainTestSplit: ${what} is a Float64Array of length ${x.length}; give its column count (${what}Columns) that divides it`,
    );
  return x.length / cols;
}

function take<T extends MatrixInput>(x: T, rows: readonly number[], cols: number | undefined): T {
  if (!(x instanceof Float64Array)) return rows.map((r) => (x as readonly unknown[])[r]) as unknown as T;
  const c = cols!;
  const out = new Float64Array(rows.length * c);
  rows.forEach((r, i) => out.set(x.subarray(r * c, (r + 1) * c), i * c));
  return out as T;
}

/**
 * Shuffles the rows with the seeded generator and holds out `testFraction` of them. Rows are
 * kept in their own form (number[][] rows are shared, not copied; Float64Array rows are gathered).
 * @example const { xTrain, yTrain, xTest, yTest } = trainTestSplit(x, y, { testFraction: 0.2, seed: 1 });
 */
export function trainTestSplit<T extends MatrixInput>(
  x: T,
  y: T,
  options: { testFraction: number; seed?: number; xColumns?: number; yColumns?: number },
): Split<T> {
  if (options === null || typeof options !== "object")
    throw new TypeError(`trainTestSplit: options are ${describe(options)}; expected { testFraction, seed }`);
  checkKeys(options, ["testFraction", "seed", "xColumns", "yColumns"], "trainTestSplit's options");
  const { testFraction, seed = 0 } = options;
  if (typeof seed !== "number" || !Number.isInteger(seed) || seed < 0 || seed > 0xffffffff)
    throw new TypeError(`trainTestSplit: seed is ${describe(seed)}; expected an integer from 0 to 4294967295`);
  if (typeof testFraction !== "number" || !(testFraction > 0 && testFraction < 1))
    throw new RangeError(`trainTestSplit: testFraction is ${describe(testFraction)}; expected a number in (0, 1)`);
  const rows = rowCount(x, options.xColumns, "x");
  if (rowCount(y, options.yColumns, "y") !== rows)
    throw new ShapeError(
      `trainTestSplit: x has ${rows} rows and y has ${rowCount(y, options.yColumns, "y")}; expected the same number`,
    );
  const testRows = Math.round(rows * testFraction);
  if (testRows < 1 || testRows >= rows)
    throw new ShapeError(
      `trainTestSplit: ${rows} rows with testFraction ${testFraction} leave ${testRows} test rows; expected at least one on each side`,
    );
  const order = Array.from({ length: rows }, (_, i) => i);
  const random = new Random(seed);
  for (let i = rows - 1; i > 0; i--) {
    const j = Math.floor(random.uniform() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const test = order.slice(0, testRows),
    train = order.slice(testRows);
  return {
    xTrain: take(x, train, options.xColumns),
    yTrain: take(y, train, options.yColumns),
    xTest: take(x, test, options.xColumns),
    yTest: take(y, test, options.yColumns),
  };
}
