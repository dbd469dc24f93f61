// Activations a = f(z) over rows×cols, and their backward passes. Every backward pass works
// in place on d: on entry d holds dE/da, on exit dE/dz, computed from the net input z or the
// forward output a, whichever the derivative is cheaper and more exact from.
// Ids match ACTIVATIONS in src/operations/activations.ts. Twin: src/backends/js/activations.ts.

import { expLanes } from "./exp";
import { erfc } from "./erf";
import { copyValues } from "./memory";

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

// slope of leakyRelu for z < 0
export const LEAK: f64 = 0.01;

// σ(z) = 1/(1+e^−z), written so that e^x never overflows
// @ts-ignore: decorator
@inline export function sigmoidOf(z: f64): f64 {
  if (z >= 0) return 1.0 / (1.0 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1.0 + e);
}

export function sigmoid(z: usize, a: usize, n: i32): void {
  // two at a time, with sigmoidOf's bits: e = e^−|z| is e^−z for z ≥ 0 and e^z for z < 0, and a
  // lane mask picks the numerator, 1 or e (test/activation-lanes.test.ts)
  const one = f64x2.splat(1.0), zero = f64x2.splat(0.0);
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const at = <usize>i << 3;
    const zs = v128.load(z + at);
    const e = expLanes(f64x2.neg(f64x2.abs(zs)));
    v128.store(a + at, f64x2.div(v128.bitselect(one, e, f64x2.ge(zs, zero)), f64x2.add(one, e)));
  }
  if (i < n) activateTail(SIGMOID, z, a, i);
}

// dE/dz = dE/dσ · σ(1−σ), reusing the forward output
export function sigmoidBackward(a: usize, d: usize, n: i32): void {
  const one = f64x2.splat(1.0);
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const at = <usize>i << 3;
    const s = v128.load(a + at);
    v128.store(d + at, f64x2.mul(f64x2.mul(v128.load(d + at), s), f64x2.sub(one, s)));
  }
  if (i < n) backwardTail(SIGMOID, a, d, i);
}

// tanh(z) for |z| ≥ 0.625 is 1 − 2/(e^2|z| + 1); below, where that would cancel, Cephes'
// rational approximation |z| + |z|³·P(z²)/Q(z²) (S. L. Moshier, Cephes Math Library, tanh.c);
// then the sign of z. Within 2 units in the last place of a correctly rounded tanh
// (test/activation-lanes.test.ts), and unlike Math.tanh (musl's, through expm1, with a branch per
// range of |z|) it runs over f64x2 lanes with the same bits.
const P0 = -9.64399179425052238628e-1, P1 = -9.92877231001918586564e1, P2 = -1.61468768441708447952e3;
const Q0 = 1.12811678491632931402e2, Q1 = 2.23548839060100448583e3, Q2 = 4.84406305325125486048e3;
const TANH_FAR: f64 = 0.625;

// @ts-ignore: decorator
@inline export function tanhOf(z: f64): f64 {
  const y = Math.abs(z);
  let t: f64;
  if (y >= TANH_FAR) {
    t = 1.0 - 2.0 / (Math.exp(2.0 * y) + 1.0);
  } else {
    const s = y * y;
    t = y + y * s * (((P0 * s + P1) * s + P2) / (((s + Q0) * s + Q1) * s + Q2));
  }
  return copysign<f64>(t, z);
}

