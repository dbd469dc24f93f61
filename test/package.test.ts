// The package as published (npm pack), used as people use it: imported by a plain
// <script type="module"> page with no import map, by a page built with Vite with no
// configuration, and by Node. Each computes what the sources compute in Node, bit for bit,
// with a Network in the page and with one in a training worker.
import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as lib from "../src/index.js";
import { bits, launchChromium, serveDirectory, skipBrowser } from "./web-helpers.js";

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL("..", import.meta.url));

// Runs in Node on the sources and, through its source text, in the pages on the package: so it
// must use nothing but its argument.
async function workload(lib: typeof import("../src/index.js")) {
  const spec = {
    inputs: 3,
    layers: [
      { units: 6, activation: "tanh" as const },
      { units: 2, activation: "softmax" as const },
    ],
    loss: "crossEntropy" as const,
    seed: 42,
  };
  const x = [
    [0.5, -1, 0.25],
    [-0.3, 0.8, 1.2],
    [1.5, 0.1, -0.6],
    [0, -0.4, 0.9],
    [0.7, 0.7, -0.2],
    [-1.1, 0.3, 0.4],
  ];
  const y = [
    [1, 0],
    [0, 1],
    [1, 0],
    [0, 1],
    [1, 0],
    [0, 1],
  ];
  const options = { epochs: 25, batchSize: 2, optimizer: "adam" as const, learningRate: 0.05 };

  const net = await lib.Network.create(spec);
  const initial = net.getParameters();
  const history = await net.fit(x, y, options);
  const inPage = {
    initial,
    history,
    parameters: net.getParameters(),
    predictions: net.predict(x),
    evaluation: net.evaluate(x, y),
  };
  net.dispose();

  const worker = await lib.createTrainingWorker(spec);
  const reported: unknown[] = [];
  const workerHistory = await worker.fit(x, y, {
    ...options,
    onEpochEnd: (epoch, logs) => void reported.push([epoch, logs.loss]),
  });
  let error: unknown;
  try {
    await worker.predict([[1, 2]]);
  } catch (e) {
    const caught = e as Error;
    error = {
      name: caught.name,
      message: caught.message,
      isShapeError: caught instanceof lib.ShapeError,
      isRangeError: caught instanceof RangeError,
    };
  }
  const inWorker = {
    history: workerHistory,
    reported,
    parameters: await worker.getParameters(),
    predictions: await worker.predict(x),
    error,
  };
  await worker.dispose();

  const seed = await lib.runSeedExample("wasm");
  return { inPage, inWorker, seed: { first: seed.first.loss, exact: seed.exact } };
}

const APP_MAIN = `import * as lib from "backprop-wasm";
const workload = ${workload.toString()};
workload(lib).then((result) => (window.__result = result), (error) => (window.__error = String(error?.stack ?? error)));
`;

const PLAIN_PAGE = `<!doctype html>
<link rel="icon" href="data:,">
<script type="module">
  import * as lib from "./node_modules/backprop-wasm/dist/backprop-wasm.js";
  const workload = ${workload.toString()};
  workload(lib).then((result) => (window.__result = result), (error) => (window.__error = String(error?.stack ?? error)));
</script>`;

// a classic script, on a page opened from disk: Chromium runs no module script on a file:// page
const DISK_PAGE = `<!doctype html>
<link rel="icon" href="data:,">
<script src="./node_modules/backprop-wasm/dist/umd/backprop-wasm.js"></script>
<script>
  const workload = ${workload.toString()};
  workload(backpropWasm).then((result) => (window.__result = result), (error) => (window.__error = String(error?.stack ?? error)));
</script>`;

const VITE_PAGE = `<!doctype html>
<link rel="icon" href="data:,">
<script type="module" src="./main.js"></script>`;

