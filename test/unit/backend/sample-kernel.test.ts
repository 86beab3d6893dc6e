// The generation kernel (assembly/sample.ts): blocked over rows and column panels (Goto & van
// de Geijn 2008) and skipping each panel's leading and trailing zero run of W^T, it keeps the
// bits of the plain row-by-row kernel it replaced. The claim behind the skipping: a skipped
// term is z_l * 0 = +-0, which changes a sum at most in the sign of a zero, and the ReLU maps
// either zero to +0.
//
// Observed: the pinned hashes below are those of the kernel before blocking (two rows, eight
// columns, every term added), on the release build; skipped = unskipped = pinned, bit for bit.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { firstBitDifference, maxAbsDiff } from '../../support/helpers.js';
import { packModel, SAMPLE_STREAM_ROWS, type Backend, type PackedModel } from '../../../src/backend/contract.js';
import { toModel } from '../../../src/input/arrays.js';
import { sampleWith } from '../../../src/sample.js';
import { readAbi } from '../../../src/backend/wasm/abi.js';
import { wasmAdapter } from '../../../src/backend/wasm/adapter.js';
import { createWasmBackend, wasmBackend } from '../../../src/backend/wasm/backend.js';
import { instantiateKernels, kernelExports, type KernelExports } from '../../../src/backend/wasm/instance.js';
import { jsBackend, normal, streamStart, Xoroshiro128Plus } from '../../support/reference.js';

const debugExports = instantiateKernels(readFileSync(new URL('../../../build/debug.wasm', import.meta.url)));
const builds: [string, Backend, KernelExports][] = [
  ['release', wasmBackend(), kernelExports()],
  ['debug', createWasmBackend(debugExports), debugExports],
];

type Shape = 'dense' | 'lower' | 'upper' | 'zeros';

/**
 * A d x k model from the twin's normals: W with N(0, 1) entries, b = N(0, 1) / 2, then zeros by
 * shape: 'lower' W_jl = 0 for l > j (a Cholesky factor), 'upper' for l < j, 'zeros' zero rows
 * (with b_j = -0 or +0), zero columns (the first 2, the last 3, every fifth) and rows whose
 * nonzeros end at l = j, so that the supports vary from row to row.
 */
function buildModel(d: number, k: number, seed: number, shape: Shape) {
  const z = jsBackend.normals(seed, 9, d * k + d);
  const W = z.slice(0, d * k);
  const b = z.slice(d * k).map((v) => 0.5 * v);
  for (let j = 0; j < d; j++) {
    for (let l = 0; l < k; l++) {
      const zero =
        (shape === 'lower' && l > j) ||
        (shape === 'upper' && l < j) ||
        (shape === 'zeros' && (j % 3 === 0 || l < 2 || l >= k - 3 || l % 5 === 0 || (j % 3 === 1 && l > j)));
      if (zero) W[j * k + l] = 0;
    }
    if (shape === 'zeros' && j % 3 === 0) b[j] = j % 2 === 0 ? -0 : 0;
  }
  return { W: { data: W, rows: d, cols: k }, b };
}

const packed = (d: number, k: number, shape: Shape): PackedModel => packModel(toModel('model', buildModel(d, k, d + k, shape)));

/** 16 hex digits of the sha256 of the array's bytes. */
const hash = (x: Float64Array) =>
  createHash('sha256')
    .update(new Uint8Array(x.buffer, x.byteOffset, x.byteLength))
    .digest('hex')
    .slice(0, 16);

// sampleWith(buildModel(d, k, d + k, shape), n, { seed: 11 }, wasmBackend()) by the kernel before
// this one (commit d1e9b55): edge tiles (d % 4, n % 32), a stream boundary (n = 4100),
// pieces of one row block (d = 2100 > 2048) and smaller blocks (k = 40000).
const CASES: [number, number, number, Shape, string][] = [
  [37, 13, 1001, 'dense', '2fe1e3e96c2030a9'],
  [64, 64, 200, 'lower', 'f7912d2ba8a90b0c'],
  [70, 50, 150, 'upper', '145d1aeed268a7a0'],
  [45, 30, 133, 'zeros', '1e64466cbe2df81f'],
  [5, 3, 4100, 'dense', '58fa3fec0ef15568'],
  [2100, 3, 40, 'lower', '0186ece1fa71af3e'],
  [1, 1, 7, 'dense', 'd2297c69309a9d32'],
  [3, 40_000, 30, 'dense', 'aaa4afb53569404f'], // k > 16384: blocks of fewer rows (12)
];

/**
 * The twin (src/backend/js/sample.ts) skipping, for each output, every l outside its row's
 * support: more terms than the kernel skips (it skips per panel of 4 columns), on the same normals.
 */
