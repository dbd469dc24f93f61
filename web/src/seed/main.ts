// The seed walk-through: the post's network on the Wasm backend, one explained round at a time
// or 10,000 at once, with the error of every round and the post's figures beside ours.
import { Network, runSeedExample, SEED_EXAMPLE, type ExplainedStep, type SeedExampleResult } from "backprop-wasm";
import { drawDiagram } from "./diagram.js";

const $ = <T extends Element = HTMLElement>(id: string) => document.getElementById(id) as unknown as T;
const { x, y, learningRate, post } = SEED_EXAMPLE;

/** The post prints nine decimals; small errors keep nine significant digits instead. */
function f(v: number): string {
  return Math.abs(v) >= 0.001 ? v.toFixed(9) : v.toPrecision(9).replace(/0+$/, "");
}

let net: Network;
/** errors[r] is the total error computed in round r + 1's forward pass, before its update */
let errors: number[] = [];

function reset(): void {
  net.setParameters(SEED_EXAMPLE.parameters);
  errors = [];
  show();
}

function rounds(count: number): void {
  for (let r = 0; r < count; r++) errors.push(net.trainStep(x, y, { learningRate }));
  show();
}

function cell(row: HTMLTableRowElement, text: string, className = "num"): HTMLTableCellElement {
  const td = row.insertCell();
  td.className = className;
  td.textContent = text;
  return td;
}

function showForward(step: ExplainedStep): void {
  const [hidden, output] = step.layers as [ExplainedStep["layers"][0], ExplainedStep["layers"][0]];
  const body = $("forward");
  body.replaceChildren();
  const neurons = [...hidden.z.map((z, j) => [`h${j + 1}`, z, hidden.a[j]!] as const), ...output.z.map((z, k) => [`o${k + 1}`, z, output.a[k]!] as const)];
  for (const [name, z, a] of neurons) {
    const row = document.createElement("tr");
    cell(row, name, "");
    cell(row, f(z));
    cell(row, f(a));
    body.append(row);
  }
  $("totalError").textContent = f(step.loss);
  $("totalNote").textContent = errors.length === 0 ? `the post: ${post.initialError}` : `before round ${errors.length + 1}`;
}

function showBackward(step: ExplainedStep): void {
  const body = $("backward");
  body.replaceChildren();
  step.layers.forEach((layer, l) => {
    const into = l === 0 ? "i" : "h";
    const at = l === 0 ? "h" : "o";
    layer.gradients.weights.forEach((row, unit) =>
      row.forEach((gradient, input) => {
        const tr = document.createElement("tr");
        cell(tr, `w${4 * l + 2 * unit + input + 1}`, "");
        cell(tr, f(layer.parameters.weights[unit]![input]!));
        cell(tr, f(gradient));
        const factors = cell(tr, "", "factors");
        const dEdout = l === 1 ? `out ${at}${unit + 1} − target` : `Σₒ δₒ · wₒ,${at}${unit + 1}`;
        factors.innerHTML =
          `<b>${f(layer.dEdA[unit]!)}</b> (${dEdout}) · <b>${f(layer.dAdZ![unit]!)}</b> (out(1 − out)) · ` +
          `<b>${f(layer.input[input]!)}</b> (${l === 0 ? "input" : "out"} ${into}${input + 1})`;
        cell(tr, f(layer.updated.weights[unit]![input]!));
        body.append(tr);
      }),
    );
  });
}

function showCurve(): void {
  const svg = $<SVGSVGElement>("errorCurve");
  const [width, height, left, pad] = [800, 180, 48, 14];
  if (errors.length < 2) {
    svg.innerHTML = `<text x="${width / 2}" y="${height / 2}" text-anchor="middle">Run a few rounds to draw the curve</text>`;
    return;
  }
  const logs = errors.map(Math.log10);
  const top = Math.ceil(Math.max(...logs)), bottom = Math.floor(Math.min(...logs));
  const step = Math.max(1, Math.ceil(errors.length / 600));
  const px = (r: number) => left + ((width - left - pad) * r) / (errors.length - 1);
  const py = (v: number) => pad + ((height - 2 * pad) * (top - v)) / Math.max(1, top - bottom);
  const points: string[] = [];
  for (let r = 0; r < errors.length; r += step) points.push(`${px(r).toFixed(1)},${py(logs[r]!).toFixed(1)}`);
  points.push(`${px(errors.length - 1).toFixed(1)},${py(logs.at(-1)!).toFixed(1)}`);
  const ticks = Array.from({ length: top - bottom + 1 }, (_, i) => bottom + i)
    .map((p) => `<line class="axis" x1="${left}" x2="${width - pad}" y1="${py(p)}" y2="${py(p)}"/><text x="${left - 6}" y="${py(p) + 4}" text-anchor="end">1e${p}</text>`)
    .join("");
  svg.innerHTML = `${ticks}<polyline class="line" points="${points.join(" ")}"/>` +
    `<text x="${width - pad}" y="${height - 2}" text-anchor="end">round ${errors.length.toLocaleString("en")}</text>`;
}

function show(): void {
  const step = net.explain(x, y, { learningRate });
  $("rounds").textContent = errors.length.toLocaleString("en");
  $("lastRound").textContent = errors.length ? ` · error computed in round ${errors.length.toLocaleString("en")}: ${f(errors.at(-1)!)}` : "";
  drawDiagram($<SVGSVGElement>("diagram"), step);
  showForward(step);
  showBackward(step);
  showCurve();
}

function showPostFigures(result: SeedExampleResult): void {
  const { first, exact, postOrder } = result;
  const rows: [string, string, string][] = [
    [`first error ${post.initialError}`, f(first.loss), "every digit: one forward pass"],
    [
      `error after round 1: ${post.errorAfterOneRound}`,
      f(exact.errorAfterOneRound),
      `six digits only: the post updates w5…w8 first and backpropagates to the hidden layer through the updated weights, which is not the gradient of E; done that way it is ${f(postOrder.errorAfterOneRound)}, every digit`,
    ],
    [
      `error after ${SEED_EXAMPLE.rounds.toLocaleString("en")} rounds: ${post.errorAfterRounds}`,
      f(exact.lossOfLastRound),
      `every digit, as the error computed in round ${SEED_EXAMPLE.rounds.toLocaleString("en")}'s forward pass, before its update (what trainStep returns)`,
    ],
    [
      `outputs ${post.outputsAfterRounds.join(", ")}`,
      exact.outputsAfterRounds.map(f).join(", "),
      `four to five digits: these come from the post's order of updates (${postOrder.outputsAfterRounds.map(f).join(", ")})`,
    ],
  ];
  $("postFigures").replaceChildren(
    ...rows.map(([printed, ours, why]) => {
      const tr = document.createElement("tr");
      cell(tr, printed, "");
      cell(tr, ours);
      cell(tr, why, "");
      return tr;
    }),
  );
}

async function main(): Promise<void> {
  net = await Network.create({ ...SEED_EXAMPLE.spec, backend: "wasm" });
  $("oneRound").addEventListener("click", () => rounds(1));
  $("manyRounds").addEventListener("click", () => rounds(SEED_EXAMPLE.rounds));
  $("reset").addEventListener("click", reset);
  reset();
  showPostFigures(await runSeedExample("wasm"));
  document.body.dataset.ready = "true";
}

void main();
