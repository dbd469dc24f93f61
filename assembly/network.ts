// A network in linear memory, and the fused passes over a whole batch: one call from
// JavaScript runs forward, loss, backward and update. Twin: src/backends/js/network.ts.
import { alloc, allocUninitialized, allocValues, free } from "./memory";
import { activate, activateBackward, activateOne, backwardOne, SOFTMAX } from "./activations";
import { lossValue, lossBackward } from "./losses";
import {
  matmul, matmulTransAByRowsThen, matmulTransBThen, splitsByRows, splitsProduct, plainProduct, addBias, sumRows, packingBytesFor, packingReserve,
  NOT_SPLIT, ALL_TRUE,
} from "./matrix";
import { SGD, SETTINGS_LENGTH } from "./optimizers";
import { setStep, stepLayers, commitLayers, NOT_STEPPED, STEPPED, STEPPED_NOT_FINITE } from "./update";
import { initUniform, nextUniform } from "./random";
import { ACTIVATE, ACTIVATE_UNITS, BACKWARD_UNITS, BACKWARD_UNITS_DROPPED, STEP } from "./rows";
import { threads, parallelWork, parallelRows, BY_LARGER, NO_TASK } from "./threads";

// Layer l: z = a_{l−1} · Wᵀ + b (a_{−1} = x), a = f(z); W is [units×inputs] row-major.
@unmanaged export class Layer {
  kind: i32; // DENSE
  inputs: i32;
  units: i32;
  activation: i32;
  trainBias: i32;
  he: i32; // 1: He-uniform initial weights, 0: Glorot-uniform
  weights: usize; // in params
  biases: usize; // in params
  dWeights: usize; // in grads
  dBiases: usize; // in grads
  z: usize; // scratch [capacity×units]
  a: usize; // scratch [capacity×units]
  dZ: usize; // scratch [capacity×units]: dE/dz
  dropout: f64; // the share p of outputs dropped in training (0: none)
  mask: usize; // scratch [capacity×units] of a dropout layer: 0 or 1/(1 − p) per output
  dropped: usize; // scratch [capacity×units] of a dropout layer: a ⊙ mask, the next layer's input in training
  stepped: i32; // whether the tiles of its dW product took the weights' step of this batch (update.ts STEPPED…): set by every gradients call
}

@unmanaged export class Network {
  inputs: i32;
  outputs: i32;
  layerCount: i32;
  loss: i32;
  paramCount: i32;
  capacity: i32; // rows the scratch and batch blocks hold
  layers: usize; // Layer[layerCount]
  params: usize;
  grads: usize;
  scratch: usize;
  x: usize; // batch inputs [capacity×inputs]
  y: usize; // batch targets [capacity×outputs]
  rng: u32; // generator state (random.ts): initialisation, then shuffling
  optimizer: usize; // Optimizer (training.ts), 0 until fit sets one
  settings: usize; // f64[SETTINGS_LENGTH]: where JavaScript writes an optimizer's settings (optimizers.ts)
  order: usize; // i32[orderCapacity]: the row order of the current epoch, if shuffled
  shuffled: bool; // false: the epoch takes the rows in order, straight from the data set
  orderCapacity: i32;
  failure: i32; // why the last train step or fit call stopped early (FAILED_*), 0 if it did not
  failedBatch: i32;
  epochLoss: f64; // Σ over the epoch's batches of loss × rows
  epochCorrect: f64; // correctly classified outputs in the epoch (training.ts countCorrect)
  evalCorrect: f64; // correctly classified outputs of the last evaluation
  lossParam0: f64; // the loss's hyperparameters (losses.ts), as the spec block gives them
  lossParam1: f64;
  lossParam2: f64;
  lossParam3: f64;
  hasDropout: bool; // some layer drops outputs in training
  stepKind: i32; // the update being applied (update.ts setStep)
  stepRate: f64;
  stepDecay: f64;
  stepL1: f64;
  stepBias1: f64;
  stepBias2: f64;
}

// @ts-ignore: decorator
@inline export function layerAt(net: Network, l: i32): Layer {
  return changetype<Layer>(net.layers + <usize>l * offsetof<Layer>());
}

