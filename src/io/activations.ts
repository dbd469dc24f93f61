// How each activation is written in other engines' formats, in one table keyed by the
// activations' names (src/operations/activations.ts): adding an activation is one entry here,
// for both ONNX and TensorFlow.js, and the compiler asks for it.
import { ModelFormatError } from "../errors.js";
import { activationConstant, type Activation } from "../operations/activations.js";

const LEAK = activationConstant("leakyRelu", "slope");

/** An ONNX op that computes an activation on a [N, units] tensor, and the attribute values it must have. */
export interface OnnxForm {
  op: string;
  /** the lowest opset (of the default domain) toONNX writes with this op; 13 if left out */
  opset?: number;
  /** INT attributes: the value written first, every value read as this activation next; a left-out attribute must default to one of them */
  ints?: Record<string, number[]>;
  /** FLOAT attributes: the exact value, written and compared as float32 (ONNX's attribute type); a left-out one must default to it */
  floats?: Record<string, number>;
  /** PRelu: the slope, a constant second input; written as a tensor in the model's precision, so 0.01 is exact in float64 */
  slope?: number;
  /**
   * an activation ONNX has no op for, written as a few ops on the layer's z (onnx.ts composeNodes) and read
   * back as one (onnx.ts fuseComposed); `op` then names the composition
   */
  compose?: "silu" | "softplus";
}

/** A Keras/TensorFlow.js activation: an `activation` name of Dense, or a layer after a linear Dense. */
export type KerasForm = { activation: string } | { layer: string; config: Record<string, number> };

export interface ActivationFormats {
  /** what toONNX writes after the layer's Gemm (null: nothing), or why it cannot write the activation exactly */
  onnx: OnnxForm | null | { refused: string };
  /** other ONNX forms fromONNX reads as this activation */
  onnxAlso?: OnnxForm[];
  keras: KerasForm;
}

export const ACTIVATION_FORMATS: Record<Activation, ActivationFormats> = {
  linear: { onnx: null, keras: { activation: "linear" } },
  sigmoid: { onnx: { op: "Sigmoid" }, keras: { activation: "sigmoid" } },
  tanh: { onnx: { op: "Tanh" }, keras: { activation: "tanh" } },
  relu: { onnx: { op: "Relu" }, keras: { activation: "relu" } },
  // LeakyRelu's alpha is a float32 attribute (0.01 → 0.009999999776482582), so it is written as
  // PRelu with an exact slope; torch writes LeakyRelu, whose alpha 0.01f is read as the 0.01 it rounds.
  // Opset 16: PRelu-16 has a function body, which onnxruntime runs in float64 (it has no double PRelu-9 kernel)
  leakyRelu: {
    onnx: { op: "PRelu", opset: 16, slope: LEAK },
    onnxAlso: [{ op: "LeakyRelu", floats: { alpha: LEAK } }],
    keras: { layer: "LeakyReLU", config: { alpha: LEAK } },
  },
  // softmax over the units of each row: axis 1 (= −1) of [N, units]; Softmax-13's default is −1, earlier opsets' 1
  softmax: { onnx: { op: "Softmax", ints: { axis: [1, -1] } }, keras: { activation: "softmax" } },
  // Elu-6's alpha 1.0 is exact as a float32; onnxruntime runs it in float64 from opset 18
  elu: {
    onnx: { op: "Elu", opset: 18, floats: { alpha: activationConstant("elu", "alpha") } },
    keras: { activation: "elu" },
  },
  gelu: {
    onnx: {
      refused:
        "onnxruntime has no float64 kernel for Gelu or Erf, and no exact composition of the ops it runs in float64",
    },
    keras: { activation: "gelu" },
  },
  // ONNX's Softplus has no threshold (torch's 20; above it the two differ by up to 10⁻¹⁰ relatively), so
  // Where(z > 20, z, Softplus(z)); onnxruntime runs Softplus in float64 from opset 18
  softplus: {
    onnx: { op: "Where(z > 20, z, Softplus(z))", compose: "softplus", opset: 18 },
    keras: { activation: "softplus" },
  },
  // z / (1 + e^−z) as Neg, Exp, Add, Div (onnxruntime fuses z·Sigmoid(z) into a QuickGelu it has no float64 kernel for);
  // z·Sigmoid(z), torch's export of nn.SiLU, is read too
  silu: { onnx: { op: "z / (1 + Exp(−z))", compose: "silu" }, keras: { activation: "swish" } },
};

/** The ONNX form of an activation, or null (nothing to write); throws a ModelFormatError naming the layer if ONNX cannot hold it exactly. */
export function onnxForm(activation: Activation, layer: string): OnnxForm | null {
  const form = ACTIVATION_FORMATS[activation].onnx;
  if (form !== null && "refused" in form)
    throw new ModelFormatError(
      `toONNX: ${layer} is a "${activation}" layer, which is not written to ONNX: ${form.refused}`,
    );
  return form;
}
