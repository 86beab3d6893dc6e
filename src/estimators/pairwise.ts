// Step 2 of the default estimator: the correlation rho_ij of (y_i, y_j) by a coarsened
// pairwise likelihood ("QG": quadrant + Gaussian), with the marginals (b, sigma) of Step 1
// held fixed (a two-stage pairwise likelihood; Varin, Reid & Firth, "An overview of
// composite likelihood methods", Statistica Sinica 21, 2011, Sec. 3). Rows where both
// coordinates are positive contribute their bivariate normal density; the other rows
// contribute the probability of their cell of the 2 x 2 table {x_i > 0} x {x_j > 0}:
//   l(rho) = -n11/2 log(1 - rho^2) - (Suu_i - 2 rho Suu_ij + Suu_j) / (2 (1 - rho^2))
//            + n10 log p10 + n01 log p01 + n00 log p00
// with u = (x - b) / sigma, h = b / sigma, p10 = Phi_2(h_i, -h_j; -rho),
// p01 = Phi_2(-h_i, h_j; -rho), p00 = Phi_2(-h_i, -h_j; rho). Everything comes from the
// one-pass statistics N11, A1, A2, G. The maximum over [-RHO_MAX, RHO_MAX] is a root of the
// score (solving the score pins rho to ~1e-15 where likelihood values alone would pin it
// to ~1e-8):
//   l' = G' + phi_2(h_i, h_j; rho) C,   C = n00 / p00 - n10 / p10 - n01 / p01,
//   G' = P / (1 - rho^2)^2,   P = -n11 rho^3 + Suu_ij rho^2 + (n11 - Suu_i - Suu_j) rho + Suu_ij
// (each cell's derivative in rho is +-phi_2: dPhi_2/drho = phi_2, R. L. Plackett, "A
// reduction formula for normal multivariate integrals", Biometrika 41, 1954).
//
// The global maximum, cheaply. l need not be concave (G alone can have three stationary
// points), which is why the grid method (pairwiseRhoGrid, the code before this one)
// brackets the score's sign changes on a 9-point grid (27 Phi_2 calls) before solving each.
// Here: sign l' = sign(R + C) with R = G' / phi_2, and C is strictly decreasing (p00
// increases with rho, p10 and p01 decrease). So
// (a) If R is non-increasing on [-RHO_MAX, RHO_MAX], l' changes sign at most once, from + to
//     -, and its root (or an end) is the global maximum. R' has the sign of the degree-6
//     polynomial
//       S = P' (1 - rho^2)^2 + P M,  M = -h_i h_j + (h_i^2 + h_j^2 + 3) rho - h_i h_j rho^2 - 3 rho^3
//     (M / (1 - rho^2)^2 = d/drho log(1 / (phi_2 (1 - rho^2)^2))), and S < 0 is certified by
//     its Bernstein coefficients on the interval (all negative => S negative; R. T. Farouki
//     & V. T. Rajan, "On the numerical condition of polynomials in Bernstein form", CAGD 4,
//     1987), from the monomial ones by blossoming (weights bounded by 1; 1e-13 of the sum of
//     the terms' magnitudes is allowed for rounding), halving up to 4 times (de Casteljau)
//     where inconclusive. No Phi_2 call. It holds for all but 10 of the 32640 pairs of the
//     d = 256 fit below (there both h > 2.5), but for few pairs with |rho| >~ 0.9.
// (b) Else the root x found (the last evaluation at y, level L = -C(y)) is certified by the
//     levels of R (levelCertified): l' > 0 wherever r < y and R(r) > L, and l' < 0 wherever
//     r > y and R(r) < L, C being decreasing. On the stretch [zl, zr] between roots of S
//     that holds y, R and so R + C decrease: one sign change there. R > L on
//     [-RHO_MAX, zl] and R < L on [zr, RHO_MAX], checked at the ends and at R's extrema (the
//     roots of S, isolated by the Bernstein rule of signs), leave no other.
// (c) Else the grid method's own test at fewer evaluations (gridAgrees): the score's sign on
//     its grid, taken from the levels of R where they certify it; if that grid brackets x
//     alone, the grid method would return the root of that bracket.
// (d) Else the grid method itself, with its bits.
// On the fits below no pair needs (d) (at d = 1024, 23 of 523776 need (b) or (c)). Of 15109
// random hard pairs (n = 3 to 1e4, |rho| up to 1 - 1e-6, cells of a few counts, a coordinate
// always positive or two-valued, marginals far from the data's), (a) decides 35%, (b) 40%,
// (c) 24% and (d) 0.7%: bimodal or nearly, mostly at n <= 100.
// Where l' underflows (n11 = 0 and phi_2 = 0 towards +-1) its sign is that of C. The grid
// method reads that l' = 0 as a maximum at -RHO_MAX and returns it even where l is far
// higher inside (147 of those 15109 pairs); this code returns the inner maximum.
//
// The root: a safeguarded Halley iteration (numerics/solve.ts halleySingleSignChange) from
// rho = 0, where the cells are the exact products Phi(+-h_i) Phi(+-h_j) (bvnCdf's own rho = 0
// case, no Phi_2 call). It solves (1 - rho^2)^2 l' = P + (1 - rho^2)^2 phi_2 C, which has no
// poles at +-1 and near them follows the cubic P, so it keeps decreasing where l is convex
// on the way to a root near +-1 (l' there increases, and Newton's steps on it point the
// wrong way); or C itself when n11 = 0 (phi_2 C would make Halley's steps tiny towards +-1).
// Derivatives in closed form: with t = phi_2 / p for each cell, T_k = the sum of n t^k over
// the cells (the terms of p10, p01 negative for odd k), lambda = d log phi_2 / drho =
// P_f / (1 - rho^2)^2 (P_f is P with n11, Suu_i, Suu_j, Suu_ij replaced by 1, h_i^2, h_j^2,
// h_i h_j) and t' = lambda t -+ t^2:
//   l'    = G' + T1
//   l''   = G'' + lambda T1 - T2
//   l'''  = G''' + (lambda^2 + lambda') T1 - 3 lambda T2 + 2 T3
//   l'''' = G'''' + (lambda^3 + 3 lambda lambda' + lambda'') T1 - (7 lambda^2 + 4 lambda') T2 + 12 lambda T3 - 6 T4,
// G^(k) = N_k / (1 - rho^2)^(k + 1) with N_1 = P, N_(k+1) = N_k' (1 - rho^2) + 2 (k + 1) rho N_k,
// and lambda's derivatives likewise. It stops when Halley's error term predicts less than
// 2^-56 after the step: 2.0 evaluations per pair, the one at 0 included, at d = 256 and 1024.
//
// Fewer Phi_2 calls: p01 + p00 = Phi(-h_i) and p00 + p10 = Phi(-h_j). A cell is taken as the
// difference only when it is at least half its marginal, so the subtraction's condition
// number is at most 2 and the cell keeps the relative accuracy of Phi and of the other cell
// to within a bit (and Genz's Phi_2 has an absolute error of 5e-16, up to 5e-11 relative for
// a cell of 1e-5, so a difference of larger numbers loses nothing against a direct call);
// below half it is computed by bvnCdf. Along the chain p01 - p00 - p10 one bvnCdf call then
// gives all three cells unless p00 is the largest (both coordinates mostly 0: p01 and p10
// are computed and p00 is a difference). Which cell to call is predicted from the previous
// evaluation and checked on the values: 1.3-1.4 calls per pair at d = 256 and 1024.
//
// Measured (scratch scripts, not committed), against the grid method: on all pairs of fits
// of randomModel at d = 25-60 (b of both signs, Gaussian rows, n = 300 to 2e5), at d = 256
// and on every tenth pair at d = 1024, the largest |rho - rho_grid| is 4.0e-16; on the hard
// pairs where the grid method is right, 1.6e-15 for |rho| < 1 - 1e-6 and 4.4e-14 closer to
// +-1 (where 1 - rho^2 and Suu_i - 2 rho Suu_ij + Suu_j cancel, in both); the likelihood
// is never below the grid method's beyond its own rounding. Step 2 per pair (warm JIT):
// 1.2 us at d = 256, n = 5e4 (grid method 23 us), 1.7 us at d = 1024, n = 2e4 (36 us).
import { bvnCdf, bvnPdf } from '../numerics/bvn.js';
import { Phi } from '../numerics/normal-cdf.js';
import type { StatisticTotals } from '../backend/statistics.js';
import { halleySingleSignChange, maximizeByScore, type Derivatives, type Solution } from '../numerics/solve.js';
import { log } from '../numerics/math.js';

