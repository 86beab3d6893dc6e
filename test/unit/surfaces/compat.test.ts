// relu-density/compat against the package itself: main(samples) on a d x n matrix is
// fit(samples^T, { method: 'paper', seed }) bit for bit; NormBiasEst of one row's positives
// (with the row's stream) is main's estimate for that row, bit for bit; NormBiasEst is
// projSGD on the standardised values; sampleTrunGauss draws the truncated normal exactly.
// Runs on both test projects (RELU_DENSITY_BACKEND=js too): the identities hold on each backend.
import { Matrix } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { main, NormBiasEst, projSGD, sampleTrunGauss, type MatlabMatrix } from '../../../src/compat/index.js';
import { fit, fitSync, randomModel, sample, type Samples } from '../../../src/index.js';
import { kernelsSync } from '../../../src/kernels/index.js';
import { mills } from '../../../src/numerics/normal-cdf.js';

const d = 4;
const n = 20_000;
const truth = randomModel({ d, seed: 31 });
const x: Samples = sample(truth, n, { seed: 32 });
/** x (n x d row-major) as MATLAB's d x n samples: the same memory, column-major. */
const samples: MatlabMatrix = { data: x.data, rows: d, cols: n };
/** Row i of samples (MATLAB samples(i, :)) as a number[]. */
const row = (i: number) => Array.from({ length: n }, (_, j) => x.data[j * d + i]);

describe('main(samples): the reference main.m', () => {
  it("equals fit(samples', { method: 'paper', seed }) bit for bit (fitSync and fit)", async () => {
    for (const seed of [0, 7]) {
      const r = main(samples, { seed });
      const f = fitSync(x, { method: 'paper', seed });
      expect(r.bHat).toEqual(f.b);
      expect(r.sigmaHat).toEqual({ data: f.sigma, rows: d, cols: d });
      expect(r.sigmaHat.data).toEqual((await fit(x, { method: 'paper', seed })).sigma);
    }
    expect(main(samples).bHat).toEqual(main(samples, { seed: 0 }).bHat); // seed 0 by default
  });

  it('takes d x n as column-major data, rows of numbers, or an ml-matrix Matrix, with the same result', () => {
    const rows = Array.from({ length: d }, (_, i) => row(i));
    const want = main(samples, { seed: 3 });
    expect(main(rows, { seed: 3 })).toEqual(want);
    expect(main(new Matrix(rows), { seed: 3 })).toEqual(want);
  });

  it('reads as main.m: sigma_hat(i,i) = sigma2_hat, sigma_hat(i,j) = sqrt(sigma_ii sigma_jj) cos(pi - 2 pi N_ij / n), b_hat >= 0', () => {
    const { sigmaHat, bHat } = main(samples, { seed: 5 });
    const s = sigmaHat.data;
    for (let i = 0; i < d; i++) {
      expect(bHat[i]).toBeGreaterThanOrEqual(0);
      for (let j = i + 1; j < d; j++) {
        let both = 0;
        for (let r = 0; r < n; r++) if (x.data[r * d + i] > bHat[i] && x.data[r * d + j] > bHat[j]) both++;
        const theta = Math.PI - (2 * Math.PI * both) / n;
        expect(s[i + d * j]).toBeCloseTo(Math.sqrt(s[i * (d + 1)] * s[j * (d + 1)]) * Math.cos(theta), 14);
        expect(s[i + d * j]).toBe(s[j + d * i]);
      }
    }
  });

  it('names bad entries and rows the MATLAB way (1-based)', () => {
    expect(() =>
      main([
        [1, 2, 3],
        [0.5, -1, 2],
      ]),
    ).toThrow(new RangeError('samples(2,2) is -1; samples of ReLU(Wz + b) cannot be negative'));
    expect(() => main({ data: Float64Array.of(1, Number.NaN), rows: 1, cols: 2 })).toThrow(new RangeError('samples(1,2) is NaN; every value must be finite'));
    const few = [Array.from({ length: 50 }, (_, j) => 1 + (j % 7)), Array.from({ length: 50 }, (_, j) => (j < 9 ? 1 + j : 0))];
    expect(() => main(few)).toThrow(new RangeError("samples: row 2 has 9 positive values; the paper's Step 1 needs at least 10 (one SGD batch)"));
    const flat = [Array.from({ length: 50 }, (_, j) => 1 + (j % 7)), Array.from({ length: 50 }, (_, j) => (j < 20 ? 2.5 : 0))];
    expect(() => main(flat)).toThrow(new RangeError("samples: the positive values of row 2 are all equal (2.5); the paper's Step 1 needs their spread"));
    expect(() => main({ data: new Float64Array(6), rows: 2, cols: 2 })).toThrow(new RangeError('samples.data has length 6, but rows x cols = 2 x 2 = 4'));
    expect(() => main([[1, 2], [3]])).toThrow(new RangeError('samples is ragged: row 1 has 2 entries but row 2 has 1'));
    expect(() => main(x as never)).toThrow(TypeError);
    expect(() => main(samples, { stream: 1 } as never)).toThrow(RangeError);
  });
});

