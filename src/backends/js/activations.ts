// Activations and their backward passes, the twin of assembly/activations.ts. Backward passes
// work in place on d: dE/da on entry, dE/dz on exit, computed from the net input z or the
// forward output a. Ids match ACTIVATIONS in src/operations/activations.ts.

export const LINEAR = 0;
export const SIGMOID = 1;
export const TANH = 2;
export const RELU = 3;
export const LEAKY_RELU = 4;
export const SOFTMAX = 5;

export const LEAK = 0.01;

// σ(z) = 1/(1+e^−z), written so that e^x never overflows
export function sigmoidOf(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

export function sigmoid(z: Float64Array, a: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) a[i] = sigmoidOf(z[i]);
}

// dE/dz = dE/dσ · σ(1−σ)
export function sigmoidBackward(a: Float64Array, d: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) d[i] = d[i] * a[i] * (1 - a[i]);
}

export function tanh(z: Float64Array, a: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) a[i] = Math.tanh(z[i]);
}

// tanh′(z) = 1 − tanh²(z)
export function tanhBackward(a: Float64Array, d: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) d[i] = d[i] * (1 - a[i] * a[i]);
}

export function relu(z: Float64Array, a: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) a[i] = z[i] > 0 ? z[i] : 0;
}

// relu′(z) = 1 if z > 0 else 0
export function reluBackward(a: Float64Array, d: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) if (!(a[i] > 0)) d[i] = 0;
}

export function leakyRelu(z: Float64Array, a: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) a[i] = z[i] > 0 ? z[i] : LEAK * z[i];
}

// leakyRelu′(z) = 1 if z > 0 else 0.01
export function leakyReluBackward(a: Float64Array, d: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) if (!(a[i] > 0)) d[i] = d[i] * LEAK;
}

// softmax(z)ⱼ = e^(zⱼ − max z) / Σₖ e^(zₖ − max z), row by row
export function softmax(z: Float64Array, a: Float64Array, rows: number, cols: number): void {
  for (let i = 0; i < rows; i++) {
    const row = i * cols;
    let max = z[row];
    for (let j = 1; j < cols; j++) max = Math.max(max, z[row + j]);
    let sum = 0;
    for (let j = 0; j < cols; j++) {
      const e = Math.exp(z[row + j] - max);
      a[row + j] = e;
      sum += e;
    }
    for (let j = 0; j < cols; j++) a[row + j] = a[row + j] / sum;
  }
}

// dE/dzⱼ = aⱼ · (dE/daⱼ − Σₖ dE/daₖ · aₖ)
export function softmaxBackward(a: Float64Array, d: Float64Array, rows: number, cols: number): void {
  for (let i = 0; i < rows; i++) {
    const row = i * cols;
    let dot = 0;
    for (let j = 0; j < cols; j++) dot += d[row + j] * a[row + j];
    for (let j = 0; j < cols; j++) d[row + j] = a[row + j] * (d[row + j] - dot);
  }
}

// f(z) of one element, for an elementwise activation (not softmax); as the loops above compute it
export function activateOne(kind: number, z: number): number {
  switch (kind) {
    case LINEAR: return z;
    case SIGMOID: return sigmoidOf(z);
    case TANH: return Math.tanh(z);
    case RELU: return z > 0 ? z : 0;
    case LEAKY_RELU: return z > 0 ? z : LEAK * z;
    default: throw new RangeError(`activation ${kind} is not elementwise`);
  }
}

// dE/dz of one element from d = dE/da, z and a, for an elementwise activation; as the loops above
export function backwardOne(kind: number, z: number, a: number, d: number): number {
  switch (kind) {
    case LINEAR: return d;
    case SIGMOID: return d * a * (1 - a);
    case TANH: return d * (1 - a * a);
    case RELU: return a > 0 ? d : 0;
    case LEAKY_RELU: return a > 0 ? d : d * LEAK;
    default: throw new RangeError(`activation ${kind} is not elementwise`);
  }
}

export function activate(kind: number, z: Float64Array, a: Float64Array, rows: number, cols: number): void {
  const n = rows * cols;
  switch (kind) {
    case LINEAR: a.set(z.subarray(0, n)); break; // a = z
    case SIGMOID: sigmoid(z, a, n); break;
    case TANH: tanh(z, a, n); break;
    case RELU: relu(z, a, n); break;
    case LEAKY_RELU: leakyRelu(z, a, n); break;
    case SOFTMAX: softmax(z, a, rows, cols); break;
    default: throw new RangeError(`unknown activation ${kind}`); // src/plan.ts checked the id
  }
}

// d ← dE/dz from d = dE/da, the net input z and the output a (linear: unchanged)
export function activateBackward(kind: number, z: Float64Array, a: Float64Array, d: Float64Array, rows: number, cols: number): void {
  const n = rows * cols;
  switch (kind) {
    case LINEAR: break;
    case SIGMOID: sigmoidBackward(a, d, n); break;
    case TANH: tanhBackward(a, d, n); break;
    case RELU: reluBackward(a, d, n); break;
    case LEAKY_RELU: leakyReluBackward(a, d, n); break;
    case SOFTMAX: softmaxBackward(a, d, rows, cols); break;
    default: throw new RangeError(`unknown activation ${kind}`);
  }
}
