// The playground page: the configuration (kept in the URL from the first frame), the data, a
// training run in a worker, the drawing (repainted once per animation frame when something
// changed), and the network's weights and biases edited by hand.
import {
  ACTIVATION_DESCRIPTORS,
  OPTIMIZER_DESCRIPTORS,
  type Activation,
  type LayerSpec,
  type NetworkSpec,
  type OptimizerName,
} from "backprop-wasm";
import { paintCurve } from "./chart.js";
import {
  ACTIVATION_CHOICES,
  L1_VALUES,
  LEARNING_RATES,
  MAX_LAYERS,
  OPTIMIZER_CHOICES,
  PACES,
  WEIGHT_DECAYS,
  readConfig,
  writeConfig,
  type Config,
} from "./config.js";
import { DATA_SETS, dataSet, makeData, type Point, type Problem } from "./datasets.js";
import { MODEL_FORMATS, saveFile } from "./download.js";
import { ValueEditor } from "./editor.js";
import { FEATURES, featureRows, labelRows } from "./features.js";
import { GRID, NODE_GRID, lattice, paintPoints, paintValues } from "./heatmap.js";
import { NetworkView, type Hovered } from "./network-view.js";
import { NeuronMaps } from "./neuron-maps.js";
import { Trainer, type TrainingOptions } from "./trainer.js";

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

let config = readConfig(location.search);
let points: { train: Point[]; test: Point[] } = { train: [], test: [] };
let trainer: Trainer | null = null;
let maps: NeuronMaps | null = null;
const OUTPUT_POINTS = lattice(GRID);
const NODE_POINTS = lattice(NODE_GRID);
/** a few fixed points whose outputs the page publishes (data-probe), so that a test can check them by hand */
const PROBES = [
  { x: 0, y: 0 },
  { x: 3, y: 3 },
  { x: -3, y: 2 },
  { x: 2, y: -4 },
  { x: -5, y: -5 },
];
/** the network's inputs at the lattices' points */
let outputRows: Float64Array = new Float64Array(0);
let nodeRows: Float64Array = new Float64Array(0);
let probeRows: Float64Array = new Float64Array(0);
let dirty = false;
let hovered: Hovered | null = null;
// After a frame that painted, the next painting waits as long as that frame took (our drawing
// and the browser's), so that drawing takes half the page's time at most and the worker's
// epoch reports are answered without delay.
let nextPaint = 0;
let paintedFrameStart: number | null = null;
// each reset bumps it, so that a slow start finishing after a newer one is dropped
let generation = 0;
// when the next epoch may start, at a speed given in epochs a second
let nextEpochAt = 0;

const editor = new ValueEditor();

const view = new NetworkView($("network"), {
  toggleFeature(name) {
    const on = config.features.includes(name);
    if (on && config.features.length === 1) return say("The network needs at least one feature.");
    const features = on
      ? config.features.filter((f) => f !== name)
      : FEATURES.map((f) => f.name).filter((f) => f === name || config.features.includes(f));
    update({ features }, "network");
  },
  setLayers: (layers) => update({ layers }, "network"),
  hover(target) {
    hovered = target;
    dirty = true;
  },
  edit(target, at) {
    const current = trainer;
    if (!current) return;
    const layer = current.parameters[target.layer]!;
    const value = target.input === "bias" ? layer.biases[target.unit]! : layer.weights[target.unit]![target.input]!;
    editor.open({
      label: target.label,
      value,
      at,
      commit: (next) =>
        void current.edit(target.layer, target.unit, target.input, next).then(
          () => showPlaying(),
          (error: Error) => error.name !== "DisposedError" && say(`The edit failed: ${error.message}`),
        ),
    });
  },
});

/** A message above the panels, where it is seen without scrolling; empty hides it. */
function say(text: string): void {
  const message = $("message");
  message.textContent = text;
  message.hidden = text === "";
}

const classifies = () => dataSet(config.data).problem === "classification";

function spec(): NetworkSpec {
  const hidden: LayerSpec[] = config.layers.map((units) => ({ units, activation: config.activation }));
  const output: LayerSpec = classifies() ? { units: 1, activation: "sigmoid" } : { units: 1, activation: "linear" };
  // threads where the page is cross-origin isolated (npm run demo), else one (net.threads says which)
  return {
    inputs: config.features.length,
    layers: [...hidden, output],
    loss: classifies() ? "binaryCrossEntropy" : "mse",
    seed: config.seed,
    threads: "auto",
  };
}

function trainingOptions(): TrainingOptions {
  return {
    optimizer: config.optimizer,
    learningRate: config.learningRate,
    batchSize: config.batchSize,
    weightDecay: config.weightDecay,
    l1: config.l1,
  };
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
  points = makeData(dataSet(config.data), {
    count: 500,
    noise: config.noise / 100,
    trainRatio: config.trainPercent / 100,
    seed: config.seed,
  });
}

