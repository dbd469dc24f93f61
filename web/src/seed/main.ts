// The seed walk-through: the post's network on the Wasm backend, worked as the post works it
// (forward, the total error, the output layer's δ and w5…w8, the hidden layer's sums and
// w1…w4), one explained round at a time or 10,000 rounds from the initial weights, with the
// error of every round and the post's figures beside ours. Every figure is net.explain's.
import {
  Network,
  runSeedExample,
  SEED_EXAMPLE,
  type ExplainedLayer,
  type ExplainedStep,
  type SeedExampleResult,
} from "backprop-wasm";
import { drawDiagram, subscript, weightNumber } from "./diagram.js";

const $ = <T extends Element = HTMLElement>(id: string) => document.getElementById(id) as unknown as T;
const { x, y, learningRate, post, rounds: ROUNDS } = SEED_EXAMPLE;
const count = (n: number) => n.toLocaleString("en");

/** The post prints nine decimals; small values keep nine significant digits instead. A true minus sign. */
function f(v: number): string {
  const text = Math.abs(v) >= 0.001 || v === 0 ? v.toFixed(9) : v.toPrecision(9).replace(/0+$/, "");
  return text.replace("-", "−");
}

let net: Network;
/** errors[r] is the total error computed in round r + 1's forward pass, before its update */
let errors: number[] = [];
let step: ExplainedStep;

function reset(): void {
  net.setParameters(SEED_EXAMPLE.parameters);
  errors = [];
  show();
}

function run(rounds: number): void {
  for (let r = 0; r < rounds; r++) errors.push(net.trainStep(x, y, { learningRate }));
  show();
}

/** A table row; each cell [label, text, figure?] carries its column's label for the stacked phone layout. */
function row(cells: [label: string, text: string, figure?: string][], headerFirst = true): HTMLTableRowElement {
  const tr = document.createElement("tr");
  cells.forEach(([label, text, figure], n) => {
    const cell = document.createElement(n === 0 && headerFirst ? "th" : "td");
    if (n === 0 && headerFirst) cell.setAttribute("scope", "row");
    else cell.className = headerFirst || figure ? "num" : "";
    cell.dataset.label = label;
    if (figure) cell.dataset.figure = figure;
    cell.textContent = text;
    tr.append(cell);
  });
  return tr;
}

const layers = (s: ExplainedStep) => s.layers as [ExplainedLayer, ExplainedLayer];
const o = (k: number) => `o${subscript(k + 1)}`;
const h = (j: number) => `h${subscript(j + 1)}`;
const i = (n: number) => `i${subscript(n + 1)}`;
const w = (l: number, unit: number, from: number) => `w${subscript(weightNumber(l, unit, from))}`;

function showForward(): void {
  const [hidden, output] = layers(step);
  $("forward").replaceChildren(
    ...hidden.z.map((z, j) =>
      row([
        ["neuron", h(j)],
        ["net", f(z), `net-h${j + 1}`],
        ["out", f(hidden.a[j]!), `out-h${j + 1}`],
      ]),
    ),
    ...output.z.map((z, k) =>
      row([
        ["neuron", o(k)],
        ["net", f(z), `net-o${k + 1}`],
        ["out", f(output.a[k]!), `out-o${k + 1}`],
      ]),
    ),
  );
}

/** A line of mathematics: `html` (written here, from numbers) with its result as a figure. */
function equation(html: string, value: string, figure: string, note = ""): HTMLParagraphElement {
  const p = document.createElement("p");
  p.innerHTML = `${html} = <b class="num" data-figure="${figure}">${value}</b>${note ? ` <span class="note">${note}</span>` : ""}`;
  return p;
}

function showErrors(): void {
  const output = layers(step)[1];
  const lines = output.a.map((out, k) =>
    equation(
      `E<sub>${o(k)}</sub> = ½(${step.target[k]} − ${f(out)})²`,
      f(0.5 * (step.target[k]! - out) ** 2),
      `E-o${k + 1}`,
    ),
  );
  const note =
    errors.length === 0
      ? `the post: ${post.initialError}`
      : `after ${count(errors.length)} round${errors.length > 1 ? "s" : ""}`;
  lines.push(
    equation(`E<sub>total</sub> = E<sub>${o(0)}</sub> + E<sub>${o(1)}</sub>`, f(step.loss), "E-total", `(${note})`),
  );
  lines.at(-1)!.className = "total";
  $("errors").replaceChildren(...lines);
}

