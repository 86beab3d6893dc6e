// The dense linear algebra kernels of the PSD projection: Cholesky (assembly/cholesky.ts) and
// the symmetric eigendecomposition (assembly/eigen.ts), Wasm (release and debug builds)
// against their TypeScript twins bit for bit, and the results against ml-matrix and their
// defining identities. Fixed seeds; matrices from mulberry32 uniforms.
//
// Sizes for the bits: 1 .. 300 with odd ones, the Cholesky panel (96 rows) and its register
// tiles (4 columns) on both sides of their boundaries, and one size (420) past the panel's
// column chunk (256) and the trailing update's column chunk (256 columns).
// Tolerances: eps = 2^-52. Cholesky: |L L^T - A|_ij <= (d + 1) eps max_i a_ii, Higham's bound
// (Accuracy and Stability of Numerical Algorithms, 2nd ed., Thm 10.3: |dA| <= gamma_{d+1}
// |L| |L^T|, and (|L| |L^T|)_ij <= sqrt(a_ii a_jj)). Eigen: the identities to 4 d eps ||A||_2
// entrywise, the eigenvalues against ml-matrix (the same algorithm, other summation orders)
// to 1e-13 ||A||_2.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Backend } from '../../../src/backend/contract.js';
import { jsBackend } from '../../../src/backend/js/backend.js';
import { createWasmBackend, wasmBackend } from '../../../src/backend/wasm/backend.js';
import { instantiateKernels } from '../../../src/backend/wasm/instance.js';
import { symmetricEigen as mlEigen } from '../../../src/estimators/gram.js';
import { firstBitDifference } from '../../support/helpers.js';
import { uniforms } from '../../support/mulberry32.js';

const debug = createWasmBackend(instantiateKernels(readFileSync(new URL('../../../build/debug.wasm', import.meta.url))));
const builds: [string, Backend][] = [
  ['release', wasmBackend()],
  ['debug', debug],
];
const EPS = Number.EPSILON;

/** Symmetric, entries uniform on (-1, 1). */
function symmetric(d: number, seed: number): Float64Array {
  const u = uniforms(seed);
  const a = new Float64Array(d * d);
  for (let i = 0; i < d; i++) for (let j = i; j < d; j++) a[i * d + j] = a[j * d + i] = 2 * u() - 1;
  return a;
}

/** G G^T for a d x r G with entries uniform on (-1, 1): rank min(d, r). */
function gramOf(d: number, r: number, seed: number): Float64Array {
  const u = uniforms(seed);
  const g = Float64Array.from({ length: d * r }, () => 2 * u() - 1);
  const a = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = i; j < d; j++) {
      let s = 0;
      for (let k = 0; k < r; k++) s += g[i * r + k] * g[j * r + k];
      a[i * d + j] = a[j * d + i] = s;
    }
  }
  return a;
}

/** H diag(lambda) H with the Householder reflection H = I - 2 v v^T / v^T v (v uniform): any spectrum, dense. */
function withSpectrum(lambda: number[], seed: number): Float64Array {
  const d = lambda.length;
  const u = uniforms(seed);
  const v = Float64Array.from({ length: d }, () => 2 * u() - 1);
  const vv = v.reduce((s, x) => s + x * x, 0);
  const H = new Float64Array(d * d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) H[i * d + j] = (i === j ? 1 : 0) - (2 * v[i] * v[j]) / vv;
  const a = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += H[i * d + k] * lambda[k] * H[j * d + k];
      a[i * d + j] = s;
    }
  }
  for (let i = 0; i < d; i++) for (let j = 0; j < i; j++) a[i * d + j] = a[j * d + i];
  return a;
}

/** max_i a_ii. */
function maxDiagonal(a: Float64Array, d: number): number {
  let m = 0;
  for (let i = 0; i < d; i++) m = Math.max(m, a[i * d + i]);
  return m;
}

const BIT_SIZES = [1, 2, 3, 4, 5, 7, 8, 9, 16, 17, 31, 33, 64, 95, 96, 97, 100, 127, 129, 191, 192, 193, 255, 257, 300];

