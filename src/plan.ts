// A network's plan: the validated spec with names turned into the ids both backends use, and
// where each layer's parameters sit in the flat parameter vector [W1 b1 W2 b2 …].
import { CapacityError, checkKeys, describe, ShapeError } from "./errors.js";
import { formatBytes, MAX_PARAMETERS } from "./capacity.js";
import { threadCount } from "./threads.js";

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
  /** threads for the Wasm core's large matrix products: 1 to 16, or "auto" (one per core); default 1 (src/threads.ts) */
  threads?: number | "auto";
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
  /** threads asked for ("auto" resolved); net.threads says how many the network got */
  threads: number;
}

function positiveInteger(value: unknown, what: string): number {
  if (typeof value !== "number") throw new TypeError(`${what} is ${describe(value)}; expected a positive integer`);
  if (!Number.isInteger(value) || value <= 0) throw new ShapeError(`${what} is ${value}; expected a positive integer`);
  return value;
}

function oneOf<T extends string>(names: readonly T[], value: unknown, what: string): T {
  if (typeof value !== "string" || !(names as readonly string[]).includes(value))
    throw new TypeError(`${what} is ${describe(value)}; expected one of ${names.map((n) => `"${n}"`).join(", ")}`);
  return value as T;
}

const SPEC_KEYS = ["inputs", "layers", "loss", "backend", "seed", "threads"] as const;
const LAYER_KEYS = ["units", "activation", "trainBias"] as const;

/** Checks a spec and lays out its parameters; throws ShapeError, TypeError or CapacityError naming what is wrong. */
export function makePlan(spec: NetworkSpec): Plan {
  if (spec === null || typeof spec !== "object" || Array.isArray(spec))
    throw new TypeError(`Network spec is ${describe(spec)}; expected { inputs, layers, loss }`);
  checkKeys(spec, SPEC_KEYS, "the network spec");
  const inputCount = positiveInteger(spec.inputs, "inputs");
  if (!Array.isArray(spec.layers)) throw new TypeError(`layers is ${describe(spec.layers)}; expected an array of { units, activation }`);
  if (spec.layers.length === 0) throw new ShapeError("layers is empty; expected an array of at least one layer");
  const loss = oneOf(LOSSES, spec.loss, "loss");
  const backend = oneOf(BACKENDS, spec.backend ?? "wasm", "backend");
  const seed = spec.seed ?? 0;
  if (typeof seed !== "number" || !Number.isInteger(seed) || seed < 0 || seed > 0xffffffff)
    throw new TypeError(`seed is ${describe(seed)}; expected an integer from 0 to 4294967295`);

  const layers: LayerPlan[] = [];
  let inputs = inputCount;
  let offset = 0;
  // an index loop, not forEach: forEach skips the holes of [a, , b]
  for (let l = 0; l < spec.layers.length; l++) {
    if (!(l in spec.layers)) throw new TypeError(`layers[${l}] is missing (the array has a hole); expected { units, activation }`);
    const layer: unknown = spec.layers[l];
    if (layer === null || typeof layer !== "object" || Array.isArray(layer))
      throw new TypeError(`layers[${l}] is ${describe(layer)}; expected { units, activation }`);
    checkKeys(layer, LAYER_KEYS, `layers[${l}]`);
    const { units: unitsValue, activation: activationValue, trainBias: trainBiasValue } = layer as LayerSpec;
    const units = positiveInteger(unitsValue, `layers[${l}].units`);
    const activation = oneOf(ACTIVATIONS, activationValue, `layers[${l}].activation`);
    const trainBias = trainBiasValue ?? true;
    if (typeof trainBias !== "boolean") throw new TypeError(`layers[${l}].trainBias is ${describe(trainBias)}; expected true or false`);
    offset += units * (inputs + 1);
    // checked as the layers are read, so that a spec of millions of layers stops at the first too many
    if (offset > MAX_PARAMETERS)
      throw new CapacityError(
        `a network of ${offset > Number.MAX_SAFE_INTEGER ? "more than 2⁵³" : offset.toLocaleString("en-US")}${l + 1 < spec.layers.length ? " or more" : ""} parameters ` +
          `(${formatBytes(16 * offset)} with gradients) is larger than the largest, ${MAX_PARAMETERS.toLocaleString("en-US")} parameters`,
        { bytes: 16 * offset, limit: 16 * MAX_PARAMETERS },
      );
    layers.push({
      inputs,
      units,
      activation,
      activationId: ACTIVATIONS.indexOf(activation),
      trainBias,
      weightOffset: offset - units * (inputs + 1),
      biasOffset: offset - units,
    });
    inputs = units;
  }

  const output = layers[layers.length - 1]!;
  const needed = LOSS_OUTPUT[loss];
  if (needed !== undefined && output.activation !== needed)
    throw new TypeError(`loss "${loss}" needs a "${needed}" output layer; the last layer is "${output.activation}"`);
  if (output.activation === "softmax" && output.units < 2)
    throw new ShapeError(`a softmax output layer has 1 unit; softmax needs at least 2 (use sigmoid for one probability)`);

  const threads = threadCount(spec.threads);
  return { inputs: inputCount, outputs: inputs, layers, loss, lossId: LOSSES.indexOf(loss), paramCount: offset, seed, backend, threads };
}