export function tanh(z: usize, a: usize, n: i32): void {
  // two at a time, with tanhOf's bits: both forms in every lane, the lane mask picks one
  const one = f64x2.splat(1.0), two = f64x2.splat(2.0), far = f64x2.splat(TANH_FAR);
  const sign = i64x2.splat(0x8000000000000000);
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const at = <usize>i << 3;
    const zs = v128.load(z + at);
    const y = f64x2.abs(zs);
    const tFar = f64x2.sub(one, f64x2.div(two, f64x2.add(expLanes(f64x2.mul(two, y)), one)));
    const s = f64x2.mul(y, y);
    const p = f64x2.add(f64x2.mul(f64x2.add(f64x2.mul(f64x2.splat(P0), s), f64x2.splat(P1)), s), f64x2.splat(P2));
    const q = f64x2.add(f64x2.mul(f64x2.add(f64x2.mul(f64x2.add(s, f64x2.splat(Q0)), s), f64x2.splat(Q1)), s), f64x2.splat(Q2));
    const tNear = f64x2.add(y, f64x2.mul(f64x2.mul(y, s), f64x2.div(p, q)));
    const t = v128.bitselect(tFar, tNear, f64x2.ge(y, far));
    v128.store(a + at, v128.bitselect(zs, t, sign)); // copysign: the sign bit of z, the rest of t
  }
  if (i < n) activateTail(TANH, z, a, i);
}

// tanh′(z) = 1 − tanh²(z)
export function tanhBackward(a: usize, d: usize, n: i32): void {
  const one = f64x2.splat(1.0);
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const at = <usize>i << 3;
    const t = v128.load(a + at);
    v128.store(d + at, f64x2.mul(v128.load(d + at), f64x2.sub(one, f64x2.mul(t, t))));
  }
  if (i < n) backwardTail(TANH, a, d, i);
}

// The rectifiers select by a lane mask, not a branch: the sign of z is as good as random.
export function relu(z: usize, a: usize, n: i32): void {
  const zero = f64x2.splat(0.0);
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const v = v128.load(z + (<usize>i << 3));
    v128.store(a + (<usize>i << 3), v128.and(v, f64x2.gt(v, zero)));
  }
  if (i < n) activateTail(RELU, z, a, i);
}

// relu′(z) = 1 if z > 0 else 0; a > 0 exactly when z > 0
export function reluBackward(a: usize, d: usize, n: i32): void {
  const zero = f64x2.splat(0.0);
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const at = <usize>i << 3;
    v128.store(d + at, v128.and(v128.load(d + at), f64x2.gt(v128.load(a + at), zero)));
  }
  if (i < n) backwardTail(RELU, a, d, i);
}

export function leakyRelu(z: usize, a: usize, n: i32): void {
  const zero = f64x2.splat(0.0), leak = f64x2.splat(LEAK);
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const v = v128.load(z + (<usize>i << 3));
    v128.store(a + (<usize>i << 3), v128.bitselect(v, f64x2.mul(leak, v), f64x2.gt(v, zero)));
  }
  if (i < n) activateTail(LEAKY_RELU, z, a, i);
}

// leakyRelu′(z) = 1 if z > 0 else 0.01; a has the sign of z
export function leakyReluBackward(a: usize, d: usize, n: i32): void {
  const zero = f64x2.splat(0.0), leak = f64x2.splat(LEAK);
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const at = <usize>i << 3;
    const g = v128.load(d + at);
    v128.store(d + at, v128.bitselect(g, f64x2.mul(g, leak), f64x2.gt(v128.load(a + at), zero)));
  }
  if (i < n) backwardTail(LEAKY_RELU, a, d, i);
}

// softmax(z)ⱼ = e^(zⱼ − max z) / Σₖ e^(zₖ − max z), row by row;
// subtract max(z) first, so exp cannot overflow
export function softmax(z: usize, a: usize, rows: i32, cols: i32): void {
  for (let i = 0; i < rows; i++) {
    const zRow = z + (<usize>(i * cols) << 3);
    const aRow = a + (<usize>(i * cols) << 3);
    let max = load<f64>(zRow);
    for (let j = 1; j < cols; j++) max = Math.max(max, load<f64>(zRow + (<usize>j << 3)));
    let sum = 0.0;
    for (let j = 0; j < cols; j++) {
      const e = Math.exp(load<f64>(zRow + (<usize>j << 3)) - max);
      store<f64>(aRow + (<usize>j << 3), e);
      sum += e;
    }
    for (let j = 0; j < cols; j++) {
      const p = aRow + (<usize>j << 3);
      store<f64>(p, load<f64>(p) / sum);
    }
  }
}

