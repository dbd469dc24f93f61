// The real-data examples reach the accuracy the README promises on their held-out rows.
import { pathToFileURL } from "node:url";
import { expect, it } from "vitest";

type Example = {
  main: (options: {
    log: (line: string) => void;
    backend?: string;
    epochs?: number;
    threads?: number | "auto";
  }) => Promise<{ loss: number; accuracy: number }>;
};
const load = (name: string): Promise<Example> =>
  import(pathToFileURL(`${import.meta.dirname}/../examples/${name}.mjs`).href);

it("iris: ≥ 95% of the held-out flowers, on both backends", async () => {
  const { main } = await load("iris");
  for (const backend of ["wasm", "js"]) {
    const lines: string[] = [];
    const test = await main({ log: (line) => lines.push(line), backend });
    expect(test.accuracy).toBeGreaterThanOrEqual(0.95);
    expect(lines.at(-1)).toMatch(/^held-out: loss 0\.\d+, accuracy \d+\.\d% \(45 flowers\)$/);
  }
});

it("mnist: ≥ 95% of the 2,000 held-out digits with a 784-128-10 network in 10 epochs", async () => {
  const { main } = await load("mnist");
  const lines: string[] = [];
  const test = await main({ log: (line) => lines.push(line) });
  expect(test.accuracy).toBeGreaterThanOrEqual(0.95);
  expect(lines.filter((line) => line.startsWith("epoch"))).toHaveLength(10);
}, 300_000);

it('mnist: threads: "auto" (its default) gives what one thread gives, bit for bit', async () => {
  const { main } = await load("mnist");
  const log = () => {};
  expect(await main({ log, epochs: 1 })).toEqual(await main({ log, epochs: 1, threads: 1 }));
}, 120_000);