function divergenceMessage(error: Error): string {
  if (error.name !== "DivergenceError") return `Training stopped: ${error.message}`;
  const epoch = trainer?.epoch ?? 0;
  return (
    `The weights blew up in epoch ${(epoch + 1).toLocaleString("en")}: a step made the loss or a weight infinite. ` +
    `The network is back as it was ${epoch === 0 ? "before training" : `after epoch ${epoch.toLocaleString("en")}`}. Lower the learning rate, then press play to go on (or reset).`
  );
}

async function reset(): Promise<void> {
  const mine = ++generation;
  trainer?.dispose();
  trainer = null;
  editor.close();
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
        onStop: (error) => {
          showPlaying();
          say(divergenceMessage(error));
        },
        pace,
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
  document.body.dataset.threads = String(next.threads);
  $("epoch").parentElement!.title =
    `Training in a worker, on ${next.threads === 1 ? "one thread" : `${next.threads} threads`}`;
  maps?.dispose();
  maps = nextMaps;
  outputRows = featureRows(OUTPUT_POINTS, features);
  nodeRows = featureRows(NODE_POINTS, features);
  probeRows = featureRows(PROBES, features);
  hovered = null;
  view.build(config.features, config.layers);
  view.paintFeatures(FEATURES.map((f) => scaled(NODE_POINTS.map((p) => f.value(p.x, p.y)))));
  showDownloadHint();
  dirty = true;
}

/** What the worker waits for after each epoch, at the chosen speed. */
function pace(): Promise<void> | undefined {
  const rate = PACES[config.pace];
  if (rate === 0) return undefined;
  if (rate === "frame") return new Promise((next) => requestAnimationFrame(() => next()));
  const now = performance.now();
  nextEpochAt = Math.max(now, nextEpochAt + 1000 / rate);
  return new Promise((next) => setTimeout(next, nextEpochAt - now));
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
  say("");
  nextEpochAt = 0;
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

const figure = (v: number | undefined, digits = 3) =>
  v === undefined || !Number.isFinite(v) ? "–" : v.toFixed(digits);
const percent = (v: number | undefined) => (v === undefined ? "–" : `${(100 * v).toFixed(1)}%`);

function render(started: number): void {
  requestAnimationFrame(render);
  if (paintedFrameStart !== null) nextPaint = started + (started - paintedFrameStart);
  paintedFrameStart = null;
  if (!dirty || !trainer || !maps || started < nextPaint) return;
  paintedFrameStart = started;
  paint();
}

/** Draws everything from the trainer's state. */
function paint(): void {
  if (!trainer || !maps) return;
  dirty = false;
  const { curves, parameters } = trainer;
  const layerMaps = maps.compute(parameters, nodeRows, outputRows);
  const activations = spec().layers.map((l) => l.activation);
  const last = activations.length - 1;
  view.paintNetwork(
    layerMaps.map((layer, l) => layer.map((values) => toScale(activations[l]!, values))),
    parameters,
  );

  // the big map: the network's output, or the node under the pointer, enlarged
  let big = toScale(activations[last]!, layerMaps[last]![0]!);
  let caption = "The network's output";
  const output = !hovered || (hovered.kind === "neuron" && hovered.layer === last);
  if (hovered?.kind === "neuron" && hovered.layer < last) {
    big = toScale(activations[hovered.layer]!, maps.layer(hovered.layer, outputRows)[hovered.unit]!);
  } else if (hovered?.kind === "feature") {
    const feature = FEATURES.find((f) => f.name === (hovered as { name: string }).name)!;
    big = scaled(OUTPUT_POINTS.map((p) => feature.value(p.x, p.y)));
  }
  if (!output) caption = `${hovered!.label[0]!.toUpperCase()}${hovered!.label.slice(1)}, enlarged`;
  const heatmap = $<HTMLCanvasElement>("heatmap");
  paintValues(heatmap, big, config.discretize && output);
  paintPoints(heatmap, points.train, false, classifies());
  if (config.showTest) paintPoints(heatmap, points.test, true, classifies());
  $("heatmapCaption").textContent = caption;
  heatmap.setAttribute("aria-label", `${caption} over the plane, with the data points`);
  paintCurve(
    $<HTMLCanvasElement>("curve"),
    [
      { values: curves.trainLoss, colour: "#1d2733" },
      { values: curves.testLoss, colour: "#9aa5b1" },
    ],
    trainer.epoch,
  );

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
    probe: JSON.stringify(Array.from(maps.layer(last, probeRows)[0]!)),
    showing: hovered ? hovered.label : "output",
  });
}

function options(
  select: HTMLSelectElement,
  values: readonly (string | number)[],
  label: (v: string) => string = String,
): void {
  select.replaceChildren(...values.map((v) => new Option(label(String(v)), String(v))));
}