// dE/dzⱼ = aⱼ · (dE/daⱼ − Σₖ dE/daₖ · aₖ)   (the softmax Jacobian times dE/da, row by row)
export function softmaxBackward(a: usize, d: usize, rows: i32, cols: i32): void {
  for (let i = 0; i < rows; i++) {
    const aRow = a + (<usize>(i * cols) << 3);
    const dRow = d + (<usize>(i * cols) << 3);
    let dot = 0.0;
    for (let j = 0; j < cols; j++) dot += load<f64>(dRow + (<usize>j << 3)) * load<f64>(aRow + (<usize>j << 3));
    for (let j = 0; j < cols; j++) {
      const p = dRow + (<usize>j << 3);
      store<f64>(p, load<f64>(aRow + (<usize>j << 3)) * (load<f64>(p) - dot));
    }
  }
}

// ELU (Clevert et al. 2016; torch.nn.ELU, α = 1): z where z > 0, else α·(e^z − 1), by expm1
const ELU_ALPHA: f64 = 1.0;
// @ts-ignore: decorator
@inline export function eluOf(z: f64): f64 {
  return z > 0 ? z : ELU_ALPHA * Math.expm1(z);
}

// GELU, exact (Hendrycks & Gimpel 2016; torch.nn.GELU(approximate="none")): z·Φ(z), Φ(z) = ½(1 + erf(z/√2)),
// computed as ½·erfc(−z/√2), which does not cancel for z ≪ 0
const SQRT1_2: f64 = 0.7071067811865476; // 1/√2
const INV_SQRT_2PI: f64 = 0.3989422804014327; // 1/√(2π)
// @ts-ignore: decorator
@inline function normalCdf(z: f64): f64 {
  return 0.5 * erfc(-z * SQRT1_2);
}
// @ts-ignore: decorator
@inline export function geluOf(z: f64): f64 {
  return z * normalCdf(z);
}

// softplus (torch.nn.Softplus, β = 1, threshold 20): z where z > 20, else log(1 + e^z)
const SOFTPLUS_THRESHOLD: f64 = 20.0;
// @ts-ignore: decorator
@inline export function softplusOf(z: f64): f64 {
  return z > SOFTPLUS_THRESHOLD ? z : Math.log1p(Math.exp(z));
}

// SiLU (swish; torch.nn.SiLU): z·σ(z) = z / (1 + e^−z)
// @ts-ignore: decorator
@inline export function siluOf(z: f64): f64 {
  return z / (1.0 + Math.exp(-z));
}

// a = f(z) elementwise, for the activations without a loop over lanes
function elementwise(kind: i32, z: usize, a: usize, n: i32): void {
  for (let i = 0; i < n; i++) store<f64>(a + (<usize>i << 3), activateOne(kind, load<f64>(z + (<usize>i << 3))));
}

// dE/dz elementwise from d = dE/da, z and a
function elementwiseBackward(kind: i32, z: usize, a: usize, d: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    const at = <usize>i << 3;
    store<f64>(d + at, backwardOne(kind, z + at, load<f64>(a + at), load<f64>(d + at)));
  }
}

// f(z) of one element, for an elementwise activation (not softmax); as the loops above compute it.
// A chain of ifs, not a switch: the tiny layers' loops (network.ts) call it per element, and a
// compare or two is cheaper there than a jump table.
// @ts-ignore: decorator
@inline export function activateOne(kind: i32, z: f64): f64 {
  if (kind == SIGMOID) return sigmoidOf(z);
  if (kind == TANH) return tanhOf(z);
  if (kind == RELU) return z > 0 ? z : 0.0;
  if (kind == LEAKY_RELU) return z > 0 ? z : LEAK * z;
  if (kind == LINEAR) return z;
  return activateOther(kind, z);
}

// the activations without lanes, out of line, so that the loops inlining activateOne stay small
function activateOther(kind: i32, z: f64): f64 {
  if (kind == ELU) return eluOf(z);
  if (kind == GELU) return geluOf(z);
  if (kind == SOFTPLUS) return softplusOf(z);
  if (kind == SILU) return siluOf(z);
  return unreachable(); // softmax is not elementwise
}

