// The loss curve: training and test loss per epoch, on a log scale (the loss falls by decades),
// with its axes. When there are more epochs than pixel columns, each column stands for the
// epochs it covers (their geometric mean: the mean on the log scale). A noisy run (ReLU with
// Adam, a small batch) would still read as spikes, so the line drawn is smoothed, as
// TensorBoard smooths (an exponential moving average with its start debiased), over the faint
// unsmoothed one.
export interface Series {
  values: readonly number[];
  colour: string;
}

const SUPERSCRIPT = "⁰¹²³⁴⁵⁶⁷⁸⁹";
const power = (p: number) =>
  `10${p < 0 ? "⁻" : ""}${String(Math.abs(p)).replace(/\d/g, (d) => SUPERSCRIPT[Number(d)]!)}`;

/** A tick's label: a power of ten as 10ⁿ, other values as decimals (0.5, 2, 0.03). */
function tickLabel(value: number): string {
  const p = Math.round(Math.log10(value));
  if (Math.abs(value - 10 ** p) < 1e-9 * value) return power(p);
  return Number(value.toPrecision(2)).toString();
}

/**
 * Ticks for a log axis over [low, high] (in log10 units): every decade when the range spans
 * several, else 1, 2 and 5 times the powers of ten in it, else every digit.
 */
export function logTicks(low: number, high: number): number[] {
  const decades = Array.from({ length: Math.floor(high) - Math.ceil(low) + 1 }, (_, n) => 10 ** (Math.ceil(low) + n));
  if (decades.length >= 3) return decades;
  for (const steps of [
    [1, 2, 5],
    [1, 2, 3, 4, 5, 6, 7, 8, 9],
  ]) {
    const ticks: number[] = [];
    for (let p = Math.floor(low); p <= Math.ceil(high); p++)
      for (const m of steps)
        if (Math.log10(m * 10 ** p) >= low - 1e-9 && Math.log10(m * 10 ** p) <= high + 1e-9) ticks.push(m * 10 ** p);
    if (ticks.length >= 3) return ticks;
  }
  return [10 ** low, 10 ** high];
}

/** How much of the smoothed value each column keeps: about the last 1/(1 − SMOOTHING) columns count. */
const SMOOTHING = 0.85;

/** Column c's mean of log10(loss) over the epochs [start, end) it covers; NaN if none of them is finite and positive. */
export function columnMeans(values: readonly number[], columns: number): { epoch: number; log: number }[] {
  const n = values.length;
  const count = Math.min(n, columns);
  return Array.from({ length: count }, (_, c) => {
    const start = Math.floor((c * n) / count),
      end = Math.floor(((c + 1) * n) / count);
    let sum = 0,
      k = 0;
    for (let e = start; e < end; e++)
      if (Number.isFinite(values[e]!) && values[e]! > 0) (sum += Math.log10(values[e]!)), k++;
    return { epoch: (start + end - 1) / 2, log: k ? sum / k : NaN };
  });
}

/** s_t = β·s_{t−1} + (1 − β)·x_t, divided by 1 − β^t so that the first values are not pulled towards 0 (gaps skipped). */
export function smooth(logs: readonly number[], beta = SMOOTHING): number[] {
  let s = 0,
    t = 0;
  return logs.map((v) => {
    if (!Number.isFinite(v)) return NaN;
    s = beta * s + (1 - beta) * v;
    t++;
    return s / (1 - beta ** t);
  });
}

/** `lastEpoch` labels the axis's end (a long run's curves keep every other point, so their length is not the epoch). */
export function paintCurve(canvas: HTMLCanvasElement, series: readonly Series[], lastEpoch: number): void {
  const context = canvas.getContext("2d")!;
  const { width, height } = canvas;
  const dpr = canvas.width / Math.max(1, canvas.getBoundingClientRect().width) || 1;
  context.clearRect(0, 0, width, height);
  const length = Math.max(...series.map((s) => s.values.length));
  const [left, right, top, bottom] = [50 * dpr, 8 * dpr, 8 * dpr, 30 * dpr];
  const plotWidth = width - left - right,
    plotHeight = height - top - bottom;
  const font = (size: number) => `${size * dpr}px system-ui, sans-serif`;
  context.font = font(10.5);
  context.fillStyle = "#5b6775";

  const means = series.map(({ values }) => columnMeans(values, Math.max(1, Math.floor(plotWidth / dpr))));
  const logs = means
    .flat()
    .map((m) => m.log)
    .filter(Number.isFinite);
  if (length < 2 || logs.length === 0) {
    context.textAlign = "center";
    context.fillText("the loss of each epoch appears here", width / 2, height / 2);
    return;
  }
  // the range of the means, and a little more, so that a flat curve is not drawn on the frame
  const spread = Math.max(...logs) - Math.min(...logs);
  const pad = Math.max(0.04, 0.06 * spread);
  const high = Math.max(...logs) + pad,
    low = Math.min(...logs) - pad;
  const x = (epoch: number) => left + (plotWidth * epoch) / (length - 1);
  const y = (log: number) => top + (plotHeight * (high - log)) / (high - low);

  // axes: gridlines at the ticks (labelled where there is room), the first and the last epoch
  context.strokeStyle = "#dfe3e8";
  context.lineWidth = dpr;
  context.textAlign = "right";
  context.textBaseline = "middle";
  let lastLabel = Infinity;
  for (const tick of logTicks(low, high).reverse()) {
    const at = y(Math.log10(tick));
    context.beginPath();
    context.moveTo(left, at);
    context.lineTo(width - right, at);
    context.stroke();
    if (Math.abs(at - lastLabel) < 13 * dpr) continue;
    context.fillText(tickLabel(tick), left - 4 * dpr, at);
    lastLabel = at;
  }
  context.textBaseline = "top";
  context.textAlign = "left";
  context.fillText("0", left, height - bottom + 4 * dpr);
  context.textAlign = "right";
  context.fillText(lastEpoch.toLocaleString("en"), width - right, height - bottom + 4 * dpr);
  context.textAlign = "center";
  context.fillText("epoch", left + plotWidth / 2, height - bottom + 4 * dpr);
  context.save();
  context.translate(8 * dpr, top + plotHeight / 2);
  context.rotate(-Math.PI / 2);
  context.textBaseline = "middle";
  context.fillText("loss (log)", 0, 0);
  context.restore();

  context.lineJoin = "round";
  const line = (columns: { epoch: number; log: number }[]) => {
    context.beginPath();
    let drawing = false;
    for (const { epoch, log } of columns) {
      if (!Number.isFinite(log)) {
        drawing = false;
        continue;
      }
      if (drawing) context.lineTo(x(epoch), y(log));
      else context.moveTo(x(epoch), y(log));
      drawing = true;
    }
    context.stroke();
  };
  series.forEach(({ colour }, n) => {
    const columns = means[n]!;
    const smoothed = smooth(columns.map((c) => c.log));
    context.strokeStyle = colour;
    context.globalAlpha = 0.25;
    context.lineWidth = dpr;
    line(columns);
    context.globalAlpha = 1;
    context.lineWidth = 1.75 * dpr;
    line(columns.map((c, k) => ({ epoch: c.epoch, log: smoothed[k]! })));
  });
}
