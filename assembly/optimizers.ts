// Parameter updates on pointers, following torch.optim's definitions. Twin:
// src/backends/js/optimizers.ts.
//
// A step that would make anything non-finite is never written: the parameters keep their last
// finite values. Every update therefore computes each new value once, into places the network
// does not read as its state: the new parameters into the gradients' place, the new state
// (momentum, Adam) into `next`, the optimizer's spare state (training.ts); it says whether all
// are finite, and only when every block's are does the caller copy the parameters in
// (network.ts, commitLayers) and make the spare state the current one.
// Weight decay (L2) adds λ·θ to the gradient; callers pass λ = 0 for biases.
import { free } from "./memory";

// Each update runs over f64x2 lanes (the same per-element arithmetic as the scalar tail and
// the JS twin, so results are identical) and folds every lane's finiteness into one mask
// instead of branching per element.

// @ts-ignore: decorator
@inline function finite(x: f64): bool {
  return x - x == 0; // false for NaN and ±Infinity
}

// @ts-ignore: decorator
@inline function finiteLanes(x: v128): v128 {
  return f64x2.eq(f64x2.sub(x, x), f64x2.splat(0));
}

// SGD: θ ← θ − lr · (g + λθ)   (with λ = 0, the seed's plain gradient descent)
export function sgdStep(params: usize, grads: usize, n: i32, lr: f64, decay: f64): bool {
  const lrV = f64x2.splat(lr), decayV = f64x2.splat(decay);
  let ok = i64x2.splat(-1);
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const at = <usize>i << 3;
    const theta = v128.load(params + at);
    const next = f64x2.sub(theta, f64x2.mul(lrV, f64x2.add(v128.load(grads + at), f64x2.mul(decayV, theta))));
    v128.store(grads + at, next);
    ok = v128.and(ok, finiteLanes(next));
  }
  if (i < n) {
    const at = <usize>i << 3;
    const theta = load<f64>(params + at);
    const next = theta - lr * (load<f64>(grads + at) + decay * theta);
    store<f64>(grads + at, next);
    if (!finite(next)) return false;
  }
  return i64x2.all_true(ok);
}

// SGD with momentum (dampening 0): v ← μ·v + g;  θ ← θ − lr·v, or with Nesterov θ ← θ − lr·(g + μ·v)
export function momentumStep(
  params: usize, grads: usize, velocity: usize, velocityNext: usize, n: i32, lr: f64, decay: f64, mu: f64, nesterov: bool,
): bool {
  const lrV = f64x2.splat(lr), decayV = f64x2.splat(decay), muV = f64x2.splat(mu);
  let ok = i64x2.splat(-1);
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const at = <usize>i << 3;
    const theta = v128.load(params + at);
    const g = f64x2.add(v128.load(grads + at), f64x2.mul(decayV, theta));
    const v = f64x2.add(f64x2.mul(muV, v128.load(velocity + at)), g);
    const next = f64x2.sub(theta, f64x2.mul(lrV, nesterov ? f64x2.add(g, f64x2.mul(muV, v)) : v));
    v128.store(velocityNext + at, v);
    v128.store(grads + at, next);
    ok = v128.and(ok, v128.and(finiteLanes(next), finiteLanes(v)));
  }
  if (i < n) {
    const at = <usize>i << 3;
    const theta = load<f64>(params + at);
    const g = load<f64>(grads + at) + decay * theta;
    const v = mu * load<f64>(velocity + at) + g;
    const next = theta - lr * (nesterov ? g + mu * v : v);
    store<f64>(velocityNext + at, v);
    store<f64>(grads + at, next);
    if (!finite(next) || !finite(v)) return false;
  }
  return i64x2.all_true(ok);
}

// Adam (Kingma & Ba 2015, Alg. 1, as torch.optim.Adam computes it):
//   m ← β1·m + (1−β1)·g;  v ← β2·v + (1−β2)·g²;  θ ← θ − (lr / (1−β1ᵗ)) · m / (√v / √(1−β2ᵗ) + ε)
// bias1 = 1 − β1ᵗ and bias2 = 1 − β2ᵗ come from the caller (β powers kept by repeated product).
export function adamStep(
  params: usize, grads: usize, m: usize, v: usize, mNext: usize, vNext: usize, n: i32, lr: f64, decay: f64,
  beta1: f64, beta2: f64, epsilon: f64, bias1: f64, bias2: f64,
): bool {
  const stepSize = lr / bias1;
  const bias2Root = Math.sqrt(bias2);
  const decayV = f64x2.splat(decay), beta1V = f64x2.splat(beta1), beta2V = f64x2.splat(beta2);
  const rest1V = f64x2.splat(1.0 - beta1), rest2V = f64x2.splat(1.0 - beta2);
  const stepV = f64x2.splat(stepSize), rootV = f64x2.splat(bias2Root), epsilonV = f64x2.splat(epsilon);
  let ok = i64x2.splat(-1);
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const at = <usize>i << 3;
    const theta = v128.load(params + at);
    const g = f64x2.add(v128.load(grads + at), f64x2.mul(decayV, theta));
    const mi = f64x2.add(f64x2.mul(beta1V, v128.load(m + at)), f64x2.mul(rest1V, g));
    const vi = f64x2.add(f64x2.mul(beta2V, v128.load(v + at)), f64x2.mul(f64x2.mul(rest2V, g), g));
    const next = f64x2.sub(theta, f64x2.mul(stepV, f64x2.div(mi, f64x2.add(f64x2.div(f64x2.sqrt(vi), rootV), epsilonV))));
    v128.store(mNext + at, mi);
    v128.store(vNext + at, vi);
    v128.store(grads + at, next);
    ok = v128.and(ok, v128.and(finiteLanes(next), finiteLanes(vi)));
  }
  if (i < n) {
    const at = <usize>i << 3;
    const theta = load<f64>(params + at);
    const g = load<f64>(grads + at) + decay * theta;
    const mi = beta1 * load<f64>(m + at) + (1.0 - beta1) * g;
    const vi = beta2 * load<f64>(v + at) + (1.0 - beta2) * g * g;
    const next = theta - stepSize * (mi / (Math.sqrt(vi) / bias2Root + epsilon));
    store<f64>(mNext + at, mi);
    store<f64>(vNext + at, vi);
    store<f64>(grads + at, next);
    if (!finite(next) || !finite(vi)) return false;
  }
  return i64x2.all_true(ok);
}

