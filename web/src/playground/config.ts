// The playground's whole configuration, seed included, kept in the URL's query so that a link
// reproduces the run exactly. Unknown or out-of-range values fall back to the defaults.
import { ACTIVATION_DESCRIPTORS, ACTIVATIONS, OPTIMIZERS, type Activation, type OptimizerName } from "backprop-wasm";
import { DATA_SETS } from "./datasets.js";
import { FEATURES } from "./features.js";

/** The library's own lists: every elementwise activation (softmax is for outputs), every optimizer. */
export const ACTIVATION_CHOICES: readonly Activation[] = ACTIVATIONS.filter(
  (a) => ACTIVATION_DESCRIPTORS[a].elementwise,
);
export const OPTIMIZER_CHOICES: readonly OptimizerName[] = OPTIMIZERS;
export const LEARNING_RATES = [0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10];
export const WEIGHT_DECAYS = [0, 0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1];
export const L1_VALUES = [0, 0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1];
export const MAX_LAYERS = 6;
/** Speeds, in epochs a second (0: as fast as the worker goes; "frame": one epoch per animation frame). */
export const PACES = { slow: 3, normal: 10, frame: "frame", fastest: 0 } as const;
export type Pace = keyof typeof PACES;
export const MAX_UNITS = 8;

export interface Config {
  data: string;
  noise: number; // percent, 0…50
  trainPercent: number; // 10…90
  seed: number;
  features: string[];
  layers: number[]; // units of each hidden layer
  activation: Activation;
  optimizer: OptimizerName;
  learningRate: number;
  batchSize: number; // 1…30
  weightDecay: number;
  /** L1: λ·sign(w) added to the weights' gradient */
  l1: number;
  showTest: boolean;
  discretize: boolean;
  /** how fast to train, to watch it learn or to be done; the run is the same at any speed */
  pace: Pace;
}

export const DEFAULTS: Config = {
  data: "circle",
  noise: 0,
  trainPercent: 50,
  seed: 1,
  features: ["x", "y"],
  layers: [4, 2],
  activation: "tanh",
  optimizer: "adam",
  learningRate: 0.03,
  batchSize: 10,
  weightDecay: 0,
  l1: 0,
  showTest: false,
  discretize: false,
  pace: "normal",
};

function int(text: string | null, lo: number, hi: number, fallback: number): number {
  const n = Number(text);
  return text !== null && Number.isInteger(n) && n >= lo && n <= hi ? n : fallback;
}

function choice<T>(text: string | null, choices: readonly T[], fallback: T): T {
  return choices.find((c) => String(c) === text) ?? fallback;
}

export function readConfig(search: string): Config {
  const q = new URLSearchParams(search);
  const features = (q.get("features") ?? DEFAULTS.features.join(","))
    .split(",")
    .filter((f) => FEATURES.some((g) => g.name === f));
  const layers = q.has("layers")
    ? (q.get("layers") ?? "")
        .split(",")
        .filter(Boolean)
        .map((u) => int(u, 1, MAX_UNITS, 4))
        .slice(0, MAX_LAYERS)
    : DEFAULTS.layers;
  return {
    data: choice(
      q.get("data"),
      DATA_SETS.map((d) => d.name),
      DEFAULTS.data,
    ),
    noise: int(q.get("noise"), 0, 50, DEFAULTS.noise),
    trainPercent: int(q.get("train"), 10, 90, DEFAULTS.trainPercent),
    seed: int(q.get("seed"), 0, 0xffffffff, DEFAULTS.seed),
    features: features.length > 0 ? features : DEFAULTS.features,
    layers,
    activation: choice(q.get("activation"), ACTIVATION_CHOICES, DEFAULTS.activation),
    optimizer: choice(q.get("optimizer"), OPTIMIZER_CHOICES, DEFAULTS.optimizer),
    learningRate: choice(q.get("lr"), LEARNING_RATES, DEFAULTS.learningRate),
    batchSize: int(q.get("batch"), 1, 30, DEFAULTS.batchSize),
    weightDecay: choice(q.get("l2"), WEIGHT_DECAYS, DEFAULTS.weightDecay),
    l1: choice(q.get("l1"), L1_VALUES, DEFAULTS.l1),
    showTest: q.get("showTest") === "1",
    discretize: q.get("discretize") === "1",
    pace: choice(q.get("pace"), Object.keys(PACES) as Pace[], DEFAULTS.pace),
  };
}

export function writeConfig(config: Config): string {
  const q = new URLSearchParams({
    data: config.data,
    noise: String(config.noise),
    train: String(config.trainPercent),
    seed: String(config.seed),
    features: config.features.join(","),
    layers: config.layers.join(","),
    activation: config.activation,
    optimizer: config.optimizer,
    lr: String(config.learningRate),
    batch: String(config.batchSize),
    l2: String(config.weightDecay),
    l1: String(config.l1),
  });
  if (config.showTest) q.set("showTest", "1");
  if (config.discretize) q.set("discretize", "1");
  if (config.pace !== DEFAULTS.pace) q.set("pace", config.pace);
  return `?${q.toString().replaceAll("%2C", ",")}`;
}
