// The network drawn as the TensorFlow Playground draws it: a column of input features (buttons
// that switch a feature on or off), a column per hidden layer, and the output; each node shows
// its own output over the plane as a small heat map, each link its weight by colour (sign) and
// thickness (size). CSS lays out the nodes; the links are measured from them.
import type { LayerParameters } from "backprop-wasm";
import { css } from "./colors.js";
import { FEATURES } from "./features.js";
import { paintValues } from "./heatmap.js";
import { MAX_UNITS } from "./config.js";

const SVG = "http://www.w3.org/2000/svg";

export interface NetworkViewEvents {
  toggleFeature(name: string): void;
  setLayers(layers: number[]): void;
}

function element<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text = ""): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  e.className = className;
  if (text) e.textContent = text;
  return e;
}

function thumbnail(label: string): HTMLCanvasElement {
  const canvas = element("canvas", "node-map");
  canvas.width = canvas.height = 50;
  canvas.setAttribute("role", "img");
  canvas.setAttribute("aria-label", label);
  return canvas;
}

export class NetworkView {
  /** the canvases of the hidden and output neurons, [layer][unit] */
  private neurons: HTMLCanvasElement[][] = [];
  /** the canvases of the active features, in input order */
  private inputs: HTMLCanvasElement[] = [];
  /** the canvases of all features, in FEATURES' order */
  private featureMaps: HTMLCanvasElement[] = [];
  private links: SVGPathElement[][][] = [];
  private readonly svg = document.createElementNS(SVG, "svg");
  private readonly columns = element("div", "network-columns");

  constructor(private readonly root: HTMLElement, private readonly events: NetworkViewEvents) {
    this.svg.classList.add("network-links");
    this.svg.setAttribute("aria-hidden", "true");
    root.replaceChildren(this.svg, this.columns);
    new ResizeObserver(() => this.placeLinks()).observe(root);
  }

  /** Rebuilds the nodes for a set of features and hidden layers (the output layer is one unit). */
  build(features: readonly string[], layers: readonly number[]): void {
    this.neurons = [];
    this.columns.replaceChildren(this.featureColumn(features), ...layers.map((_, l) => this.layerColumn(layers, l)), this.outputColumn());
    this.links = [];
    this.svg.replaceChildren();
    const widths = [features.length, ...layers, 1];
    for (let l = 1; l < widths.length; l++) {
      this.links.push(
        Array.from({ length: widths[l]! }, () =>
          Array.from({ length: widths[l - 1]! }, () => {
            const path = document.createElementNS(SVG, "path");
            path.append(document.createElementNS(SVG, "title"));
            this.svg.append(path);
            return path;
          }),
        ),
      );
    }
    this.placeLinks();
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
      const canvas = thumbnail(feature.label);
      button.append(canvas, element("span", "node-label", feature.label));
      column.append(button);
      this.featureMaps.push(canvas);
      if (on) this.inputs[features.indexOf(feature.name)] = canvas;
    }
    return column;
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
    title.append(change(1, "Add a neuron to"), change(-1, "Remove a neuron from"), element("span", "", `${units} neuron${units > 1 ? "s" : ""}`));
    column.append(title);
    const canvases = Array.from({ length: units }, (_, unit) => thumbnail(`Layer ${l + 1}, neuron ${unit + 1}`));
    for (const canvas of canvases) {
      const node = element("div", "node");
      node.append(canvas);
      column.append(node);
    }
    this.neurons[l] = canvases;
    return column;
  }

  private outputColumn(): HTMLElement {
    const column = element("div", "network-column output");
    column.append(element("div", "column-title", "Output"));
    const canvas = thumbnail("The output");
    const node = element("div", "node");
    node.append(canvas);
    column.append(node);
    this.neurons.push([canvas]);
    return column;
  }

  // a curve from the right edge of each source node to the left edge of each target node
  private placeLinks(): void {
    const origin = this.root.getBoundingClientRect();
    this.svg.setAttribute("width", String(this.root.scrollWidth));
    this.svg.setAttribute("height", String(this.root.scrollHeight));
    const anchor = (canvas: HTMLCanvasElement, side: "left" | "right") => {
      const box = canvas.getBoundingClientRect();
      return { x: (side === "left" ? box.left : box.right) - origin.left + this.root.scrollLeft, y: box.top + box.height / 2 - origin.top };
    };
    const layers = [this.inputs, ...this.neurons];
    this.links.forEach((layer, l) =>
      layer.forEach((row, unit) =>
        row.forEach((path, input) => {
          const a = anchor(layers[l]![input]!, "right");
          const b = anchor(layers[l + 1]![unit]!, "left");
          const mid = (a.x + b.x) / 2;
          path.setAttribute("d", `M${a.x},${a.y} C${mid},${a.y} ${mid},${b.y} ${b.x},${b.y}`);
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
    maps.forEach((layer, l) => layer.forEach((values, unit) => paintValues(this.neurons[l]![unit]!, values)));
    parameters.forEach((layer, l) =>
      layer.weights.forEach((row, unit) =>
        row.forEach((w, input) => {
          const path = this.links[l]?.[unit]?.[input];
          if (!path) return;
          path.setAttribute("stroke", css(Math.sign(w) * Math.min(1, 0.35 + Math.abs(w) / 2)));
          path.setAttribute("stroke-width", String(0.5 + Math.min(3, Math.abs(w))));
          path.firstElementChild!.textContent = `weight ${w.toFixed(3)}`;
        }),
      ),
    );
  }
}
