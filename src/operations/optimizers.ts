// One descriptor per optimizer (torch.optim's definitions, defaults and option names, in
// camelCase): its hyperparameters with their defaults, ranges and slots in the settings block,
// its default learning rate and weight decay, the values of state it keeps per parameter, and
// what a state that training produced looks like (fromJSON refuses any other). Options are
// checked here and packed into the one block of numbers both backends read
// (assembly/optimizers.ts, src/backends/js/optimizers.ts), so that a new optimizer leaves the
// boundary between JavaScript and the core as it is. Adding one: CONTRIBUTING.md.
import { describe } from "../errors.js";
import { hyperparameterValue, type Hyperparameter } from "./hyperparameters.js";

/** Optimizer names; the index is the id in assembly/optimizers.ts and src/backends/js/optimizers.ts. */
export const OPTIMIZERS = ["sgd", "momentum", "adam", "rmsprop", "adagrad", "adamw"] as const;
export type OptimizerName = (typeof OPTIMIZERS)[number];

/** An optimizer by name, or with its hyperparameters. */
export type OptimizerOption =
  | OptimizerName
  | { name: "sgd" }
  | { name: "momentum"; momentum?: number; nesterov?: boolean }
  | { name: "adam"; beta1?: number; beta2?: number; epsilon?: number }
  | { name: "rmsprop"; alpha?: number; epsilon?: number; momentum?: number; centered?: boolean }
  | { name: "adagrad"; lrDecay?: number; initialAccumulatorValue?: number; epsilon?: number }
  | { name: "adamw"; beta1?: number; beta2?: number; epsilon?: number };

/**
 * A fully specified optimizer, as saved in toJSON(): its name, learning rate, weight decay, L1,
 * gradient clipping (null: none) and its own hyperparameters.
 */
export type OptimizerConfig = {
  name: OptimizerName;
  learningRate: number;
  weightDecay: number;
  l1: number;
  clipGradientNorm: number | null;
} & {
  readonly [hyperparameter: string]: number | boolean | string | null;
};

export interface OptimizerDescriptor {
  readonly name: OptimizerName;
  /** the id both backends use: the name's index in OPTIMIZERS */
  readonly id: number;
  readonly label: string;
  /** the update, as torch.optim defines it */
  readonly formula: string;
  /** in the order of their slots in the settings block, from HYPERPARAMETER_SLOT on */
  readonly hyperparameters: readonly Hyperparameter[];
  /** the default learning rate (torch.optim's) */
  readonly learningRate: number;
  /** the default weight decay */
  readonly weightDecay: number;
  /** values of state per parameter, each laid out like the parameters */
  readonly stateValues: number;
  /** keeps β1ᵗ and β2ᵗ for bias correction (its hyperparameters beta1 and beta2) */
  readonly biasCorrection: boolean;
  /** the value every state starts at */
  initialState(config: OptimizerConfig): number;
  /** what is wrong with a state after `steps` steps, or null if training could have produced it */
  checkState(state: Float64Array, parameters: number, config: OptimizerConfig): string | null;
}

// The settings block: one f64 each, read by both backends.
export const SETTING_KIND = 0;
export const SETTING_LEARNING_RATE = 1;
export const SETTING_WEIGHT_DECAY = 2;
export const SETTING_L1 = 3;
export const SETTING_CLIP = 4;
/** the slot of an optimizer's first hyperparameter; the others follow in its descriptor's order */
export const HYPERPARAMETER_SLOT = 5;
export const SETTINGS_LENGTH = 12;

const probability = (name: string, value: number): Hyperparameter => ({
  name,
  type: "number",
  default: value,
  min: 0,
  max: 1,
  maxOpen: true,
});
const positive = (name: string, value: number): Hyperparameter => ({
  name,
  type: "number",
  default: value,
  min: 0,
  max: Infinity,
  minOpen: true,
  maxOpen: true,
});

// every value of the state from `from` on (in values) is ≥ 0
function nonNegative(state: Float64Array, from: number, what: string): string | null {
  for (let i = from; i < state.length; i++)
    if (!(state[i]! >= 0)) return `state[${i}] (${what}) is ${state[i]}; expected ≥ 0`;
  return null;
}

type Described = Omit<OptimizerDescriptor, "name" | "id">;

