// A training step's update of the parameters, layer by layer and, for a layer's weights, by rows
// (its units): the part of a step a network's threads share (threads.ts). Every new value is
// computed once, into places the network does not read as its state (optimizers.ts: the new
// parameters into the gradients' place, a new optimizer state into the spare); only if all are
// finite do they become the parameters, by swapping the two blocks. L1 and weight decay apply to
// the weights, not the biases.
// Twin: src/backends/js/update.ts.
import { copyValues } from "./memory";
import { Layer, Network, layerAt } from "./network";
import { addL1, optimizerBlockStep, sgdStep, Optimizer, SGD } from "./optimizers";
import { threads, parallelWork, parallelRows } from "./threads";
import { STEP } from "./rows";

// Layer.stepped: whether the tiles of the layer's dW product took its weights' step of this batch
// (network.ts gradients), and with what result; stepLayers does the others.
export const NOT_STEPPED = 0;
export const STEPPED = 1; // every new value finite
export const STEPPED_NOT_FINITE = 2;

// STEP on rows from … to−1 of layer l's weights: L1 added to their gradients, then the step, with
// the settings setStep wrote; whether all new values are finite. A network's threads run it on
// their rows (rows.ts).
export function stepLayerRows(net: Network, l: i32, from: i32, to: i32): bool {
  return stepRows(net, layerAt(net, l), from, to, net.stepKind, net.stepRate, net.stepDecay, net.stepL1);
}

// The task, inlined where the network's own thread does all the rows, with the step's
// settings as arguments (calls and loads per layer cost the seed network's 10,000 rounds a few
// per cent): the step's kind, SGD's learning rate, weight decay and L1
// @ts-ignore: decorator
@inline function stepRows(net: Network, layer: Layer, from: i32, to: i32, kind: i32, rate: f64, decay: f64, l1: f64): bool {
  const at = (<usize>from * <usize>layer.inputs) << 3;
  const n = (to - from) * layer.inputs;
  if (l1 != 0) addL1(layer.weights + at, layer.dWeights + at, n, l1);
  return block(net, layer.weights + at, layer.dWeights + at, n, kind, rate, decay);
}

// A block of parameters and their gradients: the step into the gradients' place (and the state's
// spare), with weight decay `decay`.
// @ts-ignore: decorator
@inline function block(net: Network, params: usize, grads: usize, n: i32, kind: i32, rate: f64, decay: f64): bool {
  if (kind == SGD) return sgdStep(params, grads, n, rate, decay);
  const opt = changetype<Optimizer>(net.optimizer);
  const offset = params - net.params; // each value of the state is laid out like the parameters
  const stride = <usize>net.paramCount << 3;
  return optimizerBlockStep(opt, params, grads, opt.state + offset, opt.spare + offset, stride, n, decay, net.stepBias1, net.stepBias2);
}

// Whether a layer's update after a batch of `rows` is split across the threads (by rows, its
// units): if its products on the batch were, so that each thread updates the rows it computed
// (by the tiles of its dW product, unless the gradients were clipped first).
// @ts-ignore: decorator
@inline function splits(layer: Layer, rows: i32): bool {
  return threads > 1 && <i64>rows * layer.units * layer.inputs >= parallelWork;
}

// The step (set by setStep) over every layer, after a batch of `rows` (the weights of a layer
// whose dW product's tiles took it already are not stepped again): whether all new values are
// finite. It stops at the first block that is not: nothing is written to the parameters either way.
export function stepLayers(net: Network, rows: i32): bool {
  const kind = net.stepKind, rate = net.stepRate, decay = net.stepDecay, l1 = net.stepL1;
  for (let l = 0; l < net.layerCount; l++) {
    const layer = layerAt(net, l);
    const ok = layer.stepped != NOT_STEPPED
      ? layer.stepped == STEPPED
      : splits(layer, rows)
        ? parallelRows(STEP, changetype<usize>(net), l, layer.units)
        : stepRows(net, layer, 0, layer.units, kind, rate, decay, l1);
    if (!ok) return false;
    if (layer.trainBias && !block(net, layer.biases, layer.dBiases, layer.units, kind, rate, 0.0)) return false;
  }
  return true;
}

// Every layer's new parameters, computed by stepLayers into the gradients' place, made the
// parameters: the two blocks change places (the biases a layer does not train copied across
// first), so nothing else is copied, and each thread finds the rows of W it computed in its
// core's cache for the next batch. The optimizer's state is laid out like the parameters, at the
// same offsets from net.params in either block.
export function commitLayers(net: Network): void {
  for (let l = 0; l < net.layerCount; l++) {
    const layer = layerAt(net, l);
    if (!layer.trainBias) copyValues(layer.dBiases, layer.biases, layer.units);
    const weights = layer.weights, biases = layer.biases;
    layer.weights = layer.dWeights;
    layer.biases = layer.dBiases;
    layer.dWeights = weights;
    layer.dBiases = biases;
  }
  const params = net.params;
  net.params = net.grads;
  net.grads = params;
}

// Sets the step the next stepLayers applies, in the network, where every part of it (on any of its
// threads) reads it: SGD (plain, no state) with its learning rate, or the kind of net.optimizer,
// which reads its own; weight decay and L1 on the weights; Adam's 1 − β1ᵗ and 1 − β2ᵗ (1 for the others).
// @ts-ignore: decorator
@inline export function setStep(net: Network, kind: i32, learningRate: f64, decay: f64, l1: f64, bias1: f64, bias2: f64): void {
  net.stepKind = kind;
  net.stepRate = learningRate;
  net.stepDecay = decay;
  net.stepL1 = l1;
  net.stepBias1 = bias1;
  net.stepBias2 = bias2;
}
