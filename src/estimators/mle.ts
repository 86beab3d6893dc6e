// The default estimator ('mle'): Step 1 per coordinate and Step 2 per pair, both from the
// one-pass statistics (statistics.ts), so that fit(x) = finalize(accumulate(x)) exactly.
import { censoredMle, censoredMleNonnegative, type MarginalFit } from './censored.js';
import { momentRho } from './moment.js';
import { orthantRho } from './orthant.js';
import { pairwiseRhoSolver } from './pairwise.js';
import type { Solution } from '../numerics/solve.js';
import { truncatedMle } from './truncated.js';
import type { CheckedFitOptions } from '../input/fit-options.js';
import type { StatisticTotals } from '../backend/statistics.js';
import { checkCoordinateScale } from '../input/arrays.js';

/** Below this many positives a coordinate's estimates get a warning. */
export const FEW_POSITIVES = 30;

export interface Marginals {
  b: Float64Array;
  norms: Float64Array;
  seB: Float64Array;
  seNorms: Float64Array;
  positives: Float64Array;
  warnings: string[];
}

/** Per-coordinate (n, m, S1, S2) from the diagonals of the statistics. */
function coordinate(st: StatisticTotals, i: number) {
  const e = i * st.d + i;
  return { n: st.n, m: st.n11[e], s1: st.a1[e], s2: st.a2[e] };
}

export function mleStep1(st: StatisticTotals, o: CheckedFitOptions): Marginals {
  const d = st.d;
  const out: Marginals = {
    b: new Float64Array(d),
    norms: new Float64Array(d),
    seB: new Float64Array(d),
    seNorms: new Float64Array(d),
    positives: new Float64Array(d),
    warnings: [],
  };
  for (let i = 0; i < d; i++) {
    const c = coordinate(st, i);
    out.positives[i] = c.m;
    if (c.m === 0) {
      throw new RangeError(`x: coordinate ${i} is never positive (0 of ${c.n} values); its bias is not identifiable (b_${i} -> -infinity)`);
    }
    checkCoordinateScale('x', i, c.s1 / c.m);
    const mean = c.s1 / c.m;
    const spread = c.s2 / c.m - mean * mean;
    const noSpread = !(spread > 1e-12 * mean * mean);
    let f: MarginalFit;
    if (o.step1 === 'truncated') {
      if (c.m < 2 || noSpread) {
        throw new RangeError(`x: coordinate ${i} has ${c.m} positive values with no spread; the truncated-normal MLE needs at least two distinct values`);
      }
      const t = truncatedMle(c.m, c.s1, c.s2);
      if (t.atBoundary) {
        out.warnings.push(
          `coordinate ${i}: the positives look exponential (variance >= mean^2); the truncated-normal MLE does not exist and b_${i} is at the search boundary`,
        );
      }
      f = t;
      if (o.assumeNonnegativeBias && f.b < 0) f = { ...f, b: 0, seB: 0 };
    } else {
      if (c.m === c.n && noSpread) {
        throw new RangeError(`x: every value of coordinate ${i} equals ${c.s1 / c.m}; a normal with no spread has no MLE`);
      }
      f = o.assumeNonnegativeBias ? censoredMleNonnegative(c) : censoredMle(c);
    }
    if (!f.converged) out.warnings.push(`coordinate ${i}: Step 1 did not converge in ${f.iterations} iterations`);
    if (c.m < FEW_POSITIVES) {
      out.warnings.push(
        `coordinate ${i}: only ${c.m} of ${c.n} values are positive; its estimates are unreliable (the sample size needed grows like 1 / P(x_${i} > 0), exponentially in b_${i}^2 / 2 for b_${i} < 0)`,
      );
    }
    out.b[i] = f.b;
    out.norms[i] = f.sigma;
    out.seB[i] = f.seB;
    out.seNorms[i] = f.seSigma;
  }
  return out;
}

/**
 * Sigma from the marginals and one correlation per pair. Step 2 'orthant' also needs
 * `orthantCounts`, the counts above orthantThresholds(b) from a second pass over the data.
 */
export function mleStep2(
  st: StatisticTotals,
  m: Pick<Marginals, 'b' | 'norms' | 'warnings'>,
  o: CheckedFitOptions,
  orthantCounts?: Float64Array,
): Float64Array {
  const d = st.d;
  const pairwise = o.step2 === 'pairwise' ? pairwiseRhoSolver(st, m.b, m.norms) : undefined;
  const solve = pairwise
    ? (_: StatisticTotals, _b: Float64Array, _s: Float64Array, i: number, j: number) => pairwise(i, j)
    : o.step2 === 'moment'
      ? momentRho
      : (_: StatisticTotals, b: Float64Array, s: Float64Array, i: number, j: number) => orthantRho(orthantCounts!, st.n, b, s, i, j);
  const sigma = new Float64Array(d * d);
  let failed = 0;
  for (let i = 0; i < d; i++) {
    sigma[i * d + i] = m.norms[i] * m.norms[i];
    for (let j = i + 1; j < d; j++) {
      const r: Solution = solve(st, m.b, m.norms, i, j);
      if (!r.converged) failed++;
      const v = m.norms[i] * m.norms[j] * r.x;
      sigma[i * d + j] = v;
      sigma[j * d + i] = v;
    }
  }
  if (failed > 0) m.warnings.push(`Step 2: ${failed} pair(s) did not converge; their correlations are the best found`);
  return sigma;
}
