// Training: an optimizer beside the parameters, data sets, and whole epochs (or slices of one)
// of shuffled mini-batches. The twin of assembly/training.ts.
import { SIGMOID, SOFTMAX } from "./activations.js";
import { FAILED_LOSS, FAILED_UPDATE, loss, trainingGradients, type Network } from "./network.js";
import {
  SETTING_CLIP,
  SETTING_HYPER,
  SETTING_KIND,
  SETTING_L1,
  SETTING_LEARNING_RATE,
  SETTING_WEIGHT_DECAY,
  biasCorrected,
  initialState,
  scaleValues,
  stateValues,
  sumSquares,
  type StateViews,
} from "./optimizers.js";
import { commitLayers, stepLayers } from "./update.js";

export interface DataSet {
  x: Float64Array; // [rows×inputs]
  y: Float64Array; // [rows×outputs]
  rows: number;
}

// Sets the optimizer from its settings block; its state is kept when the kind stays the same,
// started afresh otherwise.
export function optimizerSet(net: Network, settings: Float64Array): void {
  const kind = settings[SETTING_KIND]!;
  let opt = net.optimizer;
  if (!opt || opt.kind !== kind) {
    const n = net.params.length;
    const values = stateValues(kind);
    const slices = Array.from({ length: values }, (_, v) => v * n);
    const viewsOf = (state: Float64Array): StateViews[] =>
      net.layers.map((layer) => ({
        weights: slices.map((s) => state.subarray(s + layer.weightOffset, s + layer.biasOffset)),
        biases: slices.map((s) => state.subarray(s + layer.biasOffset, s + layer.biasOffset + layer.units)),
      }));
    const state = new Float64Array(values * n).fill(initialState(kind, settings)),
      spare = new Float64Array(values * n);
    opt = {
      kind,
      settings: new Float64Array(settings.length),
      steps: 0,
      beta1Power: 1,
      beta2Power: 1,
      state,
      spare,
      views: viewsOf(state),
      spareViews: viewsOf(spare),
    };
    net.optimizer = opt;
  } else if (opt.steps === 0) {
    opt.state.fill(initialState(kind, settings)); // a state that has not stepped is the initial one of the settings given now
  }
  opt.settings.set(settings);
}

// clip_grad_norm_: the trained parameters' gradients scaled by max / (‖g‖₂ + 10⁻⁶) where that is below 1
function clipGradients(net: Network, max: number): void {
  let sum = 0;
  for (const layer of net.layers) {
    sum = sumSquares(layer.dWeights, layer.units * layer.inputs, sum);
    if (layer.trainBias) sum = sumSquares(layer.dBiases, layer.units, sum);
  }
  const scale = max / (Math.sqrt(sum) + 1e-6);
  if (!(scale < 1)) return;
  for (const layer of net.layers) {
    scaleValues(layer.dWeights, layer.units * layer.inputs, scale);
    if (layer.trainBias) scaleValues(layer.dBiases, layer.units, scale);
  }
}

// One optimizer step from net.grads (clipped first, if asked): every new value computed once
// (update.ts), and written only if all are finite: the parameters copied in, the spare state swapped
// with the current one. As in assembly/training.ts.
function optimizerStep(net: Network): boolean {
  const opt = net.optimizer!;
  const corrected = biasCorrected(opt.kind);
  const beta1Power = corrected ? opt.beta1Power * opt.settings[SETTING_HYPER]! : 1;
  const beta2Power = corrected ? opt.beta2Power * opt.settings[SETTING_HYPER + 1]! : 1;
  const bias1 = 1 - beta1Power,
    bias2 = 1 - beta2Power;
  const clip = opt.settings[SETTING_CLIP]!;
  if (clip > 0) clipGradients(net, clip);
  const step = {
    kind: opt.kind,
    learningRate: opt.settings[SETTING_LEARNING_RATE]!,
    decay: opt.settings[SETTING_WEIGHT_DECAY]!,
    l1: opt.settings[SETTING_L1]!,
    bias1,
    bias2,
  };
  if (!stepLayers(net, step)) return false;
  commitLayers(net);
  [opt.state, opt.spare] = [opt.spare, opt.state];
  [opt.views, opt.spareViews] = [opt.spareViews, opt.views];
  opt.steps += 1;
  if (corrected) {
    opt.beta1Power = beta1Power;
    opt.beta2Power = beta2Power;
  }
  return true;
}

