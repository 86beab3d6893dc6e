// Every kernel, Wasm (the release build the package ships, and the debug build with its
// assertions) against its TypeScript twin in test/support/reference.ts, on random inputs.
//
// Observed (release and debug alike): pairCounts, coordStats and momentStats bit-identical. The Gaussian
// kernels differ in the last bits because the ziggurat tables do (see test/unit/backend/rng.test.ts):
// sample rows (n = 10000, d = 5, k = 3) in 26% of values, by at most 2.2e-15; the SGD's
// sums of iterates by at most 2.4e-16 relative, with equal batch counts; the whole paper
// pipeline's b by 2.2e-16 and sigma by 4.4e-16 (d = 4, n = 2e4). No accept/reject decision
// ever differed (that would show up as O(1) differences).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { firstBitDifference, maxAbsDiff } from '../../support/helpers.js';
import { SAMPLE_STREAM_ROWS, type Backend, type PackedModel, type SgdSetup, type SgdTotals } from '../../../src/backend/contract.js';
import { forEachBlock } from '../../../src/backend/blocks.js';
import { fitWith } from '../../../src/fit.js';
import { coordinateStats, paperSgdSetup } from '../../../src/estimators/paper.js';
import { randomModelWith } from '../../../src/model/random.js';
import { packModel } from '../../../src/backend/contract.js';
import { sampleWith } from '../../../src/sample.js';
import type { Samples } from '../../../src/types.js';
import { toModel } from '../../../src/input/arrays.js';
import { GROUP } from '../../../src/backend/js/moments.js';
import { readAbi, type AbiGlobals } from '../../../src/backend/wasm/abi.js';
import { wasmAdapter } from '../../../src/backend/wasm/adapter.js';
import { createWasmBackend, wasmBackend } from '../../../src/backend/wasm/backend.js';
import { instantiateKernels, kernelExports, type KernelExports } from '../../../src/backend/wasm/instance.js';
import { jsBackend } from '../../support/reference.js';

const debugExports = instantiateKernels(readFileSync(new URL('../../../build/debug.wasm', import.meta.url)));
const builds: [string, Backend][] = [
  ['release', wasmBackend()],
  ['debug', createWasmBackend(debugExports)],
];

function maxRelDiff(a: Float64Array, b: Float64Array): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]) / Math.max(Math.abs(a[i]), Math.abs(b[i]), 1e-300));
  return m;
}

/**
 * rows x d non-negative values from the twin's normals: ReLU(N(0, 1) + shift), about a
 * third zeros, and a few values set exactly to their column's threshold to make ties.
 */
function randomBlock(rows: number, d: number, seed: number, thresholds?: Float64Array): Float64Array {
  const z = jsBackend.normals(seed, 0, rows * d);
  const x = z.map((v) => Math.max(0, v + 0.4));
  if (thresholds !== undefined) for (let i = 0; i < x.length; i += 7) x[i] = thresholds[i % d];
  return x;
}

/** The d of the momentStats cases: off the kernel's blocks of 4 (A1, A2) and 12 (G) columns. */
const MOMENT_DS = [1, 2, 3, 7, 9, 17, 33, 65, 127, 130, 257, 300];

/** Rows of the momentStats cases for d columns (fewer for large d: the twin is O(rows d^2)). */
const momentRows = (d: number): number[] => (d <= 65 ? [1, 63, 65, 130, 1000] : d <= 130 ? [63, 130, 300] : [65, 130]);

/**
 * A momentStats case: rows x d values of randomBlock (about a third zeros) or, sparse, with
 * two in three values zero and every fifth row all zero, and the twin's statistics of it
 * (computed once, shared by the builds).
 */
function momentCase(rows: number, d: number, sparse: boolean): { x: Float64Array; want: Float64Array } {
  const key = `${rows} ${d} ${sparse}`;
  let c = momentCases.get(key);
  if (c === undefined) {
    const x = randomBlock(rows, d, 313 * d + rows + (sparse ? 7 : 0));
    if (sparse) for (let e = 0; e < x.length; e++) if (e % 3 !== 0 || Math.floor(e / d) % 5 === 4) x[e] = 0;
    c = { x, want: jsBackend.momentStats(x, rows, d) };
    momentCases.set(key, c);
  }
  return c;
}
const momentCases = new Map<string, { x: Float64Array; want: Float64Array }>();

