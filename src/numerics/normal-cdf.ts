// Standard normal Phi, log Phi, phi, Phi^{-1} and the Mills ratio, with one naming scheme.
//
// Built on @stdlib (Phi near the centre, Phi^{-1} above p = 0.25, erfcx everywhere) and
// fixed where stdlib loses digits (measured in test/unit/numerics/bvn.test.ts against
// test/fixtures/bvn.json, made by scripts/fixtures/bvn.py):
// - 0.5 * erfc(-x / sqrt 2) rounds x / sqrt 2 first; as erfc(t) ~ exp(-t^2) that rounding is
//   amplified to a relative error of about x^2 * 2^-53 (1e-13 at x = -30). Below x = -1 we use
//   erfcx, which is insensitive to the rounding, times exp(-x^2 / 2) evaluated with x split
//   into a 4-bit head and a tail so x^2 is never rounded (the split of W. J. Cody's ANORM /
//   CALERF, netlib specfun, after Cody 1969, Math. Comp. 23:631-637; R's pnorm.c uses it).
// - stdlib's quantile computes erfinv(2p - 1), and 2p - 1 rounds to -1 for p < 1e-17, so it
//   returns -Infinity at p = 1e-20 and loses digits already at p = 1e-10. Below p = 0.25 we
//   solve log Phi(x) = log p by Newton's method instead.
// exp, log and log1p are numerics/math.ts's, which give the same bits on every engine.
import erfcx from '@stdlib/math-base-special-erfcx';
import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';
import { exp, log, log1p } from './math.js';

const INV_SQRT_2 = Math.SQRT1_2;
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);
const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

/**
 * -x^2 / 2 as the pair (head, tail) whose sum is exact to rounding of the tail alone:
 * x = xs + (x - xs) with xs = trunc(16 x) / 16, so xs^2 is exact for |x| < 2^22 and
 * x^2 = xs^2 + (x - xs)(x + xs) (Cody's ANORM, as in R's pnorm.c).
 */
function halfSquare(x: number): [head: number, tail: number] {
  // Past 2^22 no split is needed (x^2 / 2 > 8e12, exp of it is 0) and 16 x could overflow.
  if (!(Math.abs(x) < 4194304)) return [-(x * x) / 2, 0];
  const xs = Math.trunc(x * 16) / 16;
  return [-(xs * xs) / 2, -((x - xs) * (x + xs)) / 2];
}

/** exp(-x^2 / 2) to full relative precision; 0 beyond |x| = 40, where it underflows. */
function expHalfSquare(x: number): number {
  if (Math.abs(x) > 40) return 0;
  const [head, tail] = halfSquare(x);
  return exp(head) * exp(tail);
}

/**
 * Standard normal density phi(x) = exp(-x^2 / 2) / sqrt(2 pi), relatively accurate in the tails.
 * @example phi(0) // 0.3989422804014327
 */
export function phi(x: number): number {
  return expHalfSquare(x) * INV_SQRT_2PI;
}

/**
 * Standard normal CDF Phi(x) = P(Z <= x), relatively accurate down to the underflow
 * at x ~ -38.5 (Phi(-30) to a few ulp, where 0.5 erfc(-x / sqrt 2) is off by ~1e-13).
 * @example Phi(-1.959963984540054) // 0.025
 */
export function Phi(x: number): number {
  // Phi(x) = erfcx(-x / sqrt 2) / 2 * exp(-x^2 / 2): erfcx's relative error does not grow
  // with the rounding of its argument, and the exponential is split (see halfSquare).
  if (x < -1) return 0.5 * erfcx(-x * INV_SQRT_2) * expHalfSquare(x);
  return normalCdf(x, 0, 1);
}

/**
 * log Phi(x), accurate far into the lower tail (log Phi(-40) = -804.608...) where Phi
 * itself underflows, and in the upper tail (log Phi(30) = -4.9e-198, not 0).
 * @example logPhi(-40) // -804.6084420137538
 */
export function logPhi(x: number): number {
  if (x < -1) {
    // log(erfcx(t) / 2) - x^2 / 2 with t = -x / sqrt 2 (no underflow: erfcx(t) ~ 1 / (t sqrt pi)).
    const [head, tail] = halfSquare(x);
    return log(0.5 * erfcx(-x * INV_SQRT_2)) + tail + head;
  }
  return log1p(-Phi(-x));
}

/**
 * Mills ratio phi(a) / (1 - Phi(a)) = E[Z - a | Z > a] + a, the hazard of the standard normal,
 * stable for all a: 0 as a -> -Infinity, ~ a as a -> +Infinity (mills(40) = 40.02496...).
 * @example mills(0) // 0.7978845608028654 (sqrt(2 / pi))
 */
export function mills(a: number): number {
  // For a >= 0: phi(a) / Phi(-a) = sqrt(2 / pi) / erfcx(a / sqrt 2), no cancellation or
  // underflow. For a < 0 the same formula would need erfcx at a negative argument, i.e.
  // exp(a^2 / 2) with a rounded argument (relative error ~ a^2 * 2^-53); there
  // 1 - Phi(a) = Phi(-a) is in [1/2, 1] and the split phi(a) is exact to a few ulp.
  if (a >= 0) return SQRT_2_OVER_PI / erfcx(a * INV_SQRT_2);
  return phi(a) / Phi(-a);
}

/**
 * Starting value for PhiInv(p), 0 < p <= 0.5: Abramowitz & Stegun (1964) 26.2.23, absolute
 * error below 4.5e-4.
 */
function phiInvStart(p: number): number {
  const t = Math.sqrt(-2 * log(p));
  const num = 2.515517 + t * (0.802853 + t * 0.010328);
  const den = 1 + t * (1.432788 + t * (0.189269 + t * 0.001308));
  return -(t - num / den);
}

/**
 * Standard normal quantile Phi^{-1}(p), accurate to a few ulp over (0, 1), including
 * p = 1e-300 (-37.047...) and subnormal p; -Infinity at 0, Infinity at 1, NaN outside [0, 1].
 * @example PhiInv(0.975) // 1.959963984540054
 */
export function PhiInv(p: number): number {
  if (!(p >= 0 && p <= 1)) return NaN;
  // For p >= 0.25, 2p - 1 is exact (Sterbenz), so stdlib's erfinv(2p - 1) keeps every digit.
  if (p >= 0.25) return normalQuantile(p, 0, 1);
  if (p === 0) return -Infinity;
  // Newton on g(x) = log Phi(x) - log p, with g'(x) = phi(x) / Phi(x) = mills(-x). g is
  // increasing and concave (Phi is log-concave), so after the first step the iterates
  // approach the root from below and converge quadratically: 4.5e-4 -> ~1e-7 -> ~1e-15.
  const logP = log(p);
  let x = phiInvStart(p);
  for (let i = 0; i < 8; i++) {
    const step = (logPhi(x) - logP) / mills(-x);
    x -= step;
    if (Math.abs(step) <= 1e-15 * Math.abs(x)) break;
  }
  return x;
}
