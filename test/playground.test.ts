// The playground in the static build (web/dist, made by `npm run build`), opened from disk in
// Chromium: it loads clean on a desktop and a phone, its largest network fits, its worker
// learns while the page stays responsive, the Play button recovers after the weights blow up,
// hovering a node enlarges its map, editing a weight or a bias changes the predictions as the
// formulas say, the downloaded model is the page's, and the address holds the run from the
// first frame. Screenshots go to test-results/.
import { mkdir, readFile } from "node:fs/promises";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACTIVATION_DESCRIPTORS, ACTIVATIONS, Network, OPTIMIZERS, type NetworkJSON } from "../src/index.js";
import { bits, launchChromium, openPage, skipBrowser, unlabelledControls } from "./web-helpers.js";

const SITE = fileURLToPath(new URL("../web/dist/", import.meta.url));
const SHOTS = fileURLToPath(new URL("../test-results/", import.meta.url));
const url = (query = "") => `${pathToFileURL(`${SITE}index.html`).href}${query}`;

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };
const ALL_FEATURES = "features=x,y,xSquared,ySquared,xTimesY,sinX,sinY";
const SPIRALS = `?data=spiral&noise=0&train=50&seed=1&${ALL_FEATURES}&layers=8,8,4&activation=tanh&optimizer=adam&lr=0.03&batch=10&l2=0&pace=fastest`;
/** the points whose outputs the page publishes as data-probe (main.ts's PROBES) */
const PROBES = [
  [0, 0],
  [3, 3],
  [-3, 2],
  [2, -4],
  [-5, -5],
] as const;

/** The page's network, by the formulas: features x/6 and y/6, tanh hidden layers, a sigmoid output. */
function predict(parameters: NetworkJSON["parameters"], x: number, y: number): number {
  let a = [x / 6, y / 6];
  parameters.forEach(({ weights, biases }, l) => {
    const z = weights.map((row, j) => row.reduce((sum, w, i) => sum + w * a[i]!, biases[j]!));
    a = l === parameters.length - 1 ? z.map((v) => 1 / (1 + Math.exp(-v))) : z.map(Math.tanh);
  });
  return a[0]!;
}

const probe = async (page: Page): Promise<number[]> => JSON.parse((await page.getAttribute("body", "data-probe"))!);

