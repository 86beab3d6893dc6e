// The Monte Carlo TV estimators (src/model/tv.ts) against numerical integration.
//
// In d = 1 and d = 2 every face density is exact (orthant dimension <= 2), so the only error
// is Monte Carlo: the estimate must lie within 3 standard errors of
//   TV = (1/2) sum over faces S of int |p_S - q_S| dx_S,
// computed here independently from the covariance formulas (no Cholesky), with the atom at 0
// from Phi / Phi_2, the one-dimensional face integrals by composite Simpson (20000
// intervals) and the two-dimensional one by the midpoint rule on a 1200 x 1200 grid. The
// quadrature errors (below 1e-5, checked by halving the step) are far under the standard
// errors (~2e-3 with 40000 draws).
// The GHK orthant probabilities (dimension >= 3) are checked against the closed form of the
// trivariate centred orthant, 1/8 + (asin r12 + asin r13 + asin r23) / (4 pi), and against a
// product of exact factors when a coordinate is independent.
import { describe, expect, it } from 'vitest';
import { bvnCdf } from '../../../src/numerics/bvn.js';
import { orderedCholesky } from '../../../src/model/cholesky.js';
import { orthantProbability } from '../../../src/model/orthant-probability.js';
import { tvDistances } from '../../../src/index.js'; // also relu-density/experiments' (experiment.test.ts)
import { Phi } from '../../../src/numerics/normal-cdf.js';

const DRAWS = 40_000;

function npdf(x: number, m: number, v: number): number {
  return Math.exp(-((x - m) ** 2) / (2 * v)) / Math.sqrt(2 * Math.PI * v);
}

function simpson(f: (x: number) => number, a: number, b: number, n = 20_000): number {
  const h = (b - a) / n;
  let s = f(a) + f(b);
  for (let i = 1; i < n; i++) s += (i % 2 === 1 ? 4 : 2) * f(a + i * h);
  return (s * h) / 3;
}

interface G1 {
  b: number;
  s: number;
}
/** TV(ReLU(N(b1, s1^2)), ReLU(N(b2, s2^2))) by quadrature. */
function tv1(p: G1, q: G1): number {
  const atom = Math.abs(Phi(-p.b / p.s) - Phi(-q.b / q.s));
  const upper = Math.max(p.b + 12 * p.s, q.b + 12 * q.s);
  const cont = simpson((x) => Math.abs(npdf(x, p.b, p.s * p.s) - npdf(x, q.b, q.s * q.s)), 0, upper);
  return 0.5 * (atom + cont);
}

interface G2 {
  b: [number, number];
  S: [[number, number], [number, number]];
}
/** Density of ReLU(N(b, S)) on the face {x_i > 0, x_j = 0} at x_i. */
function edge(g: G2, i: number, xi: number): number {
  const j = 1 - i;
  const vi = g.S[i][i];
  const m = g.b[j] + (g.S[j][i] / vi) * (xi - g.b[i]);
  const v = g.S[j][j] - (g.S[j][i] * g.S[j][i]) / vi;
  return npdf(xi, g.b[i], vi) * Phi(-m / Math.sqrt(v));
}
function bvnPdf(g: G2, x1: number, x2: number): number {
  const [[a, c], [, e]] = g.S;
  const det = a * e - c * c;
  const u = x1 - g.b[0];
  const v = x2 - g.b[1];
  return Math.exp(-(e * u * u - 2 * c * u * v + a * v * v) / (2 * det)) / (2 * Math.PI * Math.sqrt(det));
}
function atom2(g: G2): number {
  const s1 = Math.sqrt(g.S[0][0]);
  const s2 = Math.sqrt(g.S[1][1]);
  return bvnCdf(-g.b[0] / s1, -g.b[1] / s2, g.S[0][1] / (s1 * s2));
}
/** TV(ReLU(N(b1, S1)), ReLU(N(b2, S2))) in d = 2 by quadrature. */
function tv2(p: G2, q: G2, grid = 1200): number {
  let total = Math.abs(atom2(p) - atom2(q));
  for (const i of [0, 1]) {
    const upper = Math.max(p.b[i] + 12 * Math.sqrt(p.S[i][i]), q.b[i] + 12 * Math.sqrt(q.S[i][i]));
    total += simpson((x) => Math.abs(edge(p, i, x) - edge(q, i, x)), 0, upper);
  }
  const u1 = Math.max(p.b[0] + 9 * Math.sqrt(p.S[0][0]), q.b[0] + 9 * Math.sqrt(q.S[0][0]));
  const u2 = Math.max(p.b[1] + 9 * Math.sqrt(p.S[1][1]), q.b[1] + 9 * Math.sqrt(q.S[1][1]));
  const h1 = u1 / grid;
  const h2 = u2 / grid;
  let inner = 0;
  for (let a = 0; a < grid; a++) {
    const x1 = (a + 0.5) * h1;
    for (let c = 0; c < grid; c++) {
      const x2 = (c + 0.5) * h2;
      inner += Math.abs(bvnPdf(p, x1, x2) - bvnPdf(q, x1, x2));
    }
  }
  return 0.5 * (total + inner * h1 * h2);
}

