// Seeded weight initialisation, the twin of assembly/random.ts (the generator is src/random.ts).
import type { Random } from "../../random.js";

// weights[units×inputs] ~ U(−limit, limit), limit = √(6/fanIn) (He) or √(6/(fanIn+fanOut)) (Glorot)
export function initUniform(random: Random, weights: Float64Array, units: number, inputs: number, he: boolean): void {
  const limit = he ? Math.sqrt(6 / inputs) : Math.sqrt(6 / (inputs + units));
  const n = units * inputs;
  for (let i = 0; i < n; i++) weights[i] = (2 * random.uniform() - 1) * limit;
}
