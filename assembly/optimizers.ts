// Parameter updates on pointers, following torch.optim's definitions. Twin:
// src/backends/js/optimizers.ts.
//
// The fit updates run in two passes over the same arguments: with commit = false they only
// check that every new value would be finite, with commit = true they write. A step that would
// make anything non-finite is thus never written, and the parameters keep their last finite
// values. Weight decay (L2) adds λ·θ to the gradient; callers pass λ = 0 for biases.
import { free } from "./memory";

// θ ← θ − lr · dE/dθ   (plain gradient descent: trainStep and the seed's update)
export function sgdStep(params: usize, grads: usize, n: i32, learningRate: f64): void {
  for (let i = 0; i < n; i++) {
    const p = params + (<usize>i << 3);
    store<f64>(p, load<f64>(p) - learningRate * load<f64>(grads + (<usize>i << 3)));
  }
}

// @ts-ignore: decorator
@inline function finite(x: f64): bool {
  return x - x == 0; // false for NaN and ±Infinity
}

// SGD: θ ← θ − lr · (g + λθ)
export function sgdUpdate(params: usize, grads: usize, n: i32, lr: f64, decay: f64, commit: bool): bool {
  for (let i = 0; i < n; i++) {
    const at = <usize>i << 3;
    const theta = load<f64>(params + at);
    const next = theta - lr * (load<f64>(grads + at) + decay * theta);
    if (commit) store<f64>(params + at, next);
    else if (!finite(next)) return false;
  }
  return true;
}

// SGD with momentum (dampening 0): v ← μ·v + g;  θ ← θ − lr·v, or with Nesterov θ ← θ − lr·(g + μ·v)
export function momentumUpdate(
  params: usize, grads: usize, velocity: usize, n: i32, lr: f64, decay: f64, mu: f64, nesterov: bool, commit: bool,
): bool {
  for (let i = 0; i < n; i++) {
    const at = <usize>i << 3;
    const theta = load<f64>(params + at);
    const g = load<f64>(grads + at) + decay * theta;
    const v = mu * load<f64>(velocity + at) + g;
    const next = theta - lr * (nesterov ? g + mu * v : v);
    if (commit) {
      store<f64>(velocity + at, v);
      store<f64>(params + at, next);
    } else if (!finite(next) || !finite(v)) return false;
  }
  return true;
}

// Adam (Kingma & Ba 2015, Alg. 1, as torch.optim.Adam computes it):
//   m ← β1·m + (1−β1)·g;  v ← β2·v + (1−β2)·g²;  θ ← θ − (lr / (1−β1ᵗ)) · m / (√v / √(1−β2ᵗ) + ε)
// bias1 = 1 − β1ᵗ and bias2 = 1 − β2ᵗ come from the caller (β powers kept by repeated product).
export function adamUpdate(
  params: usize, grads: usize, m: usize, v: usize, n: i32, lr: f64, decay: f64,
  beta1: f64, beta2: f64, epsilon: f64, bias1: f64, bias2: f64, commit: bool,
): bool {
  const stepSize = lr / bias1;
  const bias2Root = Math.sqrt(bias2);
  for (let i = 0; i < n; i++) {
    const at = <usize>i << 3;
    const theta = load<f64>(params + at);
    const g = load<f64>(grads + at) + decay * theta;
    const mi = beta1 * load<f64>(m + at) + (1.0 - beta1) * g;
    const vi = beta2 * load<f64>(v + at) + (1.0 - beta2) * g * g;
    const next = theta - stepSize * (mi / (Math.sqrt(vi) / bias2Root + epsilon));
    if (commit) {
      store<f64>(m + at, mi);
      store<f64>(v + at, vi);
      store<f64>(params + at, next);
    } else if (!finite(next) || !finite(vi)) return false;
  }
  return true;
}

// Ids match OPTIMIZERS in src/training/optimizers.ts.
export const SGD = 0;
export const MOMENTUM = 1;
export const ADAM = 2;

// An optimizer's settings and state. `state` holds one f64 per parameter for momentum (v) and
// two for Adam (m, then v), each laid out like the parameters.
@unmanaged export class Optimizer {
  kind: i32;
  nesterov: i32;
  learningRate: f64;
  weightDecay: f64;
  momentum: f64;
  beta1: f64;
  beta2: f64;
  epsilon: f64;
  steps: f64; // the three counters are read and written together by JavaScript (optimizerCounters)
  beta1Power: f64; // β1ᵗ
  beta2Power: f64; // β2ᵗ
  state: usize;
  stateLength: i32;
}

export function optimizerFree(opt: usize): void {
  if (opt == 0) return;
  free(changetype<Optimizer>(opt).state);
  free(opt);
}
