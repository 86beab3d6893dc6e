// Sigma assembly from the per-pair angles (Wu, Dimakis & Sanghavi 2019, Sec. 3.2:
// Sigma_ij = ||W_i|| ||W_j|| cos theta_ij), and a factor W of a positive definite
// projection of it, so that the learned model ReLU(W z + b) can be sampled.
//
// The projection works on the correlation matrix R = D^-1 Sigma D^-1, D = diag(sqrt(Sigma_ii))
// (= diag(norms): the estimators put norms_i^2 on the diagonal), and scales back by D:
//   R = V diag(lambda) V^T,  F = V diag(sqrt(max(lambda, floor))),  floor = PSD_RELATIVE_FLOOR x max(lambda),
//   F_i <- F_i / ||F_i|| (each row to unit length),  W = D F.
//
// Why correlation units. Flooring the eigenvalues of Sigma itself, at a fraction of its
// largest, depends on the units of each coordinate: a coordinate of small scale lives in
// eigenvalues ~ its variance, under a floor set by the large coordinates, so the whole
// correction of an indefinite Sigma landed on it (its model sd came out 2.2x its fitted norm
// with coordinate scales 20 and 1e-4 in d = 2, ~1000x with scales 1e-4..1e4 in d = 9). R has
// unit diagonal in any units (its largest eigenvalue is in [1, d]), so the floor means the
// same for every coordinate; b, norms and sigma being equivariant, so is W (W_i scales with
// coordinate i; bit for bit under power-of-two changes of units, where D scales exactly).
// Unit diagonal is also within a factor d of the best diagonal scaling for the conditioning
// (van der Sluis 1969, "Condition numbers and equilibration of matrices", Numer. Math. 14).
//
// Why unit rows. Clipping eigenvalues gives the nearest PSD matrix in the Frobenius norm
// (Higham 1988, "Computing a nearest symmetric positive semidefinite matrix", Linear Algebra
// Appl. 103), but it raises the diagonal wherever it corrects, so the model's variances
// would exceed the fitted norms^2. Rescaling each row of the floored factor to unit length
// (Rebonato & Jaeckel 1999, "The most general methodology to create a valid correlation
// matrix for risk management and option pricing purposes", J. Risk 2(2), 2000; a one-step
// relative of Higham 2002, "Computing the nearest correlation matrix - a problem from
// finance", IMA J. Numer. Anal. 22) makes F F^T a correlation matrix, still positive
// definite (smallest eigenvalue >= floor / max ||F_i||^2), so the model's marginal sd is the
// fitted norm to rounding and its P(x_i = 0) = Phi(-b_i / norm_i) is Step 1's: the marginals
// are what the data determine best (each coordinate from all n values), and the projection
// changes only the dependence. Measured on indefinite fits against the truth (method 'mle',
// kappa 1e4 / n 2000 and kappa 1e6 / n 20000, d = 5 and 10, 63 and 46 fits): unit rows
// against the floor alone moved the KL bound by -0.002 +- 0.0004 and -0.004 +- 0.001 and the
// rectified TV by -0.0002 +- 0.0001 (paired; TV ~ 0.4-0.5), while the floor alone left the
// model sd up to 0.9% (kappa 1e4) and 0.2% (kappa 1e6) off the norm; with coordinate scales
// spread over 1e-3..1e3 the old covariance-unit floor gave TV 0.55 against 0.39.
// When R is positive definite above the floor both steps change nothing but rounding, so
// W W^T = Sigma to rounding.
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { cos } from '../numerics/math.js';

/**
 * Eigenvalues of the correlation matrix are floored at this fraction of its largest
 * eigenvalue, so the learned covariance is positive definite (finite KL, invertible) but
 * no further from the raw estimate than rounding would put it.
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
      const v = norms[i] * norms[j] * cos(theta);
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
  /**
   * d x d row-major: W = D F, D = diag(sqrt(sigma_ii)), F F^T the correlation matrix of
   * sigma with floored eigenvalues and rows rescaled to unit length (see the header), so
   * (W W^T)_ii = sigma_ii to rounding.
   */
  W: Float64Array;
  /** Smallest eigenvalue of the correlation matrix D^-1 sigma D^-1 before the projection (< 0: sigma is indefinite). */
  minEigenvalue: number;
  /** The floor put under the correlation matrix's eigenvalues: PSD_RELATIVE_FLOOR x its largest eigenvalue. */
  floor: number;
}

export function psdFactor(sigma: Float64Array, d: number): PsdFactor {
  const bad = sigma.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) {
    throw new RangeError(`Sigma[${Math.floor(bad / d)}][${bad % d}] is ${sigma[bad]}; the data are too extreme in scale for an estimate`);
  }
  const D = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    const v = sigma[i * d + i];
    if (!(v > 0)) {
      throw new RangeError(`Sigma[${i}][${i}] is ${v}; coordinate ${i} needs a positive variance (norm) for its correlations to be defined`);
    }
    D[i] = Math.sqrt(v);
  }
  // Divided by D_i and D_j one at a time: D_i D_j could underflow where sigma_ij does not.
  const R = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    R[i * d + i] = 1;
    for (let j = i + 1; j < d; j++) {
      const v = (0.5 * sigma[i * d + j] + 0.5 * sigma[j * d + i]) / D[i] / D[j];
      R[i * d + j] = v;
      R[j * d + i] = v;
    }
  }
  const { values, vectors } = symmetricEigen(R, d);
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  // trace(R) = d, so the largest eigenvalue is at least 1: the floor is never 0.
  const floor = PSD_RELATIVE_FLOOR * Math.max(hi, 1);
  const W = new Float64Array(d * d);
  for (let j = 0; j < d; j++) {
    const s = Math.sqrt(Math.max(values[j], floor));
    for (let i = 0; i < d; i++) W[i * d + j] = vectors.get(i, j) * s;
  }
  for (let i = 0; i < d; i++) {
    let ss = 0;
    for (let j = 0; j < d; j++) ss += W[i * d + j] * W[i * d + j];
    // ss >= floor > 0; one factor D_i / ||F_i|| per row, so a power-of-two D_i scales the row exactly.
    const f = D[i] / Math.sqrt(ss);
    for (let j = 0; j < d; j++) W[i * d + j] *= f;
  }
  return { W, minEigenvalue: lo, floor };
}

/** ||a||_2 with scaling, so values near the float range neither overflow nor underflow. */
export function norm2(a: ArrayLike<number>): number {
  let scale = 0;
  for (let i = 0; i < a.length; i++) scale = Math.max(scale, Math.abs(a[i]));
  if (scale === 0) return 0;
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    const r = a[i] / scale;
    s += r * r;
  }
  return scale * Math.sqrt(s);
}

/** ||W_i|| of each row of a d x k row-major W (scaled, as norm2). */
export function rowNorms(W: Float64Array, d: number, k: number): Float64Array {
  return Float64Array.from({ length: d }, (_, i) => norm2(W.subarray(i * k, i * k + k)));
}

/**
 * The power of two within a factor sqrt(2) of x > 0 (1 for 0, Infinity or NaN): a unit to
 * divide a coordinate by exactly. Standardising by it adds no rounding, leaves values of
 * order 1 as they are, and a power-of-two change of units of the input changes it by the
 * same factor, so the standardised values keep their bits.
 */
export function powerOfTwoNear(x: number): number {
  if (!(x > 0 && x < Infinity)) return 1;
  let t = 1;
  while (x / t >= Math.SQRT2) t *= 2;
  while (x / t < Math.SQRT1_2) t /= 2;
  return t;
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
