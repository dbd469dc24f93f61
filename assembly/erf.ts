// erfc(x) = 1 − erf(x) = (2/√π) ∫ₓ^∞ e^(−t²) dt, the core's own (GELU needs it; JavaScript's Math has
// none): the algorithm and coefficients of fdlibm's s_erf.c (Sun Microsystems, 1993, freely
// distributable with its notice: "Developed at SunPro, a Sun Microsystems, Inc. business.
// Permission to use, copy, modify, and distribute this software is freely granted, provided that
// this notice is preserved."), rational approximations on [0, 0.84375), [0.84375, 1.25),
// [1.25, 1/0.35) and [1/0.35, 28), within 1 unit in the last place. Its twin
// src/backends/js/erf.ts computes the same operations in the same order (each engine's exp).

const ERX: f64 = 8.45062911510467529297e-01;
// erf on [0, 0.84375): x + x·P(x²)/Q(x²)
const PP0: f64 = 1.28379167095512558561e-01, PP1: f64 = -3.25042107247001499370e-01, PP2: f64 = -2.84817495755985104766e-02;
const PP3: f64 = -5.77027029648944159157e-03, PP4: f64 = -2.37630166566501626084e-05;
const QQ1: f64 = 3.97917223959155352819e-01, QQ2: f64 = 6.50222499887672944485e-02, QQ3: f64 = 5.08130628187576562776e-03;
const QQ4: f64 = 1.32494738004321644526e-04, QQ5: f64 = -3.96022827877536812320e-06;
// erf on [0.84375, 1.25): erx + P(s)/Q(s), s = |x| − 1
const PA0: f64 = -2.36211856075265944077e-03, PA1: f64 = 4.14856118683748331666e-01, PA2: f64 = -3.72207876035701323847e-01;
const PA3: f64 = 3.18346619901161753674e-01, PA4: f64 = -1.10894694282396677476e-01, PA5: f64 = 3.54783043256182359371e-02;
const PA6: f64 = -2.16637559486879084300e-03;
const QA1: f64 = 1.06420880400844228286e-01, QA2: f64 = 5.40397917702171048937e-01, QA3: f64 = 7.18286544141962662868e-02;
const QA4: f64 = 1.26171219808761642112e-01, QA5: f64 = 1.36370839120290507362e-02, QA6: f64 = 1.19844998467991074170e-02;
// erfc on [1.25, 1/0.35): e^(−x² − 0.5625 + R(s)/S(s)) / x, s = 1/x²
const RA0: f64 = -9.86494403484714822705e-03, RA1: f64 = -6.93858572707181764372e-01, RA2: f64 = -1.05586262253232909814e+01;
const RA3: f64 = -6.23753324503260060396e+01, RA4: f64 = -1.62396669462573470355e+02, RA5: f64 = -1.84605092906711035994e+02;
const RA6: f64 = -8.12874355063065934246e+01, RA7: f64 = -9.81432934416914548592e+00;
const SA1: f64 = 1.96512716674392571292e+01, SA2: f64 = 1.37657754143519042600e+02, SA3: f64 = 4.34565877475229228821e+02;
const SA4: f64 = 6.45387271733267880336e+02, SA5: f64 = 4.29008140027567833386e+02, SA6: f64 = 1.08635005541779435134e+02;
const SA7: f64 = 6.57024977031928170135e+00, SA8: f64 = -6.04244152148580987438e-02;
// erfc on [1/0.35, 28)
const RB0: f64 = -9.86494292470009928597e-03, RB1: f64 = -7.99283237680523006574e-01, RB2: f64 = -1.77579549177547519889e+01;
const RB3: f64 = -1.60636384855821916062e+02, RB4: f64 = -6.37566443368389627722e+02, RB5: f64 = -1.02509513161107724954e+03;
const RB6: f64 = -4.83519191608651397019e+02;
const SB1: f64 = 3.03380607434824582924e+01, SB2: f64 = 3.25792512996573918826e+02, SB3: f64 = 1.53672958608443695994e+03;
const SB4: f64 = 3.19985821950859553908e+03, SB5: f64 = 2.55305040643316442583e+03, SB6: f64 = 4.74528541206955367215e+02;
const SB7: f64 = -2.24409524465858183362e+01;
// fdlibm's bound 1/0.35, as its high word 0x4006DB6D compares it: 2 + 449389/524288
const FAR: f64 = 2.857143402099609375;

// |x| with the low 32 bits of its significand cleared: z² is exact, so e^(−z²) loses nothing
// @ts-ignore: decorator
@inline function truncated(x: f64): f64 {
  return reinterpret<f64>(reinterpret<u64>(x) & 0xffffffff00000000);
}

export function erfc(x: f64): f64 {
  if (x != x) return x;
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
    if (x >= 0) return (1.0 - ERX) - p / q;
    return 1.0 + (ERX + p / q);
  }
  if (ax < 28.0) {
    if (x < 0 && ax >= 6.0) return 2.0;
    const s = 1.0 / (ax * ax);
    let r: f64, t: f64;
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