/** N11 and G compared for i <= j (0 below, as the twin leaves them), A1 and A2 everywhere: bit for bit. */
function expectMomentsEqual(got: Float64Array, want: Float64Array, d: number, label: string): void {
  const dd = d * d;
  const block = (a: Float64Array, k: number) => a.subarray(k * dd, (k + 1) * dd);
  const names = ['N11', 'A1', 'A2', 'G'];
  for (let k = 0; k < 4; k++) expect(firstBitDifference(block(got, k), block(want, k)), `${names[k]}, ${label}`).toBeNull();
}

/**
 * momentStats called on the exports directly, once per piece of rows (the last may be
 * shorter), adding into one output (rows lo .. hi - 1, default all), as the adapter does for rows it copies in.
 */
function momentsInPieces(ex: KernelExports, x: Float64Array, rows: number, d: number, pieces: number[], lo = 0, hi = d): Float64Array {
  const { moment } = readAbi(ex);
  const size = 4 * (hi - lo) * d;
  const words = Math.max(1, d * Math.ceil(Math.max(...pieces) / 64));
  const xp = ex.alloc(x.length * 8);
  const op = ex.alloc(size * 8);
  const bp = ex.alloc(words * 8);
  const kp = ex.alloc((moment.keepPerD * d + moment.keepFixed) * 8);
  new Float64Array(ex.memory.buffer, xp, x.length).set(x);
  new Float64Array(ex.memory.buffer, op, size).fill(0);
  for (let r = 0, p = 0; r < rows; p++) {
    const m = Math.min(pieces[Math.min(p, pieces.length - 1)], rows - r);
    ex.momentStats(xp + r * d * 8, m, d, op, bp, kp, lo, hi);
    r += m;
  }
  const out = new Float64Array(ex.memory.buffer, op, size).slice();
  for (const ptr of [xp, op, bp, kp]) ex.free(ptr);
  return out;
}

/** Rows lo .. hi - 1 of each of the four d x d matrices of a whole N11 | A1 | A2 | G, in the layout of a band. */
function bandOf(all: Float64Array, d: number, lo: number, hi: number): Float64Array {
  const size = (hi - lo) * d;
  const out = new Float64Array(4 * size);
  for (let m = 0; m < 4; m++) out.set(all.subarray(m * d * d + lo * d, m * d * d + hi * d), m * size);
  return out;
}

/**
 * The bands of the band cases for d: [0, 8), [8, 16), [16, d), [lo, d) for the last multiple
 * of 8 below d, and [5, 14), off every block of the kernel (4, 12, 64), where d allows.
 */
function momentBandsOf(d: number): [number, number][] {
  const last = 8 * Math.floor((d - 1) / 8);
  const bands: [number, number][] = [
    [0, Math.min(8, d)],
    [8, Math.min(16, d)],
    [16, d],
    [last, d],
    [5, 14],
  ];
  // the valid ones, each once (for small d several coincide)
  return bands.filter(([lo, hi], k) => lo < hi && hi <= d && bands.findIndex(([a, b]) => a === lo && b === hi) === k);
}

/** A d x k model packed for generation: W with N(0, 1) entries, b in [-1, 1]. */
function randomPacked(d: number, k: number, seed: number): PackedModel {
  const z = jsBackend.normals(seed, 9, d * k + d);
  const W = { data: z.slice(0, d * k), rows: d, cols: k };
  const b = Array.from(z.subarray(d * k), (v) => Math.tanh(v));
  return packModel(toModel('model', { W, b }));
}

/** Step 1's fixed inputs, as src/estimators/paper.ts builds them. */
function paperSetup(x: Samples, backend: Backend, seed: number): SgdSetup {
  return paperSgdSetup(coordinateStats(x, backend), seed);
}

/** Runs Step 1 pushing the rows in pieces of the given sizes (the last repeats until the end). */
function runSgd(backend: Backend, x: Samples, setup: SgdSetup, pieces?: number[]): SgdTotals {
  const run = backend.sgd(x.d, setup);
  if (pieces === undefined) {
    forEachBlock(x, (block, rows) => run.push(block, rows));
  } else {
    for (let r = 0, p = 0; r < x.n; p = Math.min(p + 1, pieces.length - 1)) {
      const rows = Math.min(pieces[p], x.n - r);
      run.push(x.data.subarray(r * x.d, (r + rows) * x.d), rows);
      r += rows;
    }
  }
  return run.finish();
}

const ROWS = [1, 63, 64, 65, 1000];

