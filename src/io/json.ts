// The JSON format (toJSON, Network.fromJSON): the spec, the parameters, the generator's state, the
// optimizer of the last fit with its state, and the standardizer. A file is untrusted: read
// whole and checked (every key known, every length declared and matched, the optimizer's state
// one that training could have produced) before anything is built from it.
import type { TrainingState } from "../backends/backend.js";
import { Standardizer, type StandardizerJSON } from "../data/standardizer.js";
import { toVector } from "../data/rows.js";
import { checkKeys, describe } from "../errors.js";
import type { LossOption } from "../operations/losses.js";
import {
  OPTIMIZER_DESCRIPTORS,
  OPTIMIZERS,
  optimizerConfig,
  stateValues,
  type OptimizerConfig,
} from "../operations/optimizers.js";
import {
  flattenParameters,
  type BackendKind,
  type LayerParameters,
  type LayerSpec,
  type NetworkSpec,
  type Plan,
} from "../plan.js";

/** What `toJSON()` writes and `Network.fromJSON()` reads. */
export interface NetworkJSON {
  format: "backprop-wasm";
  version: 1;
  spec: { inputs: number; layers: LayerSpec[]; loss: LossOption; seed: number };
  parameters: LayerParameters[];
  /** the seeded generator's state, so that later shuffles continue the same stream */
  rng: number;
  /** the optimizer of the last fit and its state (moments, step count) */
  optimizer?: SavedOptimizer;
  standardizer?: StandardizerJSON;
}

/** An optimizer as toJSON() saves it: its config (name, learning rate, weight decay, its own hyperparameters) and its state. */
export type SavedOptimizer = Pick<
  OptimizerConfig,
  "name" | "learningRate" | "weightDecay" | "l1" | "clipGradientNorm"
> & {
  steps: number;
  /** β1ᵗ and β2ᵗ for the optimizers with bias correction, else 1 */
  beta1Power: number;
  beta2Power: number;
  /** the descriptor's stateValues per parameter, each laid out like the parameters */
  state: number[];
  readonly [hyperparameter: string]: unknown;
};

/** What a checked file holds, ready to be written into a new network. */
export interface ReadNetwork {
  plan: Plan;
  parameters: Float64Array;
  rng: number;
  standardizer: Standardizer | null;
  optimizer: { config: OptimizerConfig; state: NonNullable<TrainingState["optimizer"]> } | null;
}

/** Reads and checks a saved network whole; `makePlan` checks its spec (and its memory). */
export function readNetworkJSON(
  json: NetworkJSON | string,
  options: { backend?: BackendKind; threads?: number | "auto" },
  makePlan: (spec: NetworkSpec) => Plan,
): ReadNetwork {
  const data: unknown = typeof json === "string" ? JSON.parse(json) : json;
  if (data === null || typeof data !== "object" || (data as NetworkJSON).format !== "backprop-wasm")
    throw new TypeError(
      `fromJSON: expected an object with format "backprop-wasm" (from toJSON()), got ${describe(data)}`,
    );
  const saved = data as NetworkJSON;
  if (saved.version !== 1)
    throw new TypeError(`fromJSON: version ${String(saved.version)} is not supported; expected 1`);
  if (options === null || typeof options !== "object")
    throw new TypeError(`fromJSON: options are ${describe(options)}; expected { backend, threads }`);
  checkKeys(options, ["backend", "threads"], "fromJSON's options");
  if (saved.spec === null || typeof saved.spec !== "object")
    throw new TypeError(`fromJSON: spec is ${describe(saved.spec)}; expected { inputs, layers, loss, seed }`);
  // the file chooses neither the backend nor the threads: the options do
  const plan = makePlan({ ...saved.spec, backend: options.backend ?? "wasm", threads: options.threads });
  const flat = flattenParameters(plan, saved.parameters, "fromJSON: parameters");
  const rng = saved.rng ?? plan.seed;
  if (!Number.isInteger(rng) || rng < 0 || rng > 0xffffffff)
    throw new TypeError(`fromJSON: rng is ${describe(rng)}; expected an unsigned 32-bit integer`);
  const scaler = saved.standardizer === undefined ? null : Standardizer.fromJSON(saved.standardizer, plan.inputs);
  const savedOptimizer = saved.optimizer === undefined ? null : readOptimizer(saved.optimizer, plan);
  return { plan, parameters: flat, rng, standardizer: scaler, optimizer: savedOptimizer };
}

