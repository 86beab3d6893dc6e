// Standard bivariate normal CDF Phi_2(h, k; rho) = P(U <= h, V <= k), corr(U, V) = rho.
//
// Method: A. Genz, "Numerical computation of rectangular bivariate and trivariate normal and
// t probabilities", Statistics and Computing 14 (2004) 251-260, Sec. 2: the Drezner &
// Wesolowsky (1990, J. Statist. Comput. Simul. 35:101-107) integrals with Genz's double
// precision refinements, as in his BVND/BVNU code (TVPACK, bvn.m):
// - |rho| < 0.925: Plackett's formula in theta = asin(r) (Genz eq. 3) by Gauss-Legendre with
//   6, 12 or 20 points for |rho| < 0.3, < 0.75 and above;
// - |rho| >= 0.925: integrate from rho to sign(rho) in x = sqrt(1 - r^2) (eq. 4), subtract
//   the two-term Taylor expansion of the integrand's non-smooth factor (eqs. 5, 7) and
//   integrate that part in closed form, the smooth rest by the 20-point rule (eq. 6).
// Accuracy. Genz reports a maximum absolute error below 5e-16 for this hybrid (Sec. 2.2).
// Against the 40-digit mpmath values of test/fixtures/bvn.json (2694 points: |h|, |k| <= 8,
// rho over [-1, 1] including +-1, 1 - 1e-7, 1 - 1e-15 and the 0.3 / 0.75 / 0.925 rule
// switches) the largest absolute error measured is 1.7e-16 (test/bvn.test.ts).
// The error is ABSOLUTE, not relative: a tiny probability comes back with an error of
// ~1e-16 regardless of its size. Measured on the same fixtures: for rho >= 0, relative error
// up to 6e-9 at p ~ 6e-16; for rho < 0 in the lower tail, where Phi(h) Phi(k) and the
// integral cancel, none at all (Phi_2(-8, 0; -0.9) = 1.3e-52 is returned as 2.7e-28).
// Do not take log(bvnCdf) of probabilities below ~1e-10 and expect relative accuracy.
//
// Written from the paper's formulas; the Gauss-Legendre constants and the structure of the
// |rho| >= 0.925 branch were checked against Genz's public bvnu (MATLAB) code.
import { Phi } from './normal.js';

const TWO_PI = 2 * Math.PI;
const SQRT_TWO_PI = Math.sqrt(TWO_PI);

/**
 * Beyond |h| = 40 the orthant probabilities change by less than Phi(-40) ~ 4e-350, which is
 * 0 in double precision; clamping keeps h k and h^2 finite for huge finite inputs.
 */
const CLAMP = 40;

/** Gauss-Legendre half rules on [-1, 1]: positive nodes x_i (each used as +-x_i) and weights. */
interface HalfRule {
  readonly x: Float64Array;
  readonly w: Float64Array;
}

const GL6: HalfRule = {
  x: Float64Array.of(0.9324695142031522, 0.6612093864662647, 0.2386191860831970),
  w: Float64Array.of(0.1713244923791705, 0.3607615730481384, 0.4679139345726904),
};
const GL12: HalfRule = {
  x: Float64Array.of(
    0.9815606342467191, 0.9041172563704750, 0.7699026741943050,
    0.5873179542866171, 0.3678314989981802, 0.1252334085114692),
  w: Float64Array.of(
    0.04717533638651177, 0.1069393259953183, 0.1600783285433464,
    0.2031674267230659, 0.2334925365383547, 0.2491470458134029),
};
const GL20: HalfRule = {
  x: Float64Array.of(
    0.9931285991850949, 0.9639719272779138, 0.9122344282513259, 0.8391169718222188,
    0.7463319064601508, 0.6360536807265150, 0.5108670019508271, 0.3737060887154196,
    0.2277858511416451, 0.07652652113349733),
  w: Float64Array.of(
    0.01761400713915212, 0.04060142980038694, 0.06267204833410906, 0.08327674157670475,
    0.1019301198172404, 0.1181945319615184, 0.1316886384491766, 0.1420961093183821,
    0.1491729864726037, 0.1527533871307259),
};

