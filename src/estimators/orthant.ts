// Step 2 alternative 'orthant': the paper's orthant-probability idea (Wu, Dimakis &
// Sanghavi 2019, Sec. 3.2) at the observable threshold 0 instead of b: solve
// P(x_i > 0, x_j > 0) = Phi_2(b_i/sigma_i, b_j/sigma_j; rho) = N11 / n for rho (the
// tetrachoric correlation of the 2 x 2 table). At b = 0 it is the paper's formula
// rho = cos(pi - 2 pi N11 / n); unlike the paper's thresholds it works for any sign of b
// and needs only N11 from the one pass.
import { bvnCdf } from '../bvn.js';
import type { StatisticTotals } from '../statistics.js';
import { RHO_MAX } from './pairwise.js';
import { bisectIncreasing, type Solution } from './solve.js';

export function orthantRho(st: StatisticTotals, b: Float64Array, sigma: Float64Array, i: number, j: number): Solution {
  const target = st.n11[i * st.d + j] / st.n;
  const hi = b[i] / sigma[i];
  const hj = b[j] / sigma[j];
  return bisectIncreasing((r) => bvnCdf(hi, hj, r), target, -RHO_MAX, RHO_MAX);
}
