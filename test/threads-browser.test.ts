// Threads in Chromium: only a cross-origin isolated page or worker has SharedArrayBuffer, and a
// page's main thread may not block in Atomics.wait. So in a page served with COOP and COEP, a
// network in a worker (a module worker of our own, or createTrainingWorker's) gets its threads and
// computes, bit for bit, what one thread computes in Node; on the page's main thread, and in any
// page that is not isolated, the same network runs on one thread. The playground, served
// isolated as `npm run demo` serves it, trains on every core; opened from disk, on one.
import { copyFile, mkdtemp, rm, writeFile } from "node:fs/promises";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as lib from "../src/index.js";
import { bits, launchChromium, openPage, serveDirectory, skipBrowser } from "./web-helpers.js";

const ISOLATED = { "Cross-Origin-Opener-Policy": "same-origin", "Cross-Origin-Embedder-Policy": "require-corp" };

// Runs in Node on the sources and, through its source text, in pages and workers on the bundle.
// Its products (64×96·96×160 and 160×64·64×96) are above the threshold, so they are split.
async function train(lib: typeof import("../src/index.js"), threads: number, where: "here" | "trainingWorker") {
  let s = 12345;
  const next = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296) * 2 - 1;
  const x = Array.from({ length: 128 }, () => Array.from({ length: 96 }, next));
  const y = Array.from({ length: 128 }, (_, i) => [0, 1, 2, 3].map((j) => (j === i % 4 ? 1 : 0)));
  const spec = {
    inputs: 96,
    layers: [
      { units: 160, activation: "tanh" as const },
      { units: 4, activation: "softmax" as const },
    ],
    loss: "crossEntropy" as const,
    seed: 5,
    threads,
  };
  const options = { epochs: 3, batchSize: 64, optimizer: "adam" as const, learningRate: 0.01 };
  if (where === "trainingWorker") {
    const net = await lib.createTrainingWorker(spec);
    const history = await net.fit(x, y, options);
    const result = {
      threads: net.threads,
      history,
      parameters: await net.getParameters(),
      predictions: await net.predict(x),
    };
    await net.dispose();
    return result;
  }
  const net = await lib.Network.create(spec);
  // The workers start with the first split product and join as they come up (in Chromium a worker
  // takes ~0.1 s to start): predict until they take tiles (a private field, read for this test only)
  type Internals = { backendRef: { core: { coreThreads?: { workerTiles: number } } } };
  const workerTiles = (): number => (net as unknown as Internals).backendRef.core.coreThreads?.workerTiles ?? 0;
  for (let i = 0; i < 300 && net.threads > 1 && workerTiles() === 0; i++) {
    net.predict(x);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const joined = workerTiles();
  const history = await net.fit(x, y, options);
  const result = { threads: net.threads, history, parameters: net.getParameters(), predictions: net.predict(x) };
  const during = workerTiles() - joined;
  net.dispose();
  return { ...result, workerTiles: during };
}

const PAGE = `<!doctype html>
<link rel="icon" href="data:,">
<script type="module">
  import * as lib from "./backprop-wasm.js";
  const train = ${train.toString()};
  const inWorker = (threads) => new Promise((resolve, reject) => {
    const worker = new Worker("./worker.js", { type: "module" });
    worker.onmessage = (event) => (worker.terminate(), resolve(event.data));
    worker.onerror = (event) => reject(new Error(event.message));
    worker.postMessage(threads);
  });
  (async () => ({
    isolated: globalThis.crossOriginIsolated,
    mainThread: await train(lib, 2, "here"),
    worker: await inWorker(2),
    trainingWorker: await train(lib, 2, "trainingWorker"),
  }))().then((result) => (window.__result = result), (error) => (window.__error = String(error?.stack ?? error)));
</script>`;

const WORKER = `import * as lib from "./backprop-wasm.js";
const train = ${train.toString()};
onmessage = async (event) => postMessage(await train(lib, event.data, "here"));
`;

describe.skipIf(skipBrowser)("threads in Chromium", () => {
  let context: BrowserContext;
  let close: () => Promise<void>;
  let dir: string;
  const servers: Server[] = [];
  const serve = async (root: string, headers?: Record<string, string>) => {
    const server = await serveDirectory(root, headers);
    servers.push(server);
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "backprop-threads-"));
    await copyFile(fileURLToPath(new URL("../dist/backprop-wasm.js", import.meta.url)), join(dir, "backprop-wasm.js"));
    await writeFile(join(dir, "index.html"), PAGE);
    await writeFile(join(dir, "worker.js"), WORKER);
    ({ context, close } = await launchChromium());
  });

  afterAll(async () => {
    await close?.();
    for (const server of servers) server.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function resultOf(address: string) {
    const { page, errors } = await openPage(context, address, { width: 800, height: 600 });
    await page.waitForFunction(() => "__result" in window || "__error" in window, undefined, { timeout: 60_000 });
    const failure = await page.evaluate(() => (window as { __error?: string }).__error);
    expect(failure).toBeUndefined();
    const result = await page.evaluate(
      () => (window as unknown as { __result: Record<string, { threads: number }> & { isolated: boolean } }).__result,
    );
    await page.close();
    expect(errors).toEqual([]);
    return result;
  }

  it("an isolated page's workers get their threads and compute Node's one-thread bits; its main thread and a page that is not isolated run on one", async () => {
    const expected = await train(lib, 1, "here");
    expect(expected.threads).toBe(1);
    const isolated = await resultOf(await serve(dir, ISOLATED));
    expect(isolated.isolated).toBe(true);
    expect([isolated.mainThread!.threads, isolated.worker!.threads, isolated.trainingWorker!.threads]).toEqual([
      1, 2, 2,
    ]);
    const plain = await resultOf(await serve(dir));
    expect(plain.isolated).toBe(false);
    expect([plain.mainThread!.threads, plain.worker!.threads, plain.trainingWorker!.threads]).toEqual([1, 1, 1]);
    expect((isolated.worker as unknown as { workerTiles: number }).workerTiles).toBeGreaterThan(0);
    for (const result of [isolated, plain]) {
      for (const where of ["mainThread", "worker", "trainingWorker"]) {
        const { threads: _, workerTiles: _w, ...numbers } = result[where]! as unknown as Record<string, unknown>;
        const { threads: __, workerTiles: __w, ...reference } = expected as unknown as Record<string, unknown>;
        expect(bits(numbers), where).toEqual(bits(reference));
      }
    }
  }, 120_000);

  it("the playground trains on every core when served isolated (npm run demo), on one when opened from disk", async () => {
    const site = fileURLToPath(new URL("../web/dist/", import.meta.url));
    const query = "?data=circle&seed=1&pace=fastest";
    const threadsOf = async (address: string) => {
      const { page, errors } = await openPage(context, address, { width: 1280, height: 900 });
      await page.waitForSelector("body[data-threads]");
      const threads = await page.evaluate(() => ({
        got: document.body.dataset.threads,
        cores: navigator.hardwareConcurrency,
      }));
      await page.close();
      expect(errors).toEqual([]);
      return threads;
    };
    const isolated = await threadsOf(`${await serve(site, ISOLATED)}index.html${query}`);
    expect(isolated.got).toBe(String(Math.min(16, isolated.cores)));
    expect((await threadsOf(`${pathToFileURL(join(site, "index.html")).href}${query}`)).got).toBe("1");
  }, 60_000);
});