/**
 * Genz's L(h, k, r) = P(U > h, V > k) for finite h, k (|h|, |k| <= CLAMP) and |r| <= 1.
 * The variable names follow Genz's code so the two can be read side by side.
 */
function upperOrthant(h: number, k: number, r: number): number {
  const ar = Math.abs(r);
  const rule = ar < 0.3 ? GL6 : ar < 0.75 ? GL12 : GL20;
  const { x, w } = rule;
  const n = x.length;
  let hk = h * k;
  let bvn = 0;

  if (ar < 0.925) {
    // Eq. (3): L = Phi(-h) Phi(-k) + 1/(2 pi) int_0^{asin r} exp(-(h^2 + k^2 - 2 h k sin t)
    // / (2 cos^2 t)) dt; the rule on [-1, 1] maps to t = asin(r) (1 +- x_i) / 2.
    const hs = (h * h + k * k) / 2;
    const asr = Math.asin(r);
    for (let i = 0; i < n; i++) {
      let sn = Math.sin((asr * (1 - x[i])) / 2);
      bvn += w[i] * Math.exp((sn * hk - hs) / (1 - sn * sn));
      sn = Math.sin((asr * (1 + x[i])) / 2);
      bvn += w[i] * Math.exp((sn * hk - hs) / (1 - sn * sn));
    }
    return clamp01((bvn * asr) / (2 * TWO_PI) + Phi(-h) * Phi(-k));
  }

  // |r| >= 0.925. With s = sign(r), the integrand of eq. (4) depends on k only via s k.
  if (r < 0) {
    k = -k;
    hk = -hk;
  }
  if (ar < 1) {
    const as = (1 - r) * (1 + r); // 1 - r^2 without cancellation near |r| = 1
    let a = Math.sqrt(as);
    const bs = (h - k) * (h - k);
    // Eq. (7): exp(-s h k / (1 + sqrt(1 - x^2))) / sqrt(1 - x^2)
    //   ~ exp(-s h k / 2) (1 + c x^2 (1 + d x^2)), c = (4 - s h k) / 8, d = (12 - s h k) / 16.
    const c = (4 - hk) / 8;
    const d = (12 - hk) / 16;
    // Closed-form integral of the Taylor part over x in [0, a] (Genz eq. 6; the
    // exp(-(bs / x^2) / 2) factor integrates to the Phi(-b / a) term). Terms below
    // exp(-100) are dropped, as in Genz's code.
    let asr = -(bs / as + hk) / 2;
    if (asr > -100) {
      bvn = a * Math.exp(asr) * (1 - (c * (bs - as) * (1 - (d * bs) / 5)) / 3 + (c * d * as * as) / 5);
    }
    if (hk > -100) {
      const b = Math.sqrt(bs);
      bvn -= Math.exp(-hk / 2) * SQRT_TWO_PI * Phi(-b / a) * b * (1 - (c * bs * (1 - (d * bs) / 5)) / 3);
    }
    // The smooth remainder (exact integrand minus its Taylor part) by the 20-point rule on
    // x in [0, a], nodes x = a (1 +- x_i) / 2.
    a /= 2;
    for (let i = 0; i < n; i++) {
      for (let sgn = -1; sgn <= 1; sgn += 2) {
        const xs = (a * (1 + sgn * x[i])) ** 2;
        asr = -(bs / xs + hk) / 2;
        if (asr > -100) {
          const rs = Math.sqrt(1 - xs);
          const sp = 1 + c * xs * (1 + d * xs);
          // hk (1 - rs) / (1 + rs) written as hk xs / (1 + rs)^2: no cancellation at small xs.
          const ep = Math.exp((-hk * xs) / (2 * (1 + rs) * (1 + rs))) / rs;
          bvn += a * w[i] * Math.exp(asr) * (ep - sp);
        }
      }
    }
    bvn = -bvn / TWO_PI;
  }
  // Add L(h, k, s): Phi(-max(h, k)) for s = 1; for s = -1, P(h < U < k) with the (negated)
  // k, formed from whichever tail keeps the difference accurate.
  if (r > 0) return clamp01(bvn + Phi(-Math.max(h, k)));
  bvn = -bvn;
  if (k > h) bvn += h < 0 ? Phi(k) - Phi(h) : Phi(-h) - Phi(-k);
  return clamp01(bvn);
}

