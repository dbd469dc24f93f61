// Activations and their backward passes, the twin of assembly/activations.ts. Backward passes
// work in place on d: dE/da on entry, dE/dz on exit, computed from the net input z or the
// forward output a. Ids match ACTIVATIONS in src/operations/activations.ts.

import { erfc } from "./erf.js";

export const LINEAR = 0;
export const SIGMOID = 1;
export const TANH = 2;
export const RELU = 3;
export const LEAKY_RELU = 4;
export const SOFTMAX = 5;
export const ELU = 6;
export const GELU = 7;
export const SOFTPLUS = 8;
export const SILU = 9;

export const LEAK = 0.01;

// σ(z) = 1/(1+e^−z), written so that e^x never overflows
export function sigmoidOf(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

export function sigmoid(z: Float64Array, a: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) a[i] = sigmoidOf(z[i]!);
}

// dE/dz = dE/dσ · σ(1−σ)
export function sigmoidBackward(a: Float64Array, d: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) d[i] = d[i]! * a[i]! * (1 - a[i]!);
}

export function tanh(z: Float64Array, a: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) a[i] = Math.tanh(z[i]!);
}

// tanh′(z) = 1 − tanh²(z)
export function tanhBackward(a: Float64Array, d: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) d[i] = d[i]! * (1 - a[i]! * a[i]!);
}

export function relu(z: Float64Array, a: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) a[i] = z[i]! > 0 ? z[i]! : 0;
}

// relu′(z) = 1 if z > 0 else 0
export function reluBackward(a: Float64Array, d: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) if (!(a[i]! > 0)) d[i] = 0;
}

export function leakyRelu(z: Float64Array, a: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) a[i] = z[i]! > 0 ? z[i]! : LEAK * z[i]!;
}

// leakyRelu′(z) = 1 if z > 0 else 0.01
export function leakyReluBackward(a: Float64Array, d: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) if (!(a[i]! > 0)) d[i] = d[i]! * LEAK;
}

// softmax(z)ⱼ = e^(zⱼ − max z) / Σₖ e^(zₖ − max z), row by row
export function softmax(z: Float64Array, a: Float64Array, rows: number, cols: number): void {
  for (let i = 0; i < rows; i++) {
    const row = i * cols;
    let max = z[row]!;
    for (let j = 1; j < cols; j++) max = Math.max(max, z[row + j]!);
    let sum = 0;
    for (let j = 0; j < cols; j++) {
      const e = Math.exp(z[row + j]! - max);
      a[row + j] = e;
      sum += e;
    }
    for (let j = 0; j < cols; j++) a[row + j] = a[row + j]! / sum;
  }
}

// dE/dzⱼ = aⱼ · (dE/daⱼ − Σₖ dE/daₖ · aₖ)
export function softmaxBackward(a: Float64Array, d: Float64Array, rows: number, cols: number): void {
  for (let i = 0; i < rows; i++) {
    const row = i * cols;
    let dot = 0;
    for (let j = 0; j < cols; j++) dot += d[row + j]! * a[row + j]!;
    for (let j = 0; j < cols; j++) d[row + j] = a[row + j]! * (d[row + j]! - dot);
  }
}

// ELU (torch.nn.ELU, α = 1): z where z > 0, else α·(e^z − 1), by expm1
const ELU_ALPHA = 1;
export function eluOf(z: number): number {
  return z > 0 ? z : ELU_ALPHA * Math.expm1(z);
}

// GELU, exact (torch.nn.GELU()): z·Φ(z), Φ(z) = ½(1 + erf(z/√2)) computed as ½·erfc(−z/√2)
const SQRT1_2 = Math.SQRT1_2; // 1/√2, 0.7071067811865476 as the core writes it
const INV_SQRT_2PI = 0.3989422804014327; // 1/√(2π)
function normalCdf(z: number): number {
  return 0.5 * erfc(-z * SQRT1_2);
}
export function geluOf(z: number): number {
  return z * normalCdf(z);
}

// softplus (torch.nn.Softplus, β = 1, threshold 20): z where z > 20, else log(1 + e^z)
const SOFTPLUS_THRESHOLD = 20;
export function softplusOf(z: number): number {
  return z > SOFTPLUS_THRESHOLD ? z : Math.log1p(Math.exp(z));
}

