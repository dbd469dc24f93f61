// The built package (dist/backprop-wasm.js, the one-file bundle) in real headless Chromium
// computes the same numbers as the sources in Node, bit for bit: the Wasm core must not
// depend on the JavaScript engine.
import { mkdir, writeFile } from "node:fs/promises";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as lib from "../src/index.js";
import { bits, chromiumPath, launchChromium, serveDirectory, skipBrowser as skip } from "./web-helpers.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

// Runs in Node on the sources and, through its source text, in the page on dist/: so it must
// use nothing but its argument.
async function workload(lib: typeof import("../src/index.js")) {
  const seed = await lib.runSeedExample("wasm");
  const net = await lib.Network.create({
    inputs: 3,
    layers: [
      { units: 5, activation: "tanh" },
      { units: 2, activation: "softmax" },
    ],
    loss: "crossEntropy",
    seed: 42,
    backend: "wasm",
  });
  const x = [
    [0.5, -1, 0.25],
    [-0.3, 0.8, 1.2],
    [1.5, 0.1, -0.6],
    [0, -0.4, 0.9],
  ];
  const y = [
    [1, 0],
    [0, 1],
    [1, 0],
    [0, 1],
  ];
  const initial = net.getParameters();
  const losses: number[] = [];
  for (let i = 0; i < 50; i++) losses.push(net.trainStep(x, y, { learningRate: 0.1 }));
  const network = { initial, losses, parameters: net.getParameters(), predictions: net.predict(x) };
  net.dispose();
  // the toolbox (issue 12): erfc through gelu, expm1, log1p, dropout's masks, every optimizer, clipping, L1, schedules
  const toolbox = [];
  const settings = [
    {
      optimizer: { name: "rmsprop", centered: true, momentum: 0.5 },
      l1: 0.001,
      clipGradientNorm: 1,
      learningRateSchedule: { name: "cosine", epochs: 4 },
    },
    {
      optimizer: { name: "adagrad", lrDecay: 0.01, initialAccumulatorValue: 0.1 },
      learningRateSchedule: { name: "step", stepSize: 2, gamma: 0.5 },
    },
    { optimizer: "adamw", weightDecay: 0.05, learningRateSchedule: { name: "plateau", patience: 0 } },
  ] as const;
  for (const [i, options] of settings.entries()) {
    const deep = await lib.Network.create({
      inputs: 3,
      layers: [
        { units: 6, activation: "gelu", dropout: 0.25 },
        { units: 5, activation: "elu" },
        { units: 4, activation: "softplus", dropout: 0.1 },
        { units: 3, activation: "silu" },
        { units: 2, activation: "linear" },
      ],
      loss: i === 1 ? "mae" : { name: "huber", delta: 0.5 },
      seed: 7 + i,
      backend: "wasm",
    });
    const wide = x.map((row) => row.map((v) => 8 * v)); // far into each activation's tails
    const history = await deep.fit(wide, y, { epochs: 4, batchSize: 3, learningRate: 0.05, ...options });
    toolbox.push({ history, parameters: deep.getParameters(), predictions: deep.predict(wide), json: deep.toJSON() });
    deep.dispose();
  }
  return { seed, network, toolbox };
}

const PAGE = `<!doctype html>
<link rel="icon" href="data:,">
<script type="module">
  const workload = ${workload.toString()};
  try {
    window.__result = await workload(await import("/dist/backprop-wasm.js"));
  } catch (error) {
    window.__error = String(error?.stack ?? error);
  }
</script>`;

describe("in headless Chromium", () => {
  let server: Server | undefined;
  let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;
  let context: BrowserContext | undefined;

  beforeAll(async () => {
    if (!chromiumPath) return;
    await mkdir(`${ROOT}/test-results`, { recursive: true });
    await writeFile(`${ROOT}/test-results/smoke.html`, PAGE);
    server = await serveDirectory(ROOT);
    browser = await launchChromium();
    context = browser.context;
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((done) => (server ? server.close(done) : done(undefined)));
  });

  it.skipIf(skip)(
    skip
      ? "skipped: chromium is not installed and BACKPROP_SKIP_BROWSER=1"
      : "the bundle computes the seed example and a training run bit-identically to Node",
    async () => {
      if (!chromiumPath || !context || !server)
        throw new Error(
          "chromium not found on PATH: install it (apt-get install chromium), or set BACKPROP_SKIP_BROWSER=1 to skip this test",
        );
      const page = await context.newPage();
      const errors: string[] = [];
      page.on("console", (message) => {
        if (message.type() === "error") errors.push(`console: ${message.text()}`);
      });
      page.on("pageerror", (error) => errors.push(`pageerror: ${error.message}`));

      const { port } = server.address() as AddressInfo;
      await page.goto(`http://127.0.0.1:${port}/test-results/smoke.html`);
      await page.waitForFunction("window.__result !== undefined || window.__error !== undefined");
      const pageError: unknown = await page.evaluate("window.__error");
      expect({ pageError, errors }).toEqual({ pageError: undefined, errors: [] });
      const browser = (await page.evaluate("window.__result")) as Awaited<ReturnType<typeof workload>>;
      const node = await workload(lib);

      expect(browser.seed.first.loss).toBeCloseTo(lib.SEED_EXAMPLE.post.initialError, 9);
      expect(bits(browser.seed)).toEqual(bits(node.seed));
      expect(bits(browser.network)).toEqual(bits(node.network));
      expect(bits(browser.toolbox)).toEqual(bits(node.toolbox));
      expect(browser.toolbox).toHaveLength(3);
    },
  );
});
