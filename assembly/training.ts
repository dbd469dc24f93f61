// Training in the core: an optimizer beside the parameters, data sets loaded once, and whole
// epochs (or slices of one) of shuffled mini-batches run in one call each. Twin:
// src/backends/js/training.ts.
import { alloc, allocValues, allocValuesUninitialized, free, copyValues } from "./memory";
import { Network, layerAt, gradients, gradientsDropping, loss, FAILED_LOSS, FAILED_UPDATE } from "./network";
import { setStep, stepLayers, commitLayers } from "./update";
import {
  Optimizer, optimizerFree, stateValues, biasCorrected, initialState, settingsOf, setting,
  SETTINGS_LENGTH, SETTING_KIND, SETTING_LEARNING_RATE, SETTING_WEIGHT_DECAY, SETTING_HYPER, SETTING_L1, SETTING_CLIP,
  sumSquares, scaleValues,
} from "./optimizers";
import { SIGMOID, SOFTMAX } from "./activations";
import { nextUniform } from "./random";

// Rows of training or validation data, loaded once: x [rows×inputs], y [rows×outputs].
@unmanaged export class DataSet {
  x: usize;
  y: usize;
  rows: i32;
}

// Returns 0, with nothing left allocated, if the memory cannot hold the rows.
export function dataCreate(net: Network, rows: i32): DataSet {
  const x = allocValuesUninitialized(<u64>rows * <u64>net.inputs); // JavaScript copies the rows in
  const y = allocValuesUninitialized(<u64>rows * <u64>net.outputs);
  const header = alloc(offsetof<DataSet>());
  if (header == 0 || x == 0 || y == 0) {
    free(header);
    free(x);
    free(y);
    return changetype<DataSet>(0);
  }
  const data = changetype<DataSet>(header);
  data.x = x;
  data.y = y;
  data.rows = rows;
  return data;
}

export function dataFree(data: DataSet): void {
  free(data.x);
  free(data.y);
  free(changetype<usize>(data));
}

// Reuses a data set's blocks for `rows` rows, at most as many as it was created for
// (JavaScript keeps a freed data set for the next one: src/backends/wasm/backend.ts).
export function dataSetRows(data: DataSet, rows: i32): void { data.rows = rows; }

export function dataX(data: DataSet): usize { return data.x; }
export function dataY(data: DataSet): usize { return data.y; }

// Sets the optimizer from the settings block JavaScript wrote at net.settings (optimizers.ts);
// its state (moments, step count) is kept when the kind stays the same, so that successive fit
// calls continue one run, and starts afresh otherwise. Returns false, with the optimizer
// unchanged, if the memory cannot hold a new state.
export function optimizerSet(net: Network): bool {
  const kind = <i32>load<f64>(net.settings + (<usize>SETTING_KIND << 3));
  let opt = changetype<Optimizer>(net.optimizer);
  if (net.optimizer == 0 || opt.kind != kind) {
    const length = stateValues(kind) * net.paramCount;
    const header = alloc(offsetof<Optimizer>() + (<usize>SETTINGS_LENGTH << 3));
    const state = length > 0 ? allocValues(<u64>length) : 0;
    const spare = length > 0 ? allocValues(<u64>length) : 0;
    if (header == 0 || (length > 0 && (state == 0 || spare == 0))) {
      free(header);
      free(state);
      free(spare);
      return false;
    }
    const initial = initialState(kind, net.settings);
    if (initial != 0) for (let i = 0; i < length; i++) store<f64>(state + (<usize>i << 3), initial);
    optimizerFree(net.optimizer);
    opt = changetype<Optimizer>(header);
    opt.kind = kind;
    opt.stateLength = length;
    opt.state = state;
    opt.spare = spare;
    opt.beta1Power = 1.0;
    opt.beta2Power = 1.0;
    net.optimizer = header;
  } else if (opt.steps == 0) {
    // a state that has not stepped is the initial one of the settings given now
    const initial = initialState(kind, net.settings);
    for (let i = 0; i < opt.stateLength; i++) store<f64>(opt.state + (<usize>i << 3), initial);
  }
  copyValues(settingsOf(opt), net.settings, SETTINGS_LENGTH);
  return true;
}

