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
//
// Two paths. When R is positive definite above the floor, any factor of R with unit rows is
// what the projection gives, and the Cholesky factor R = L L^T costs d^3 / 3 flops against
// ~9 d^3 for the eigendecomposition (Golub & Van Loan, Matrix Computations, 4th ed., Secs.
// 4.2 and 8.3): W = D L, its rows rescaled to unit length as above ((L L^T)_ii = R_ii = 1, so
// the rescaling moves them by rounding only, and the model's marginal sd is the fitted norm
// to rounding, as on the other path). R is taken to be positive definite above the floor when
// (1) the factorisation completes (every pivot > 0; otherwise R is not positive definite to
//     working precision), and
// (2) a Lanczos estimate of R's smallest eigenvalue, the inverse of the largest Ritz value of
//     R^-1 (two triangular solves with L per step), exceeds PD_MARGIN = 4 times the floor made
//     from a Lanczos estimate of R's largest eigenvalue (LANCZOS_STEPS = 24 steps on R).
// Ritz values bound their eigenvalues from the inside, and after 24 steps from a random start
// each is within a factor 2 of its eigenvalue except with probability < 4e-13 for d <= 4096,
// whatever the spectrum (Kuczynski & Wozniakowski 1992; src/estimators/lanczos.ts), so the
// margin 4 puts the smallest eigenvalue above the floor PSD_RELATIVE_FLOOR x lambda_max. Each
// step is O(d^2): 48-84 matrix-vector products or pairs of triangular solves in all, where the
// eigendecomposition costs ~9 d^3. Otherwise (a failed pivot, or too close to the floor to
// tell) the eigenvalue path above runs, on the backend's symmetricEigen (tred2 + tql2).
// The estimates are those of the computed L L^T = R + E, |E| <= gamma_{d+1} |L| |L^T|
// (Higham, Accuracy and Stability of Numerical Algorithms, 2nd ed., Thm 10.3; |L| |L^T| has
// entries <= 1 here); with rounding errors of random sign ||E||_2 is ~ d eps (1e-12 at
// d = 4096), below any floor (>= 1e-10).
// What the diagnostics report on the Cholesky path: minEigenvalue = 1 / (largest Ritz value of
// R^-1), an upper bound of the smallest eigenvalue of L L^T, the steps going on (up to
// LANCZOS_MAX_STEPS = 60) until the residual bound puts it within LANCZOS_TOL = 1e-6 relative of
// an eigenvalue (its error then goes with the square of that: 4e-12 observed at d = 1024); when the
// smallest eigenvalues are so clustered that 60 steps do not get there, it is still within
// 2.5% of the smallest except with probability < 1e-6. The floor is PSD_RELATIVE_FLOOR x the
// largest Ritz value of 24 steps on R (a lower bound of lambda_max, within a factor 2 as
// above). Neither enters W beyond the choice of path. Both paths give the same bits on both
// backends (the Wasm kernels, Lanczos included, equal their twins, and the start vectors come
// from the TypeScript generator), and a power-of-two change of units leaves R's bits, hence
// the path and the diagnostics, as they are.
// Measured (npx tsx bench/psd.ts; 2-core EPYC shared with other jobs, Node 20, Wasm): on the
// correlation of randomModel({ d, seed: 1, rows: 'gaussian' }) (the Cholesky path) 3 ms, 91 ms,
// 0.6-0.8 s and 3.4-3.7 s at d = 256, 1024, 2048, 4096, the factorisation 1 ms, 41 ms,
// 0.3-0.5 s and 1.4-2.1 s of it; on an indefinite matrix (the eigenvalue path) 18 ms and 1.4 s
// at d = 256 and 1024, where ml-matrix's EigenvalueDecomposition alone took 0.3 s and 15 s.
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import type { Backend } from '../backend/contract.js';
import { selectBackend } from '../backend/select.js';
import { cos } from '../numerics/math.js';
import { largestEigenvalue } from './lanczos.js';

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
   * sigma (its Cholesky factor when it is positive definite above the floor, else with its
   * eigenvalues floored) with rows rescaled to unit length (see the header), so
   * (W W^T)_ii = sigma_ii to rounding.
   */
  W: Float64Array;
  /**
   * Smallest eigenvalue of the correlation matrix D^-1 sigma D^-1 before the projection (< 0:
   * sigma is indefinite): from the eigendecomposition when the floor was applied; on the
   * Cholesky path a Lanczos estimate from above, within LANCZOS_TOL relative of an eigenvalue
   * when its residual bound converged in LANCZOS_MAX_STEPS steps (see the header).
   */
  minEigenvalue: number;
  /**
   * The floor put under the correlation matrix's eigenvalues: PSD_RELATIVE_FLOOR x its largest
   * eigenvalue (from the eigendecomposition; on the Cholesky path, where nothing is floored,
   * PSD_RELATIVE_FLOOR x a 24-step Lanczos estimate from below).
   */
  floor: number;
}

