// Every kernel, Wasm (the release build the package ships, and the debug build with its
// assertions) against its TypeScript twin in test/support/reference.ts, on random inputs.
//
// Observed (release and debug alike): pairCounts and coordStats bit-identical. The Gaussian
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
    it.each([1, 2, 3, 8, 11])('bit-identical (rows in ascending order), rows in {1, 63, 64, 65, 1000}, d = %i', (d) => {
      for (const rows of ROWS) {
        const x = randomBlock(rows, d, 313 * d + rows);
        const got = wasm.momentStats(x, rows, d);
        const want = jsBackend.momentStats(x, rows, d);
        expect(got.length).toBe(4 * d * d);
        const dd = d * d;
        // N11 and G are defined for i <= j only; A1 and A2 everywhere
        const block = (a: Float64Array, k: number) => a.subarray(k * dd, (k + 1) * dd);
        const upperOf = (a: Float64Array, k: number) => {
          const out: number[] = [];
          for (let i = 0; i < d; i++) for (let j = i; j < d; j++) out.push(a[k * dd + i * d + j]);
          return Float64Array.from(out);
        };
        expect(firstBitDifference(upperOf(got, 0), upperOf(want, 0)), `N11, rows = ${rows}`).toBeNull();
        expect(firstBitDifference(block(got, 1), block(want, 1)), `A1, rows = ${rows}`).toBeNull();
        expect(firstBitDifference(block(got, 2), block(want, 2)), `A2, rows = ${rows}`).toBeNull();
        expect(firstBitDifference(upperOf(got, 3), upperOf(want, 3)), `G, rows = ${rows}`).toBeNull();
      }
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
