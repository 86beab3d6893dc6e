// The error measures of Wu, Dimakis & Sanghavi 2019 (Sec. 5, Figure 1): err_b, err_Sigma,
// and the KL bound on the total variation of the (un-rectified) Gaussians.
import { gram, symmetricEigen } from './gram.js';
import type { FitResult, ModelInput } from './types.js';
import { toModel } from './validate.js';

function frob(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * a[i];
  return Math.sqrt(s);
}

function checkFit(name: string, est: FitResult, d: number): void {
  if (typeof est !== 'object' || est === null || !(est.b instanceof Float64Array) || !(est.sigma instanceof Float64Array)) {
    throw new TypeError(`${name} must be a FitResult (from fit or fitSync)`);
  }
  if (est.d !== d) throw new RangeError(`${name}.d is ${est.d}, but the true model has d = ${d}`);
}

/** err_b = ||b_hat - b*||_2 / ||W*||_F. */
export function errB(est: FitResult, truth: ModelInput): number {
  const t = toModel('truth', truth);
  checkFit('est', est, t.d);
  const diff = est.b.map((v, i) => v - t.b[i]);
  return frob(diff) / frob(t.W.data);
}

/** err_Sigma = ||Sigma_hat - W* W*^T||_F / ||W*||_F^2, on the raw estimate `est.sigma`. */
export function errSigma(est: FitResult, truth: ModelInput): number {
  const t = toModel('truth', truth);
  checkFit('est', est, t.d);
  const s = gram(t.W.data, t.d, t.k);
  const diff = est.sigma.map((v, i) => v - s[i]);
  const w = frob(t.W.data);
  return frob(diff) / (w * w);
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
  const t = toModel('truth', truth);
  checkFit('est', est, t.d);
  const d = t.d;
  const sTrue = gram(t.W.data, d, t.k);
  const m = est.model.W;
  const sHat = gram(m.data, m.rows, m.cols);
  const kl = Math.min(klGauss(t.b, sTrue, est.b, sHat, d), klGauss(est.b, sHat, t.b, sTrue, d));
  return Math.sqrt(kl / 2);
}
