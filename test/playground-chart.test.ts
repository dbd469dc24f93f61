// The loss chart's arithmetic (web/src/playground/chart.ts): ticks on a log axis, the mean of the
// epochs a pixel column covers, and the debiased exponential smoothing, against values worked by hand.
import { describe, expect, it } from "vitest";
import { columnMeans, logTicks, smooth } from "../web/src/playground/chart.js";

describe("the loss chart", () => {
  it("puts ticks at each decade over several decades, at 1, 2 and 5 within one or two, at every digit within a narrow range", () => {
    const ticks = (low: number, high: number) =>
      logTicks(Math.log10(low), Math.log10(high)).map((t) => Number(t.toPrecision(3)));
    expect(ticks(6e-5, 0.5)).toEqual([1e-4, 1e-3, 1e-2, 1e-1]);
    expect(ticks(0.015, 0.6)).toEqual([0.02, 0.05, 0.1, 0.2, 0.5]);
    expect(ticks(0.55, 0.95)).toEqual([0.6, 0.7, 0.8, 0.9]);
    // too narrow for even one digit's steps: the ends of the range
    expect(ticks(0.62, 0.68)).toEqual([0.62, 0.68]);
  });

  it("gives each column the mean of log10(loss) over the epochs it covers, skipping values that are not finite and positive", () => {
    // 6 epochs over 3 columns: two each
    expect(columnMeans([1, 100, 10, 10, 1000, 0.1], 3)).toEqual([
      { epoch: 0.5, log: 1 },
      { epoch: 2.5, log: 1 },
      { epoch: 4.5, log: 1 },
    ]);
    expect(columnMeans([1, Infinity, 0, NaN], 2)).toEqual([
      { epoch: 0.5, log: 0 },
      { epoch: 2.5, log: NaN },
    ]);
    // fewer epochs than columns: one column each
    expect(columnMeans([10, 100], 50).map((c) => c.log)).toEqual([1, 2]);
  });

  it("smooths as s_t = β·s_{t−1} + (1 − β)·x_t divided by 1 − β^t, so a constant stays constant from the first value", () => {
    expect(smooth([3, 3, 3], 0.9).map((v) => Number(v.toFixed(12)))).toEqual([3, 3, 3]);
    // β = 0.5: s1 = 0.5·2 / 0.5 = 2; s2 = (0.5·1 + 0.5·4) / 0.75 = 10/3
    const [a, b] = smooth([2, 4], 0.5);
    expect(a).toBeCloseTo(2, 14);
    expect(b).toBeCloseTo(10 / 3, 14);
    expect(smooth([1, NaN, 1], 0.5).map(Number.isNaN)).toEqual([false, true, false]);
  });
});
