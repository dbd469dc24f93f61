// What a network's threads do by rows (src/backends/wasm/tiles.ts: a job of rows, cut between
// them by threads.ts, or a step before or after each tile of a product): a layer's update, on
// rows of its weights (update.ts); its bias and activation, on rows of the batch or on its units;
// the first layer's dZ, on its units (network.ts). The kernel-only module's second export
// (kernels.ts); the network's own thread runs the same code on its share.

import { Network } from "./network";
import { stepLayerRows } from "./update";
import { activateLayerRows, activateLayerUnits, backwardLayerUnits } from "./network";

// layerRows' tasks
export const STEP = 0; // the new values of rows of the weights, into the gradients' place; whether all are finite
export const ACTIVATE = 1; // z += b and a = f(z) on rows of the batch
export const ACTIVATE_UNITS = 2; // z += b and a = f(z) on units (columns of z) of all `batch` rows; not softmax
// the layer's dZ from the layer above's, on units of all `batch` rows (not softmax), without or
// with the dropout mask
export const BACKWARD_UNITS = 3;
export const BACKWARD_UNITS_DROPPED = 4;

// Task `task` on rows (or units) from … to−1 of layer l, whose batch has `batch` rows (read only
// by the tasks on units); false only if a STEP's new value was not finite.
export function layerRows(task: i32, net: Network, l: i32, from: i32, to: i32, batch: i32): bool {
  if (task == STEP) return stepLayerRows(net, l, from, to);
  if (task == ACTIVATE) activateLayerRows(net, l, from, to);
  else if (task == ACTIVATE_UNITS) activateLayerUnits(net, l, from, to, batch);
  else backwardLayerUnits(net, l, from, to, batch, task == BACKWARD_UNITS_DROPPED);
  return true;
}
