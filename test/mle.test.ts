// The default estimator ('mle') against the targets of the estimator study (issue 3).
// Instances by the paper's recipe (randomModel); fixed seeds; n and tolerances in the names.
import { describe, expect, it } from 'vitest';
import { errB, errSigma, fitSync, randomModel, sample, type RandomModelOptions } from '../src/index.js';

interface Errors { errB: number[]; errSigma: number[] }

function errors(instances: number, n: number, recipe: RandomModelOptions, method: 'mle' | 'paper' = 'mle'): Errors {
  const out: Errors = { errB: [], errSigma: [] };
  for (let s = 1; s <= instances; s++) {
    const truth = randomModel({ d: 5, ...recipe, seed: s });
    const est = fitSync(sample(truth, n, { seed: 5000 + s }), { method });
    out.errB.push(errB(est, truth));
    out.errSigma.push(errSigma(est, truth));
  }
  return out;
}
const mean = (a: number[]) => a.reduce((p, c) => p + c, 0) / a.length;
const median = (a: number[]) => {
  const s = [...a].sort((x, y) => x - y);
  return 0.5 * (s[(s.length - 1) >> 1] + s[s.length >> 1]);
};

describe('default estimator on Figure 1 instances (d = k = 5, 10 instances, seeds 1..10)', () => {
  it('n = 2e4: mean err_b <= 0.012 and err_Sigma <= 0.016 (the paper method: ~0.10, ~0.17)', () => {
    const e = errors(10, 20_000, {});
    expect(mean(e.errB)).toBeLessThanOrEqual(0.012);
    expect(mean(e.errSigma)).toBeLessThanOrEqual(0.016);
  });
  it('n = 2e5: mean err_b <= 0.004 and err_Sigma <= 0.006', () => {
    const e = errors(10, 200_000, {});
    expect(mean(e.errB)).toBeLessThanOrEqual(0.004);
    expect(mean(e.errSigma)).toBeLessThanOrEqual(0.006);
  });
  it('correlated rows (W* = randn(d, d) / sqrt(d)), n = 2e5: mean err_Sigma <= 0.006', () => {
    const e = errors(10, 200_000, { rows: 'gaussian' });
    expect(mean(e.errSigma)).toBeLessThanOrEqual(0.006);
  });
});

describe('negative biases (b* = randn(d), W* = randn(d, d) / sqrt(d)), d = 5, n = 2e5, 11 instances', () => {
  it('median err_Sigma and err_b <= 0.015, far below the paper method', () => {
    const mle = errors(11, 200_000, { rows: 'gaussian', bias: 'gaussian' });
    const paper = errors(11, 200_000, { rows: 'gaussian', bias: 'gaussian' }, 'paper');
    expect(median(mle.errSigma)).toBeLessThanOrEqual(0.015);
    expect(median(mle.errB)).toBeLessThanOrEqual(0.015);
    // The paper's method clips b at 0, so it cannot follow negative biases.
    expect(median(paper.errB)).toBeGreaterThan(10 * median(mle.errB));
    expect(median(paper.errSigma)).toBeGreaterThan(10 * median(mle.errSigma));
  });
});