/** A model { W, b } with W the lower Cholesky factor of S (so W W^T = S). */
function model2(g: G2) {
  const l00 = Math.sqrt(g.S[0][0]);
  const l10 = g.S[1][0] / l00;
  const l11 = Math.sqrt(g.S[1][1] - l10 * l10);
  return {
    W: [
      [l00, 0],
      [l10, l11],
    ],
    b: g.b,
  };
}

describe('rectified TV in d = 1 agrees with quadrature within 3 SE', () => {
  const cases: [G1, G1][] = [
    [
      { b: 0.3, s: 1 },
      { b: 0.5, s: 1.2 },
    ],
    [
      { b: 0, s: 1 },
      { b: 0.05, s: 1.02 },
    ],
    [
      { b: -0.5, s: 1 },
      { b: 0.2, s: 0.8 },
    ],
    [
      { b: 1.5, s: 0.5 },
      { b: 0, s: 2 },
    ],
  ];
  cases.forEach(([p, q], c) => {
    it(`case ${c}: N(${p.b}, ${p.s}^2) vs N(${q.b}, ${q.s}^2)`, () => {
      const want = tv1(p, q);
      const got = tvDistances({ W: [[p.s]], b: [p.b] }, { W: [[q.s]], b: [q.b] }, { draws: DRAWS, seed: 11 + c });
      expect(Math.abs(got.rectified.value - want)).toBeLessThan(3 * got.rectified.se);
      // In d = 1 rectification merges the negative half-line into the atom, nothing else.
      expect(got.gap.value).toBeGreaterThan(-3 * got.gap.se);
    });
  });
});

describe('rectified TV in d = 2 agrees with quadrature within 3 SE', () => {
  const cases: [G2, G2][] = [
    [
      {
        b: [0.3, 0.1],
        S: [
          [1, 0.3],
          [0.3, 1],
        ],
      },
      {
        b: [0.4, 0.0],
        S: [
          [1.1, 0.2],
          [0.2, 0.9],
        ],
      },
    ],
    [
      {
        b: [0, 0.8],
        S: [
          [1, -0.6],
          [-0.6, 1],
        ],
      },
      {
        b: [0.02, 0.78],
        S: [
          [1.02, -0.62],
          [-0.62, 0.99],
        ],
      },
    ],
    [
      {
        b: [-0.4, 0.5],
        S: [
          [0.5, 0.4],
          [0.4, 1.5],
        ],
      },
      {
        b: [0.3, 0.2],
        S: [
          [1, 0],
          [0, 1],
        ],
      },
    ],
  ];
  cases.forEach(([p, q], c) => {
    it(`case ${c}`, () => {
      const want = tv2(p, q);
      const got = tvDistances(model2(p), model2(q), { draws: DRAWS, seed: 21 + c });
      expect(Math.abs(got.rectified.value - want)).toBeLessThan(3 * got.rectified.se);
      expect(got.gap.value).toBeGreaterThan(-3 * got.gap.se);
    });
  });

  it('the quadrature is converged (halving the 2-d grid step moves it by < 1e-4)', () => {
    const [p, q] = cases[0];
    expect(Math.abs(tv2(p, q, 600) - tv2(p, q, 1200))).toBeLessThan(1e-4);
  });
});

