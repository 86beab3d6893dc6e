// The bounded 1-D solvers behind Step 2.
import { describe, expect, it } from 'vitest';
import { errSigma, fitSync, randomModel, sample } from '../../../src/index.js';
import { bisectIncreasing, illinois, maximizeByScore } from '../../../src/numerics/solve.js';

describe('illinois (regula falsi with a bisection safeguard)', () => {
  it('solves smooth roots to ~1e-15', () => {
    const r = illinois((x) => Math.cos(x) - x, 0, 1, 1, Math.cos(1) - 1);
    expect(r.converged).toBe(true);
    expect(Math.abs(r.x - 0.7390851332151607)).toBeLessThan(1e-15);
  });

  it('does not stall when one end of the bracket is huge (a score of -1e18 near rho = 1)', () => {
    // the shape of a pairwise-likelihood score near the boundary: + below the root, exploding below 0 near 1
    const g = (x: number) => (0.7521 - x) / (1 - x) ** 3;
    const hi = 1 - 1e-9;
    const r = illinois(g, 0.75, hi, g(0.75), g(hi));
    expect(r.converged).toBe(true);
    expect(Math.abs(r.x - 0.7521)).toBeLessThan(1e-14);
    expect(r.iterations).toBeLessThan(150);
  });
});

describe('maximizeByScore and bisectIncreasing', () => {
  it('finds interior and boundary maxima', () => {
    const f = (x: number) => -((x - 0.3) ** 2);
    expect(maximizeByScore(f, (x) => -2 * (x - 0.3), -1, 1).x).toBeCloseTo(0.3, 14);
    const g = (x: number) => x; // increasing: maximum at the right end
    expect(maximizeByScore(g, () => 1, -1, 1).x).toBe(1);
  });
  it('bisection clamps to the ends when the target is outside the range', () => {
    expect(bisectIncreasing((x) => x, 5, -1, 1).x).toBe(1);
    expect(bisectIncreasing((x) => x, -5, -1, 1).x).toBe(-1);
  });
});

describe('regression: the Figure 1(c) kappa = 21 fit whose Step 2 once stalled', () => {
  it('converges, with err_Sigma like its neighbours (n = 5e5, d = 5)', () => {
    const truth = randomModel({ d: 5, kappa: 21, seed: 829885236 });
    const est = fitSync(sample(truth, 500_000, { seed: 3664141945 }));
    expect(est.warnings).toEqual([]);
    expect(errSigma(est, truth)).toBeLessThan(0.005);
  });
});
