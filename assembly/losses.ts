// Losses per sample, averaged over the rows of a batch, and their gradients (also divided by
// rows, so that parameter gradients are batch means). Ids match LOSSES in src/operations/losses.ts.
// Twin: src/backends/js/losses.ts.

export const MSE = 0;
export const CROSS_ENTROPY = 1;
export const BINARY_CROSS_ENTROPY = 2;
export const HUBER = 3;
export const MAE = 4;

// E = ½ Σₖ (tₖ − oₖ)² per sample (the seed's total error)
export function mseLoss(o: usize, t: usize, rows: i32, cols: i32): f64 {
  const n = rows * cols;
  let sum = 0.0;
  for (let i = 0; i < n; i++) {
    const e = load<f64>(t + (<usize>i << 3)) - load<f64>(o + (<usize>i << 3));
    sum += e * e;
  }
  return (0.5 * sum) / <f64>rows;
}

// dE/doₖ = oₖ − tₖ
export function mseLossBackward(o: usize, t: usize, d: usize, rows: i32, cols: i32): void {
  const n = rows * cols;
  const scale = 1.0 / <f64>rows;
  for (let i = 0; i < n; i++) {
    store<f64>(d + (<usize>i << 3), (load<f64>(o + (<usize>i << 3)) - load<f64>(t + (<usize>i << 3))) * scale);
  }
}

// E = −Σₖ tₖ · log softmax(z)ₖ, with log softmax(z)ₖ = zₖ − max z − log Σⱼ e^(zⱼ − max z):
// read from the logits z, so that no log(0) can occur
export function crossEntropyLoss(z: usize, t: usize, rows: i32, cols: i32): f64 {
  let total = 0.0;
  for (let i = 0; i < rows; i++) {
    const zRow = z + (<usize>(i * cols) << 3);
    const tRow = t + (<usize>(i * cols) << 3);
    let max = load<f64>(zRow);
    for (let j = 1; j < cols; j++) max = Math.max(max, load<f64>(zRow + (<usize>j << 3)));
    let sum = 0.0;
    for (let j = 0; j < cols; j++) sum += Math.exp(load<f64>(zRow + (<usize>j << 3)) - max);
    const logSum = max + Math.log(sum);
    for (let j = 0; j < cols; j++) {
      const tj = load<f64>(tRow + (<usize>j << 3));
      if (tj != 0) total += tj * (logSum - load<f64>(zRow + (<usize>j << 3)));
    }
  }
  return total / <f64>rows;
}

// fused with softmax: dE/dzₖ = oₖ · Σⱼ tⱼ − tₖ  (= oₖ − tₖ when the targets sum to 1)
export function crossEntropyLossBackward(o: usize, t: usize, d: usize, rows: i32, cols: i32): void {
  const scale = 1.0 / <f64>rows;
  for (let i = 0; i < rows; i++) {
    const row = <usize>(i * cols) << 3;
    let tSum = 0.0;
    for (let j = 0; j < cols; j++) tSum += load<f64>(t + row + (<usize>j << 3));
    for (let j = 0; j < cols; j++) {
      const k = row + (<usize>j << 3);
      store<f64>(d + k, (load<f64>(o + k) * tSum - load<f64>(t + k)) * scale);
    }
  }
}

// E = −Σₖ [tₖ log σ(zₖ) + (1−tₖ) log(1−σ(zₖ))] = Σₖ softplus(zₖ) − tₖ·zₖ,
// softplus(z) = max(z, 0) + log1p(e^−|z|): read from the logits z, so that no log(0) can occur
export function binaryCrossEntropyLoss(z: usize, t: usize, rows: i32, cols: i32): f64 {
  const n = rows * cols;
  let total = 0.0;
  for (let i = 0; i < n; i++) {
    const zi = load<f64>(z + (<usize>i << 3));
    const softplus = Math.max(zi, 0.0) + Math.log1p(Math.exp(-Math.abs(zi)));
    total += softplus - load<f64>(t + (<usize>i << 3)) * zi;
  }
  return total / <f64>rows;
}

// fused with sigmoid: dE/dzₖ = σ(zₖ) − tₖ
export function binaryCrossEntropyLossBackward(o: usize, t: usize, d: usize, rows: i32, cols: i32): void {
  const n = rows * cols;
  const scale = 1.0 / <f64>rows;
  for (let i = 0; i < n; i++) {
    store<f64>(d + (<usize>i << 3), (load<f64>(o + (<usize>i << 3)) - load<f64>(t + (<usize>i << 3))) * scale);
  }
}