describe.each(builds)('Wasm %s build vs TypeScript twin', (_name, wasm) => {
  describe('pairCounts', () => {
    it.each([1, 2, 3, 8])('exactly equal for rows in {1, 63, 64, 65, 1000}, with ties, d = %i', (d) => {
      for (const rows of ROWS) {
        const t = Float64Array.from({ length: d }, (_, j) => 0.1 * j);
        const x = randomBlock(rows, d, 1000 * d + rows, t);
        const want = jsBackend.pairCounts(x, rows, d, t);
        expect(firstBitDifference(wasm.pairCounts(x, rows, d, t), want), `rows = ${rows}`).toBeNull();
      }
    });

    it('x == t does not count; lower triangle is 0 (hand-counted, 3 rows)', () => {
      // rows (1, 2), (1, 3), (0.5, 2) against t = (1, 2): only x_1 = 3 is strictly above
      const x = Float64Array.of(1, 2, 1, 3, 0.5, 2);
      const counts = wasm.pairCounts(x, 3, 2, Float64Array.of(1, 2));
      expect(Array.from(counts)).toEqual([0, 0, 0, 1]);
    });

    it('a block of 1000 rows equals the sum over blocks of 1, 63, 64, 65, 807 rows (d = 5)', () => {
      const d = 5;
      const t = Float64Array.of(0.2, 0.4, 0, 1, 0.3);
      const x = randomBlock(1000, d, 5, t);
      const total = new Float64Array(d * d);
      let r = 0;
      for (const rows of [1, 63, 64, 65, 807]) {
        const c = wasm.pairCounts(x.subarray(r * d, (r + rows) * d), rows, d, t);
        for (let i = 0; i < d * d; i++) total[i] += c[i];
        r += rows;
      }
      expect(firstBitDifference(total, wasm.pairCounts(x, 1000, d, t))).toBeNull();
    });
  });

  describe('coordStats', () => {
    it.each([1, 2, 3, 8, 11])('bit-identical (same summation order), rows in {1, 63, 64, 65, 1000}, d = %i', (d) => {
      for (const rows of ROWS) {
        const x = randomBlock(rows, d, 77 * d + rows);
        const got = wasm.coordStats(x, rows, d);
        const want = jsBackend.coordStats(x, rows, d);
        expect(firstBitDifference(got.count, want.count), `count, rows = ${rows}`).toBeNull();
        expect(firstBitDifference(got.sum, want.sum), `sum, rows = ${rows}`).toBeNull();
        expect(firstBitDifference(got.sumSq, want.sumSq), `sumSq, rows = ${rows}`).toBeNull();
      }
    });
  });

  describe('momentStats (N11 | A1 | A2 | G)', () => {
    // d off every block size of the kernel (4 columns i, 12-column panels of G, 64-row tiles,
    // 128-row chunks), rows off the tiles; sparse blocks leave whole groups of 4 rows empty
    it.each(MOMENT_DS)('bit-identical to the twin (each sum in its order), dense and sparse, d = %i', (d) => {
      for (const rows of momentRows(d)) {
        for (const sparse of [false, true]) {
          const { x, want } = momentCase(rows, d, sparse);
          const label = `rows = ${rows}${sparse ? ', sparse' : ''}`;
          const got = wasm.momentStats(x, rows, d);
          expect(got.length).toBe(4 * d * d);
          expectMomentsEqual(got, want, d, label);
        }
      }
    });

    it.each([1, 9, 17, 33, 130, 300])('a band [lo, hi) of output rows: the twin band and the slice of the whole call, bit for bit, d = %i', (d) => {
      for (const rows of [65, 130]) {
        for (const sparse of [false, true]) {
          const { x } = momentCase(rows, d, sparse);
          const whole = wasm.momentStats(x, rows, d);
          for (const [lo, hi] of momentBandsOf(d)) {
            const label = `rows = ${rows}${sparse ? ', sparse' : ''}, band [${lo}, ${hi})`;
            const got = wasm.momentStats(x, rows, d, lo, hi);
            expect(got.length, label).toBe(4 * (hi - lo) * d);
            expect(firstBitDifference(got, jsBackend.momentStats(x, rows, d, lo, hi)), `twin, ${label}`).toBeNull();
            expect(firstBitDifference(got, bandOf(whole, d, lo, hi)), `whole, ${label}`).toBeNull();
          }
        }
      }
    });

    it('a band outside [0, d] or reversed is a RangeError; an empty band is empty (d = 9)', () => {
      const x = randomBlock(10, 9, 3);
      for (const [lo, hi] of [
        [0, 10],
        [-8, 8],
        [8, 4],
        [0.5, 8],
      ])
        expect(() => wasm.momentStats(x, 10, 9, lo, hi), `[${lo}, ${hi})`).toThrow(RangeError);
      expect(wasm.momentStats(x, 10, 9, 8, 8).length).toBe(0);
    });

    it('an all-zero block adds nothing, a constant column sums exactly (d = 5, rows = 70)', () => {
      const d = 5;
      const rows = 70;
      expect(Array.from(wasm.momentStats(new Float64Array(rows * d), rows, d)).every((v) => v === 0)).toBe(true);
      const x = new Float64Array(rows * d);
      for (let r = 0; r < rows; r++) x[r * d + 2] = 0.5; // column 2 = 0.5, the others 0
      const got = wasm.momentStats(x, rows, d);
      const at = (m: number, i: number, j: number) => got[m * d * d + i * d + j];
      expect([at(0, 2, 2), at(1, 2, 2), at(2, 2, 2), at(3, 2, 2)]).toEqual([70, 35, 17.5, 17.5]);
      expect([at(0, 1, 2), at(1, 1, 2), at(1, 2, 1), at(3, 1, 2)]).toEqual([0, 0, 0, 0]);
    });
  });

  describe('Step 1 SGD (setup as src/estimators/paper.ts builds it; d = 5, n = 2e4, seed 31)', () => {
    const model = randomModelWith({ d: 5, seed: 4, bias: 'gaussian', rows: 'gaussian' }, jsBackend);
    const x = sampleWith(model, 20_000, { seed: 4 }, jsBackend);
    const setup = paperSetup(x, jsBackend, 31);

    it('equal batch counts; sums of iterates within 1e-12 relative (observed 2.4e-16)', () => {
      const got = runSgd(wasm, x, setup);
      const want = runSgd(jsBackend, x, setup);
      expect(firstBitDifference(got.batches, want.batches)).toBeNull();
      expect(maxRelDiff(got.sumV1, want.sumV1)).toBeLessThan(1e-12);
      expect(maxRelDiff(got.sumV2, want.sumV2)).toBeLessThan(1e-12);
    });

    it('bit-identical however the rows are chunked (blocks of 1, 37, 1000, 4096 rows vs rowsPerBlock)', () => {
      const whole = runSgd(wasm, x, setup);
      const chunked = runSgd(wasm, x, setup, [1, 37, 1000, 4096]);
      expect(firstBitDifference(chunked.sumV1, whole.sumV1)).toBeNull();
      expect(firstBitDifference(chunked.sumV2, whole.sumV2)).toBeNull();
      expect(firstBitDifference(chunked.batches, whole.batches)).toBeNull();
      const twinChunked = runSgd(jsBackend, x, setup, [3, 999]);
      const twinWhole = runSgd(jsBackend, x, setup);
      expect(firstBitDifference(twinChunked.sumV1, twinWhole.sumV1)).toBeNull();
      expect(firstBitDifference(twinChunked.sumV2, twinWhole.sumV2)).toBeNull();
    });

    it('coordinate ranges (one per worker) give the same bits as one run', () => {
      for (const backend of [wasm, jsBackend]) {
        const whole = runSgd(backend, x, setup);
        const d = x.d;
        const cuts = [0, 1, Math.floor(d / 2), d];
        for (let c = 0; c + 1 < cuts.length; c++) {
          const [lo, hi] = [cuts[c], cuts[c + 1]];
          const run = backend.sgd(d, setup, lo, hi);
          run.push(x.data, x.n);
          const part = run.finish();
          expect(part.sumV1.length).toBe(hi - lo);
          expect(firstBitDifference(part.sumV1, whole.sumV1.subarray(lo, hi))).toBeNull();
          expect(firstBitDifference(part.sumV2, whole.sumV2.subarray(lo, hi))).toBeNull();
          expect(firstBitDifference(part.batches, whole.batches.subarray(lo, hi))).toBeNull();
        }
      }
    });

    it('finish() twice throws', () => {
      const run = wasm.sgd(x.d, setup);
      run.finish();
      expect(() => run.finish()).toThrow(/after finish/);
    });
  });

  describe('sample', () => {
    it.each([
      [5, 3, 10_000],
      [1, 1, 5000],
      [2, 4, 5000],
      [8, 8, 4097],
      [300, 2, 5000], // more than 2^20 / d rows a stream: the Wasm backend splits each stream into pieces
    ])('d = %i, k = %i, n = %i: equal to the twin within 1e-12 absolute', (d, k, n) => {
      const model = randomPacked(d, k, d + k);
      const got = new Float64Array(n * d);
      const want = new Float64Array(n * d);
      wasm.sample(model, 13, 0, n, got);
      jsBackend.sample(model, 13, 0, n, want);
      expect(maxAbsDiff(got, want)).toBeLessThanOrEqual(1e-12);
      // zeros are exactly where the twin has them (the ReLU agrees)
      for (let i = 0; i < got.length; i++) if ((got[i] === 0) !== (want[i] === 0)) expect.fail(`zero pattern at ${i}`);
    });

    it('bit-identical however the rows are split on stream boundaries (SAMPLE_STREAM_ROWS = 4096)', () => {
      const d = 3;
      const n = 3 * SAMPLE_STREAM_ROWS + 123;
      const model = randomPacked(d, 3, 1);
      const whole = new Float64Array(n * d);
      wasm.sample(model, 99, 0, n, whole);
      const splits = [
        [0, SAMPLE_STREAM_ROWS, 2 * SAMPLE_STREAM_ROWS, 3 * SAMPLE_STREAM_ROWS, n],
        [0, 2 * SAMPLE_STREAM_ROWS, n],
        [0, 3 * SAMPLE_STREAM_ROWS, n],
      ];
      for (const cuts of splits) {
        const pieces = new Float64Array(n * d);
        for (let c = 0; c + 1 < cuts.length; c++) {
          const out = new Float64Array((cuts[c + 1] - cuts[c]) * d);
          wasm.sample(model, 99, cuts[c], cuts[c + 1] - cuts[c], out);
          pieces.set(out, cuts[c] * d);
        }
        expect(firstBitDifference(pieces, whole), `cuts ${cuts.join(', ')}`).toBeNull();
      }
      // in any order, with another seed in between (the Wasm backend starts from the last stream
      // start it saw when it can): the same bits as the twin's fresh jumps
      for (const order of [
        [3, 0, 2, 1],
        [1, 1, 3, 2],
      ]) {
        for (const s of order) {
          const out = new Float64Array(5 * d);
          wasm.sample(model, s === 2 ? 7 : 99, s * SAMPLE_STREAM_ROWS, 5, out);
          const twin = new Float64Array(5 * d);
          jsBackend.sample(model, s === 2 ? 7 : 99, s * SAMPLE_STREAM_ROWS, 5, twin);
          expect(maxAbsDiff(out, twin), `stream ${s}`).toBeLessThanOrEqual(1e-12);
          if (s !== 2) expect(firstBitDifference(out, whole.subarray(s * SAMPLE_STREAM_ROWS * d, (s * SAMPLE_STREAM_ROWS + 5) * d))).toBeNull();
        }
      }
      // a prefix of a stream is the start of that stream
      const head = new Float64Array(10 * d);
      wasm.sample(model, 99, SAMPLE_STREAM_ROWS, 10, head);
      expect(firstBitDifference(head, whole.subarray(SAMPLE_STREAM_ROWS * d, (SAMPLE_STREAM_ROWS + 10) * d))).toBeNull();
    });

    it('the twin is split-invariant too, and firstRow off a stream boundary is a RangeError', () => {
      const d = 2;
      const n = SAMPLE_STREAM_ROWS + 50;
      const model = randomPacked(d, 2, 2);
      const whole = new Float64Array(n * d);
      jsBackend.sample(model, 5, 0, n, whole);
      const tail = new Float64Array(50 * d);
      jsBackend.sample(model, 5, SAMPLE_STREAM_ROWS, 50, tail);
      expect(firstBitDifference(tail, whole.subarray(SAMPLE_STREAM_ROWS * d))).toBeNull();
      expect(() => wasm.sample(model, 5, 1, 1, new Float64Array(d))).toThrow(RangeError);
      expect(() => jsBackend.sample(model, 5, 1, 1, new Float64Array(d))).toThrow(RangeError);
    });
  });

  it('the whole paper pipeline: fitWith on Wasm vs on the twins, b, sigma, norms within 1e-12 (observed 4.4e-16; d = 4, n = 2e4, seed 8)', () => {
    const truth = randomModelWith({ d: 4, seed: 8 }, jsBackend);
    const x = sampleWith(truth, 20_000, { seed: 8 }, jsBackend);
    const got = fitWith(x, { method: 'paper', seed: 8 }, wasm);
    const want = fitWith(x, { method: 'paper', seed: 8 }, jsBackend);
    expect(maxAbsDiff(got.b, want.b)).toBeLessThan(1e-12);
    expect(maxAbsDiff(got.sigma, want.sigma)).toBeLessThan(1e-12);
    expect(maxAbsDiff(got.norms, want.norms)).toBeLessThan(1e-12);
    expect(firstBitDifference(got.diagnostics.positives, want.diagnostics.positives)).toBeNull();
  });
});

