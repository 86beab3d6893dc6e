// Statistics of `sample` (the package's public sampler, Wasm) against closed forms of the
// model x = ReLU(W z + b), z ~ N(0, I_k): each y_i = (W z + b)_i is N(b_i, s_i^2) with
// s_i^2 = Sigma_ii, Sigma = W W^T, and corr(y_i, y_j) = Sigma_ij / (s_i s_j).
// Every check is within 4 standard errors estimated from the sample (fixed seeds).
import cdf from '@stdlib/stats-base-dists-normal-cdf';
import { describe, expect, it } from 'vitest';
import { sample, type MatrixLike } from '../../../src/index.js';

const Phi = (x: number) => cdf(x, 0, 1);
const phi = (x: number) => Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);

interface Model {
  W: MatrixLike;
  b: Float64Array;
}

function model(rows: number[][], b: number[]): Model {
  return { W: { data: Float64Array.from(rows.flat()), rows: rows.length, cols: rows[0].length }, b: Float64Array.from(b) };
}

/** Sigma = W W^T. */
function gram(m: Model): Float64Array {
  const { rows: d, cols: k, data } = m.W;
  const s = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) {
      for (let l = 0; l < k; l++) s[i * d + j] += data[i * k + l] * data[j * k + l];
    }
  }
  return s;
}

/** Mean of the rectified normal max(0, Y), Y ~ N(b, s^2). */
const reluMean = (b: number, s: number) => b * Phi(b / s) + s * phi(b / s);
/** Second moment of max(0, Y), Y ~ N(b, s^2). */
const reluSecond = (b: number, s: number) => (b * b + s * s) * Phi(b / s) + b * s * phi(b / s);

/**
 * Phi_2(h, k; r) = P(X <= h, Y <= k) for standard normals of correlation r:
 * integral over x <= h of phi(x) Phi((k - r x) / sqrt(1 - r^2)), by composite Simpson on [-12, h].
 */
function bivariateCdf(h: number, k: number, r: number, intervals = 2000): number {
  const lo = -12;
  if (h <= lo) return 0;
  const c = Math.sqrt(1 - r * r);
  const f = (x: number) => phi(x) * Phi((k - r * x) / c);
  const step = (h - lo) / intervals;
  let s = f(lo) + f(h);
  for (let i = 1; i < intervals; i++) s += (i % 2 === 1 ? 4 : 2) * f(lo + i * step);
  return (s * step) / 3;
}

/** P(Y_i > 0, Y_j > 0) = P(-Z_i < b_i / s_i, -Z_j < b_j / s_j) = Phi_2(b_i / s_i, b_j / s_j; rho). */
const orthant = (bi: number, si: number, bj: number, sj: number, rho: number) => bivariateCdf(bi / si, bj / sj, rho);

/** Within 4 standard errors: |estimate - truth| < 4 sd / sqrt(n). */
function expectWithin4SE(estimate: number, truth: number, sd: number, n: number, what: string): void {
  expect(Math.abs(estimate - truth), `${what}: ${estimate} vs ${truth}, SE ${sd / Math.sqrt(n)}`).toBeLessThan((4 * sd) / Math.sqrt(n));
}

// b = 0, k = 3, d = 4; correlations from -0.5 to 0.8
const CENTRED = model(
  [
    [2, 0, 0],
    [0.8, 0.6, 0],
    [-0.5, 0.5, 0.7071],
    [0.3, -0.9, 0.2],
  ],
  [0, 0, 0, 0],
);
// b != 0 (one negative), k = 3, d = 3
const SHIFTED = model(
  [
    [1.2, 0.3, -0.4],
    [0.5, 0.9, 0.1],
    [-0.7, 0.2, 0.6],
  ],
  [0.5, -0.8, 1.5],
);

describe('the bivariate normal cdf quadrature used below', () => {
  it('matches 1/4 + asin(r) / (2 pi) at h = k = 0 within 1e-10, and Phi(h) at k = 12', () => {
    for (const r of [-0.95, -0.5, 0, 0.3, 0.9]) {
      expect(Math.abs(bivariateCdf(0, 0, r) - (0.25 + Math.asin(r) / (2 * Math.PI)))).toBeLessThan(1e-10);
    }
    expect(Math.abs(bivariateCdf(0.7, 12, 0.4) - Phi(0.7))).toBeLessThan(1e-10);
  });
});

