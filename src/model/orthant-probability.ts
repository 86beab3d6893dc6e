// P(Y <= 0) for Y ~ N(mu, L L^T), L lower triangular: the orthant probabilities that turn a
// Gaussian density into the density of its rectification on a face (see tv.ts).
//
// Dimension 0, 1, 2: exact (Phi, and Phi_2 of Genz 2004, src/numerics/bvn.ts). Dimension 3 and up: the
// GHK simulator (Geweke 1991; Hajivassiliou, McFadden & Ruud 1996; Keane 1994; Genz 1992's
// sequential conditioning) on a randomly shifted Richtmyer (Kronecker) lattice with
// alpha_j = sqrt(p_j), p_j the j-th prime, and the tent transform u -> |2u - 1| (Genz & Bretz
// 2009, "Computation of Multivariate Normal and t Probabilities", Sec. 4.2.2). With a uniform
// random shift every point, after the tent transform, is uniform on the unit cube, so each
// point's GHK product, and their average, is an unbiased estimate of the probability.
import { bvnCdf } from '../numerics/bvn.js';
import { Phi, PhiInv } from '../numerics/normal-cdf.js';

/** sqrt(p_j) for the primes p_0 = 2, p_1 = 3, ...: the Richtmyer generators, grown on demand. */
const generators: number[] = [];
let lastPrime = 1;

function ensureGenerators(count: number): void {
  while (generators.length < count) {
    let p = lastPrime + 1;
    for (let q = 2; q * q <= p; q++)
      if (p % q === 0) {
        p++;
        q = 1;
      }
    lastPrime = p;
    generators.push(Math.sqrt(p));
  }
}

/**
 * sqrt(a^2 + b^2) from IEEE-exact operations (ECMA-262 leaves Math.hypot's accuracy to the
 * engine, like Math.exp's; see numerics/math.ts); rescaled only where a square would
 * overflow or fall below the normal range.
 */
function hypot(a: number, b: number): number {
  const s = a * a + b * b;
  if (s >= 2.2250738585072014e-308 && s < Infinity) return Math.sqrt(s);
  const m = Math.max(Math.abs(a), Math.abs(b));
  if (m === 0) return 0;
  const x = a / m;
  const y = b / m;
  return m * Math.sqrt(x * x + y * y);
}

/** Largest value below 1, so Phi^-1 stays finite. */
const BELOW_ONE = 1 - Number.EPSILON / 2;

/**
 * P(Y <= 0) for Y ~ N(mu, L L^T) of dimension c, L lower triangular (row-major, row stride
 * `stride`, starting at `off`) with a positive diagonal. Exact for c <= 2; for c >= 3 the
 * GHK estimate over `points` lattice points shifted by shift[0 .. c - 2] (uniforms in [0, 1)).
 * `work` needs c doubles.
 */
export function orthantProbability(
  mu: Float64Array,
  c: number,
  L: Float64Array,
  off: number,
  stride: number,
  points: number,
  shift: ArrayLike<number>,
  work: Float64Array,
): number {
  if (c === 0) return 1;
  const l00 = L[off];
  if (c === 1) return Phi(-mu[0] / l00);
  if (c === 2) {
    const l10 = L[off + stride];
    const l11 = L[off + stride + 1];
    const s1 = hypot(l10, l11);
    return bvnCdf(-mu[0] / l00, -mu[1] / s1, Math.max(-1, Math.min(1, l10 / s1)));
  }
  ensureGenerators(c - 1);
  const e = work;
  let total = 0;
  for (let i = 1; i <= points; i++) {
    let prob = 1;
    for (let j = 0; j < c; j++) {
      const row = off + j * stride;
      let m = mu[j];
      for (let l = 0; l < j; l++) m += L[row + l] * e[l];
      const pj = Phi(-m / L[row + j]);
      prob *= pj;
      if (prob === 0) break;
      if (j < c - 1) {
        const u = (i * generators[j] + shift[j]) % 1;
        const w = Math.abs(2 * u - 1) * pj;
        // Y_j = m + L_jj e_j <= 0 with e_j ~ N(0, 1) truncated to (-inf, -m / L_jj].
        e[j] = PhiInv(Math.min(BELOW_ONE, Math.max(Number.MIN_VALUE, w)));
      }
    }
    total += prob;
  }
  return total / points;
}
