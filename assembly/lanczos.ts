// The largest eigenvalue of a symmetric operator by the Lanczos algorithm with full
// reorthogonalisation (Lanczos 1950; Golub & Van Loan, Matrix Computations, 4th ed., Secs.
// 10.1 and 10.3.1; Parlett, The Symmetric Eigenvalue Problem, 1998, Ch. 13): the operator is
// a symmetric d x d row-major matrix A (y = A x, its upper triangle read), or (L L^T)^-1 for a lower
// triangular L (two triangular solves: L z = x by rows, then L^T y = z by rows of L).
// src/estimators/lanczos.ts says what the estimates are for and how far they can be trusted.
//
// Step j: w = op(q_j), alpha_j = q_j . w, w -= alpha_j q_j + beta_{j-1} q_{j-1} (two
// updates, in that order), then w orthogonalised against q_0 .. q_j twice (classical
// Gram-Schmidt: all coefficients first, then all updates, in index order), beta_j = ||w||,
// q_{j+1} = w x (1 / beta_j). From step minSteps on (or when beta_j <= 64 eps ||T||: the
// Krylov space is invariant), the largest eigenvalue theta of T_k and the last component s of
// its unit eigenvector (tql2 on T_k from V = I) give the residual bound beta_j |s| (0 when
// invariant or k = d), and the iteration ends when it is <= tol |theta|, or at kmax steps.
//
// Summation order (the TypeScript twin, src/backend/js/lanczos.ts, follows it, so the bits
// agree): every inner product, the norms and the rows of the matrix-vector product and of the
// forward solve add in eigen.ts's four-lane order (dot); the rest is elementwise or in the
// order that product() states. No FMA.
//
// Memory: qPtr holds kmax x d doubles, the start vector (any length) in its first row on
// entry; wPtr d doubles; tPtr kmax^2 + 37 kmax + 2 doubles; outPtr receives theta, the residual
// bound, the steps and 1 (converged) or 0. Returns 0, or 1 when tql2 failed on T.
import { axpyNeg, dot, tql2 } from "./eigen";

/** beta_j below this times ||T|| so far: the Krylov space is invariant to rounding. */
const BREAKDOWN: f64 = 64 * f64.EPSILON;

export function lanczos(
  aPtr: usize, d: i32, inverse: i32, qPtr: usize, wPtr: usize, tPtr: usize,
  kmax: i32, minSteps: i32, tol: f64, outPtr: usize,
): i32 {
  const dotRows = dot;
  const axpyRow = axpyNeg;
  const scaleRow = scale;
  const stride = <usize>d << 3;
  const alpha = tPtr;
  const beta = alpha + (<usize>kmax << 3);
  const c = beta + (<usize>kmax << 3);
  const ritz = c + (<usize>kmax << 3);

  scaleRow(qPtr, qPtr, 1 / Math.sqrt(dotRows(qPtr, qPtr, d)), d);
  let tNorm = 0.0;
  let value = 0.0;
  let residual = Infinity;
  let steps = 0;
  let converged = 0;
  const first = min(minSteps, kmax);
  for (let j = 0; j < kmax; j++) {
    const q = qPtr + <usize>j * stride;
    if (inverse != 0) inverseProduct(aPtr, d, q, wPtr);
    else product(aPtr, d, q, wPtr);
    const a = dotRows(q, wPtr, d);
    store<f64>(alpha + (<usize>j << 3), a);
    axpyRow(wPtr, q, a, d);
    const bPrev = j > 0 ? load<f64>(beta + (<usize>(j - 1) << 3)) : 0.0;
    if (j > 0) axpyRow(wPtr, q - stride, bPrev, d);
    for (let pass = 0; pass < 2; pass++) {
      for (let i = 0; i <= j; i++) store<f64>(c + (<usize>i << 3), dotRows(qPtr + <usize>i * stride, wPtr, d));
      for (let i = 0; i <= j; i++) axpyRow(wPtr, qPtr + <usize>i * stride, load<f64>(c + (<usize>i << 3)), d);
    }
    const b = Math.sqrt(dotRows(wPtr, wPtr, d));
    store<f64>(beta + (<usize>j << 3), b);
    tNorm = Math.max(tNorm, Math.abs(a) + b + bPrev);
    const k = j + 1;
    steps = k;
    const invariant = b <= BREAKDOWN * tNorm;
    if (k >= first || invariant) {
      if (largestRitz(alpha, beta, k, ritz) != 0) return 1;
      value = load<f64>(ritz);
      residual = invariant || k == d ? 0.0 : b * Math.abs(load<f64>(ritz, 8));
      converged = residual <= tol * Math.abs(value) ? 1 : 0;
      if (converged != 0 || invariant) break;
    }
    if (k < kmax) scaleRow(q + stride, wPtr, 1 / b, d);
  }
  store<f64>(outPtr, value);
  store<f64>(outPtr, residual, 8);
  store<f64>(outPtr, <f64>steps, 16);
  store<f64>(outPtr, <f64>converged, 24);
  return 0;
}

