// Values on a square lattice over [−6, 6]² painted as colours, and the data drawn on top.
import { rgb } from "./colors.js";
import { DOMAIN, type Point } from "./datasets.js";

/** Lattice sizes: the output's heat map, and the nodes' small ones (cheaper to compute). */
export const GRID = 75;
export const NODE_GRID = 25;

/** A size×size lattice's points, row by row from the top (y = +6), as pixels are. */
export function lattice(size: number): { x: number; y: number }[] {
  return Array.from({ length: size * size }, (_, k) => {
    const i = k % size,
      j = Math.floor(k / size);
    return { x: -DOMAIN + (2 * DOMAIN * (i + 0.5)) / size, y: DOMAIN - (2 * DOMAIN * (j + 0.5)) / size };
  });
}

const pixels = typeof document === "undefined" ? null : document.createElement("canvas");

/** The class a value shows when the output is discretized: ≥ 0 is class 1 (an output of exactly ½ too, as `classify` has it). */
export const discrete = (v: number): number => (v >= 0 ? 1 : -1);

/** Paints `values` (one per point of a square lattice, already in [−1, 1]) over the whole canvas. */
export function paintValues(canvas: HTMLCanvasElement, values: ArrayLike<number>, discretize = false): void {
  const size = Math.round(Math.sqrt(values.length));
  pixels!.width = pixels!.height = size;
  const small = pixels!.getContext("2d")!;
  const image = small.createImageData(size, size);
  for (let k = 0; k < size * size; k++) {
    const v = values[k]!;
    const [r, g, b] = rgb(discretize ? discrete(v) : v);
    image.data.set([r, g, b, 255], 4 * k);
  }
  small.putImageData(image, 0, 0);
  const context = canvas.getContext("2d")!;
  context.imageSmoothingEnabled = !discretize;
  context.drawImage(pixels!, 0, 0, canvas.width, canvas.height);
}

/**
 * The points, filled with their class's (or value's) full colour and edged in dark ink, so that
 * they stand out on any background, the saturated ones of their own class included: training
 * points as discs, test points as squares.
 */
export function paintPoints(
  canvas: HTMLCanvasElement,
  points: readonly Point[],
  test: boolean,
  classify: boolean,
): void {
  const context = canvas.getContext("2d")!;
  const scale = canvas.width / (2 * DOMAIN);
  const radius = Math.max(2.5, canvas.width / 115);
  context.lineWidth = Math.max(1, radius / 3.5);
  context.strokeStyle = "rgba(20, 24, 28, 0.85)";
  for (const p of points) {
    const [r, g, b] = rgb(classify ? 2 * p.label - 1 : p.label);
    context.fillStyle = `rgb(${r}, ${g}, ${b})`;
    const x = (p.x + DOMAIN) * scale,
      y = (DOMAIN - p.y) * scale;
    context.beginPath();
    if (test) context.rect(x - radius, y - radius, 2 * radius, 2 * radius);
    else context.arc(x, y, radius, 0, 2 * Math.PI);
    context.fill();
    context.stroke();
  }
}
