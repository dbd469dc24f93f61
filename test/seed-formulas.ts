// The seed post's worked example by its own formulas, written here independently of the library:
// the expected values of the seed page's figures (web.test.ts) and of `npm start` (seed-start.test.ts).

/** The seed example by the post's formulas, written here: σ(z) = 1/(1 + e^−z), E = Σ ½(t − o)², δ = ∂E/∂net. */
export function seedForward(w: number[]) {
  const σ = (z: number) => 1 / (1 + Math.exp(-z));
  const [i1, i2, b1, b2, t1, t2] = [0.05, 0.1, 0.35, 0.6, 0.01, 0.99];
  const [w1, w2, w3, w4, w5, w6, w7, w8] = w as [number, number, number, number, number, number, number, number];
  const netH = [w1 * i1 + w2 * i2 + b1, w3 * i1 + w4 * i2 + b1];
  const h = netH.map(σ) as [number, number];
  const netO = [w5 * h[0] + w6 * h[1] + b2, w7 * h[0] + w8 * h[1] + b2];
  const out = netO.map(σ) as [number, number];
  const E = [0.5 * (t1 - out[0]) ** 2, 0.5 * (t2 - out[1]) ** 2] as [number, number];
  const dEdoutO = [out[0] - t1, out[1] - t2];
  const doutdnetO = out.map((o) => o * (1 - o));
  const δo = [dEdoutO[0]! * doutdnetO[0]!, dEdoutO[1]! * doutdnetO[1]!] as [number, number];
  const parts = [
    [δo[0] * w5, δo[1] * w7],
    [δo[0] * w6, δo[1] * w8],
  ] as [[number, number], [number, number]];
  const dEdoutH = parts.map(([a, b]) => a + b);
  const doutdnetH = h.map((v) => v * (1 - v));
  const δh = [dEdoutH[0]! * doutdnetH[0]!, dEdoutH[1]! * doutdnetH[1]!] as [number, number];
  const gradients = [
    δh[0] * i1,
    δh[0] * i2,
    δh[1] * i1,
    δh[1] * i2,
    δo[0] * h[0],
    δo[0] * h[1],
    δo[1] * h[0],
    δo[1] * h[1],
  ];
  return { netH, h, netO, out, E, dEdoutO, doutdnetO, δo, parts, dEdoutH, doutdnetH, δh, gradients };
}

export const SEED_WEIGHTS = [0.15, 0.2, 0.25, 0.3, 0.4, 0.45, 0.5, 0.55];

/** Every figure the seed page shows for round 1, named as its data-figure attributes name them. */
export function seedFigures(): Record<string, number> {
  const s = seedForward(SEED_WEIGHTS);
  const figures: Record<string, number> = { "E-o1": s.E[0], "E-o2": s.E[1], "E-total": s.E[0] + s.E[1] };
  for (const j of [0, 1]) {
    Object.assign(figures, {
      [`net-h${j + 1}`]: s.netH[j],
      [`out-h${j + 1}`]: s.h[j],
      [`net-o${j + 1}`]: s.netO[j],
      [`out-o${j + 1}`]: s.out[j],
      [`dEdout-o${j + 1}`]: s.dEdoutO[j],
      [`doutdnet-o${j + 1}`]: s.doutdnetO[j],
      [`delta-o${j + 1}`]: s.δo[j],
      [`part-h${j + 1}-o1`]: s.parts[j]![0],
      [`part-h${j + 1}-o2`]: s.parts[j]![1],
      [`dEdout-h${j + 1}`]: s.dEdoutH[j],
      [`doutdnet-h${j + 1}`]: s.doutdnetH[j],
      [`delta-h${j + 1}`]: s.δh[j],
    });
  }
  SEED_WEIGHTS.forEach((w, n) =>
    Object.assign(figures, {
      [`w${n + 1}`]: w,
      [`dEdw${n + 1}`]: s.gradients[n],
      [`w${n + 1}-updated`]: w - 0.5 * s.gradients[n]!,
    }),
  );
  return figures;
}

/** Exact gradient descent from the initial weights: the error computed in the last round's forward pass, and after its update. */
export function seedRounds(rounds: number): { lastRound: number; after: number } {
  let w = SEED_WEIGHTS;
  let lastRound = NaN;
  for (let r = 0; r < rounds; r++) {
    const s = seedForward(w);
    lastRound = s.E[0] + s.E[1];
    w = w.map((v, n) => v - 0.5 * s.gradients[n]!);
  }
  const s = seedForward(w);
  return { lastRound, after: s.E[0] + s.E[1] };
}
