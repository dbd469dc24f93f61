// Parameter updates, the twin of assembly/optimizers.ts.

// Ids match OPTIMIZERS in src/operations/optimizers.ts; the settings' slots, its settings block.
export const SGD = 0;
export const MOMENTUM = 1;
export const ADAM = 2;
export const RMSPROP = 3;
export const ADAGRAD = 4;
export const ADAMW = 5;

export const SETTING_KIND = 0;
export const SETTING_LEARNING_RATE = 1;
export const SETTING_WEIGHT_DECAY = 2;
export const SETTING_L1 = 3;
export const SETTING_CLIP = 4;
export const SETTING_HYPER = 5;
export const MOMENTUM_MU = SETTING_HYPER;
export const MOMENTUM_NESTEROV = SETTING_HYPER + 1;
export const ADAM_BETA1 = SETTING_HYPER;
export const ADAM_BETA2 = SETTING_HYPER + 1;
export const ADAM_EPSILON = SETTING_HYPER + 2;
export const RMSPROP_ALPHA = SETTING_HYPER;
export const RMSPROP_EPSILON = SETTING_HYPER + 1;
export const RMSPROP_MOMENTUM = SETTING_HYPER + 2;
export const RMSPROP_CENTERED = SETTING_HYPER + 3;
export const ADAGRAD_LR_DECAY = SETTING_HYPER;
export const ADAGRAD_INITIAL = SETTING_HYPER + 1;
export const ADAGRAD_EPSILON = SETTING_HYPER + 2;

// Values of state per parameter (as the descriptors' stateValues): momentum v; Adam m, v.
export function stateValues(kind: number): number {
  switch (kind) {
    case SGD:
      return 0;
    case MOMENTUM:
      return 1;
    case ADAM:
      return 2;
    case RMSPROP:
      return 3;
    case ADAGRAD:
      return 1;
    case ADAMW:
      return 2;
    default:
      throw new RangeError(`unknown optimizer ${kind}`);
  }
}

// One block of parameters (a layer's weights, or its biases with decay 0): the step of the
// optimizer's kind, from its state's views `state` into `next`. Returns whether all new values are finite.
export function optimizerBlockStep(
  opt: Optimizer,
  params: Float64Array,
  grads: Float64Array,
  state: Float64Array[],
  next: Float64Array[],
  n: number,
  decay: number,
  bias1: number,
  bias2: number,
): boolean {
  const s = opt.settings,
    lr = s[SETTING_LEARNING_RATE]!;
  switch (opt.kind) {
    case MOMENTUM:
      return momentumStep(
        params,
        grads,
        state[0]!,
        next[0]!,
        n,
        lr,
        decay,
        s[MOMENTUM_MU]!,
        s[MOMENTUM_NESTEROV] !== 0,
      );
    case ADAM:
      return adamStep(
        params,
        grads,
        state[0]!,
        state[1]!,
        next[0]!,
        next[1]!,
        n,
        lr,
        decay,
        s[ADAM_BETA1]!,
        s[ADAM_BETA2]!,
        s[ADAM_EPSILON]!,
        bias1,
        bias2,
        1,
      );
    case RMSPROP:
      return rmspropStep(
        params,
        grads,
        state,
        next,
        n,
        lr,
        decay,
        s[RMSPROP_ALPHA]!,
        s[RMSPROP_EPSILON]!,
        s[RMSPROP_MOMENTUM]!,
        s[RMSPROP_CENTERED] !== 0,
      );
    case ADAGRAD:
      // the step about to be taken is t = steps + 1
      return adagradStep(
        params,
        grads,
        state[0]!,
        next[0]!,
        n,
        lr / (1 + opt.steps * s[ADAGRAD_LR_DECAY]!),
        decay,
        s[ADAGRAD_EPSILON]!,
      );
    case ADAMW:
      // decoupled decay: θ·(1 − lr·λ) on the weights (decay is 0 for the biases), none in the gradient
      return adamStep(
        params,
        grads,
        state[0]!,
        state[1]!,
        next[0]!,
        next[1]!,
        n,
        lr,
        0,
        s[ADAM_BETA1]!,
        s[ADAM_BETA2]!,
        s[ADAM_EPSILON]!,
        bias1,
        bias2,
        1 - lr * decay,
      );
    default:
      throw new RangeError(`optimizer ${opt.kind} has no state`); // SGD: training.ts runs sgdStep
  }
}

