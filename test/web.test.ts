// The seed walk-through in the static build of the pages (web/dist, made by `npm run build`),
// opened from disk as a person would open a downloaded copy: every figure of the worked example
// against the post's formulas computed here, in the post's order, readable on a phone.
// Screenshots go to test-results/. The playground's specs are in playground.test.ts.
import { mkdir } from "node:fs/promises";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedFigures, seedRounds } from "./seed-formulas.js";
import { launchChromium, openPage, skipBrowser, unlabelledControls } from "./web-helpers.js";

const SITE = fileURLToPath(new URL("../web/dist/", import.meta.url));
const SHOTS = fileURLToPath(new URL("../test-results/", import.meta.url));
const url = (page: string, query = "") => `${pathToFileURL(`${SITE}${page}`).href}${query}`;

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };

/** The page's figures by their data-figure names, as numbers. */
async function figures(page: Page): Promise<Record<string, number>> {
  const text = await page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>("[data-figure]")]
      .filter((e) => e.dataset.figure !== "post")
      .map((e) => [e.dataset.figure!, e.textContent!]),
  );
  return Object.fromEntries(text.map(([name, value]) => [name, Number(value!.replace("−", "-"))]));
}

/** Pairs of the diagram's labels whose boxes overlap, and lines that cross a label they do not belong to. */
function overlaps(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const svg = document.querySelector("#diagram")!;
    const texts = [...svg.querySelectorAll("text")].map((t) => ({
      name: t.textContent!,
      box: t.getBoundingClientRect(),
      weight: t.dataset.weight,
    }));
    const found: string[] = [];
    const meet = (a: DOMRect, b: DOMRect) =>
      a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
    texts.forEach((a, n) =>
      texts.slice(n + 1).forEach((b) => meet(a.box, b.box) && found.push(`${a.name} / ${b.name}`)),
    );
    // a line crosses a box if any of 200 points along it falls inside
    const inside = (x: number, y: number, b: DOMRect) => x > b.left && x < b.right && y > b.top && y < b.bottom;
    for (const line of svg.querySelectorAll("line")) {
      const m = line.getScreenCTM()!;
      const p = (x: number, y: number) => new DOMPoint(x, y).matrixTransform(m);
      const a = p(line.x1.baseVal.value, line.y1.baseVal.value),
        b = p(line.x2.baseVal.value, line.y2.baseVal.value);
      // a weight's label sits beside its own line by design; every text must stay clear of every other line
      for (const t of texts.filter((t) => !t.weight || t.weight !== line.dataset.weight)) {
        for (let k = 0; k <= 200; k++) {
          if (inside(a.x + ((b.x - a.x) * k) / 200, a.y + ((b.y - a.y) * k) / 200, t.box)) {
            found.push(`${line.getAttribute("class")} line crosses "${t.name}"`);
            break;
          }
        }
      }
    }
    return found;
  });
}