function skippingTwin(model: PackedModel, seed: number, n: number): Float64Array {
  const { wt, b, d, k, support } = model;
  if (support === undefined) throw new Error('packModel gives a support');
  const out = new Float64Array(n * d);
  const z = new Float64Array(k);
  const base = streamStart(seed, 0);
  for (let r = 0; r < n; r += SAMPLE_STREAM_ROWS) {
    if (r > 0) base.jump();
    const g = new Xoroshiro128Plus(base);
    for (let row = r; row < Math.min(n, r + SAMPLE_STREAM_ROWS); row++) {
      for (let l = 0; l < k; l++) z[l] = normal(g);
      for (let j = 0; j < d; j++) {
        let y = b[j];
        for (let l = support[2 * j]; l < support[2 * j + 1]; l++) y += z[l] * wt[l * d + j];
        out[row * d + j] = y > 0 ? y : 0;
      }
    }
  }
  return out;
}

describe('packModel', () => {
  it('records per row of W the first nonzero l and one past the last, (k, 0) for a zero row', () => {
    const W = { data: Float64Array.from([0, 3, 0, 5, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, -0, 0, 0, 0, 2]), rows: 4, cols: 5 };
    const m = packModel(toModel('model', { W, b: [0, 0, 0, 0] }));
    expect(Array.from(m.support ?? [])).toEqual([1, 4, 0, 1, 5, 0, 4, 5]);
    expect(Array.from(m.wt.subarray(4, 8))).toEqual([3, 0, 0, 0]); // row l = 1 of W^T
  });

  it('a lower-triangular 1024 x 1024 W: the kernel panels cover half of W^T (50.2%), a dense one all of it', () => {
    const nr = readAbi(kernelExports()).sample.panelCols;
    const covered = (m: PackedModel) => {
      const s = m.support!;
      let terms = 0;
      for (let j = 0; j < m.d; j += nr) {
        let lo = m.k;
        let hi = 0;
        for (let c = j; c < Math.min(m.d, j + nr); c++) {
          lo = Math.min(lo, s[2 * c]);
          hi = Math.max(hi, s[2 * c + 1]);
        }
        terms += nr * Math.max(0, hi - lo);
      }
      return terms / (m.d * m.k);
    };
    expect(covered(packed(1024, 1024, 'lower'))).toBeCloseTo(0.502, 3);
    expect(covered(packed(1024, 1024, 'upper'))).toBeCloseTo(0.502, 3);
    expect(covered(packed(40, 30, 'dense'))).toBe(1);
  });
});

describe.each(builds)('sampleRows, %s build', (_, wasm, ex) => {
  it.each(CASES)('d = %i, k = %i, n = %i, %s W: the bits of the kernel before blocking', (d, k, n, shape, pinned) => {
    const x = sampleWith(buildModel(d, k, d + k, shape), n, { seed: 11 }, wasm);
    expect(hash(x.data)).toBe(pinned);
  });

  it.each(CASES)('d = %i, k = %i, n = %i, %s W: skipping the zero runs keeps every bit of the full sums', (d, k, n, shape) => {
    const m = packed(d, k, shape);
    const skipped = new Float64Array(n * d);
    const full = new Float64Array(n * d);
    wasm.sample(m, 11, 0, n, skipped);
    wasm.sample({ wt: m.wt, b: m.b, d: m.d, k: m.k }, 11, 0, n, full); // no support: every term
    expect(firstBitDifference(skipped, full)).toBeNull();
  });

  it.each(CASES)('d = %i, k = %i, n = %i, %s W: equal to the twin within 1e-12, with +0 exactly where it has zeros', (d, k, n, shape) => {
    const m = packed(d, k, shape);
    const got = new Float64Array(n * d);
    const want = new Float64Array(n * d);
    wasm.sample(m, 11, 0, n, got);
    jsBackend.sample(m, 11, 0, n, want);
    expect(maxAbsDiff(got, want)).toBeLessThanOrEqual(1e-12);
    for (let i = 0; i < got.length; i++) {
      if ((got[i] === 0) !== (want[i] === 0) || Object.is(got[i], -0)) expect.fail(`zero at ${i}: ${got[i]} vs ${want[i]}`);
    }
  });

  it('rows in one call a stream (output in the instance) or in pieces (copied out): the same bits', () => {
    const a = wasmAdapter(ex);
    for (const [d, k, shape] of [
      [37, 13, 'zeros'],
      [2100, 3, 'lower'],
    ] as const) {
      const n = d > 2048 ? 70 : 2 * SAMPLE_STREAM_ROWS + 77;
      const m = packed(d, k, shape);
      const pieces = new Float64Array(n * d);
      a.generate(m, 5, 0, n, { kind: 'array', array: pieces, length: n * d });
      const ptr = a.allocate(n * d * 8);
      try {
        a.generate(m, 5, 0, n, { kind: 'memory', ptr, length: n * d });
        expect(firstBitDifference(a.f64(ptr, n * d), pieces), `d = ${d}`).toBeNull();
      } finally {
        a.release(ptr);
      }
    }
  });
});

describe('the skipping argument, in the twin', () => {
  it.each(CASES)('d = %i, k = %i, n = %i, %s W: skipping every zero outside a row support keeps the bits', (d, k, n, shape) => {
    const m = packed(d, k, shape);
    const want = new Float64Array(n * d);
    jsBackend.sample(m, 11, 0, n, want);
    expect(firstBitDifference(skippingTwin(m, 11, n), want)).toBeNull();
  });
});
