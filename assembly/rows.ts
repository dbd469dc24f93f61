// What a network's threads do by rows (src/backends/wasm/tiles.ts: a job of rows, cut between
// them by threads.ts): a layer's update, on rows of its weights (update.ts), and its bias and
// activation, on rows of the batch (network.ts). The kernel-only module's second export
// (kernels.ts); the network's own thread runs the same code on its share.

import { Network } from "./network";
import { stepLayerRows, commitLayerRows } from "./update";
import { activateLayerRows } from "./network";

// layerRows' tasks
export const STEP = 0; // the new values of rows of the weights, into the gradients' place; whether all are finite
export const COMMIT = 1; // those rows' new values copied into the parameters
export const ACTIVATE = 2; // z += b and a = f(z) on rows of the batch

// Task `task` on rows from … to−1 of layer l; false only if a STEP's new value was not finite.
export function layerRows(task: i32, net: Network, l: i32, from: i32, to: i32): bool {
  if (task == STEP) return stepLayerRows(net, l, from, to);
  if (task == COMMIT) commitLayerRows(net, l, from, to);
  else activateLayerRows(net, l, from, to);
  return true;
}
