// The largest eigenvalue of a symmetric operator by Lanczos with full reorthogonalisation
// (assembly/lanczos.ts: Lanczos 1950; Golub & Van Loan, Matrix Computations, 4th ed., Secs.
// 10.1 and 10.3.1; Parlett, The Symmetric Eigenvalue Problem, Ch. 13), on A or on (L L^T)^-1.
// Every sum is laneDot (the Wasm kernel's f64x2 order), so the bits agree.
import type { LanczosResult } from '../contract.js';
import { laneDot, tql2 } from './eigen.js';

/** beta_j below this times ||T|| so far: the Krylov space is invariant to rounding. */
const BREAKDOWN = 64 * Number.EPSILON;

/** x[xo + i] -= a y[yo + i] for i in [0, n). */
function axpyNeg(x: Float64Array, xo: number, y: Float64Array, yo: number, a: number, n: number): void {
  for (let i = 0; i < n; i++) x[xo + i] -= a * y[yo + i];
}

/**
 * Lanczos on `a` (inverse false: the symmetric d x d row-major matrix, its upper triangle; true: (L L^T)^-1 for
 * its lower triangle L) from `start`, at most kmax <= d steps, the residual test from step
 * minSteps on (assembly/lanczos.ts says when it stops).
 */
export function lanczosTwin(a: Float64Array, d: number, inverse: boolean, start: Float64Array, kmax: number, minSteps: number, tol: number): LanczosResult {
  const Q = new Float64Array(kmax * d);
  Q.set(start.subarray(0, d));
  const s0 = 1 / Math.sqrt(laneDot(Q, 0, Q, 0, d));
  for (let i = 0; i < d; i++) Q[i] *= s0;
  const w = new Float64Array(d);
  const alpha = new Float64Array(kmax);
  const beta = new Float64Array(kmax);
  const c = new Float64Array(kmax);
  const apply = inverse ? inverseProduct : product;
  let tNorm = 0;
  let result: LanczosResult = { value: 0, residual: Infinity, steps: 0, converged: false };
  const first = Math.min(minSteps, kmax);
  for (let j = 0; j < kmax; j++) {
    const q = j * d;
    apply(a, d, Q, q, w);
    const aj = laneDot(Q, q, w, 0, d);
    alpha[j] = aj;
    axpyNeg(w, 0, Q, q, aj, d);
    const bPrev = j > 0 ? beta[j - 1] : 0;
    if (j > 0) axpyNeg(w, 0, Q, q - d, bPrev, d);
    for (let pass = 0; pass < 2; pass++) {
      for (let i = 0; i <= j; i++) c[i] = laneDot(Q, i * d, w, 0, d);
      for (let i = 0; i <= j; i++) axpyNeg(w, 0, Q, i * d, c[i], d);
    }
    const b = Math.sqrt(laneDot(w, 0, w, 0, d));
    beta[j] = b;
    tNorm = Math.max(tNorm, Math.abs(aj) + b + bPrev);
    const k = j + 1;
    const invariant = b <= BREAKDOWN * tNorm;
    if (k >= first || invariant) {
      const { value, last } = largestRitz(alpha, beta, k);
      const residual = invariant || k === d ? 0 : b * Math.abs(last);
      result = { value, residual, steps: k, converged: residual <= tol * Math.abs(value) };
      if (result.converged || invariant) return result;
    } else {
      result = { ...result, steps: k };
    }
    if (k < kmax) {
      const inv = 1 / b;
      for (let i = 0; i < d; i++) Q[k * d + i] = w[i] * inv;
    }
  }
  return result;
}

/**
 * y = A x (x = X[xo .. xo + d)) from A's upper triangle: row i adds a_ij x_i to y_j for j > i,
 * then y_i = (y_i + a_ii x_i) + sum_{j > i} a_ij x_j (laneDot).
 */
function product(A: Float64Array, d: number, X: Float64Array, xo: number, y: Float64Array): void {
  y.fill(0);
  for (let i = 0; i < d; i++) {
    const xi = X[xo + i];
    const s = laneDot(A, i * d + i + 1, X, xo + i + 1, d - i - 1);
    y[i] = y[i] + A[i * d + i] * xi + s;
    for (let j = i + 1; j < d; j++) y[j] += A[i * d + j] * xi;
  }
}

/** y = (L L^T)^-1 x: L z = x by rows (z in y), then L^T y = z, row i of L subtracted from y[0 .. i). */
function inverseProduct(L: Float64Array, d: number, X: Float64Array, xo: number, y: Float64Array): void {
  for (let i = 0; i < d; i++) y[i] = (X[xo + i] - laneDot(L, i * d, y, 0, i)) / L[i * d + i];
  for (let i = d - 1; i >= 0; i--) {
    const v = y[i] / L[i * d + i];
    y[i] = v;
    axpyNeg(y, 0, L, i * d, v, i);
  }
}

/** The largest eigenvalue of T_k (diagonal alpha, off-diagonal beta) and the last component of its unit eigenvector. */
function largestRitz(alpha: Float64Array, beta: Float64Array, k: number): { value: number; last: number } {
  const V = new Float64Array(k * k);
  for (let i = 0; i < k; i++) V[i * k + i] = 1;
  const dg = alpha.slice(0, k);
  const e = new Float64Array(k);
  for (let i = 1; i < k; i++) e[i] = beta[i - 1];
  if (tql2(V, k, dg, e) !== 0) throw new Error('lanczos: the QL iteration on T did not converge');
  return { value: dg[k - 1], last: V[k * k - 1] };
}