// Layer kinds: only dense layers, z = W·a + b, so far.
export const DENSE = 0;

// The spec block, f64s read once (src/plan.ts specBlock writes it): SPEC_HEADER values
// [inputs, layer count, loss id, the loss's hyperparameters…], then SPEC_LAYER values per layer
// [kind, units, activation id, trainBias 0/1, He 0/1, dropout, …].
export const SPEC_HEADER = 8;
export const SPEC_LAYER = 8;

// @ts-ignore: decorator
@inline function specValue(spec: usize, l: i32, field: i32): i32 {
  return <i32>load<f64>(spec + (<usize>(SPEC_HEADER + l * SPEC_LAYER + field) << 3));
}

// Returns 0 if the memory cannot hold the network (nothing is then left allocated).
export function networkCreate(spec: usize): Network {
  const inputs = <i32>load<f64>(spec), layerCount = <i32>load<f64>(spec + 8), loss = <i32>load<f64>(spec + 16);
  let count = 0, fanIn = inputs;
  for (let l = 0; l < layerCount; l++) {
    const units = specValue(spec, l, 1);
    count += units * (fanIn + 1);
    fanIn = units;
  }
  const header = alloc(offsetof<Network>());
  const layers = alloc(<usize>layerCount * offsetof<Layer>());
  const params = alloc(<usize>count << 3);
  const grads = alloc(<usize>count << 3);
  const settings = alloc(<usize>SETTINGS_LENGTH << 3);
  if (header == 0 || layers == 0 || params == 0 || grads == 0 || settings == 0) {
    free(header);
    free(layers);
    free(params);
    free(grads);
    free(settings);
    return changetype<Network>(0);
  }
  const net = changetype<Network>(header);
  net.inputs = inputs;
  net.outputs = fanIn;
  net.layerCount = layerCount;
  net.loss = loss;
  net.lossParam0 = load<f64>(spec + 24);
  net.lossParam1 = load<f64>(spec + 32);
  net.lossParam2 = load<f64>(spec + 40);
  net.lossParam3 = load<f64>(spec + 48);
  net.paramCount = count;
  net.layers = layers;
  net.params = params;
  net.grads = grads;
  net.settings = settings;
  let offset: usize = 0;
  fanIn = inputs;
  for (let l = 0; l < layerCount; l++) {
    const layer = layerAt(net, l);
    layer.kind = specValue(spec, l, 0);
    layer.inputs = fanIn;
    layer.units = specValue(spec, l, 1);
    layer.activation = specValue(spec, l, 2);
    layer.trainBias = specValue(spec, l, 3);
    layer.he = specValue(spec, l, 4);
    layer.dropout = load<f64>(spec + (<usize>(SPEC_HEADER + l * SPEC_LAYER + 5) << 3));
    if (layer.dropout > 0) net.hasDropout = true;
    layer.weights = params + offset;
    layer.dWeights = grads + offset;
    offset += <usize>(layer.units * layer.inputs) << 3;
    layer.biases = params + offset;
    layer.dBiases = grads + offset;
    offset += <usize>layer.units << 3;
    fanIn = layer.units;
  }
  return net;
}

