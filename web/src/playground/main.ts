// The playground page: the configuration (kept in the URL), the data, a training run in a
// worker, and the drawing, repainted once per animation frame when something changed.
import type { Activation, LayerSpec, NetworkSpec } from "backprop-wasm";
import { paintCurve } from "./chart.js";
import { ACTIVATION_CHOICES, LEARNING_RATES, MAX_LAYERS, OPTIMIZER_CHOICES, WEIGHT_DECAYS, readConfig, writeConfig, type Config } from "./config.js";
import { DATA_SETS, dataSet, makeData, type Point } from "./datasets.js";
import { FEATURES, featureRows, labelRows } from "./features.js";
import { GRID, NODE_GRID, lattice, paintPoints, paintValues } from "./heatmap.js";
import { NetworkView } from "./network-view.js";
import { NeuronMaps } from "./neuron-maps.js";
import { Trainer, type TrainingOptions } from "./trainer.js";

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

let config = readConfig(location.search);
let points: { train: Point[]; test: Point[] } = { train: [], test: [] };
let trainer: Trainer | null = null;
let maps: NeuronMaps | null = null;
const OUTPUT_POINTS = lattice(GRID);
const NODE_POINTS = lattice(NODE_GRID);
/** the network's inputs at the lattices' points */
let outputRows: Float64Array = new Float64Array(0);
let nodeRows: Float64Array = new Float64Array(0);
let dirty = false;
// After a frame that painted, the next painting waits as long as that frame took (our drawing
// and the browser's), so that drawing takes half the page's time at most and the worker's
// epoch reports are answered without delay.
let nextPaint = 0;
let paintedFrameStart: number | null = null;
// each reset bumps it, so that a slow start finishing after a newer one is dropped
let generation = 0;

const view = new NetworkView($("network"), {
  toggleFeature(name) {
    const on = config.features.includes(name);
    if (on && config.features.length === 1) return say("The network needs at least one feature.");
    const features = on ? config.features.filter((f) => f !== name) : FEATURES.map((f) => f.name).filter((f) => f === name || config.features.includes(f));
    update({ features }, "network");
  },
  setLayers: (layers) => update({ layers }, "network"),
});

function say(text: string): void {
  $("message").textContent = text;
}

const classifies = () => dataSet(config.data).problem === "classification";

function spec(): NetworkSpec {
  const hidden: LayerSpec[] = config.layers.map((units) => ({ units, activation: config.activation }));
  const output: LayerSpec = classifies() ? { units: 1, activation: "sigmoid" } : { units: 1, activation: "linear" };
  return { inputs: config.features.length, layers: [...hidden, output], loss: classifies() ? "binaryCrossEntropy" : "mse", seed: config.seed };
}

function trainingOptions(): TrainingOptions {
  return { optimizer: config.optimizer, learningRate: config.learningRate, batchSize: config.batchSize, weightDecay: config.weightDecay };
}

type Change = "data" | "network" | "training" | "view";

/** Applies a change of configuration: what it touches decides how much is rebuilt. */
function update(change: Partial<Config>, kind: Change): void {
  config = { ...config, ...change };
  history.replaceState(null, "", writeConfig(config));
  showConfig();
  if (kind === "data") makePoints();
  if (kind === "data" || kind === "network") void reset();
  else if (kind === "training" && trainer?.playing) void trainer.pause().then(() => play());
  dirty = true;
}

function makePoints(): void {
  points = makeData(dataSet(config.data), { count: 500, noise: config.noise / 100, trainRatio: config.trainPercent / 100, seed: config.seed });
}

async function reset(): Promise<void> {
  const mine = ++generation;
  trainer?.dispose();
  trainer = null;
  showPlaying();
  say("");
  const features = config.features.map((name) => FEATURES.find((f) => f.name === name)!);
  const networkSpec = spec();
  const [next, nextMaps] = await Promise.all([
    Trainer.start(
      networkSpec,
      {
        xTrain: featureRows(points.train, features),
        yTrain: labelRows(points.train),
        xTest: featureRows(points.test, features),
        yTest: labelRows(points.test),
      },
      {
        onProgress: () => (dirty = true),
        onError: (error) => {
          say(`Training stopped: ${error.message}`);
          showPlaying();
        },
        pace: () => (config.pace === "frame" ? new Promise((next) => requestAnimationFrame(() => next())) : undefined),
      },
    ),
    NeuronMaps.create(networkSpec.inputs, networkSpec.layers),
  ]);
  if (mine !== generation) {
    next.dispose();
    nextMaps.dispose();
    return;
  }
  trainer = next;
  maps?.dispose();
  maps = nextMaps;
  outputRows = featureRows(OUTPUT_POINTS, features);
  nodeRows = featureRows(NODE_POINTS, features);
  view.build(config.features, config.layers);
  view.paintFeatures(FEATURES.map((f) => scaled(NODE_POINTS.map((p) => f.value(p.x, p.y)))));
  dirty = true;
}

