// The error measures of Wu, Dimakis & Sanghavi 2019 (Sec. 5, Figure 1): err_b, err_Sigma,
// and the KL bound on the total variation of the (un-rectified) Gaussians.
//
// err_b and err_Sigma are the paper's definitions: absolute errors relative to ||W*||_F, so
// they weight each coordinate by its scale and change when one coordinate's units do (only
// a common change of units of every coordinate leaves them unchanged).
//
// KL between Gaussians does not depend on units (it is invariant under any invertible affine
// map, x_i -> x_i / t_i among them), and klBound is computed in units of the truth's sd per
// coordinate, t_i = ||W*_i|| rounded to a power of two: exact divisions, so no rounding is
// added and a power-of-two change of units of the data gives the same bits, and within a
// factor sqrt 2 of unit diagonal, which is within a factor d of the best diagonal scaling for
// the conditioning (van der Sluis 1969, "Condition numbers and equilibration of matrices",
// Numer. Math. 14). In raw units a truth with coordinate scales 1e-6..1e6 has a covariance of
// condition number ~1e24, beyond the eigensolver's resolution (absolute error ~1e-16 x the
// largest eigenvalue): klBound was Infinity for it.
//
// KL(N(m0, S0) || N(m1, S1)) = (1/2) [sum_j (mu_j - 1 - log mu_j) + dm^T S1^-1 dm], mu the
// eigenvalues of S1^-1/2 S0 S1^-1/2. Summing u - log1p(u), u = mu - 1, keeps the relative
// accuracy near KL = 0, where tr(S1^-1 S0) - d - log det(S1^-1 S0) cancels: its error is
// ~1e-15 absolute against terms ~u^2, this one's ~1e-15 |u| (measured at S1 = (1 + 2^-20) S0,
// d = 8: 2e-9 relative against 1e-3).
import { gram, norm2, powerOfTwoNear, rowNorms, symmetricEigen } from '../estimators/gram.js';
import type { FitResult, ModelInput } from '../types.js';
import { show } from '../input/scalars.js';
import { log1p } from '../numerics/math.js';
import { toMatrix, toModel, type CheckedModel } from '../input/arrays.js';

function checkVector(name: string, v: unknown, length: number): Float64Array {
  if (!(v instanceof Float64Array)) throw new TypeError(`${name} must be a Float64Array, got ${show(v)}`);
  if (v.length !== length) throw new RangeError(`${name} has length ${v.length}, expected ${length}`);
  const bad = v.findIndex((x) => !Number.isFinite(x));
  if (bad >= 0) throw new RangeError(`${name}[${bad}] is ${v[bad]}; every value must be finite`);
  return v;
}

/** The parts of a FitResult a metric reads, checked against the true dimension d. */
function checkFit(est: unknown, d: number, parts: { b?: true; sigma?: true; model?: true }): FitResult {
  if (typeof est !== 'object' || est === null || Array.isArray(est)) {
    throw new TypeError(`est must be a FitResult (from fit or fitSync), got ${show(est)}`);
  }
  const e = est as FitResult;
  if (typeof e.d !== 'number') throw new TypeError(`est must be a FitResult (from fit or fitSync), got ${show(est)}`);
  if (e.d !== d) throw new RangeError(`est.d is ${show(e.d)}, but the true model has d = ${d}`);
  if (parts.b) checkVector('est.b', e.b, d);
  if (parts.sigma) checkVector('est.sigma', e.sigma, d * d);
  if (parts.model) {
    if (typeof e.model !== 'object' || e.model === null) throw new TypeError(`est.model must be { W, b }, got ${show(e.model)}`);
    const w = toMatrix('est.model.W', e.model.W);
    if (w.rows !== d) throw new RangeError(`est.model.W has ${w.rows} rows, expected ${d}`);
    checkVector('est.model.W.data', w.data, w.rows * w.cols);
  }
  return e;
}

function checkTruth(truth: ModelInput): { t: CheckedModel; wNorm: number } {
  const t = toModel('truth', truth);
  const wNorm = norm2(t.W.data);
  if (wNorm === 0) throw new RangeError('truth.W is all 0; err_b and err_Sigma are relative to ||W*||_F');
  return { t, wNorm };
}

/**
 * err_b = ||b_hat - b*||_2 / ||W*||_F, as the paper defines it. Not unit-free per
 * coordinate: the coordinates with the largest scales dominate it; invariant only under a
 * common change of units of all coordinates.
 */
export function errB(est: FitResult, truth: ModelInput): number {
  const { t, wNorm } = checkTruth(truth);
  const e = checkFit(est, t.d, { b: true });
  return norm2(e.b.map((v, i) => v - t.b[i])) / wNorm;
}

/**
 * err_Sigma = ||Sigma_hat - W* W*^T||_F / ||W*||_F^2, on the raw estimate `est.sigma`, as
 * the paper defines it. Not unit-free per coordinate (entry ij weighs with scale_i x
 * scale_j); invariant only under a common change of units of all coordinates.
 */
export function errSigma(est: FitResult, truth: ModelInput): number {
  const { t, wNorm } = checkTruth(truth);
  const e = checkFit(est, t.d, { sigma: true });
  const s = gram(t.W.data, t.d, t.k);
  return norm2(e.sigma.map((v, i) => v - s[i])) / wNorm / wNorm;
}

