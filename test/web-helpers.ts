// What the browser specs share (package, worker and web): Debian's Chromium driven by
// playwright-core (never a downloaded browser), a static server for a folder, and bit equality.
import { accessSync, constants } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { delimiter, extname, join, resolve, sep } from "node:path";
import { chromium, type BrowserContext } from "playwright-core";

const ARGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
];

const MIME: Record<string, string> = {
  ".js": "text/javascript", ".mjs": "text/javascript", ".html": "text/html", ".css": "text/css",
  ".wasm": "application/wasm", ".json": "application/json", ".map": "application/json",
};

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

export const chromiumPath = findOnPath("chromium");

/** As in browser.test.ts: a missing Chromium fails the specs unless BACKPROP_SKIP_BROWSER=1. */
export const skipBrowser = !chromiumPath && process.env.BACKPROP_SKIP_BROWSER === "1";

export async function launchChromium(): Promise<{ context: BrowserContext; close: () => Promise<void> }> {
  if (!chromiumPath)
    throw new Error("chromium not found on PATH: install it (apt-get install chromium), or set BACKPROP_SKIP_BROWSER=1 to skip the browser specs");
  const userDataDir = await mkdtemp(join(tmpdir(), "backprop-chromium-"));
  const context = await chromium.launchPersistentContext(userDataDir, { executablePath: chromiumPath, headless: true, args: ARGS });
  return {
    context,
    close: async () => {
      await context.close();
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}

/** Serves the files under `root` on 127.0.0.1 at a free port. */
export function serveDirectory(root: string): Promise<Server> {
  const base = root.endsWith(sep) ? root : root + sep;
  const server = createServer(async (request, response) => {
    let path = decodeURIComponent(new URL(request.url ?? "/", "http://localhost").pathname);
    if (path.endsWith("/")) path += "index.html";
    const file = resolve(base, `.${path}`);
    try {
      if (!file.startsWith(base)) throw new Error("outside the root");
      const body = await readFile(file);
      response.writeHead(200, { "content-type": MIME[extname(file)] ?? "application/octet-stream" }).end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  return new Promise((done) => server.listen(0, "127.0.0.1", () => done(server)));
}

/** Each number as the hex of its IEEE-754 bits, so that equality is bit equality (−0, NaN included). */
export function bits(value: unknown): unknown {
  if (typeof value === "number") {
    const view = new DataView(new ArrayBuffer(8));
    view.setFloat64(0, value);
    return view.getBigUint64(0).toString(16).padStart(16, "0");
  }
  if (Array.isArray(value)) return value.map(bits);
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, bits(v)]));
  return value;
}
