// The seed network's 10,000 rounds written straight-line in AssemblyScript, as the hand-written
// JavaScript loop of seed.mjs is: the eight weights in locals (registers), each round's loss
// stored, AssemblyScript's own exp. Not a library path: it is the floor that any Wasm
// implementation of these rounds stands on, compiled by seed.mjs at run time.

// σ(z), as assembly/activations.ts computes it
// @ts-ignore: decorator
@inline function sigma(z: f64): f64 {
  if (z >= 0) return 1.0 / (1.0 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1.0 + e);
}

// room for the weights and the losses (the stub runtime's bump allocator)
export function allocate(bytes: usize): usize {
  return heap.alloc(bytes);
}

// weights: w1..w8 at `weights` (8 f64s), read and written back; losses: one f64 per round.
// x, y, b1, b2 and η are the post's.
export function run(rounds: i32, weights: usize, losses: usize): void {
  const i1 = 0.05, i2 = 0.1, t1 = 0.01, t2 = 0.99, b1 = 0.35, b2 = 0.6, eta = 0.5;
  let w1 = load<f64>(weights), w2 = load<f64>(weights, 8), w3 = load<f64>(weights, 16), w4 = load<f64>(weights, 24);
  let w5 = load<f64>(weights, 32), w6 = load<f64>(weights, 40), w7 = load<f64>(weights, 48), w8 = load<f64>(weights, 56);
  for (let r = 0; r < rounds; r++) {
    const h1 = sigma(w1 * i1 + w2 * i2 + b1), h2 = sigma(w3 * i1 + w4 * i2 + b1);
    const o1 = sigma(w5 * h1 + w6 * h2 + b2), o2 = sigma(w7 * h1 + w8 * h2 + b2);
    store<f64>(losses + (<usize>r << 3), 0.5 * (t1 - o1) * (t1 - o1) + 0.5 * (t2 - o2) * (t2 - o2));
    const d1 = (o1 - t1) * o1 * (1 - o1), d2 = (o2 - t2) * o2 * (1 - o2);
    const dh1 = (d1 * w5 + d2 * w7) * h1 * (1 - h1), dh2 = (d1 * w6 + d2 * w8) * h2 * (1 - h2);
    w5 -= eta * d1 * h1; w6 -= eta * d1 * h2; w7 -= eta * d2 * h1; w8 -= eta * d2 * h2;
    w1 -= eta * dh1 * i1; w2 -= eta * dh1 * i2; w3 -= eta * dh2 * i1; w4 -= eta * dh2 * i2;
  }
  store<f64>(weights, w1); store<f64>(weights, w2, 8); store<f64>(weights, w3, 16); store<f64>(weights, w4, 24);
  store<f64>(weights, w5, 32); store<f64>(weights, w6, 40); store<f64>(weights, w7, 48); store<f64>(weights, w8, 56);
}
