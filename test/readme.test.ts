// The README's first example runs as printed and does what its comment says.
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { pathToFileURL } from "node:url";
import { expect, it, vi } from "vitest";

const ROOT = new URL("..", import.meta.url);

it("the first example learns XOR: predictions ≈ [[0], [1], [1], [0]]", async () => {
  const readme = await readFile(new URL("README.md", ROOT), "utf8");
  const section = readme.slice(readme.indexOf("## A first example"));
  const code = section.slice(section.indexOf("```js") + 5, section.indexOf("```", section.indexOf("```js") + 5));
  expect(code).toContain('from "backprop-wasm"');
  const bundle = pathToFileURL(new URL("dist/backprop-wasm.js", ROOT).pathname).href;
  await mkdir(new URL("test-results/", ROOT), { recursive: true });
  const file = new URL("test-results/readme-first-example.mjs", ROOT);
  await writeFile(file, code.replace('"backprop-wasm"', JSON.stringify(bundle)));
  const log = vi.spyOn(console, "log").mockImplementation(() => {});
  try {
    await import(file.href);
    const predictions = log.mock.calls[0]![0] as number[][];
    expect(predictions.map(([p]) => Math.round(p!))).toEqual([0, 1, 1, 0]);
  } finally {
    log.mockRestore();
  }
});
