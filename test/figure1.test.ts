// Figure 1(a) of Wu, Dimakis & Sanghavi (NeurIPS 2019): the paper's method on d = k = 5,
// kappa = 1 instances (b* = max(0, randn), W* = U of an SVD). The paper's values are read
// off the plot (../shared/paper/figure1.json, good to about +-0.005).
// Measured with this package over 100 instances (seeds 1..100): n = 2e4: err_b 0.105 (sd
// 0.027), err_Sigma 0.178 (sd 0.046); n = 2e5: err_b 0.022 (sd 0.008), err_Sigma 0.042 (sd
// 0.016). With 20 instances the standard error of a mean is at most 9% of it, so the 35%
// band is about 4 standard errors wide.
import { describe, expect, it } from 'vitest';
import { errB, errSigma, fitSync, randomModel, sample } from '../src/index.js';

const PAPER = {
  20_000: { errB: 0.101, errSigma: 0.177 },
  200_000: { errB: 0.021, errSigma: 0.041 },
} as const;
const INSTANCES = 20;

function meanErrors(n: number): { errB: number; errSigma: number } {
  let eb = 0;
  let es = 0;
  for (let s = 1; s <= INSTANCES; s++) {
    const truth = randomModel({ d: 5, seed: s });
    const est = fitSync(sample(truth, n, { seed: 1000 + s }), { method: 'paper', seed: s });
    eb += errB(est, truth);
    es += errSigma(est, truth);
  }
  return { errB: eb / INSTANCES, errSigma: es / INSTANCES };
}

describe('Figure 1(a), paper method, d = k = 5, 20 instances (seeds 1..20)', () => {
  for (const n of [20_000, 200_000] as const) {
    it(`n = ${n}: mean err_b and err_Sigma within 35% of the paper`, () => {
      const got = meanErrors(n);
      const want = PAPER[n];
      expect(Math.abs(got.errB / want.errB - 1)).toBeLessThan(0.35);
      expect(Math.abs(got.errSigma / want.errSigma - 1)).toBeLessThan(0.35);
    });
  }
});
