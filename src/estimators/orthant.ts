// Step 2 alternative 'orthant': the paper's orthant estimator (Wu, Dimakis & Sanghavi 2019,
// Sec. 3.2, Eq. (4)) on the default Step 1. Rows are counted above t = max(b_hat, 0), which
// needs a second pass over the data (the thresholds come from Step 1). For b >= 0 the
// count estimates P(y_i > b_i, y_j > b_j) = 1/4 + asin(rho) / (2 pi), the paper's
// rho = cos(pi - 2 pi N / n); where b_i < 0 the threshold stays at the observable 0 and rho
// solves Phi_2(h_i, h_j; rho) = N / n with h = (b - t) / sigma (the tetrachoric equation),
// so the estimator stays consistent for any sign of b.
import { bvnCdf } from '../numerics/bvn.js';
import { RHO_MAX } from './pairwise.js';
import { bisectIncreasing, type Solution } from '../numerics/solve.js';
import { cos } from '../numerics/math.js';

/** Thresholds of the counting pass. */
export function orthantThresholds(b: Float64Array): Float64Array {
  return b.map((v) => Math.max(v, 0));
}

export function orthantRho(counts: Float64Array, n: number, b: Float64Array, sigma: Float64Array, i: number, j: number): Solution {
  const d = b.length;
  const p = counts[i * d + j] / n;
  const hi = (b[i] - Math.max(b[i], 0)) / sigma[i];
  const hj = (b[j] - Math.max(b[j], 0)) / sigma[j];
  if (hi === 0 && hj === 0) {
    const rho = cos(Math.PI - 2 * Math.PI * p);
    return { x: Math.min(Math.max(rho, -RHO_MAX), RHO_MAX), converged: true, iterations: 0 };
  }
  return bisectIncreasing((r) => bvnCdf(hi, hj, r), p, -RHO_MAX, RHO_MAX);
}