describe('Wasm kernels equal their TypeScript twins bit for bit', () => {
  for (const [name, wasm] of builds) {
    it(`${name}: cholesky, d = ${BIT_SIZES.join(', ')}, 420`, () => {
      for (const d of [...BIT_SIZES, 420]) {
        const a = gramOf(d, d + 2, d);
        const want = jsBackend.cholesky(a, d);
        const got = wasm.cholesky(a, d);
        expect(want.ok).toBe(true);
        expect(got.ok).toBe(true);
        if (got.ok && want.ok) expect({ d, diff: firstBitDifference(got.L, want.L) }).toEqual({ d, diff: null });
      }
    });

    it(`${name}: cholesky reports the same first bad pivot`, () => {
      for (const d of [40, 97, 200]) {
        const a = symmetric(d, 50 + d);
        for (let i = 0; i < d; i++) a[i * d + i] += 4; // positive pivots for a while, then not
        const want = jsBackend.cholesky(a, d);
        expect(want.ok).toBe(false);
        expect(wasm.cholesky(a, d)).toEqual(want);
      }
    });

    it(`${name}: symmetricEigen, d = ${BIT_SIZES.join(', ')}`, () => {
      for (const d of BIT_SIZES) {
        const a = symmetric(d, 1000 + d);
        const want = jsBackend.symmetricEigen(a, d);
        const got = wasm.symmetricEigen(a, d);
        expect({ d, diff: firstBitDifference(got.values, want.values) }).toEqual({ d, diff: null });
        expect({ d, diff: firstBitDifference(got.vectors, want.vectors) }).toEqual({ d, diff: null });
      }
    });

    it(`${name}: lanczos on a matrix and on a Cholesky factor's inverse, d = 1 .. 300`, () => {
      for (const d of [1, 2, 3, 7, 30, 97, 300]) {
        const a = gramOf(d, d + 3, 3000 + d);
        const start = jsBackend.normals(5, d, d);
        const c = jsBackend.cholesky(a, d);
        if (!c.ok) throw new Error('not positive definite');
        for (const [m, op] of [
          [a, 'matrix'],
          [c.L, 'inverse'],
        ] as const) {
          for (const o of [
            { minSteps: 24, maxSteps: 24, tol: Number.MAX_VALUE },
            { minSteps: 5, maxSteps: 60, tol: 1e-6 },
          ]) {
            const want = jsBackend.lanczos(m, d, op, start, o);
            const got = wasm.lanczos(m, d, op, start, o);
            expect({ d, op, ...got }).toEqual({ d, op, ...want });
            expect(Object.is(got.value, want.value) && Object.is(got.residual, want.residual)).toBe(true);
          }
        }
      }
    });

    it(`${name}: symmetricEigen of special matrices (zero, identity, diagonal, rank 3, repeated)`, () => {
      const d = 37;
      const diagonal = new Float64Array(d * d);
      for (let i = 0; i < d; i++) diagonal[i * d + i] = ((i * 7) % d) - 10;
      const identity = new Float64Array(d * d);
      for (let i = 0; i < d; i++) identity[i * d + i] = 1;
      const repeated = withSpectrum(
        Array.from({ length: d }, (_, i) => Math.floor(i / 5)),
        3,
      );
      for (const a of [new Float64Array(d * d), identity, diagonal, gramOf(d, 3, 4), repeated]) {
        const want = jsBackend.symmetricEigen(a, d);
        const got = wasm.symmetricEigen(a, d);
        expect(firstBitDifference(got.values, want.values)).toBeNull();
        expect(firstBitDifference(got.vectors, want.vectors)).toBeNull();
      }
    });
  }
});

/** max over i, j of |(L L^T - A)_ij|, and whether L is lower triangular with a positive diagonal. */
function choleskyCheck(L: Float64Array, a: Float64Array, d: number): { residual: number; lower: boolean } {
  let residual = 0;
  let lower = true;
  for (let i = 0; i < d; i++) {
    if (!(L[i * d + i] > 0)) lower = false;
    for (let j = i + 1; j < d; j++) if (L[i * d + j] !== 0) lower = false;
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = 0; k <= j; k++) s += L[i * d + k] * L[j * d + k];
      residual = Math.max(residual, Math.abs(s - a[i * d + j]));
    }
  }
  return { residual, lower };
}

