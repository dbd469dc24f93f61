// A network's plan: the validated spec with names turned into the ids both backends use, and
// where each layer's parameters sit in the flat parameter vector [W1 b1 W2 b2 …].
import { ShapeError } from "./errors.js";

/** Activation names; the index is the id in assembly/activations.ts and src/backends/js/activations.ts. */
export const ACTIVATIONS = ["linear", "sigmoid", "tanh", "relu", "leakyRelu", "softmax"] as const;
export type Activation = (typeof ACTIVATIONS)[number];

/** Loss names; the index is the id in assembly/losses.ts and src/backends/js/losses.ts. */
export const LOSSES = ["mse", "crossEntropy", "binaryCrossEntropy"] as const;
export type Loss = (typeof LOSSES)[number];

export const BACKENDS = ["wasm", "js"] as const;
export type BackendKind = (typeof BACKENDS)[number];

// the output activation each probability loss is fused with (mse fits any)
const LOSS_OUTPUT: Partial<Record<Loss, Activation>> = {
  crossEntropy: "softmax",
  binaryCrossEntropy: "sigmoid",
};

/** One layer of a network: `units` neurons, each a = activation(w·input + b). */
export interface LayerSpec {
  units: number;
  activation: Activation;
  /** false keeps this layer's biases at their values (the seed example's); default true */
  trainBias?: boolean;
}

/** What `Network.create` takes. */
export interface NetworkSpec {
  inputs: number;
  layers: LayerSpec[];
  loss: Loss;
  /** default "wasm" */
  backend?: BackendKind;
  /** unsigned 32-bit integer seeding the initial weights; default 0 */
  seed?: number;
}

export interface LayerPlan {
  inputs: number;
  units: number;
  activation: Activation;
  activationId: number;
  trainBias: boolean;
  /** index of W[0][0] in the flat parameters; W is [units×inputs] row-major */
  weightOffset: number;
  /** index of b[0]; the biases follow the weights */
  biasOffset: number;
}

export interface Plan {
  inputs: number;
  outputs: number;
  layers: LayerPlan[];
  loss: Loss;
  lossId: number;
  paramCount: number;
  seed: number;
  backend: BackendKind;
}

function isPositiveInteger(n: unknown): n is number {
  return typeof n === "number" && Number.isInteger(n) && n > 0;
}

function oneOf<T extends string>(names: readonly T[], value: unknown, what: string): T {
  if (typeof value !== "string" || !(names as readonly string[]).includes(value))
    throw new TypeError(`${what} is ${JSON.stringify(value)}; expected one of ${names.map((n) => `"${n}"`).join(", ")}`);
  return value as T;
}

/** Checks a spec and lays out its parameters; throws ShapeError or TypeError naming what is wrong. */
export function makePlan(spec: NetworkSpec): Plan {
  if (spec === null || typeof spec !== "object") throw new TypeError(`Network spec is ${String(spec)}; expected an object`);
  if (!isPositiveInteger(spec.inputs))
    throw new ShapeError(`inputs is ${String(spec.inputs)}; expected a positive integer`);
  if (!Array.isArray(spec.layers) || spec.layers.length === 0)
    throw new ShapeError(`layers is ${Array.isArray(spec.layers) ? "empty" : String(spec.layers)}; expected an array of at least one layer`);
  const loss = oneOf(LOSSES, spec.loss, "loss");
  const backend = oneOf(BACKENDS, spec.backend ?? "wasm", "backend");
  const seed = spec.seed ?? 0;
  if (typeof seed !== "number" || !Number.isInteger(seed) || seed < 0 || seed > 0xffffffff)
    throw new TypeError(`seed is ${String(seed)}; expected an integer from 0 to 4294967295`);

  const layers: LayerPlan[] = [];
  let inputs = spec.inputs;
  let offset = 0;
  spec.layers.forEach((layer, l) => {
    if (layer === null || typeof layer !== "object") throw new TypeError(`layers[${l}] is ${String(layer)}; expected { units, activation }`);
    if (!isPositiveInteger(layer.units))
      throw new ShapeError(`layers[${l}].units is ${String(layer.units)}; expected a positive integer`);
    const activation = oneOf(ACTIVATIONS, layer.activation, `layers[${l}].activation`);
    const trainBias = layer.trainBias ?? true;
    if (typeof trainBias !== "boolean") throw new TypeError(`layers[${l}].trainBias is ${String(trainBias)}; expected true or false`);
    layers.push({
      inputs,
      units: layer.units,
      activation,
      activationId: ACTIVATIONS.indexOf(activation),
      trainBias,
      weightOffset: offset,
      biasOffset: offset + layer.units * inputs,
    });
    offset += layer.units * (inputs + 1);
    inputs = layer.units;
  });

  const output = layers[layers.length - 1]!;
  const needed = LOSS_OUTPUT[loss];
  if (needed !== undefined && output.activation !== needed)
    throw new TypeError(`loss "${loss}" needs a "${needed}" output layer; the last layer is "${output.activation}"`);
  if (output.activation === "softmax" && output.units < 2)
    throw new ShapeError(`a softmax output layer has 1 unit; softmax needs at least 2 (use sigmoid for one probability)`);

  return { inputs: spec.inputs, outputs: inputs, layers, loss, lossId: LOSSES.indexOf(loss), paramCount: offset, seed, backend };
}