// SiLU (torch.nn.SiLU): z·σ(z) = z / (1 + e^−z)
export function siluOf(z: number): number {
  return z / (1 + Math.exp(-z));
}

function elementwise(kind: number, z: Float64Array, a: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) a[i] = activateOne(kind, z[i]!);
}

function elementwiseBackward(kind: number, z: Float64Array, a: Float64Array, d: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) d[i] = backwardOne(kind, z[i]!, a[i]!, d[i]!);
}

// f(z) of one element, for an elementwise activation (not softmax); as the loops above compute it
export function activateOne(kind: number, z: number): number {
  switch (kind) {
    case LINEAR:
      return z;
    case SIGMOID:
      return sigmoidOf(z);
    case TANH:
      return Math.tanh(z);
    case RELU:
      return z > 0 ? z : 0;
    case LEAKY_RELU:
      return z > 0 ? z : LEAK * z;
    case ELU:
      return eluOf(z);
    case GELU:
      return geluOf(z);
    case SOFTPLUS:
      return softplusOf(z);
    case SILU:
      return siluOf(z);
    default:
      throw new RangeError(`activation ${kind} is not elementwise`);
  }
}

// dE/dz of one element from d = dE/da, z and a, for an elementwise activation; as the loops above
export function backwardOne(kind: number, z: number, a: number, d: number): number {
  switch (kind) {
    case LINEAR:
      return d;
    case SIGMOID:
      return d * a * (1 - a);
    case TANH:
      return d * (1 - a * a);
    case RELU:
      return a > 0 ? d : 0;
    case LEAKY_RELU:
      return a > 0 ? d : d * LEAK;
    // α·e^z below 0 (torch's elu_backward from the input)
    case ELU:
      return z > 0 ? d : d * ELU_ALPHA * Math.exp(z);
    // Φ(z) + z·φ(z), φ(z) = e^(−z²/2)/√(2π)
    case GELU:
      return d * (normalCdf(z) + z * Math.exp(-0.5 * z * z) * INV_SQRT_2PI);
    // σ(z) = e^z/(e^z + 1) below the threshold, 1 above (torch's softplus_backward)
    case SOFTPLUS: {
      if (z > SOFTPLUS_THRESHOLD) return d;
      const e = Math.exp(z);
      return (d * e) / (e + 1);
    }
    // σ(z)·(1 + z·(1 − σ(z))) (torch's silu_backward)
    case SILU: {
      const s = 1 / (1 + Math.exp(-z));
      return d * s * (1 + z * (1 - s));
    }
    default:
      throw new RangeError(`activation ${kind} is not elementwise`);
  }
}

export function activate(kind: number, z: Float64Array, a: Float64Array, rows: number, cols: number): void {
  const n = rows * cols;
  switch (kind) {
    case LINEAR:
      a.set(z.subarray(0, n));
      break; // a = z
    case SIGMOID:
      sigmoid(z, a, n);
      break;
    case TANH:
      tanh(z, a, n);
      break;
    case RELU:
      relu(z, a, n);
      break;
    case LEAKY_RELU:
      leakyRelu(z, a, n);
      break;
    case SOFTMAX:
      softmax(z, a, rows, cols);
      break;
    case ELU:
    case GELU:
    case SOFTPLUS:
    case SILU:
      elementwise(kind, z, a, n);
      break;
    default:
      throw new RangeError(`unknown activation ${kind}`); // src/plan.ts checked the id
  }
}

// d ← dE/dz from d = dE/da, the net input z and the output a (linear: unchanged)
export function activateBackward(
  kind: number,
  z: Float64Array,
  a: Float64Array,
  d: Float64Array,
  rows: number,
  cols: number,
): void {
  const n = rows * cols;
  switch (kind) {
    case LINEAR:
      break;
    case SIGMOID:
      sigmoidBackward(a, d, n);
      break;
    case TANH:
      tanhBackward(a, d, n);
      break;
    case RELU:
      reluBackward(a, d, n);
      break;
    case LEAKY_RELU:
      leakyReluBackward(a, d, n);
      break;
    case SOFTMAX:
      softmaxBackward(a, d, rows, cols);
      break;
    case ELU:
    case GELU:
    case SOFTPLUS:
    case SILU:
      elementwiseBackward(kind, z, a, d, n);
      break;
    default:
      throw new RangeError(`unknown activation ${kind}`);
  }
}
