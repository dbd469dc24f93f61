// Parameter updates, the twin of assembly/optimizers.ts.

// Ids match OPTIMIZERS in src/training/optimizers.ts.
export const SGD = 0;
export const MOMENTUM = 1;
export const ADAM = 2;

// An optimizer's settings and state (as assembly/optimizers.ts's Optimizer).
export interface Optimizer {
  kind: number;
  nesterov: boolean;
  learningRate: number;
  weightDecay: number;
  momentum: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  steps: number;
  beta1Power: number;
  beta2Power: number;
  /** momentum: v; Adam: m then v; each laid out like the parameters */
  state: Float64Array;
  /** per layer, views of the state beside its weights and biases: [v] or [m, v] */
  views: { weights: Float64Array[]; biases: Float64Array[] }[];
}

// The fit updates check (commit = false) then write (commit = true); see assembly/optimizers.ts.

// SGD: θ ← θ − lr · (g + λθ)   (with λ = 0, the seed's plain gradient descent)
export function sgdUpdate(params: Float64Array, grads: Float64Array, n: number, lr: number, decay: number, commit: boolean): boolean {
  for (let i = 0; i < n; i++) {
    const next = params[i] - lr * (grads[i] + decay * params[i]);
    if (commit) params[i] = next;
    else if (!Number.isFinite(next)) return false;
  }
  return true;
}

// SGD with momentum (dampening 0): v ← μ·v + g;  θ ← θ − lr·v, or with Nesterov θ ← θ − lr·(g + μ·v)
export function momentumUpdate(
  params: Float64Array, grads: Float64Array, velocity: Float64Array, n: number, lr: number, decay: number,
  mu: number, nesterov: boolean, commit: boolean,
): boolean {
  for (let i = 0; i < n; i++) {
    const g = grads[i] + decay * params[i];
    const v = mu * velocity[i] + g;
    const next = params[i] - lr * (nesterov ? g + mu * v : v);
    if (commit) {
      velocity[i] = v;
      params[i] = next;
    } else if (!Number.isFinite(next) || !Number.isFinite(v)) return false;
  }
  return true;
}

// Adam: m ← β1·m + (1−β1)·g;  v ← β2·v + (1−β2)·g²;  θ ← θ − (lr / (1−β1ᵗ)) · m / (√v / √(1−β2ᵗ) + ε)
export function adamUpdate(
  params: Float64Array, grads: Float64Array, m: Float64Array, v: Float64Array, n: number, lr: number, decay: number,
  beta1: number, beta2: number, epsilon: number, bias1: number, bias2: number, commit: boolean,
): boolean {
  const stepSize = lr / bias1;
  const bias2Root = Math.sqrt(bias2);
  for (let i = 0; i < n; i++) {
    const g = grads[i] + decay * params[i];
    const mi = beta1 * m[i] + (1 - beta1) * g;
    const vi = beta2 * v[i] + (1 - beta2) * g * g;
    const next = params[i] - stepSize * (mi / (Math.sqrt(vi) / bias2Root + epsilon));
    if (commit) {
      m[i] = mi;
      v[i] = vi;
      params[i] = next;
    } else if (!Number.isFinite(next) || !Number.isFinite(vi)) return false;
  }
  return true;
}
