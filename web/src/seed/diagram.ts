// The seed post's 2-2-2 network as an SVG: inputs i1, i2; hidden h1, h2; outputs o1, o2; each
// link labelled with its weight (w1…w8, numbered as in the post), each neuron fed from above by
// its bias. The drawing is laid out for the width it is shown at, one SVG unit to a CSS pixel,
// so that its text keeps its size on a phone; below 500 px the links carry only their names
// and the weights are listed under the drawing.
import type { ExplainedStep } from "backprop-wasm";

const SVG = "http://www.w3.org/2000/svg";
export const COMPACT_BELOW = 500;

function add(parent: Element, tag: string, attributes: Record<string, string | number>, text?: string): SVGElement {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attributes)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  parent.append(e);
  return e;
}

export const subscript = (n: number) => String(n).replace(/\d/g, (d) => "₀₁₂₃₄₅₆₇₈₉"[Number(d)]!);

/** w1…w8 as the post numbers them: layer l's weight from input `from` into unit `unit`. */
export const weightNumber = (l: number, unit: number, from: number) => 4 * l + 2 * unit + from + 1;

/** Redraws the diagram at `width` CSS pixels for the step about to be taken: weights, and each neuron's output. */
export function drawDiagram(svg: SVGSVGElement, step: ExplainedStep, width: number): void {
  const compact = width < COMPACT_BELOW;
  const W = Math.max(300, width);
  const r = compact ? 18 : 22;
  const columns = [r + 14, W / 2, W - (compact ? 44 : 52)];
  const rows = compact ? [84, 206] : [92, 238];
  const height = rows[1]! + r + (compact ? 56 : 60);
  svg.setAttribute("viewBox", `0 0 ${W} ${height}`);
  svg.setAttribute("height", String(height));
  svg.replaceChildren();
  svg.classList.toggle("compact", compact);

  const [hidden, output] = step.layers as [ExplainedStep["layers"][0], ExplainedStep["layers"][0]];
  const edges = add(svg, "g", {});
  const labels = add(svg, "g", {});
  const nodes = add(svg, "g", {});

  ["inputs", "hidden layer", "output layer"].forEach((title, c) =>
    add(
      labels,
      "text",
      {
        class: "column-title",
        x: columns[c]!,
        y: 14,
        "text-anchor": c === 0 ? "start" : c === 2 ? "end" : "middle",
        dx: c === 0 ? -r : c === 2 ? r : 0,
      },
      title,
    ),
  );

  // weights[unit][from]: w1 = i1→h1, w2 = i2→h1, w3 = i1→h2, w4 = i2→h2, then w5…w8 likewise
  [hidden, output].forEach((layer, l) =>
    layer.parameters.weights.forEach((row, unit) =>
      row.forEach((w, from) => {
        const a = { x: columns[l]! + r, y: rows[from]! };
        const b = { x: columns[l + 1]! - r, y: rows[unit]! };
        const number = weightNumber(l, unit, from);
        add(edges, "line", {
          class: "edge",
          "data-weight": number,
          x1: a.x,
          y1: a.y,
          x2: b.x,
          y2: b.y,
          stroke: w >= 0 ? "rgb(8, 119, 189)" : "rgb(245, 147, 34)",
          "stroke-width": 1 + 3 * Math.min(1, Math.abs(w)),
        });
        // a straight link is labelled beside its middle, on the side away from the other row; a crossing
        // one near its source, on the side its line leaves free: above a falling line, below a rising one
        const name = `w${subscript(number)}`;
        const text = compact ? name : `${name} ${w.toFixed(4).replace("-", "−")}`;
        if (from === unit) {
          add(
            labels,
            "text",
            {
              class: "weight",
              "data-weight": number,
              x: (a.x + b.x) / 2,
              y: a.y + (unit === 0 ? -7 : 17),
              "text-anchor": "middle",
            },
            text,
          );
        } else {
          const x = a.x + 0.2 * (b.x - a.x) + 4,
            y = a.y + 0.2 * (b.y - a.y) + (from < unit ? -6 : 14);
          add(labels, "text", { class: "weight", "data-weight": number, x, y, "text-anchor": "start" }, text);
        }
      }),
    ),
  );

  // each neuron's bias comes down from a small node above it
  [hidden, output].forEach((layer, l) =>
    layer.parameters.biases.forEach((_, unit) => {
      const x = columns[l + 1]!,
        top = rows[unit]! - r - 26;
      add(edges, "line", { class: "bias-edge", x1: x, y1: top + 9, x2: x, y2: rows[unit]! - r });
      add(nodes, "circle", { class: "bias", cx: x, cy: top, r: 9 });
      add(nodes, "text", { class: "bias-name", x, y: top }, `b${subscript(l + 1)}`);
    }),
  );

  const neuron = (x: number, y: number, name: string, ...values: string[]) => {
    add(nodes, "circle", { class: "neuron", cx: x, cy: y, r });
    add(nodes, "text", { class: "name", x, y }, name);
    values.forEach((value, n) => add(nodes, "text", { class: "value", x, y: y + r + 15 + 15 * n }, value));
  };
  const digits = compact ? 4 : 6;
  hidden.input.forEach((v, i) => neuron(columns[0]!, rows[i]!, `i${subscript(i + 1)}`, String(v)));
  hidden.a.forEach((v, j) => neuron(columns[1]!, rows[j]!, `h${subscript(j + 1)}`, `out ${v.toFixed(digits)}`));
  output.a.forEach((v, k) =>
    neuron(columns[2]!, rows[k]!, `o${subscript(k + 1)}`, `out ${v.toFixed(digits)}`, `target ${step.target[k]}`),
  );

  const [b1, b2] = [hidden, output].map((layer) => layer.parameters.biases[0]!.toFixed(2));
  add(
    labels,
    "text",
    { class: "caption", x: W / 2, y: height - 6, "text-anchor": "middle" },
    `biases, fixed: b₁ = ${b1} into h₁, h₂; b₂ = ${b2} into o₁, o₂`,
  );
}