describe.each([
  ['release', () => kernelExports()],
  ['debug', () => debugExports],
] as const)('momentStats on consecutive pieces of a block (%s build)', (_name, instance) => {
  it.each([
    [65, [64, 192, 128, 576]],
    [130, [128, 64, 704]],
    [13, [64]],
  ])('d = %i, 1000 rows in pieces %j (whole tiles but the last): the bits of one call, and of the twin', (d, pieces) => {
    const ex = instance();
    const rows = 1000;
    const { x, want } = momentCase(rows, d, false);
    const whole = momentsInPieces(ex, x, rows, d, [rows]);
    expect(firstBitDifference(momentsInPieces(ex, x, rows, d, pieces), whole)).toBeNull();
    expectMomentsEqual(whole, want, d, 'one call');
  });

  it.each([
    [130, [128, 64, 704], 8, 16],
    [130, [128, 64, 704], 120, 130],
    [65, [64, 192, 128, 576], 5, 14],
  ])('d = %i, 1000 rows in pieces %j, band [%i, %i): the bits of one call, and of the whole', (d, pieces, lo, hi) => {
    const ex = instance();
    const rows = 1000;
    const { x, want } = momentCase(rows, d, false);
    const band = momentsInPieces(ex, x, rows, d, [rows], lo, hi);
    expect(firstBitDifference(momentsInPieces(ex, x, rows, d, pieces, lo, hi), band)).toBeNull();
    expect(firstBitDifference(band, bandOf(want, d, lo, hi))).toBeNull();
  });
});

