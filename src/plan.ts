// A network's plan: the validated spec with names turned into the ids both backends use (from
// the descriptors in src/operations/), and where each layer's parameters sit in the flat
// parameter vector [W1 b1 W2 b2 …].
import { CapacityError, checkKeys, describe, ShapeError } from "./errors.js";
import { formatBytes, MAX_PARAMETERS } from "./capacity.js";
import { fromRows, toRows, toVector } from "./data/rows.js";
import { ACTIVATION_DESCRIPTORS, ACTIVATIONS, type Activation } from "./operations/activations.js";
import { LOSS_DESCRIPTORS, LOSSES, lossOption, type Loss, type LossOption } from "./operations/losses.js";
import { threadCount } from "./threads.js";

export { ACTIVATIONS, LOSSES, type Activation, type Loss, type LossOption };

export const BACKENDS = ["wasm", "js"] as const;
export type BackendKind = (typeof BACKENDS)[number];

/** Layer kinds: how a layer computes z from its input. Only dense layers (z = W·a + b) so far. */
export const LAYER_KINDS = ["dense"] as const;
export type LayerKind = (typeof LAYER_KINDS)[number];

/** One layer of a network: `units` neurons, each a = activation(w·input + b). */
export interface LayerSpec {
  /** default "dense", the only kind so far */
  kind?: LayerKind;
  units: number;
  activation: Activation;
  /** false keeps this layer's biases at their values (the seed example's); default true */
  trainBias?: boolean;
  /** inverted dropout on the layer's outputs in fit and trainStep: the share p in [0, 1) dropped, the rest scaled by 1/(1 − p); default 0; not on the output layer */
  dropout?: number;
}

/** What `Network.create` takes. */
export interface NetworkSpec {
  inputs: number;
  layers: LayerSpec[];
  /** a name, or { name: "huber", delta } */
  loss: LossOption;
  /** default "wasm" */
  backend?: BackendKind;
  /** unsigned 32-bit integer seeding the initial weights; default 0 */
  seed?: number;
  /** threads for the Wasm core's large matrix products: 1 to 16, or "auto" (one per core); default 1 (src/threads.ts) */
  threads?: number | "auto";
}