/** Correlations are searched in [-RHO_MAX, RHO_MAX]. */
export const RHO_MAX = 1 - 1e-9;
const TINY = 1e-300;

/** Counters for tests and measurements: bvnCdf calls, score evaluations, pairs left to the grid. */
export const pairwiseCounters = { phi2: 0, evaluations: 0, uncertified: 0, grid: 0 };

/** Which cells an evaluation computes by bvnCdf (bits); the others are differences. */
const A_DIRECT = 1; // p01
const M_DIRECT = 2; // p00
const C_DIRECT = 4; // p10

const DEG = 6;

/** BLOSSOM[i][k]: the blossom of rho^k at (-1 x (DEG - i), +1 x i), i.e. Bernstein coefficient i of rho^k on [-1, 1]. */
const BLOSSOM: Float64Array[] = (() => {
  const choose = (n: number, k: number) => {
    if (k < 0 || k > n) return 0;
    let c = 1;
    for (let t = 1; t <= k; t++) c = (c * (n - k + t)) / t;
    return c;
  };
  const out: Float64Array[] = [];
  for (let i = 0; i <= DEG; i++) {
    const row = new Float64Array(DEG + 1);
    for (let k = 0; k <= DEG; k++) {
      let s = 0;
      for (let j = 0; j <= k; j++) s += choose(i, j) * choose(DEG - i, k - j) * ((k - j) % 2 === 0 ? 1 : -1);
      row[k] = s / choose(DEG, k);
    }
    out.push(row);
  }
  return out;
})();

