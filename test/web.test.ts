// The static build of the pages (web/dist, made by `npm run build`), opened from disk as a
// person would open a downloaded copy: the seed walk-through shows the post's figures, the
// playground loads without errors, trains the two spirals in its worker while the page stays
// responsive, and a link reproduces a run. Screenshots go to test-results/.
import { mkdir } from "node:fs/promises";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, skipBrowser } from "./web-helpers.js";

const SITE = fileURLToPath(new URL("../web/dist/", import.meta.url));
const SHOTS = fileURLToPath(new URL("../test-results/", import.meta.url));
const url = (page: string, query = "") => `${pathToFileURL(`${SITE}${page}`).href}${query}`;

const SPIRALS = "?data=spiral&noise=0&train=50&seed=1&features=x,y,xSquared,ySquared,xTimesY,sinX,sinY&layers=8,8,4&activation=tanh&optimizer=adam&lr=0.03&batch=10&l2=0";
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };

describe.skipIf(skipBrowser)("the pages, built and opened from disk", () => {
  let context: BrowserContext;
  let close: () => Promise<void>;

  beforeAll(async () => {
    await mkdir(SHOTS, { recursive: true });
    ({ context, close } = await launchChromium());
  });

  afterAll(async () => {
    await close?.();
  });

  /** a page that records console errors and uncaught exceptions */
  async function open(address: string, viewport = DESKTOP): Promise<{ page: Page; errors: string[] }> {
    const page = await context.newPage();
    await page.setViewportSize(viewport);
    const errors: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error" || message.type() === "warning") errors.push(`console ${message.type()}: ${message.text()}`);
    });
    page.on("pageerror", (error) => errors.push(`pageerror: ${error.message}`));
    await page.goto(address);
    return { page, errors };
  }

  // every control has a name a screen reader can say, and none is taken out of the tab order
  async function unlabelledControls(page: Page): Promise<string[]> {
    return page.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>("button, select, input")]
        .filter((e) => {
          const named = e.getAttribute("aria-label") || (e as HTMLInputElement).labels?.length || e.textContent?.trim();
          return !named || e.tabIndex < 0;
        })
        .map((e) => e.outerHTML.slice(0, 80)),
    );
  }

  it("the seed walk-through shows the post's first error, 0.298371109, and after 10,000 rounds 0.0000351085", async () => {
    const { page, errors } = await open(url("seed.html"));
    await page.waitForSelector("body[data-ready]");
    expect(await page.textContent("#totalError")).toBe("0.298371109");
    expect(await page.textContent("#backward")).toContain("0.082167041"); // dE/dw5, as the post prints it
    await page.screenshot({ path: `${SHOTS}seed-desktop.png`, fullPage: true });

    await page.click("#manyRounds");
    await expect.poll(() => page.textContent("#lastRound")).toContain("round 10,000: 0.0000351085");
    await page.setViewportSize(PHONE);
    await page.screenshot({ path: `${SHOTS}seed-phone.png`, fullPage: true });
    expect(await unlabelledControls(page)).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("the playground loads without errors, on a desktop and on a phone", async () => {
    for (const [name, viewport] of [["desktop", DESKTOP], ["phone", PHONE]] as const) {
      const { page, errors } = await open(url("index.html"), viewport);
      await page.waitForSelector("body[data-epoch='0']");
      await page.screenshot({ path: `${SHOTS}playground-${name}.png`, fullPage: true });
      expect(await unlabelledControls(page)).toEqual([]);
      expect(errors).toEqual([]);
      await page.close();
    }
  });

  it("the playground's worker learns the two spirals (≥ 95% of the training points) while the page stays responsive", async () => {
    const { page, errors } = await open(url("index.html", SPIRALS));
    await page.waitForSelector("body[data-epoch='0']");
    // a 20 ms timer in the page: how late does it ever fire while the worker trains?
    await page.evaluate(() => {
      const w = window as unknown as { ticks: number[] };
      w.ticks = [];
      setInterval(() => w.ticks.push(performance.now()), 20);
    });
    await page.click("#play");
    await page.waitForFunction(() => Number(document.body.dataset.trainAccuracy) >= 0.95, undefined, { timeout: 30_000 });
    await page.click("#play");
    const epochs = Number(await page.getAttribute("body", "data-epoch"));
    const gaps = await page.evaluate(() => {
      const { ticks } = window as unknown as { ticks: number[] };
      return ticks.slice(1).map((t, i) => t - ticks[i]!);
    });
    await page.screenshot({ path: `${SHOTS}playground-spirals.png`, fullPage: true });
    expect(epochs).toBeLessThanOrEqual(1000);
    // a blocked page would skip the whole training; drawing a frame takes tens of milliseconds
    expect(Math.max(...gaps)).toBeLessThan(300);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("the playground's address reproduces a run exactly", async () => {
    const figures = async (query: string) => {
      const { page, errors } = await open(url("index.html", query));
      await page.waitForSelector("body[data-epoch='0']");
      for (let epoch = 1; epoch <= 3; epoch++) {
        await page.click("#step");
        await page.waitForSelector(`body[data-epoch='${epoch}']`);
      }
      const data = await page.evaluate(() => ({ ...document.body.dataset, address: location.search }));
      expect(errors).toEqual([]);
      await page.close();
      return data;
    };
    const first = await figures("?data=xor&noise=10&seed=77&layers=5,3&optimizer=momentum&lr=0.1&batch=7&l2=0.001");
    const again = await figures(first.address);
    expect(again).toEqual(first);
    expect(first.address).toContain("seed=77");
  });
});
