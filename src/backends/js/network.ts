// A network as Float64Arrays and the fused passes over a batch, the twin of
// assembly/network.ts (same functions, same order of operations).
import { specBlock, SPEC_HEADER, type Plan } from "../../plan.js";
import { Random } from "../../random.js";
import { activate, activateBackward } from "./activations.js";
import { lossBackward, lossValue } from "./losses.js";
import { matmul, matmulTransA, matmulTransB, addBias, sumRows } from "./matrix.js";
import { SGD, type Optimizer } from "./optimizers.js";
import { initUniform } from "./random.js";
import { commitLayers, stepLayers } from "./update.js";

const EMPTY = new Float64Array(0);

// Layer l: z = a_{l−1} · Wᵀ + b (a_{−1} = x), a = f(z); W is [units×inputs] row-major.
export interface Layer {
  kind: number; // DENSE (src/plan.ts LAYER_KINDS)
  inputs: number;
  units: number;
  activation: number;
  trainBias: boolean;
  he: boolean; // He-uniform initial weights, else Glorot-uniform
  weightOffset: number; // where weights and biases start in params (and in optimizer state)
  biasOffset: number;
  weights: Float64Array; // views into params
  biases: Float64Array;
  dWeights: Float64Array; // views into grads
  dBiases: Float64Array;
  z: Float64Array; // [capacity×units]
  a: Float64Array;
  dZ: Float64Array;
  dropout: number; // the share p of outputs dropped in training (0: none)
  mask: Float64Array; // [capacity×units] of a dropout layer: 0 or 1/(1 − p) per output
  dropped: Float64Array; // [capacity×units] of a dropout layer: a ⊙ mask, the next layer's input in training
}

export interface Network {
  inputs: number;
  outputs: number;
  loss: number;
  lossParams: Float64Array; // the loss's hyperparameters, as the spec block gives them
  layers: Layer[];
  params: Float64Array;
  grads: Float64Array;
  capacity: number;
  x: Float64Array; // batch inputs [capacity×inputs]
  y: Float64Array; // batch targets [capacity×outputs]
  random: Random; // initialisation, then shuffling
  optimizer: Optimizer | null; // set by fit (training.ts)
  order: Int32Array; // the row order of the current epoch, if shuffled
  shuffled: boolean; // false: the epoch takes the rows in order, straight from the data set
  failure: number; // why the last train step or fit call stopped early (FAILED_*), 0 if it did not
  failedBatch: number;
  epochLoss: number; // Σ over the epoch's batches of loss × rows
  epochCorrect: number;
  evalCorrect: number; // correctly classified outputs of the last evaluation
  hasDropout: boolean; // some layer drops outputs in training
}

export function networkCreate(plan: Plan): Network {
  const params = new Float64Array(plan.paramCount);
  const grads = new Float64Array(plan.paramCount);
  const layers = plan.layers.map((layer): Layer => {
    const w = layer.weightOffset,
      b = layer.biasOffset,
      end = b + layer.units;
    return {
      kind: 0,
      inputs: layer.inputs,
      units: layer.units,
      activation: layer.activationId,
      trainBias: layer.trainBias,
      he: layer.he,
      weightOffset: w,
      biasOffset: b,
      weights: params.subarray(w, b),
      biases: params.subarray(b, end),
      dWeights: grads.subarray(w, b),
      dBiases: grads.subarray(b, end),
      z: EMPTY,
      a: EMPTY,
      dZ: EMPTY,
      dropout: layer.dropout,
      mask: EMPTY,
      dropped: EMPTY,
    };
  });
  return {
    inputs: plan.inputs,
    outputs: plan.outputs,
    loss: plan.lossId,
    lossParams: specBlock(plan).subarray(3, SPEC_HEADER),
    layers,
    params,
    grads,
    capacity: 0,
    x: EMPTY,
    y: EMPTY,
    random: new Random(plan.seed),
    optimizer: null,
    order: new Int32Array(0),
    shuffled: false,
    failure: 0,
    failedBatch: -1,
    epochLoss: 0,
    epochCorrect: 0,
    evalCorrect: 0,
    hasDropout: plan.layers.some((layer) => layer.dropout > 0),
  };
}

// Makes room for batches of `rows` and for epochs over `orderRows` rows; grows, never shrinks.
export function networkReserve(net: Network, rows: number, orderRows: number): void {
  if (orderRows > net.order.length) net.order = new Int32Array(orderRows);
  if (rows <= net.capacity) return;
  for (const layer of net.layers) {
    layer.z = new Float64Array(rows * layer.units);
    layer.a = new Float64Array(rows * layer.units);
    layer.dZ = new Float64Array(rows * layer.units);
    if (layer.dropout > 0) {
      layer.mask = new Float64Array(rows * layer.units);
      layer.dropped = new Float64Array(rows * layer.units);
    }
  }
  net.x = new Float64Array(rows * net.inputs);
  net.y = new Float64Array(rows * net.outputs);
  net.capacity = rows;
}

// Glorot-uniform weights (He-uniform for the rectifiers: the layer's descriptor says), zero biases.
export function networkInit(net: Network, seed: number): void {
  net.random = new Random(seed);
  for (const layer of net.layers) {
    initUniform(net.random, layer.weights, layer.units, layer.inputs, layer.he);
    layer.biases.fill(0);
  }
}

// a_l = f(a_{l−1} · W_lᵀ + b_l) for every layer, from x [rows×inputs]
export function forward(net: Network, x: Float64Array, rows: number): void {
  let input = x;
  for (const layer of net.layers) {
    matmulTransB(input, layer.weights, layer.z, rows, layer.inputs, layer.units);
    addBias(layer.z, layer.biases, rows, layer.units);
    activate(layer.activation, layer.z, layer.a, rows, layer.units);
    input = layer.a;
  }
}