describe("the published package", () => {
  let app: string;
  let packed: string[];
  let server: Server;
  let viteServer: Server;
  let context: BrowserContext;
  let close: () => Promise<void>;

  beforeAll(async () => {
    app = await mkdtemp(join(tmpdir(), "backprop-package-"));
    const { stdout } = await run("npm", ["pack", "--json", "--pack-destination", app], { cwd: ROOT });
    const [pack] = JSON.parse(stdout) as { filename: string; files: { path: string }[] }[];
    packed = pack!.files.map((f) => f.path).sort();
    const installed = join(app, "node_modules", "backprop-wasm");
    await mkdir(installed, { recursive: true });
    await run("tar", ["-xzf", join(app, pack!.filename), "-C", installed, "--strip-components=1"]);

    await writeFile(join(app, "plain.html"), PLAIN_PAGE);
    await writeFile(join(app, "disk.html"), DISK_PAGE);
    await mkdir(join(app, "vite-app"));
    await writeFile(join(app, "vite-app", "index.html"), VITE_PAGE);
    await writeFile(join(app, "vite-app", "main.js"), APP_MAIN);
    // a plain `vite build` in an app that installed the package: no config file, no options
    await mkdir(join(app, "vite-app", "node_modules"));
    await run("ln", ["-s", installed, join(app, "vite-app", "node_modules", "backprop-wasm")]);
    await run(process.execPath, [join(ROOT, "node_modules", "vite", "bin", "vite.js"), "build", "--logLevel", "warn"], {
      cwd: join(app, "vite-app"),
    });

    server = await serveDirectory(app);
    viteServer = await serveDirectory(join(app, "vite-app", "dist"));
    if (!skipBrowser) ({ context, close } = await launchChromium());
  });

  afterAll(async () => {
    await close?.();
    for (const s of [server, viteServer]) await new Promise((done) => (s ? s.close(done) : done(undefined)));
    if (app) await rm(app, { recursive: true, force: true });
  });

  it("holds the one self-contained bundle, its type declarations and the backprop command (test/cli.test.ts), and depends on nothing", async () => {
    const manifest = JSON.parse(await readFile(join(app, "node_modules", "backprop-wasm", "package.json"), "utf8"));
    expect(manifest.exports).toEqual({
      ".": {
        import: { types: "./dist/index.d.ts", default: "./dist/backprop-wasm.js" },
        require: { types: "./dist/umd/index.d.ts", default: "./dist/umd/backprop-wasm.js" },
        default: "./dist/backprop-wasm.js",
      },
    });
    expect(manifest.dependencies).toBeUndefined();
    expect(packed).toContain("dist/backprop-wasm.js");
    expect(packed).toContain("dist/index.d.ts");
    expect(packed).toContain("dist/worker/client.d.ts");
    expect(packed).toContain("dist/umd/index.d.ts");
    const expected = [
      "package.json",
      "README.md",
      "LICENSE",
      "dist/backprop-wasm.js",
      "dist/umd/backprop-wasm.js",
      "dist/umd/package.json",
      "dist/cli.js",
    ];
    const unexpected = packed.filter((p) => !expected.includes(p) && !p.endsWith(".d.ts"));
    expect(unexpected).toEqual([]);
    expect(packed.filter((p) => p.includes(".generated."))).toEqual([]);

    for (const file of ["backprop-wasm.js", "umd/backprop-wasm.js"]) {
      const bundle = await readFile(join(app, "node_modules", "backprop-wasm", "dist", file), "utf8");
      expect(bundle).not.toMatch(/^\s*import\b|\bimport\s*\(|\brequire\s*\(/m);
    }
  });

  it("in Node, imported from the tarball, computes what the sources compute, bit for bit", async () => {
    const packaged = (await import(
      pathToFileURL(join(app, "node_modules", "backprop-wasm", "dist", "backprop-wasm.js")).href
    )) as typeof lib;
    const required = createRequire(join(app, "index.js"))("backprop-wasm") as typeof lib;
    const [fromPackage, fromRequire, fromSources] = await Promise.all([
      workload(packaged),
      workload(required),
      workload(lib),
    ]);
    expect(fromPackage.seed.first).toBeCloseTo(lib.SEED_EXAMPLE.post.initialError, 9);
    expect(bits(fromPackage)).toEqual(bits(fromSources));
    expect(bits(fromRequire)).toEqual(bits(fromSources));
    expect(required.Network).not.toBe(packaged.Network); // require() found the UMD copy
  });

  const served = (s: () => Server, path: string) => () =>
    `http://127.0.0.1:${(s().address() as AddressInfo).port}${path}`;
  const pages = [
    { name: "a plain page with no import map", address: served(() => server, "/plain.html") },
    { name: "a page built by Vite with no configuration", address: served(() => viteServer, "/") },
    {
      name: "a page opened from disk, with the UMD bundle as a classic script,",
      address: () => pathToFileURL(join(app, "disk.html")).href,
    },
  ];
  for (const { name, address } of pages) {
    it.skipIf(skipBrowser)(
      `in Chromium, ${name} imports it and gets Node's numbers bit for bit, in the page and in a worker`,
      async () => {
        const page = await context.newPage();
        const errors: string[] = [];
        page.on("console", (message) => {
          if (message.type() === "error") errors.push(`console: ${message.text()}`);
        });
        page.on("pageerror", (error) => errors.push(`pageerror: ${error.message}`));
        await page.goto(address());
        await page.waitForFunction("window.__result !== undefined || window.__error !== undefined");
        expect({ error: await page.evaluate("window.__error"), errors }).toEqual({ error: undefined, errors: [] });
        const browser = (await page.evaluate("window.__result")) as Awaited<ReturnType<typeof workload>>;
        const node = await workload(lib);

        expect(browser.seed.first).toBeCloseTo(lib.SEED_EXAMPLE.post.initialError, 9);
        expect(browser.inWorker.error).toEqual({
          name: "ShapeError",
          message: "predict: x[0] has 2 values; expected 3",
          isShapeError: true,
          isRangeError: true,
        });
        expect(bits(browser.inWorker.parameters)).toEqual(bits(browser.inPage.parameters));
        expect(bits(browser)).toEqual(bits(node));
        await page.close();
      },
    );
  }
});