// Makes room for batches of `rows` (grows, never shrinks, the scratch and batch blocks) and for
// epochs over `orderRows` rows of a data set; false, with nothing changed, if the memory cannot
// hold them. src/capacity.ts (batchBytes, orderBytes) counts the same bytes before asking.
export function networkReserve(net: Network, rows: i32, orderRows: i32): bool {
  const growBatch = rows > net.capacity, growOrder = orderRows > net.orderCapacity;
  // z, a and dZ per layer, and a dropout layer's mask and dropped outputs
  let units: u64 = 0;
  for (let l = 0; l < net.layerCount; l++) units += <u64>layerAt(net, l).units * (layerAt(net, l).dropout > 0 ? 5 : 3);
  const scratch = growBatch ? allocValues(<u64>rows * units) : 0;
  const x = growBatch ? allocValues(<u64>rows * <u64>net.inputs) : 0;
  const y = growBatch ? allocValues(<u64>rows * <u64>net.outputs) : 0;
  const order = growOrder && orderRows < 0x3fff_c000 ? allocUninitialized(<usize>orderRows << 2) : 0;
  if ((growBatch && (scratch == 0 || x == 0 || y == 0 || !packingReserve(packingBytesOf(net, rows)))) || (growOrder && order == 0)) {
    free(scratch);
    free(x);
    free(y);
    free(order);
    return false;
  }
  if (growOrder) {
    free(net.order);
    net.order = order;
    net.orderCapacity = orderRows;
  }
  if (!growBatch) return true;
  free(net.scratch);
  free(net.x);
  free(net.y);
  net.scratch = scratch;
  net.x = x;
  net.y = y;
  let at = scratch;
  for (let l = 0; l < net.layerCount; l++) {
    const layer = layerAt(net, l);
    const block = <usize>rows * <usize>layer.units << 3;
    layer.z = at;
    layer.a = at + block;
    layer.dZ = at + 2 * block;
    at += 3 * block;
    if (layer.dropout > 0) {
      layer.mask = at;
      layer.dropped = at + block;
      at += 2 * block;
    }
  }
  net.capacity = rows;
  return true;
}

// Packing scratch the layers' products need for batches of `rows` (matrix.ts): the forward
// product, dW, and dZ of the layer below.
function packingBytesOf(net: Network, rows: i32): usize {
  let bytes: usize = 0;
  for (let l = 0; l < net.layerCount; l++) {
    const layer = layerAt(net, l);
    bytes = max(bytes, packingBytesFor(rows, layer.inputs, layer.units));
    bytes = max(bytes, packingBytesFor(layer.units, rows, layer.inputs));
    bytes = max(bytes, packingBytesFor(rows, layer.units, layer.inputs));
  }
  return bytes;
}

// Glorot-uniform weights (He-uniform for the rectifiers: the layer's descriptor says), zero biases.
export function networkInit(net: Network, seed: u32): void {
  net.rng = seed;
  const statePtr = changetype<usize>(net) + offsetof<Network>("rng");
  for (let l = 0; l < net.layerCount; l++) {
    const layer = layerAt(net, l);
    initUniform(statePtr, layer.weights, layer.units, layer.inputs, layer.he != 0);
    memory.fill(layer.biases, 0, <usize>layer.units << 3);
  }
}

// a_l = f(a_{l−1} · W_lᵀ + b_l) for every layer, from x [rows×inputs]; the output is the last layer's a.
export function forward(net: Network, x: usize, rows: i32): void {
  let input = x;
  for (let l = 0; l < net.layerCount; l++) {
    const layer = layerAt(net, l);
    if (isTiny(layer, rows)) forwardTiny(layer, input, rows);
    else layerForward(net, l, input, rows);
    input = layer.a;
  }
}

// z = input · Wᵀ, z += b and a = f(z) for layer l on a batch of `rows`. A product split across the
// network's threads has each tile do the bias and activation on its own block of z, while it is
// in that thread's cache: rows of the batch (rows.ts ACTIVATE), or units of every row
// (ACTIVATE_UNITS), which softmax cannot take, since it needs whole rows.
function layerForward(net: Network, l: i32, input: usize, rows: i32): void {
  const layer = layerAt(net, l);
  const then = splitsByRows(rows, layer.units, BY_LARGER) ? ACTIVATE : layer.activation != SOFTMAX ? ACTIVATE_UNITS : NO_TASK;
  const split = matmulTransBThen(input, layer.weights, layer.z, rows, layer.inputs, layer.units, then, changetype<usize>(net), l);
  if (split == NOT_SPLIT || then == NO_TASK) biasAndActivate(net, l, rows);
}

// z += b and a = f(z) for layer l on a batch of `rows`, where its product's tiles did not: split by
// rows across the network's threads (rows.ts ACTIVATE) if the batch has at least parallelWork/2
// values of z (a large softmax layer split by units, say). Each value is computed by one thread,
// with the same arithmetic (a row's softmax whole), so the bits are those of one thread.
function biasAndActivate(net: Network, l: i32, rows: i32): void {
  const layer = layerAt(net, l);
  if (threads > 1 && <i64>rows * layer.units >= parallelWork >> 1) parallelRows(ACTIVATE, changetype<usize>(net), l, rows);
  else activateLayerRows(net, l, 0, rows);
}