describe.skipIf(skipBrowser)("the playground, built and opened from disk", () => {
  let context: BrowserContext;
  let close: () => Promise<void>;
  const open = (query = "", viewport = DESKTOP) => openPage(context, url(query), viewport);

  beforeAll(async () => {
    await mkdir(SHOTS, { recursive: true });
    ({ context, close } = await launchChromium());
  });

  afterAll(async () => {
    await close?.();
  });

  /** Downloads the model as JSON through the page's button. */
  async function download(page: Page): Promise<NetworkJSON> {
    const [file] = await Promise.all([
      page.waitForEvent("download"),
      page.click("button[aria-label='Download the model as JSON']"),
    ]);
    expect(file.suggestedFilename()).toMatch(/^playground-\w+\.json$/);
    return JSON.parse(await readFile((await file.path())!, "utf8"));
  }

  /** Downloads the model as ONNX through the page's button: the file's bytes. */
  async function downloadONNX(page: Page): Promise<Uint8Array> {
    const [file] = await Promise.all([
      page.waitForEvent("download"),
      page.click("button[aria-label='Download the model as ONNX']"),
    ]);
    expect(file.suggestedFilename()).toMatch(/^playground-\w+\.onnx$/);
    return readFile((await file.path())!);
  }

  it("loads without errors on a desktop and a phone, and the largest network (6 hidden layers of 8) fits its panel on both", async () => {
    for (const [name, viewport] of [
      ["desktop", DESKTOP],
      ["phone", PHONE],
    ] as const) {
      for (const [what, query] of [
        ["", ""],
        ["-largest", `?${ALL_FEATURES}&layers=8,8,8,8,8,8`],
      ] as const) {
        const { page, errors } = await open(query, viewport);
        await page.waitForSelector("body[data-epoch='0']");
        const fit = await page.evaluate(() => {
          const network = document.querySelector<HTMLElement>("#network")!;
          const box = network.getBoundingClientRect();
          const outside = [...network.querySelectorAll(".node, .column-title")].filter((e) => {
            const r = e.getBoundingClientRect();
            return r.left < box.left - 0.5 || r.right > box.right + 0.5;
          });
          return {
            overflow: network.scrollWidth - network.clientWidth,
            outside: outside.length,
            page: document.documentElement.scrollWidth,
          };
        });
        expect(fit).toEqual({ overflow: 0, outside: 0, page: viewport.width });
        await page.screenshot({ path: `${SHOTS}playground-${name}${what}.png`, fullPage: true });
        expect(await unlabelledControls(page)).toEqual([]);
        expect(errors).toEqual([]);
        await page.close();
      }
    }
  });

  it("holds its configuration in the address from the first frame, and that address reproduces the run", async () => {
    await context.addInitScript(() => {
      document.addEventListener(
        "DOMContentLoaded",
        () => ((window as unknown as { addressAtLoad: string }).addressAtLoad = location.search),
      );
    });
    const run = async (query: string) => {
      const { page, errors } = await open(query);
      await page.waitForSelector("body[data-epoch='0']");
      const atLoad = await page.evaluate(() => (window as unknown as { addressAtLoad: string }).addressAtLoad);
      for (let epoch = 1; epoch <= 3; epoch++) {
        await page.click("#step");
        await page.waitForSelector(`body[data-epoch='${epoch}']`);
      }
      const data = await page.evaluate(() => ({ ...document.body.dataset, address: location.search }));
      expect(errors).toEqual([]);
      await page.close();
      return { atLoad, data };
    };
    // no query at all: the defaults are written into the address before anything is drawn
    const first = await run("");
    for (const key of [
      "data",
      "noise",
      "train",
      "seed",
      "features",
      "layers",
      "activation",
      "optimizer",
      "lr",
      "batch",
      "l2",
      "l1",
    ])
      expect(new URLSearchParams(first.atLoad).has(key), key).toBe(true);
    expect(first.data.address).toBe(first.atLoad);
    const again = await run(first.atLoad);
    expect(again.data).toEqual(first.data);
    // and a configuration of one's own, changed from the defaults
    const own = await run(
      "?data=xor&noise=10&seed=77&layers=5,3&activation=gelu&optimizer=rmsprop&lr=0.1&batch=7&l2=0.001&l1=0.003",
    );
    expect(own.atLoad).toContain("l1=0.003");
    expect(own.atLoad).toContain("activation=gelu");
    expect(own.atLoad).toContain("seed=77");
    expect((await run(own.atLoad)).data).toEqual(own.data);
  });

  it("offers the library's activations (the new ones too), optimizers and L1, and L1 changes the training", async () => {
    const { page, errors } = await open(
      "?data=xor&seed=3&layers=4&activation=silu&optimizer=sgd&lr=0.1&batch=10&l1=0.1&pace=fastest",
      DESKTOP,
    );
    await page.waitForSelector("body[data-epoch='0']");
    const labels = (id: string) =>
      page.$$eval(`#${id} option`, (options) => options.map((o) => [(o as HTMLOptionElement).value, o.textContent]));
    expect(await labels("activation")).toEqual(
      ACTIVATIONS.filter((a) => ACTIVATION_DESCRIPTORS[a].elementwise).map((a) => [a, ACTIVATION_DESCRIPTORS[a].label]),
    );
    expect((await labels("optimizer")).map(([v]) => v)).toEqual([...OPTIMIZERS]);
    expect(await page.inputValue("#l1")).toBe("0.1");
    expect(await page.inputValue("#activation")).toBe("silu");
    const probeAfterEpoch = async () => {
      await page.click("#step");
      await page.waitForSelector("body[data-epoch='1']");
      return page.evaluate(() => document.body.dataset.probe);
    };
    const withL1 = await probeAfterEpoch();
    // the same run without L1: another network after one epoch
    await page.selectOption("#l1", "0");
    await page.click("#reset");
    await page.waitForSelector("body[data-epoch='0']");
    const without = await probeAfterEpoch();
    expect(withL1).not.toEqual(without);
    expect(new URL(page.url()).searchParams.get("l1")).toBe("0");
    expect(errors).toEqual([]);
    await page.close();
  });

  it("after the weights blow up, the Play button is a Play button again and the message says what to do, in view", async () => {
    for (const viewport of [DESKTOP, PHONE]) {
      const { page, errors } = await open("?optimizer=sgd&lr=10&activation=linear&pace=fastest", viewport);
      await page.waitForSelector("body[data-epoch='0']");
      for (let click = 0; click < 2; click++) {
        await page.click("#play");
        await page.waitForSelector("#message:not([hidden])");
        expect(await page.getAttribute("#play", "aria-label")).toBe("Train");
        expect(await page.getAttribute("#play", "class")).not.toContain("playing");
        expect(await page.textContent("#message")).toMatch(/weights blew up.*Lower the learning rate/);
        const box = (await page.locator("#message").boundingBox())!;
        expect(box.y + box.height).toBeLessThanOrEqual(viewport.height);
      }
      // a lower learning rate, and Play trains again
      await page.selectOption("#learningRate", "0.01");
      await page.click("#play");
      await expect.poll(() => page.getAttribute("#play", "aria-label")).toBe("Pause");
      await page.waitForFunction(() => Number(document.body.dataset.epoch) >= 3);
      expect(await page.isHidden("#message")).toBe(true);
      await page.click("#play"); // pausing waits for the training worker to stop its epoch
      await expect.poll(() => page.getAttribute("#play", "aria-label")).toBe("Train");
      expect(errors).toEqual([]);
      await page.close();
    }
  });

  it("hovering a neuron shows its map enlarged in the output panel, and leaving it shows the output again", async () => {
    const { page, errors } = await open();
    await page.waitForSelector("body[data-epoch='0']");
    const pixels = () => page.evaluate(() => document.querySelector<HTMLCanvasElement>("#heatmap")!.toDataURL());
    const output = await pixels();
    expect(await page.textContent("#heatmapCaption")).toBe("The network's output");
    await page.hover("button.neuron[data-layer='0'][data-unit='1']");
    await expect.poll(() => page.getAttribute("body", "data-showing")).toBe("neuron 2 of layer 1");
    expect(await page.textContent("#heatmapCaption")).toBe("Neuron 2 of layer 1, enlarged");
    const enlarged = await pixels();
    expect(enlarged).not.toBe(output);
    await page.screenshot({ path: `${SHOTS}playground-hover.png` });
    await page.hover("button.neuron[data-layer='1'][data-unit='0']");
    await expect.poll(() => page.getAttribute("body", "data-showing")).toBe("neuron 1 of layer 2");
    expect(await pixels()).not.toBe(enlarged);
    await page.mouse.move(5, 5);
    await expect.poll(() => page.getAttribute("body", "data-showing")).toBe("output");
    expect(await pixels()).toBe(output);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("clicking a link edits its weight and clicking a neuron its bias: the predictions follow the formulas, and the downloaded model is the page's", async () => {
    const { page, errors } = await open();
    await page.waitForSelector("body[data-epoch='0']");
    const before = await probe(page);

    // a link, found where the pointer would find it: a third of the way along one into the output
    const link = await page.evaluate(() => {
      const path = document.querySelector<SVGPathElement>(".link-hit[data-layer='2'][data-unit='0'][data-input='1']")!;
      const q = path.getPointAtLength(path.getTotalLength() / 3);
      const p = new DOMPoint(q.x, q.y).matrixTransform(path.getScreenCTM()!);
      const hit = document.elementFromPoint(p.x, p.y) as SVGPathElement;
      return { x: p.x, y: p.y, ...hit.dataset };
    });
    expect(link).toMatchObject({ layer: "2", unit: "0", input: "1" });
    await page.mouse.click(link.x, link.y);
    await page.waitForSelector(".editor:not([hidden])");
    expect(await page.textContent(".editor label")).toBe("Weight from neuron 2 of layer 2 to the output");
    await page.fill("#editValue", "3.5");
    await page.keyboard.press("Enter");
    await expect.poll(() => probe(page)).not.toEqual(before);
    await expect.poll(async () => (await download(page)).parameters[2]!.weights[0]![1]).toBe(3.5);
    const edited = await probe(page);

    await page.click("button.neuron[data-layer='2'][data-unit='0']");
    await page.waitForSelector(".editor:not([hidden])");
    expect(await page.textContent(".editor label")).toBe("Bias of the output");
    await page.fill("#editValue", "-1.25");
    await page.click(".editor button[type='submit']");
    await expect.poll(() => probe(page)).not.toEqual(edited);

    const model = await download(page);
    expect(model.parameters[2]!.weights[0]![1]).toBe(3.5);
    expect(model.parameters[2]!.biases[0]).toBe(-1.25);
    const shown = await probe(page);
    PROBES.forEach(([x, y], n) =>
      expect(Math.abs(shown[n]! - predict(model.parameters, x, y)), `probe ${n}`).toBeLessThan(1e-12),
    );
    // the file is the network: read back in Node, it predicts what the page shows, bit for bit
    const net = await Network.fromJSON(model);
    const features = PROBES.map(([x, y]) => [x / 6, y / 6]);
    expect(bits(net.predict(features).map(([v]) => v))).toEqual(bits(shown));
    net.dispose();
    // and the ONNX file, run by onnxruntime, predicts it too (float64, to 1e-12)
    const ort = (await import("onnxruntime-node")).default;
    const session = await ort.InferenceSession.create(await downloadONNX(page));
    const { output } = await session.run({
      input: new ort.Tensor("float64", Float64Array.from(features.flat()), [features.length, 2]),
    });
    shown.forEach((v, n) => expect(Math.abs(Number(output!.data[n]) - v), `probe ${n}`).toBeLessThan(1e-12));

    // a value that is not a number, or too large, is refused and says so
    await page.click("button.neuron[data-layer='0'][data-unit='0']");
    await page.fill("#editValue", "1e9");
    await page.keyboard.press("Enter");
    expect(await page.textContent(".editor-problem")).toMatch(/between −100 and 100/);
    await page.keyboard.press("Escape");
    expect(await page.isHidden(".editor")).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("discretized, an output of exactly ½ is painted as the blue class, as classify() counts it, never as grey", async () => {
    const { page, errors } = await open("?discretize=1");
    await page.waitForSelector("body[data-epoch='0']");
    // the output neuron's two weights and its bias set to 0: σ(0) = ½ everywhere
    for (const target of [
      ".link-hit[data-layer='2'][data-unit='0'][data-input='0']",
      ".link-hit[data-layer='2'][data-unit='0'][data-input='1']",
      "button.neuron[data-layer='2']",
    ]) {
      if (target.startsWith("button")) await page.click(target);
      else {
        const at = await page.evaluate((selector) => {
          const path = document.querySelector<SVGPathElement>(selector)!;
          const q = path.getPointAtLength(path.getTotalLength() / 3);
          const p = new DOMPoint(q.x, q.y).matrixTransform(path.getScreenCTM()!);
          return { x: p.x, y: p.y };
        }, target);
        await page.mouse.click(at.x, at.y);
      }
      await page.fill("#editValue", "0");
      await page.keyboard.press("Enter");
      await page.waitForSelector(".editor[hidden]", { state: "attached" });
    }
    await expect.poll(async () => (await probe(page)).every((v) => v === 0.5)).toBe(true);
    const colours = await page.evaluate(() => {
      const canvas = document.querySelector<HTMLCanvasElement>("#heatmap")!;
      const data = canvas.getContext("2d")!.getImageData(0, 0, canvas.width, canvas.height).data;
      // the background away from the points: a pixel at each corner
      return [
        [2, 2],
        [canvas.width - 3, 2],
        [2, canvas.height - 3],
        [canvas.width - 3, canvas.height - 3],
      ].map(([x, y]) => [...data.slice(4 * (y! * canvas.width + x!), 4 * (y! * canvas.width + x!) + 3)]);
    });
    for (const colour of colours) expect(colour).toEqual([8, 119, 189]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("the problem type chooses between the classification and the regression data sets", async () => {
    const { page, errors } = await open();
    await page.waitForSelector("body[data-epoch='0']");
    await page.selectOption("#problem", "regression");
    await expect.poll(() => page.evaluate(() => location.search)).toContain("data=plane");
    const shown = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLInputElement>("input[name=dataset]")]
        .filter((r) => !r.closest("[hidden]"))
        .map((r) => r.value),
    );
    expect(shown).toEqual(["plane", "bumps"]);
    await page.waitForSelector("body.regression");
    await page.selectOption("#problem", "classification");
    await expect.poll(() => page.evaluate(() => location.search)).toContain("data=circle");
    expect(errors).toEqual([]);
    await page.close();
  });

  it("the worker learns the two spirals (≥ 95% of the training points) while the page stays responsive", async () => {
    const { page, errors } = await open(SPIRALS);
    await page.waitForSelector("body[data-epoch='0']");
    // a 20 ms timer in the page: how late does it ever fire while the worker trains?
    await page.evaluate(() => {
      const w = window as unknown as { ticks: number[] };
      w.ticks = [];
      setInterval(() => w.ticks.push(performance.now()), 20);
    });
    await page.click("#play");
    await page.waitForFunction(() => Number(document.body.dataset.trainAccuracy) >= 0.95, undefined, {
      timeout: 30_000,
    });
    await page.click("#play");
    const epochs = Number(await page.getAttribute("body", "data-epoch"));
    const gaps = await page.evaluate(() => {
      const { ticks } = window as unknown as { ticks: number[] };
      return ticks.slice(1).map((t, i) => t - ticks[i]!);
    });
    await page.click("#showTest");
    await page.screenshot({ path: `${SHOTS}playground-spirals.png`, fullPage: true });
    await page.setViewportSize(PHONE);
    await page.screenshot({ path: `${SHOTS}playground-spirals-phone.png`, fullPage: true });
    expect(epochs).toBeLessThanOrEqual(1000);
    // a blocked page would skip the whole training; drawing a frame takes tens of milliseconds
    expect(Math.max(...gaps)).toBeLessThan(300);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("trains at a speed that can be watched by default: about 10 epochs a second", async () => {
    const { page, errors } = await open();
    await page.waitForSelector("body[data-epoch='0']");
    expect(await page.inputValue("#pace")).toBe("normal");
    await page.click("#play");
    await page.waitForFunction(() => Number(document.body.dataset.epoch) >= 1);
    const start = Number(await page.getAttribute("body", "data-epoch"));
    await page.waitForTimeout(2000);
    const epochs = Number(await page.getAttribute("body", "data-epoch")) - start;
    await page.click("#play");
    expect(epochs).toBeGreaterThanOrEqual(10);
    expect(epochs).toBeLessThanOrEqual(24);
    expect(errors).toEqual([]);
    await page.close();
  });
});
