// The contract between Network (src/network.ts) and the engines that do the arithmetic.
// Arguments arrive validated: row-major data of the right widths, finite values, rows ≥ 1.
// Every method computes the same thing on both backends; see assembly/network.ts.
import type { BackendKind, Plan } from "../plan.js";

/** One layer's values for a batch after a forward and backward pass, each rows×units. */
export interface LayerTrace {
  z: Float64Array;
  a: Float64Array;
  /** dE/dz */
  dZ: Float64Array;
}

export interface Backend {
  readonly kind: BackendKind;
  /** Seeded initial parameters (Glorot-uniform, He-uniform for relu layers; zero biases). */
  initParameters(seed: number): void;
  /** A copy of the flat parameters [W1 b1 W2 b2 …]. */
  readParameters(): Float64Array;
  writeParameters(flat: Float64Array): void;
  /** Outputs rows×outputs, a copy. */
  predict(x: Float64Array, rows: number): Float64Array;
  loss(x: Float64Array, y: Float64Array, rows: number): number;
  /** dE/dθ averaged over rows, flat like the parameters (a copy), and the loss. */
  gradients(x: Float64Array, y: Float64Array, rows: number): { loss: number; gradients: Float64Array };
  /** One gradient-descent step; returns the loss before it. */
  trainStep(x: Float64Array, y: Float64Array, rows: number, learningRate: number): number;
  /** z, a and dE/dz of every layer for the batch, without changing the parameters. */
  trace(x: Float64Array, y: Float64Array, rows: number): LayerTrace[];
  dispose(): void;
}

export type BackendFactory = (plan: Plan) => Promise<Backend>;