// Whether the optimizer keeps β1ᵗ and β2ᵗ (its hyperparameters at SETTING_HYPER and the next).
export function biasCorrected(kind: number): boolean {
  return kind === ADAM || kind === ADAMW;
}

// The value every state starts at.
export function initialState(kind: number, settings: Float64Array): number {
  return kind === ADAGRAD ? settings[ADAGRAD_INITIAL]! : 0;
}

// An optimizer's settings (a copy of the block) and state (as assembly/optimizers.ts's Optimizer).
export interface Optimizer {
  kind: number;
  settings: Float64Array;
  steps: number;
  beta1Power: number;
  beta2Power: number;
  /** stateValues(kind) values per parameter, each laid out like the parameters */
  state: Float64Array;
  /** as many, where a step writes the next state before the two are swapped */
  spare: Float64Array;
  /** per layer, views of state and spare beside its weights and biases, one per value of the state */
  views: StateViews[];
  spareViews: StateViews[];
}

export interface StateViews {
  weights: Float64Array[];
  biases: Float64Array[];
}

// Every update computes each new value once: the parameters into the gradients' place, the
// state (momentum, Adam) into `next`, and says whether all are finite, for the caller to commit
// only if every block's are; see assembly/optimizers.ts.

// SGD: θ ← θ − lr · (g + λθ)   (with λ = 0, the seed's plain gradient descent)
export function sgdStep(params: Float64Array, grads: Float64Array, n: number, lr: number, decay: number): boolean {
  let ok = true;
  for (let i = 0; i < n; i++) {
    const next = params[i]! - lr * (grads[i]! + decay * params[i]!);
    grads[i] = next;
    ok &&= Number.isFinite(next);
  }
  return ok;
}

// SGD with momentum (dampening 0): v ← μ·v + g;  θ ← θ − lr·v, or with Nesterov θ ← θ − lr·(g + μ·v)
export function momentumStep(
  params: Float64Array,
  grads: Float64Array,
  velocity: Float64Array,
  velocityNext: Float64Array,
  n: number,
  lr: number,
  decay: number,
  mu: number,
  nesterov: boolean,
): boolean {
  let ok = true;
  for (let i = 0; i < n; i++) {
    const g = grads[i]! + decay * params[i]!;
    const v = mu * velocity[i]! + g;
    const next = params[i]! - lr * (nesterov ? g + mu * v : v);
    velocityNext[i] = v;
    grads[i] = next;
    ok &&= Number.isFinite(next) && Number.isFinite(v);
  }
  return ok;
}

// Adam: m ← β1·m + (1−β1)·g;  v ← β2·v + (1−β2)·g²;  θ ← θ − (lr / (1−β1ᵗ)) · m / (√v / √(1−β2ᵗ) + ε);
// AdamW first shrinks θ by shrink = 1 − lr·λ (Adam's shrink is 1)
export function adamStep(
  params: Float64Array,
  grads: Float64Array,
  m: Float64Array,
  v: Float64Array,
  mNext: Float64Array,
  vNext: Float64Array,
  n: number,
  lr: number,
  decay: number,
  beta1: number,
  beta2: number,
  epsilon: number,
  bias1: number,
  bias2: number,
  shrink: number,
): boolean {
  const stepSize = lr / bias1;
  const bias2Root = Math.sqrt(bias2);
  let ok = true;
  for (let i = 0; i < n; i++) {
    const g = grads[i]! + decay * params[i]!;
    const mi = beta1 * m[i]! + (1 - beta1) * g;
    const vi = beta2 * v[i]! + (1 - beta2) * g * g;
    const next = params[i]! * shrink - stepSize * (mi / (Math.sqrt(vi) / bias2Root + epsilon));
    mNext[i] = mi;
    vNext[i] = vi;
    grads[i] = next;
    ok &&= Number.isFinite(next) && Number.isFinite(vi);
  }
  return ok;
}

