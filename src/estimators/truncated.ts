// Step 1 for data that really are truncated (zeros never observed): the MLE of a normal
// N(mu, sigma^2) truncated to (0, inf) from the positives alone. The truncated normal is an
// exponential family in (x, x^2), so the MLE matches E[x] and E[x^2] (Cohen, "Truncated
// and Censored Samples", 1991, Ch. 2); with alpha = -mu / sigma and lambda = the inverse
// Mills ratio at alpha, Var/E^2 = (1 + alpha lambda - lambda^2) / (lambda - alpha)^2 is
// increasing in alpha, so one bisection solves it. When the sample's Var/E^2 >= 1 (the
// exponential limit) no finite MLE exists: alpha is capped and the fit reports it.
import { mills } from '../numerics/normal-cdf.js';
import { bisectIncreasing } from '../numerics/solve.js';
import type { MarginalFit } from './censored.js';

const ALPHA_LO = -40;
const ALPHA_HI = 200;

/** x^k for a small integer k >= 0 by products: Math.pow's last bits differ between V8 versions. */
function ipow(x: number, k: number): number {
  let p = 1;
  for (let i = 0; i < k; i++) p *= x;
  return p;
}

function cv2(alpha: number): number {
  const lam = mills(alpha);
  return (1 + alpha * lam - lam * lam) / ((lam - alpha) * (lam - alpha));
}

/**
 * Standard errors from the Fisher information of the exponential family: with natural
 * parameters eta = (mu / sigma^2, -1 / (2 sigma^2)) and statistic T = (x, x^2), the
 * information of m values is m Cov(T); Cov(T) comes from the truncated moments
 * E[z^k] = (k - 1) E[z^(k-2)] + alpha^(k-1) lambda of z = (x - mu) / sigma > alpha.
 */
function truncatedStandardErrors(m: number, mu: number, sigma: number, alpha: number): { seB: number; seSigma: number } {
  const lam = mills(alpha);
  const z = [1, lam, 0, 0, 0];
  for (let k = 2; k <= 4; k++) z[k] = (k - 1) * z[k - 2] + ipow(alpha, k - 1) * lam;
  // E[x^k] = sum_j C(k, j) mu^(k-j) sigma^j E[z^j]
  const binom = [[1], [1, 1], [1, 2, 1], [1, 3, 3, 1], [1, 4, 6, 4, 1]];
  const ex = (k: number) => {
    let s = 0;
    for (let j = 0; j <= k; j++) s += binom[k][j] * ipow(mu, k - j) * ipow(sigma, j) * z[j];
    return s;
  };
  const e1 = ex(1),
    e2 = ex(2),
    e3 = ex(3),
    e4 = ex(4);
  const c11 = e2 - e1 * e1;
  const c12 = e3 - e1 * e2;
  const c22 = e4 - e2 * e2;
  const det = c11 * c22 - c12 * c12;
  if (!(det > 0)) return { seB: Infinity, seSigma: Infinity };
  // Cov(eta_hat) = Cov(T)^-1 / m
  const i11 = c22 / det / m;
  const i12 = -c12 / det / m;
  const i22 = c11 / det / m;
  const s2 = sigma * sigma;
  const j1 = s2;
  const j2 = 2 * mu * s2;
  const varMu = j1 * j1 * i11 + 2 * j1 * j2 * i12 + j2 * j2 * i22;
  const varSigma = s2 * s2 * s2 * i22;
  return { seB: Math.sqrt(Math.max(varMu, 0)), seSigma: Math.sqrt(Math.max(varSigma, 0)) };
}

/** Truncated-normal MLE from the positives' count, sum and sum of squares (m >= 2). */
export function truncatedMle(m: number, s1: number, s2: number): MarginalFit & { atBoundary: boolean } {
  const mean = s1 / m;
  const variance = Math.max(s2 / m - mean * mean, 0);
  const c = variance / (mean * mean);
  const sol = bisectIncreasing(cv2, c, ALPHA_LO, ALPHA_HI);
  const alpha = sol.x;
  const sigma = mean / (mills(alpha) - alpha);
  const mu = -alpha * sigma;
  return {
    b: mu,
    sigma,
    ...truncatedStandardErrors(m, mu, sigma, alpha),
    converged: sol.converged,
    iterations: sol.iterations,
    atBoundary: alpha >= ALPHA_HI,
  };
}