describe('cholesky', () => {
  const wasm = wasmBackend();

  it('L is lower triangular with a positive diagonal and L L^T = A to (d + 1) eps max a_ii, d = 1 .. 300', () => {
    for (const d of [1, 2, 3, 10, 97, 193, 300]) {
      const a = gramOf(d, d + 5, 300 + d);
      const copy = a.slice();
      const c = wasm.cholesky(a, d);
      expect(a).toEqual(copy); // the input is left as it is
      expect(c.ok).toBe(true);
      if (!c.ok) continue;
      const { residual, lower } = choleskyCheck(c.L, a, d);
      expect(lower).toBe(true);
      expect(residual).toBeLessThanOrEqual((d + 1) * EPS * maxDiagonal(a, d));
    }
  });

  it('reads the upper triangle only', () => {
    const d = 101;
    const a = gramOf(d, d, 7);
    const upper = a.map((v, k) => (k % d >= Math.floor(k / d) ? v : Number.NaN));
    const c1 = wasm.cholesky(a, d);
    const c2 = wasm.cholesky(upper, d);
    expect(c1.ok && c2.ok).toBe(true);
    if (c1.ok && c2.ok) expect(firstBitDifference(c1.L, c2.L)).toBeNull();
  });

  it('reports the first pivot that is not > 0 on indefinite, singular and NaN input', () => {
    const diag = (v: number[]) => {
      const d = v.length;
      const a = new Float64Array(d * d);
      for (let i = 0; i < d; i++) a[i * d + i] = v[i];
      return a;
    };
    for (const b of [wasm, jsBackend]) {
      expect(b.cholesky(diag([1, 2, -1, 3]), 4)).toEqual({ ok: false, pivot: 2 });
      expect(b.cholesky(diag([1, 0, 3]), 3)).toEqual({ ok: false, pivot: 1 });
      expect(b.cholesky(Float64Array.of(1, 1, 1, 1), 2)).toEqual({ ok: false, pivot: 1 }); // 1 - 1 * 1 = 0 exactly
      expect(b.cholesky(Float64Array.of(4, 2, 2, Number.NaN), 2)).toEqual({ ok: false, pivot: 1 });
      // rank 5 of d = 150 (G G^T): a pivot of rounding size may come out either sign, and
      // those after it are not > 0 either; it fails within a few of rank 5
      const r = b.cholesky(gramOf(150, 5, 9), 150);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.pivot).toBeGreaterThanOrEqual(5);
      // indefinite: a random symmetric matrix fails early
      const s = b.cholesky(symmetric(120, 10), 120);
      expect(s.ok).toBe(false);
    }
  });
});

/** The residuals of the eigendecomposition: A V^T - V^T diag, V V^T - I, V^T diag V - A (max abs), with rows of V the vectors. */
function eigenResiduals(a: Float64Array, values: Float64Array, V: Float64Array, d: number): { av: number; orth: number; recon: number } {
  const Vt = new Float64Array(d * d); // column j of V as row j, so that every sum runs along rows
  for (let i = 0; i < d; i++) for (let k = 0; k < d; k++) Vt[i * d + k] = V[k * d + i];
  let av = 0;
  let orth = 0;
  let recon = 0;
  for (let j = 0; j < d; j++) {
    for (let i = 0; i < d; i++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += a[i * d + k] * V[j * d + k];
      av = Math.max(av, Math.abs(s - values[j] * V[j * d + i]));
    }
    // V V^T and V^T diag V are symmetric: their upper triangles
    for (let i = 0; i <= j; i++) {
      let o = 0;
      let r = 0;
      for (let k = 0; k < d; k++) {
        o += V[i * d + k] * V[j * d + k];
        r += Vt[i * d + k] * values[k] * Vt[j * d + k];
      }
      orth = Math.max(orth, Math.abs(o - (i === j ? 1 : 0)));
      recon = Math.max(recon, Math.abs(r - a[i * d + j]));
    }
  }
  return { av, orth, recon };
}