// RMSprop (torch.optim.RMSprop): v ← α·v + (1−α)·g²; centered: ḡ ← α·ḡ + (1−α)·g, denominator
// √max(v − ḡ², 0) + ε, else √v + ε; momentum μ > 0: b ← μ·b + g/denominator, θ ← θ − lr·b, else
// θ ← θ − lr·g/denominator. State [v, b, ḡ]; the parts not in use are carried over.
export function rmspropStep(
  params: Float64Array,
  grads: Float64Array,
  state: Float64Array[],
  next: Float64Array[],
  n: number,
  lr: number,
  decay: number,
  alpha: number,
  epsilon: number,
  mu: number,
  centered: boolean,
): boolean {
  const [vs, bs, means] = state as [Float64Array, Float64Array, Float64Array];
  const [vNext, bNext, meanNext] = next as [Float64Array, Float64Array, Float64Array];
  let ok = true;
  for (let i = 0; i < n; i++) {
    const theta = params[i]!;
    const g = grads[i]! + decay * theta;
    const v = alpha * vs[i]! + (1 - alpha) * g * g;
    let mean = means[i]!;
    let denominator: number;
    if (centered) {
      mean = alpha * mean + (1 - alpha) * g;
      denominator = Math.sqrt(Math.max(v - mean * mean, 0)) + epsilon;
    } else denominator = Math.sqrt(v) + epsilon;
    let b = bs[i]!,
      updated: number;
    if (mu > 0) {
      b = mu * b + g / denominator;
      updated = theta - lr * b;
    } else updated = theta - lr * (g / denominator);
    vNext[i] = v;
    bNext[i] = b;
    meanNext[i] = mean;
    grads[i] = updated;
    ok &&= Number.isFinite(updated) && Number.isFinite(v) && Number.isFinite(b) && Number.isFinite(mean);
  }
  return ok;
}

// Adagrad (torch.optim.Adagrad): Σ ← Σ + g²;  θ ← θ − clr·g/(√Σ + ε), clr = lr / (1 + (t − 1)·lrDecay)
export function adagradStep(
  params: Float64Array,
  grads: Float64Array,
  sum: Float64Array,
  sumNext: Float64Array,
  n: number,
  clr: number,
  decay: number,
  epsilon: number,
): boolean {
  let ok = true;
  for (let i = 0; i < n; i++) {
    const theta = params[i]!;
    const g = grads[i]! + decay * theta;
    const s = sum[i]! + g * g;
    const next = theta - clr * (g / (Math.sqrt(s) + epsilon));
    sumNext[i] = s;
    grads[i] = next;
    ok &&= Number.isFinite(next) && Number.isFinite(s);
  }
  return ok;
}

// L1: g ← g + λ·sign(θ) (sign(0) = 0), on the weights
export function addL1(params: Float64Array, grads: Float64Array, n: number, l1: number): void {
  for (let i = 0; i < n; i++) {
    const theta = params[i]!;
    grads[i] = grads[i]! + l1 * (theta > 0 ? 1 : theta < 0 ? -1 : 0);
  }
}

// Σ g² over a block, added to `sum`
export function sumSquares(grads: Float64Array, n: number, sum: number): number {
  for (let i = 0; i < n; i++) sum += grads[i]! * grads[i]!;
  return sum;
}

export function scaleValues(grads: Float64Array, n: number, scale: number): void {
  for (let i = 0; i < n; i++) grads[i] = grads[i]! * scale;
}
