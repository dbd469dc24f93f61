// One descriptor per activation: its name and id, its formula, its fixed constants (PyTorch's
// defaults), how its layer's weights are initialised, and its name in menus. Validation, the
// JSON format, explain, the model formats (src/io/activations.ts) and the playground read these;
// the arithmetic is in assembly/activations.ts and its twin src/backends/js/activations.ts.
// Adding one: CONTRIBUTING.md.
import type { Hyperparameter } from "./hyperparameters.js";

/** Activation names; the index is the id in assembly/activations.ts and src/backends/js/activations.ts. */
export const ACTIVATIONS = [
  "linear",
  "sigmoid",
  "tanh",
  "relu",
  "leakyRelu",
  "softmax",
  "elu",
  "gelu",
  "softplus",
  "silu",
] as const;
export type Activation = (typeof ACTIVATIONS)[number];

export interface ActivationDescriptor {
  readonly name: Activation;
  /** the id both backends use: the name's index in ACTIVATIONS */
  readonly id: number;
  /** as a menu shows it */
  readonly label: string;
  /** a = f(z) */
  readonly formula: string;
  /** da/dz, as explain prints it (in terms of z or of a = f(z)) */
  readonly derivative: string;
  /** Glorot-uniform U(±√(6/(fan_in + fan_out))), or He-uniform U(±√(6/fan_in)) for the rectifiers */
  readonly init: "glorot" | "he";
  /** false for softmax: each output depends on the whole row, so its Jacobian is not diagonal */
  readonly elementwise: boolean;
  /** fixed constants, PyTorch's defaults (they are not options) */
  readonly constants: readonly Extract<Hyperparameter, { type: "number" }>[];
  /** as an output, how accuracy counts: the argmax of a row (softmax), each output on its target's side of ½ (sigmoid), or not at all */
  readonly accuracy: "argmax" | "half" | null;
  /** the fewest units a layer of it may have (softmax over one unit is always 1) */
  readonly minUnits: number;
}

type Described = Omit<ActivationDescriptor, "name" | "id" | "accuracy" | "minUnits"> &
  Partial<Pick<ActivationDescriptor, "accuracy" | "minUnits">>;

const DESCRIBED: { [A in Activation]: Described } = {
  // a = z
  linear: { label: "Linear", formula: "a = z", derivative: "1", init: "glorot", elementwise: true, constants: [] },
  // σ(z) = 1/(1+e^−z);  σ′ = σ(1−σ)
  sigmoid: {
    label: "Sigmoid",
    formula: "a = σ(z) = 1/(1 + e^−z)",
    derivative: "σ′(z) = a(1 − a)",
    init: "glorot",
    elementwise: true,
    constants: [],
    accuracy: "half",
  },
  // tanh′ = 1 − tanh²
  tanh: {
    label: "Tanh",
    formula: "a = tanh(z)",
    derivative: "tanh′(z) = 1 − a²",
    init: "glorot",
    elementwise: true,
    constants: [],
  },
  // max(0, z);  1 where z > 0, else 0
  relu: {
    label: "ReLU",
    formula: "a = max(0, z)",
    derivative: "relu′(z) = 1 where z > 0, else 0",
    init: "he",
    elementwise: true,
    constants: [],
  },
  // z > 0 ? z : slope·z (torch.nn.LeakyReLU's negative_slope 0.01)
  leakyRelu: {
    label: "Leaky ReLU",
    formula: "a = z where z > 0, else 0.01·z",
    derivative: "leakyRelu′(z) = 1 where z > 0, else 0.01",
    init: "he",
    elementwise: true,
    constants: [{ name: "slope", type: "number", default: 0.01, min: 0, max: 1 }],
  },
  // aⱼ = e^zⱼ / Σₖ e^zₖ over each row (torch.nn.Softmax(dim=1))
  softmax: {
    label: "Softmax",
    formula: "aⱼ = e^zⱼ / Σₖ e^zₖ",
    derivative: "(its Jacobian: daⱼ/dzₖ = aⱼ(δⱼₖ − aₖ))",
    init: "glorot",
    elementwise: false,
    constants: [],
    accuracy: "argmax",
    minUnits: 2,
  },
  // ELU (Clevert et al. 2016; torch.nn.ELU): z > 0 ? z : α·(e^z − 1);  1 or α·e^z
  elu: {
    label: "ELU",
    formula: "a = z where z > 0, else e^z − 1",
    derivative: "elu′(z) = 1 where z > 0, else e^z",
    init: "he",
    elementwise: true,
    constants: [{ name: "alpha", type: "number", default: 1, min: 0, max: Infinity }],
  },
  // GELU, exact (Hendrycks & Gimpel 2016; torch.nn.GELU()): z·Φ(z), Φ(z) = ½(1 + erf(z/√2));  Φ(z) + z·φ(z)
  gelu: {
    label: "GELU",
    formula: "a = z·Φ(z), Φ(z) = ½(1 + erf(z/√2))",
    derivative: "gelu′(z) = Φ(z) + z·e^(−z²/2)/√(2π)",
    init: "he",
    elementwise: true,
    constants: [],
  },
  // softplus (torch.nn.Softplus): z > threshold ? z : log(1 + e^(βz))/β with β = 1, threshold 20;  σ(z) (1 above)
  softplus: {
    label: "Softplus",
    formula: "a = log(1 + e^z), z where z > 20",
    derivative: "softplus′(z) = σ(z) = 1/(1 + e^−z), 1 where z > 20",
    init: "he",
    elementwise: true,
    constants: [
      { name: "beta", type: "number", default: 1, min: 0, max: Infinity },
      { name: "threshold", type: "number", default: 20, min: 0, max: Infinity },
    ],
  },
  // SiLU / swish (torch.nn.SiLU): z·σ(z);  σ(z)·(1 + z·(1 − σ(z)))
  silu: {
    label: "SiLU",
    formula: "a = z·σ(z) = z/(1 + e^−z)",
    derivative: "silu′(z) = σ(z)·(1 + z·(1 − σ(z)))",
    init: "he",
    elementwise: true,
    constants: [],
  },
};

/** Every activation's descriptor, by name. */
export const ACTIVATION_DESCRIPTORS: { readonly [A in Activation]: ActivationDescriptor } = Object.fromEntries(
  ACTIVATIONS.map((name, id) => [name, { accuracy: null, minUnits: 1, ...DESCRIBED[name], name, id }]),
) as { [A in Activation]: ActivationDescriptor };

/** Outputs accuracy counts per row for a network with this output activation and `outputs` units: 1 (argmax), outputs (½), or 0 (none). */
export function accuracyPerRow(activation: Activation, outputs: number): number {
  const accuracy = ACTIVATION_DESCRIPTORS[activation].accuracy;
  return accuracy === "argmax" ? 1 : accuracy === "half" ? outputs : 0;
}

/** A fixed constant of an activation (e.g. leakyRelu's slope), from its descriptor. */
export function activationConstant(activation: Activation, name: string): number {
  const c = ACTIVATION_DESCRIPTORS[activation].constants.find((k) => k.name === name);
  if (!c) throw new Error(`activation "${activation}" has no constant "${name}"`);
  return c.default;
}
