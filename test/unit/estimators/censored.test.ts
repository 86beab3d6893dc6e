// Step 1 of the default estimator alone: the censored-normal MLE from simulated sufficient
// statistics is efficient (its RMSE attains the Cramer-Rao bound of the censored model).
import { describe, expect, it } from 'vitest';
import { censoredMle, censoredStart } from '../../../src/estimators/censored.js';
import { mills, Phi, phi } from '../../../src/numerics/normal-cdf.js';
import { wasmBackend } from '../../../src/backend/wasm/backend.js';

/** CRB of b for one observation's worth of n observations (sigma = 1): Olsen's expected Hessian, delta method. */
function crbB(b: number, n: number): number {
  const t = b;
  const pm = Phi(t);
  const p0 = Phi(-t);
  const es1 = t * pm + phi(t);
  const es2 = (t * t + 1) * pm + t * phi(t);
  const lam = mills(t);
  const igg = pm + es2; // -H_gg at g = 1
  const igt = -es1;
  const itt = p0 * lam * (lam - t) + pm;
  const det = igg * itt - igt * igt;
  const cgg = itt / det / n;
  const cgt = -igt / det / n;
  const ctt = igg / det / n;
  // b = t / g: gradient (-t, 1) at g = 1
  return t * t * cgg - 2 * t * cgt + ctt;
}

describe('censored-normal MLE (Step 1), sigma = 1, n = 2e4, 1000 replications each', () => {
  const n = 20_000;
  const reps = 1000;
  const backend = wasmBackend();
  for (const b of [-1, 0, 1, 2]) {
    it(`b = ${b}: RMSE of b_hat within 10% of the Cramer-Rao bound; standard errors match`, () => {
      let se2 = 0;
      let meanSe = 0;
      for (let r = 0; r < reps; r++) {
        const z = backend.normals(77 + b + 10, r, n);
        let m = 0,
          s1 = 0,
          s2 = 0;
        for (let k = 0; k < n; k++) {
          const y = b + z[k];
          if (y > 0) {
            m++;
            s1 += y;
            s2 += y * y;
          }
        }
        const f = censoredMle({ n, m, s1, s2 });
        expect(f.converged).toBe(true);
        se2 += (f.b - b) ** 2;
        meanSe += f.seB / reps;
      }
      const rmse = Math.sqrt(se2 / reps);
      const bound = Math.sqrt(crbB(b, n));
      expect(Math.abs(rmse / bound - 1)).toBeLessThan(0.1);
      // The reported standard error (observed information) estimates the same quantity.
      expect(Math.abs(meanSe / bound - 1)).toBeLessThan(0.05);
    });
  }

  it('the closed-form start is finite and near the truth (b = 0.5, n = 2e4)', () => {
    const z = backend.normals(5, 0, n);
    let m = 0,
      s1 = 0,
      s2 = 0;
    for (const v of z)
      if (v + 0.5 > 0) {
        m++;
        s1 += v + 0.5;
        s2 += (v + 0.5) ** 2;
      }
    const s = censoredStart({ n, m, s1, s2 });
    expect(Math.abs(s.b - 0.5)).toBeLessThan(0.05);
    expect(Math.abs(s.sigma - 1)).toBeLessThan(0.05);
  });
});