// z += b and a = f(z) for rows from … to−1 of layer l's batch.
export function activateLayerRows(net: Network, l: i32, from: i32, to: i32): void {
  const layer = layerAt(net, l);
  const at = <usize>from * <usize>layer.units << 3;
  addBias(layer.z + at, layer.biases, to - from, layer.units);
  activate(layer.activation, layer.z + at, layer.a + at, to - from, layer.units);
}

// z += b and a = f(z) for units from … to−1 of layer l, on each of the batch's `rows` rows: an
// element-wise activation (not softmax), whose values do not depend on how they are grouped
// (test/activation-lanes.test.ts).
export function activateLayerUnits(net: Network, l: i32, from: i32, to: i32, rows: i32): void {
  const layer = layerAt(net, l);
  const biases = layer.biases + (<usize>from << 3), cols = to - from;
  for (let i = 0; i < rows; i++) {
    const at = (<usize>i * <usize>layer.units + <usize>from) << 3;
    addBias(layer.z + at, biases, 1, cols);
    activate(layer.activation, layer.z + at, layer.a + at, 1, cols);
  }
}

// Tiny layers (the seed's 2×2 on one row) run as one loop nest instead of a call per pass: the
// same sums in the same order as the kernels, so the same bits, without their fixed costs.
const TINY: i64 = 64; // multiply-adds of the layer's product for the batch

// @ts-ignore: decorator
@inline function isTiny(layer: Layer, rows: i32): bool {
  return layer.activation != SOFTMAX && <i64>rows * layer.units * layer.inputs <= TINY; // i64: the product passes 2³¹ at large batches
}

function forwardTiny(layer: Layer, input: usize, rows: i32): void {
  // the layer's fields in locals: a store to z or a could alias the Layer record, so the
  // compiler would read them again after every store
  const inputs = layer.inputs, units = layer.units, activation = layer.activation;
  const weights = layer.weights, biases = layer.biases, zs = layer.z, as = layer.a;
  for (let i = 0; i < rows; i++) {
    const row = input + (<usize>(i * inputs) << 3);
    for (let j = 0; j < units; j++) {
      const w = weights + (<usize>(j * inputs) << 3);
      let sum = 0.0;
      for (let p = 0; p < inputs; p++) sum += load<f64>(row + (<usize>p << 3)) * load<f64>(w + (<usize>p << 3));
      const z = sum + load<f64>(biases + (<usize>j << 3));
      const at = <usize>(i * units + j) << 3;
      store<f64>(zs + at, z);
      store<f64>(as + at, activateOne(activation, z));
    }
  }
}

// dW = dZᵀ·input and dB = Σ_rows dZ; with `below`, its dZ = (dZ·W) ⊙ f′(a_below)
function backwardTiny(layer: Layer, input: usize, below: Layer | null, rows: i32): void {
  const inputs = layer.inputs, units = layer.units;
  const dZ = layer.dZ, weights = layer.weights, dWeights = layer.dWeights, dBiases = layer.dBiases;
  for (let j = 0; j < units; j++) {
    for (let p = 0; p < inputs; p++) {
      let sum = 0.0;
      for (let i = 0; i < rows; i++) {
        sum += load<f64>(dZ + (<usize>(i * units + j) << 3)) * load<f64>(input + (<usize>(i * inputs + p) << 3));
      }
      store<f64>(dWeights + (<usize>(j * inputs + p) << 3), sum);
    }
    let bias = 0.0;
    for (let i = 0; i < rows; i++) bias += load<f64>(dZ + (<usize>(i * units + j) << 3));
    store<f64>(dBiases + (<usize>j << 3), bias);
  }
  if (below === null) return;
  const belowDZ = below.dZ, belowZ = below.z, belowA = below.a, activation = below.activation;
  for (let i = 0; i < rows; i++) {
    for (let p = 0; p < inputs; p++) {
      let sum = 0.0;
      for (let j = 0; j < units; j++) {
        sum += load<f64>(dZ + (<usize>(i * units + j) << 3)) * load<f64>(weights + (<usize>(j * inputs + p) << 3));
      }
      const at = <usize>(i * inputs + p) << 3;
      store<f64>(belowDZ + at, backwardOne(activation, belowZ + at, load<f64>(belowA + at), sum));
    }
  }
}

