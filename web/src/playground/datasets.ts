// The playground's data sets, after the TensorFlow Playground's: points in [−6, 6]², drawn from
// the library's seeded generator, so one seed gives the same points in every browser.
import { Random } from "backprop-wasm";

export const DOMAIN = 6;

export interface Point {
  x: number;
  y: number;
  /** 0 or 1 for a classification set, a value in [−1, 1] for a regression set */
  label: number;
}

export type Problem = "classification" | "regression";

export interface DataSetInfo {
  name: string;
  title: string;
  problem: Problem;
  /** `noise` is 0…0.5 */
  generate(count: number, noise: number, random: Random): Point[];
}

function between(random: Random, lo: number, hi: number): number {
  return lo + (hi - lo) * random.uniform();
}

// Box–Muller: two uniforms give one standard normal
function normal(random: Random, mean: number, deviation: number): number {
  const u = 1 - random.uniform();
  const v = random.uniform();
  return mean + deviation * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

const circle: DataSetInfo = {
  name: "circle",
  title: "Circle",
  problem: "classification",
  generate(count, noise, random) {
    const radius = 5;
    const ring = (lo: number, hi: number, label: number): Point => {
      const r = between(random, lo, hi);
      const angle = between(random, 0, 2 * Math.PI);
      const x = r * Math.sin(angle) + between(random, -radius, radius) * noise;
      const y = r * Math.cos(angle) + between(random, -radius, radius) * noise;
      return { x, y, label };
    };
    return Array.from({ length: count }, (_, i) =>
      i < count / 2 ? ring(0, radius * 0.5, 1) : ring(radius * 0.7, radius, 0),
    );
  },
};

const xor: DataSetInfo = {
  name: "xor",
  title: "Exclusive or",
  problem: "classification",
  generate(count, noise, random) {
    const padding = 0.3;
    const side = () => {
      const v = between(random, -5, 5);
      return v + (v > 0 ? padding : -padding);
    };
    return Array.from({ length: count }, () => {
      const x = side(),
        y = side();
      return {
        x: x + between(random, -5, 5) * noise,
        y: y + between(random, -5, 5) * noise,
        label: x * y >= 0 ? 1 : 0,
      };
    });
  },
};

const gauss: DataSetInfo = {
  name: "gauss",
  title: "Gaussian clusters",
  problem: "classification",
  generate(count, noise, random) {
    const deviation = 0.5 + noise * 7; // 0.5 … 4, as in the TensorFlow Playground
    return Array.from({ length: count }, (_, i) => {
      const label = i < count / 2 ? 1 : 0;
      const centre = label ? 2 : -2;
      return { x: normal(random, centre, deviation), y: normal(random, centre, deviation), label };
    });
  },
};

const spiral: DataSetInfo = {
  name: "spiral",
  title: "Two spirals",
  problem: "classification",
  generate(count, noise, random) {
    const half = count / 2;
    const arm = (i: number, turn: number, label: number): Point => {
      const r = (i / half) * 5;
      const t = ((1.75 * i) / half) * 2 * Math.PI + turn;
      return {
        x: r * Math.sin(t) + between(random, -1, 1) * noise,
        y: r * Math.cos(t) + between(random, -1, 1) * noise,
        label,
      };
    };
    return Array.from({ length: count }, (_, i) => (i < half ? arm(i, 0, 1) : arm(i - half, Math.PI, 0)));
  },
};

const plane: DataSetInfo = {
  name: "plane",
  title: "Plane (regression)",
  problem: "regression",
  generate(count, noise, random) {
    return Array.from({ length: count }, () => {
      const x = between(random, -DOMAIN, DOMAIN),
        y = between(random, -DOMAIN, DOMAIN);
      const label = (x + y) / (2 * DOMAIN);
      return {
        x: x + between(random, -DOMAIN, DOMAIN) * noise,
        y: y + between(random, -DOMAIN, DOMAIN) * noise,
        label,
      };
    });
  },
};

// bumps of ±1 on a 3×3 grid; a point takes the value of the nearest one, fading with distance
const BUMPS = [-4, 0, 4].flatMap((cx, i) => [-4, 0, 4].map((cy, j) => ({ cx, cy, sign: (i + j) % 2 === 0 ? 1 : -1 })));

const bumps: DataSetInfo = {
  name: "bumps",
  title: "Gaussian bumps (regression)",
  problem: "regression",
  generate(count, noise, random) {
    return Array.from({ length: count }, () => {
      const x = between(random, -DOMAIN, DOMAIN),
        y = between(random, -DOMAIN, DOMAIN);
      let label = 0;
      for (const { cx, cy, sign } of BUMPS) {
        const value = sign * Math.exp(-((x - cx) ** 2 + (y - cy) ** 2) / 2);
        if (Math.abs(value) > Math.abs(label)) label = value;
      }
      return {
        x: x + between(random, -DOMAIN, DOMAIN) * noise,
        y: y + between(random, -DOMAIN, DOMAIN) * noise,
        label,
      };
    });
  },
};

export const DATA_SETS: DataSetInfo[] = [circle, xor, gauss, spiral, plane, bumps];

export function dataSet(name: string): DataSetInfo {
  return DATA_SETS.find((d) => d.name === name) ?? circle;
}

/** The points of a set, shuffled and split: the first `trainRatio` of them for training. */
export function makeData(
  info: DataSetInfo,
  options: { count: number; noise: number; trainRatio: number; seed: number },
) {
  const random = new Random(options.seed);
  const points = info.generate(options.count, options.noise, random);
  // Fisher–Yates with the same generator
  for (let i = points.length - 1; i > 0; i--) {
    const j = Math.floor(random.uniform() * (i + 1));
    [points[i], points[j]] = [points[j]!, points[i]!];
  }
  const cut = Math.round(points.length * options.trainRatio);
  return { train: points.slice(0, cut), test: points.slice(cut) };
}
