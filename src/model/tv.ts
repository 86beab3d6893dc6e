// Total variation distances between two one-layer ReLU models P = ReLU(N(b1, S1)) and
// Q = ReLU(N(b2, S2)), by Monte Carlo, with standard errors.
//
// TV(P, Q) = (1/2) int |p - q| = E_{x ~ (P + Q)/2} |p(x) - q(x)| / (p(x) + q(x)), where p and q
// are densities with respect to one dominating measure. A rectified Gaussian has atoms on
// the faces {x_S > 0, x_C = 0} (C the complement of S), so the measure is Lebesgue on x_S
// times counting over the faces, and the density on a face is
//   p(x) = N(x_S; b_S, S_SS) * P(Y_C <= 0 | Y_S = x_S),  Y ~ N(b, S),
// the conditional being N(b_C + S_CS S_SS^-1 (x_S - b_S), S_CC - S_CS S_SS^-1 S_SC). The
// orthant probability is exact for |C| <= 2 and a GHK estimate above (orthant.ts); p and q at
// the same x share the GHK lattice and its shift, so most of the GHK error cancels in p/q.
//
// |p - q| / (p + q) = tanh(|log p - log q| / 2). Half the draws come from each distribution
// (stratified: the estimate is the mean of the two halves' means, and the standard error
// combines their variances). Each draw gets its own random lattice shift, so the GHK noise
// is part of the draw-to-draw variance and the standard error accounts for it.
//
// Units: TV is invariant under x_i -> x_i / t_i, t_i > 0 (a bijection that commutes with
// the rectification), so both models are first standardised by one t per coordinate, the
// larger of the two row norms ||W_i|| rounded to a power of two (exact divisions; models
// with rows of order 1, as the paper's, are used as they are), and everything below runs
// in those units. A power-of-two change of units of both models then gives the same bits,
// and any other one changes the inputs by rounding only (measured: 1e-15 relative at scales
// 1e-6..1e6, as before standardising; the log densities carry sum log L_ii, which cancels
// in log p - log q). Without it, W W^T of rows below ~1e-154 underflowed, and such a model
// was reported "not positive definite".
//
// The same draws y ~ N(b, S) give the un-rectified Gaussian TV (at y) and the rectified TV
// (at x = max(0, y)). Rectification is a function of y, so TV(ReLU P, ReLU Q) <= TV(N1, N2)
// (data processing); in the estimates, the posterior L(x) = p(x) / (p(x) + q(x)) of the
// rectified point is the conditional mean of the Gaussian posterior L(y) given x, and
// |2 L(x) - 1| <= E[|2 L(y) - 1| | x] (Jensen). `gap` estimates the difference on the same
// draws, so its standard error is small and the inequality can be checked to a few SE.
//
// Cost: for each draw and each of p, q, a d x d Cholesky factor once per face and, on faces
// with |C| >= 3 zero coordinates, `points` x |C| evaluations of Phi and Phi^-1 (about 0.3 us
// a pair). Measured on one core of a 2-core x86 machine (Node 20), 64 points, a fit of the
// paper's instances (b >= 0, unit rows: 3/8 of the coordinates are 0 on average): 0.1 s per
// 1000 draws at d = 5, 0.2 s at d = 13, 0.6 s at d = 25, 1.3 s at d = 50, 2.7 s at d = 100.
// So 10^4 draws cost seconds up to d ~ 50 and half a minute at d = 100; beyond that the
// d^3 factors and the GHK dimension take over. 16 points gave the same estimates to the
// standard error at small TV (method 'mle', d <= 100); at TV ~ 0.2 and d = 25, 4 points
// were biased up by 2 SE, 16 by 0.4 SE, 64 and 256 agreed.
import type { Backend } from '../backend/contract.js';
import { gram, powerOfTwoNear, rowNorms } from '../estimators/gram.js';
import type { ModelInput } from '../types.js';
import { checkInteger, checkOptions, checkSeed } from '../input/scalars.js';
import { HALF_LOG_2PI, log, tanh } from '../numerics/math.js';
import { toModel, type CheckedModel } from '../input/arrays.js';
import { wasmBackend } from '../backend/wasm/backend.js';
import { orderedCholesky } from './cholesky.js';
import { orthantProbability } from './orthant-probability.js';

export interface TvOptions {
  /** Monte Carlo draws in all, half from each distribution (rounded up to even). @default 10000 */
  draws?: number;
  /** Lattice points of each GHK orthant estimate (faces with 3 or more zero coordinates). @default 64 */
  points?: number;
  /** Seed of the draws and lattice shifts: an integer in [0, 2^32). @default 0 */
  seed?: number;
}

/** A Monte Carlo estimate and its standard error. */
export interface TvEstimate {
  value: number;
  se: number;
}

