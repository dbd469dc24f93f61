// The network drawn as the TensorFlow Playground draws it: a column of input features (buttons
// that switch a feature on or off), a column per hidden layer, and the output; each node shows
// its own output over the plane as a small heat map, each link its weight by colour (sign) and
// thickness (size). Hovering (or focusing) a node shows its map enlarged in the output panel;
// clicking a neuron edits its bias, clicking a link its weight. CSS lays out the nodes, sized
// here so that the widest network fits the panel; the links are measured from the nodes.
import type { LayerParameters } from "backprop-wasm";
import { css } from "./colors.js";
import { MAX_UNITS } from "./config.js";
import { FEATURES } from "./features.js";
import { paintValues } from "./heatmap.js";

const SVG = "http://www.w3.org/2000/svg";

/** What the pointer is over: a feature's map, or a neuron's (`layer` counts the hidden layers from 0; the output is the last). */
export type Hovered =
  | { kind: "feature"; name: string; label: string }
  | { kind: "neuron"; layer: number; unit: number; label: string };

export interface NetworkViewEvents {
  toggleFeature(name: string): void;
  setLayers(layers: number[]): void;
  hover(target: Hovered | null): void;
  /** a neuron's bias (`input` "bias") or a link's weight was clicked; `at` is where to open the editor */
  edit(
    target: { layer: number; unit: number; input: number | "bias"; label: string },
    at: { x: number; y: number },
  ): void;
}

function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className: string,
  text = "",
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  e.className = className;
  if (text) e.textContent = text;
  return e;
}

function thumbnail(): HTMLCanvasElement {
  const canvas = element("canvas", "node-map");
  canvas.width = canvas.height = 50;
  canvas.setAttribute("aria-hidden", "true");
  return canvas;
}

const fixed = (v: number) => v.toFixed(3).replace("-", "−");

export class NetworkView {
  /** the canvases of the hidden and output neurons, [layer][unit] */
  private neurons: HTMLCanvasElement[][] = [];
  /** the canvases of the active features, in input order */
  private inputs: HTMLCanvasElement[] = [];
  private inputNames: string[] = [];
  /** the canvases of all features, in FEATURES' order */
  private featureMaps: HTMLCanvasElement[] = [];
  /** [layer][unit][input]: the link drawn, and the wider invisible one the pointer hits */
  private links: { line: SVGPathElement; hit: SVGPathElement; title: SVGTitleElement }[][][] = [];
  private widths: number[] = [];
  /** the parameters last painted: the titles of links and neurons are written from them when the pointer arrives */
  private parameters: readonly LayerParameters[] = [];
  private readonly svg = document.createElementNS(SVG, "svg");
  private readonly columns = element("div", "network-columns");

  constructor(
    private readonly root: HTMLElement,
    private readonly events: NetworkViewEvents,
  ) {
    this.svg.classList.add("network-links");
    root.replaceChildren(this.svg, this.columns);
    new ResizeObserver(() => this.layout()).observe(root);
  }

  /** Rebuilds the nodes for a set of features and hidden layers (the output layer is one unit). */
  build(features: readonly string[], layers: readonly number[]): void {
    this.neurons = [];
    this.inputNames = [...features];
    this.widths = [features.length, ...layers, 1];
    this.columns.replaceChildren(
      this.featureColumn(features),
      ...layers.map((_, l) => this.layerColumn(layers, l)),
      this.outputColumn(layers.length),
    );
    this.links = [];
    this.svg.replaceChildren();
    for (let l = 1; l < this.widths.length; l++) {
      this.links.push(
        Array.from({ length: this.widths[l]! }, (_, unit) =>
          Array.from({ length: this.widths[l - 1]! }, (_, input) => {
            const line = document.createElementNS(SVG, "path");
            line.classList.add("link");
            const hit = document.createElementNS(SVG, "path");
            hit.classList.add("link-hit");
            Object.assign(hit.dataset, { layer: l - 1, unit, input });
            const title = document.createElementNS(SVG, "title");
            hit.append(title);
            hit.addEventListener("click", (event) =>
              this.events.edit(
                {
                  layer: l - 1,
                  unit,
                  input,
                  label: `Weight from ${this.source(l - 1, input)} to ${this.neuronName(l - 1, unit)}`,
                },
                { x: event.clientX, y: event.clientY },
              ),
            );
            hit.addEventListener("pointerenter", () => {
              line.classList.add("hovered");
              const w = this.parameters[l - 1]?.weights[unit]?.[input];
              if (w !== undefined)
                title.textContent = `Weight ${fixed(w)}, from ${this.source(l - 1, input)} to ${this.neuronName(l - 1, unit)}: click to edit`;
            });
            hit.addEventListener("pointerleave", () => line.classList.remove("hovered"));
            this.svg.append(line, hit);
            return { line, hit, title };
          }),
        ),
      );
    }
    this.layout();
  }

  private neuronName(layer: number, unit: number): string {
    return layer === this.widths.length - 2 ? "the output" : `neuron ${unit + 1} of layer ${layer + 1}`;
  }

  private source(layer: number, input: number): string {
    return layer === 0
      ? FEATURES.find((f) => f.name === this.inputNames[input])!.label
      : this.neuronName(layer - 1, input);
  }

  private featureColumn(features: readonly string[]): HTMLElement {
    const column = element("div", "network-column features");
    column.append(element("div", "column-title", "Features"));
    this.inputs = [];
    this.featureMaps = [];
    for (const feature of FEATURES) {
      const on = features.includes(feature.name);
      const button = element("button", "node feature");
      button.type = "button";
      button.setAttribute("aria-pressed", String(on));
      button.setAttribute("aria-label", `Feature ${feature.label}: ${on ? "used" : "not used"}`);
      button.dataset.feature = feature.name;
      button.addEventListener("click", () => this.events.toggleFeature(feature.name));
      this.hoverable(button, { kind: "feature", name: feature.name, label: `the feature ${feature.label}` });
      const canvas = thumbnail();
      button.append(canvas, element("span", "node-label", feature.label));
      column.append(button);
      this.featureMaps.push(canvas);
      if (on) this.inputs[features.indexOf(feature.name)] = canvas;
    }
    return column;
  }

