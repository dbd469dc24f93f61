// Parameter updates on pointers, following torch.optim's definitions. Twin:
// src/backends/js/optimizers.ts.
//
// A step that would make anything non-finite is never written: the parameters keep their last
// finite values. Every update therefore computes each new value once, into places the network
// does not read as its state: the new parameters into the gradients' place, the new state
// (momentum, Adam) into `next`, the optimizer's spare state (training.ts); it says whether all
// are finite, and only when every block's are does the caller make the new values the
// parameters (update.ts, commitLayers) and the spare state the current one.
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
// AdamW (Loshchilov & Hutter 2019, as torch.optim.AdamW) first shrinks θ by shrink = 1 − lr·λ
// (decoupled weight decay, decay 0); Adam's shrink is 1, which leaves θ's bits as they are.
export function adamStep(
  params: usize, grads: usize, m: usize, v: usize, mNext: usize, vNext: usize, n: i32, lr: f64, decay: f64,
  beta1: f64, beta2: f64, epsilon: f64, bias1: f64, bias2: f64, shrink: f64,
): bool {
  // the loop compiled twice: Adam's without the multiplication by 1
  return shrink == 1.0
    ? adamLoop(params, grads, m, v, mNext, vNext, n, lr, decay, beta1, beta2, epsilon, bias1, bias2, 1.0, false)
    : adamLoop(params, grads, m, v, mNext, vNext, n, lr, decay, beta1, beta2, epsilon, bias1, bias2, shrink, true);
}

// @ts-ignore: decorator
@inline function adamLoop(
  params: usize, grads: usize, m: usize, v: usize, mNext: usize, vNext: usize, n: i32, lr: f64, decay: f64,
  beta1: f64, beta2: f64, epsilon: f64, bias1: f64, bias2: f64, shrink: f64, decoupled: bool,
): bool {
  const stepSize = lr / bias1;
  const bias2Root = Math.sqrt(bias2);
  const decayV = f64x2.splat(decay), beta1V = f64x2.splat(beta1), beta2V = f64x2.splat(beta2);
  const rest1V = f64x2.splat(1.0 - beta1), rest2V = f64x2.splat(1.0 - beta2);
  const stepV = f64x2.splat(stepSize), rootV = f64x2.splat(bias2Root), epsilonV = f64x2.splat(epsilon), shrinkV = f64x2.splat(shrink);
  let ok = i64x2.splat(-1);
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const at = <usize>i << 3;
    const theta = v128.load(params + at);
    const g = f64x2.add(v128.load(grads + at), f64x2.mul(decayV, theta));
    const mi = f64x2.add(f64x2.mul(beta1V, v128.load(m + at)), f64x2.mul(rest1V, g));
    const vi = f64x2.add(f64x2.mul(beta2V, v128.load(v + at)), f64x2.mul(f64x2.mul(rest2V, g), g));
    const next = f64x2.sub(decoupled ? f64x2.mul(theta, shrinkV) : theta, f64x2.mul(stepV, f64x2.div(mi, f64x2.add(f64x2.div(f64x2.sqrt(vi), rootV), epsilonV))));
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
    const next = (decoupled ? theta * shrink : theta) - stepSize * (mi / (Math.sqrt(vi) / bias2Root + epsilon));
    store<f64>(mNext + at, mi);
    store<f64>(vNext + at, vi);
    store<f64>(grads + at, next);
    if (!finite(next) || !finite(vi)) return false;
  }
  return i64x2.all_true(ok);
}

// RMSprop (Hinton 2012; torch.optim.RMSprop): v ← α·v + (1−α)·g²; centered: ḡ ← α·ḡ + (1−α)·g and
// the denominator √(v − ḡ²) + ε (the difference clamped at 0, where rounding could make it
// negative and torch's NaN), else √v + ε; with momentum μ > 0: b ← μ·b + g/denominator, θ ← θ − lr·b,
// else θ ← θ − lr·g/denominator. State [v, b, ḡ]; the parts not in use are carried over.
export function rmspropStep(
  params: usize, grads: usize, state: usize, next: usize, stride: usize, n: i32, lr: f64, decay: f64,
  alpha: f64, epsilon: f64, mu: f64, centered: bool,
): bool {
  let ok = true;
  for (let i = 0; i < n; i++) {
    const at = <usize>i << 3;
    const theta = load<f64>(params + at);
    const g = load<f64>(grads + at) + decay * theta;
    const v = alpha * load<f64>(state + at) + (1.0 - alpha) * g * g;
    let mean = load<f64>(state + 2 * stride + at);
    let denominator: f64;
    if (centered) {
      mean = alpha * mean + (1.0 - alpha) * g;
      denominator = Math.sqrt(max(v - mean * mean, 0.0)) + epsilon;
    } else denominator = Math.sqrt(v) + epsilon;
    let b = load<f64>(state + stride + at), next_: f64;
    if (mu > 0) {
      b = mu * b + g / denominator;
      next_ = theta - lr * b;
    } else next_ = theta - lr * (g / denominator);
    store<f64>(next + at, v);
    store<f64>(next + stride + at, b);
    store<f64>(next + 2 * stride + at, mean);
    store<f64>(grads + at, next_);
    ok = ok && finite(next_) && finite(v) && finite(b) && finite(mean);
  }
  return ok;
}

