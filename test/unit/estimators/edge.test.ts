// Degenerate data: clear errors or documented finite results, never NaN, never a hang.
import { describe, expect, it } from 'vitest';
import { fitSync, fitToJSON, randomModel, sample, type FitResult, type Samples } from '../../../src/index.js';

function allFinite(r: FitResult): boolean {
  const arrays = [r.b, r.sigma, r.norms, r.model.W.data, r.model.b, ...(r.standardErrors ? [r.standardErrors.b, r.standardErrors.norms] : [])];
  return arrays.every((a) => a.every((v) => Number.isFinite(v)));
}

/** Base data (d = 3, n = 5000, seed 11) with column `col` replaced by f(row). */
function withColumn(col: number, f: (r: number, x: Samples) => number): Samples {
  const x = sample(randomModel({ d: 3, seed: 11 }), 5000, { seed: 11 });
  const data = x.data.slice();
  for (let r = 0; r < x.n; r++) data[r * 3 + col] = f(r, x);
  return { data, n: x.n, d: 3 };
}

describe('degenerate columns (d = 3, n = 5000)', () => {
  it('a column that is never positive: RangeError naming it, for both methods', () => {
    const x = withColumn(1, () => 0);
    expect(() => fitSync(x)).toThrow(/coordinate 1 is never positive/);
    expect(() => fitSync(x, { method: 'paper' })).toThrow(/coordinate 1 has 0 positive values/);
  });

  it('an all-positive column: a finite fit (the censored MLE becomes the normal MLE)', () => {
    const x = withColumn(2, (r) => 3 + Math.sin(r)); // spread, never zero
    const r = fitSync(x);
    expect(allFinite(r)).toBe(true);
    expect(r.diagnostics.positives[2]).toBe(5000);
  });

  it('a column with one distinct positive value among zeros: finite, with its positives counted', () => {
    const x = withColumn(0, (r) => (r % 3 === 0 ? 1.5 : 0));
    const r = fitSync(x);
    expect(allFinite(r)).toBe(true);
    // the paper's method standardises the positives by their spread: none -> clear error
    expect(() => fitSync(x, { method: 'paper' })).toThrow(/coordinate 0 are all equal/);
    // the truncated MLE cannot fit a point mass either
    expect(() => fitSync(x, { step1: 'truncated' })).toThrow(/coordinate 0 has 1667 positive values with no spread/);
  });

  it('a column that is always the same positive value: RangeError', () => {
    expect(() => fitSync(withColumn(0, () => 2))).toThrow(/every value of coordinate 0 equals 2/);
  });

  it('a single positive value: finite, with a warning about too few positives', () => {
    const r = fitSync(withColumn(2, (row) => (row === 17 ? 0.7 : 0)));
    expect(allFinite(r)).toBe(true);
    expect(r.warnings.some((w) => w.startsWith('coordinate 2: only 1 of 5000'))).toBe(true);
  });

  it('perfectly correlated columns: correlation at the boundary, finite PSD model', () => {
    const x = withColumn(1, (r, base) => base.data[r * 3]);
    for (const step2 of ['pairwise', 'moment', 'orthant'] as const) {
      const r = fitSync(x, { step2 });
      expect(allFinite(r)).toBe(true);
      const rho = r.sigma[1] / (r.norms[0] * r.norms[1]);
      expect(rho).toBeGreaterThan(0.999);
      expect(r.diagnostics.minEigenvalue).toBeGreaterThan(-1e-3);
    }
    expect(allFinite(fitSync(x, { method: 'paper' }))).toBe(true);
  });

  it('d = 1 and n = 2 fit without NaN (when there is something to fit)', () => {
    expect(allFinite(fitSync({ data: Float64Array.from([0, 1.5]), n: 2, d: 1 }))).toBe(true);
  });
});

describe('determinism', () => {
  const x = sample(randomModel({ d: 4, seed: 5 }), 20_000, { seed: 6 });
  const strip = (r: FitResult) => ({ ...fitToJSON(r), diagnostics: { ...fitToJSON(r).diagnostics, timings: {} } });
  it('same seed, same fit (paper method); different seeds differ', () => {
    expect(strip(fitSync(x, { method: 'paper', seed: 3 }))).toEqual(strip(fitSync(x, { method: 'paper', seed: 3 })));
    expect(fitSync(x, { method: 'paper', seed: 3 }).b).not.toEqual(fitSync(x, { method: 'paper', seed: 4 }).b);
  });
  it('the default fit is a function of the data alone', () => {
    expect(strip(fitSync(x))).toEqual(strip(fitSync(x)));
  });
});

describe('assumeNonnegativeBias and the other steps', () => {
  const truth = randomModel({ d: 4, seed: 8, bias: 'gaussian', rows: 'gaussian' });
  const x = sample(truth, 50_000, { seed: 8 });
  it('clips to the constrained MLE: b >= 0 and equal to the free fit where that is >= 0', () => {
    const free = fitSync(x);
    const clipped = fitSync(x, { assumeNonnegativeBias: true });
    for (let i = 0; i < 4; i++) {
      expect(clipped.b[i]).toBeGreaterThanOrEqual(0);
      if (free.b[i] >= 0) expect(clipped.b[i]).toBe(free.b[i]);
    }
    expect(Array.from(free.b).some((v) => v < 0)).toBe(true); // the instance has a negative bias
  });
  // The paper's SGD (step1 'sgd') is built for b >= 0, so the combinations use such a model.
  it('every step1 x step2 combination gives finite estimates near the truth (b >= 0, n = 5e4)', () => {
    const truth = randomModel({ d: 4, seed: 9, rows: 'gaussian' });
    const x = sample(truth, 50_000, { seed: 9 });
    for (const step1 of ['censored', 'truncated', 'sgd'] as const) {
      for (const step2 of ['pairwise', 'moment', 'orthant'] as const) {
        const r = fitSync(x, { step1, step2 });
        expect(allFinite(r)).toBe(true);
        const sigma = r.sigma;
        for (let i = 0; i < 4; i++) {
          for (let j = 0; j < 4; j++) {
            let s = 0;
            for (let l = 0; l < 4; l++) s += truth.W.data[i * 4 + l] * truth.W.data[j * 4 + l];
            expect(Math.abs(sigma[i * 4 + j] - s)).toBeLessThan(step1 === 'censored' ? 0.05 : 0.15);
          }
        }
      }
    }
  });
});