/** RHO_MAX^k, k = 0..DEG: the monomials on [-RHO_MAX, RHO_MAX] rescaled to [-1, 1]. */
const RHO_POW = Float64Array.from({ length: DEG + 1 }, (_, k) => {
  let p = 1;
  for (let t = 0; t < k; t++) p *= RHO_MAX;
  return p;
});

const MAX_HALVINGS = 4;
/** Root isolation halves down to intervals of 2^-MAX_ISOLATION (1.5e-5) of [-RHO_MAX, RHO_MAX]. */
const MAX_ISOLATION = 17;
/** Scratch for the halvings: one pair of coefficient arrays per level. */
const LEFT = Array.from({ length: MAX_ISOLATION + 1 }, () => new Float64Array(DEG + 1));
const RIGHT = Array.from({ length: MAX_ISOLATION + 1 }, () => new Float64Array(DEG + 1));
/** S in the monomial basis of rho, and its Bernstein coefficients on [-RHO_MAX, RHO_MAX]. */
const POLY = new Float64Array(DEG + 1);
const BERN = new Float64Array(DEG + 1);
/** The roots of S (at most DEG) and +1 where S goes from - to + (a minimum of R), -1 otherwise. */
const ROOTS = new Float64Array(DEG);
const KINDS = new Int8Array(DEG);

/** de Casteljau at t = 1/2: b's two halves into left and right. */
function halve(b: Float64Array, left: Float64Array, right: Float64Array): void {
  right.set(b);
  left[0] = right[0];
  for (let level = 1; level <= DEG; level++) {
    for (let i = 0; i <= DEG - level; i++) right[i] = 0.5 * (right[i] + right[i + 1]);
    left[level] = right[0];
  }
  // `right` now holds the right half's coefficients: entry DEG - level was last written at level `level`.
}

function evalPoly(r: number): number {
  let v = POLY[DEG];
  for (let k = DEG - 1; k >= 0; k--) v = v * r + POLY[k];
  return v;
}

/** Every Bernstein coefficient below -tol, after at most `depth` halvings (de Casteljau at t = 1/2). */
function negativeBernstein(b: Float64Array, tol: number, depth: number): boolean {
  if (!(b[0] < -tol && b[DEG] < -tol)) return false; // S >= -tol at an end: no certificate
  let all = true;
  for (let i = 1; i < DEG; i++) if (!(b[i] < -tol)) all = false;
  if (all) return true;
  if (depth === 0) return false;
  const left = LEFT[depth];
  const right = RIGHT[depth];
  halve(b, left, right);
  return negativeBernstein(left, tol, depth - 1) && negativeBernstein(right, tol, depth - 1);
}

/**
 * The roots of S on [u, v] (Bernstein coefficients b) appended to ROOTS from index `count`;
 * the new count, or -1 when they cannot be isolated (a coefficient within tol of 0 at the
 * deepest level). An interval whose coefficients all have one sign has no root; one with
 * a single sign change among coefficients clear of 0 has exactly one (the Bernstein
 * form's rule of signs), found by bisection of S.
 */
