// Optimizer options: names and hyperparameters, checked and turned into the settings both
// backends take. Definitions follow torch.optim (see assembly/optimizers.ts).
import type { OptimizerSettings } from "../backends/backend.js";
import { describe } from "../errors.js";

/** Optimizer names; the index is the id in assembly/optimizers.ts and src/backends/js/optimizers.ts. */
export const OPTIMIZERS = ["sgd", "momentum", "adam"] as const;
export type OptimizerName = (typeof OPTIMIZERS)[number];

/** An optimizer by name, or with its hyperparameters. */
export type OptimizerOption =
  | OptimizerName
  | { name: "sgd" }
  | { name: "momentum"; momentum?: number; nesterov?: boolean }
  | { name: "adam"; beta1?: number; beta2?: number; epsilon?: number };

/** Values of state each optimizer keeps per parameter: momentum's velocity; Adam's two moments. */
export const STATE_VALUES: Record<OptimizerName, number> = { sgd: 0, momentum: 1, adam: 2 };

/** The learning rate each optimizer uses when none is given (Keras's and PyTorch's usual choices). */
export const DEFAULT_LEARNING_RATES: Record<OptimizerName, number> = { sgd: 0.01, momentum: 0.01, adam: 0.001 };

/** A fully specified optimizer, as saved in toJSON(): the backend's settings, named. */
export interface OptimizerConfig extends Omit<OptimizerSettings, "kind"> {
  name: OptimizerName;
}

function inRange(value: unknown, fallback: number, what: string, lo: number, hi: number, hiOpen: boolean, loOpen = false): number {
  const v = value ?? fallback;
  if (typeof v !== "number") throw new TypeError(`${what} is ${describe(v)}; expected a number`);
  const ok = Number.isFinite(v) && (loOpen ? v > lo : v >= lo) && (hiOpen ? v < hi : v <= hi);
  if (!ok) throw new RangeError(`${what} is ${v}; expected a number in ${loOpen ? "(" : "["}${lo}, ${hi}${hiOpen ? ")" : "]"}`);
  return v;
}

/** Checks an optimizer option with its learning rate and weight decay; throws TypeError or RangeError. */
export function optimizerConfig(option: unknown, learningRate: unknown, weightDecay: unknown, method: string): OptimizerConfig {
  const spec: Record<string, unknown> = typeof option === "string" ? { name: option } : (option as Record<string, unknown>) ?? { name: "adam" };
  if (typeof spec !== "object") throw new TypeError(`${method}: optimizer is ${describe(option)}; expected a name or { name, ... }`);
  const name = spec.name;
  if (typeof name !== "string" || !(OPTIMIZERS as readonly string[]).includes(name))
    throw new TypeError(`${method}: optimizer is ${describe(name)}; expected one of ${OPTIMIZERS.map((n) => `"${n}"`).join(", ")}`);
  const known = { sgd: ["name"], momentum: ["name", "momentum", "nesterov"], adam: ["name", "beta1", "beta2", "epsilon"] }[name as OptimizerName];
  const unknown = Object.keys(spec).find((k) => !known.includes(k));
  if (unknown) throw new TypeError(`${method}: "${name}" has no option "${unknown}"; its options are ${known.slice(1).join(", ") || "none"}`);
  const nesterov = spec.nesterov ?? false;
  if (typeof nesterov !== "boolean") throw new TypeError(`${method}: nesterov is ${describe(nesterov)}; expected true or false`);
  const lr = learningRate ?? DEFAULT_LEARNING_RATES[name as OptimizerName];
  if (typeof lr !== "number") throw new TypeError(`${method}: learningRate is ${describe(lr)}; expected a number > 0`);
  if (!Number.isFinite(lr) || lr <= 0) throw new RangeError(`${method}: learningRate is ${lr}; expected a finite number > 0`);
  return {
    name: name as OptimizerName,
    learningRate: lr,
    weightDecay: inRange(weightDecay, 0, `${method}: weightDecay`, 0, Infinity, true),
    momentum: inRange(spec.momentum, name === "momentum" ? 0.9 : 0, `${method}: momentum`, 0, 1, true),
    nesterov,
    beta1: inRange(spec.beta1, 0.9, `${method}: beta1`, 0, 1, true),
    beta2: inRange(spec.beta2, 0.999, `${method}: beta2`, 0, 1, true),
    epsilon: inRange(spec.epsilon, 1e-8, `${method}: epsilon`, 0, Infinity, true, true),
  };
}

export function optimizerSettings(config: OptimizerConfig): OptimizerSettings {
  return { ...config, kind: OPTIMIZERS.indexOf(config.name) };
}

/** The option that gives back a saved config (its hyperparameters, without learning rate and decay). */
export function optimizerOption(config: OptimizerConfig): OptimizerOption {
  if (config.name === "momentum") return { name: "momentum", momentum: config.momentum, nesterov: config.nesterov };
  if (config.name === "adam") return { name: "adam", beta1: config.beta1, beta2: config.beta2, epsilon: config.epsilon };
  return config.name === "sgd" ? { name: "sgd" } : (config.name as never);
}