// values divided by their largest magnitude, so that each feature's map uses the whole scale
function scaled(values: number[]): Float64Array {
  const top = Math.max(...values.map(Math.abs)) || 1;
  return Float64Array.from(values, (v) => v / top);
}

// a neuron's output on the [−1, 1] colour scale: sigmoid's (0, 1) stretched, the others as they are
function toScale(activation: Activation, values: Float64Array): Float64Array {
  return activation === "sigmoid" ? Float64Array.from(values, (v) => 2 * v - 1) : values;
}

function play(): void {
  trainer?.play(trainingOptions());
  showPlaying();
}

async function togglePlay(): Promise<void> {
  if (!trainer) return;
  if (trainer.playing) await trainer.pause();
  else play();
  showPlaying();
}

function showPlaying(): void {
  const playing = trainer?.playing ?? false;
  const button = $("play");
  button.classList.toggle("playing", playing);
  button.setAttribute("aria-label", playing ? "Pause" : "Train");
}

const figure = (v: number | undefined, digits = 3) => (v === undefined || !Number.isFinite(v) ? "–" : v.toFixed(digits));
const percent = (v: number | undefined) => (v === undefined ? "–" : `${(100 * v).toFixed(1)}%`);

function render(started: number): void {
  requestAnimationFrame(render);
  if (paintedFrameStart !== null) nextPaint = started + (started - paintedFrameStart);
  paintedFrameStart = null;
  if (!dirty || !trainer || !maps || started < nextPaint) return;
  paintedFrameStart = started;
  dirty = false;
  const { curves, parameters } = trainer;
  const layerMaps = maps.compute(parameters, nodeRows, outputRows);
  const activations = spec().layers.map((l) => l.activation);
  view.paintNetwork(layerMaps.map((layer, l) => layer.map((values) => toScale(activations[l]!, values))), parameters);

  const heatmap = $<HTMLCanvasElement>("heatmap");
  paintValues(heatmap, toScale(activations[activations.length - 1]!, layerMaps[layerMaps.length - 1]![0]!), config.discretize);
  paintPoints(heatmap, points.train, false, classifies());
  if (config.showTest) paintPoints(heatmap, points.test, true, classifies());
  paintCurve($<HTMLCanvasElement>("curve"), [
    { values: curves.trainLoss, colour: "#1d2733" },
    { values: curves.testLoss, colour: "#9aa5b1" },
  ]);

  $("epoch").textContent = trainer.epoch.toLocaleString("en");
  $("trainLoss").textContent = figure(curves.trainLoss.at(-1));
  $("testLoss").textContent = figure(curves.testLoss.at(-1));
  $("trainAccuracy").textContent = percent(curves.trainAccuracy.at(-1));
  $("testAccuracy").textContent = percent(curves.testAccuracy.at(-1));
  // the figures at full precision, for the tests
  Object.assign(document.body.dataset, {
    epoch: trainer.epoch,
    trainLoss: curves.trainLoss.at(-1),
    testLoss: curves.testLoss.at(-1),
    trainAccuracy: curves.trainAccuracy.at(-1) ?? "",
  });
}

function options(select: HTMLSelectElement, values: readonly (string | number)[], label: (v: string) => string = String): void {
  select.replaceChildren(...values.map((v) => new Option(label(String(v)), String(v))));
}

const ACTIVATION_LABELS: Record<string, string> = { tanh: "Tanh", relu: "ReLU", leakyRelu: "Leaky ReLU", sigmoid: "Sigmoid", linear: "Linear" };
const OPTIMIZER_LABELS: Record<string, string> = { sgd: "SGD", momentum: "Momentum", adam: "Adam" };

function showConfig(): void {
  $<HTMLSelectElement>("optimizer").value = config.optimizer;
  $<HTMLSelectElement>("learningRate").value = String(config.learningRate);
  $<HTMLSelectElement>("activation").value = config.activation;
  $<HTMLSelectElement>("weightDecay").value = String(config.weightDecay);
  $<HTMLInputElement>("batchSize").value = String(config.batchSize);
  $("batchSizeValue").textContent = String(config.batchSize);
  $<HTMLInputElement>("trainPercent").value = String(config.trainPercent);
  $("trainPercentValue").textContent = `${config.trainPercent}%`;
  $<HTMLInputElement>("noise").value = String(config.noise);
  $("noiseValue").textContent = String(config.noise);
  $<HTMLInputElement>("seed").value = String(config.seed);
  $<HTMLInputElement>("showTest").checked = config.showTest;
  $<HTMLInputElement>("discretize").checked = config.discretize;
  $<HTMLSelectElement>("pace").value = config.pace;
  for (const radio of document.querySelectorAll<HTMLInputElement>("input[name=dataset]")) radio.checked = radio.value === config.data;
  const hidden = config.layers.length;
  $("layerCount").textContent = `${hidden} hidden layer${hidden === 1 ? "" : "s"}`;
  $<HTMLButtonElement>("addLayer").disabled = hidden >= MAX_LAYERS;
  $<HTMLButtonElement>("removeLayer").disabled = hidden === 0;
  document.body.classList.toggle("regression", !classifies());
}