// Ids match OPTIMIZERS in src/operations/optimizers.ts.
export const SGD = 0;
export const MOMENTUM = 1;
export const ADAM = 2;

// The settings block (src/operations/optimizers.ts optimizerSettings writes it), one f64 each:
// kind, learning rate, weight decay, L1, gradient clipping, then the optimizer's hyperparameters
// from SETTING_HYPER on, in its descriptor's order.
export const SETTING_KIND = 0;
export const SETTING_LEARNING_RATE = 1;
export const SETTING_WEIGHT_DECAY = 2;
export const SETTING_L1 = 3;
export const SETTING_CLIP = 4;
export const SETTING_HYPER = 5;
export const SETTINGS_LENGTH = 12;

// momentum: μ, Nesterov 0/1
export const MOMENTUM_MU = SETTING_HYPER;
export const MOMENTUM_NESTEROV = SETTING_HYPER + 1;
// adam: β1, β2, ε
export const ADAM_BETA1 = SETTING_HYPER;
export const ADAM_BETA2 = SETTING_HYPER + 1;
export const ADAM_EPSILON = SETTING_HYPER + 2;

// Values of state per parameter (as the descriptors' stateValues): momentum v; Adam m, v.
export function stateValues(kind: i32): i32 {
  switch (kind) {
    case SGD: return 0;
    case MOMENTUM: return 1;
    case ADAM: return 2;
    default: return unreachable(); // src/operations/optimizers.ts checked the kind
  }
}

// One block of parameters (a layer's weights, or its biases with decay 0): the step of the
// optimizer's kind, its state at `state` and the next state to `next`, each value of the state
// `stride` bytes after the one before. Returns whether all new values are finite.
export function optimizerBlockStep(
  opt: Optimizer, params: usize, grads: usize, state: usize, next: usize, stride: usize, n: i32, decay: f64, bias1: f64, bias2: f64,
): bool {
  const lr = setting(opt, SETTING_LEARNING_RATE);
  switch (opt.kind) {
    case MOMENTUM:
      return momentumStep(params, grads, state, next, n, lr, decay, setting(opt, MOMENTUM_MU), setting(opt, MOMENTUM_NESTEROV) != 0);
    case ADAM:
      return adamStep(
        params, grads, state, state + stride, next, next + stride, n, lr, decay,
        setting(opt, ADAM_BETA1), setting(opt, ADAM_BETA2), setting(opt, ADAM_EPSILON), bias1, bias2,
      );
    default: return unreachable(); // SGD has no state: training.ts runs sgdStep
  }
}

// Whether the optimizer keeps β1ᵗ and β2ᵗ (its hyperparameters at SETTING_HYPER and the next).
// @ts-ignore: decorator
@inline export function biasCorrected(kind: i32): bool {
  return kind == ADAM;
}

// The value every state starts at.
export function initialState(kind: i32, settings: usize): f64 {
  return 0.0;
}

// An optimizer's settings (a copy of the block, SETTINGS_LENGTH f64s after the header) and
// state. `state` holds stateValues(kind) f64s per parameter, each laid out like the parameters;
// `spare` as many, where a step writes the next state before the two are swapped.
@unmanaged export class Optimizer {
  steps: f64; // the three counters are read and written together by JavaScript (optimizerCounters)
  beta1Power: f64; // β1ᵗ
  beta2Power: f64; // β2ᵗ
  state: usize;
  spare: usize;
  stateLength: i32;
  kind: i32;
}

// The settings block of an optimizer (after its header).
// @ts-ignore: decorator
@inline export function settingsOf(opt: Optimizer): usize {
  return changetype<usize>(opt) + offsetof<Optimizer>();
}

// @ts-ignore: decorator
@inline export function setting(opt: Optimizer, slot: i32): f64 {
  return load<f64>(settingsOf(opt) + (<usize>slot << 3));
}

export function optimizerFree(opt: usize): void {
  if (opt == 0) return;
  free(changetype<Optimizer>(opt).state);
  free(changetype<Optimizer>(opt).spare);
  free(opt);
}
