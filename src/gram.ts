// Sigma assembly from the per-pair angles (Wu, Dimakis & Sanghavi 2019, Sec. 3.2:
// Sigma_ij = ||W_i|| ||W_j|| cos theta_ij), and the projection onto the PSD cone with a
// factor W, so that the learned model ReLU(W z + b) can be sampled.
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';

/**
 * Eigenvalues of the projection are floored at this fraction of the largest eigenvalue,
 * so the learned covariance is positive definite (finite KL, invertible) but no further
 * from the raw estimate than rounding would put it.
 */
export const PSD_RELATIVE_FLOOR = 1e-10;

/** theta_ij = pi - 2 pi N_ij / n and Sigma_ij = s_i s_j cos(theta_ij); Sigma_ii = s_i^2. */
export function sigmaFromOrthantCounts(counts: Float64Array, n: number, norms: Float64Array): Float64Array {
  const d = norms.length;
  const sigma = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    sigma[i * d + i] = norms[i] * norms[i];
    for (let j = i + 1; j < d; j++) {
      const theta = Math.PI - (2 * Math.PI * counts[i * d + j]) / n;
      const v = norms[i] * norms[j] * Math.cos(theta);
      sigma[i * d + j] = v;
      sigma[j * d + i] = v;
    }
  }
  return sigma;
}

/** Eigen-decomposition of the symmetric part of a d x d row-major matrix (ascending). */
export function symmetricEigen(a: Float64Array, d: number): { values: number[]; vectors: Matrix } {
  const m = new Matrix(d, d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) m.set(i, j, 0.5 * (a[i * d + j] + a[j * d + i]));
  }
  const evd = new EigenvalueDecomposition(m, { assumeSymmetric: true });
  return { values: evd.realEigenvalues, vectors: evd.eigenvectorMatrix };
}

export interface PsdFactor {
  /** d x d row-major: W W^T is the projection of sigma with floored eigenvalues. */
  W: Float64Array;
  minEigenvalue: number;
  floor: number;
}

export function psdFactor(sigma: Float64Array, d: number): PsdFactor {
  const bad = sigma.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) {
    throw new RangeError(`Sigma[${Math.floor(bad / d)}][${bad % d}] is ${sigma[bad]}; the data are too extreme in scale for an estimate`);
  }
  const { values, vectors } = symmetricEigen(sigma, d);
  let lo = Infinity;
  let hi = 0;
  for (const v of values) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  // An all-non-positive sigma cannot come from data with positive variance; still keep W finite.
  const floor = PSD_RELATIVE_FLOOR * (hi > 0 ? hi : 1);
  const W = new Float64Array(d * d);
  for (let j = 0; j < d; j++) {
    const s = Math.sqrt(Math.max(values[j], floor));
    for (let i = 0; i < d; i++) W[i * d + j] = vectors.get(i, j) * s;
  }
  return { W, minEigenvalue: lo, floor };
}

/** W W^T for a d x k row-major W. */
export function gram(W: Float64Array, d: number, k: number): Float64Array {
  const out = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = i; j < d; j++) {
      let s = 0;
      for (let l = 0; l < k; l++) s += W[i * k + l] * W[j * k + l];
      out[i * d + j] = s;
      out[j * d + i] = s;
    }
  }
  return out;
}
