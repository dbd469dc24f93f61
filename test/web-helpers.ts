// What the browser specs share (package, worker and web): Debian's Chromium driven by
// playwright-core (never a downloaded browser), a static server for a folder, and bit equality.
import { accessSync, constants } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { delimiter, extname, join, resolve, sep } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";

const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

const MIME: Record<string, string> = {
  ".js": "text/javascript",
  ".mjs": "text/javascript",
  ".html": "text/html",
  ".css": "text/css",
  ".wasm": "application/wasm",
  ".json": "application/json",
  ".map": "application/json",
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
    throw new Error(
      "chromium not found on PATH: install it (apt-get install chromium), or set BACKPROP_SKIP_BROWSER=1 to skip the browser specs",
    );
  const userDataDir = await mkdtemp(join(tmpdir(), "backprop-chromium-"));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath,
    headless: true,
    args: ARGS,
  });
  return {
    context,
    close: async () => {
      await context.close();
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}

/** Serves the files under `root` on 127.0.0.1 at a free port, each response with `headers` besides its type. */
export function serveDirectory(root: string, headers: Record<string, string> = {}): Promise<Server> {
  const base = root.endsWith(sep) ? root : root + sep;
  const server = createServer(async (request, response) => {
    let path = decodeURIComponent(new URL(request.url ?? "/", "http://localhost").pathname);
    if (path.endsWith("/")) path += "index.html";
    const file = resolve(base, `.${path}`);
    try {
      if (!file.startsWith(base)) throw new Error("outside the root");
      const body = await readFile(file);
      response
        .writeHead(200, { ...headers, "content-type": MIME[extname(file)] ?? "application/octet-stream" })
        .end(body);
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
  if (value && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, bits(v)]));
  return value;
}

/** Opens `address` in a new page of `context` at `viewport`, recording console errors and warnings and uncaught exceptions. */
export async function openPage(
  context: BrowserContext,
  address: string,
  viewport: { width: number; height: number },
): Promise<{ page: Page; errors: string[] }> {
  const page = await context.newPage();
  await page.setViewportSize(viewport);
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error" || message.type() === "warning")
      errors.push(`console ${message.type()}: ${message.text()}`);
  });
  page.on("pageerror", (error) => errors.push(`pageerror: ${error.message}`));
  await page.goto(address);
  return { page, errors };
}

/** Controls with no name a screen reader can say, or taken out of the tab order: there should be none. */
export function unlabelledControls(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>("button, select, input")]
      .filter((e) => !e.closest("[hidden]"))
      .filter((e) => {
        const named = e.getAttribute("aria-label") || (e as HTMLInputElement).labels?.length || e.textContent?.trim();
        return !named || e.tabIndex < 0;
      })
      .map((e) => e.outerHTML.slice(0, 80)),
  );
}
