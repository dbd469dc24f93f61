// The loss curve: training loss and test loss per epoch on a log scale (the loss falls by
// decades), drawn on a canvas from one sample per pixel column.
export interface Series {
  values: readonly number[];
  colour: string;
}

export function paintCurve(canvas: HTMLCanvasElement, series: readonly Series[]): void {
  const context = canvas.getContext("2d")!;
  const { width, height } = canvas;
  context.clearRect(0, 0, width, height);
  const length = Math.max(...series.map((s) => s.values.length));
  if (length < 2) return;
  const columns = Math.min(length, width);
  const at = (c: number) => Math.round((c * (length - 1)) / (columns - 1));
  const samples = series.map(({ values }) =>
    Array.from({ length: columns }, (_, c) => Math.log10(Math.max(values[at(c)] ?? NaN, 1e-12))),
  );
  let top = -Infinity, bottom = Infinity;
  for (const v of samples.flat()) {
    if (!Number.isFinite(v)) continue;
    top = Math.max(top, v);
    bottom = Math.min(bottom, v);
  }
  bottom = Math.min(bottom, top - 1);
  const pad = 2 * devicePixelRatio;
  context.lineWidth = 1.5 * devicePixelRatio;
  context.lineJoin = "round";
  series.forEach(({ colour }, n) => {
    context.strokeStyle = colour;
    context.beginPath();
    samples[n]!.forEach((v, c) => {
      const x = pad + ((width - 2 * pad) * at(c)) / (length - 1);
      const y = pad + ((height - 2 * pad) * (top - v)) / (top - bottom);
      if (c === 0) context.moveTo(x, y);
      else context.lineTo(x, y);
    });
    context.stroke();
  });
}