function dataSetChoices(): void {
  $("datasets").replaceChildren(
    ...DATA_SETS.map((info) => {
      const label = document.createElement("label");
      label.className = "dataset";
      label.title = info.title;
      const radio = document.createElement("input");
      radio.type = "radio";
      radio.name = "dataset";
      radio.value = info.name;
      radio.addEventListener("change", () => update({ data: info.name }, "data"));
      const canvas = document.createElement("canvas");
      canvas.width = canvas.height = 120;
      paintValues(canvas, new Float64Array(NODE_GRID * NODE_GRID));
      const sample = makeData(info, { count: 200, noise: 0, trainRatio: 1, seed: 1 }).train;
      paintPoints(canvas, sample, false, info.problem === "classification");
      const name = document.createElement("span");
      name.className = "visually-hidden";
      name.textContent = info.title;
      label.append(radio, canvas, name);
      return label;
    }),
  );
}

function wire(): void {
  options($("optimizer"), OPTIMIZER_CHOICES, (v) => OPTIMIZER_LABELS[v]!);
  options($("learningRate"), LEARNING_RATES);
  options($("activation"), ACTIVATION_CHOICES, (v) => ACTIVATION_LABELS[v]!);
  options($("weightDecay"), WEIGHT_DECAYS);
  dataSetChoices();

  const on = (id: string, event: string, handler: (input: HTMLInputElement & HTMLSelectElement) => void) =>
    $(id).addEventListener(event, (e) => handler(e.target as HTMLInputElement & HTMLSelectElement));
  on("optimizer", "change", (s) => update({ optimizer: s.value as Config["optimizer"] }, "training"));
  on("learningRate", "change", (s) => update({ learningRate: Number(s.value) }, "training"));
  on("weightDecay", "change", (s) => update({ weightDecay: Number(s.value) }, "training"));
  on("batchSize", "change", (s) => update({ batchSize: Number(s.value) }, "training"));
  on("batchSize", "input", (s) => ($("batchSizeValue").textContent = s.value));
  on("activation", "change", (s) => update({ activation: s.value as Config["activation"] }, "network"));
  on("trainPercent", "change", (s) => update({ trainPercent: Number(s.value) }, "data"));
  on("trainPercent", "input", (s) => ($("trainPercentValue").textContent = `${s.value}%`));
  on("noise", "change", (s) => update({ noise: Number(s.value) }, "data"));
  on("noise", "input", (s) => ($("noiseValue").textContent = s.value));
  on("seed", "change", (s) => {
    const seed = Number(s.value);
    if (Number.isInteger(seed) && seed >= 0 && seed <= 0xffffffff) update({ seed }, "data");
    else showConfig();
  });
  on("showTest", "change", (c) => update({ showTest: c.checked }, "view"));
  on("discretize", "change", (c) => update({ discretize: c.checked }, "view"));
  on("pace", "change", (s) => update({ pace: s.value as Config["pace"] }, "view"));
  $("newSeed").addEventListener("click", () => update({ seed: Math.floor(Math.random() * 0x100000000) }, "data"));
  $("addLayer").addEventListener("click", () => update({ layers: [...config.layers, config.layers.at(-1) ?? 2] }, "network"));
  $("removeLayer").addEventListener("click", () => update({ layers: config.layers.slice(0, -1) }, "network"));
  $("play").addEventListener("click", () => void togglePlay());
  $("reset").addEventListener("click", () => void reset());
  $("step").addEventListener("click", async () => {
    await trainer?.step(trainingOptions());
    showPlaying();
  });
}

function sizeCanvases(): void {
  for (const canvas of document.querySelectorAll<HTMLCanvasElement>("canvas.heatmap, canvas.curve")) {
    const box = canvas.getBoundingClientRect();
    canvas.width = Math.round(box.width * devicePixelRatio);
    canvas.height = Math.round(box.height * devicePixelRatio);
  }
  dirty = true;
}

wire();
showConfig();
makePoints();
sizeCanvases();
new ResizeObserver(sizeCanvases).observe($("heatmap"));
void reset();
requestAnimationFrame(render);