const DESCRIBED: { [O in OptimizerName]: Described } = {
  // θ ← θ − lr·(g + λθ)
  sgd: {
    label: "SGD",
    formula: "θ ← θ − lr·g",
    hyperparameters: [],
    learningRate: 0.01,
    weightDecay: 0,
    stateValues: 0,
    biasCorrection: false,
    initialState: () => 0,
    checkState: () => null,
  },
  // torch.optim.SGD with momentum, dampening 0: v ← μ·v + g;  θ ← θ − lr·v, or with Nesterov θ ← θ − lr·(g + μ·v)
  momentum: {
    label: "Momentum",
    formula: "v ← μ·v + g;  θ ← θ − lr·v  (Nesterov: θ ← θ − lr·(g + μ·v))",
    hyperparameters: [probability("momentum", 0.9), { name: "nesterov", type: "boolean", default: false }],
    learningRate: 0.01,
    weightDecay: 0,
    stateValues: 1,
    biasCorrection: false,
    initialState: () => 0,
    checkState: () => null,
  },
  // Adam (Kingma & Ba 2015, Alg. 1, as torch.optim.Adam): m ← β1·m + (1−β1)·g;  v ← β2·v + (1−β2)·g²;
  // θ ← θ − (lr / (1−β1ᵗ)) · m / (√v / √(1−β2ᵗ) + ε); state [m, v]
  adam: {
    label: "Adam",
    formula: "m ← β1·m + (1−β1)·g;  v ← β2·v + (1−β2)·g²;  θ ← θ − lr·m̂/(√v̂ + ε)",
    hyperparameters: [probability("beta1", 0.9), probability("beta2", 0.999), positive("epsilon", 1e-8)],
    learningRate: 0.001,
    weightDecay: 0,
    stateValues: 2,
    biasCorrection: true,
    initialState: () => 0,
    // the second moments v = β2·v + (1 − β2)·g² are never negative
    checkState: (state, parameters) => nonNegative(state, parameters, "a second moment"),
  },
  // RMSprop (torch.optim.RMSprop): v ← α·v + (1−α)·g²; centered ḡ ← α·ḡ + (1−α)·g; θ ← θ − lr·g/(√(v − ḡ²) + ε),
  // or with momentum b ← μ·b + g/(…), θ ← θ − lr·b; state [v, b, ḡ]
  rmsprop: {
    label: "RMSprop",
    formula:
      "v ← α·v + (1−α)·g²;  θ ← θ − lr·g/(√v + ε)  (centered: √(v − ḡ²); momentum: b ← μ·b + g/(√v + ε), θ ← θ − lr·b)",
    hyperparameters: [
      { name: "alpha", type: "number", default: 0.99, min: 0, max: 1 },
      positive("epsilon", 1e-8),
      probability("momentum", 0),
      { name: "centered", type: "boolean", default: false },
    ],
    learningRate: 0.01,
    weightDecay: 0,
    stateValues: 3,
    biasCorrection: false,
    initialState: () => 0,
    // v, a mean of squares, is never negative
    checkState: (state, parameters) => nonNegative(state.subarray(0, parameters), 0, "a mean square"),
  },
  // Adagrad (torch.optim.Adagrad): Σ ← Σ + g²;  θ ← θ − lr/(1 + (t−1)·lrDecay) · g/(√Σ + ε); state [Σ] from initialAccumulatorValue
  adagrad: {
    label: "Adagrad",
    formula: "Σ ← Σ + g²;  θ ← θ − lr/(1 + (t−1)·lrDecay) · g/(√Σ + ε)",
    hyperparameters: [
      { name: "lrDecay", type: "number", default: 0, min: 0, max: Infinity, maxOpen: true },
      { name: "initialAccumulatorValue", type: "number", default: 0, min: 0, max: Infinity, maxOpen: true },
      positive("epsilon", 1e-10),
    ],
    learningRate: 0.01,
    weightDecay: 0,
    stateValues: 1,
    biasCorrection: false,
    initialState: (config) => config.initialAccumulatorValue as number,
    // a sum of squares from a value ≥ 0
    checkState: (state) => nonNegative(state, 0, "a sum of squares"),
  },
  // AdamW (Loshchilov & Hutter 2019; torch.optim.AdamW): θ ← θ·(1 − lr·λ), then Adam's step without λ in g; weightDecay 0.01
  adamw: {
    label: "AdamW",
    formula: "θ ← θ·(1 − lr·λ);  then Adam's step: θ ← θ − lr·m̂/(√v̂ + ε)",
    hyperparameters: [probability("beta1", 0.9), probability("beta2", 0.999), positive("epsilon", 1e-8)],
    learningRate: 0.001,
    weightDecay: 0.01,
    stateValues: 2,
    biasCorrection: true,
    initialState: () => 0,
    checkState: (state, parameters) => nonNegative(state, parameters, "a second moment"),
  },
};

/** Every optimizer's descriptor, by name. */
export const OPTIMIZER_DESCRIPTORS: { readonly [O in OptimizerName]: OptimizerDescriptor } = Object.fromEntries(
  OPTIMIZERS.map((name, id) => [name, { ...DESCRIBED[name], name, id }]),
) as { [O in OptimizerName]: OptimizerDescriptor };

