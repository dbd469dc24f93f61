// `npm start` (`backprop explain`, src/cli/seed-walkthrough.ts): the worked example as the post works it, its figures equal to
// the post's formulas computed in seed-formulas.ts, its tables lined up on the decimal point with
// negative values too, and the post's "0.159121960" explained.
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { seedForward, seedRounds, SEED_WEIGHTS } from "./seed-formulas.js";

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL("..", import.meta.url));

/** The figures printed in `line` (ten significant digits), with the column of each one's decimal point. */
const numbers = (line: string) =>
  [...line.matchAll(/-?\d+\.\d{5,}/g)].map((m) => ({ value: Number(m[0]), point: m.index! + m[0].indexOf(".") }));

describe("npm start: the seed example in the terminal", () => {
  let lines: string[];
  beforeAll(async () => {
    const { stdout, stderr } = await run(process.execPath, ["dist/cli.js", "explain"], { cwd: ROOT });
    expect(stderr).toBe("");
    lines = stdout.split("\n");
  });

  const row = (start: string) => {
    const found = lines.find((l) => l.trimStart().startsWith(start));
    expect(found, start).toBeDefined();
    return numbers(found!).map((n) => n.value);
  };
  const close = (printed: number[], expected: number[]) => {
    expect(printed.length).toBe(expected.length);
    // ten significant digits: within 5e-10 relative
    printed.forEach((p, n) =>
      expect(Math.abs(p - expected[n]!), `${p} vs ${expected[n]}`).toBeLessThanOrEqual(
        5e-10 * Math.abs(expected[n]!) + 1e-15,
      ),
    );
  };

  it("works forward, the errors, the output layer (w5…w8), then the hidden layer (w1…w4), in that order", () => {
    const at = (start: string) => lines.findIndex((l) => l.trimStart().startsWith(start));
    const order = [
      "1. Forward",
      "2. Total error",
      "3. Backwards from the output layer",
      "w5 h1→o1",
      "w8 h2→o2",
      "4. The hidden layer",
      "w1 i1→h1",
      "w4 i2→h2",
      "5. 10,000 rounds",
    ].map(at);
    expect(order.every((i) => i >= 0)).toBe(true);
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });

  it("prints every figure as the post's formulas give it", () => {
    const s = seedForward(SEED_WEIGHTS);
    close(row("h1 "), [s.netH[0]!, s.h[0]]);
    close(row("o2 "), [s.netO[1]!, s.out[1]]);
    close(row("E_o1"), [s.E[0]]);
    close(row("E_o2"), [s.E[1]]);
    close(row("E_total").slice(0, 1), [s.E[0] + s.E[1]]);
    // the output layer's ∂E/∂out, ∂out/∂net, δ; the hidden layer's two parts, their sum, ∂out/∂net, δ
    const outputs = lines.filter((l) => /^ {2}o\d {3}/.test(l));
    close(
      numbers(outputs.at(-2)!).map((n) => n.value),
      [s.dEdoutO[0]!, s.doutdnetO[0]!, s.δo[0]],
    );
    close(
      numbers(outputs.at(-1)!).map((n) => n.value),
      [s.dEdoutO[1]!, s.doutdnetO[1]!, s.δo[1]],
    );
    const hidden = lines.filter((l) => /^ {2}h\d {3}/.test(l));
    close(
      numbers(hidden.at(-2)!).map((n) => n.value),
      [s.parts[0][0], s.parts[0][1], s.dEdoutH[0]!, s.doutdnetH[0]!, s.δh[0]],
    );
    close(
      numbers(hidden.at(-1)!).map((n) => n.value),
      [s.parts[1][0], s.parts[1][1], s.dEdoutH[1]!, s.doutdnetH[1]!, s.δh[1]],
    );
    // each weight: w, δ, its input, ∂E/∂w, w⁺ = w − 0.5·∂E/∂w
    const inputs = [0.05, 0.1, 0.05, 0.1, s.h[0], s.h[1], s.h[0], s.h[1]];
    const deltas = [s.δh[0], s.δh[0], s.δh[1], s.δh[1], s.δo[0], s.δo[0], s.δo[1], s.δo[1]];
    ["w1 i1→h1", "w2 i2→h1", "w3 i1→h2", "w4 i2→h2", "w5 h1→o1", "w6 h2→o1", "w7 h1→o2", "w8 h2→o2"].forEach(
      (name, n) =>
        close(row(name), [
          SEED_WEIGHTS[n]!,
          deltas[n]!,
          inputs[n]!,
          s.gradients[n]!,
          SEED_WEIGHTS[n]! - 0.5 * s.gradients[n]!,
        ]),
    );
    const { lastRound, after } = seedRounds(10_000);
    expect(Math.abs(row("E computed in round 10,000")[0]! - lastRound)).toBeLessThan(5e-10 * lastRound);
    expect(Math.abs(row("E after 10,000 updates")[0]! - after)).toBeLessThan(5e-10 * after);
  });

  it("lines its tables up on the decimal point, negative values included", () => {
    // a table: a run of lines indented by two spaces; in it, rows with as many figures have their points in the same columns
    const tables: string[][] = [[]];
    for (const line of lines) {
      if (/^ {2}\S/.test(line)) tables.at(-1)!.push(line);
      else tables.push([]);
    }
    let checked = 0;
    for (const table of tables.filter((t) => t.length > 1)) {
      const byCount = new Map<number, number[][]>();
      for (const line of table) {
        const points = numbers(line).map((n) => n.point);
        byCount.set(points.length, [...(byCount.get(points.length) ?? []), points]);
      }
      for (const rows of byCount.values())
        for (const points of rows.slice(1)) checked++, expect(points).toEqual(rows[0]);
    }
    expect(checked).toBeGreaterThanOrEqual(12);
    // the rows with negative figures among them
    expect(lines.filter((l) => /^ {2}\S/.test(l) && numbers(l).some((n) => n.value < 0)).length).toBeGreaterThanOrEqual(
      5,
    ); // o2, h1, h2, w7, w8
  });

  it("explains the post's 0.159121960", () => {
    const text = lines.join("\n");
    expect(text).toContain("0.159121960");
    expect(text).toMatch(/a slip for 0\.015912196/);
  });
});
