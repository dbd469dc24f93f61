// Losses averaged over the rows of a batch, and their gradients (divided by rows), the twin
// of assembly/losses.ts. Ids match LOSSES in src/operations/losses.ts.

export const MSE = 0;
export const CROSS_ENTROPY = 1;
export const BINARY_CROSS_ENTROPY = 2;
export const HUBER = 3;
export const MAE = 4;

// E = ½ Σₖ (tₖ − oₖ)² per sample
export function mseLoss(o: Float64Array, t: Float64Array, rows: number, cols: number): number {
  const n = rows * cols;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const e = t[i]! - o[i]!;
    sum += e * e;
  }
  return (0.5 * sum) / rows;
}

// dE/doₖ = oₖ − tₖ
export function mseLossBackward(o: Float64Array, t: Float64Array, d: Float64Array, rows: number, cols: number): void {
  const n = rows * cols;
  const scale = 1 / rows;
  for (let i = 0; i < n; i++) d[i] = (o[i]! - t[i]!) * scale;
}

// E = −Σₖ tₖ · log softmax(z)ₖ, read from the logits z (no log(0))
export function crossEntropyLoss(z: Float64Array, t: Float64Array, rows: number, cols: number): number {
  let total = 0;
  for (let i = 0; i < rows; i++) {
    const row = i * cols;
    let max = z[row]!;
    for (let j = 1; j < cols; j++) max = Math.max(max, z[row + j]!);
    let sum = 0;
    for (let j = 0; j < cols; j++) sum += Math.exp(z[row + j]! - max);
    const logSum = max + Math.log(sum);
    for (let j = 0; j < cols; j++) {
      const tj = t[row + j]!;
      if (tj !== 0) total += tj * (logSum - z[row + j]!);
    }
  }
  return total / rows;
}

// fused with softmax: dE/dzₖ = oₖ · Σⱼ tⱼ − tₖ
export function crossEntropyLossBackward(
  o: Float64Array,
  t: Float64Array,
  d: Float64Array,
  rows: number,
  cols: number,
): void {
  const scale = 1 / rows;
  for (let i = 0; i < rows; i++) {
    const row = i * cols;
    let tSum = 0;
    for (let j = 0; j < cols; j++) tSum += t[row + j]!;
    for (let j = 0; j < cols; j++) d[row + j] = (o[row + j]! * tSum - t[row + j]!) * scale;
  }
}

// E = Σₖ softplus(zₖ) − tₖ·zₖ, softplus(z) = max(z, 0) + log1p(e^−|z|)
export function binaryCrossEntropyLoss(z: Float64Array, t: Float64Array, rows: number, cols: number): number {
  const n = rows * cols;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const zi = z[i]!;
    total += Math.max(zi, 0) + Math.log1p(Math.exp(-Math.abs(zi))) - t[i]! * zi;
  }
  return total / rows;
}

// fused with sigmoid: dE/dzₖ = σ(zₖ) − tₖ
export function binaryCrossEntropyLossBackward(
  o: Float64Array,
  t: Float64Array,
  d: Float64Array,
  rows: number,
  cols: number,
): void {
  const n = rows * cols;
  const scale = 1 / rows;
  for (let i = 0; i < n; i++) d[i] = (o[i]! - t[i]!) * scale;
}

// Huber (torch.nn.HuberLoss, summed over outputs): ½e² where |e| < δ, else δ·(|e| − ½δ), e = oₖ − tₖ
export function huberLoss(o: Float64Array, t: Float64Array, rows: number, cols: number, delta: number): number {
  const n = rows * cols;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const e = Math.abs(o[i]! - t[i]!);
    sum += e < delta ? 0.5 * e * e : delta * (e - 0.5 * delta);
  }
  return sum / rows;
}

// dE/doₖ = e clamped to [−δ, δ]
export function huberLossBackward(
  o: Float64Array,
  t: Float64Array,
  d: Float64Array,
  rows: number,
  cols: number,
  delta: number,
): void {
  const n = rows * cols;
  const scale = 1 / rows;
  for (let i = 0; i < n; i++) {
    const e = o[i]! - t[i]!;
    d[i] = (e <= -delta ? -delta : e >= delta ? delta : e) * scale;
  }
}

// Mean absolute error (torch.nn.L1Loss, summed over outputs): E = Σₖ |tₖ − oₖ| per sample
export function maeLoss(o: Float64Array, t: Float64Array, rows: number, cols: number): number {
  const n = rows * cols;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += Math.abs(t[i]! - o[i]!);
  return sum / rows;
}

// dE/doₖ = sign(oₖ − tₖ), 0 where they are equal
export function maeLossBackward(o: Float64Array, t: Float64Array, d: Float64Array, rows: number, cols: number): void {
  const n = rows * cols;
  const scale = 1 / rows;
  for (let i = 0; i < n; i++) {
    const e = o[i]! - t[i]!;
    d[i] = (e > 0 ? 1 : e < 0 ? -1 : 0) * scale;
  }
}

// The mean loss of the batch with id `kind`, from the outputs a or (fused losses) the logits z.
export function lossValue(
  kind: number,
  z: Float64Array,
  a: Float64Array,
  t: Float64Array,
  rows: number,
  cols: number,
  params: Float64Array,
): number {
  switch (kind) {
    case MSE:
      return mseLoss(a, t, rows, cols);
    case CROSS_ENTROPY:
      return crossEntropyLoss(z, t, rows, cols);
    case BINARY_CROSS_ENTROPY:
      return binaryCrossEntropyLoss(z, t, rows, cols);
    case HUBER:
      return huberLoss(a, t, rows, cols, params[0]!);
    case MAE:
      return maeLoss(a, t, rows, cols);
    default:
      throw new RangeError(`unknown loss ${kind}`); // src/plan.ts checked the id
  }
}

// d ← dE/dz for a loss fused with its output activation (returns true), else dE/da (false)
export function lossBackward(
  kind: number,
  a: Float64Array,
  t: Float64Array,
  d: Float64Array,
  rows: number,
  cols: number,
  params: Float64Array,
): boolean {
  switch (kind) {
    case MSE:
      mseLossBackward(a, t, d, rows, cols);
      return false;
    case CROSS_ENTROPY:
      crossEntropyLossBackward(a, t, d, rows, cols);
      return true;
    case BINARY_CROSS_ENTROPY:
      binaryCrossEntropyLossBackward(a, t, d, rows, cols);
      return true;
    case HUBER:
      huberLossBackward(a, t, d, rows, cols, params[0]!);
      return false;
    case MAE:
      maeLossBackward(a, t, d, rows, cols);
      return false;
    default:
      throw new RangeError(`unknown loss ${kind}`);
  }
}