// Correct outputs: argmax matches for softmax, same side of ½ for sigmoid, 0 otherwise.
function countCorrect(net: Network, y: Float64Array, rows: number): number {
  const last = net.layers[net.layers.length - 1]!;
  const cols = net.outputs;
  let correct = 0;
  if (last.activation === SOFTMAX) {
    for (let i = 0; i < rows; i++) {
      const row = i * cols;
      let best = 0,
        bestTarget = 0;
      for (let j = 1; j < cols; j++) {
        if (last.a[row + j]! > last.a[row + best]!) best = j;
        if (y[row + j]! > y[row + bestTarget]!) bestTarget = j;
      }
      if (best === bestTarget) correct++;
    }
  } else if (last.activation === SIGMOID) {
    for (let i = 0; i < rows * cols; i++) if (last.a[i]! >= 0.5 === y[i]! >= 0.5) correct++;
  }
  return correct;
}

// Starts an epoch over `rows` rows: in order 0..rows−1, shuffled (Fisher–Yates) from the
// network's generator if asked. networkReserve made room for the order.
export function fitEpochBegin(net: Network, rows: number, shuffle: boolean): void {
  const order = net.order;
  net.shuffled = shuffle;
  if (shuffle) {
    for (let i = 0; i < rows; i++) order[i] = i;
    for (let i = rows - 1; i > 0; i--) {
      const j = Math.floor(net.random.uniform() * (i + 1));
      const t = order[i]!;
      order[i] = order[j]!;
      order[j] = t;
    }
  }
  net.epochLoss = 0;
  net.epochCorrect = 0;
  net.failure = 0;
  net.failedBatch = -1;
}

// Batch b of the epoch: gradients, the optimizer's step, the epoch's totals; false if it failed.
function trainBatch(net: Network, x: Float64Array, y: Float64Array, rows: number, b: number): boolean {
  const batchLoss = trainingGradients(net, x, y, rows, true);
  if (!Number.isFinite(batchLoss)) {
    net.failure = FAILED_LOSS;
    net.failedBatch = b;
    return false;
  }
  const correct = countCorrect(net, y, rows);
  if (!optimizerStep(net)) {
    net.failure = FAILED_UPDATE;
    net.failedBatch = b;
    return false;
  }
  net.epochLoss += batchLoss * rows;
  net.epochCorrect += correct;
  return true;
}

// Runs batches first … first+count−1 of the epoch; false if one failed (nothing of it applied).
export function fitBatches(net: Network, data: DataSet, batchSize: number, first: number, count: number): boolean {
  const { inputs, outputs } = net;
  for (let b = first; b < first + count; b++) {
    const start = b * batchSize;
    if (start >= data.rows) break;
    const rows = Math.min(batchSize, data.rows - start);
    let x = data.x.subarray(start * inputs),
      y = data.y.subarray(start * outputs);
    if (net.shuffled) {
      x = net.x;
      y = net.y;
      for (let i = 0; i < rows; i++) {
        const row = net.order[start + i]!;
        for (let k = 0; k < inputs; k++) net.x[i * inputs + k] = data.x[row * inputs + k]!;
        for (let k = 0; k < outputs; k++) net.y[i * outputs + k] = data.y[row * outputs + k]!;
      }
    }
    if (!trainBatch(net, x, y, rows, b)) return false;
  }
  return true;
}

// Whole epochs; returns the number completed (fewer than asked if one failed).
export function fitEpochs(
  net: Network,
  data: DataSet,
  batchSize: number,
  shuffle: boolean,
  epochs: number,
  losses: Float64Array,
  corrects: Float64Array,
): number {
  const batches = Math.ceil(data.rows / batchSize);
  for (let e = 0; e < epochs; e++) {
    fitEpochBegin(net, data.rows, shuffle);
    if (!fitBatches(net, data, batchSize, 0, batches)) return e;
    losses[e] = net.epochLoss / data.rows;
    corrects[e] = net.epochCorrect;
  }
  return epochs;
}

// Mean loss over a data set in chunks of `chunk` rows, combined as Network.evaluate combines its
// chunks; the correct count goes to net.evalCorrect, leaving the epoch's totals alone.
export function evaluate(net: Network, data: DataSet, chunk: number): number {
  let total = 0,
    correct = 0;
  for (let start = 0; start < data.rows; start += chunk) {
    const rows = Math.min(chunk, data.rows - start);
    const x = data.x.subarray(start * net.inputs, (start + rows) * net.inputs);
    const y = data.y.subarray(start * net.outputs, (start + rows) * net.outputs);
    total += loss(net, x, y, rows) * rows;
    correct += countCorrect(net, y, rows);
  }
  net.evalCorrect = correct;
  return total / data.rows;
}

// Mean loss of the batch in net.x, net.y; its correct outputs in net.evalCorrect.
export function networkEvaluate(net: Network, rows: number): number {
  const batchLoss = loss(net, net.x, net.y, rows);
  net.evalCorrect = countCorrect(net, net.y, rows);
  return batchLoss;
}