/** Smallest eigenvalue above 1e-14 x the largest in magnitude: positive definite to working precision. */
function positiveDefinite(values: number[]): boolean {
  return values[0] > 1e-14 * Math.max(Math.abs(values[values.length - 1]), Number.MIN_VALUE);
}

function sameBits(a: Float64Array, b: Float64Array): boolean {
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

/** KL(N(m0, S0) || N(m1, S1)) of standardised Gaussians (see the header). */
function klStandardised(m0: Float64Array, S0: Float64Array, m1: Float64Array, S1: Float64Array, d: number): number {
  if (!positiveDefinite(symmetricEigen(S0, d).values)) return Infinity;
  const e1 = symmetricEigen(S1, d);
  if (!positiveDefinite(e1.values)) return Infinity;
  // KL(P || P) = 0 exactly, not the rounding of the eigensolver (~1e-32).
  if (sameBits(m0, m1) && sameBits(S0, S1)) return 0;
  const V = e1.vectors;
  const lam = e1.values;
  // dm^T S1^-1 dm with S1^-1 = V diag(1 / lambda) V^T; M = diag(lambda)^-1/2 V^T S0 V diag(lambda)^-1/2.
  let quad = 0;
  const SV = new Float64Array(d * d); // S0 V
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) {
      let s = 0;
      for (let l = 0; l < d; l++) s += S0[i * d + l] * V.get(l, j);
      SV[i * d + j] = s;
    }
  }
  const M = new Float64Array(d * d);
  for (let j = 0; j < d; j++) {
    let vdm = 0;
    for (let i = 0; i < d; i++) vdm += V.get(i, j) * (m1[i] - m0[i]);
    quad += (vdm * vdm) / lam[j];
    for (let k = j; k < d; k++) {
      let s = 0;
      for (let i = 0; i < d; i++) s += V.get(i, j) * SV[i * d + k];
      const v = s / Math.sqrt(lam[j]) / Math.sqrt(lam[k]);
      M[j * d + k] = v;
      M[k * d + j] = v;
    }
  }
  let sum = 0;
  for (const mu of symmetricEigen(M, d).values) {
    if (!(mu > 0)) return Infinity;
    const u = mu - 1;
    sum += u - log1p(u);
  }
  return Math.max(0, 0.5 * (sum + quad));
}

/** (m / t, S / (t t^T)), elementwise. */
function standardise(m: Float64Array, S: Float64Array, t: Float64Array, d: number): [Float64Array, Float64Array] {
  const ms = m.map((v, i) => v / t[i]);
  const Ss = S.map((v, k) => v / t[Math.floor(k / d)] / t[k % d]);
  return [ms, Ss];
}

/**
 * KL(N(m0, S0) || N(m1, S1)); Infinity when either covariance is not positive definite.
 * Computed with every coordinate i divided by (the power of two nearest) sqrt(S1_ii), which
 * KL does not depend on, so the result does not depend on the units of the coordinates.
 */
export function klGauss(m0: Float64Array, S0: Float64Array, m1: Float64Array, S1: Float64Array, d: number): number {
  const t = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    if (!(S1[i * d + i] > 0)) return Infinity; // S1 singular, or not a covariance
    t[i] = powerOfTwoNear(Math.sqrt(S1[i * d + i]));
  }
  return klStandardised(...standardise(m0, S0, t, d), ...standardise(m1, S1, t, d), d);
}

/** The rows of a d x k W divided by t, and its bias likewise. */
function standardModel(W: Float64Array, b: Float64Array, t: Float64Array, d: number, k: number): { b: Float64Array; S: Float64Array } {
  const w = W.map((v, idx) => v / t[Math.floor(idx / k)]);
  return { b: b.map((v, i) => v / t[i]), S: gram(w, d, k) };
}

/**
 * sqrt(min(KL(P||Q), KL(Q||P)) / 2) between P = N(b*, W* W*^T) and Q = N(b_hat, Sigma_hat),
 * the bound on TV(P, Q) plotted in the paper (Pinsker). Sigma_hat is the covariance of the
 * learned model, est.model.W est.model.W^T: the PSD projection of est.sigma with eigenvalues
 * floored, equal to est.sigma whenever that is positive definite, and always invertible, so
 * the bound is finite even when est.sigma is not PSD. It is Infinity only when the true
 * W* W*^T is singular (k < d or rank-deficient W*): a singular Gaussian has no density.
 * Unit-free: both Gaussians are taken in units of the truth's sd ||W*_i|| per coordinate
 * (to a power of two; rows of W and b divided by it before any product), which KL does not
 * depend on.
 */
export function klBound(est: FitResult, truth: ModelInput): number {
  const { t } = checkTruth(truth);
  const e = checkFit(est, t.d, { b: true, sigma: true, model: true });
  const d = t.d;
  const sd = rowNorms(t.W.data, d, t.k);
  if (sd.includes(0)) return Infinity; // a zero row of W*: W* W*^T is singular
  const unit = sd.map(powerOfTwoNear);
  const m = toMatrix('est.model.W', e.model.W);
  const P = standardModel(t.W.data, t.b, unit, d, t.k);
  const Q = standardModel(m.data, e.b, unit, d, m.cols);
  const kl = Math.min(klStandardised(P.b, P.S, Q.b, Q.S, d), klStandardised(Q.b, Q.S, P.b, P.S, d));
  return Math.sqrt(kl / 2);
}
