// One descriptor per loss: its name and id, its formula per sample (every loss is summed over a
// sample's outputs and averaged over the rows of a batch), the output activation it is fused
// with, the targets it takes, its hyperparameters, and dE/da for explain. The arithmetic is in
// assembly/losses.ts and its twin src/backends/js/losses.ts. Adding one: CONTRIBUTING.md.
import type { Activation } from "./activations.js";
import { checkKeys, describe } from "../errors.js";
import { hyperparameterValues, type Hyperparameter } from "./hyperparameters.js";

/** Loss names; the index is the id in assembly/losses.ts and src/backends/js/losses.ts. */
export const LOSSES = ["mse", "crossEntropy", "binaryCrossEntropy", "huber", "mae"] as const;
export type Loss = (typeof LOSSES)[number];

/** A loss by name, or with its hyperparameters. */
export type LossOption = Loss | { name: "huber"; delta?: number };

export interface LossDescriptor {
  readonly name: Loss;
  /** the id both backends use: the name's index in LOSSES */
  readonly id: number;
  readonly label: string;
  /** E for one sample */
  readonly formula: string;
  /** dE/da at the output, as explain prints it */
  readonly derivative: string;
  /** the output activation the loss is computed with from the logits (its gradient fused: dE/dz = o − t), or null: any */
  readonly output: Activation | null;
  /** "probability": targets in [0, 1] */
  readonly targets: "any" | "probability";
  /** options besides the name, `{ name, ...hyperparameters }` */
  readonly hyperparameters: readonly Hyperparameter[];
  /** dE/da for one output o against its target t (explain shows it; the backends fuse it for probability losses) */
  outputDerivative(o: number, t: number, hyperparameters: Readonly<Record<string, number>>): number;
}

type Described = Omit<LossDescriptor, "name" | "id">;

const DESCRIBED: { [L in Loss]: Described } = {
  // E = ½ Σₖ (tₖ − oₖ)² (the seed's total error);  dE/doₖ = oₖ − tₖ
  mse: {
    label: "Mean squared error",
    formula: "E = ½ Σₖ (tₖ − aₖ)²",
    derivative: "dE/da = a − t",
    output: null,
    targets: "any",
    hyperparameters: [],
    outputDerivative: (o, t) => o - t,
  },
  // E = −Σₖ tₖ log oₖ, o = softmax(z);  dE/doₖ = −tₖ/oₖ (fused: dE/dzₖ = oₖ·Σⱼtⱼ − tₖ)
  crossEntropy: {
    label: "Cross-entropy",
    formula: "E = −Σₖ tₖ log aₖ",
    derivative: "dE/da = −t/a",
    output: "softmax",
    targets: "probability",
    hyperparameters: [],
    outputDerivative: (o, t) => -t / o,
  },
  // E = −Σₖ [tₖ log oₖ + (1 − tₖ) log(1 − oₖ)], o = σ(z);  dE/doₖ = (oₖ − tₖ)/(oₖ(1 − oₖ)) (fused: dE/dzₖ = oₖ − tₖ)
  binaryCrossEntropy: {
    label: "Binary cross-entropy",
    formula: "E = −Σₖ [tₖ log aₖ + (1 − tₖ) log(1 − aₖ)]",
    derivative: "dE/da = (a − t)/(a(1 − a))",
    output: "sigmoid",
    targets: "probability",
    hyperparameters: [],
    outputDerivative: (o, t) => (o - t) / (o * (1 - o)),
  },
  // Huber (torch.nn.HuberLoss, δ = 1): per output ½e² where |e| < δ, else δ·(|e| − ½δ), e = oₖ − tₖ;  dE/doₖ = e clamped to [−δ, δ]
  huber: {
    label: "Huber",
    formula: "E = Σₖ h(aₖ − tₖ), h(e) = ½e² where |e| < δ, else δ(|e| − ½δ)",
    derivative: "dE/da = a − t clamped to [−δ, δ]",
    output: null,
    targets: "any",
    hyperparameters: [
      { name: "delta", type: "number", default: 1, min: 0, max: Infinity, minOpen: true, maxOpen: true },
    ],
    outputDerivative: (o, t, { delta = 1 }) => Math.min(Math.max(o - t, -delta), delta),
  },
  // mean absolute error (torch.nn.L1Loss): E = Σₖ |tₖ − oₖ|;  dE/doₖ = sign(oₖ − tₖ)
  mae: {
    label: "Mean absolute error",
    formula: "E = Σₖ |tₖ − aₖ|",
    derivative: "dE/da = sign(a − t)",
    output: null,
    targets: "any",
    hyperparameters: [],
    outputDerivative: (o, t) => Math.sign(o - t),
  },
};

/** A loss option checked: its name and hyperparameters (the defaults where left out); a TypeError or RangeError naming what is wrong. */
export function lossOption(option: unknown, what: string): { loss: Loss; hyperparameters: Record<string, number> } {
  const given = typeof option === "string" ? { name: option } : option;
  if (given === null || typeof given !== "object" || Array.isArray(given))
    throw new TypeError(
      `${what} is ${describe(option)}; expected one of ${LOSSES.map((n) => `"${n}"`).join(", ")}, or { name, ... }`,
    );
  const name = (given as { name?: unknown }).name;
  if (typeof name !== "string" || !(LOSSES as readonly string[]).includes(name))
    throw new TypeError(
      `${what} is ${describe(typeof option === "string" ? option : name)}; expected one of ${LOSSES.map((n) => `"${n}"`).join(", ")}`,
    );
  const descriptor = LOSS_DESCRIPTORS[name as Loss];
  checkKeys(given, ["name", ...descriptor.hyperparameters.map((h) => h.name)], what);
  return {
    loss: name as Loss,
    hyperparameters: hyperparameterValues(descriptor.hyperparameters, given as Record<string, unknown>, what) as Record<
      string,
      number
    >,
  };
}

/** The option that gives back a loss: its name, or `{ name, ...hyperparameters }` for a loss that has some. */
export function lossOptionOf(loss: Loss, hyperparameters: Readonly<Record<string, number>>): LossOption {
  return LOSS_DESCRIPTORS[loss].hyperparameters.length === 0
    ? loss
    : ({ name: loss, ...hyperparameters } as LossOption);
}

/** Every loss's descriptor, by name. */
export const LOSS_DESCRIPTORS: { readonly [L in Loss]: LossDescriptor } = Object.fromEntries(
  LOSSES.map((name, id) => [name, { ...DESCRIBED[name], name, id }]),
) as { [L in Loss]: LossDescriptor };