// Back to no optimizer (a failed fit puts the network back as it was before it).
export function optimizerClear(net: Network): void {
  optimizerFree(net.optimizer);
  net.optimizer = 0;
}

export function optimizerState(net: Network): usize { return changetype<Optimizer>(net.optimizer).state; }
export function optimizerStateLength(net: Network): i32 { return changetype<Optimizer>(net.optimizer).stateLength; }
// steps, β1ᵗ, β2ᵗ: three consecutive f64s
export function optimizerCounters(net: Network): usize { return net.optimizer + offsetof<Optimizer>("steps"); }
// where JavaScript writes the settings block before optimizerSet
export function networkSettings(net: Network): usize { return net.settings; }

// clip_grad_norm_ (torch.nn.utils): the gradients of the trained parameters scaled by
// max / (‖g‖₂ + 10⁻⁶) where that is below 1, ‖g‖₂ over all of them at once
function clipGradients(net: Network, max: f64): void {
  let sum = 0.0;
  for (let l = 0; l < net.layerCount; l++) {
    const layer = layerAt(net, l);
    sum = sumSquares(layer.dWeights, layer.units * layer.inputs, sum);
    if (layer.trainBias) sum = sumSquares(layer.dBiases, layer.units, sum);
  }
  const scale = max / (Math.sqrt(sum) + 1e-6);
  if (!(scale < 1.0)) return;
  for (let l = 0; l < net.layerCount; l++) {
    const layer = layerAt(net, l);
    scaleValues(layer.dWeights, layer.units * layer.inputs, scale);
    if (layer.trainBias) scaleValues(layer.dBiases, layer.units, scale);
  }
}

// The step of the next batch (update.ts setStep), set before its gradients, since the tiles of a
// layer's split dW product may take it (network.ts gradients). Adam's β powers move on only when
// the step is applied (optimizerStep computes them again, the same way).
// @ts-ignore: decorator
@inline function setOptimizerStep(net: Network): void {
  const opt = changetype<Optimizer>(net.optimizer);
  const corrected = biasCorrected(opt.kind);
  const beta1Power = corrected ? opt.beta1Power * setting(opt, SETTING_HYPER) : 1.0;
  const beta2Power = corrected ? opt.beta2Power * setting(opt, SETTING_HYPER + 1) : 1.0;
  setStep(net, opt.kind, setting(opt, SETTING_LEARNING_RATE), setting(opt, SETTING_WEIGHT_DECAY), setting(opt, SETTING_L1), 1.0 - beta1Power, 1.0 - beta2Power);
}

// Whether the gradients are clipped before the step (by their norm over all of them, so that no
// layer's step can be taken before every gradient is known).
// @ts-ignore: decorator
@inline function clips(net: Network): bool {
  return setting(changetype<Optimizer>(net.optimizer), SETTING_CLIP) > 0;
}

// One optimizer step from the gradients in net.grads of a batch of `rows` (clipped first, if
// asked), as setOptimizerStep set it: every new value computed once (update.ts, split across the
// network's threads where the layer's products were, or taken already by their tiles), and
// written only if all are finite: the new parameters made the parameters, and the spare state,
// now holding the new state, swapped with the current one.
// @ts-ignore: decorator
@inline function optimizerStep(net: Network, rows: i32): bool {
  const opt = changetype<Optimizer>(net.optimizer);
  const clip = setting(opt, SETTING_CLIP);
  if (clip > 0) clipGradients(net, clip);
  if (!stepLayers(net, rows)) return false;
  commitLayers(net);
  const next = opt.spare;
  opt.spare = opt.state;
  opt.state = next;
  opt.steps += 1.0;
  if (biasCorrected(opt.kind)) {
    opt.beta1Power = opt.beta1Power * setting(opt, SETTING_HYPER);
    opt.beta2Power = opt.beta2Power * setting(opt, SETTING_HYPER + 1);
  }
  return true;
}

