// The mathematics of one gradient-descent step on one sample, laid out the way the seed post
// walks through it: forward (net input z, output a), total error E, then backward by the
// chain rule, dE/dw = dE/da · da/dz · dz/dw, and the update w ← w − η · dE/dw.
import type { LayerTrace } from "./backends/backend.js";
import { backwardOne } from "./backends/js/activations.js";
import type { LayerParameters } from "./plan.js";
import { ACTIVATION_DESCRIPTORS } from "./operations/activations.js";
import { LOSS_DESCRIPTORS } from "./operations/losses.js";
import type { Activation, Plan } from "./plan.js";

export interface ExplainedLayer {
  activation: Activation;
  /** the layer's input a_{l−1} (x for the first layer) */
  input: number[];
  /** net input z = W·input + b */
  z: number[];
  /** output a = f(z) */
  a: number[];
  /** dE/da: from the loss at the output, Σₖ dE/dzₖ · wₖⱼ of the layer above otherwise */
  dEdA: number[];
  /** da/dz = f′(z) for elementwise activations; null for softmax (its Jacobian is not diagonal) */
  dAdZ: number[] | null;
  /** dE/dz, the layer's δ */
  dEdZ: number[];
  /** dE/dW[i][j] = δᵢ · inputⱼ and dE/db = δ */
  gradients: LayerParameters;
  parameters: LayerParameters;
  /** after w ← w − η · dE/dw (biases of a layer with trainBias false unchanged) */
  updated: LayerParameters;
}

export interface ExplainedStep {
  layers: ExplainedLayer[];
  target: number[];
  /** E before the step */
  loss: number;
  /** E after the step, on the same sample */
  lossAfter: number;
  learningRate: number;
}

export function explainStep(step: {
  plan: Plan;
  x: Float64Array;
  y: Float64Array;
  trace: LayerTrace[];
  loss: number;
  lossAfter: number;
  learningRate: number;
  parameters: LayerParameters[];
  gradients: LayerParameters[];
  updated: LayerParameters[];
}): ExplainedStep {
  const { plan, trace } = step;
  const last = plan.layers.length - 1;
  const layers = plan.layers.map((layer, l): ExplainedLayer => {
    const a = Array.from(trace[l]!.a);
    let dEdA: number[];
    const z = Array.from(trace[l]!.z);
    if (l === last) {
      const loss = LOSS_DESCRIPTORS[plan.loss];
      dEdA = a.map((o, k) => loss.outputDerivative(o, step.y[k]!, plan.lossHyperparameters));
    } else {
      const above = step.parameters[l + 1]!.weights;
      const deltaAbove = trace[l + 1]!.dZ;
      dEdA = a.map((_, j) => above.reduce((sum, row, k) => sum + deltaAbove[k]! * row[j]!, 0));
    }
    return {
      activation: layer.activation,
      input: l === 0 ? Array.from(step.x) : Array.from(trace[l - 1]!.a),
      z,
      a,
      dEdA,
      // f′(z), as the backends compute it (src/backends/js/activations.ts backwardOne with dE/da = 1)
      dAdZ: ACTIVATION_DESCRIPTORS[layer.activation].elementwise
        ? a.map((v, j) => backwardOne(layer.activationId, z[j]!, v, 1))
        : null,
      dEdZ: Array.from(trace[l]!.dZ),
      gradients: step.gradients[l]!,
      parameters: step.parameters[l]!,
      updated: step.updated[l]!,
    };
  });
  return {
    layers,
    target: Array.from(step.y),
    loss: step.loss,
    lossAfter: step.lossAfter,
    learningRate: step.learningRate,
  };
}