// Mean loss of the batch x [rows×inputs], y [rows×outputs].
export function loss(net: Network, x: usize, y: usize, rows: i32): f64 {
  forward(net, x, rows);
  const last = layerAt(net, net.layerCount - 1);
  return lossValue(net.loss, last.z, last.a, y, rows, net.outputs, lossParams(net));
}

// @ts-ignore: decorator
@inline function lossParams(net: Network): usize {
  return changetype<usize>(net) + offsetof<Network>("lossParam0");
}

// Inverted dropout (Srivastava et al. 2014; torch.nn.Dropout in training): each output kept with
// probability 1 − p and scaled by 1/(1 − p), dropped otherwise. The masks are drawn from the
// network's generator, one uniform u per output in row-major order, kept where u ≥ p.
function dropoutForward(net: Network, layer: Layer, rows: i32): void {
  const n = rows * layer.units, p = layer.dropout, scale = 1.0 / (1.0 - p);
  const rng = changetype<usize>(net) + offsetof<Network>("rng");
  const a = layer.a, mask = layer.mask, dropped = layer.dropped;
  for (let i = 0; i < n; i++) {
    const at = <usize>i << 3;
    const m = nextUniform(rng) >= p ? scale : 0.0;
    store<f64>(mask + at, m);
    store<f64>(dropped + at, load<f64>(a + at) * m);
  }
}

// d ⊙= mask over n values: dE/dã to dE/da through a dropout layer's mask
// @ts-ignore: decorator
@inline function maskValues(d: usize, mask: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    const at = <usize>i << 3;
    store<f64>(d + at, load<f64>(d + at) * load<f64>(mask + at));
  }
}

// The layer's output as the next layer sees it in training: dropped, if it drops any.
// @ts-ignore: decorator
@inline function trainingOutput(layer: Layer): usize {
  return layer.dropout > 0 ? layer.dropped : layer.a;
}

// forward, in training: with dropout after each layer that has it
function forwardDropping(net: Network, x: usize, rows: i32): void {
  let input = x;
  for (let l = 0; l < net.layerCount; l++) {
    const layer = layerAt(net, l);
    layerForward(net, l, input, rows);
    if (layer.dropout > 0) dropoutForward(net, layer, rows);
    input = trainingOutput(layer);
  }
}

// gradients, in training with dropout: the same chain rule through ã = a ⊙ mask, so that
// dE/da = dE/dã ⊙ mask before the activation's derivative
export function gradientsDropping(net: Network, x: usize, y: usize, rows: i32, step: bool): f64 {
  forwardDropping(net, x, rows);
  const last = layerAt(net, net.layerCount - 1);
  const batchLoss = lossValue(net.loss, last.z, last.a, y, rows, net.outputs, lossParams(net));
  if (!lossBackward(net.loss, last.a, y, last.dZ, rows, net.outputs, lossParams(net)))
    activateBackward(last.activation, last.z, last.a, last.dZ, rows, net.outputs);
  const deferred = defersFirstDZ(net, rows);
  for (let l = net.layerCount - 1; l > (deferred ? 1 : 0); l--) {
    const layer = layerAt(net, l), below = layerAt(net, l - 1);
    matmul(layer.dZ, layer.weights, below.dZ, rows, layer.units, layer.inputs);
    if (below.dropout > 0) maskValues(below.dZ, below.mask, rows * below.units);
    activateBackward(below.activation, below.z, below.a, below.dZ, rows, below.units);
  }
  weightGradients(net, 0, x, rows, deferred ? BACKWARD_UNITS_DROPPED : NO_TASK, step);
  for (let l = 1; l < net.layerCount; l++) weightGradients(net, l, trainingOutput(layerAt(net, l - 1)), rows, NO_TASK, step);
  return batchLoss;
}

