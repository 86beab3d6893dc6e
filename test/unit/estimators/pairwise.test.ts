// Step 2 'pairwise': the certified Halley solver (pairwiseRho) against the grid method it
// replaced (pairwiseRhoGrid: the score's sign on 9 points, Illinois on each bracket), on
// every pair of fits and on hard pairs; its derivatives against finite differences; no NaN
// for degenerate cells. Fixed seeds; n in the names.
import { describe, expect, it } from 'vitest';
import { accumulate, randomModel, sample, type RandomModelOptions, type Samples } from '../../../src/index.js';
import { totals, type StatisticTotals } from '../../../src/backend/statistics.js';
import { mleStep1, mleStep2 } from '../../../src/estimators/mle.js';
import { checkFitOptions } from '../../../src/input/fit-options.js';
import { pairwiseCounters, pairwiseRho, pairwiseRhoGrid, pairwiseRhoSolver, pairwiseScore, RHO_MAX } from '../../../src/estimators/pairwise.js';
import { bvnCdf } from '../../../src/numerics/bvn.js';
import { cos, log } from '../../../src/numerics/math.js';
import { uniforms } from '../../support/mulberry32.js';

const options = checkFitOptions({});

/** n rows of x = max(0, b + z) with corr(z_0, z_1) = rho, unit variances (Box-Muller on mulberry32), then `edit`. */
function pairRows(n: number, b0: number, b1: number, rho: number, seed: number, edit?: (row: Float64Array, k: number) => void): Samples {
  const u = uniforms(seed);
  const data = new Float64Array(2 * n);
  const c = Math.sqrt((1 - rho) * (1 + rho));
  const row = new Float64Array(2);
  for (let k = 0; k < n; k++) {
    const r = Math.sqrt(-2 * log(1 - u()));
    const t = 2 * Math.PI * u();
    const z0 = r * cos(t);
    const z1 = r * cos(t - Math.PI / 2);
    row[0] = Math.max(0, b0 + z0);
    row[1] = Math.max(0, b1 + rho * z0 + c * z1);
    edit?.(row, k);
    data[2 * k] = row[0];
    data[2 * k + 1] = row[1];
  }
  return { data, n, d: 2 };
}

interface Pair {
  st: StatisticTotals;
  b: Float64Array;
  s: Float64Array;
}

function fromRows(x: Samples): Pair {
  const st = totals(accumulate(x));
  const m = mleStep1(st, options);
  return { st, b: m.b, s: m.norms };
}

/** The pairwise log-likelihood of the header of pairwise.ts, for pair (i, j). */
function loglik(p: Pair, i: number, j: number, r: number): number {
  const { st, b, s } = p;
  const d = st.d;
  const hi = b[i] / s[i];
  const hj = b[j] / s[j];
  const n11 = st.n11[i * d + j];
  const n10 = st.n11[i * d + i] - n11;
  const n01 = st.n11[j * d + j] - n11;
  const n00 = st.n - n11 - n10 - n01;
  const suuI = (st.a2[i * d + j] - 2 * b[i] * st.a1[i * d + j] + n11 * b[i] * b[i]) / (s[i] * s[i]);
  const suuJ = (st.a2[j * d + i] - 2 * b[j] * st.a1[j * d + i] + n11 * b[j] * b[j]) / (s[j] * s[j]);
  const suuIJ = (st.g[i * d + j] - b[i] * st.a1[j * d + i] - b[j] * st.a1[i * d + j] + n11 * b[i] * b[j]) / (s[i] * s[j]);
  const s2 = (1 - r) * (1 + r);
  let v = -0.5 * n11 * log(s2) - (suuI - 2 * r * suuIJ + suuJ) / (2 * s2);
  if (n10 > 0) v += n10 * log(Math.max(bvnCdf(hi, -hj, -r), 1e-300));
  if (n01 > 0) v += n01 * log(Math.max(bvnCdf(-hi, hj, -r), 1e-300));
  if (n00 > 0) v += n00 * log(Math.max(bvnCdf(-hi, -hj, r), 1e-300));
  return v;
}

function totalsOf(t: { n: number; n11: number[]; a1: number[]; a2: number[]; g: number[] }): StatisticTotals {
  return { n: t.n, d: 2, n11: Float64Array.from(t.n11), a1: Float64Array.from(t.a1), a2: Float64Array.from(t.a2), g: Float64Array.from(t.g) };
}