function isolate(b: Float64Array, u: number, v: number, tol: number, depth: number, count: number): number {
  let pos = 0;
  let neg = 0;
  let changes = 0;
  for (let i = 0; i <= DEG; i++) {
    if (b[i] > tol) pos++;
    else if (b[i] < -tol) neg++;
    if (i > 0 && b[i] * b[i - 1] < 0) changes++;
  }
  if (pos === DEG + 1 || neg === DEG + 1) return count;
  if (pos + neg === DEG + 1 && changes === 1) {
    if (count === DEG) return -1;
    const up = b[0] < 0;
    let lo = u;
    let hi = v;
    for (let it = 0; it < 60 && hi - lo > 1e-15; it++) {
      const mid = 0.5 * (lo + hi);
      if (evalPoly(mid) < 0 === up) lo = mid;
      else hi = mid;
    }
    ROOTS[count] = 0.5 * (lo + hi);
    KINDS[count] = up ? 1 : -1;
    return count + 1;
  }
  if (depth === 0) return -1;
  const left = LEFT[depth];
  const right = RIGHT[depth];
  halve(b, left, right);
  const mid = 0.5 * (u + v);
  const c = isolate(left, u, mid, tol, depth - 1, count);
  return c < 0 ? c : isolate(right, mid, v, tol, depth - 1, c);
}

/** One pair's standardised sums, marginals and the state of the iteration; one instance is reused. */
class PairScore implements Derivatives {
  g = 0;
  g1 = 0;
  g2 = 0;
  g3 = 0;
  hi = 0;
  hj = 0;
  n11 = 0;
  n10 = 0;
  n01 = 0;
  n00 = 0;
  suuI = 0;
  suuJ = 0;
  suuIJ = 0;
  /** Phi(-h_i), Phi(-h_j), Phi(h_i), Phi(h_j). */
  pi0 = 0;
  pj0 = 0;
  pi1 = 0;
  pj1 = 0;
  private plan = M_DIRECT;
  /** The last point evaluated and C there. */
  lastR = 0;
  lastC = 0;
  private p00 = 0;
  private p10 = 0;
  private p01 = 0;

  load(st: StatisticTotals, b: Float64Array, sigma: Float64Array, i: number, j: number): void {
    const d = st.d;
    const bi = b[i],
      bj = b[j],
      si = sigma[i],
      sj = sigma[j];
    const n11 = st.n11[i * d + j];
    const ni = st.n11[i * d + i];
    const nj = st.n11[j * d + j];
    const sxi = st.a1[i * d + j];
    const sxj = st.a1[j * d + i];
    const sxi2 = st.a2[i * d + j];
    const sxj2 = st.a2[j * d + i];
    const sxij = st.g[i * d + j];
    this.hi = bi / si;
    this.hj = bj / sj;
    this.n11 = n11;
    this.n10 = ni - n11;
    this.n01 = nj - n11;
    this.n00 = st.n - ni - nj + n11;
    this.suuI = (sxi2 - 2 * bi * sxi + n11 * bi * bi) / (si * si);
    this.suuJ = (sxj2 - 2 * bj * sxj + n11 * bj * bj) / (sj * sj);
    this.suuIJ = (sxij - bi * sxj - bj * sxi + n11 * bi * bj) / (si * sj);
    this.plan = M_DIRECT;
  }

  /** The pre-change method: the score's sign on a 9-point grid, Illinois on each bracket, the best candidate. */
  gridMaximum(): Solution {
    const { hi, hj, n11, n10, n01, n00, suuI, suuJ, suuIJ } = this;
    const p10 = (r: number) => Math.max(bvnCdf(hi, -hj, -r), TINY);
    const p01 = (r: number) => Math.max(bvnCdf(-hi, hj, -r), TINY);
    const p00 = (r: number) => Math.max(bvnCdf(-hi, -hj, r), TINY);
    const ll = (r: number) => {
      const s2 = 1 - r * r;
      let v = -0.5 * n11 * log(s2) - (suuI - 2 * r * suuIJ + suuJ) / (2 * s2);
      if (n10 > 0) v += n10 * log(p10(r));
      if (n01 > 0) v += n01 * log(p01(r));
      if (n00 > 0) v += n00 * log(p00(r));
      return v;
    };
    const score = (r: number) => {
      const s2 = 1 - r * r;
      const q = suuI - 2 * r * suuIJ + suuJ;
      let cells = 0;
      if (n10 > 0) cells -= n10 / p10(r);
      if (n01 > 0) cells -= n01 / p01(r);
      if (n00 > 0) cells += n00 / p00(r);
      return (n11 * r) / s2 + (suuIJ * s2 - r * q) / (s2 * s2) + bvnPdf(hi, hj, r) * cells;
    };
    return maximizeByScore(ll, score, -RHO_MAX, RHO_MAX);
  }