// Huber (torch.nn.HuberLoss, summed over outputs): per output, with e = oₖ − tₖ,
// ½e² where |e| < δ, else δ·(|e| − ½δ); δ is the loss's first hyperparameter
export function huberLoss(o: usize, t: usize, rows: i32, cols: i32, delta: f64): f64 {
  const n = rows * cols;
  let sum = 0.0;
  for (let i = 0; i < n; i++) {
    const e = Math.abs(load<f64>(o + (<usize>i << 3)) - load<f64>(t + (<usize>i << 3)));
    sum += e < delta ? 0.5 * e * e : delta * (e - 0.5 * delta);
  }
  return sum / <f64>rows;
}

// dE/doₖ = e clamped to [−δ, δ]
export function huberLossBackward(o: usize, t: usize, d: usize, rows: i32, cols: i32, delta: f64): void {
  const n = rows * cols;
  const scale = 1.0 / <f64>rows;
  for (let i = 0; i < n; i++) {
    const e = load<f64>(o + (<usize>i << 3)) - load<f64>(t + (<usize>i << 3));
    store<f64>(d + (<usize>i << 3), (e <= -delta ? -delta : e >= delta ? delta : e) * scale);
  }
}

// Mean absolute error (torch.nn.L1Loss, summed over outputs): E = Σₖ |tₖ − oₖ| per sample
export function maeLoss(o: usize, t: usize, rows: i32, cols: i32): f64 {
  const n = rows * cols;
  let sum = 0.0;
  for (let i = 0; i < n; i++) sum += Math.abs(load<f64>(t + (<usize>i << 3)) - load<f64>(o + (<usize>i << 3)));
  return sum / <f64>rows;
}

// dE/doₖ = sign(oₖ − tₖ), 0 where they are equal (torch.sign)
export function maeLossBackward(o: usize, t: usize, d: usize, rows: i32, cols: i32): void {
  const n = rows * cols;
  const scale = 1.0 / <f64>rows;
  for (let i = 0; i < n; i++) {
    const e = load<f64>(o + (<usize>i << 3)) - load<f64>(t + (<usize>i << 3));
    store<f64>(d + (<usize>i << 3), (e > 0 ? 1.0 : e < 0 ? -1.0 : 0.0) * scale);
  }
}

// The mean loss of the batch with id `kind`: from the outputs a, or from the logits z for the
// losses fused with their output activation; `params` points to the loss's hyperparameters.
// @ts-ignore: decorator
@inline export function lossValue(kind: i32, z: usize, a: usize, t: usize, rows: i32, cols: i32, params: usize): f64 {
  // a chain of ifs, the common losses first: once per batch, where a jump table costs more than two compares
  if (kind == MSE) return mseLoss(a, t, rows, cols);
  if (kind == CROSS_ENTROPY) return crossEntropyLoss(z, t, rows, cols);
  if (kind == BINARY_CROSS_ENTROPY) return binaryCrossEntropyLoss(z, t, rows, cols);
  if (kind == HUBER) return huberLoss(a, t, rows, cols, load<f64>(params));
  if (kind == MAE) return maeLoss(a, t, rows, cols);
  return unreachable(); // src/plan.ts checked the id
}

// d ← dE/dz for a loss fused with its output activation (returns true), else dE/da (false: the
// caller applies the activation's backward pass)
// @ts-ignore: decorator
@inline export function lossBackward(kind: i32, a: usize, t: usize, d: usize, rows: i32, cols: i32, params: usize): bool {
  if (kind == MSE) { mseLossBackward(a, t, d, rows, cols); return false; }
  if (kind == CROSS_ENTROPY) { crossEntropyLossBackward(a, t, d, rows, cols); return true; }
  if (kind == BINARY_CROSS_ENTROPY) { binaryCrossEntropyLossBackward(a, t, d, rows, cols); return true; }
  if (kind == HUBER) { huberLossBackward(a, t, d, rows, cols, load<f64>(params)); return false; }
  if (kind == MAE) { maeLossBackward(a, t, d, rows, cols); return false; }
  return unreachable();
}