export interface LayerPlan {
  kind: LayerKind;
  inputs: number;
  units: number;
  activation: Activation;
  activationId: number;
  trainBias: boolean;
  /** He-uniform initial weights (else Glorot-uniform), as the activation's descriptor says */
  he: boolean;
  /** the share of outputs dropped in training, 0 for none */
  dropout: number;
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
  /** the loss's hyperparameters by name (its descriptor's) */
  lossHyperparameters: Readonly<Record<string, number>>;
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
const LAYER_KEYS = ["kind", "units", "activation", "trainBias", "dropout"] as const;

/** Checks a spec and lays out its parameters; throws ShapeError, TypeError or CapacityError naming what is wrong. */
export function makePlan(spec: NetworkSpec): Plan {
  if (spec === null || typeof spec !== "object" || Array.isArray(spec))
    throw new TypeError(`Network spec is ${describe(spec)}; expected { inputs, layers, loss }`);
  checkKeys(spec, SPEC_KEYS, "the network spec");
  const inputCount = positiveInteger(spec.inputs, "inputs");
  if (!Array.isArray(spec.layers))
    throw new TypeError(`layers is ${describe(spec.layers)}; expected an array of { units, activation }`);
  if (spec.layers.length === 0) throw new ShapeError("layers is empty; expected an array of at least one layer");
  const { loss, hyperparameters: lossHyperparameters } = lossOption(spec.loss, "loss");
  const backend = oneOf(BACKENDS, spec.backend ?? "wasm", "backend");
  const seed = spec.seed ?? 0;
  if (typeof seed !== "number" || !Number.isInteger(seed) || seed < 0 || seed > 0xffffffff)
    throw new TypeError(`seed is ${describe(seed)}; expected an integer from 0 to 4294967295`);

  const layers: LayerPlan[] = [];
  let inputs = inputCount;
  let offset = 0;
  // an index loop, not forEach: forEach skips the holes of [a, , b]
  for (let l = 0; l < spec.layers.length; l++) {
    if (!(l in spec.layers))
      throw new TypeError(`layers[${l}] is missing (the array has a hole); expected { units, activation }`);
    const layer: unknown = spec.layers[l];
    if (layer === null || typeof layer !== "object" || Array.isArray(layer))
      throw new TypeError(`layers[${l}] is ${describe(layer)}; expected { units, activation }`);
    checkKeys(layer, LAYER_KEYS, `layers[${l}]`);
    const {
      kind: kindValue,
      units: unitsValue,
      activation: activationValue,
      trainBias: trainBiasValue,
    } = layer as LayerSpec;
    const kind = oneOf(LAYER_KINDS, kindValue ?? "dense", `layers[${l}].kind`);
    const units = positiveInteger(unitsValue, `layers[${l}].units`);
    const activation = oneOf(ACTIVATIONS, activationValue, `layers[${l}].activation`);
    const trainBias = trainBiasValue ?? true;
    if (typeof trainBias !== "boolean")
      throw new TypeError(`layers[${l}].trainBias is ${describe(trainBias)}; expected true or false`);
    const dropout = (layer as LayerSpec).dropout ?? 0;
    if (typeof dropout !== "number")
      throw new TypeError(`layers[${l}].dropout is ${describe(dropout)}; expected a number in [0, 1)`);
    if (!(dropout >= 0 && dropout < 1))
      throw new RangeError(`layers[${l}].dropout is ${dropout}; expected a number in [0, 1)`);
    if (dropout > 0 && l === spec.layers.length - 1)
      throw new TypeError(
        `layers[${l}].dropout is ${dropout}, on the output layer; dropout applies to the outputs of hidden layers`,
      );
    offset += units * (inputs + 1);
    // checked as the layers are read, so that a spec of millions of layers stops at the first too many
    if (offset > MAX_PARAMETERS)
      throw new CapacityError(
        `a network of ${offset > Number.MAX_SAFE_INTEGER ? "more than 2⁵³" : offset.toLocaleString("en-US")}${l + 1 < spec.layers.length ? " or more" : ""} parameters ` +
          `(${formatBytes(16 * offset)} with gradients) is larger than the largest, ${MAX_PARAMETERS.toLocaleString("en-US")} parameters`,
        { bytes: 16 * offset, limit: 16 * MAX_PARAMETERS },
      );
    layers.push({
      kind,
      inputs,
      units,
      activation,
      activationId: ACTIVATION_DESCRIPTORS[activation].id,
      trainBias,
      he: ACTIVATION_DESCRIPTORS[activation].init === "he",
      dropout,
      weightOffset: offset - units * (inputs + 1),
      biasOffset: offset - units,
    });
    inputs = units;
  }

  const output = layers[layers.length - 1]!;
  const needed = LOSS_DESCRIPTORS[loss].output;
  if (needed !== null && output.activation !== needed)
    throw new TypeError(`loss "${loss}" needs a "${needed}" output layer; the last layer is "${output.activation}"`);
  const minUnits = ACTIVATION_DESCRIPTORS[output.activation].minUnits;
  if (output.units < minUnits)
    throw new ShapeError(
      `a ${output.activation} output layer has ${output.units} unit; ${output.activation} needs at least ${minUnits} (use sigmoid for one probability)`,
    );

  const threads = threadCount(spec.threads);
  return {
    inputs: inputCount,
    outputs: inputs,
    layers,
    loss,
    lossId: LOSS_DESCRIPTORS[loss].id,
    lossHyperparameters,
    paramCount: offset,
    seed,
    backend,
    threads,
  };
}

// The spec block the core reads once (assembly/network.ts networkCreate): SPEC_HEADER f64s
// [inputs, layer count, loss id, the loss's hyperparameters…], then SPEC_LAYER per layer
// [kind, units, activation id, trainBias 0/1, He 0/1, dropout, …].
export const SPEC_HEADER = 8;
export const SPEC_LAYER = 8;

export function specBlock(plan: Plan): Float64Array {
  const block = new Float64Array(SPEC_HEADER + SPEC_LAYER * plan.layers.length);
  block.set([
    plan.inputs,
    plan.layers.length,
    plan.lossId,
    ...LOSS_DESCRIPTORS[plan.loss].hyperparameters.map((h) => plan.lossHyperparameters[h.name]!),
  ]);
  plan.layers.forEach((layer, l) => {
    block.set(
      [
        LAYER_KINDS.indexOf(layer.kind),
        layer.units,
        layer.activationId,
        layer.trainBias ? 1 : 0,
        layer.he ? 1 : 0,
        layer.dropout,
      ],
      SPEC_HEADER + SPEC_LAYER * l,
    );
  });
  return block;
}

/** One layer's parameters: `weights[unit][input]` (so z = W·a + b) and `biases[unit]`. */
export interface LayerParameters {
  weights: number[][];
  biases: number[];
}

// ---- the parameter layout: per layer W [units×inputs] row-major, then b; layer after layer ----

/** The flat parameters as getParameters() gives them. */
export function nestParameters(plan: Plan, flat: Float64Array): LayerParameters[] {
  return plan.layers.map((layer) => ({
    weights: fromRows(flat.subarray(layer.weightOffset, layer.biasOffset), layer.units, layer.inputs),
    biases: Array.from(flat.subarray(layer.biasOffset, layer.biasOffset + layer.units)),
  }));
}

/** Nested parameters checked against the plan and laid out flat; a ShapeError or TypeError naming what is wrong. */
export function flattenParameters(plan: Plan, parameters: LayerParameters[], what: string): Float64Array {
  if (!Array.isArray(parameters))
    throw new TypeError(
      `${what} is ${describe(parameters)}; expected an array of ${plan.layers.length} { weights, biases }`,
    );
  if (parameters.length !== plan.layers.length)
    throw new ShapeError(`${what} has ${parameters.length} layers; expected ${plan.layers.length}`);
  const flat = new Float64Array(plan.paramCount);
  plan.layers.forEach((layer, l) => {
    const p: unknown = parameters[l];
    if (p === null || typeof p !== "object")
      throw new TypeError(`${what}[${l}] is ${describe(p)}; expected { weights, biases }`);
    const { weights, biases } = p as LayerParameters;
    if (!Array.isArray(weights) || weights.length !== layer.units)
      throw new ShapeError(
        `${what}[${l}].weights has ${Array.isArray(weights) ? weights.length : describe(weights)} rows; expected ${layer.units} (one per unit)`,
      );
    flat.set(toRows(weights, layer.inputs, `${what}[${l}].weights`).data, layer.weightOffset);
    flat.set(toVector(biases, layer.units, `${what}[${l}].biases`), layer.biasOffset);
  });
  return flat;
}