/** A network as toJSON() writes it. */
export function writeNetworkJSON(
  spec: NetworkJSON["spec"],
  parameters: LayerParameters[],
  state: TrainingState,
  optimizer: OptimizerConfig | null,
  standardizer: Standardizer | null,
): NetworkJSON {
  const json: NetworkJSON = { format: "backprop-wasm", version: 1, spec, parameters, rng: state.rng };
  if (optimizer && state.optimizer) {
    const { steps, beta1Power, beta2Power } = state.optimizer;
    json.optimizer = { ...optimizer, steps, beta1Power, beta2Power, state: Array.from(state.optimizer.state) };
  }
  if (standardizer) json.standardizer = standardizer.toJSON();
  return json;
}

// Keys every saved optimizer has besides its own hyperparameters (its descriptor's).
const SAVED_OPTIMIZER_KEYS = [
  "name",
  "learningRate",
  "weightDecay",
  "l1",
  "clipGradientNorm",
  "steps",
  "beta1Power",
  "beta2Power",
  "state",
];
// Files written before the descriptors (issue 12) hold every optimizer's hyperparameters, the
// foreign ones always at these values: read as such and left out.
const LEGACY_OPTIMIZER_KEYS: Record<string, number | boolean> = {
  momentum: 0,
  nesterov: false,
  beta1: 0.9,
  beta2: 0.999,
  epsilon: 1e-8,
};

// A saved optimizer, checked whole: its settings, and a state that training could have produced
// (moments, step count, β powers), so that resuming cannot diverge at its first batch because of
// the file.
function readOptimizer(
  saved: NonNullable<NetworkJSON["optimizer"]>,
  plan: Plan,
): { config: OptimizerConfig; state: NonNullable<TrainingState["optimizer"]> } {
  if (saved === null || typeof saved !== "object" || Array.isArray(saved))
    throw new TypeError(`fromJSON: optimizer is ${describe(saved)}; expected an object from toJSON()`);
  const o: Record<string, unknown> = { ...saved };
  const name = o.name;
  if (typeof name !== "string" || !(OPTIMIZERS as readonly string[]).includes(name))
    throw new TypeError(
      `fromJSON: optimizer.name is ${describe(name)}; expected one of ${OPTIMIZERS.map((n) => `"${n}"`).join(", ")}`,
    );
  const descriptor = OPTIMIZER_DESCRIPTORS[name as OptimizerConfig["name"]];
  const own = descriptor.hyperparameters.map((h) => h.name);
  for (const [key, value] of Object.entries(LEGACY_OPTIMIZER_KEYS))
    if (!own.includes(key) && o[key] === value) delete o[key];
  checkKeys(o, [...SAVED_OPTIMIZER_KEYS, ...own], "fromJSON: optimizer");
  const hyperparameters = Object.fromEntries(own.map((key) => [key, o[key]]));
  const config = optimizerConfig({ name, ...hyperparameters }, o.learningRate, o.weightDecay, "fromJSON: optimizer", {
    l1: o.l1,
    clipGradientNorm: o.clipGradientNorm,
  });
  const length = stateValues(config.name) * plan.paramCount;
  const state = toVector(o.state, length, "fromJSON: optimizer.state");
  const { steps, beta1Power, beta2Power } = o;
  if (typeof steps !== "number" || !Number.isSafeInteger(steps) || steps < 0)
    throw new TypeError(`fromJSON: optimizer.steps is ${describe(steps)}; expected an integer ≥ 0`);
  const stepped = descriptor.biasCorrection && steps > 0;
  for (const [key, power] of [
    ["beta1Power", beta1Power],
    ["beta2Power", beta2Power],
  ] as const) {
    if (typeof power !== "number")
      throw new TypeError(`fromJSON: optimizer.${key} is ${describe(power)}; expected a number`);
    // β ∈ [0, 1), so after t ≥ 1 steps βᵗ ∈ [0, 1); it stays 1 before the first and for optimizers without bias correction
    if (stepped ? !(power >= 0 && power < 1) : power !== 1)
      throw new RangeError(
        `fromJSON: optimizer.${key} is ${power}; after ${steps} ${config.name} step${steps === 1 ? "" : "s"} it is ${stepped ? "in [0, 1)" : "1"}`,
      );
  }
  if (steps === 0) {
    const initial = descriptor.initialState(config);
    const i = state.findIndex((v) => v !== initial);
    if (i >= 0)
      throw new RangeError(`fromJSON: optimizer.state[${i}] is ${state[i]} before any step; expected ${initial}`);
  }
  const problem = descriptor.checkState(state, plan.paramCount, config);
  if (problem !== null) throw new RangeError(`fromJSON: optimizer.${problem}`);
  return { config, state: { steps, beta1Power: beta1Power as number, beta2Power: beta2Power as number, state } };
}