// Backpropagation (chain rule, layer by layer from the output):
//   dZ_L = dE/dz at the output;  dZ_{l−1} = (dZ_l · W_l) ⊙ f′_{l−1};
//   dW_l = dZ_lᵀ · a_{l−1};  dB_l = Σ_rows dZ_l
// Every dZ first, down the layers, then every dW and dB from the first layer up: the first
// layer's dW, the largest product (split across a network's threads), starts as soon as its dZ is
// known, with the small layers' products after it rather than before (a worker waiting for it
// is still watching, not asleep). Each value is computed as in either order.
// Fills grads with dE/dθ averaged over the batch; returns the loss before any update. With `step`
// (a training step whose settings update.ts setStep wrote), the tiles of a dW product split across
// threads take the layer's weights' step too, on their rows while those are in their cache: the
// new values go to dW's place (update.ts, Layer.stepped).
export function gradients(net: Network, x: usize, y: usize, rows: i32, step: bool = false): f64 {
  const batchLoss = loss(net, x, y, rows);
  const last = layerAt(net, net.layerCount - 1);
  if (!lossBackward(net.loss, last.a, y, last.dZ, rows, net.outputs, lossParams(net)))
    activateBackward(last.activation, last.z, last.a, last.dZ, rows, net.outputs);
  const deferred = defersFirstDZ(net, rows);
  let tiny = 0;
  for (let l = net.layerCount - 1; l >= 0; l--) {
    const layer = layerAt(net, l);
    if (backsTiny(net, l, rows)) {
      backwardTiny(layer, l == 0 ? x : layerAt(net, l - 1).a, l == 0 ? null : layerAt(net, l - 1), rows); // its dW and dB too
      layer.stepped = NOT_STEPPED; // its step is stepLayers'
      tiny++;
    } else if (l > 1 || (l == 1 && !deferred)) {
      const below = layerAt(net, l - 1);
      matmul(layer.dZ, layer.weights, below.dZ, rows, layer.units, layer.inputs);
      activateBackward(below.activation, below.z, below.a, below.dZ, rows, below.units);
    }
  }
  if (tiny == net.layerCount) return batchLoss; // the seed network's: no second pass
  for (let l = 0; l < net.layerCount; l++) {
    const input = l == 0 ? x : layerAt(net, l - 1).a;
    if (!backsTiny(net, l, rows)) weightGradients(net, l, input, rows, l == 0 && deferred ? BACKWARD_UNITS : NO_TASK, step);
  }
  return batchLoss;
}

// Whether the first layer's dZ is left to the tiles of its split dW product, each finding it on
// its own units before its block ((dZ₁·W₁)[·, units] ⊙ f′, rows.ts BACKWARD_UNITS): the last
// product of the chain of dZ, on the network's thread just before that job, moves into it. For
// an element-wise activation (not softmax), below a layer that is not tiny.
// @ts-ignore: decorator
@inline function defersFirstDZ(net: Network, rows: i32): bool {
  if (threads < 2 || net.layerCount < 2) return false;
  const first = layerAt(net, 0);
  return splitsProduct(first.units, rows, first.inputs) && first.activation != SOFTMAX && !backsTiny(net, 1, rows);
}

// dZ of layer l on its units from … to−1, for the batch's `rows` rows, from the layer above's:
// (dZ_{l+1} · W_{l+1}) on those columns, times the dropout mask if `dropped`, then f′ (an
// element-wise activation's backward pass, whose values do not depend on how they are grouped).
// The same values as the whole backward step computes.
export function backwardLayerUnits(net: Network, l: i32, from: i32, to: i32, rows: i32, dropped: bool): void {
  const layer = layerAt(net, l), above = layerAt(net, l + 1);
  const units = layer.units, cols = to - from, at = <usize>from << 3;
  plainProduct(above.dZ, above.units, above.weights + at, units, layer.dZ + at, units, rows, above.units, cols);
  for (let i = 0; i < rows; i++) {
    const r = ((<usize>i * <usize>units) << 3) + at;
    if (dropped && layer.dropout > 0) maskValues(layer.dZ + r, layer.mask + r, cols);
    activateBackward(layer.activation, layer.z + r, layer.a + r, layer.dZ + r, 1, cols);
  }
}