describe.each([
  ['release', () => instantiateKernels(readFileSync(new URL('../../../build/release.wasm', import.meta.url)))],
  ['debug', () => debugExports],
] as const)('the ABI and the adapter (%s build)', (_name, instance) => {
  it("the module's layout globals: both builds alike, the TypeScript twin's group size the module's", () => {
    const abi = readAbi(instance());
    expect(abi).toEqual(readAbi(kernelExports()));
    expect(GROUP).toBe(abi.moment.groupRows);
    // what the twins and the tests take for granted of the state: xoroshiro128+'s two u64s
    expect(abi.rngStateBytes).toBe(16);
    expect(abi.sgd.fields).toBe(Object.keys(abi.sgd.at).length);
    expect(new Set(Object.values(abi.sgd.at)).size).toBe(abi.sgd.fields);
  });

  it('a module without them is refused by name', () => {
    expect(() => readAbi({} as AbiGlobals)).toThrow(/exports no i32 global RNG_STATE_BYTES; rebuild/);
  });

  it('stream starts in any order, over more seeds than it keeps: the seed jumped stream + 1 times', () => {
    const ex: KernelExports = instance();
    const a = wasmAdapter(ex);
    expect(wasmAdapter(ex)).toBe(a); // one adapter an instance, shared by its facades
    const fromSeed = (seed: number, stream: number): Uint32Array => {
      const p = ex.alloc(16);
      ex.seedState(p, seed);
      for (let c = 0; c <= stream; c++) ex.jumpState(p);
      const words = new Uint32Array(ex.memory.buffer.slice(p, p + 16));
      ex.free(p);
      return words;
    };
    const calls: [number, number][] = [
      [3, 40],
      [3, 41],
      [3, 39],
      [3, 41],
      [8, 0],
      [9, 5],
      [10, 2],
      [11, 7],
      [3, 45],
      [8, 3],
      [3, 0],
      [3, 46],
      [0, 12],
      [3, 46],
    ];
    for (const [seed, stream] of calls) {
      const got = new Uint32Array(a.stateWords);
      a.startStream(got, seed, stream);
      expect(got, `seed ${seed}, stream ${stream}`).toEqual(fromSeed(seed, stream));
    }
  });
});
