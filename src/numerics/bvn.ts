// Standard bivariate normal CDF Phi_2(h, k; rho) = P(U <= h, V <= k), corr(U, V) = rho, and
// its logarithm, with RELATIVE accuracy in the tails.
//
// Two methods, switched on the size of the result:
//
// 1. Above TAIL = 1e-5: A. Genz, "Numerical computation of rectangular bivariate and
// trivariate normal and t probabilities", Statistics and Computing 14 (2004) 251-260, Sec. 2:
// the Drezner & Wesolowsky (1990, J. Statist. Comput. Simul. 35:101-107) integrals with
// Genz's double precision refinements, as in his BVND/BVNU code (TVPACK, bvn.m):
// - |rho| < 0.925: Plackett's formula in theta = asin(r) (Genz eq. 3) by Gauss-Legendre with
//   6, 12 or 20 points for |rho| < 0.3, < 0.75 and above;
// - |rho| >= 0.925: integrate from rho to sign(rho) in x = sqrt(1 - r^2) (eq. 4), subtract
//   the two-term Taylor expansion of the integrand's non-smooth factor (eqs. 5, 7) and
//   integrate that part in closed form, the smooth rest by the 20-point rule (eq. 6).
// Written from the paper's formulas; the Gauss-Legendre constants and the structure of the
// |rho| >= 0.925 branch were checked against Genz's public bvnu (MATLAB) code. Genz reports a
// maximum ABSOLUTE error below 5e-16 (Sec. 2.2); against the 40-digit values of
// test/fixtures/bvn.json (2694 points: |h|, |k| <= 8, rho over [-1, 1] including +-1,
// 1 - 1e-7, 1 - 1e-15 and the 0.3 / 0.75 / 0.925 rule switches) the largest absolute error
// is 1.7e-16. Absolute is not relative: Genz's Phi_2(-8, -5; -0.92) is 1e-34 for a true
// 8.3e-235 (for rho < 0 the terms Phi(h) Phi(k) and the integral cancel), and for rho >= 0
// the fixed rules lose digits in the tails (relative 6e-9 at p ~ 6e-16).
//
// 2. Below TAIL (the value of method 1 decides): the integral over the smaller limit of the
// conditional distribution, V | U = x ~ N(rho x, 1 - rho^2),
//     Phi_2(h, k; rho) = int_{-inf}^{lo} phi(x) Phi((hi - rho x) / s) dx,  s = sqrt(1 - rho^2),
// lo = min(h, k), hi = max(h, k). The integrand is positive and log-concave (phi and Phi
// are log-concave, the argument is affine; so no cancellation), and is integrated as
// exp(log phi + log Phi - peak) with the peak added back in log space: nothing underflows,
// which is what makes logBvnCdf work where Phi_2 is below the double range. Integration by
// adaptive Gauss-Kronrod G7/K15 with QUADPACK's error estimate and its global bisection
// strategy QAG (R. Piessens, E. de Doncker-Kapenga, C. W. Ueberhuber, D. K. Kahaner,
// "QUADPACK: A Subroutine Package for Automatic Integration", Springer 1983, routines QK15
// and QAG), on pieces stepped out from the peak and cut by the tangent bound of a concave
// log (logIntegral). Integrating over the smaller limit keeps the steep part of the Phi
// factor at or beyond the upper limit when rho > 0; as |rho| -> 1 (s -> 0) the Phi factor
// becomes a step of width s, which the breakpoints approach explicitly ("cliff"). rho = 1
// is Phi(lo) and rho = -1 is P(-hi <= U <= lo), from the two tails when they differ by a
// factor e or more and by quadrature of phi when the interval is too narrow for that.
//
// Why 1e-5. Method 1's absolute bound 5e-16 is < 5e-11 relative above 1e-5; measured with
// method 2 as the reference on 1.4e5 random points (|h|, |k| <= 8, rho uniform and within
// 1e-15..1e-1 of +-1), its largest relative error is 5.1e-13 above 1e-5, 4.8e-13 in
// [1e-6, 1e-5), 1.1e-10 in [1e-7, 1e-6) and 6e-8 near 1e-12: so the switch could not be much
// lower, and above it every value (and every bit the package's fits see) is Genz's.
// Accuracy of method 2 against test/fixtures/bvn.json's "tails" (721 points down to
// log Phi_2 = -1.6e16, values of 1e-300 and below, h ~ -k with rho within 1e-15 of -1,
// rho = +-1; 50-digit mpmath, two independent quadratures agreeing to 1e-35): largest
// relative error of bvnCdf 1.8e-12 (where Phi_2 > 1e-300), of logBvnCdf 3.5e-14 of
// max(1, |log Phi_2|) (test/unit/numerics/bvn.test.ts).
//
// Cost (Node 20, |h|, |k| < 4, rho in (-0.95, 0.95)). Method 1 takes ~0.6 us (0.43 us with the
// engine's Math.exp / Math.sin, which numerics/math.ts replaces); the switch adds one comparison.
// Method 2 takes ~10 us (about 90 integrand values), ~1 us where bvnCdf underflows to 0
// (the peak alone shows it); in the default fit's step 2 it adds ~8% (d = 30, 60).
//
// All transcendental functions come from numerics/math.ts (the same bits on every engine).
import erfcx from '@stdlib/math-base-special-erfcx';
import { Phi, logPhi, mills } from './normal-cdf.js';
import { HALF_LOG_2PI, asin, exp, expm1, log, log1p, sin } from './math.js';

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
  x: Float64Array.of(0.9324695142031522, 0.6612093864662647, 0.238619186083197),
  w: Float64Array.of(0.1713244923791705, 0.3607615730481384, 0.4679139345726904),
};
const GL12: HalfRule = {
  x: Float64Array.of(0.9815606342467191, 0.904117256370475, 0.769902674194305, 0.5873179542866171, 0.3678314989981802, 0.1252334085114692),
  w: Float64Array.of(0.04717533638651177, 0.1069393259953183, 0.1600783285433464, 0.2031674267230659, 0.2334925365383547, 0.2491470458134029),
};
const GL20: HalfRule = {
  x: Float64Array.of(
    0.9931285991850949,
    0.9639719272779138,
    0.9122344282513259,
    0.8391169718222188,
    0.7463319064601508,
    0.636053680726515,
    0.5108670019508271,
    0.3737060887154196,
    0.2277858511416451,
    0.07652652113349733,
  ),
  w: Float64Array.of(
    0.01761400713915212,
    0.04060142980038694,
    0.06267204833410906,
    0.08327674157670475,
    0.1019301198172404,
    0.1181945319615184,
    0.1316886384491766,
    0.1420961093183821,
    0.1491729864726037,
    0.1527533871307259,
  ),
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
    const asr = asin(r);
    for (let i = 0; i < n; i++) {
      let sn = sin((asr * (1 - x[i])) / 2);
      bvn += w[i] * exp((sn * hk - hs) / (1 - sn * sn));
      sn = sin((asr * (1 + x[i])) / 2);
      bvn += w[i] * exp((sn * hk - hs) / (1 - sn * sn));
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
      bvn = a * exp(asr) * (1 - (c * (bs - as) * (1 - (d * bs) / 5)) / 3 + (c * d * as * as) / 5);
    }
    if (hk > -100) {
      const b = Math.sqrt(bs);
      bvn -= exp(-hk / 2) * SQRT_TWO_PI * Phi(-b / a) * b * (1 - (c * bs * (1 - (d * bs) / 5)) / 3);
    }
    // The smooth remainder (exact integrand minus its Taylor part) by the 20-point rule on
    // x in [0, a], nodes x = a (1 +- x_i) / 2.
    a /= 2;
    for (let i = 0; i < n; i++) {
      for (let sgn = -1; sgn <= 1; sgn += 2) {
        const xa = a * (1 + sgn * x[i]);
        const xs = xa * xa; // fdlibm's pow returns x * x for y = 2, so the bits of ** 2 are kept
        asr = -(bs / xs + hk) / 2;
        if (asr > -100) {
          const rs = Math.sqrt(1 - xs);
          const sp = 1 + c * xs * (1 + d * xs);
          // hk (1 - rs) / (1 + rs) written as hk xs / (1 + rs)^2: no cancellation at small xs.
          const ep = exp((-hk * xs) / (2 * (1 + rs) * (1 + rs))) / rs;
          bvn += a * w[i] * exp(asr) * (ep - sp);
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

// ---------------------------------------------------------------------------------------
// The tail method: log Phi_2 by adaptive Gauss-Kronrod quadrature of a log-concave integrand.

/**
 * The 15-point Kronrod extension of the 7-point Gauss rule on [-1, 1], as in QUADPACK's QK15
 * (Piessens et al. 1983, see the header; 33 digits there). Nodes XGK[0..6] > 0 are used as
 * +-XGK[i], XGK[7] = 0; the Gauss nodes are XGK[1], XGK[3], XGK[5] and 0, with weights WG.
 * test/unit/numerics/bvn.test.ts checks the exactness: K15 to degree 22, G7 to degree 13.
 */
export const KRONROD_15 = {
  xgk: Float64Array.of(
    0.991455371120812639206854697526329,
    0.949107912342758524526189684047851,
    0.864864423359769072789712788640926,
    0.741531185599394439863864773280788,
    0.586087235467691130294144845693013,
    0.405845151377397166906606412076961,
    0.207784955007898467600689403773245,
    0,
  ),
  wgk: Float64Array.of(
    0.02293532201052922496373200805897,
    0.063092092629978553290700663189204,
    0.104790010322250183839876322541518,
    0.140653259715525918745189590510238,
    0.16900472663926790282658342659855,
    0.190350578064785409913256402421014,
    0.204432940075298892414161999234649,
    0.209482141084727828012999174891714,
  ),
  wg: Float64Array.of(
    0.129484966168869693270611432679082,
    0.27970539148927666790146777142378,
    0.381830050505118944950369775488975,
    0.417959183673469387755102040816327,
  ),
} as const;
const { xgk: XGK, wgk: WGK, wg: WG } = KRONROD_15;

/**
 * Below this, Genz's value is replaced by the tail method: his absolute error (< 5e-16) is
 * < 5e-11 relative above it (5.1e-13 measured), and reaches 1.1e-10 relative a decade lower
 * (see the header).
 */
const TAIL = 1e-5;

/** Relative accuracy asked of the quadrature (QUADPACK's error estimate, which is pessimistic). */
const QUAD_TOL = 1e-11;
/** At most this many subintervals; reached only by pathological inputs (never in the tests). */
const QUAD_LIMIT = 200;
/** A tail of the integrand below this fraction of the integral is dropped. */
const TRUNC = 1e-17;
const EPMACH = 2.220446049250313e-16;
/** exp(x) rounds to 0 below this (exp(-745.2) < 2^-1075), so bvnCdf needs no quadrature there. */
const UNDERFLOW = -746;

/**
 * A concave log-integrand F(v) on (vmin, vmax] with its first two derivatives; every
 * evaluation sets the three fields (one call computes them together, which is cheaper).
 */
interface LogConcave {
  f: number;
  df: number;
  d2f: number;
  /** exp(F(v) - top), computed without the logarithm where that is cheaper. */
  scaled(v: number, top: number): number;
  /**
   * Where F turns from flat to steep over a length `cliffWidth` (NaN if nowhere): local
   * derivatives do not see it coming, so the breakpoints must not step over it.
   */
  readonly cliff: number;
  readonly cliffWidth: number;
  /** Sets f, df and d2f at v. */
  at(v: number): void;
}

/**
 * x -> log phi(x) + log Phi((hi - rho x) / s), s = sqrt(1 - rho^2), in v = x - lo <= 0
 * (the constant -log sqrt(2 pi) left out), with t = (hi - rho x) / s = t0 + c v. t0 is
 * formed once as ((hi +- lo) -+ (1 +- rho) lo) / s, so that as |rho| -> 1 neither
 * hi + rho lo ~ hi - lo nor its rounding is divided by the vanishing s (an error of 1e-15 in
 * hi - rho x is 1e-7 in t at s = 1e-8); where |t| is small enough to matter, both terms are
 * O(s) and its error stays O(eps). Measuring v from lo keeps x exact near the upper limit.
 */
class Conditional implements LogConcave {
  f = 0;
  df = 0;
  d2f = 0;
  readonly cliff: number;
  readonly cliffWidth: number;
  private readonly anchor: number;
  private readonly t0: number;
  private readonly c: number;

  constructor(lo: number, hi: number, rho: number, s: number) {
    // 1 -+ rho is exact for |rho| >= 1/2 (Sterbenz), where it matters.
    const num = rho < 0 ? hi + lo - (1 + rho) * lo : hi - lo + (1 - rho) * lo;
    this.anchor = lo;
    this.t0 = num / s;
    this.c = -rho / s; // dt / dv
    // log Phi(t) is flat for t > 0 and falls like -t^2 / 2 below: a cliff at t = 0, which is
    // s / |rho| wide in v and can sit right next to a peak whose curvature is ~1.
    this.cliffWidth = 1 / Math.abs(this.c);
    // At |rho| < 1e-3 the factor varies far slower than phi: no cliff to watch for (and at a
    // subnormal rho, 1 / |c| would be infinite).
    this.cliff = this.cliffWidth < 1e3 ? -this.t0 / this.c : NaN;
  }

  scaled(v: number, top: number): number {
    const x = this.anchor + v;
    const t = this.t0 + this.c * v;
    // phi(x) Phi(t) e^-top (times sqrt(2 pi)) as in Phi (normal.ts): erfcx(-t / sqrt 2) / 2
    // e^(-t^2 / 2) below t = -1, with the two exponents joined so neither factor underflows.
    // The rounding of t^2 costs a relative 1e-13 at t = -38, where Phi_2 < 1e-300.
    if (t < -1) return 0.5 * erfcx(-t * Math.SQRT1_2) * exp(-(x * x) / 2 - (t * t) / 2 - top);
    return Phi(t) * exp(-(x * x) / 2 - top);
  }

  at(v: number): void {
    const x = this.anchor + v;
    const t = this.t0 + this.c * v;
    this.f = -(x * x) / 2 + logPhi(t);
    // d log Phi(t) / dt = phi(t) / Phi(t) = mills(-t), and its derivative is -m (t + m).
    const m = mills(-t);
    this.df = -x + this.c * m;
    // m (t + m) is in (0, 1) and tends to 1 as t -> -inf, where t + m cancels (its rounding
    // could make the curvature positive).
    const v2 = t < -1e4 ? 1 : Math.min(1, Math.max(0, m * (t + m)));
    this.d2f = -1 - this.c * this.c * v2;
  }
}

/** x -> log phi(x) + log sqrt(2 pi) with x = anchor + v: the rho = -1 narrow-interval case. */
class Gaussian implements LogConcave {
  f = 0;
  df = 0;
  d2f = -1;
  readonly cliff = NaN;
  readonly cliffWidth = NaN;
  constructor(private readonly anchor: number) {}
  scaled(v: number, top: number): number {
    const x = this.anchor + v;
    return exp(-(x * x) / 2 - top);
  }
  at(v: number): void {
    const x = this.anchor + v;
    this.f = -(x * x) / 2;
    this.df = -x;
  }
}

/** Subintervals of the adaptive quadrature, as parallel arrays (a, b, value, error). */
class Pieces {
  n = 0;
  readonly a = new Float64Array(QUAD_LIMIT);
  readonly b = new Float64Array(QUAD_LIMIT);
  readonly value = new Float64Array(QUAD_LIMIT);
  readonly error = new Float64Array(QUAD_LIMIT);
  sum = 0;
  errSum = 0;

  /** QK15 on [a, b] of exp(F - top); stored as piece i (appended when i = n). */
  put(i: number, F: LogConcave, top: number, a: number, b: number): void {
    const c = 0.5 * (a + b);
    const hw = 0.5 * (b - a);
    const y = KY;
    const fc = F.scaled(c, top);
    let resg = fc * WG[3];
    let resk = fc * WGK[7];
    for (let j = 0; j < 7; j++) {
      const dx = hw * XGK[j];
      const f1 = F.scaled(c - dx, top);
      const f2 = F.scaled(c + dx, top);
      y[2 * j] = f1;
      y[2 * j + 1] = f2;
      resk += WGK[j] * (f1 + f2);
      if (j & 1) resg += WG[j >> 1] * (f1 + f2);
    }
    // QUADPACK's error estimate: |K15 - G7| scaled by the integrand's variation resasc and
    // raised to the power 1.5, floored at 50 eps of the value (QK15).
    const mean = resk / 2;
    let resasc = WGK[7] * Math.abs(fc - mean);
    for (let j = 0; j < 7; j++) resasc += WGK[j] * (Math.abs(y[2 * j] - mean) + Math.abs(y[2 * j + 1] - mean));
    const value = resk * hw;
    resasc *= hw;
    let err = Math.abs((resk - resg) * hw);
    if (resasc !== 0 && err !== 0) {
      const r = (200 * err) / resasc;
      err = resasc * (r < 1 ? r * Math.sqrt(r) : 1);
    }
    err = Math.max(50 * EPMACH * value, err);
    if (!(value >= 0 && err >= 0)) throw new Error(`bvn tail quadrature: non-finite value on [${a}, ${b}]`);
    if (i === this.n) this.n++;
    else {
      this.sum -= this.value[i];
      this.errSum -= this.error[i];
    }
    this.a[i] = a;
    this.b[i] = b;
    this.value[i] = value;
    this.error[i] = err;
    this.sum += value;
    this.errSum += err;
  }
}
const KY = new Float64Array(14);
const PIECES = new Pieces();

/**
 * log of int_{vmin}^{vmax} exp(F(v)) dv for a concave F (vmin may be -Infinity): the peak
 * by safeguarded Newton, breakpoints stepping out from it, each side cut where the tangent
 * bound int_{-inf}^{b} exp(F) <= exp(F(b)) / F'(b) (concavity) is below TRUNC of the
 * integral, then QUADPACK-style global adaptive bisection (QAG) of the worst piece.
 * Everything is relative to F at the peak, so nothing underflows however small the
 * integral; -Infinity only when F is -Infinity at the peak.
 */
function logIntegral(F: LogConcave, vmin: number, vmax: number, floor: number): number {
  // The peak vm: F' is decreasing. From vmax, F' < 0 means the peak is to the left,
  // within -F'(vmax) of vmax since F'' <= -1 here (both integrands have F'' <= -1).
  F.at(vmax);
  let vm = vmax;
  if (F.df < 0 && vmin > -Infinity) {
    F.at(vmin);
    if (F.df <= 0) vm = vmin;
    else F.at(vmax);
  }
  if (F.df < 0 && vm === vmax) {
    let hi = vmax;
    let lo = Math.max(vmin, vmax + F.df - 1);
    let v = vmax;
    for (let it = 0; it < 60; it++) {
      let next = v - F.df / F.d2f;
      if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
      const step = Math.abs(next - v);
      v = next;
      F.at(v);
      if (F.df > 0) lo = v;
      else hi = v;
      if (step * step * -F.d2f < 1e-6 || hi - lo <= 4 * EPMACH * Math.abs(v)) break;
    }
    vm = v;
  }
  const top = F.f;
  // F'' <= -1, so the integral is at most sqrt(2 pi) exp(top): below `floor`, skip it.
  if (top < floor || top === -Infinity) return -Infinity;
  // exp(F - top) carries the rounding of F's squares, ~eps |F| relative: ask no more of the
  // quadrature (the log only needs a relative 1e-10 |log p|, far above that when |F| is huge).
  const tol = Math.max(QUAD_TOL, 64 * EPMACH * Math.abs(top));
  // The width of the peak: from the curvature, or from the slope when the peak is an end.
  let w = 1 / Math.sqrt(-F.d2f);
  if (Math.abs(F.df) * w > 1) w = 1 / Math.abs(F.df);

  const P = PIECES;
  P.n = 0;
  P.sum = 0;
  P.errSum = 0;
  // Left of the peak, then right of it (when the peak is not vmax).
  for (let side = -1; side <= 1; side += 2) {
    const end = side < 0 ? vmin : vmax;
    let b = vm;
    let gap = w;
    while (b !== end && P.n < QUAD_LIMIT / 2) {
      let a = b + side * gap;
      // Never step over the cliff: approach it through breakpoints 8 and 2 widths before it
      // (where Phi(t) starts to leave 1: Phi(-8) ~ 6e-16) and stop on it; stepping over
      // misses the integrand there entirely, or leaves a transition no node sees.
      let atCliff = false;
      const d = side * (F.cliff - b);
      const W = F.cliffWidth;
      if (d > 0 && gap > d - 8 * W) {
        const before = d > 9 * W ? 8 * W : d > 3 * W ? 2 * W : 0; // each step gains >= W
        a = F.cliff - side * before;
        atCliff = before === 0;
      }
      if (side < 0 ? a <= end : a >= end) a = end;
      if (side < 0) P.put(P.n, F, top, a, b);
      else P.put(P.n, F, top, b, a);
      b = a;
      if (b === end) break;
      F.at(b);
      const slope = Math.abs(F.df);
      // exp(F(b) - top) / |F'(b)| bounds what lies beyond b.
      if (exp(F.f - top) <= TRUNC * P.sum * slope) break;
      // Past a cliff, steps start from its width; elsewhere the step doubles, or jumps to a
      // few e-folds of the local slope if that is longer.
      gap = atCliff ? W : Math.max(2 * gap, Math.min(3 / slope, 16 * gap));
    }
  }
  // QAG: bisect the piece with the largest error until the total error is small.
  while (P.errSum > tol * P.sum && P.n < QUAD_LIMIT - 1) {
    let worst = 0;
    for (let i = 1; i < P.n; i++) if (P.error[i] > P.error[worst]) worst = i;
    const a = P.a[worst];
    const b = P.b[worst];
    const mid = 0.5 * (a + b);
    if (!(mid > a && mid < b)) break; // the piece cannot be split in double precision
    P.put(worst, F, top, a, mid);
    P.put(P.n, F, top, mid, b);
  }
  return top + log(P.sum);
}

/**
 * log P(a < U <= b) for a standard normal U, a < b, with relative accuracy: from the two
 * tails when they differ by a factor e or more (then -expm1 loses nothing), else by
 * quadrature of phi over [a, b] (the interval is then narrow on the scale of phi, which is
 * where Phi(b) - Phi(a) would cancel).
 */
function logInterval(a: number, b: number): number {
  if (a + b > 0) {
    // P(a < U <= b) = P(-b <= U < -a): work where the interval's centre is <= 0.
    const t = a;
    a = -b;
    b = -t;
  }
  if (b <= 0) {
    // log Phi(b) - log Phi(a) >= (b - a) phi(b) / Phi(b) >= (b - a) max(-b, sqrt(2 / pi)).
    if ((b - a) * Math.max(-b, 0.79) >= 1) {
      const lb = logPhi(b);
      return lb + log(-expm1(logPhi(a) - lb));
    }
  } else if (b - a >= 1) {
    // Straddles 0 and contains [-1/2, 0]: P >= 0.19, and 1 - P is the two tails.
    return log1p(-(Phi(a) + Phi(-b)));
  }
  return logIntegral(new Gaussian(a), 0, b - a, -Infinity) - HALF_LOG_2PI;
}

/**
 * log Phi_2(lo, hi; rho) for lo <= hi finite, rho != 0, with relative accuracy.
 * |rho| < 1: Phi_2 = int_{-inf}^{lo} phi(x) Phi((hi - rho x) / s) dx (conditioning on U),
 * a log-concave integrand (phi and Phi are log-concave, the argument is affine), so no
 * cancellation anywhere. rho = 1: Phi(lo). rho = -1: P(-hi <= U <= lo).
 */
function logTail(lo: number, hi: number, rho: number, floor: number): number {
  if (rho === 1) return logPhi(lo);
  if (rho === -1) return lo + hi > 0 ? logInterval(-hi, lo) : -Infinity;
  const s = Math.sqrt((1 - rho) * (1 + rho));
  return logIntegral(new Conditional(lo, hi, rho, s), -Infinity, 0, floor) - HALF_LOG_2PI;
}

/**
 * Standard bivariate normal CDF Phi_2(h, k; rho) = P(U <= h, V <= k) for (U, V) standard
 * normal with correlation rho, with relative error below 1e-10 wherever the result exceeds
 * 1e-300 (Genz 2004 above 1e-5, the tail method below; see the header).
 *
 * h and k may be +-Infinity; rho may be exactly +-1 (then Phi(min(h, k)) and
 * max(0, Phi(h) - Phi(-k))). The result is in [0, 1], exactly symmetric in (h, k), and
 * NaN only when an argument is NaN.
 * @throws {RangeError} if rho is outside [-1, 1].
 * @example bvnCdf(0, 0, 0.5) // 1/4 + asin(0.5) / (2 pi) = 0.3333333333333333
 * @example bvnCdf(-8, -5, -0.92) // 8.261503894676075e-235 (mpmath: 8.2615038946760661e-235)
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
  const p = upperOrthant(-lo, -hi, rho);
  // At rho = 1, p is Phi(lo) itself, relatively accurate already.
  if (p >= TAIL || rho === 1) return p;
  return clamp01(exp(logTail(lo, hi, rho, UNDERFLOW)));
}

/**
 * Past this the squares in the log integrand overflow. A lower limit below -BIG puts
 * log Phi_2 <= log Phi(-BIG) < -BIG^2 / 2 = -8.9e307 (returned as -Infinity); an upper limit
 * above BIG is +Infinity to within a relative exp(-8.9e307).
 */
const BIG = 1.34e154;

/**
 * log Phi_2(h, k; rho), computed in log space: finite wherever Phi_2 > 0, even far below
 * the double range (logBvnCdf(-40, -40, 0.5) = -1074.93...), -Infinity only where Phi_2 is 0
 * (a limit -Infinity, or rho = -1 with h + k <= 0) or log Phi_2 < -8.9e307 (a limit below
 * -1.34e154). Absolute error below 1e-10 max(1, |log Phi_2|), NaN only for NaN arguments.
 * Near Phi_2 = 1 it is log1p(-(1 - Phi_2)) with 1 - Phi_2 = Phi(-h) + Phi(-k) -
 * Phi_2(-h, -k; rho), which keeps its relative accuracy (the subtracted term is at most
 * either of the others): logBvnCdf(10, 10, 0.5) = -1.5239706004e-23, not 0.
 * @throws {RangeError} if rho is outside [-1, 1].
 * @example logBvnCdf(-8, -5, -0.92) // -538.9958902130671 (bvnCdf = 8.26e-235)
 */
export function logBvnCdf(h: number, k: number, rho: number): number {
  checkRho(rho);
  if (Number.isNaN(h) || Number.isNaN(k) || Number.isNaN(rho)) return NaN;
  if (h === -Infinity || k === -Infinity) return -Infinity;
  if (h === Infinity) return logPhi(k);
  if (k === Infinity) return logPhi(h);
  if (rho === 0) return logPhi(h) + logPhi(k);
  const lo = Math.min(h, k);
  const hi = Math.max(h, k);
  if (lo < -BIG) return -Infinity;
  if (hi > BIG) return logPhi(lo);
  const p = upperOrthant(-clampArg(lo), -clampArg(hi), rho);
  if (p < TAIL) return logTail(lo, hi, rho, -Infinity);
  if (p <= 0.5) return log(p);
  // 1 - Phi_2 = P(U > h or V > k); >= max(Phi(-h), Phi(-k)), so the sum loses nothing.
  const q = Phi(-lo) + Phi(-hi) - bvnCdf(-lo, -hi, rho);
  return log1p(-Math.max(0, Math.min(q, 0.5)));
}

/**
 * log P(U > h, V > k) = logBvnCdf(-h, -k, rho), same accuracy and conventions.
 * @throws {RangeError} if rho is outside [-1, 1].
 * @example logBvnUpper(8, 5, -0.92) // -538.9958902130671, as logBvnCdf(-8, -5, -0.92)
 */
export function logBvnUpper(h: number, k: number, rho: number): number {
  return logBvnCdf(-h, -k, rho);
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
  const dev = rho >= 0 ? lo - hi + (1 - rho) * hi : lo + hi - (1 + rho) * hi;
  const q = (dev * dev) / as + hi * hi;
  return exp(-q / 2) / (TWO_PI * Math.sqrt(as));
}
