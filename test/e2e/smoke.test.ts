import { describe, expect, it } from 'vitest';
import { fitSync, randomModel, sample } from '../../src/index.js';

// Bounds from the estimator's own error at this n (d = 3, n = 2e4). The fit's standard errors
// are ~0.0087 for every b_i and ~0.0079 for every norm; Sigma_ii = norm_i^2 has an SE of about
// 2 x 0.0079 ~ 0.016. Measured (scratch run, not committed; truth seed 7, sample seeds 7 and
// 102..120, 20 fits), max over coordinates: |b_hat - b| 0.0052 at seed 7, at most 0.020 over the
// 20 seeds; |norm_hat - 1| 0.0050 at seed 7, at most 0.017; |Sigma_hat - W W^T| 0.011 at seed 7,
// at most 0.034. Each bound is about 3.5 SE (3 SE for Sigma's diagonal), well below the error of
// a broken Step 1 or Step 2.
const MAX_ERR_B = 0.03; // ~3.5 x SE(b_i) = 3.5 x 0.0087
const MAX_ERR_NORM = 0.028; // ~3.5 x SE(norm_i) = 3.5 x 0.0079
const MAX_ERR_SIGMA = 0.05; // ~3 x SE(Sigma_ii) ~ 3 x 0.016

describe('end to end', () => {
  it('samples a model and fits it back (d = 3, n = 2e4, seed 7)', () => {
    const truth = randomModel({ d: 3, seed: 7 });
    const x = sample(truth, 20_000, { seed: 7 });
    const est = fitSync(x);
    expect(est.d).toBe(3);
    expect(est.n).toBe(20_000);
    const { data: W, cols: k } = truth.W;
    let errB = 0;
    let errNorm = 0;
    let errSigma = 0;
    for (let i = 0; i < 3; i++) {
      errB = Math.max(errB, Math.abs(est.b[i] - truth.b[i]));
      errNorm = Math.max(errNorm, Math.abs(est.norms[i] - 1));
      for (let j = 0; j < 3; j++) {
        let s = 0;
        for (let t = 0; t < k; t++) s += W[i * k + t] * W[j * k + t];
        errSigma = Math.max(errSigma, Math.abs(est.sigma[i * 3 + j] - s));
      }
    }
    expect(errB).toBeLessThan(MAX_ERR_B);
    expect(errNorm).toBeLessThan(MAX_ERR_NORM);
    expect(errSigma).toBeLessThan(MAX_ERR_SIGMA);
  });
});
