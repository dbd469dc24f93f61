// Parameter updates, the twin of assembly/optimizers.ts.

// θ ← θ − lr · dE/dθ
export function sgdStep(params: Float64Array, grads: Float64Array, n: number, learningRate: number): void {
  for (let i = 0; i < n; i++) params[i] = params[i] - learningRate * grads[i];
}