// Whether layer l's backward pass on a batch of `rows` runs as one loop nest (backwardTiny).
// @ts-ignore: decorator
@inline function backsTiny(net: Network, l: i32, rows: i32): bool {
  return isTiny(layerAt(net, l), rows) && (l == 0 || layerAt(net, l - 1).activation != SOFTMAX);
}

// dW = dZᵀ · input and dB = Σ_rows dZ for layer l, whose dZ is known or found by the dW product's
// tiles first (task `before`, defersFirstDZ); with `step`, the weights' step by those tiles if
// the product is split (a layer never split is not: Layer.stepped says)
// @ts-ignore: decorator
@inline function weightGradients(net: Network, l: i32, input: usize, rows: i32, before: i32, step: bool): void {
  const layer = layerAt(net, l);
  const done = matmulTransAByRowsThen(
    layer.dZ, input, layer.dWeights, layer.units, rows, layer.inputs, before, step ? STEP : NO_TASK, changetype<usize>(net), l,
  );
  layer.stepped = !step || done == NOT_SPLIT ? NOT_STEPPED : done == ALL_TRUE ? STEPPED : STEPPED_NOT_FINITE;
  sumRows(layer.dZ, layer.dBiases, rows, layer.units);
}

// The batch in net.x, net.y (written by JavaScript):
export function networkForward(net: Network, rows: i32): void { forward(net, net.x, rows); }
export function networkLoss(net: Network, rows: i32): f64 { return loss(net, net.x, net.y, rows); }
export function networkGradients(net: Network, rows: i32): f64 { return gradients(net, net.x, net.y, rows); }

// The gradients of a training step: with dropout, if the network has any and `drop` is set.
// @ts-ignore: decorator
@inline export function trainingGradients(net: Network, x: usize, y: usize, rows: i32, drop: bool, step: bool): f64 {
  return drop && net.hasDropout ? gradientsDropping(net, x, y, rows, step) : gradients(net, x, y, rows, step);
}

// why a step was not applied (Network.failure)
export const FAILED_LOSS = 1; // the batch's loss was not finite
export const FAILED_UPDATE = 2; // the update would have made a parameter non-finite

// One gradient-descent step θ ← θ − lr·dE/dθ on the batch (biases of layers with trainBias = 0
// stay fixed), computed whole before anything is written, as fit's updates are. Returns the loss
// before it; net.failure says why the step was not applied, 0 if it was.
export function networkTrainStep(net: Network, rows: i32, learningRate: f64, drop: bool): f64 {
  setStep(net, SGD, learningRate, 0.0, 0.0, 1.0, 1.0);
  const batchLoss = trainingGradients(net, net.x, net.y, rows, drop, true);
  net.failure = 0;
  if (!(batchLoss - batchLoss == 0)) net.failure = FAILED_LOSS;
  else {
    if (!stepLayers(net, rows)) net.failure = FAILED_UPDATE;
    else commitLayers(net);
  }
  return batchLoss;
}

export function networkFailure(net: Network): i32 { return net.failure; }

export function networkParams(net: Network): usize { return net.params; }
export function networkGrads(net: Network): usize { return net.grads; }
export function networkInput(net: Network): usize { return net.x; }
export function networkTarget(net: Network): usize { return net.y; }
export function networkOutput(net: Network): usize { return layerAt(net, net.layerCount - 1).a; }
export function networkLayerZ(net: Network, l: i32): usize { return layerAt(net, l).z; }
export function networkLayerA(net: Network, l: i32): usize { return layerAt(net, l).a; }
export function networkLayerDZ(net: Network, l: i32): usize { return layerAt(net, l).dZ; }
export function networkRng(net: Network): usize { return changetype<usize>(net) + offsetof<Network>("rng"); }