export interface TvDistances {
  /** TV between the rectified distributions ReLU(N(b1, S1)) and ReLU(N(b2, S2)). */
  rectified: TvEstimate;
  /** TV between the Gaussians N(b1, S1) and N(b2, S2), on the same draws. */
  gaussian: TvEstimate;
  /** gaussian - rectified on the same draws: >= 0 in expectation. */
  gap: TvEstimate;
  draws: number;
  points: number;
}

export const TV_DEFAULTS = { draws: 10_000, points: 64 } as const;

const TWO_POW_53 = 9007199254740992;

interface Gaussian {
  m: CheckedModel;
  sigma: Float64Array;
}

function checkTvOptions(options: unknown) {
  const o = checkOptions('options', options);
  const draws = o.draws === undefined ? TV_DEFAULTS.draws : checkInteger('options.draws', o.draws, 4, 1e8);
  const points = o.points === undefined ? TV_DEFAULTS.points : checkInteger('options.points', o.points, 1, 1e6);
  const seed = o.seed === undefined ? 0 : checkSeed('options.seed', o.seed);
  return { half: Math.ceil(draws / 2), points, seed };
}

/** The model with row i of W and b_i divided by t_i. */
function standardised(m: CheckedModel, t: Float64Array): CheckedModel {
  const { d, k } = m;
  const W = m.W.data.map((v, idx) => v / t[Math.floor(idx / k)]);
  return { d, k, W: { data: W, rows: d, cols: k }, b: m.b.map((v, i) => v / t[i]) };
}

function checkPair(p: unknown, q: unknown): [Gaussian, Gaussian] {
  const mp = toModel('p', p);
  const mq = toModel('q', q);
  if (mp.d !== mq.d) throw new RangeError(`p has d = ${mp.d} but q has d = ${mq.d}`);
  const d = mp.d;
  // The same t for both, symmetric in p and q; a coordinate with no spread in either keeps
  // t = 1, and the Cholesky factor then reports the covariance as not positive definite.
  // Powers of two: exact divisions, and models with rows of order 1 (the paper's instances)
  // are used as they are.
  const np = rowNorms(mp.W.data, d, mp.k);
  const nq = rowNorms(mq.W.data, d, mq.k);
  const t = np.map((v, i) => powerOfTwoNear(Math.max(v, nq[i])));
  const sp = standardised(mp, t);
  const sq = standardised(mq, t);
  return [
    { m: sp, sigma: gram(sp.W.data, d, sp.k) },
    { m: sq, sigma: gram(sq.W.data, d, sq.k) },
  ];
}

/** `count` draws of N(b, W W^T) (rows of d) into y from row `first`, from normals of (seed, stream). */
function gaussianDraws(g: Gaussian, count: number, seed: number, stream: number, backend: Backend, y: Float64Array, first: number): void {
  const { d, k, b } = g.m;
  const W = g.m.W.data;
  const z = backend.normals(seed, stream, count * k);
  for (let r = 0; r < count; r++) {
    const row = (first + r) * d;
    for (let i = 0; i < d; i++) {
      let v = b[i];
      for (let l = 0; l < k; l++) v += W[i * k + l] * z[r * k + l];
      y[row + i] = v;
    }
  }
}

/**
 * log density at x (row `row` of xs) on the face whose positive coordinates are order[0 .. s)
 * (zero ones order[s .. d)), from the factor L of sigma[order, order]. s = d gives the
 * Gaussian density.
 */
function faceLogDensity(
  g: Gaussian,
  L: Float64Array,
  order: Int32Array,
  s: number,
  xs: Float64Array,
  row: number,
  points: number,
  shift: Float64Array,
  shiftAt: number,
  work: { w: Float64Array; mu: Float64Array; e: Float64Array },
): number {
  const { d, b } = g.m;
  const { w, mu, e } = work;
  let logp = -s * HALF_LOG_2PI;
  for (let i = 0; i < s; i++) {
    const ri = i * d;
    let r = xs[row + order[i]] - b[order[i]];
    for (let l = 0; l < i; l++) r -= L[ri + l] * w[l];
    w[i] = r / L[ri + i];
    logp -= 0.5 * w[i] * w[i] + log(L[ri + i]);
  }
  const c = d - s;
  if (c === 0) return logp;
  for (let j = 0; j < c; j++) {
    const rj = (s + j) * d;
    let m = b[order[s + j]];
    for (let l = 0; l < s; l++) m += L[rj + l] * w[l];
    mu[j] = m;
  }
  return logp + log(orthantProbability(mu, c, L, s * d + s, d, points, shift.subarray(shiftAt, shiftAt + d), e));
}

/** |p - q| / (p + q) from log p and log q. */
function halfDifference(lp: number, lq: number): number {
  return lp === lq ? 0 : tanh(0.5 * Math.abs(lp - lq));
}