function showOutputLayer(): void {
  const [hidden, output] = layers(step);
  $("outputDeltas").replaceChildren(
    ...output.a.map((_, k) =>
      row([
        ["neuron", o(k)],
        ["∂E/∂out = out − target", f(output.dEdA[k]!), `dEdout-o${k + 1}`],
        ["∂out/∂net = out(1 − out)", f(output.dAdZ![k]!), `doutdnet-o${k + 1}`],
        ["δ", f(output.dEdZ[k]!), `delta-o${k + 1}`],
      ]),
    ),
  );
  $("outputWeights").replaceChildren(
    ...output.parameters.weights.flatMap((weights, k) =>
      weights.map((value, j) => {
        const name = weightNumber(1, k, j);
        return row([
          ["weight", `${w(1, k, j)} (${h(j)} → ${o(k)})`],
          ["w", f(value), `w${name}`],
          [`δ${o(k)}`, f(output.dEdZ[k]!)],
          [`out${h(j)}`, f(hidden.a[j]!)],
          ["∂E/∂w = δ · out", f(output.gradients.weights[k]![j]!), `dEdw${name}`],
          ["w⁺ = w − 0.5 · ∂E/∂w", f(output.updated.weights[k]![j]!), `w${name}-updated`],
        ]);
      }),
    ),
  );
}

function showHiddenLayer(): void {
  const [hidden, output] = layers(step);
  const through = (k: number, j: number) => output.dEdZ[k]! * output.parameters.weights[k]![j]!;
  $("hiddenDeltas").replaceChildren(
    ...hidden.a.map((_, j) =>
      row([
        ["neuron", h(j)],
        [`through ${o(0)}: δ${o(0)} · ${w(1, 0, j)}`, f(through(0, j)), `part-h${j + 1}-o1`],
        [`through ${o(1)}: δ${o(1)} · ${w(1, 1, j)}`, f(through(1, j)), `part-h${j + 1}-o2`],
        ["∂E/∂out, their sum", f(hidden.dEdA[j]!), `dEdout-h${j + 1}`],
        ["∂out/∂net = out(1 − out)", f(hidden.dAdZ![j]!), `doutdnet-h${j + 1}`],
        ["δ", f(hidden.dEdZ[j]!), `delta-h${j + 1}`],
      ]),
    ),
  );
  $("hiddenWeights").replaceChildren(
    ...hidden.parameters.weights.flatMap((weights, j) =>
      weights.map((value, n) => {
        const name = weightNumber(0, j, n);
        return row([
          ["weight", `${w(0, j, n)} (${i(n)} → ${h(j)})`],
          ["w", f(value), `w${name}`],
          [`δ${h(j)}`, f(hidden.dEdZ[j]!)],
          [`input ${i(n)}`, f(hidden.input[n]!)],
          ["∂E/∂w = δ · input", f(hidden.gradients.weights[j]![n]!), `dEdw${name}`],
          ["w⁺ = w − 0.5 · ∂E/∂w", f(hidden.updated.weights[j]![n]!), `w${name}-updated`],
        ]);
      }),
    ),
  );
}

function showCurve(): void {
  const svg = $<SVGSVGElement>("errorCurve");
  const width = Math.max(300, svg.getBoundingClientRect().width);
  const height = errors.length < 2 ? 48 : width < 500 ? 200 : 220;
  const [left, right, top, bottom] = [58, 12, 12, 40];
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  svg.setAttribute("height", String(height));
  if (errors.length < 2) {
    svg.innerHTML = `<text x="${width / 2}" y="${height / 2}" text-anchor="middle">Run two rounds or more to draw the error of each</text>`;
    return;
  }
  const logs = errors.map(Math.log10);
  const high = Math.ceil(Math.max(...logs)),
    low = Math.floor(Math.min(...logs));
  const stride = Math.max(1, Math.ceil(errors.length / 600));
  const px = (r: number) => left + ((width - left - right) * r) / (errors.length - 1);
  const py = (v: number) => top + ((height - top - bottom) * (high - v)) / Math.max(1, high - low);
  const points: string[] = [];
  for (let r = 0; r < errors.length; r += stride) points.push(`${px(r).toFixed(1)},${py(logs[r]!).toFixed(1)}`);
  points.push(`${px(errors.length - 1).toFixed(1)},${py(logs.at(-1)!).toFixed(1)}`);
  const yTicks = Array.from({ length: high - low + 1 }, (_, n) => low + n)
    .map(
      (p) =>
        `<line class="grid" x1="${left}" x2="${width - right}" y1="${py(p)}" y2="${py(p)}"/><text x="${left - 6}" y="${py(p) + 4}" text-anchor="end">10${p < 0 ? "⁻" : ""}${String(Math.abs(p)).replace(/\d/g, (d) => "⁰¹²³⁴⁵⁶⁷⁸⁹"[Number(d)]!)}</text>`,
    )
    .join("");
  const xTicks = [1, errors.length]
    .map(
      (r, n) =>
        `<text x="${px(r - 1)}" y="${height - bottom + 16}" text-anchor="${n ? "end" : "start"}">${count(r)}</text>`,
    )
    .join("");
  svg.innerHTML =
    `${yTicks}${xTicks}<polyline class="line" points="${points.join(" ")}"/>` +
    `<text class="axis-title" x="${(left + width - right) / 2}" y="${height - 4}" text-anchor="middle">round</text>` +
    `<text class="axis-title" transform="translate(12 ${(top + height - bottom) / 2}) rotate(-90)" text-anchor="middle">E_total (log scale)</text>`;
}

