// Step 2 of the default estimator: the correlation rho_ij of (y_i, y_j) by a coarsened
// pairwise likelihood ("QG": quadrant + Gaussian), with the marginals (b, sigma) of Step 1
// held fixed (a two-stage pairwise likelihood; Varin, Reid & Firth, "An overview of
// composite likelihood methods", Statistica Sinica 21, 2011, Sec. 3). Rows where both
// coordinates are positive contribute their bivariate normal density; the other rows
// contribute the probability of their cell of the 2 x 2 table {x_i > 0} x {x_j > 0}:
//   l(rho) = -n11/2 log(1 - rho^2) - (Suu_i - 2 rho Suu_ij + Suu_j) / (2 (1 - rho^2))
//            + n10 log p10 + n01 log p01 + n00 log p00
// with u = (x - b) / sigma, h = b / sigma and the cells computed directly (no subtraction,
// so rare cells keep their relative accuracy): p10 = Phi_2(h_i, -h_j; -rho),
// p01 = Phi_2(-h_i, h_j; -rho), p00 = Phi_2(-h_i, -h_j; rho).
// Everything comes from the one-pass statistics N11, A1, A2, G. The maximum over
// (-1, 1) is a root of the score, bracketed on a grid and solved by regula falsi (bounded
// iterations); solving the score pins rho to ~1e-15 where likelihood values alone would
// pin it to ~1e-8:
//   l'(rho) = n11 rho / (1 - rho^2) + (Suu_ij (1 - rho^2) - rho Q) / (1 - rho^2)^2
//             + phi_2(h_i, h_j; rho) (n00 / p00 - n10 / p10 - n01 / p01)
// (each cell's derivative in rho is +-phi_2(h_i, h_j; rho))
// with Q = Suu_i - 2 rho Suu_ij + Suu_j and dPhi_2/drho = phi_2 (Plackett 1954).
import { bvnCdf, bvnPdf } from '../numerics/bvn.js';
import type { StatisticTotals } from '../backend/statistics.js';
import { maximizeByScore, type Solution } from '../numerics/solve.js';
import { log } from '../numerics/math.js';

/** Correlations are searched in [-RHO_MAX, RHO_MAX]. */
export const RHO_MAX = 1 - 1e-9;
const TINY = 1e-300;

export function pairwiseRho(st: StatisticTotals, b: Float64Array, sigma: Float64Array, i: number, j: number): Solution {
  const d = st.d;
  const n = st.n;
  const bi = b[i],
    bj = b[j],
    si = sigma[i],
    sj = sigma[j];
  const hi = bi / si;
  const hj = bj / sj;
  const n11 = st.n11[i * d + j];
  const ni = st.n11[i * d + i];
  const nj = st.n11[j * d + j];
  const n10 = ni - n11;
  const n01 = nj - n11;
  const n00 = n - ni - nj + n11;
  const sxi = st.a1[i * d + j];
  const sxj = st.a1[j * d + i];
  const sxi2 = st.a2[i * d + j];
  const sxj2 = st.a2[j * d + i];
  const sxij = st.g[i * d + j];
  const suuI = (sxi2 - 2 * bi * sxi + n11 * bi * bi) / (si * si);
  const suuJ = (sxj2 - 2 * bj * sxj + n11 * bj * bj) / (sj * sj);
  const suuIJ = (sxij - bi * sxj - bj * sxi + n11 * bi * bj) / (si * sj);
  const p10 = (r: number) => Math.max(bvnCdf(hi, -hj, -r), TINY);
  const p01 = (r: number) => Math.max(bvnCdf(-hi, hj, -r), TINY);
  const p00 = (r: number) => Math.max(bvnCdf(-hi, -hj, r), TINY);
  const ll = (r: number) => {
    const s2 = 1 - r * r;
    let v = -0.5 * n11 * log(s2) - (suuI - 2 * r * suuIJ + suuJ) / (2 * s2);
    if (n10 > 0) v += n10 * log(p10(r));
    if (n01 > 0) v += n01 * log(p01(r));
    if (n00 > 0) v += n00 * log(p00(r));
    return v;
  };
  const score = (r: number) => {
    const s2 = 1 - r * r;
    const q = suuI - 2 * r * suuIJ + suuJ;
    let cells = 0;
    if (n10 > 0) cells -= n10 / p10(r);
    if (n01 > 0) cells -= n01 / p01(r);
    if (n00 > 0) cells += n00 / p00(r);
    return (n11 * r) / s2 + (suuIJ * s2 - r * q) / (s2 * s2) + bvnPdf(hi, hj, r) * cells;
  };
  return maximizeByScore(ll, score, -RHO_MAX, RHO_MAX);
}