/** Running sums of one quantity over the two strata (draws from p, draws from q). */
class Strata {
  private readonly sum = [0, 0];
  private readonly sumSq = [0, 0];
  add(stratum: number, v: number): void {
    this.sum[stratum] += v;
    this.sumSq[stratum] += v * v;
  }
  estimate(half: number): TvEstimate {
    let value = 0;
    let variance = 0;
    for (let s = 0; s < 2; s++) {
      const mean = this.sum[s] / half;
      value += mean / 2;
      variance += Math.max(0, this.sumSq[s] - half * mean * mean) / (half - 1) / half / 4;
    }
    return { value, se: Math.sqrt(variance) };
  }
}

export function tvDistancesWith(p: ModelInput, q: ModelInput, options: TvOptions | undefined, backend: Backend): TvDistances {
  const { half, points, seed } = checkTvOptions(options);
  const [P, Q] = checkPair(p, q);
  const d = P.m.d;
  const M = 2 * half;

  // Draws: rows [0, half) from p, [half, M) from q; one shift vector of d uniforms per draw.
  const y = new Float64Array(M * d);
  gaussianDraws(P, half, seed, 0, backend, y, 0);
  gaussianDraws(Q, half, seed, 1, backend, y, half);
  const bits = backend.uniformBits(seed, 2, M * d);
  const shift = new Float64Array(M * d);
  for (let i = 0; i < shift.length; i++) shift[i] = Number(bits[i] >> 11n) / TWO_POW_53;
  const x = y.map((v) => (v > 0 ? v : 0));

  const work = { w: new Float64Array(d), mu: new Float64Array(d), e: new Float64Array(d) };
  const LP = new Float64Array(d * d);
  const LQ = new Float64Array(d * d);
  const rect = new Strata();
  const gauss = new Strata();
  const gap = new Strata();

  // Gaussian densities: one factor each, identity order.
  const identity = Int32Array.from({ length: d }, (_, i) => i);
  orderedCholesky('p', P.sigma, d, identity, LP);
  orderedCholesky('q', Q.sigma, d, identity, LQ);
  const tGauss = new Float64Array(M);
  for (let r = 0; r < M; r++) {
    const lp = faceLogDensity(P, LP, identity, d, y, r * d, points, shift, 0, work);
    const lq = faceLogDensity(Q, LQ, identity, d, y, r * d, points, shift, 0, work);
    tGauss[r] = halfDifference(lp, lq);
  }

  // Rectified densities: draws grouped by face, one pair of factors per face.
  const keys = new Array<string>(M);
  for (let r = 0; r < M; r++) {
    let key = '';
    for (let i = 0; i < d; i++) key += x[r * d + i] > 0 ? '1' : '0';
    keys[r] = key;
  }
  const byFace = Array.from({ length: M }, (_, r) => r).sort((a, b) => (keys[a] < keys[b] ? -1 : keys[a] > keys[b] ? 1 : a - b));
  const order = new Int32Array(d);
  for (let start = 0; start < M; ) {
    const key = keys[byFace[start]];
    let end = start + 1;
    while (end < M && keys[byFace[end]] === key) end++;
    let s = 0;
    for (let i = 0; i < d; i++) if (key[i] === '1') order[s++] = i;
    for (let i = 0, c = s; i < d; i++) if (key[i] === '0') order[c++] = i;
    orderedCholesky('p', P.sigma, d, order, LP);
    orderedCholesky('q', Q.sigma, d, order, LQ);
    for (let g = start; g < end; g++) {
      const r = byFace[g];
      const lp = faceLogDensity(P, LP, order, s, x, r * d, points, shift, r * d, work);
      const lq = faceLogDensity(Q, LQ, order, s, x, r * d, points, shift, r * d, work);
      const tR = halfDifference(lp, lq);
      const stratum = r < half ? 0 : 1;
      rect.add(stratum, tR);
      gauss.add(stratum, tGauss[r]);
      gap.add(stratum, tGauss[r] - tR);
    }
    start = end;
  }
  return { rectified: rect.estimate(half), gaussian: gauss.estimate(half), gap: gap.estimate(half), draws: M, points };
}

/**
 * Monte Carlo total variation distances between ReLU(W1 z + b1) and ReLU(W2 z + b2) (p and q
 * are models { W, b } as for `sample`, same d; their W W^T must be positive definite): the
 * rectified TV and the Gaussian TV of N(b1, W1 W1^T) and N(b2, W2 W2^T), on common draws,
 * each with its standard error. Seeded: the same inputs give the same numbers.
 * @example tvDistances(truth, fitSync(x).model, { draws: 10_000 }).rectified // { value, se }
 */
export function tvDistances(p: ModelInput, q: ModelInput, options?: TvOptions): TvDistances {
  checkTvOptions(options);
  checkPair(p, q); // validate before the first touch of WebAssembly
  return tvDistancesWith(p, q, options, wasmBackend());
}
