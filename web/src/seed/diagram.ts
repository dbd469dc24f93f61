// The seed post's 2-2-2 network as an SVG: inputs i1, i2; hidden h1, h2; outputs o1, o2; the
// fixed biases b1, b2; each link labelled with its weight (w1…w8, numbered as in the post).
import type { ExplainedStep } from "backprop-wasm";

const SVG = "http://www.w3.org/2000/svg";
const RADIUS = 26;
const COLUMN_X = [70, 280, 490];
const ROW_Y = [90, 220];
const BIAS_Y = 305;

function add(parent: Element, tag: string, attributes: Record<string, string | number>, text?: string): SVGElement {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attributes)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  parent.append(e);
  return e;
}

const subscript = (n: number) => String(n).replace(/\d/g, (d) => "₀₁₂₃₄₅₆₇₈₉"[Number(d)]!);

/** Redraws the diagram for the step about to be taken: weights, and each neuron's output. */
export function drawDiagram(svg: SVGSVGElement, step: ExplainedStep): void {
  svg.replaceChildren();
  const [hidden, output] = step.layers as [ExplainedStep["layers"][0], ExplainedStep["layers"][0]];
  const edges = add(svg, "g", {});
  const labels = add(svg, "g", {});
  const nodes = add(svg, "g", {});

  // weights[unit][input]: w1 = i1→h1, w2 = i2→h1, w3 = i1→h2, w4 = i2→h2, then w5…w8 likewise
  [hidden, output].forEach((layer, l) =>
    layer.parameters.weights.forEach((row, unit) =>
      row.forEach((w, input) => {
        const from = { x: COLUMN_X[l]! + RADIUS, y: ROW_Y[input]! };
        const to = { x: COLUMN_X[l + 1]! - RADIUS, y: ROW_Y[unit]! };
        add(edges, "line", { class: "edge", x1: from.x, y1: from.y, x2: to.x, y2: to.y, stroke: w >= 0 ? "rgb(8, 119, 189)" : "rgb(245, 147, 34)", "stroke-width": 1 + 3 * Math.min(1, Math.abs(w)) });
        const t = 0.3;
        const x = from.x + t * (to.x - from.x), y = from.y + t * (to.y - from.y) - 7;
        add(labels, "text", { class: "weight", x, y, "text-anchor": "middle" }, `w${subscript(4 * l + 2 * unit + input + 1)} ${w.toFixed(4)}`);
      }),
    ),
  );
  [hidden, output].forEach((layer, l) => {
    const bx = (COLUMN_X[l]! + COLUMN_X[l + 1]!) / 2;
    layer.parameters.biases.forEach((_, unit) =>
      add(edges, "line", { class: "edge", x1: bx, y1: BIAS_Y - 16, x2: COLUMN_X[l + 1]! - RADIUS * 0.7, y2: ROW_Y[unit]! + RADIUS * 0.7, stroke: "#c3cad2", "stroke-width": 1.2 }),
    );
    add(nodes, "circle", { class: "bias", cx: bx, cy: BIAS_Y, r: 16 });
    add(nodes, "text", { class: "name", x: bx, y: BIAS_Y }, `b${subscript(l + 1)}`);
    add(nodes, "text", { class: "value", x: bx + 40, y: BIAS_Y + 4 }, layer.parameters.biases[0]!.toFixed(2));
  });

  const neuron = (x: number, y: number, name: string, ...values: string[]) => {
    add(nodes, "circle", { class: "neuron", cx: x, cy: y, r: RADIUS });
    add(nodes, "text", { class: "name", x, y }, name);
    values.forEach((value, n) => add(nodes, "text", { class: "value", x, y: y + RADIUS + 15 + 14 * n }, value));
  };
  hidden.input.forEach((v, i) => neuron(COLUMN_X[0]!, ROW_Y[i]!, `i${subscript(i + 1)}`, v.toFixed(2)));
  hidden.a.forEach((v, j) => neuron(COLUMN_X[1]!, ROW_Y[j]!, `h${subscript(j + 1)}`, `out ${v.toFixed(6)}`));
  output.a.forEach((v, k) => neuron(COLUMN_X[2]!, ROW_Y[k]!, `o${subscript(k + 1)}`, `out ${v.toFixed(6)}`, `target ${step.target[k]}`));
}
