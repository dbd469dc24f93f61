// A training step's update of the parameters, layer by layer: the twin of assembly/update.ts
// (which also splits a layer's weights by rows across a network's threads; here there is one).
// Every new value is computed once into the gradients' place (and a new optimizer state into the
// spare); only if all are finite do they become the parameters, by swapping the two blocks. L1
// and weight decay apply to the weights, not the biases.
import type { Network } from "./network.js";
import { addL1, optimizerBlockStep, SGD, sgdStep } from "./optimizers.js";

/** What a step applies: SGD (plain, no state) with its learning rate, or the kind of net.optimizer, which reads its own. */
export interface Step {
  kind: number;
  learningRate: number;
  decay: number; // weight decay λ on the weights
  l1: number; // L1 strength on the weights
  bias1: number; // Adam's 1 − β1ᵗ and 1 − β2ᵗ for this step
  bias2: number;
}

// The step over every layer: whether all new values are finite. It stops at the first block that
// is not: nothing is written to the parameters either way.
export function stepLayers(net: Network, step: Step): boolean {
  for (let l = 0; l < net.layers.length; l++) {
    const layer = net.layers[l]!;
    if (step.l1 !== 0) addL1(layer.weights, layer.dWeights, layer.units * layer.inputs, step.l1);
    if (!block(net, step, l, "weights", step.decay)) return false;
    if (layer.trainBias && !block(net, step, l, "biases", 0)) return false;
  }
  return true;
}

// Layer l's weights or biases: the step into the gradients' place (and the state's spare).
function block(net: Network, step: Step, l: number, which: "weights" | "biases", decay: number): boolean {
  const layer = net.layers[l]!;
  const params = layer[which],
    grads = which === "weights" ? layer.dWeights : layer.dBiases,
    n = which === "weights" ? layer.units * layer.inputs : layer.units;
  if (step.kind === SGD) return sgdStep(params, grads, n, step.learningRate, decay);
  const opt = net.optimizer!;
  const state = opt.views[l]![which],
    next = opt.spareViews[l]![which];
  return optimizerBlockStep(opt, params, grads, state, next, n, decay, step.bias1, step.bias2);
}

// Every layer's new parameters, computed by stepLayers into the gradients' place, made the
// parameters: the two blocks change places (the biases a layer does not train copied across first).
export function commitLayers(net: Network): void {
  for (const layer of net.layers) {
    if (!layer.trainBias) layer.dBiases.set(layer.biases);
    [layer.weights, layer.dWeights] = [layer.dWeights, layer.weights];
    [layer.biases, layer.dBiases] = [layer.dBiases, layer.biases];
  }
  [net.params, net.grads] = [net.grads, net.params];
}
