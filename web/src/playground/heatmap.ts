// Values on a square lattice over [−6, 6]² painted as colours, and the data drawn on top.
import { rgb } from "./colors.js";
import { DOMAIN, type Point } from "./datasets.js";

/** Lattice sizes: the output's heat map, and the nodes' small ones (cheaper to compute). */
export const GRID = 75;
export const NODE_GRID = 25;

/** A size×size lattice's points, row by row from the top (y = +6), as pixels are. */
export function lattice(size: number): { x: number; y: number }[] {
  return Array.from({ length: size * size }, (_, k) => {
    const i = k % size, j = Math.floor(k / size);
    return { x: -DOMAIN + (2 * DOMAIN * (i + 0.5)) / size, y: DOMAIN - (2 * DOMAIN * (j + 0.5)) / size };
  });
}

const pixels = typeof document === "undefined" ? null : document.createElement("canvas");

/** Paints `values` (one per point of a square lattice, already in [−1, 1]) over the whole canvas. */
export function paintValues(canvas: HTMLCanvasElement, values: ArrayLike<number>, discretize = false): void {
  const size = Math.round(Math.sqrt(values.length));
  pixels!.width = pixels!.height = size;
  const small = pixels!.getContext("2d")!;
  const image = small.createImageData(size, size);
  for (let k = 0; k < size * size; k++) {
    const v = values[k]!;
    const [r, g, b] = rgb(discretize ? Math.sign(v) : v);
    image.data.set([r, g, b, 255], 4 * k);
  }
  small.putImageData(image, 0, 0);
  const context = canvas.getContext("2d")!;
  context.imageSmoothingEnabled = true;
  context.drawImage(pixels!, 0, 0, canvas.width, canvas.height);
}

/** Dots for the points: white rims for training data, dark rims for test data. */
export function paintPoints(canvas: HTMLCanvasElement, points: readonly Point[], test: boolean, classify: boolean): void {
  const context = canvas.getContext("2d")!;
  const scale = canvas.width / (2 * DOMAIN);
  const radius = Math.max(2.5, canvas.width / 110);
  context.lineWidth = Math.max(1, radius / 3);
  context.strokeStyle = test ? "rgba(20, 24, 28, 0.9)" : "rgba(255, 255, 255, 0.95)";
  for (const p of points) {
    const [r, g, b] = rgb(classify ? 2 * p.label - 1 : p.label);
    context.fillStyle = `rgb(${r}, ${g}, ${b})`;
    context.beginPath();
    context.arc((p.x + DOMAIN) * scale, (DOMAIN - p.y) * scale, radius, 0, 2 * Math.PI);
    context.fill();
    context.stroke();
  }
}