function clamp01(p: number): number {
  return p < 0 ? 0 : p > 1 ? 1 : p;
}

function clampArg(x: number): number {
  return x < -CLAMP ? -CLAMP : x > CLAMP ? CLAMP : x;
}

function checkRho(rho: number): void {
  if (rho < -1 || rho > 1) throw new RangeError(`rho must be in [-1, 1], got ${rho}`);
}

/**
 * Standard bivariate normal CDF Phi_2(h, k; rho) = P(U <= h, V <= k) for (U, V) standard
 * normal with correlation rho (Genz 2004; absolute error below 1e-15, see the header).
 *
 * h and k may be +-Infinity; rho may be exactly +-1 (then Phi(min(h, k)) and
 * max(0, Phi(h) - Phi(-k))). The result is in [0, 1], exactly symmetric in (h, k), and
 * NaN only when an argument is NaN.
 * @throws {RangeError} if rho is outside [-1, 1].
 * @example bvnCdf(0, 0, 0.5) // 1/4 + asin(0.5) / (2 pi) = 0.3333333333333333
 */
export function bvnCdf(h: number, k: number, rho: number): number {
  checkRho(rho);
  if (Number.isNaN(h) || Number.isNaN(k) || Number.isNaN(rho)) return NaN;
  if (h === -Infinity || k === -Infinity) return 0;
  if (h === Infinity) return Phi(k);
  if (k === Infinity) return Phi(h);
  if (rho === 0) return Phi(h) * Phi(k);
  // Sorting the limits makes the result bit-for-bit symmetric (the rho < 0 branch would
  // otherwise pick different but equivalent tail differences for (h, k) and (k, h)).
  const lo = clampArg(Math.min(h, k));
  const hi = clampArg(Math.max(h, k));
  return upperOrthant(-lo, -hi, rho);
}

/**
 * Upper orthant probability P(U > h, V > k) = Phi_2(-h, -k; rho), same accuracy and
 * conventions as {@link bvnCdf}.
 * @throws {RangeError} if rho is outside [-1, 1].
 * @example bvnUpper(0, 0, 0.5) // 0.3333333333333333
 */
export function bvnUpper(h: number, k: number, rho: number): number {
  return bvnCdf(-h, -k, rho);
}

/**
 * Standard bivariate normal density
 * exp(-(h^2 - 2 rho h k + k^2) / (2 (1 - rho^2))) / (2 pi sqrt(1 - rho^2)).
 *
 * At |rho| = 1 the distribution is singular (it lives on the line k = rho h) and has no
 * density; this returns the pointwise limit, +Infinity on that line and 0 off it. 0 when h
 * or k is infinite; NaN only for NaN arguments. Relative error ~ q * 2^-53 with q the
 * quadratic form in the exponent (exp amplifies the rounding of q), e.g. 1e-14 at q = 100.
 * @throws {RangeError} if rho is outside [-1, 1].
 * @example bvnPdf(0, 0, 0) // 1 / (2 pi) = 0.15915494309189535
 */
export function bvnPdf(h: number, k: number, rho: number): number {
  checkRho(rho);
  if (Number.isNaN(h) || Number.isNaN(k) || Number.isNaN(rho)) return NaN;
  if (!Number.isFinite(h) || !Number.isFinite(k)) return 0;
  if (Math.abs(rho) === 1) return k === rho * h ? Infinity : 0;
  const lo = Math.min(h, k); // sorted, for exact symmetry as in bvnCdf
  const hi = Math.max(h, k);
  const as = (1 - rho) * (1 + rho);
  // h^2 - 2 rho h k + k^2 = (h - rho k)^2 + (1 - rho^2) k^2, with h - rho k formed as
  // (h -+ k) +- (1 -+ rho) k so it keeps its digits when rho -> +-1 and h ~ +-k.
  const dev = rho >= 0 ? (lo - hi) + (1 - rho) * hi : (lo + hi) - (1 + rho) * hi;
  const q = (dev * dev) / as + hi * hi;
  return Math.exp(-q / 2) / (TWO_PI * Math.sqrt(as));
}
