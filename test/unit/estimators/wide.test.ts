// A wide fit in the normal suite: d = 512 (130816 pairs), n = 2e4, on the Wasm kernels
// (the twins take minutes at this size; test/unit/backend/kernels.test.ts checks them
// against Wasm up to d = 300). The paper's recipe (orthogonal rows; its SVD takes ~4 s at
// this d). Measured: errB 0.0077, errSigma 0.0089, the correlation's smallest eigenvalue
// 0.436, so the projection is the Cholesky path; the fit ~1 s (statistics 0.75 s). With
// gaussian rows the estimate is indefinite at this n (smallest eigenvalue -0.147).
import { describe, expect, it } from 'vitest';
import { fitWith } from '../../../src/fit.js';
import { sampleWith } from '../../../src/sample.js';
import { wasmBackend } from '../../../src/backend/wasm/backend.js';
import { errB, errSigma, randomModel } from '../../../src/index.js';
import { gram } from '../../../src/estimators/gram.js';

const d = 512;
const n = 20_000;
const truth = randomModel({ d, seed: 11 });
const x = sampleWith(truth, n, { seed: 12 }, wasmBackend());
const fit = fitWith(x, undefined, wasmBackend());

describe(`a wide fit: d = ${d}, n = ${n}, seed 11 / 12`, () => {
  it('errB and errSigma within 3 / sqrt(n) (each entry is estimated from all n rows)', () => {
    expect(errB(fit, truth)).toBeLessThan(3 / Math.sqrt(n));
    expect(errSigma(fit, truth)).toBeLessThan(3 / Math.sqrt(n));
  });

  it('every correlation within 6 x (1 - rho^2 + 0.05) / sqrt(n11) of the truth (a standard error, kept off 0 near |rho| = 1)', () => {
    const S = gram(truth.W.data, d, d);
    let worst = 0;
    for (let i = 0; i < d; i++) {
      for (let j = i + 1; j < d; j++) {
        const rho = S[i * d + j] / Math.sqrt(S[i * d + i] * S[j * d + j]);
        const est = fit.sigma[i * d + j] / (fit.norms[i] * fit.norms[j]);
        const n11 = Math.min(fit.diagnostics.positives[i], fit.diagnostics.positives[j]);
        worst = Math.max(worst, Math.abs(est - rho) / ((1 - rho * rho + 0.05) / Math.sqrt(n11)));
      }
    }
    expect(worst).toBeLessThan(6);
  });

  it('the model is the Cholesky factor of the fitted correlation, scaled: W W^T = Sigma to 1e-12', () => {
    const W = fit.model.W.data;
    for (let i = 0; i < d; i++) for (let j = i + 1; j < d; j++) expect(W[i * d + j]).toBe(0);
    const M = gram(W, d, d);
    let err = 0;
    for (let e = 0; e < d * d; e++) err = Math.max(err, Math.abs(M[e] - fit.sigma[e]) / Math.sqrt(M[((e / d) | 0) * (d + 1)] * M[(e % d) * (d + 1)]));
    expect(err).toBeLessThan(1e-12);
    expect(fit.diagnostics.minEigenvalue).toBeGreaterThan(0);
  });
});
