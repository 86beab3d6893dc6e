// psdFactor's two paths (src/estimators/gram.ts): W = D L from the Cholesky factor when the
// correlation matrix R is positive definite above the floor (L is lower triangular, so W is:
// that is how the tests see which path ran), the eigenvalue floor otherwise; the Lanczos
// estimates behind the choice (src/estimators/lanczos.ts). Fixed seeds; n/a (no sampling).
import { describe, expect, it } from 'vitest';
import { jsBackend } from '../../../src/backend/js/backend.js';
import { wasmBackend } from '../../../src/backend/wasm/backend.js';
import { gram, PD_MARGIN, psdFactor, PSD_RELATIVE_FLOOR, symmetricEigen } from '../../../src/estimators/gram.js';
import { largestEigenvalue } from '../../../src/estimators/lanczos.js';
import { randomModel } from '../../../src/model/random.js';
import { firstBitDifference } from '../../support/helpers.js';
import { uniforms } from '../../support/mulberry32.js';

const EPS = Number.EPSILON;

function isLowerTriangular(W: Float64Array, d: number): boolean {
  for (let i = 0; i < d; i++) for (let j = i + 1; j < d; j++) if (W[i * d + j] !== 0) return false;
  return true;
}

/** max_ij |a_ij - b_ij| / sqrt(b_ii b_jj). */
function correlationError(a: Float64Array, b: Float64Array, d: number): number {
  let m = 0;
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) m = Math.max(m, Math.abs(a[i * d + j] - b[i * d + j]) / Math.sqrt(b[i * d + i] * b[j * d + j]));
  return m;
}

/** max_i |(W W^T)_ii / sigma_ii - 1|. */
function varianceError(W: Float64Array, sigma: Float64Array, d: number): number {
  const S = gram(W, d, d);
  let m = 0;
  for (let i = 0; i < d; i++) m = Math.max(m, Math.abs(S[i * d + i] / sigma[i * d + i] - 1));
  return m;
}

function correlationOf(sigma: Float64Array, d: number): Float64Array {
  return sigma.map((v, k) => v / Math.sqrt(sigma[Math.floor(k / d) * (d + 1)] * sigma[(k % d) * (d + 1)]));
}

/** sigma = gram of randomModel's Gaussian rows (positive definite), coordinate i scaled by 2^(i mod 7 - 3) x 1.3. */
function positiveDefinite(d: number, seed: number): Float64Array {
  const m = randomModel({ d, seed, rows: 'gaussian' });
  const c = Float64Array.from({ length: d }, (_, i) => 1.3 * 2 ** ((i % 7) - 3));
  return gram(
    m.W.data.map((v, k) => v * c[Math.floor(k / d)]),
    d,
    d,
  );
}

/** An indefinite sigma: correlations uniform on (-0.9, 0.9), scales uniform on (0.5, 1.5). */
function indefinite(d: number, seed: number): Float64Array {
  const u = uniforms(seed);
  const s = Float64Array.from({ length: d }, () => 0.5 + u());
  const sigma = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    sigma[i * d + i] = s[i] * s[i];
    for (let j = i + 1; j < d; j++) sigma[i * d + j] = sigma[j * d + i] = s[i] * s[j] * (1.8 * u() - 0.9);
  }
  return sigma;
}

/**
 * A d x d correlation matrix (d even) with known eigenvalues: 2 x 2 blocks [1 r; r 1]
 * (eigenvalues 1 +- r), r = (b / (d/2)) for block b and 1 - delta for the last, the
 * coordinates then permuted (which keeps the unit diagonal and the spectrum).
 * Smallest eigenvalue delta, largest 2 - delta.
 */
function knownSpectrum(d: number, delta: number, seed: number): Float64Array {
  const u = uniforms(seed);
  const perm = Array.from({ length: d }, (_, i) => i);
  for (let i = d - 1; i > 0; i--) {
    const j = Math.floor(u() * (i + 1));
    [perm[i], perm[j]] = [perm[j], perm[i]];
  }
  const R = new Float64Array(d * d);
  for (let i = 0; i < d; i++) R[perm[i] * d + perm[i]] = 1;
  for (let b = 0; b < d / 2; b++) {
    const r = b === d / 2 - 1 ? 1 - delta : b / (d / 2);
    const [p, q] = [perm[2 * b], perm[2 * b + 1]];
    R[p * d + q] = R[q * d + p] = r;
  }
  return R;
}

describe('psdFactor: the Cholesky path', () => {
  for (const d of [6, 50, 200]) {
    it(`d = ${d}, a positive definite sigma: W = D L lower triangular, W W^T = sigma to 1e-13, unit rows to (d + 4) eps`, () => {
      const sigma = positiveDefinite(d, d);
      const p = psdFactor(sigma, d);
      expect(isLowerTriangular(p.W, d)).toBe(true);
      expect(correlationError(gram(p.W, d, d), sigma, d)).toBeLessThan(1e-13);
      expect(varianceError(p.W, sigma, d)).toBeLessThanOrEqual((d + 4) * EPS); // a sum of d squares
      // the diagnostics against the eigenvalues of R (ml-matrix, exact to ~ d eps lambda_max)
      const exact = symmetricEigen(correlationOf(sigma, d), d).values;
      const lo = exact[0];
      const hi = exact[d - 1];
      expect(Math.abs(p.minEigenvalue - lo)).toBeLessThanOrEqual(1e-8 * lo + 10 * d * EPS * hi);
      expect(p.minEigenvalue).toBeGreaterThan(PD_MARGIN * p.floor);
      expect(p.floor).toBeLessThanOrEqual(PSD_RELATIVE_FLOOR * hi * (1 + 1e-12));
      expect(p.floor).toBeGreaterThan(0.5 * PSD_RELATIVE_FLOOR * hi);
    });
  }

  it('the same bits on both backends, and with the default backend', () => {
    const d = 60;
    const sigma = positiveDefinite(d, 7);
    const a = psdFactor(sigma, d, wasmBackend());
    const b = psdFactor(sigma, d, jsBackend);
    const c = psdFactor(sigma, d);
    for (const other of [b, c]) {
      expect(firstBitDifference(other.W, a.W)).toBeNull();
      expect([other.minEigenvalue, other.floor]).toEqual([a.minEigenvalue, a.floor]);
    }
  });
});

