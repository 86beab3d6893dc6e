// Step 2 alternative 'moment': solve E[x_i x_j](rho) = G_ij / n, where x = max(0, y) and
// (y_i, y_j) is bivariate normal with the Step 1 marginals. E[x_i x_j] is increasing in rho;
// its closed form is the product moment of a truncated bivariate normal (Rosenbaum, "Moments
// of a truncated bivariate normal distribution", JRSS B 23, 1961): with a = -b / sigma,
// U standard bivariate normal and R = {U_i > a_i, U_j > a_j},
//   E[x_i x_j] = b_i b_j L + b_i s_j M_j + b_j s_i M_i + s_i s_j C,
//   L = P(R), M_i = E[U_i; R], C = E[U_i U_j; R].
import { bvnCdf, bvnPdf } from '../numerics/bvn.js';
import { Phi, phi } from '../numerics/normal-cdf.js';
import type { StatisticTotals } from '../backend/statistics.js';
import { RHO_MAX } from './pairwise.js';
import { bisectIncreasing, type Solution } from '../numerics/solve.js';

export function rectifiedCrossMoment(bi: number, si: number, bj: number, sj: number, r: number): number {
  const ai = -bi / si;
  const aj = -bj / sj;
  const s = Math.sqrt(Math.max(1 - r * r, 1e-300));
  const L = bvnCdf(-ai, -aj, r);
  const qj = Phi(-(aj - r * ai) / s);
  const qi = Phi(-(ai - r * aj) / s);
  const mi = phi(ai) * qj + r * phi(aj) * qi;
  const mj = phi(aj) * qi + r * phi(ai) * qj;
  const c = r * L + r * ai * phi(ai) * qj + r * aj * phi(aj) * qi + (1 - r * r) * bvnPdf(ai, aj, r);
  return bi * bj * L + bi * sj * mj + bj * si * mi + si * sj * c;
}

export function momentRho(st: StatisticTotals, b: Float64Array, sigma: Float64Array, i: number, j: number): Solution {
  const target = st.g[i * st.d + j] / st.n;
  return bisectIncreasing((r) => rectifiedCrossMoment(b[i], sigma[i], b[j], sigma[j], r), target, -RHO_MAX, RHO_MAX);
}
