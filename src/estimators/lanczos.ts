// Extreme eigenvalues of the correlation matrix R for psdFactor's test that R is positive
// definite above the floor without an eigendecomposition (src/estimators/gram.ts): the largest
// Ritz value of the Lanczos algorithm with full reorthogonalisation (Backend.lanczos:
// assembly/lanczos.ts and its twin src/backend/js/lanczos.ts; Golub & Van Loan, Matrix
// Computations, 4th ed., Secs. 10.1 and 10.3.1; Parlett, The Symmetric Eigenvalue Problem,
// Ch. 13), on R for its largest eigenvalue and on R^-1 = (L L^T)^-1 (two triangular solves
// with the Cholesky factor per step) for its smallest.
//
// What an estimate is worth. A Ritz value is at most the largest eigenvalue (Rayleigh-Ritz;
// to rounding), and after k steps from a start uniform on the sphere it is below (1 - e)
// lambda_max with probability at most 1.648 sqrt(d) exp(-sqrt(e) (2k - 1)), whatever the gaps
// of the spectrum (Kuczynski & Wozniakowski 1992, "Estimating the largest eigenvalue by the
// power and Lanczos algorithms with a random start", SIAM J. Matrix Anal. Appl. 13(4),
// 1094-1122, Thm 4.2(a); power iteration needs ~log(d) / e steps for the same). So for
// d <= 4096: after 24 steps within a factor 2 (e = 1/2) except with probability < 4e-13;
// after 60 steps within 2.5% except with probability < 1e-6. Independently of that, the
// residual bound ||A y - theta y|| = beta_k |s_k| (y the Ritz vector, s_k the last component
// of its eigenvector of T_k; Parlett Sec. 13.2) puts an eigenvalue within it of theta (for a
// symmetric A), and theta's own error goes with the residual squared over the gap to the rest
// of the spectrum. Full reorthogonalisation (classical Gram-Schmidt twice: Giraud, Langou &
// Rozloznik 2005, Comput. Math. Appl. 50) keeps T_k's eigenvalues those of A on the Krylov
// space to rounding: no spurious copies; at k = d (or when beta_k vanishes) they are A's.
//
// The start is a fixed stream of N(0, 1) draws of the TypeScript generator, normalised by the
// kernel: the same bits on every backend and engine, and the bounds above are over the
// choice of that stream.
import type { Backend, LanczosResult } from '../backend/contract.js';
import { streamGenerator } from '../backend/js/rng.js';
import { normal } from '../backend/js/ziggurat.js';

/** Seed of the start vectors' streams. */
export const LANCZOS_SEED = 0x1a2c05;

export interface ExtremeOptions {
  /** Steps before the residual test (fewer only when d is smaller or the space is invariant). @default 24 */
  minSteps?: number;
  /** Steps at most. @default minSteps */
  maxSteps?: number;
  /** Relative residual bound that ends the iteration after minSteps; Number.MAX_VALUE: none. @default Number.MAX_VALUE */
  tol?: number;
  /** Stream of the start vector's draws (seed LANCZOS_SEED). @default 0 */
  stream?: number;
}

/** The start vector of `stream`: d N(0, 1) draws. */
export function lanczosStart(d: number, stream: number): Float64Array {
  const g = streamGenerator(LANCZOS_SEED, stream);
  return Float64Array.from({ length: d }, () => normal(g));
}

/**
 * The largest eigenvalue of the symmetric d x d row-major `a` ('matrix') or of (L L^T)^-1 for
 * its lower triangle L ('inverse'), by Lanczos on `backend` (see the header).
 */
export function largestEigenvalue(backend: Backend, a: Float64Array, d: number, operator: 'matrix' | 'inverse', options: ExtremeOptions = {}): LanczosResult {
  const { minSteps = 24, maxSteps = minSteps, tol = Number.MAX_VALUE, stream = 0 } = options;
  return backend.lanczos(a, d, operator, lanczosStart(d, stream), { minSteps, maxSteps, tol });
}