  /** Whether R = G' / phi_2 is certified non-increasing on [-RHO_MAX, RHO_MAX] (see the header). */
  ratioDecreasing(): boolean {
    if (this.n11 === 0) return true; // G = 0
    return negativeBernstein(BERN, this.prepareS(), MAX_HALVINGS);
  }

  /** R = G' / phi_2 at r. */
  private ratio(r: number): number {
    const { hi, hj, n11, suuI, suuJ, suuIJ } = this;
    const s2 = 1 - r * r;
    const q = suuI - 2 * r * suuIJ + suuJ;
    return ((n11 * r) / s2 + (suuIJ * s2 - r * q) / (s2 * s2)) / bvnPdf(hi, hj, r);
  }

  /**
   * Whether x, where the iteration stopped (a root of l', or an end where l' points
   * outwards), is certified the global maximum when R is not monotone. With y the last
   * point evaluated and L = -C(y): C is decreasing, so sign l'(r) = sign(R(r) + C(r)) is + for
   * r < y where R(r) > L and - for r > y where R(r) < L. Let [zl, zr] be the interval between
   * consecutive roots of S (or the ends) that holds y and x, on which R decreases, so that
   * R + C strictly decreases and l' changes sign once there. If R > L on [-RHO_MAX, zl]
   * (checked at -RHO_MAX and at R's minima there) and R < L on [zr, RHO_MAX] (at RHO_MAX and
   * R's maxima), l' changes sign only once overall, at x. The margin 1e-9 |L| absorbs the
   * rounding of R, of L and of the roots.
   */
  levelCertified(x: number, y: number, level: number): boolean {
    if (this.n11 === 0) return true;
    if (!Number.isFinite(level)) return false;
    const tol = this.prepareS();
    const count = isolate(BERN, -RHO_MAX, RHO_MAX, tol, MAX_ISOLATION, 0);
    if (count < 0) return false;
    let zl = -RHO_MAX;
    let zr = RHO_MAX;
    for (let c = 0; c < count; c++) {
      const z = ROOTS[c];
      if (z <= y && z > zl) zl = z;
      if (z >= y && z < zr) zr = z;
    }
    if (!(zl < x && x < zr) && x !== zl && x !== zr) return false;
    if (!(evalPoly(y) < 0)) return false; // R must decrease on [zl, zr]
    const above = level + 1e-9 * Math.abs(level);
    const below = level - 1e-9 * Math.abs(level);
    if (zl > -RHO_MAX && !(this.ratio(-RHO_MAX) > above)) return false;
    if (zr < RHO_MAX && !(this.ratio(RHO_MAX) < below)) return false;
    for (let c = 0; c < count; c++) {
      const z = ROOTS[c];
      if (z < zl && KINDS[c] === 1 && !(this.ratio(z) > above)) return false;
      if (z > zr && KINDS[c] === -1 && !(this.ratio(z) < below)) return false;
    }
    return true;
  }

  /** S's monomial coefficients (POLY) and Bernstein coefficients on [-RHO_MAX, RHO_MAX] (BERN); returns their rounding allowance. */
  private prepareS(): number {
    const { hi, hj, n11, suuI, suuJ, suuIJ } = this;
    const hk = hi * hj;
    const m1 = hi * hi + hj * hj + 3;
    // P = p0 + p1 r + p2 r^2 + p3 r^3, P' = p1 + 2 p2 r + 3 p3 r^2, (1 - r^2)^2 = 1 - 2 r^2 + r^4,
    // M = -hk + m1 r - hk r^2 - 3 r^3.
    const p0 = suuIJ;
    const p1 = n11 - suuI - suuJ;
    const p2 = suuIJ;
    const p3 = -n11;
    const q0 = p1;
    const q1 = 2 * p2;
    const q2 = 3 * p3;
    const S = POLY;
    S[0] = q0 - p0 * hk;
    S[1] = q1 + p0 * m1 - p1 * hk;
    S[2] = q2 - 2 * q0 - p0 * hk + p1 * m1 - p2 * hk;
    S[3] = -2 * q1 - 3 * p0 - p1 * hk + p2 * m1 - p3 * hk;
    S[4] = q0 - 2 * q2 - 3 * p1 - p2 * hk + p3 * m1;
    S[5] = q1 - 3 * p2 - p3 * hk;
    S[6] = q2 - 3 * p3;
    // The magnitudes of the terms bound the rounding of the coefficients (and of the blossom sums below).
    const ahk = Math.abs(hk);
    const a0 = Math.abs(p0);
    const a1 = Math.abs(p1);
    const a2 = Math.abs(p2);
    const a3 = Math.abs(p3);
    const scale = (2 * a1 + 4 * a2 + 6 * a3) * 2 + (a0 + a1 + a2 + a3) * (2 * ahk + m1 + 3);
    for (let i = 0; i <= DEG; i++) {
      const w = BLOSSOM[i];
      let s = 0;
      for (let k = 0; k <= DEG; k++) s += w[k] * RHO_POW[k] * S[k];
      BERN[i] = s;
    }
    return 1e-13 * scale;
  }