function resetCounters() {
  pairwiseCounters.phi2 = 0;
  pairwiseCounters.evaluations = 0;
  pairwiseCounters.uncertified = 0;
  pairwiseCounters.grid = 0;
}

describe('pairwiseRho agrees with the grid method on every pair of a fit (d = 30)', () => {
  // Measured: largest |rho - rho_grid| 2.6e-16 and 2.4e-16; evaluations per pair (the one at
  // rho = 0 included) 2.06 and 2.96, at most 3 and 4; bvnCdf calls per pair 1.45 and 2.79.
  // The grid method: ~17.5 score evaluations (9 on the grid, ~8.5 by Illinois) and ~55 calls.
  const fits: [string, RandomModelOptions, number, number, number][] = [
    ['the paper recipe, n = 2e4', { d: 30, seed: 1 }, 20_000, 2.3, 1.8],
    ['Gaussian rows and biases (b of both signs), n = 2000', { d: 30, seed: 3, rows: 'gaussian', bias: 'gaussian' }, 2_000, 3.3, 3.1],
  ];
  for (const [name, recipe, n, meanEvals, meanCalls] of fits) {
    it(`${name}: |rho - rho_grid| <= 2e-15, <= ${meanEvals} evaluations and ${meanCalls} bvnCdf calls per pair`, () => {
      const p = fromRows(sample(randomModel(recipe), n, { seed: 2 }));
      const d = p.st.d;
      const solve = pairwiseRhoSolver(p.st, p.b, p.s);
      resetCounters();
      let worst = 0;
      let maxEvals = 0;
      for (let i = 0; i < d; i++) {
        for (let j = i + 1; j < d; j++) {
          const before = pairwiseCounters.evaluations;
          const r = solve(i, j);
          maxEvals = Math.max(maxEvals, pairwiseCounters.evaluations - before);
          expect(r.converged).toBe(true);
          worst = Math.max(worst, Math.abs(r.x - pairwiseRhoGrid(p.st, p.b, p.s, i, j).x));
        }
      }
      const pairs = (d * (d - 1)) / 2;
      expect(worst).toBeLessThanOrEqual(2e-15);
      expect(pairwiseCounters.evaluations / pairs).toBeLessThanOrEqual(meanEvals);
      expect(pairwiseCounters.phi2 / pairs).toBeLessThanOrEqual(meanCalls);
      expect(maxEvals).toBeLessThanOrEqual(10);
    });
  }
});