function showConfig(): void {
  $<HTMLSelectElement>("optimizer").value = config.optimizer;
  $<HTMLSelectElement>("learningRate").value = String(config.learningRate);
  $<HTMLSelectElement>("activation").value = config.activation;
  $<HTMLSelectElement>("weightDecay").value = String(config.weightDecay);
  $<HTMLSelectElement>("l1").value = String(config.l1);
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
  const problem = dataSet(config.data).problem;
  $<HTMLSelectElement>("problem").value = problem;
  for (const radio of document.querySelectorAll<HTMLInputElement>("input[name=dataset]")) {
    radio.checked = radio.value === config.data;
    radio.parentElement!.hidden = dataSet(radio.value).problem !== problem;
  }
  const hidden = config.layers.length;
  $("layerCount").textContent = `${hidden} hidden layer${hidden === 1 ? "" : "s"}`;
  $<HTMLButtonElement>("addLayer").disabled = hidden >= MAX_LAYERS;
  $<HTMLButtonElement>("removeLayer").disabled = hidden === 0;
  document.body.classList.toggle("regression", !classifies());
}

function showDownloadHint(): void {
  const labels = config.features.map((name) => FEATURES.find((f) => f.name === name)!.label);
  $("downloadHint").textContent =
    `The model's inputs, in order: ${labels.join(", ")}, each scaled as on the feature maps (x and y divided by 6); ` +
    `its output: ${classifies() ? "the probability that a point is blue" : "the value at the point"}. Network.fromJSON reads the JSON back.`;
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

function downloadButtons(): void {
  $("downloads").replaceChildren(
    ...MODEL_FORMATS.map((format) => {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "secondary";
      button.textContent = format.label;
      button.setAttribute("aria-label", `Download the model as ${format.label}`);
      button.addEventListener("click", async () => {
        if (!trainer) return;
        try {
          saveFile(`playground-${config.data}.${format.extension}`, await format.write(trainer), format.type);
        } catch (error) {
          say(`The model cannot be saved as ${format.label}: ${(error as Error).message}`); // ONNX has no exact float64 form of gelu
        }
      });
      return button;
    }),
  );
}

function wire(): void {
  options($("optimizer"), OPTIMIZER_CHOICES, (v) => OPTIMIZER_DESCRIPTORS[v as OptimizerName].label);
  options($("learningRate"), LEARNING_RATES);
  options($("activation"), ACTIVATION_CHOICES, (v) => ACTIVATION_DESCRIPTORS[v as Activation].label);
  options($("weightDecay"), WEIGHT_DECAYS);
  options($("l1"), L1_VALUES);
  dataSetChoices();
  downloadButtons();

  const on = (id: string, event: string, handler: (input: HTMLInputElement & HTMLSelectElement) => void) =>
    $(id).addEventListener(event, (e) => handler(e.target as HTMLInputElement & HTMLSelectElement));
  on("optimizer", "change", (s) => update({ optimizer: s.value as Config["optimizer"] }, "training"));
  on("learningRate", "change", (s) => update({ learningRate: Number(s.value) }, "training"));
  on("weightDecay", "change", (s) => update({ weightDecay: Number(s.value) }, "training"));
  on("l1", "change", (s) => update({ l1: Number(s.value) }, "training"));
  on("batchSize", "change", (s) => update({ batchSize: Number(s.value) }, "training"));
  on("batchSize", "input", (s) => ($("batchSizeValue").textContent = s.value));
  on("activation", "change", (s) => update({ activation: s.value as Config["activation"] }, "network"));
  on("problem", "change", (s) =>
    update({ data: DATA_SETS.find((d) => d.problem === (s.value as Problem))!.name }, "data"),
  );
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
  $("addLayer").addEventListener("click", () =>
    update({ layers: [...config.layers, config.layers.at(-1) ?? 2] }, "network"),
  );
  $("removeLayer").addEventListener("click", () => update({ layers: config.layers.slice(0, -1) }, "network"));
  $("play").addEventListener("click", () => void togglePlay());
  $("reset").addEventListener("click", () => void reset());
  $("step").addEventListener("click", async () => {
    say("");
    await trainer?.step(trainingOptions());
    showPlaying();
  });
}

// Setting a canvas's size clears it, even to the size it has: only a real change does, and then
// the page is repainted at once, not a frame later (a screenshot in between would be blank).
function sizeCanvases(): void {
  let changed = false;
  for (const canvas of document.querySelectorAll<HTMLCanvasElement>("canvas.heatmap, canvas.curve")) {
    const box = canvas.getBoundingClientRect();
    const [width, height] = [Math.round(box.width * devicePixelRatio), Math.round(box.height * devicePixelRatio)];
    if (canvas.width === width && canvas.height === height) continue;
    canvas.width = width;
    canvas.height = height;
    changed = true;
  }
  if (changed) paint();
}

// the address holds the whole configuration from the start, not only after a change
history.replaceState(null, "", writeConfig(config));
wire();
showConfig();
makePoints();
sizeCanvases();
new ResizeObserver(sizeCanvases).observe($("heatmap"));
void reset();
requestAnimationFrame(render);