  private d00(r: number): number {
    pairwiseCounters.phi2++;
    return bvnCdf(-this.hi, -this.hj, r);
  }
  private d10(r: number): number {
    pairwiseCounters.phi2++;
    return bvnCdf(this.hi, -this.hj, -r);
  }
  private d01(r: number): number {
    pairwiseCounters.phi2++;
    return bvnCdf(-this.hi, this.hj, -r);
  }

  /** p00, p10, p01 at r, each by bvnCdf or as a difference of at least half its marginal (see the header). */
  private cells(r: number): void {
    const { n00, n10, n01, pi0, pj0 } = this;
    let a = Number.NaN;
    let m = Number.NaN;
    let c = Number.NaN;
    if (r === 0) {
      m = pi0 * pj0;
      a = pi0 * this.pj1;
      c = this.pi1 * pj0;
    } else {
      const plan = this.plan;
      if (plan & A_DIRECT) a = this.d01(r);
      if (plan & M_DIRECT) m = this.d00(r);
      if (plan & C_DIRECT) c = this.d10(r);
      if (m !== m && (n00 > 0 || (n01 > 0 && a !== a) || (n10 > 0 && c !== c))) {
        if (c === c && c <= 0.5 * pj0) m = pj0 - c;
        else if (a === a && a <= 0.5 * pi0) m = pi0 - a;
        else m = this.d00(r);
      }
      if (n01 > 0 && a !== a) a = m <= 0.5 * pi0 ? pi0 - m : this.d01(r);
      if (n10 > 0 && c !== c) c = m <= 0.5 * pj0 ? pj0 - m : this.d10(r);
    }
    this.p00 = Math.max(m, TINY);
    this.p01 = Math.max(a, TINY);
    this.p10 = Math.max(c, TINY);
    // The next evaluation's plan, from this one's ordering along p01 - p00 - p10.
    if (m !== m) m = c === c ? pj0 - c : pi0 - a;
    const aSmall = m > 0.5 * pi0; // p01 < p00
    const cSmall = m > 0.5 * pj0; // p10 < p00
    const needA = n01 > 0;
    const needC = n10 > 0;
    const needM = n00 > 0;
    if (!aSmall && !cSmall) this.plan = needM || (needA && needC) ? M_DIRECT : needA ? A_DIRECT : C_DIRECT;
    else if (aSmall && !cSmall) this.plan = needA ? A_DIRECT : needM ? M_DIRECT : C_DIRECT;
    else if (!aSmall && cSmall) this.plan = needC ? C_DIRECT : needM ? M_DIRECT : A_DIRECT;
    else this.plan = needA && needC ? A_DIRECT | C_DIRECT : needA ? A_DIRECT : needC ? C_DIRECT : M_DIRECT;
  }