describe('GHK orthant probabilities (dimension >= 3)', () => {
  function factor(S: number[][]): Float64Array {
    const d = S.length;
    return orderedCholesky(
      'S',
      Float64Array.from(S.flat()),
      d,
      Int32Array.from({ length: d }, (_, i) => i),
      new Float64Array(d * d),
    );
  }
  function estimate(mu: number[], S: number[][], points: number, shifts: number): { mean: number; se: number } {
    const d = S.length;
    const L = factor(S);
    const vals: number[] = [];
    // Shifts from a fixed golden-ratio sequence: deterministic, and spread over the cube like
    // the random shifts tv.ts draws.
    for (let r = 0; r < shifts; r++) {
      const shift = Array.from({ length: d }, (_, j) => ((r + 1) * 0.6180339887498949 * (j + 1)) % 1);
      vals.push(orthantProbability(Float64Array.from(mu), d, L, 0, d, points, shift, new Float64Array(d)));
    }
    const mean = vals.reduce((a, b) => a + b, 0) / shifts;
    const sd = Math.sqrt(vals.reduce((a, b) => a + (b - mean) ** 2, 0) / (shifts - 1));
    return { mean, se: sd / Math.sqrt(shifts) };
  }

  it('centred trivariate orthant = 1/8 + sum asin(r_ij) / (4 pi)', () => {
    const r = [0.5, -0.3, 0.2];
    const S = [
      [1, r[0], r[1]],
      [r[0], 1, r[2]],
      [r[1], r[2], 1],
    ];
    const want = 1 / 8 + (Math.asin(r[0]) + Math.asin(r[1]) + Math.asin(r[2])) / (4 * Math.PI);
    const got = estimate([0, 0, 0], S, 256, 40);
    expect(Math.abs(got.mean - want)).toBeLessThan(Math.max(3 * got.se, 1e-4));
    expect(Math.abs(got.mean - want)).toBeLessThan(2e-3);
  });

  it('with an independent coordinate: Phi_2 x Phi, nonzero mean', () => {
    const S = [
      [1, 0.6, 0],
      [0.6, 2, 0],
      [0, 0, 0.5],
    ];
    const mu = [0.3, -0.4, 0.2];
    const want = bvnCdf(-0.3, 0.4 / Math.sqrt(2), 0.6 / Math.sqrt(2)) * Phi(-0.2 / Math.sqrt(0.5));
    const got = estimate(mu, S, 256, 40);
    expect(Math.abs(got.mean - want)).toBeLessThan(2e-3);
  });
});

describe('tvDistances in d = 5 (GHK faces)', () => {
  const p = {
    W: [
      [1, 0, 0, 0, 0],
      [0.3, 0.9, 0, 0, 0],
      [0, 0.2, 1, 0, 0],
      [0.1, 0, 0.4, 0.8, 0],
      [0, 0.3, 0, 0.2, 1],
    ],
    b: [0.2, 0, 0.5, 0.1, 0],
  };
  const q = { W: p.W.map((row, i) => row.map((v, j) => v * (1 + 0.05 * Math.sin(i + 2 * j)))), b: [0.25, 0.02, 0.45, 0.1, 0.03] };

  it('does not depend on the number of lattice points beyond the standard errors', () => {
    const coarse = tvDistances(p, q, { draws: 8000, points: 4, seed: 5 });
    const fine = tvDistances(p, q, { draws: 8000, points: 256, seed: 6 });
    const se = Math.hypot(coarse.rectified.se, fine.rectified.se);
    expect(Math.abs(coarse.rectified.value - fine.rectified.value)).toBeLessThan(3 * se);
    expect(fine.rectified.value).toBeLessThan(fine.gaussian.value + 3 * fine.gap.se);
  });

  it('is seeded and validates its inputs', () => {
    const a = tvDistances(p, q, { draws: 200, seed: 3 });
    expect(tvDistances(p, q, { draws: 200, seed: 3 })).toEqual(a);
    expect(() => tvDistances(p, { W: [[1]], b: [0] })).toThrow(RangeError);
    expect(() => tvDistances(p, q, { draws: 2 })).toThrow(RangeError);
    expect(() => tvDistances(p, { W: p.W.map(() => [0, 0, 0, 0, 0]), b: p.b })).toThrow(/positive definite/);
  });
});
