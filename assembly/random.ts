// The one seeded generator of the project, bit for bit the same as src/random.ts.
// Mulberry32 (T. Ettinger, 2017): state ← state + 0x6D2B79F5; output = mix(state).

export function mulberry32(state: u32): u32 {
  let t = state;
  t = (t ^ (t >>> 15)) * (t | 1);
  t ^= t + (t ^ (t >>> 7)) * (t | 61);
  return t ^ (t >>> 14);
}

// Uniform double in [0, 1) with 53 random bits from two draws (hi: 27 bits, lo: 26 bits).
// Advances the state stored at statePtr by two steps.
export function nextUniform(statePtr: usize): f64 {
  const s1 = load<u32>(statePtr) + 0x6d2b79f5;
  const s2 = s1 + 0x6d2b79f5;
  store<u32>(statePtr, s2);
  const hi = mulberry32(s1) >>> 5;
  const lo = mulberry32(s2) >>> 6;
  return (<f64>hi * 67108864.0 + <f64>lo) / 9007199254740992.0;
}

// Fills weights[units×inputs] with U(−limit, limit), limit = √(6/fanIn) (He, for relu-like
// layers) or √(6/(fanIn+fanOut)) (Glorot & Bengio 2010). Draws in row-major order.
export function initUniform(statePtr: usize, weights: usize, units: i32, inputs: i32, he: bool): void {
  const limit = he ? Math.sqrt(6.0 / <f64>inputs) : Math.sqrt(6.0 / <f64>(inputs + units));
  const n = units * inputs;
  for (let i = 0; i < n; i++) {
    store<f64>(weights + (<usize>i << 3), (2.0 * nextUniform(statePtr) - 1.0) * limit);
  }
}
