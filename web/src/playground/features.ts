// The input features a point (x, y) ∈ [−6, 6]² can feed the network, each scaled to about
// [−1, 1] so that no input dwarfs the others.
import { DOMAIN, type Point } from "./datasets.js";

export interface Feature {
  name: string;
  /** the label drawn beside its input node */
  label: string;
  value(x: number, y: number): number;
}

const s = (v: number) => v / DOMAIN;

export const FEATURES: Feature[] = [
  { name: "x", label: "x", value: (x) => s(x) },
  { name: "y", label: "y", value: (_, y) => s(y) },
  { name: "xSquared", label: "x²", value: (x) => s(x) ** 2 },
  { name: "ySquared", label: "y²", value: (_, y) => s(y) ** 2 },
  { name: "xTimesY", label: "xy", value: (x, y) => s(x) * s(y) },
  { name: "sinX", label: "sin x", value: (x) => Math.sin(x) },
  { name: "sinY", label: "sin y", value: (_, y) => Math.sin(y) },
];

/** The network's inputs for some points: one row of the chosen features per point. */
export function featureRows(points: readonly { x: number; y: number }[], features: readonly Feature[]): Float64Array {
  const rows = new Float64Array(points.length * features.length);
  points.forEach((p, i) => features.forEach((f, j) => (rows[i * features.length + j] = f.value(p.x, p.y))));
  return rows;
}

export function labelRows(points: readonly Point[]): Float64Array {
  return Float64Array.from(points, (p) => p.label);
}