// dE/dz of one element from d = dE/da, the output a and the net input z (read from zAt only by
// the activations whose derivative needs it); as the loops above
// @ts-ignore: decorator
@inline export function backwardOne(kind: i32, zAt: usize, a: f64, d: f64): f64 {
  if (kind == SIGMOID) return d * a * (1.0 - a);
  if (kind == TANH) return d * (1.0 - a * a);
  if (kind == RELU) return a > 0 ? d : 0.0;
  if (kind == LEAKY_RELU) return a > 0 ? d : d * LEAK;
  if (kind == LINEAR) return d;
  return backwardOther(kind, zAt, d);
}

// the derivatives from z, out of line (as activateOther)
function backwardOther(kind: i32, zAt: usize, d: f64): f64 {
  const z = load<f64>(zAt);
  // α·e^z below 0 (torch's elu_backward from the input)
  if (kind == ELU) return z > 0 ? d : d * ELU_ALPHA * Math.exp(z);
  // Φ(z) + z·φ(z), φ(z) = e^(−z²/2)/√(2π)
  if (kind == GELU) return d * (normalCdf(z) + z * Math.exp(-0.5 * z * z) * INV_SQRT_2PI);
  // σ(z) = e^z/(e^z + 1) below the threshold, 1 above (torch's softplus_backward)
  if (kind == SOFTPLUS) {
    if (z > SOFTPLUS_THRESHOLD) return d;
    const e = Math.exp(z);
    return (d * e) / (e + 1.0);
  }
  // σ(z)·(1 + z·(1 − σ(z))) (torch's silu_backward)
  if (kind == SILU) {
    const s = 1.0 / (1.0 + Math.exp(-z));
    return d * s * (1.0 + z * (1.0 - s));
  }
  return unreachable(); // softmax is not elementwise
}

// the last element of an odd count, for the loops over lanes above
// @ts-ignore: decorator
@inline function activateTail(kind: i32, z: usize, a: usize, i: i32): void {
  store<f64>(a + (<usize>i << 3), activateOne(kind, load<f64>(z + (<usize>i << 3))));
}

// @ts-ignore: decorator
@inline function backwardTail(kind: i32, a: usize, d: usize, i: i32): void {
  const p = d + (<usize>i << 3);
  store<f64>(p, backwardOne(kind, 0, load<f64>(a + (<usize>i << 3)), load<f64>(p))); // the activations with lanes read a only
}

// a = f(z) for the activation with id `kind`
export function activate(kind: i32, z: usize, a: usize, rows: i32, cols: i32): void {
  const n = rows * cols;
  switch (kind) {
    case LINEAR: copyValues(a, z, n); break; // a = z (no memory.copy: kernels.ts)
    case SIGMOID: sigmoid(z, a, n); break;
    case TANH: tanh(z, a, n); break;
    case RELU: relu(z, a, n); break;
    case LEAKY_RELU: leakyRelu(z, a, n); break;
    case SOFTMAX: softmax(z, a, rows, cols); break;
    case ELU: case GELU: case SOFTPLUS: case SILU: elementwise(kind, z, a, n); break;
    default: unreachable(); // src/plan.ts checked the id
  }
}

// d ← dE/dz from d = dE/da, the net input z and the output a (linear: unchanged)
export function activateBackward(kind: i32, z: usize, a: usize, d: usize, rows: i32, cols: i32): void {
  const n = rows * cols;
  switch (kind) {
    case LINEAR: break;
    case SIGMOID: sigmoidBackward(a, d, n); break;
    case TANH: tanhBackward(a, d, n); break;
    case RELU: reluBackward(a, d, n); break;
    case LEAKY_RELU: leakyReluBackward(a, d, n); break;
    case SOFTMAX: softmaxBackward(a, d, rows, cols); break;
    case ELU: case GELU: case SOFTPLUS: case SILU: elementwiseBackward(kind, z, a, d, n); break;
    default: unreachable();
  }
}
