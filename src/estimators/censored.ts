// Step 1 of the default estimator: the censored-normal (Tobit) MLE of one coordinate.
// x = max(0, y), y ~ N(b, sigma^2): zeros are observed, so the likelihood is that of a
// normal left-censored at 0 (Tobin, Econometrica 26, 1958). In Olsen's parameters
// g = 1/sigma, t = b/sigma (Olsen, Econometrica 46, 1978, Eq. (9)) the log-likelihood
//   n0 log Phi(-t) + m log g - (g^2 S2 - 2 g t S1 + t^2 m) / 2
// (n0 zeros; m positives with sum S1 and sum of squares S2) is concave, so damped Newton
// from a consistent start converges to the unique maximum. The start is closed-form:
// h = Phi^-1(m / n) estimates b / sigma, and E[y | y > 0] = sigma (h + phi(h) / Phi(h)).
// Standard errors come from the observed Fisher information (the negative Hessian).
import { logPhi, mills, phi, Phi, PhiInv } from '../numerics/normal-cdf.js';
import { log } from '../numerics/math.js';

export interface CoordinateInput {
  n: number;
  m: number;
  s1: number;
  s2: number;
}

export interface MarginalFit {
  b: number;
  sigma: number;
  seB: number;
  seSigma: number;
  converged: boolean;
  iterations: number;
}

const MAX_NEWTON = 100;

function logLik(c: CoordinateInput, g: number, t: number): number {
  const n0 = c.n - c.m;
  const cens = n0 > 0 ? n0 * logPhi(-t) : 0;
  return cens + c.m * log(g) - 0.5 * (g * g * c.s2 - 2 * g * t * c.s1 + t * t * c.m);
}

/** The closed-form consistent start (b, sigma). */
export function censoredStart(c: CoordinateInput): { b: number; sigma: number } {
  const p = Math.min(Math.max(c.m / c.n, 0.5 / c.n), 1 - 0.5 / c.n);
  const h = PhiInv(p);
  const meanPos = c.s1 / c.m;
  let sigma = meanPos / (h + phi(h) / Phi(h));
  if (!(sigma > 0 && sigma < Infinity)) sigma = Math.sqrt(c.s2 / c.m);
  return { b: h * sigma, sigma };
}

/** Censored-normal MLE; c.m >= 1 is the caller's to check. */
export function censoredMle(c: CoordinateInput): MarginalFit {
  const n0 = c.n - c.m;
  const start = censoredStart(c);
  let g = 1 / start.sigma;
  let t = start.b / start.sigma;
  let ll = logLik(c, g, t);
  let converged = false;
  let it = 0;
  let hgg = 0;
  let hgt = 0;
  let htt = 0;
  for (; it < MAX_NEWTON; it++) {
    const lam = n0 > 0 ? mills(t) : 0; // phi(t) / Phi(-t)
    const dg = c.m / g - g * c.s2 + t * c.s1;
    const dt = -n0 * lam + g * c.s1 - t * c.m;
    hgg = -c.m / (g * g) - c.s2;
    hgt = c.s1;
    htt = -n0 * lam * (lam - t) - c.m;
    const det = hgg * htt - hgt * hgt;
    const stepG = -(htt * dg - hgt * dt) / det;
    const stepT = -(-hgt * dg + hgg * dt) / det;
    // Damping: halve until the likelihood does not drop and g stays positive.
    let s = 1;
    let nextLl = -Infinity;
    for (let k = 0; k < 60; k++) {
      const ng = g + s * stepG;
      if (ng > 0) {
        nextLl = logLik(c, ng, t + s * stepT);
        if (nextLl >= ll - 1e-12 * Math.abs(ll)) break;
      }
      s *= 0.5;
    }
    if (!(nextLl > -Infinity)) break; // no admissible step: stay at the current point
    g += s * stepG;
    t += s * stepT;
    ll = nextLl;
    if (Math.abs(s * stepG) / g + Math.abs(s * stepT) < 1e-12) {
      converged = true;
      it++;
      break;
    }
  }
  // Covariance of (g, t): inverse of the observed information -H (at the last Hessian).
  const det = hgg * htt - hgt * hgt;
  const cgg = -htt / det;
  const cgt = hgt / det;
  const ctt = -hgg / det;
  // b = t / g, sigma = 1 / g: delta method.
  const jg = -t / (g * g);
  const jt = 1 / g;
  const varB = jg * jg * cgg + 2 * jg * jt * cgt + jt * jt * ctt;
  const varS = cgg / (g * g * g * g);
  return {
    b: t / g,
    sigma: 1 / g,
    seB: Math.sqrt(Math.max(varB, 0)),
    seSigma: Math.sqrt(Math.max(varS, 0)),
    converged,
    iterations: it,
  };
}

/**
 * The MLE under the constraint b >= 0 (assumeNonnegativeBias): the unconstrained one when
 * its b is >= 0, otherwise the boundary maximum b = 0, sigma^2 = S2 / m.
 */
export function censoredMleNonnegative(c: CoordinateInput): MarginalFit {
  const f = censoredMle(c);
  if (f.b >= 0) return f;
  const sigma = Math.sqrt(c.s2 / c.m);
  // Information for g alone at t = 0: m / g^2 + S2 = 2 m sigma^2 ... in sigma units:
  const seSigma = sigma / Math.sqrt(2 * c.m);
  return { b: 0, sigma, seB: 0, seSigma, converged: f.converged, iterations: f.iterations };
}
