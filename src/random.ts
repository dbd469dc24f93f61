// The one seeded generator of the project, bit for bit the same as assembly/random.ts.
// Mulberry32 (T. Ettinger, 2017): state ← state + 0x6D2B79F5; output = mix(state).

export function mulberry32(state: number): number {
  let t = state | 0;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return (t ^ (t >>> 14)) >>> 0;
}

/** A stream of uniform doubles in [0, 1), 53 random bits each, from a 32-bit seed. */
export class Random {
  /** the generator's whole state: save it to continue the stream later */
  state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  // two draws: hi gives 27 bits, lo 26 (as nextUniform in assembly/random.ts)
  uniform(): number {
    const s1 = (this.state + 0x6d2b79f5) >>> 0;
    const s2 = (s1 + 0x6d2b79f5) >>> 0;
    this.state = s2;
    const hi = mulberry32(s1) >>> 5;
    const lo = mulberry32(s2) >>> 6;
    return (hi * 67108864 + lo) / 9007199254740992;
  }
}