describe('NormBiasEst(S(S > 0)) and projSGD(samples, thres)', () => {
  const positives = (i: number) => row(i).filter((v) => v > 0);

  it("NormBiasEst of row i's positives with stream i is main's estimate for row i, bit for bit", () => {
    const r = main(samples, { seed: 9 });
    for (let i = 0; i < d; i++) {
      const { muHat, sigma2Hat } = NormBiasEst(positives(i), { seed: 9, stream: i });
      expect(Math.max(0, muHat)).toBe(r.bHat[i]);
      expect(sigma2Hat).toBe(r.sigmaHat.data[i * (d + 1)]);
    }
  });

  it('NormBiasEst = standardise, projSGD, map back (as NormBiasEst.m with B = 1)', () => {
    const s = Float64Array.from(positives(1));
    const m = s.length;
    let sum = 0;
    let sumSq = 0;
    for (const v of s) {
      sum += v;
      sumSq += v * v;
    }
    const mu0 = sum / m;
    const s0 = Math.sqrt(sumSq / m - mu0 * mu0);
    const [v1, v2] = projSGD(
      s.map((v) => (v - mu0) / s0),
      -mu0 / s0,
      { seed: 4, stream: 2 },
    );
    const e = NormBiasEst(s, { seed: 4, stream: 2 });
    expect(e.muHat).toBe(mu0 + (v2 * s0) / v1);
    expect(e.sigma2Hat).toBe((s0 / Math.sqrt(v1)) ** 2);
    expect(NormBiasEst(Array.from(s), { seed: 4, stream: 2 })).toEqual(e); // number[] or Float64Array
  });

  it('projSGD returns v_bar within the projection box; same seed and stream, same bits', () => {
    const z = kernelsSync().truncNormals(5000, -0.5, { seed: 1 }); // standardised N(0, 1) above -0.5
    const v = projSGD(z, -0.5, { seed: 2 });
    expect(v.length).toBe(2);
    expect(v[0]).toBeGreaterThanOrEqual(1 / 3);
    expect(v[0]).toBeLessThanOrEqual(3);
    expect(Math.abs(v[1])).toBeLessThanOrEqual(3);
    expect(Math.abs(v[0] - 1)).toBeLessThan(0.25); // the truth is v = (1, 0)
    expect(Math.abs(v[1])).toBeLessThan(0.25);
    expect(projSGD(z, -0.5, { seed: 2 })).toEqual(v);
    expect(projSGD(z, -0.5, { seed: 3 })).not.toEqual(v);
  });

  it('refuses what the reference would turn into NaN or garbage', () => {
    expect(() => NormBiasEst([1, 2, 3])).toThrow(new RangeError('samples has 3 values; NormBiasEst needs at least 10 (one SGD batch)'));
    expect(() => NormBiasEst([1, 2, 0, 4, 5, 6, 7, 8, 9, 10])).toThrow(/^samples\(3\) is 0; NormBiasEst takes the positive values/);
    expect(() => NormBiasEst(new Array(12).fill(2))).toThrow(new RangeError('samples are all equal (2); NormBiasEst needs their spread'));
    expect(() => NormBiasEst('abc' as never)).toThrow(TypeError);
    expect(() => NormBiasEst([1, 2, '3'] as never)).toThrow(new TypeError('samples(3) must be a number, got "3"'));
    expect(() => projSGD([1, 2, 3], 0)).toThrow(new RangeError('samples has 3 values; projSGD needs at least 10 (one batch)'));
    expect(() => projSGD(new Array(10).fill(0.5), Number.NaN)).toThrow(new RangeError('thres must be a finite number, got NaN'));
    expect(() => projSGD([...new Array(9).fill(0.5), Infinity], 0)).toThrow(/^samples\(10\) is Infinity/);
    expect(() => NormBiasEst(new Array(12).fill(2), { stream: -1 })).toThrow(/^options.stream must be an integer/);
  });
});

describe('sampleTrunGauss(mu, sigma2, thres, num)', () => {
  it('num draws above thres; mean and variance of N(mu, sigma2) | > thres within 4 SE (n = 1e5)', () => {
    for (const [mu, sigma2, thres] of [
      [1, 4, 3],
      [0, 1, -1],
      [-2, 0.25, 0],
      [0, 1, 30],
    ] as const) {
      const num = 100_000;
      const z = sampleTrunGauss(mu, sigma2, thres, num, { seed: 8 });
      expect(z.length).toBe(num);
      expect(z.every((v) => v > thres)).toBe(true);
      const sig = Math.sqrt(sigma2);
      const a = (thres - mu) / sig;
      const lam = mills(a);
      const mean = mu + sig * lam;
      const variance = sigma2 * (1 - lam * (lam - a));
      let s = 0;
      for (const v of z) s += v;
      expect(Math.abs(s / num - mean)).toBeLessThan(4 * Math.sqrt(variance / num));
    }
  });

  it("is mu + sqrt(sigma2) times the kernels' exact N(0, 1) | Z > alpha; num = 0 and 1 work", () => {
    const z = kernelsSync().truncNormals(50, (3 - 1) / 2, { seed: 4, stream: 6 });
    expect(sampleTrunGauss(1, 4, 3, 50, { seed: 4, stream: 6 })).toEqual(z.map((v) => 1 + 2 * v));
    expect(sampleTrunGauss(0, 1, 0, 0).length).toBe(0);
    expect(sampleTrunGauss(0, 1, 0, 1).length).toBe(1);
    expect(sampleTrunGauss(0, 1, 0, 5)).toEqual(sampleTrunGauss(0, 1, 0, 5, { seed: 0, stream: 0 }));
  });

  it('checks its arguments', () => {
    expect(() => sampleTrunGauss(0, 0, 0, 3)).toThrow(new RangeError('sigma2 must be a finite number > 0, got 0'));
    expect(() => sampleTrunGauss(Number.NaN, 1, 0, 3)).toThrow(new RangeError('mu must be a finite number, got NaN'));
    expect(() => sampleTrunGauss(0, 1, 0, -1)).toThrow(/^num must be an integer/);
    expect(() => sampleTrunGauss(0, 1, Number.NaN, 3)).toThrow(/^thres must make/);
    expect(() => sampleTrunGauss(0, 1, '1' as never, 3)).toThrow(new TypeError('thres must be a number, got "1"'));
  });
});