/** The learning rate each optimizer uses when none is given (torch.optim's defaults). */
export const DEFAULT_LEARNING_RATES = Object.fromEntries(
  OPTIMIZERS.map((o) => [o, OPTIMIZER_DESCRIPTORS[o].learningRate]),
) as Record<OptimizerName, number>;

function isOptimizer(name: unknown): name is OptimizerName {
  return typeof name === "string" && (OPTIMIZERS as readonly string[]).includes(name);
}

/** Checks an optimizer option with its learning rate, weight decay, L1 and clipping; throws TypeError or RangeError naming what is wrong. */
export function optimizerConfig(
  option: unknown,
  learningRate: unknown,
  weightDecay: unknown,
  method: string,
  extras: { l1?: unknown; clipGradientNorm?: unknown } = {},
): OptimizerConfig {
  const spec = typeof option === "string" ? { name: option } : (option ?? { name: "adam" });
  if (typeof spec !== "object" || Array.isArray(spec))
    throw new TypeError(`${method}: optimizer is ${describe(option)}; expected a name or { name, ... }`);
  const given = spec as Record<string, unknown>;
  const name = given.name;
  if (!isOptimizer(name))
    throw new TypeError(
      `${method}: optimizer is ${describe(name)}; expected one of ${OPTIMIZERS.map((n) => `"${n}"`).join(", ")}`,
    );
  const descriptor = OPTIMIZER_DESCRIPTORS[name];
  const known = descriptor.hyperparameters.map((h) => h.name);
  const unknown = Object.keys(given).find((k) => k !== "name" && !known.includes(k));
  if (unknown !== undefined)
    throw new TypeError(
      `${method}: "${name}" has no option "${unknown}"; its options are ${known.join(", ") || "none"}`,
    );
  const lr = learningRate ?? descriptor.learningRate;
  if (typeof lr !== "number") throw new TypeError(`${method}: learningRate is ${describe(lr)}; expected a number > 0`);
  if (!Number.isFinite(lr) || lr <= 0)
    throw new RangeError(`${method}: learningRate is ${lr}; expected a finite number > 0`);
  const decay = hyperparameterValue(
    { name: "weightDecay", type: "number", default: descriptor.weightDecay, min: 0, max: Infinity, maxOpen: true },
    weightDecay,
    `${method}: weightDecay`,
  ) as number;
  const l1 = hyperparameterValue(
    { name: "l1", type: "number", default: 0, min: 0, max: Infinity, maxOpen: true },
    extras.l1,
    `${method}: l1`,
  ) as number;
  const clip = extras.clipGradientNorm ?? null;
  const clipGradientNorm =
    clip === null
      ? null
      : (hyperparameterValue(positive("clipGradientNorm", 1), clip, `${method}: clipGradientNorm`) as number);
  const config: Record<string, number | boolean | string | null> = {
    name,
    learningRate: lr,
    weightDecay: decay,
    l1,
    clipGradientNorm,
  };
  for (const h of descriptor.hyperparameters)
    config[h.name] = hyperparameterValue(h, given[h.name], `${method}: ${h.name}`);
  return config as OptimizerConfig;
}

/** The option that gives back a saved config: its name and hyperparameters (without learning rate and decay). */
export function optimizerOption(config: OptimizerConfig): OptimizerOption {
  const option: Record<string, unknown> = { name: config.name };
  for (const h of OPTIMIZER_DESCRIPTORS[config.name].hyperparameters) option[h.name] = config[h.name];
  return option as OptimizerOption;
}

/** The settings block both backends read: kind, learning rate, weight decay, L1, clipping, then the hyperparameters in slot order. */
export function optimizerSettings(config: OptimizerConfig): Float64Array {
  const descriptor = OPTIMIZER_DESCRIPTORS[config.name];
  const block = new Float64Array(SETTINGS_LENGTH);
  block[SETTING_KIND] = descriptor.id;
  block[SETTING_LEARNING_RATE] = config.learningRate;
  block[SETTING_WEIGHT_DECAY] = config.weightDecay;
  block[SETTING_L1] = config.l1;
  block[SETTING_CLIP] = config.clipGradientNorm ?? 0;
  descriptor.hyperparameters.forEach((h, i) => (block[HYPERPARAMETER_SLOT + i] = Number(config[h.name])));
  return block;
}

/** Values of state the optimizer keeps per parameter. */
export function stateValues(name: OptimizerName): number {
  return OPTIMIZER_DESCRIPTORS[name].stateValues;
}
