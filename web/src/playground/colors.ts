// One diverging scale for every value drawn: orange for −1, a pale grey for 0, blue for +1
// (class 0 and class 1, negative and positive weights, low and high outputs).
const NEGATIVE = [245, 147, 34];
const NEUTRAL = [232, 234, 235];
const POSITIVE = [8, 119, 189];

export const ORANGE = "rgb(245, 147, 34)";
export const BLUE = "rgb(8, 119, 189)";

/** The colour of v ∈ [−1, 1] (clamped) as [r, g, b]. */
export function rgb(v: number): [number, number, number] {
  const t = Math.max(-1, Math.min(1, v));
  const end = t < 0 ? NEGATIVE : POSITIVE;
  const a = Math.abs(t);
  return [0, 1, 2].map((i) => Math.round(NEUTRAL[i]! + (end[i]! - NEUTRAL[i]!) * a)) as [number, number, number];
}

export function css(v: number): string {
  return `rgb(${rgb(v).join(", ")})`;
}
