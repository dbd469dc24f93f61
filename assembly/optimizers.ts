// Parameter updates on pointers. Twin: src/backends/js/optimizers.ts.

// θ ← θ − lr · dE/dθ   (plain gradient descent, the seed's update)
export function sgdStep(params: usize, grads: usize, n: i32, learningRate: f64): void {
  for (let i = 0; i < n; i++) {
    const p = params + (<usize>i << 3);
    store<f64>(p, load<f64>(p) - learningRate * load<f64>(grads + (<usize>i << 3)));
  }
}