export function loss(net: Network, x: Float64Array, y: Float64Array, rows: number): number {
  forward(net, x, rows);
  const last = net.layers[net.layers.length - 1]!;
  return lossValue(net.loss, last.z, last.a, y, rows, net.outputs, net.lossParams);
}

// Inverted dropout (torch.nn.Dropout in training): each output kept with probability 1 − p and
// scaled by 1/(1 − p); one uniform u per output from the network's generator, kept where u ≥ p
function dropoutForward(net: Network, layer: Layer, rows: number): void {
  const n = rows * layer.units,
    p = layer.dropout,
    scale = 1 / (1 - p);
  for (let i = 0; i < n; i++) {
    const m = net.random.uniform() >= p ? scale : 0;
    layer.mask[i] = m;
    layer.dropped[i] = layer.a[i]! * m;
  }
}

const trainingOutput = (layer: Layer) => (layer.dropout > 0 ? layer.dropped : layer.a);

function forwardDropping(net: Network, x: Float64Array, rows: number): void {
  let input = x;
  for (const layer of net.layers) {
    matmulTransB(input, layer.weights, layer.z, rows, layer.inputs, layer.units);
    addBias(layer.z, layer.biases, rows, layer.units);
    activate(layer.activation, layer.z, layer.a, rows, layer.units);
    if (layer.dropout > 0) dropoutForward(net, layer, rows);
    input = trainingOutput(layer);
  }
}

// gradients in training with dropout: dE/da = dE/dã ⊙ mask before the activation's derivative
export function gradientsDropping(net: Network, x: Float64Array, y: Float64Array, rows: number): number {
  forwardDropping(net, x, rows);
  const last = net.layers[net.layers.length - 1]!;
  const batchLoss = lossValue(net.loss, last.z, last.a, y, rows, net.outputs, net.lossParams);
  if (!lossBackward(net.loss, last.a, y, last.dZ, rows, net.outputs, net.lossParams))
    activateBackward(last.activation, last.z, last.a, last.dZ, rows, net.outputs);
  for (let l = net.layers.length - 1; l > 0; l--) {
    const layer = net.layers[l]!,
      below = net.layers[l - 1]!;
    matmul(layer.dZ, layer.weights, below.dZ, rows, layer.units, layer.inputs);
    if (below.dropout > 0) for (let i = 0; i < rows * below.units; i++) below.dZ[i] = below.dZ[i]! * below.mask[i]!;
    activateBackward(below.activation, below.z, below.a, below.dZ, rows, below.units);
  }
  net.layers.forEach((layer, l) => weightGradients(layer, l === 0 ? x : trainingOutput(net.layers[l - 1]!), rows));
  return batchLoss;
}

// The gradients of a training step: with dropout, if the network has any and `drop` is set.
export function trainingGradients(net: Network, x: Float64Array, y: Float64Array, rows: number, drop: boolean): number {
  return drop && net.hasDropout ? gradientsDropping(net, x, y, rows) : gradients(net, x, y, rows);
}

// dZ_L = dE/dz at the output;  dZ_{l−1} = (dZ_l · W_l) ⊙ f′_{l−1};
// dW_l = dZ_lᵀ · a_{l−1};  dB_l = Σ_rows dZ_l
// Every dZ first, down the layers, then every dW and dB from the first layer up, in the core's
// order (there, the first layer's dW is split across threads); each value is the same in any order.
export function gradients(net: Network, x: Float64Array, y: Float64Array, rows: number): number {
  const batchLoss = loss(net, x, y, rows);
  const last = net.layers[net.layers.length - 1]!;
  if (!lossBackward(net.loss, last.a, y, last.dZ, rows, net.outputs, net.lossParams))
    activateBackward(last.activation, last.z, last.a, last.dZ, rows, net.outputs);
  for (let l = net.layers.length - 1; l > 0; l--) {
    const layer = net.layers[l]!,
      below = net.layers[l - 1]!;
    matmul(layer.dZ, layer.weights, below.dZ, rows, layer.units, layer.inputs);
    activateBackward(below.activation, below.z, below.a, below.dZ, rows, below.units);
  }
  net.layers.forEach((layer, l) => weightGradients(layer, l === 0 ? x : net.layers[l - 1]!.a, rows));
  return batchLoss;
}

// dW = dZᵀ · input and dB = Σ_rows dZ for a layer whose dZ is known
function weightGradients(layer: Layer, input: Float64Array, rows: number): void {
  matmulTransA(layer.dZ, input, layer.dWeights, layer.units, rows, layer.inputs);
  sumRows(layer.dZ, layer.dBiases, rows, layer.units);
}

// The batch in net.x, net.y:
export function networkForward(net: Network, rows: number): void {
  forward(net, net.x, rows);
}
export function networkLoss(net: Network, rows: number): number {
  return loss(net, net.x, net.y, rows);
}
export function networkGradients(net: Network, rows: number): number {
  return gradients(net, net.x, net.y, rows);
}

// why a step was not applied (Network.failure)
export const FAILED_LOSS = 1;
export const FAILED_UPDATE = 2;

// One gradient-descent step, computed whole before anything is written; net.failure says why not.
export function networkTrainStep(net: Network, rows: number, learningRate: number, drop: boolean): number {
  const batchLoss = trainingGradients(net, net.x, net.y, rows, drop);
  net.failure = 0;
  if (!Number.isFinite(batchLoss)) net.failure = FAILED_LOSS;
  else if (!stepLayers(net, { kind: SGD, learningRate, decay: 0, l1: 0, bias1: 1, bias2: 1 }))
    net.failure = FAILED_UPDATE;
  else commitLayers(net);
  return batchLoss;
}