// Adagrad (Duchi et al. 2011; torch.optim.Adagrad): Σ ← Σ + g²;  θ ← θ − clr·g/(√Σ + ε), with
// clr = lr / (1 + (t − 1)·lrDecay) at step t (the caller's). State [Σ], starting at initialAccumulatorValue.
export function adagradStep(params: usize, grads: usize, sum: usize, sumNext: usize, n: i32, clr: f64, decay: f64, epsilon: f64): bool {
  let ok = true;
  for (let i = 0; i < n; i++) {
    const at = <usize>i << 3;
    const theta = load<f64>(params + at);
    const g = load<f64>(grads + at) + decay * theta;
    const s = load<f64>(sum + at) + g * g;
    const next = theta - clr * (g / (Math.sqrt(s) + epsilon));
    store<f64>(sumNext + at, s);
    store<f64>(grads + at, next);
    ok = ok && finite(next) && finite(s);
  }
  return ok;
}

// L1: g ← g + λ·sign(θ) (sign(0) = 0), on the weights
export function addL1(params: usize, grads: usize, n: i32, l1: f64): void {
  for (let i = 0; i < n; i++) {
    const at = <usize>i << 3;
    const theta = load<f64>(params + at);
    store<f64>(grads + at, load<f64>(grads + at) + l1 * (theta > 0 ? 1.0 : theta < 0 ? -1.0 : 0.0));
  }
}

// Σ g² over a block, added to `sum` (for the global norm of gradient clipping)
export function sumSquares(grads: usize, n: i32, sum: f64): f64 {
  for (let i = 0; i < n; i++) {
    const g = load<f64>(grads + (<usize>i << 3));
    sum += g * g;
  }
  return sum;
}

// g ← g·scale over a block
export function scaleValues(grads: usize, n: i32, scale: f64): void {
  for (let i = 0; i < n; i++) store<f64>(grads + (<usize>i << 3), load<f64>(grads + (<usize>i << 3)) * scale);
}

// Ids match OPTIMIZERS in src/operations/optimizers.ts.
export const SGD = 0;
export const MOMENTUM = 1;
export const ADAM = 2;
export const RMSPROP = 3;
export const ADAGRAD = 4;
export const ADAMW = 5;

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
// rmsprop: α, ε, μ, centered 0/1
export const RMSPROP_ALPHA = SETTING_HYPER;
export const RMSPROP_EPSILON = SETTING_HYPER + 1;
export const RMSPROP_MOMENTUM = SETTING_HYPER + 2;
export const RMSPROP_CENTERED = SETTING_HYPER + 3;
// adagrad: lrDecay, initialAccumulatorValue, ε
export const ADAGRAD_LR_DECAY = SETTING_HYPER;
export const ADAGRAD_INITIAL = SETTING_HYPER + 1;
export const ADAGRAD_EPSILON = SETTING_HYPER + 2;
// adamw: β1, β2, ε, as adam's

// Values of state per parameter (as the descriptors' stateValues): momentum v; Adam m, v.
export function stateValues(kind: i32): i32 {
  switch (kind) {
    case SGD: return 0;
    case MOMENTUM: return 1;
    case ADAM: return 2;
    case RMSPROP: return 3;
    case ADAGRAD: return 1;
    case ADAMW: return 2;
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
        setting(opt, ADAM_BETA1), setting(opt, ADAM_BETA2), setting(opt, ADAM_EPSILON), bias1, bias2, 1.0,
      );
    case RMSPROP:
      return rmspropStep(
        params, grads, state, next, stride, n, lr, decay, setting(opt, RMSPROP_ALPHA), setting(opt, RMSPROP_EPSILON),
        setting(opt, RMSPROP_MOMENTUM), setting(opt, RMSPROP_CENTERED) != 0,
      );
    case ADAGRAD: {
      // the step about to be taken is t = steps + 1
      const clr = lr / (1.0 + opt.steps * setting(opt, ADAGRAD_LR_DECAY));
      return adagradStep(params, grads, state, next, n, clr, decay, setting(opt, ADAGRAD_EPSILON));
    }
    case ADAMW:
      // decoupled decay: θ·(1 − lr·λ) on the weights (decay is 0 for the biases), none in the gradient
      return adamStep(
        params, grads, state, state + stride, next, next + stride, n, lr, 0.0,
        setting(opt, ADAM_BETA1), setting(opt, ADAM_BETA2), setting(opt, ADAM_EPSILON), bias1, bias2, 1.0 - lr * decay,
      );
    default: return unreachable(); // SGD has no state: update.ts runs sgdStep
  }
}

// Whether the optimizer keeps β1ᵗ and β2ᵗ (its hyperparameters at SETTING_HYPER and the next).
// @ts-ignore: decorator
@inline export function biasCorrected(kind: i32): bool {
  return kind == ADAM || kind == ADAMW;
}

// The value every state starts at.
export function initialState(kind: i32, settings: usize): f64 {
  return kind == ADAGRAD ? load<f64>(settings + (<usize>ADAGRAD_INITIAL << 3)) : 0.0;
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