describe.each([
  ['b = 0, d = 4, k = 3, seed 11', CENTRED, 11],
  ['b = (0.5, -0.8, 1.5), d = 3, k = 3, seed 12', SHIFTED, 12],
])('sample statistics, %s, n = 2e5, within 4 SE', (_name, m, seed) => {
  const n = 200_000;
  const d = m.b.length;
  const x = sample(m, n, { seed });
  const sigma = gram(m);
  const s = Array.from({ length: d }, (_, i) => Math.sqrt(sigma[i * d + i]));

  it('shape: n rows of d values, all >= 0', () => {
    expect(x.n).toBe(n);
    expect(x.d).toBe(d);
    expect(x.data.length).toBe(n * d);
    expect(x.data.every((v) => v >= 0)).toBe(true);
  });

  it('per coordinate: mean b Phi(b/s) + s phi(b/s); second moment (b^2 + s^2) Phi(b/s) + b s phi(b/s); P(x > 0) = Phi(b/s)', () => {
    for (let i = 0; i < d; i++) {
      let s1 = 0;
      let s2 = 0;
      let s4 = 0;
      let pos = 0;
      for (let r = 0; r < n; r++) {
        const v = x.data[r * d + i];
        s1 += v;
        s2 += v * v;
        s4 += v * v * v * v;
        if (v > 0) pos++;
      }
      const mean = s1 / n;
      const second = s2 / n;
      const p = pos / n;
      expectWithin4SE(mean, reluMean(m.b[i], s[i]), Math.sqrt(second - mean * mean), n, `E[x_${i}]`);
      expectWithin4SE(second, reluSecond(m.b[i], s[i]), Math.sqrt(s4 / n - second * second), n, `E[x_${i}^2]`);
      expectWithin4SE(p, Phi(m.b[i] / s[i]), Math.sqrt(p * (1 - p)), n, `P(x_${i} > 0)`);
    }
  });

  it('pairs: P(x_i > 0, x_j > 0) = Phi_2(b_i/s_i, b_j/s_j; rho_ij) (1/4 + asin(rho)/(2 pi) when b = 0)', () => {
    for (let i = 0; i < d; i++) {
      for (let j = i + 1; j < d; j++) {
        let both = 0;
        for (let r = 0; r < n; r++) if (x.data[r * d + i] > 0 && x.data[r * d + j] > 0) both++;
        const p = both / n;
        const rho = sigma[i * d + j] / (s[i] * s[j]);
        const truth = m.b[i] === 0 && m.b[j] === 0 ? 0.25 + Math.asin(rho) / (2 * Math.PI) : orthant(m.b[i], s[i], m.b[j], s[j], rho);
        expectWithin4SE(p, truth, Math.sqrt(p * (1 - p)), n, `P(x_${i} > 0, x_${j} > 0), rho = ${rho.toFixed(3)}`);
      }
    }
  });
});

describe('sample determinism and edge cases', () => {
  const sameBytes = (a: Float64Array, b: Float64Array) =>
    Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

  it('same seed, identical bytes; different seeds differ (n = 10000, seeds 5 and 6)', () => {
    const a = sample(SHIFTED, 10_000, { seed: 5 });
    const b = sample(SHIFTED, 10_000, { seed: 5 });
    const c = sample(SHIFTED, 10_000, { seed: 6 });
    expect(sameBytes(a.data, b.data)).toBe(true);
    expect(sameBytes(a.data, c.data)).toBe(false);
    // not merely a shifted copy: the first rows already differ
    expect(Array.from(a.data.subarray(0, 3))).not.toEqual(Array.from(c.data.subarray(0, 3)));
  });

  it('no seed means seed 0; seed 2^32 - 1 is accepted and differs from seed 0', () => {
    const byDefault = sample(SHIFTED, 100);
    expect(sameBytes(byDefault.data, sample(SHIFTED, 100, { seed: 0 }).data)).toBe(true);
    expect(sameBytes(sample(SHIFTED, 100, { seed: 2 ** 32 - 1 }).data, byDefault.data)).toBe(false);
  });

  it('a shorter sample is a prefix of a longer one with the same seed (n = 5000 vs 9000)', () => {
    const short = sample(CENTRED, 5000, { seed: 3 });
    const long = sample(CENTRED, 9000, { seed: 3 });
    expect(sameBytes(short.data, long.data.subarray(0, 5000 * 4))).toBe(true);
  });

  it("n = 0 returns an empty sample of the model's dimension", () => {
    const empty = sample(SHIFTED, 0, { seed: 1 });
    expect(empty.n).toBe(0);
    expect(empty.d).toBe(3);
    expect(empty.data).toBeInstanceOf(Float64Array);
    expect(empty.data.length).toBe(0);
  });
});