describe('symmetricEigen', () => {
  const wasm = wasmBackend();
  const cases: [string, number, Float64Array][] = [];
  for (const d of [1, 2, 3, 10, 64, 129]) cases.push([`indefinite d = ${d}`, d, symmetric(d, 2000 + d)]);
  cases.push(['1 x 1 negative', 1, Float64Array.of(-2.5)]);
  cases.push(['zero 17 x 17', 17, new Float64Array(17 * 17)]);
  const identity = new Float64Array(50 * 50);
  for (let i = 0; i < 50; i++) identity[i * 50 + i] = 1;
  cases.push(['identity 50 x 50', 50, identity]);
  const diagonal = new Float64Array(40 * 40);
  for (let i = 0; i < 40; i++) diagonal[i * 40 + i] = Math.sin(i) * 10;
  cases.push(['diagonal 40 x 40, unsorted', 40, diagonal]);
  cases.push(['singular (rank 7) 80 x 80', 80, gramOf(80, 7, 11)]);
  cases.push([
    'repeated eigenvalues (5 distinct) 60 x 60',
    60,
    withSpectrum(
      Array.from({ length: 60 }, (_, i) => (i % 5) - 2),
      12,
    ),
  ]);
  cases.push(['positive definite 257 x 257', 257, gramOf(257, 300, 13)]);
  cases.push(['indefinite 512 x 512', 512, symmetric(512, 14)]);

  for (const [name, d, a] of cases) {
    it(`${name}: A V = V D, V^T V = I, V D V^T = A to 4 d eps ||A||; ascending; the input left as it is`, () => {
      const copy = a.slice();
      const { values, vectors } = wasm.symmetricEigen(a, d);
      expect(a).toEqual(copy);
      for (let i = 1; i < d; i++) expect(values[i]).toBeGreaterThanOrEqual(values[i - 1]);
      const scale = Math.max(Math.abs(values[0]), Math.abs(values[d - 1])); // ||A||_2
      const r = eigenResiduals(a, values, vectors, d);
      expect(r.av).toBeLessThanOrEqual(4 * d * EPS * scale);
      expect(r.orth).toBeLessThanOrEqual(4 * d * EPS);
      expect(r.recon).toBeLessThanOrEqual(4 * d * EPS * scale);
      if (d <= 257) {
        const ml = mlEigen(a, d).values;
        const err = Math.max(...ml.map((v, i) => Math.abs(v - values[i])));
        expect(err).toBeLessThanOrEqual(1e-13 * scale);
      }
    });
  }

  it('reads the upper triangle only', () => {
    const d = 65;
    const a = symmetric(d, 15);
    const upper = a.map((v, k) => (k % d >= Math.floor(k / d) ? v : Number.NaN));
    for (const b of [wasm, jsBackend]) {
      const e1 = b.symmetricEigen(a, d);
      const e2 = b.symmetricEigen(upper, d);
      expect(firstBitDifference(e2.values, e1.values)).toBeNull();
      expect(firstBitDifference(e2.vectors, e1.vectors)).toBeNull();
    }
  });

  it('known spectra: the zero matrix, the identity and a diagonal come out exactly', () => {
    expect(Array.from(wasm.symmetricEigen(new Float64Array(9), 3).values)).toEqual([0, 0, 0]);
    expect(Array.from(wasm.symmetricEigen(identity, 50).values)).toEqual(new Array(50).fill(1));
    const sorted = Array.from({ length: 40 }, (_, i) => diagonal[i * 40 + i]).sort((x, y) => x - y);
    expect(Array.from(wasm.symmetricEigen(diagonal, 40).values)).toEqual(sorted);
    expect(Array.from(wasm.symmetricEigen(Float64Array.of(-2.5), 1).vectors)).toEqual([1]);
  });
});
