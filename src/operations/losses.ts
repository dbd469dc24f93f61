// One descriptor per loss: its name and id, its formula per sample (every loss is summed over a
// sample's outputs and averaged over the rows of a batch), the output activation it is fused
// with, the targets it takes, its hyperparameters, and dE/da for explain. The arithmetic is in
// assembly/losses.ts and its twin src/backends/js/losses.ts. Adding one: CONTRIBUTING.md.
import type { Activation } from "./activations.js";
import type { Hyperparameter } from "./hyperparameters.js";

/** Loss names; the index is the id in assembly/losses.ts and src/backends/js/losses.ts. */
export const LOSSES = ["mse", "crossEntropy", "binaryCrossEntropy"] as const;
export type Loss = (typeof LOSSES)[number];

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
    label: "Mean squared error", formula: "E = ½ Σₖ (tₖ − aₖ)²", derivative: "dE/da = a − t", output: null, targets: "any", hyperparameters: [],
    outputDerivative: (o, t) => o - t,
  },
  // E = −Σₖ tₖ log oₖ, o = softmax(z);  dE/doₖ = −tₖ/oₖ (fused: dE/dzₖ = oₖ·Σⱼtⱼ − tₖ)
  crossEntropy: {
    label: "Cross-entropy", formula: "E = −Σₖ tₖ log aₖ", derivative: "dE/da = −t/a", output: "softmax", targets: "probability",
    hyperparameters: [], outputDerivative: (o, t) => -t / o,
  },
  // E = −Σₖ [tₖ log oₖ + (1 − tₖ) log(1 − oₖ)], o = σ(z);  dE/doₖ = (oₖ − tₖ)/(oₖ(1 − oₖ)) (fused: dE/dzₖ = oₖ − tₖ)
  binaryCrossEntropy: {
    label: "Binary cross-entropy", formula: "E = −Σₖ [tₖ log aₖ + (1 − tₖ) log(1 − aₖ)]", derivative: "dE/da = (a − t)/(a(1 − a))",
    output: "sigmoid", targets: "probability", hyperparameters: [], outputDerivative: (o, t) => (o - t) / (o * (1 - o)),
  },
};

/** Every loss's descriptor, by name. */
export const LOSS_DESCRIPTORS: { readonly [L in Loss]: LossDescriptor } = Object.fromEntries(
  LOSSES.map((name, id) => [name, { ...DESCRIBED[name], name, id }]),
) as { [L in Loss]: LossDescriptor };
