// How each activation is written in other engines' formats, in one table keyed by the
// activations' names (src/operations/activations.ts): adding an activation is one entry here,
// for both ONNX and TensorFlow.js, and the compiler asks for it.
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
}

/** A Keras/TensorFlow.js activation: an `activation` name of Dense, or a layer after a linear Dense. */
export type KerasForm = { activation: string } | { layer: string; config: Record<string, number> };

export interface ActivationFormats {
  /** what toONNX writes after the layer's Gemm (null: nothing) */
  onnx: OnnxForm | null;
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
};
