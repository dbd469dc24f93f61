// erfc(x) = 1 − erf(x) = (2/√π) ∫ₓ^∞ e^(−t²) dt, the core's own (GELU needs it; JavaScript's Math has
// none): the algorithm and coefficients of fdlibm's s_erf.c (Sun Microsystems, 1993, freely
// distributable with its notice: "Developed at SunPro, a Sun Microsystems, Inc. business.
// Permission to use, copy, modify, and distribute this software is freely granted, provided that
// this notice is preserved."), rational approximations on [0, 0.84375), [0.84375, 1.25),
// [1.25, 1/0.35) and [1/0.35, 28), within 1 unit in the last place. The twin of
// assembly/erf.ts: the same operations in the same order (each engine's exp).

const ERX = 8.45062911510467529297e-1;
// erf on [0, 0.84375): x + x·P(x²)/Q(x²)
const PP0 = 1.28379167095512558561e-1,
  PP1 = -3.2504210724700149937e-1,
  PP2 = -2.84817495755985104766e-2;
const PP3 = -5.77027029648944159157e-3,
  PP4 = -2.37630166566501626084e-5;
const QQ1 = 3.97917223959155352819e-1,
  QQ2 = 6.50222499887672944485e-2,
  QQ3 = 5.08130628187576562776e-3;
const QQ4 = 1.32494738004321644526e-4,
  QQ5 = -3.9602282787753681232e-6;
// erf on [0.84375, 1.25): erx + P(s)/Q(s), s = |x| − 1
const PA0 = -2.36211856075265944077e-3,
  PA1 = 4.14856118683748331666e-1,
  PA2 = -3.72207876035701323847e-1;
const PA3 = 3.18346619901161753674e-1,
  PA4 = -1.10894694282396677476e-1,
  PA5 = 3.54783043256182359371e-2;
const PA6 = -2.166375594868790843e-3;
const QA1 = 1.06420880400844228286e-1,
  QA2 = 5.40397917702171048937e-1,
  QA3 = 7.18286544141962662868e-2;
const QA4 = 1.26171219808761642112e-1,
  QA5 = 1.36370839120290507362e-2,
  QA6 = 1.1984499846799107417e-2;
// erfc on [1.25, 1/0.35): e^(−x² − 0.5625 + R(s)/S(s)) / x, s = 1/x²
const RA0 = -9.86494403484714822705e-3,
  RA1 = -6.93858572707181764372e-1,
  RA2 = -1.05586262253232909814e1;
const RA3 = -6.23753324503260060396e1,
  RA4 = -1.62396669462573470355e2,
  RA5 = -1.84605092906711035994e2;
const RA6 = -8.12874355063065934246e1,
  RA7 = -9.81432934416914548592;
const SA1 = 1.96512716674392571292e1,
  SA2 = 1.376577541435190426e2,
  SA3 = 4.34565877475229228821e2;
const SA4 = 6.45387271733267880336e2,
  SA5 = 4.29008140027567833386e2,
  SA6 = 1.08635005541779435134e2;
const SA7 = 6.57024977031928170135,
  SA8 = -6.04244152148580987438e-2;
// erfc on [1/0.35, 28)
const RB0 = -9.86494292470009928597e-3,
  RB1 = -7.99283237680523006574e-1,
  RB2 = -1.77579549177547519889e1;
const RB3 = -1.60636384855821916062e2,
  RB4 = -6.37566443368389627722e2,
  RB5 = -1.02509513161107724954e3;
const RB6 = -4.83519191608651397019e2;
const SB1 = 3.03380607434824582924e1,
  SB2 = 3.25792512996573918826e2,
  SB3 = 1.53672958608443695994e3;
const SB4 = 3.19985821950859553908e3,
  SB5 = 2.55305040643316442583e3,
  SB6 = 4.74528541206955367215e2;
const SB7 = -2.24409524465858183362e1;
// fdlibm's bound 1/0.35, as its high word 0x4006DB6D compares it: 2 + 449389/524288
const FAR = 2.857143402099609375;

// |x| with the low 32 bits of its significand cleared: z² is exact, so e^(−z²) loses nothing
const word = new Float64Array(1);
const halves = new Uint32Array(word.buffer);
const LOW = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 0 : 1; // the low half's index: 0 on little-endian engines
function truncated(x: number): number {
  word[0] = x;
  halves[LOW] = 0;
  return word[0]!;
}

export function erfc(x: number): number {
  if (Number.isNaN(x)) return x;
  const ax = Math.abs(x);
  if (ax < 0.84375) {
    if (ax < 1.3877787807814457e-17) return 1.0 - x; // |x| < 2⁻⁵⁶
    const z = x * x;
    const r = PP0 + z * (PP1 + z * (PP2 + z * (PP3 + z * PP4)));
    const s = 1.0 + z * (QQ1 + z * (QQ2 + z * (QQ3 + z * (QQ4 + z * QQ5))));
    const y = r / s;
    if (x < 0.25) return 1.0 - (x + x * y);
    return 0.5 - (x * y + (x - 0.5));
  }
  if (ax < 1.25) {
    const s = ax - 1.0;
    const p = PA0 + s * (PA1 + s * (PA2 + s * (PA3 + s * (PA4 + s * (PA5 + s * PA6)))));
    const q = 1.0 + s * (QA1 + s * (QA2 + s * (QA3 + s * (QA4 + s * (QA5 + s * QA6)))));
    if (x >= 0) return 1.0 - ERX - p / q;
    return 1.0 + (ERX + p / q);
  }
  if (ax < 28.0) {
    if (x < 0 && ax >= 6.0) return 2.0;
    const s = 1.0 / (ax * ax);
    let r: number, t: number;
    if (ax < FAR) {
      r = RA0 + s * (RA1 + s * (RA2 + s * (RA3 + s * (RA4 + s * (RA5 + s * (RA6 + s * RA7))))));
      t = 1.0 + s * (SA1 + s * (SA2 + s * (SA3 + s * (SA4 + s * (SA5 + s * (SA6 + s * (SA7 + s * SA8)))))));
    } else {
      r = RB0 + s * (RB1 + s * (RB2 + s * (RB3 + s * (RB4 + s * (RB5 + s * RB6)))));
      t = 1.0 + s * (SB1 + s * (SB2 + s * (SB3 + s * (SB4 + s * (SB5 + s * (SB6 + s * SB7))))));
    }
    const z = truncated(ax);
    const e = Math.exp(-z * z - 0.5625) * Math.exp((z - ax) * (z + ax) + r / t);
    return x > 0 ? e / ax : 2.0 - e / ax;
  }
  return x > 0 ? 0.0 : 2.0;
}