/** out[i] = x[i] * a for i in [0, n). */
function scale(out: usize, x: usize, a: f64, n: i32): void {
  const av = f64x2.splat(a);
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const o = <usize>i << 3;
    v128.store(out + o, f64x2.mul(v128.load(x + o), av));
  }
  if (i < n) store<f64>(out + (<usize>i << 3), load<f64>(x + (<usize>i << 3)) * a);
}

/**
 * y = A x from A's upper triangle: row i adds a_ij x_i to y_j for j > i (elementwise, rows in
 * order), then y_i = (y_i + a_ii x_i) + sum_{j > i} a_ij x_j (dot's order).
 */
function product(aPtr: usize, d: i32, x: usize, y: usize): void {
  const dotRows = dot;
  const axpyRow = axpyNeg;
  const stride = <usize>d << 3;
  memory.fill(y, 0, <usize>d << 3);
  for (let i = 0; i < d; i++) {
    const o = <usize>i << 3;
    const rest = aPtr + <usize>i * stride + o + 8;
    const xi = load<f64>(x + o);
    const s = dotRows(rest, x + o + 8, d - i - 1);
    store<f64>(y + o, load<f64>(y + o) + load<f64>(rest - 8) * xi + s);
    axpyRow(y + o + 8, rest, -xi, d - i - 1); // y_j - (-x_i) a_ij = y_j + a_ij x_i exactly
  }
}

/** y = (L L^T)^-1 x: L z = x by rows (z in y), then L^T y = z, row i of L subtracted from y[0 .. i). */
function inverseProduct(lPtr: usize, d: i32, x: usize, y: usize): void {
  const dotRows = dot;
  const axpyRow = axpyNeg;
  const stride = <usize>d << 3;
  for (let i = 0; i < d; i++) {
    const row = lPtr + <usize>i * stride;
    const o = <usize>i << 3;
    store<f64>(y + o, (load<f64>(x + o) - dotRows(row, y, i)) / load<f64>(row + o));
  }
  for (let i = d - 1; i >= 0; i--) {
    const row = lPtr + <usize>i * stride;
    const o = <usize>i << 3;
    const v = load<f64>(y + o) / load<f64>(row + o);
    store<f64>(y + o, v);
    axpyRow(y, row, v, i);
  }
}

/**
 * The largest eigenvalue of T_k (diagonal alpha, off-diagonal beta) into out[0] and the last
 * component of its unit eigenvector into out[1]; scratch after out: k^2 + 34 k doubles (tql2 on k rows).
 */
function largestRitz(alpha: usize, beta: usize, k: i32, out: usize): i32 {
  const V = out + 16;
  const dg = V + ((<usize>k * <usize>k) << 3);
  const e = dg + (<usize>k << 3);
  memory.fill(V, 0, (<usize>k * <usize>k) << 3);
  for (let i = 0; i < k; i++) store<f64>(V + ((<usize>i * <usize>k + <usize>i) << 3), 1.0);
  memory.copy(dg, alpha, <usize>k << 3);
  store<f64>(e, 0.0);
  memory.copy(e + 8, beta, <usize>(k - 1) << 3);
  if (tql2(V, k, dg, e, e + (<usize>k << 3)) != 0) return 1;
  store<f64>(out, load<f64>(dg + (<usize>(k - 1) << 3)));
  store<f64>(out, load<f64>(V + ((<usize>k * <usize>k - 1) << 3)), 8);
  return 0;
}