describe.skipIf(skipBrowser)("the seed walk-through, built and opened from disk", () => {
  let context: BrowserContext;
  let close: () => Promise<void>;

  beforeAll(async () => {
    await mkdir(SHOTS, { recursive: true });
    ({ context, close } = await launchChromium());
  });

  afterAll(async () => {
    await close?.();
  });

  const open = (address: string, viewport = DESKTOP) => openPage(context, address, viewport);

  it("the seed walk-through shows every figure of the worked example, as the post's formulas give them, in the post's order", async () => {
    const { page, errors } = await open(url("seed.html"));
    await page.waitForSelector("body[data-ready]");
    const shown = await figures(page);
    const expected = seedFigures();
    expect(Object.keys(shown).sort()).toEqual(Object.keys(expected).sort());
    // printed to nine decimals (nine significant digits below 0.001): within half a unit of the last
    for (const [name, value] of Object.entries(expected))
      expect(Math.abs(shown[name]! - value), name).toBeLessThanOrEqual(5.01e-10);
    // the figures the post prints (and the classic example behind it), as printed
    expect(await page.textContent("[data-figure='E-total']")).toBe("0.298371109");
    expect(await page.textContent("[data-figure='delta-o1']")).toBe("0.138498562");
    expect(await page.textContent("[data-figure='part-h1-o1']")).toBe("0.055399425");
    expect(await page.textContent("[data-figure='dEdw5']")).toBe("0.082167041");
    expect(await page.textContent("[data-figure='w5-updated']")).toBe("0.358916480");
    expect(await page.textContent("[data-figure='w1-updated']")).toBe("0.149780716");

    // worked backwards: w5…w8 before w1…w4, and δ defined where it first appears
    const order = await page.evaluate(() => {
      const at = (selector: string) =>
        [...document.querySelectorAll("main *")].indexOf(document.querySelector(selector)!);
      const walker = document.createTreeWalker(document.querySelector("main")!, NodeFilter.SHOW_TEXT);
      let firstDelta = "";
      for (let n = walker.nextNode(); n && !firstDelta; n = walker.nextNode())
        if (n.textContent!.includes("δ")) firstDelta = n.parentElement!.tagName;
      return {
        w5: at("[data-figure='dEdw5']"),
        w8: at("[data-figure='dEdw8']"),
        w1: at("[data-figure='dEdw1']"),
        firstDelta,
      };
    });
    expect(order.w5).toBeLessThan(order.w8);
    expect(order.w8).toBeLessThan(order.w1);
    expect(order.firstDelta).toBe("DFN");
    expect(await overlaps(page)).toEqual([]);
    await page.screenshot({ path: `${SHOTS}seed-desktop.png`, fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it("the seed walk-through's 10,000 rounds start from the initial weights, whatever was run before", async () => {
    const { page, errors } = await open(url("seed.html"));
    await page.waitForSelector("body[data-ready]");
    await page.click("#oneRound");
    await expect.poll(() => page.textContent("#roundStatus")).toContain("Showing round 2, after 1 round");
    await page.click("#manyRounds");
    await expect.poll(() => page.textContent("#roundStatus")).toContain("after 10,000 rounds from the initial weights");
    // exact gradient descent by the post's formulas: the error computed in round 10,000, and after its update
    const { lastRound, after } = seedRounds(10_000);
    expect(await page.textContent("#roundStatus")).toContain(`round 10,000: ${lastRound.toPrecision(9)}`);
    expect(lastRound.toPrecision(6)).toBe("0.0000351085"); // as the post prints it
    const total = Number((await page.textContent("[data-figure='E-total']"))!.replace("−", "-"));
    expect(Math.abs(total - after)).toBeLessThan(5e-14);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("the seed walk-through is readable on a phone: nothing cut off, the diagram's text at 10 px or more, nothing overlapping", async () => {
    const { page, errors } = await open(url("seed.html"), PHONE);
    await page.waitForSelector("body[data-ready]");
    const layout = await page.evaluate(() => {
      const svg = document.querySelector<SVGSVGElement>("#diagram")!;
      const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
      const sizes = [...svg.querySelectorAll("text")].map((t) => parseFloat(getComputedStyle(t).fontSize) * scale);
      const wide = [...document.querySelectorAll("main *")]
        .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 0.5)
        .map((e) => e.outerHTML.slice(0, 60));
      return { smallest: Math.min(...sizes), page: document.documentElement.scrollWidth, wide };
    });
    expect(layout.smallest).toBeGreaterThanOrEqual(10);
    expect(layout.page).toBeLessThanOrEqual(PHONE.width);
    expect(layout.wide).toEqual([]);
    expect(await overlaps(page)).toEqual([]);
    await page.screenshot({ path: `${SHOTS}seed-phone.png`, fullPage: true });
    await page.click("#manyRounds");
    await expect.poll(() => page.textContent("#roundStatus")).toContain("10,000 rounds");
    expect(await overlaps(page)).toEqual([]);
    expect(await unlabelledControls(page)).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });
});
