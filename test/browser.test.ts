// The built package (dist/backprop-wasm.js, the one-file bundle) in real headless Chromium
// computes the same numbers as the sources in Node, bit for bit: the Wasm core must not
// depend on the JavaScript engine.
import { accessSync, constants } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { delimiter, extname, join, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as lib from "../src/index.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const ARGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
];
const MIME: Record<string, string> = {
  ".js": "text/javascript", ".mjs": "text/javascript", ".html": "text/html", ".wasm": "application/wasm",
  ".json": "application/json", ".map": "application/json",
};

// Runs in Node on the sources and, through its source text, in the page on dist/: so it must
// use nothing but its argument.
async function workload(lib: typeof import("../src/index.js")) {
  const seed = await lib.runSeedExample("wasm");
  const net = await lib.Network.create({
    inputs: 3,
    layers: [{ units: 5, activation: "tanh" }, { units: 2, activation: "softmax" }],
    loss: "crossEntropy",
    seed: 42,
    backend: "wasm",
  });
  const x = [[0.5, -1, 0.25], [-0.3, 0.8, 1.2], [1.5, 0.1, -0.6], [0, -0.4, 0.9]];
  const y = [[1, 0], [0, 1], [1, 0], [0, 1]];
  const initial = net.getParameters();
  const losses: number[] = [];
  for (let i = 0; i < 50; i++) losses.push(net.trainStep(x, y, { learningRate: 0.1 }));
  const network = { initial, losses, parameters: net.getParameters(), predictions: net.predict(x) };
  net.dispose();
  return { seed, network };
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

function findOnPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    const file = join(dir, name);
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {}
  }
  return undefined;
}

/** Each number as the hex of its IEEE-754 bits, so that equality is bit equality (−0, NaN included). */
function bits(value: unknown): unknown {
  if (typeof value === "number") {
    const view = new DataView(new ArrayBuffer(8));
    view.setFloat64(0, value);
    return view.getBigUint64(0).toString(16).padStart(16, "0");
  }
  if (Array.isArray(value)) return value.map(bits);
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, bits(v)]));
  return value;
}

function serve(): Promise<Server> {
  const server = createServer(async (request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? "/", "http://localhost").pathname);
    if (path === "/__smoke.html") {
      response.writeHead(200, { "content-type": "text/html" }).end(PAGE);
      return;
    }
    const file = resolve(ROOT, `.${path}`);
    try {
      if (!file.startsWith(ROOT.endsWith(sep) ? ROOT : ROOT + sep)) throw new Error("outside the root");
      const body = await readFile(file);
      response.writeHead(200, { "content-type": MIME[extname(file)] ?? "application/octet-stream" }).end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  return new Promise((done) => server.listen(0, "127.0.0.1", () => done(server)));
}

const chromiumPath = findOnPath("chromium");
const skip = !chromiumPath && process.env.BACKPROP_SKIP_BROWSER === "1";

describe("in headless Chromium", () => {
  let server: Server | undefined;
  let context: BrowserContext | undefined;
  let userDataDir: string | undefined;

  beforeAll(async () => {
    if (!chromiumPath) return;
    server = await serve();
    userDataDir = await mkdtemp(join(tmpdir(), "backprop-chromium-"));
    context = await chromium.launchPersistentContext(userDataDir, { executablePath: chromiumPath, headless: true, args: ARGS });
  });

  afterAll(async () => {
    await context?.close();
    if (userDataDir) await rm(userDataDir, { recursive: true, force: true });
    await new Promise((done) => (server ? server.close(done) : done(undefined)));
  });

  it.skipIf(skip)(
    skip ? "skipped: chromium is not installed and BACKPROP_SKIP_BROWSER=1" : "the bundle computes the seed example and a training run bit-identically to Node",
    async () => {
      if (!chromiumPath || !context || !server)
        throw new Error("chromium not found on PATH: install it (apt-get install chromium), or set BACKPROP_SKIP_BROWSER=1 to skip this test");
      const page = await context.newPage();
      const errors: string[] = [];
      page.on("console", (message) => {
        if (message.type() === "error") errors.push(`console: ${message.text()}`);
      });
      page.on("pageerror", (error) => errors.push(`pageerror: ${error.message}`));

      const { port } = server.address() as AddressInfo;
      await page.goto(`http://127.0.0.1:${port}/__smoke.html`);
      await page.waitForFunction("window.__result !== undefined || window.__error !== undefined");
      const pageError: unknown = await page.evaluate("window.__error");
      expect({ pageError, errors }).toEqual({ pageError: undefined, errors: [] });
      const browser = (await page.evaluate("window.__result")) as Awaited<ReturnType<typeof workload>>;
      const node = await workload(lib);

      expect(browser.seed.first.loss).toBeCloseTo(lib.SEED_EXAMPLE.post.initialError, 9);
      expect(bits(browser.seed)).toEqual(bits(node.seed));
      expect(bits(browser.network)).toEqual(bits(node.network));
    },
  );
});