  /** l' and its next three derivatives at r (formulas in the header). */
  readonly evaluate = (r: number, out: Derivatives): void => {
    pairwiseCounters.evaluations++;
    const { hi, hj, n11, n10, n01, n00, suuI, suuJ, suuIJ } = this;
    const discrete = n10 > 0 || n01 > 0 || n00 > 0;
    if (discrete) this.cells(r);
    const p00 = this.p00;
    const p10 = this.p10;
    const p01 = this.p01;
    const s2 = 1 - r * r;
    const q = suuI - 2 * r * suuIJ + suuJ;
    let cells = 0;
    if (n10 > 0) cells -= n10 / p10;
    if (n01 > 0) cells -= n01 / p01;
    if (n00 > 0) cells += n00 / p00;
    this.lastR = r;
    this.lastC = cells;
    const f = bvnPdf(hi, hj, r);
    // The score exactly as the grid method computes it: the root is this function's.
    const gauss = (n11 * r) / s2 + (suuIJ * s2 - r * q) / (s2 * s2);
    const t1 = f * cells;
    let g0 = gauss + t1;
    // Where phi_2 underflows and the Gaussian part is 0 (n11 = 0), the sign is still that of C.
    if (gauss === 0 && t1 === 0 && cells !== 0) g0 = cells > 0 ? Number.MIN_VALUE : -Number.MIN_VALUE;
    // The derivatives only steer the iteration.
    let t2 = 0;
    let t3 = 0;
    let t4 = 0;
    if (n10 > 0) {
      const t = f / p10;
      const tt = t * t;
      t2 += n10 * tt;
      t3 -= n10 * tt * t;
      t4 += n10 * tt * tt;
    }
    if (n01 > 0) {
      const t = f / p01;
      const tt = t * t;
      t2 += n01 * tt;
      t3 -= n01 * tt * t;
      t4 += n01 * tt * tt;
    }
    if (n00 > 0) {
      const t = f / p00;
      const tt = t * t;
      t2 += n00 * tt;
      t3 += n00 * tt * t;
      t4 += n00 * tt * tt;
    }
    const r2 = r * r;
    const r3 = r2 * r;
    const s4 = s2 * s2;
    const s3 = s4 * s2;
    // G' = P / s2^2, G'' = N2 / s2^3, G''' = N3 / s2^4, G'''' = (N3' s2 + 8 r N3) / s2^5
    // (d/dr N / s2^m = (N' s2 + 2 m r N) / s2^(m + 1)); lambda likewise.
    const sa = suuI + suuJ;
    const n2 = n11 * (1 - r2 * r2) - sa * (1 + 3 * r2) + suuIJ * (6 * r + 2 * r3);
    const n2p = -4 * n11 * r3 - 6 * sa * r + 6 * suuIJ * (1 + r2);
    const n2pp = -12 * n11 * r2 - 6 * sa + 12 * suuIJ * r;
    const n3 = n2p * s2 + 6 * r * n2;
    const n3p = n2pp * s2 + 4 * r * n2p + 6 * n2;
    const hk = hi * hj;
    const hh = hi * hi + hj * hj;
    const lam = (-r3 + hk * r2 + (1 - hh) * r + hk) / s4;
    const f2 = 1 - r2 * r2 - hh * (1 + 3 * r2) + hk * (6 * r + 2 * r3);
    const f2p = -4 * r3 - 6 * hh * r + 6 * hk * (1 + r2);
    const lam1 = f2 / s3;
    const lam2 = (f2p * s2 + 6 * r * f2) / (s4 * s4);
    const g1 = n2 / s3 + lam * t1 - t2;
    const g2 = n3 / (s4 * s4) + (lam * lam + lam1) * t1 - 3 * lam * t2 + 2 * t3;
    const g3 =
      (n3p * s2 + 8 * r * n3) / (s4 * s4 * s2) + (lam * lam * lam + 3 * lam * lam1 + lam2) * t1 - (7 * lam * lam + 4 * lam1) * t2 + 12 * lam * t3 - 6 * t4;
    // The iteration solves (1 - r^2)^2 l' = P + (1 - r^2)^2 T1 (same root and signs): no
    // poles at +-1, and where l is convex on the way to a root near +-1 (l' increasing)
    // the cubic P still decreases.
    if (n11 === 0) {
      // l' = phi_2 C: solve C itself (decreasing, and without the factor phi_2, which
      // vanishes fast towards +-1 and would make Halley's steps tiny there).
      out.g = cells;
      out.g1 = -t2 / f;
      out.g2 = (2 * t3 - lam * t2) / f;
      out.g3 = (6 * lam * t3 - 6 * t4 - (lam * lam + lam1) * t2) / f;
      return;
    }
    const w1 = -4 * r * s2;
    const w2 = 8 * r2 - 4 * s2;
    const gt = s4 * g0;
    out.g = gt === 0 && g0 !== 0 ? (g0 > 0 ? Number.MIN_VALUE : -Number.MIN_VALUE) : gt;
    out.g1 = s4 * g1 + w1 * g0;
    out.g2 = s4 * g2 + 2 * w1 * g1 + w2 * g0;
    out.g3 = s4 * g3 + 3 * w1 * g2 + 3 * w2 * g1 + 24 * r * g0;
  };