  private hoverable(node: HTMLElement, target: Hovered): void {
    node.addEventListener("pointerenter", () => this.events.hover(target));
    node.addEventListener("focus", () => this.events.hover(target));
    node.addEventListener("pointerleave", () => this.events.hover(null));
    node.addEventListener("blur", () => this.events.hover(null));
  }

  private neuron(layer: number, unit: number): HTMLElement {
    const name = this.neuronName(layer, unit);
    const button = element("button", "node neuron");
    button.type = "button";
    button.dataset.layer = String(layer);
    button.dataset.unit = String(unit);
    this.hoverable(button, { kind: "neuron", layer, unit, label: name });
    const capital = `${name[0]!.toUpperCase()}${name.slice(1)}`;
    button.setAttribute("aria-label", `${capital}: click to edit its bias; hover or focus to see its output enlarged`);
    button.addEventListener("pointerenter", () => {
      const b = this.parameters[layer]?.biases[unit];
      if (b !== undefined) button.title = `${capital}, bias ${fixed(b)}: click to edit`;
    });
    button.addEventListener("click", () => {
      const box = button.getBoundingClientRect();
      this.events.edit(
        { layer, unit, input: "bias", label: `Bias of ${name}` },
        { x: box.right, y: box.top + box.height / 2 },
      );
    });
    const canvas = thumbnail();
    button.append(canvas);
    (this.neurons[layer] ??= []).push(canvas);
    return button;
  }

  private layerColumn(layers: readonly number[], l: number): HTMLElement {
    const column = element("div", "network-column hidden");
    const units = layers[l]!;
    const change = (delta: number, label: string) => {
      const button = element("button", "mini", delta > 0 ? "+" : "−");
      button.type = "button";
      button.setAttribute("aria-label", `${label} layer ${l + 1}`);
      button.disabled = units + delta < 1 || units + delta > MAX_UNITS;
      button.addEventListener("click", () => this.events.setLayers(layers.map((u, k) => (k === l ? u + delta : u))));
      return button;
    };
    const title = element("div", "column-title");
    const count = element("span", "units");
    count.append(String(units), element("span", "units-word", ` neuron${units > 1 ? "s" : ""}`));
    title.append(change(1, "Add a neuron to"), change(-1, "Remove a neuron from"), count);
    column.append(title);
    for (let unit = 0; unit < units; unit++) column.append(this.neuron(l, unit));
    return column;
  }

  private outputColumn(layer: number): HTMLElement {
    const column = element("div", "network-column output");
    column.append(element("div", "column-title", "Output"));
    column.append(this.neuron(layer, 0));
    return column;
  }

  // Node size from the width there is: the feature column takes 1.6 slots (its labels), every other one slot.
  private layout(): void {
    const columns = this.widths.length;
    if (columns === 0) return;
    const width = this.root.clientWidth;
    const slot = width / (columns - 1 + 1.6);
    const node = Math.max(20, Math.min(40, Math.floor(slot - 16)));
    this.root.style.setProperty("--slot", `${slot}px`);
    this.root.style.setProperty("--node", `${node}px`);
    this.root.classList.toggle("compact", slot < 64);
    this.placeLinks();
  }

  // a curve from the right edge of each source node to the left edge of each target node
  private placeLinks(): void {
    const origin = this.root.getBoundingClientRect();
    this.svg.setAttribute("width", String(this.root.scrollWidth));
    this.svg.setAttribute("height", String(this.root.scrollHeight));
    const anchor = (canvas: HTMLCanvasElement, side: "left" | "right") => {
      const box = canvas.getBoundingClientRect();
      return { x: (side === "left" ? box.left : box.right) - origin.left, y: box.top + box.height / 2 - origin.top };
    };
    const layers = [this.inputs, ...this.neurons];
    this.links.forEach((layer, l) =>
      layer.forEach((row, unit) =>
        row.forEach(({ line, hit }, input) => {
          const a = anchor(layers[l]![input]!, "right");
          const b = anchor(layers[l + 1]![unit]!, "left");
          const mid = (a.x + b.x) / 2;
          const d = `M${a.x},${a.y} C${mid},${a.y} ${mid},${b.y} ${b.x},${b.y}`;
          line.setAttribute("d", d);
          hit.setAttribute("d", d);
        }),
      ),
    );
  }

  /** Every feature's values over the plane (maps in FEATURES' order): painted once per build. */
  paintFeatures(maps: readonly Float64Array[]): void {
    maps.forEach((values, i) => paintValues(this.featureMaps[i]!, values));
  }

  /** Each neuron's own output (maps[layer][unit], already in [−1, 1]) and each weight. */
  paintNetwork(maps: readonly Float64Array[][], parameters: readonly LayerParameters[]): void {
    this.parameters = parameters;
    maps.forEach((layer, l) => layer.forEach((values, unit) => paintValues(this.neurons[l]![unit]!, values)));
    parameters.forEach((layer, l) =>
      layer.weights.forEach((row, unit) =>
        row.forEach((w, input) => {
          const link = this.links[l]?.[unit]?.[input];
          if (!link) return;
          link.line.setAttribute("stroke", css(Math.sign(w) * Math.min(1, 0.35 + Math.abs(w) / 2)));
          link.line.setAttribute("stroke-width", String(0.5 + Math.min(3, Math.abs(w))));
        }),
      ),
    );
  }
}