/**
 * The Cholesky path is taken when the estimate of the smallest eigenvalue exceeds this
 * multiple of the estimated floor: each Lanczos estimate is within a factor 2 of its
 * eigenvalue except with probability < 4e-13 (LANCZOS_STEPS steps, d <= 4096), so the
 * smallest eigenvalue is then above the floor (see the header).
 */
export const PD_MARGIN = 4;

/** Lanczos steps for the largest eigenvalue, and at least as many for the smallest. */
export const LANCZOS_STEPS = 24;

/** Steps at most for the smallest eigenvalue, and the relative residual bound that ends them sooner. */
export const LANCZOS_MAX_STEPS = 60;
export const LANCZOS_TOL = 1e-6;

/**
 * A factor of the positive definite projection of sigma (see the header). `backend` runs the
 * Cholesky factorisation and the eigendecomposition; both backends give the same bits.
 */
export function psdFactor(sigma: Float64Array, d: number, backend: Backend = selectBackend('auto')): PsdFactor {
  for (let bad = 0; bad < sigma.length; bad++) {
    if (!Number.isFinite(sigma[bad])) {
      throw new RangeError(`Sigma[${Math.floor(bad / d)}][${bad % d}] is ${sigma[bad]}; the data are too extreme in scale for an estimate`);
    }
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
  // The upper triangle only: the backend's kernels read no more of a symmetric matrix.
  const R = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    R[i * d + i] = 1;
    for (let j = i + 1; j < d; j++) R[i * d + j] = (0.5 * sigma[i * d + j] + 0.5 * sigma[j * d + i]) / D[i] / D[j];
  }

  const chol = backend.cholesky(R, d);
  if (chol.ok) {
    const top = largestEigenvalue(backend, R, d, 'matrix', { minSteps: LANCZOS_STEPS, stream: 1 });
    // trace(R) = d, so the largest eigenvalue is at least 1: the floor is never 0.
    const floor = PSD_RELATIVE_FLOOR * Math.max(top.value, 1);
    const bottom = largestEigenvalue(backend, chol.L, d, 'inverse', { minSteps: LANCZOS_STEPS, maxSteps: LANCZOS_MAX_STEPS, tol: LANCZOS_TOL });
    const minEigenvalue = 1 / bottom.value;
    if (bottom.value > 0 && minEigenvalue > PD_MARGIN * floor) {
      return { W: unitRows(chol.L, D, d, true), minEigenvalue, floor };
    }
  }

  const { values, vectors } = backend.symmetricEigen(R, d);
  const floor = PSD_RELATIVE_FLOOR * Math.max(values[d - 1], 1);
  const F = new Float64Array(d * d);
  for (let j = 0; j < d; j++) {
    const s = Math.sqrt(Math.max(values[j], floor));
    for (let i = 0; i < d; i++) F[i * d + j] = vectors[j * d + i] * s;
  }
  return { W: unitRows(F, D, d, false), minEigenvalue: values[0], floor };
}

/** W = diag(D) F with each row of F first scaled to unit length, in place (F is ours); `lower`: F is 0 above the diagonal. */
function unitRows(F: Float64Array, D: Float64Array, d: number, lower: boolean): Float64Array {
  for (let i = 0; i < d; i++) {
    const n = lower ? i + 1 : d; // the zeros would add nothing to ss, nor change when scaled
    let ss = 0;
    for (let j = 0; j < n; j++) ss += F[i * d + j] * F[i * d + j];
    // ss > 0 (a row of a nonsingular factor); one factor D_i / ||F_i|| per row, so a
    // power-of-two D_i scales the row exactly.
    const f = D[i] / Math.sqrt(ss);
    for (let j = 0; j < n; j++) F[i * d + j] *= f;
  }
  return F;
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