describe('psdFactor: the eigenvalue path', () => {
  for (const d of [12, 100]) {
    it(`d = ${d}, an indefinite sigma: floored, minEigenvalue < 0 and the floor as the eigendecomposition gives them`, () => {
      const sigma = indefinite(d, 100 + d);
      const p = psdFactor(sigma, d);
      expect(isLowerTriangular(p.W, d)).toBe(false);
      const exact = symmetricEigen(correlationOf(sigma, d), d).values;
      expect(p.minEigenvalue).toBeLessThan(0);
      expect(Math.abs(p.minEigenvalue - exact[0])).toBeLessThan(1e-13 * exact[d - 1]);
      expect(Math.abs(p.floor / (PSD_RELATIVE_FLOOR * exact[d - 1]) - 1)).toBeLessThan(1e-13);
      expect(varianceError(p.W, sigma, d)).toBeLessThanOrEqual((d + 4) * EPS);
      // positive definite: rows of the floored factor have squared length <= 1 + |lambda_min| + floor before normalising
      const model = symmetricEigen(correlationOf(gram(p.W, d, d), d), d).values[0];
      expect(model).toBeGreaterThan((0.5 * p.floor) / (1 + Math.abs(p.minEigenvalue)));
      const w = psdFactor(sigma, d, wasmBackend());
      const j = psdFactor(sigma, d, jsBackend);
      expect(firstBitDifference(j.W, w.W)).toBeNull();
    });
  }

  it('positive definite but within a factor PD_MARGIN of the floor: the eigenvalue path; a factor 10 above it: Cholesky', () => {
    const d = 40;
    const floor = PSD_RELATIVE_FLOOR * 2; // lambda_max = 2 - delta
    const near = psdFactor(knownSpectrum(d, 2 * floor, 1), d);
    expect(isLowerTriangular(near.W, d)).toBe(false);
    expect(Math.abs(near.minEigenvalue - 2 * floor)).toBeLessThan(100 * d * EPS);
    const above = psdFactor(knownSpectrum(d, 10 * floor, 2), d);
    expect(isLowerTriangular(above.W, d)).toBe(true);
    expect(Math.abs(above.minEigenvalue / (10 * floor) - 1)).toBeLessThan(1e-6);
  });
});

describe('largestEigenvalue (Lanczos)', () => {
  const diagonal = (values: number[]) => {
    const d = values.length;
    const a = new Float64Array(d * d);
    for (let i = 0; i < d; i++) a[i * d + i] = values[i];
    return a;
  };

  it('the largest eigenvalue of diag(1 .. 99, 200) from below, to its residual bound; exact once the space is invariant', () => {
    const a = diagonal(Array.from({ length: 100 }, (_, i) => (i === 99 ? 200 : i + 1)));
    for (const backend of [wasmBackend(), jsBackend]) {
      const r = largestEigenvalue(backend, a, 100, 'matrix', { maxSteps: 60, tol: 1e-10 });
      expect(r.converged).toBe(true);
      expect(r.value).toBeLessThanOrEqual(200 * (1 + 1e-14)); // from below up to the rounding of T
      expect(200 - r.value).toBeLessThanOrEqual(r.residual + 1e-12);
      expect(r.residual).toBeLessThanOrEqual(1e-10 * r.value);
      expect(r.steps).toBeLessThan(60);
      const exact = largestEigenvalue(backend, diagonal([3, 1, 4, 1, 5, 9, 2, 6, 5, 3]), 10, 'matrix', { maxSteps: 60, tol: 0 });
      expect([exact.steps, exact.residual]).toEqual([7, 0]); // 7 distinct eigenvalues: the Krylov space is invariant at 7
      expect(Math.abs(exact.value - 9)).toBeLessThan(1e-14 * 9);
    }
  });

  it("'inverse': the smallest eigenvalue of L L^T as 1 / the largest of its inverse", () => {
    const L = diagonal([2, 0.5, 3, 0.1, 1]); // L L^T = diag(4, 0.25, 9, 0.01, 1)
    const r = largestEigenvalue(wasmBackend(), L, 5, 'inverse', { maxSteps: 60, tol: 0 });
    expect(Math.abs(1 / r.value - 0.01)).toBeLessThan(1e-15);
  });

  it('stops at maxSteps without the residual test passing, and says so', () => {
    // eigenvalues 1 + i / d^2: clustered at the top, slow to resolve
    const d = 400;
    const a = diagonal(Array.from({ length: d }, (_, i) => 1 + i / (d * d)));
    const r = largestEigenvalue(jsBackend, a, d, 'matrix', { minSteps: 5, maxSteps: 8, tol: 1e-14 });
    expect(r.steps).toBe(8);
    expect(r.converged).toBe(false);
    expect(r.value).toBeLessThanOrEqual(1 + (d - 1) / (d * d));
  });
});