describe("hard pairs (n = 2000 unless named): the grid method's answer, or a higher likelihood", () => {
  const cases: [string, () => Samples][] = [
    ['rho = 0.999', () => pairRows(2000, 0.5, 1, 0.999, 1)],
    ['rho = -0.999', () => pairRows(2000, 0.5, 1, -0.999, 2)],
    ['rho = 0.999999, b = (-1.5, 2)', () => pairRows(2000, -1.5, 2, 0.999999, 3)],
    ['rho = -0.999999, b = (2.5, 2.8)', () => pairRows(2000, 2.5, 2.8, -0.999999, 4)],
    ['tiny p00 (b = (3, 3.2), n = 2e4: Phi_2 below 1e-5)', () => pairRows(20_000, 3, 3.2, 0.3, 5)],
    ['tiny p10 (b = (-2.5, 2.5), rho = 0.9)', () => pairRows(2000, -2.5, 2.5, 0.9, 6)],
    ['n11 = 1 of n = 500 (b = (-2.5, -2.2))', () => pairRows(500, -2.5, -2.2, 0.5, 7)],
    ['n11 = 0 of n = 30: -RHO_MAX', () => pairRows(30, -1.2, -1.5, 0.2, 8)],
    ['n10 = n01 = 0 (x_1 = 1.3 x_0 + noise where positive)', () => pairRows(2000, 0.3, 0, 0, 9, (x, k) => (x[1] = x[0] > 0 ? 1.3 * x[0] + 0.01 * (k % 7) : 0))],
    ['n01 = n00 = 0 (x_0 always positive)', () => pairRows(2000, 0.2, -0.4, 0.7, 10, (x, k) => (x[0] = 0.5 + (k % 13) / 7 + x[1]))],
    ['n00 = 0 (no row with both 0)', () => pairRows(2000, 0.4, 0.1, -0.9, 11, (x, k) => (x[0] === 0 && x[1] === 0 ? (x[k % 2] = 0.1) : 0))],
  ];
  for (const [name, rows] of cases) {
    it(name, () => {
      const p = fromRows(rows());
      resetCounters();
      const r = pairwiseRho(p.st, p.b, p.s, 0, 1);
      const evaluations = pairwiseCounters.evaluations;
      const grid = pairwiseRhoGrid(p.st, p.b, p.s, 0, 1);
      expect(Number.isFinite(r.x) && r.converged).toBe(true);
      expect(Math.abs(r.x)).toBeLessThanOrEqual(RHO_MAX);
      expect(evaluations).toBeLessThanOrEqual(12);
      // a few ulps where |rho| ~ 1 - 1e-6, else a few 1e-16
      expect(Math.abs(r.x - grid.x)).toBeLessThanOrEqual(4e-15);
      expect(loglik(p, 0, 1, r.x)).toBeGreaterThanOrEqual(loglik(p, 0, 1, grid.x) - 1e-9 * Math.abs(loglik(p, 0, 1, grid.x)));
    });
  }

  it('n11 = 0 where phi_2 underflows: the grid method returns -RHO_MAX, this the inner maximum (n = 1e4)', () => {
    // Statistics of a pair with misspecified marginals (scratch search); l' = phi_2 C, and
    // phi_2 = 0 at -RHO_MAX, which the grid method takes for a maximum there.
    const p: Pair = {
      st: totalsOf({
        n: 10000,
        n11: [3107, 0, 0, 5634],
        a1: [2029.46803257399, 0, 0, 4860.86579689333],
        a2: [2160.587837860553, 0, 0, 6458.895883137084],
        g: [2160.587837860553, 0, 0, 6458.895883137084],
      }),
      b: Float64Array.of(0.34900255301036, -0.8086171649325239),
      s: Float64Array.of(0.3838750536413033, 1.9770197747051967),
    };
    const grid = pairwiseRhoGrid(p.st, p.b, p.s, 0, 1);
    const r = pairwiseRho(p.st, p.b, p.s, 0, 1);
    expect(grid.x).toBe(-RHO_MAX);
    expect(r.x).toBeCloseTo(-0.7688025108620393, 14);
    expect(loglik(p, 0, 1, r.x)).toBeGreaterThan(loglik(p, 0, 1, grid.x) + 1e5);
    // l' changes sign at r.x: + below, - above
    expect(pairwiseScore(p.st, p.b, p.s, 0, 1, r.x - 1e-9).g).toBeGreaterThan(0);
    expect(pairwiseScore(p.st, p.b, p.s, 0, 1, r.x + 1e-9).g).toBeLessThan(0);
  });

  it('a bimodal likelihood (n = 3): no certificate holds, the grid method decides', () => {
    const p: Pair = {
      st: totalsOf({
        n: 3,
        n11: [1, 1, 1, 3],
        a1: [0.33881859606708425, 0.33881859606708425, 2.4173524695369255, 5.753190552491581],
        a2: [0.11479804104087, 0.11479804104087, 5.843592961976272, 11.70767072263951],
        g: [0.11479804104087, 0.8190439699278002, 0.8190439699278002, 11.70767072263951],
      }),
      b: Float64Array.of(0.21798594575375319, 2.2961051682941616),
      s: Float64Array.of(1, 1),
    };
    resetCounters();
    const r = pairwiseRho(p.st, p.b, p.s, 0, 1);
    expect(pairwiseCounters.grid).toBe(1);
    expect(r.x).toBe(pairwiseRhoGrid(p.st, p.b, p.s, 0, 1).x);
    expect(r.x).toBeCloseTo(0.9999999140322995, 14);
    // the other local maximum, near -0.97, is lower
    expect(loglik(p, 0, 1, -0.9702494175258545)).toBeLessThan(loglik(p, 0, 1, r.x) - 5);
  });
});