  /** The maximum of l over [-RHO_MAX, RHO_MAX] for the loaded pair. */
  /**
   * The grid method's own test, at less cost: the score's sign on its 9-point grid, where
   * the points whose sign the levels of R already give (R(r) > L left of y, R(r) < L right
   * of it; see levelCertified) are not evaluated. True when that grid brackets one candidate
   * only, and it holds x: the grid method would then return the root of that bracket.
   */
  gridAgrees(x: number, y: number, level: number): boolean {
    const finite = Number.isFinite(level);
    const above = level + 1e-9 * Math.abs(level);
    const below = level - 1e-9 * Math.abs(level);
    const grid = 9;
    let candidates = 0;
    let agrees = false;
    let prevX = -RHO_MAX;
    let prevSign = 0;
    for (let k = 0; k < grid; k++) {
      const r = k === grid - 1 ? RHO_MAX : -RHO_MAX + (2 * RHO_MAX * k) / (grid - 1);
      let sign: number;
      if (finite && r < y && this.ratio(r) > above) sign = 1;
      else if (finite && r > y && this.ratio(r) < below) sign = -1;
      else {
        this.evaluate(r, this);
        sign = this.g > 0 ? 1 : this.g < 0 ? -1 : 0;
      }
      if (k === 0 && sign <= 0) {
        candidates++;
        agrees = x === r;
      }
      if (k === grid - 1 && sign >= 0) {
        candidates++;
        agrees = x === r;
      }
      if (k > 0 && prevSign > 0 && sign <= 0) {
        candidates++;
        agrees = prevX <= x && x <= r;
      }
      prevX = r;
      prevSign = sign;
    }
    return candidates === 1 && agrees;
  }

  solve(): Solution {
    const single = this.ratioDecreasing();
    const s = halleySingleSignChange(this.evaluate, -RHO_MAX, RHO_MAX, 0, this);
    if (single && s.converged) return s;
    if (!single) pairwiseCounters.uncertified++;
    const y = this.lastR;
    const level = -this.lastC;
    if (s.converged && (this.levelCertified(s.x, y, level) || this.gridAgrees(s.x, y, level))) return s;
    // Not certified, or no convergence in 100 evaluations (never seen): as before.
    pairwiseCounters.grid++;
    return this.gridMaximum();
  }
}

const scratch = new PairScore();

/**
 * The Step 2 correlation of pair (i, j) for every pair of a fit: the marginal probabilities
 * Phi(+-b / sigma) are computed once per coordinate.
 */
export function pairwiseRhoSolver(st: StatisticTotals, b: Float64Array, sigma: Float64Array): (i: number, j: number) => Solution {
  const d = st.d;
  const lower = new Float64Array(d);
  const upper = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    lower[i] = Phi(-(b[i] / sigma[i]));
    upper[i] = Phi(b[i] / sigma[i]);
  }
  return (i, j) => {
    scratch.load(st, b, sigma, i, j);
    scratch.pi0 = lower[i];
    scratch.pj0 = lower[j];
    scratch.pi1 = upper[i];
    scratch.pj1 = upper[j];
    return scratch.solve();
  };
}

/** The Step 2 correlation of one pair: the maximum of the pairwise likelihood l over [-RHO_MAX, RHO_MAX]. */
export function pairwiseRho(st: StatisticTotals, b: Float64Array, sigma: Float64Array, i: number, j: number): Solution {
  scratch.load(st, b, sigma, i, j);
  scratch.pi0 = Phi(-scratch.hi);
  scratch.pj0 = Phi(-scratch.hj);
  scratch.pi1 = Phi(scratch.hi);
  scratch.pj1 = Phi(scratch.hj);
  return scratch.solve();
}

/** The pre-change method (grid + Illinois), kept as the fallback and as the reference of the tests. */
export function pairwiseRhoGrid(st: StatisticTotals, b: Float64Array, sigma: Float64Array, i: number, j: number): Solution {
  scratch.load(st, b, sigma, i, j);
  return scratch.gridMaximum();
}

/**
 * The function the iteration solves for pair (i, j) at r, with its derivatives: (1 - r^2)^2 l'(r)
 * (C(r) when n11 = 0). For tests of the closed forms.
 */
export function pairwiseScore(st: StatisticTotals, b: Float64Array, sigma: Float64Array, i: number, j: number, r: number): Derivatives {
  scratch.load(st, b, sigma, i, j);
  scratch.pi0 = Phi(-scratch.hi);
  scratch.pj0 = Phi(-scratch.hj);
  scratch.pi1 = Phi(scratch.hi);
  scratch.pj1 = Phi(scratch.hj);
  const out: Derivatives = { g: 0, g1: 0, g2: 0, g3: 0 };
  scratch.evaluate(r, out);
  return out;
}
