// The error measures of Wu, Dimakis & Sanghavi 2019 (Sec. 5, Figure 1): err_b, err_Sigma,
// and the KL bound on the total variation of the (un-rectified) Gaussians.
import { gram, symmetricEigen } from './gram.js';
import type { FitResult, ModelInput } from './types.js';
import { show } from './checks.js';
import { toMatrix, toModel, type CheckedModel } from './validate.js';

/** ||a||_2 with scaling, so values near the float range neither overflow nor underflow. */
function norm2(a: ArrayLike<number>): number {
  let scale = 0;
  for (let i = 0; i < a.length; i++) scale = Math.max(scale, Math.abs(a[i]));
  if (scale === 0) return 0;
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] / scale) ** 2;
  return scale * Math.sqrt(s);
}

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

/** err_b = ||b_hat - b*||_2 / ||W*||_F. */
export function errB(est: FitResult, truth: ModelInput): number {
  const { t, wNorm } = checkTruth(truth);
  const e = checkFit(est, t.d, { b: true });
  return norm2(e.b.map((v, i) => v - t.b[i])) / wNorm;
}

/** err_Sigma = ||Sigma_hat - W* W*^T||_F / ||W*||_F^2, on the raw estimate `est.sigma`. */
export function errSigma(est: FitResult, truth: ModelInput): number {
  const { t, wNorm } = checkTruth(truth);
  const e = checkFit(est, t.d, { sigma: true });
  const s = gram(t.W.data, t.d, t.k);
  return norm2(e.sigma.map((v, i) => v - s[i])) / wNorm / wNorm;
}

/** KL(N(m0, S0) || N(m1, S1)); Infinity when either covariance is not positive definite. */
export function klGauss(m0: Float64Array, S0: Float64Array, m1: Float64Array, S1: Float64Array, d: number): number {
  const e0 = symmetricEigen(S0, d);
  const e1 = symmetricEigen(S1, d);
  const pd = (v: number[]) => v[0] > 1e-14 * Math.max(Math.abs(v[v.length - 1]), Number.MIN_VALUE);
  if (!pd(e0.values) || !pd(e1.values)) return Infinity;
  // tr(S1^-1 S0) + dm' S1^-1 dm with S1^-1 = V diag(1/lambda) V'
  const V = e1.vectors;
  let quad = 0;
  let trace = 0;
  for (let j = 0; j < d; j++) {
    let vdm = 0;
    for (let i = 0; i < d; i++) vdm += V.get(i, j) * (m1[i] - m0[i]);
    let vsv = 0;
    for (let i = 0; i < d; i++) {
      let si = 0;
      for (let l = 0; l < d; l++) si += S0[i * d + l] * V.get(l, j);
      vsv += V.get(i, j) * si;
    }
    quad += (vdm * vdm) / e1.values[j];
    trace += vsv / e1.values[j];
  }
  let logdet = 0;
  for (let j = 0; j < d; j++) logdet += Math.log(e1.values[j]) - Math.log(e0.values[j]);
  return Math.max(0, 0.5 * (trace + quad - d + logdet));
}

/**
 * sqrt(min(KL(P||Q), KL(Q||P)) / 2) between P = N(b*, W* W*^T) and Q = N(b_hat, Sigma_hat),
 * the bound on TV(P, Q) plotted in the paper (Pinsker). Sigma_hat is the covariance of the
 * learned model, est.model.W est.model.W^T: the PSD projection of est.sigma with eigenvalues
 * floored, equal to est.sigma whenever that is positive definite, and always invertible, so
 * the bound is finite even when est.sigma is not PSD. It is Infinity only when the true
 * W* W*^T is singular (k < d or rank-deficient W*): a singular Gaussian has no density.
 */
export function klBound(est: FitResult, truth: ModelInput): number {
  const { t } = checkTruth(truth);
  const e = checkFit(est, t.d, { b: true, sigma: true, model: true });
  const d = t.d;
  const sTrue = gram(t.W.data, d, t.k);
  const m = toMatrix('est.model.W', e.model.W);
  const sHat = gram(m.data, m.rows, m.cols);
  const kl = Math.min(klGauss(t.b, sTrue, e.b, sHat, d), klGauss(e.b, sHat, t.b, sTrue, d));
  return Math.sqrt(kl / 2);
}