// Correct outputs of the batch: rows whose argmax matches the target's for a softmax output;
// outputs on the target's side of ½ for a sigmoid output; 0 for other outputs.
function countCorrect(net: Network, y: usize, rows: i32): f64 {
  const last = layerAt(net, net.layerCount - 1);
  const cols = net.outputs;
  let correct = 0;
  if (last.activation == SOFTMAX) {
    for (let i = 0; i < rows; i++) {
      const o = last.a + (<usize>(i * cols) << 3);
      const t = y + (<usize>(i * cols) << 3);
      let best = 0, bestTarget = 0;
      for (let j = 1; j < cols; j++) {
        if (load<f64>(o + (<usize>j << 3)) > load<f64>(o + (<usize>best << 3))) best = j;
        if (load<f64>(t + (<usize>j << 3)) > load<f64>(t + (<usize>bestTarget << 3))) bestTarget = j;
      }
      if (best == bestTarget) correct++;
    }
  } else if (last.activation == SIGMOID) {
    const n = rows * cols;
    for (let i = 0; i < n; i++) {
      if ((load<f64>(last.a + (<usize>i << 3)) >= 0.5) == (load<f64>(y + (<usize>i << 3)) >= 0.5)) correct++;
    }
  }
  return <f64>correct;
}

// Starts an epoch over `rows` rows: the row order is 0..rows−1, shuffled (Fisher–Yates,
// drawing from the network's generator) if asked. networkReserve made room for the order.
export function fitEpochBegin(net: Network, rows: i32, shuffle: bool): void {
  net.shuffled = shuffle;
  if (shuffle) {
    for (let i = 0; i < rows; i++) store<i32>(net.order + (<usize>i << 2), i);
    const rng = changetype<usize>(net) + offsetof<Network>("rng");
    for (let i = rows - 1; i > 0; i--) {
      const j = <i32>Math.floor(nextUniform(rng) * <f64>(i + 1));
      const a = net.order + (<usize>i << 2), b = net.order + (<usize>j << 2);
      const t = load<i32>(a);
      store<i32>(a, load<i32>(b));
      store<i32>(b, t);
    }
  }
  net.epochLoss = 0;
  net.epochCorrect = 0;
  net.failure = 0;
  net.failedBatch = -1;
}

// Batch b of the epoch, its rows at x, y: gradients, then the optimizer's step, and the epoch's
// totals; false if it failed (net.failure, net.failedBatch), in which case nothing of it was applied.
// Inlined into both callers: a call per batch costs the seed network's 10,000 rounds ~3%.
// @ts-ignore: decorator
@inline function trainBatch(net: Network, x: usize, y: usize, rows: i32, b: i32, drop: bool): bool {
  setOptimizerStep(net);
  const step = !clips(net); // the tiles of a split dW product take the step
  const batchLoss = drop ? gradientsDropping(net, x, y, rows, step) : gradients(net, x, y, rows, step);
  if (!(batchLoss - batchLoss == 0)) {
    net.failure = FAILED_LOSS;
    net.failedBatch = b;
    return false;
  }
  const correct = countCorrect(net, y, rows);
  if (!optimizerStep(net, rows)) {
    net.failure = FAILED_UPDATE;
    net.failedBatch = b;
    return false;
  }
  net.epochLoss += batchLoss * <f64>rows;
  net.epochCorrect += correct;
  return true;
}

// Runs batches first … first+count−1 of the epoch (fewer at its end); returns false if one
// failed (net.failure, net.failedBatch), in which case nothing of that batch was applied.
export function fitBatches(net: Network, data: DataSet, batchSize: i32, first: i32, count: i32): bool {
  // the loop compiled twice, so that a network without dropout runs it without a branch per batch
  return net.hasDropout ? runBatches(net, data, batchSize, first, count, true) : runBatches(net, data, batchSize, first, count, false);
}