function showStatus(): void {
  const done = errors.length;
  $("roundStatus").textContent =
    done === 0
      ? "Showing round 1, from the initial weights."
      : `Showing round ${count(done + 1)}, after ${count(done)} round${done > 1 ? "s" : ""} from the initial weights. ` +
        `The error computed in round ${count(done)}: ${f(errors.at(-1)!)}.`;
}

function drawNetwork(): void {
  const svg = $<SVGSVGElement>("diagram");
  drawDiagram(svg, step, svg.getBoundingClientRect().width);
  const [hidden, output] = layers(step);
  $("weightList").replaceChildren(
    ...[hidden, output].flatMap((layer, l) =>
      layer.parameters.weights.flatMap((weights, unit) =>
        weights.map((value, from) => {
          const item = document.createElement("div");
          const dt = document.createElement("dt");
          const dd = document.createElement("dd");
          dt.textContent = w(l, unit, from);
          dd.textContent = value.toFixed(6).replace("-", "−");
          item.append(dt, dd);
          return item;
        }),
      ),
    ),
  );
}

function show(): void {
  step = net.explain(x, y, { learningRate });
  showStatus();
  drawNetwork();
  showForward();
  showErrors();
  showOutputLayer();
  showHiddenLayer();
  showCurve();
}

function showPostFigures(result: SeedExampleResult): void {
  const { first, exact, postOrder } = result;
  const rows: [string, string, string][] = [
    [`first error ${post.initialError}`, f(first.loss), "every digit: one forward pass"],
    [
      `error after round 1: ${post.errorAfterOneRound}`,
      f(exact.errorAfterOneRound),
      `six digits only: the post updates w₅…w₈ first and backpropagates to the hidden layer through the updated weights, which is not the gradient of E; done that way it is ${f(postOrder.errorAfterOneRound)}, every digit`,
    ],
    [
      `error after ${count(ROUNDS)} rounds: ${post.errorAfterRounds}`,
      f(exact.lossOfLastRound),
      `every digit, as the error computed in round ${count(ROUNDS)}'s forward pass, before its update (what trainStep returns); after that update it is ${f(exact.errorAfterRounds)}`,
    ],
    [
      `outputs 0.159121960 (sic), ${post.outputsAfterRounds[1]}`,
      exact.outputsAfterRounds.map(f).join(", "),
      `four to five digits: these come from the post's order of updates (${postOrder.outputsAfterRounds.map(f).join(", ")})`,
    ],
  ];
  $("postFigures").replaceChildren(
    ...rows.map(([printed, ours, why]) =>
      row(
        [
          ["the post prints", printed],
          ["exact gradient descent gives", ours, "post"],
          ["why", why],
        ],
        false,
      ),
    ),
  );
  $("typo").textContent =
    `The post prints the first output as 0.159121960, a slip for ${post.outputsAfterRounds[0]}: the same digits, one place to the left. ` +
    `With the error it reports, ${post.errorAfterRounds}, out${o(0)} is at most √(2 · ${post.errorAfterRounds}) ≈ 0.0084 from its target 0.01, so it cannot be 0.159.`;
}

async function main(): Promise<void> {
  net = await Network.create({ ...SEED_EXAMPLE.spec, backend: "wasm" });
  $("oneRound").addEventListener("click", () => run(1));
  $("manyRounds").addEventListener("click", () => {
    net.setParameters(SEED_EXAMPLE.parameters);
    errors = [];
    run(ROUNDS);
  });
  $("reset").addEventListener("click", reset);
  reset();
  let width = 0;
  new ResizeObserver(() => {
    const now = $("diagram").getBoundingClientRect().width;
    if (now === width) return;
    width = now;
    drawNetwork();
    showCurve();
  }).observe($("diagram"));
  showPostFigures(await runSeedExample("wasm"));
  document.body.dataset.ready = "true";
}

void main();
