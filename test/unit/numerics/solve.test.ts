// The bounded 1-D solvers behind Step 2.
import { describe, expect, it } from 'vitest';
import { errSigma, fitSync, randomModel, sample } from '../../../src/index.js';
import { bisectIncreasing, halleySingleSignChange, illinois, maximizeByScore, type Derivatives } from '../../../src/numerics/solve.js';

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

describe('halleySingleSignChange (safeguarded Halley, one sign change from + to -)', () => {
  /** g and its derivatives from closed forms; counts the evaluations. */
  function counted(f: (x: number, out: Derivatives) => void) {
    const out: Derivatives = { g: 0, g1: 0, g2: 0, g3: 0 };
    let calls = 0;
    const evaluate = (x: number, o: Derivatives) => {
      calls++;
      f(x, o);
    };
    return { out, evaluate, calls: () => calls };
  }

  it('cos x - x on [0, 1] from 0: the root to the last bit in 4 evaluations', () => {
    const c = counted((x, o) => {
      o.g = Math.cos(x) - x;
      o.g1 = -Math.sin(x) - 1;
      o.g2 = -Math.cos(x);
      o.g3 = Math.sin(x);
    });
    const r = halleySingleSignChange(c.evaluate, 0, 1, 0, c.out);
    expect(r.converged).toBe(true);
    expect(Math.abs(r.x - 0.7390851332151607)).toBeLessThanOrEqual(1.2e-16);
    expect(c.calls()).toBeLessThanOrEqual(4);
  });

  it('stops without evaluating again once the predicted error is below 2^-56', () => {
    // g = 0.3 - x + (0.3 - x)^3 from 0.2999: one Halley step leaves an error ~1e-16 |c2^2 - c3|
    const c = counted((x, o) => {
      const e = 0.3 - x;
      o.g = e + e * e * e;
      o.g1 = -1 - 3 * e * e;
      o.g2 = 6 * e;
      o.g3 = -6;
    });
    const r = halleySingleSignChange(c.evaluate, -1, 1, 0.29999, c.out);
    expect(Math.abs(r.x - 0.3)).toBeLessThanOrEqual(6e-17);
    expect(c.calls()).toBe(2);
  });

  it('a maximum at an end: g > 0 throughout returns hi, g < 0 throughout returns lo', () => {
    const up = counted((x, o) => {
      o.g = 2 - x;
      o.g1 = -1;
      o.g2 = 0;
      o.g3 = 0;
    });
    const hi = halleySingleSignChange(up.evaluate, -1, 1, 0, up.out);
    expect(hi).toEqual({ x: 1, converged: true, iterations: 1 });
    const down = counted((x, o) => {
      o.g = -2 - x;
      o.g1 = -1;
      o.g2 = 0;
      o.g3 = 0;
    });
    expect(halleySingleSignChange(down.evaluate, -1, 1, 0, down.out)).toEqual({ x: -1, converged: true, iterations: 1 });
  });

  it("where g' > 0 (g increasing on the way to the root) it still converges, by bisection", () => {
    // g = (0.8 - x) exp(5 x^2): g' = exp(5 x^2) (10 x (0.8 - x) - 1) > 0 around x = 0.4
    const c = counted((x, o) => {
      const e = Math.exp(5 * x * x);
      const p = 0.8 - x;
      o.g = p * e;
      o.g1 = e * (10 * x * p - 1);
      o.g2 = e * (10 * x * (10 * x * p - 1) + 10 * p - 20 * x);
      o.g3 = Number.NaN;
    });
    const r = halleySingleSignChange(c.evaluate, 0, 1, 0.4, c.out);
    expect(r.converged).toBe(true);
    expect(Math.abs(r.x - 0.8)).toBeLessThanOrEqual(2e-16);
    expect(c.calls()).toBeLessThanOrEqual(60);
  });

  it('useless derivatives (g1 = 0, NaN): bisection to the bracket width, no hang', () => {
    const c = counted((x, o) => {
      o.g = 0.3 - x;
      o.g1 = 0;
      o.g2 = Number.NaN;
      o.g3 = Number.NaN;
    });
    const r = halleySingleSignChange(c.evaluate, -1, 1, 0, c.out);
    expect(r.converged).toBe(true);
    expect(Math.abs(r.x - 0.3)).toBeLessThanOrEqual(4e-16);
    expect(r.iterations).toBeLessThanOrEqual(60);
    const stuck = counted((_x, o) => {
      o.g = 1;
      o.g1 = Number.NaN;
      o.g2 = Number.NaN;
      o.g3 = Number.NaN;
    });
    expect(halleySingleSignChange(stuck.evaluate, -1, 1, 0, stuck.out)).toEqual({ x: 1, converged: true, iterations: 1 });
  });

  it('a bounded number of evaluations: maxIter, then converged = false', () => {
    const c = counted((_x, o) => {
      // a sign change the bracket cannot narrow: g alternates in sign at every evaluation
      o.g = c.calls() % 2 ? 1 : -1;
      o.g1 = 0;
      o.g2 = 0;
      o.g3 = 0;
    });
    const r = halleySingleSignChange(c.evaluate, -1, 1, 0, c.out, 2 ** -56, 20);
    expect(r).toMatchObject({ converged: false, iterations: 20 });
    expect(c.calls()).toBe(21);
  });
});
