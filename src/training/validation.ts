// The rows fit validates on: the last fraction of x and y before shuffling (validationSplit), or
// validationData, or none.
import { ShapeError } from "../errors.js";
import type { Plan } from "../plan.js";

/** Rows of a batch as fit holds them: flat x and y and their count. */
export interface BatchRows {
  x: Float64Array;
  y: Float64Array;
  rows: number;
}

/** The training rows and the validation rows: the last `split` of `all` (views, not copies), or `validationData()`. */
export function splitValidation(
  all: BatchRows,
  split: number | null,
  plan: Pick<Plan, "inputs" | "outputs">,
  validationData: () => BatchRows | null,
): { train: BatchRows; validation: BatchRows | null } {
  if (split === null) return { train: all, validation: validationData() };
  const cut = Math.floor(all.rows * (1 - split));
  if (cut < 1 || cut >= all.rows)
    throw new ShapeError(
      `fit: validationSplit ${split} of ${all.rows} rows leaves ${cut} for training and ${all.rows - cut} for validation; expected at least one each`,
    );
  const part = (data: Float64Array, cols: number, from: number, to: number) => data.subarray(from * cols, to * cols);
  return {
    train: { x: part(all.x, plan.inputs, 0, cut), y: part(all.y, plan.outputs, 0, cut), rows: cut },
    validation: {
      x: part(all.x, plan.inputs, cut, all.rows),
      y: part(all.y, plan.outputs, cut, all.rows),
      rows: all.rows - cut,
    },
  };
}