// @ts-ignore: decorator
@inline function runBatches(net: Network, data: DataSet, batchSize: i32, first: i32, count: i32, drop: bool): bool {
  const inputs = net.inputs, outputs = net.outputs;
  for (let b = first; b < first + count; b++) {
    const start = b * batchSize;
    if (start >= data.rows) break;
    const rows = min(batchSize, data.rows - start);
    let x = data.x + (<usize>start * <usize>inputs << 3), y = data.y + (<usize>start * <usize>outputs << 3);
    if (net.shuffled) {
      // gather the batch's rows; loops, since memory.copy is a call out of the module in V8
      // and most rows are short
      x = net.x;
      y = net.y;
      for (let i = 0; i < rows; i++) {
        const row = load<i32>(net.order + (<usize>(start + i) << 2));
        copyValues(net.x + (<usize>(i * inputs) << 3), data.x + (<usize>row * <usize>inputs << 3), inputs);
        copyValues(net.y + (<usize>(i * outputs) << 3), data.y + (<usize>row * <usize>outputs << 3), outputs);
      }
    }
    if (!trainBatch(net, x, y, rows, b, drop)) return false;
  }
  return true;
}

// Batch b of the epoch when JavaScript has put its rows in net.x, net.y (a data set too large
// to be held here is streamed through the batch block: src/backends/wasm/backend.ts).
export function fitLoadedBatch(net: Network, rows: i32, b: i32): bool {
  return net.hasDropout ? trainBatch(net, net.x, net.y, rows, b, true) : trainBatch(net, net.x, net.y, rows, b, false);
}

// The order of the epoch's rows (fitEpochBegin), for a streamed data set.
export function fitOrder(net: Network): usize { return net.order; }

export function epochLoss(net: Network): f64 { return net.epochLoss; }
export function epochCorrect(net: Network): f64 { return net.epochCorrect; }
export function fitFailedBatch(net: Network): i32 { return net.failedBatch; }

// Whole epochs in one call; epoch e's mean loss goes to losses[e], its correct count to
// corrects[e]. Returns the number of epochs completed (fewer than asked if one failed).
export function fitEpochs(
  net: Network, data: DataSet, batchSize: i32, shuffle: bool, epochs: i32, losses: usize, corrects: usize,
): i32 {
  const batches = (data.rows + batchSize - 1) / batchSize;
  for (let e = 0; e < epochs; e++) {
    fitEpochBegin(net, data.rows, shuffle);
    if (!fitBatches(net, data, batchSize, 0, batches)) return e;
    store<f64>(losses + (<usize>e << 3), net.epochLoss / <f64>data.rows);
    store<f64>(corrects + (<usize>e << 3), net.epochCorrect);
  }
  return epochs;
}

// Mean loss over a data set, in chunks of `chunk` rows (at most the batch capacity), combined
// as Network.evaluate combines its chunks; the correct count goes to net.evalCorrect, so that an
// evaluation between a fit's batches leaves the epoch's totals alone. Parameters unchanged.
export function evaluate(net: Network, data: DataSet, chunk: i32): f64 {
  let total = 0.0, correct = 0.0;
  for (let start = 0; start < data.rows; start += chunk) {
    const rows = min(chunk, data.rows - start);
    const x = data.x + (<usize>start * <usize>net.inputs << 3);
    const y = data.y + (<usize>start * <usize>net.outputs << 3);
    total += loss(net, x, y, rows) * <f64>rows;
    correct += countCorrect(net, y, rows);
  }
  net.evalCorrect = correct;
  return total / <f64>data.rows;
}

// Mean loss of the batch in net.x, net.y; its correct outputs in net.evalCorrect.
export function networkEvaluate(net: Network, rows: i32): f64 {
  const batchLoss = loss(net, net.x, net.y, rows);
  net.evalCorrect = countCorrect(net, net.y, rows);
  return batchLoss;
}

export function evalCorrect(net: Network): f64 { return net.evalCorrect; }