describe('degenerate cells: finite, converged, at the boundary where the data are', () => {
  it('duplicate columns (R not monotone at rho -> 1, so the grid decides): RHO_MAX', () => {
    const p = fromRows(pairRows(2000, 0.3, 0, 0, 12, (x) => (x[1] = x[0])));
    const r = pairwiseRho(p.st, p.b, p.s, 0, 1);
    expect(r.x).toBe(RHO_MAX);
    expect(pairwiseRhoGrid(p.st, p.b, p.s, 0, 1).x).toBe(RHO_MAX);
  });
  it('x_1 > 0 exactly where x_0 = 0 (n11 = 0, n00 = 0): -RHO_MAX', () => {
    const p = fromRows(pairRows(2000, 0.1, 0, 0, 13, (x, k) => (x[1] = x[0] > 0 ? 0 : 0.5 + (k % 11) / 10)));
    expect(p.st.n11[1]).toBe(0);
    const r = pairwiseRho(p.st, p.b, p.s, 0, 1);
    expect(r.converged).toBe(true);
    expect(r.x).toBe(-RHO_MAX);
  });
  it("n11 = 0 with the other three cells filled: finite, the grid method's answer or better", () => {
    const p = fromRows(pairRows(2000, -1.5, -1.2, -0.6, 14, (x) => (x[0] > 0 && x[1] > 0 ? (x[1] = 0) : 0)));
    expect(p.st.n11[1]).toBe(0);
    const r = pairwiseRho(p.st, p.b, p.s, 0, 1);
    const grid = pairwiseRhoGrid(p.st, p.b, p.s, 0, 1);
    expect(Number.isFinite(r.x) && r.converged).toBe(true);
    expect(loglik(p, 0, 1, r.x)).toBeGreaterThanOrEqual(loglik(p, 0, 1, grid.x) - 1e-12 * Math.abs(loglik(p, 0, 1, grid.x)));
  });
  it('Step 2 of a fit with a perfectly correlated pair and an always-positive column: finite sigma (d = 3, n = 5000)', () => {
    const x = sample(randomModel({ d: 3, seed: 11 }), 5000, { seed: 11 });
    const data = x.data.slice();
    for (let k = 0; k < x.n; k++) {
      data[3 * k + 1] = data[3 * k];
      data[3 * k + 2] = 3 + (k % 17) / 10;
    }
    const st = totals(accumulate({ data, n: x.n, d: 3 }));
    const m = mleStep1(st, options);
    const sigma = mleStep2(st, m, options);
    expect(sigma.every(Number.isFinite)).toBe(true);
    expect(sigma[1] / (m.norms[0] * m.norms[1])).toBe(RHO_MAX);
    expect(m.warnings).toEqual([]);
  });
});

describe('the closed-form derivatives of the iterated function against central differences', () => {
  const pairs: [string, Pair][] = [
    ['rho = 0.6, n = 2000', fromRows(pairRows(2000, 0.4, -0.3, 0.6, 15))],
    ['rho = -0.8, b = (-1, 1.5)', fromRows(pairRows(2000, -1, 1.5, -0.8, 16))],
    ['n11 = 0 (C itself)', fromRows(pairRows(2000, -1.5, -1.2, -0.6, 14, (x) => (x[0] > 0 && x[1] > 0 ? (x[1] = 0) : 0)))],
  ];
  for (const [name, p] of pairs) {
    it(`${name}: g', g'', g''' to 1e-6 relative`, () => {
      const at = (r: number) => pairwiseScore(p.st, p.b, p.s, 0, 1, r);
      const h = 1e-5;
      for (const r of [-0.7, -0.2, 0.1, 0.45, 0.8]) {
        const lo = at(r - h);
        const mid = at(r);
        const hi = at(r + h);
        const close = (num: number, exact: number, scale: number) => expect(Math.abs(num - exact)).toBeLessThanOrEqual(1e-6 * scale);
        close((hi.g - lo.g) / (2 * h), mid.g1, Math.abs(mid.g1) + Math.abs(mid.g));
        close((hi.g1 - lo.g1) / (2 * h), mid.g2, Math.abs(mid.g2) + Math.abs(mid.g1));
        close((hi.g2 - lo.g2) / (2 * h), mid.g3, Math.abs(mid.g3) + Math.abs(mid.g2));
      }
    });
  }
});

describe("a fit's sigma: the new Step 2 against the grid method (d = 25, n = 2e4, standard seeds)", () => {
  it('largest change of sigma_ij <= 1e-14 sigma_i sigma_j (measured 3.4e-16)', () => {
    const st = totals(accumulate(sample(randomModel({ d: 25, seed: 1 }), 20_000, { seed: 2 })));
    const m = mleStep1(st, options);
    const sigma = mleStep2(st, m, options); // fit(x).sigma
    const d = 25;
    let worst = 0;
    for (let i = 0; i < d; i++) {
      expect(sigma[i * d + i]).toBe(m.norms[i] * m.norms[i]);
      for (let j = i + 1; j < d; j++) {
        const old = m.norms[i] * m.norms[j] * pairwiseRhoGrid(st, m.b, m.norms, i, j).x;
        worst = Math.max(worst, Math.abs(sigma[i * d + j] - old) / (m.norms[i] * m.norms[j]));
      }
    }
    expect(worst).toBeLessThanOrEqual(1e-14);
  });
});
