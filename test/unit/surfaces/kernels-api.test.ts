// relu-density/kernels on every engine: the Wasm release build the package ships, the
// debug build (with its assertions), and the TypeScript kernels. Each kernel against the
// TypeScript twins of src/backend/js/ on random inputs:
//   - exact (bit for bit, on every engine): the generator's 64-bit integers, pair counts,
//     coordinate sums, the statistics accumulator, and each engine's own results however
//     a job is split (streams, blocks, into/not into, F64Buffer or plain array);
//   - within 1e-12 absolute (values of order 1; observed <= 4.4e-15): Wasm normals, truncated
//     normals and samples against the twins (the ziggurat tables' exp/log differ in the last
//     bits); the TypeScript engine equals the twins exactly.
// Then the memory contract: "into" variants write only inside the given range, F64Buffer
// views are rebuilt after memory grows, and a stale view handed to a kernel is a TypeError.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { firstBitDifference, maxAbsDiff } from '../../support/helpers.js';
import { SAMPLE_STREAM_ROWS } from '../../../src/backend/contract.js';
import { rowsPerBlock } from '../../../src/backend/blocks.js';
import { accumulate, finalize, fitSync, randomModel, sample, sampleChunks, type Samples } from '../../../src/index.js';
import { jsBackend } from '../../../src/backend/js/backend.js';
import { pairCountsTwin } from '../../../src/backend/js/counts.js';
import { createKernels } from '../../../src/kernels/api.js';
import { blockRows, kernelsSync, MAX_ALPHA, MAX_BUFFER_LENGTH, MAX_STREAM, STREAM_ROWS, type Kernels } from '../../../src/kernels/index.js';
import { createWasmEngine } from '../../../src/kernels/wasm-engine.js';
import { mills } from '../../../src/numerics/normal-cdf.js';
import { coordinateStats } from '../../../src/estimators/paper.js';
import { wasmBackend } from '../../../src/backend/wasm/backend.js';
import { instantiateKernels } from '../../../src/backend/wasm/instance.js';

const debug = () => createKernels(createWasmEngine(instantiateKernels(readFileSync(new URL('../../../build/debug.wasm', import.meta.url)))));
const engines: [string, Kernels][] = [
  ['wasm release', kernelsSync({ backend: 'wasm' })],
  ['wasm debug', debug()],
  ['js', kernelsSync({ backend: 'js' })],
];

/** rows x d values ReLU(N(0, 1) + 0.4), every 7th set to its column's threshold (ties). */
function randomBlock(rows: number, d: number, seed: number, thresholds?: Float64Array): Float64Array {
  const x = jsBackend.normals(seed, 0, rows * d).map((v) => Math.max(0, v + 0.4));
  if (thresholds !== undefined) for (let i = 0; i < x.length; i += 7) x[i] = thresholds[i % d];
  return x;
}

const mirror = (upper: Float64Array, d: number) => {
  const m = upper.slice();
  for (let i = 0; i < d; i++) for (let j = 0; j < i; j++) m[i * d + j] = m[j * d + i];
  return m;
};

const SENTINEL = -7.25;

/** A late stream: sampleInto there must not jump the generator from the seed on every call. */
const LATE = 2000;
const lateModel = randomModel({ d: 2, seed: 12, rows: 'gaussian', bias: 'gaussian' });
let lateStreams: Promise<Float64Array> | undefined;
/** Streams LATE - 1 .. LATE + 1 of the sample of seed 21, from sampleChunks on Wasm (a chunk a stream). */
function lateReference(): Promise<Float64Array> {
  return (lateStreams ??= (async () => {
    const out = new Float64Array(3 * STREAM_ROWS * 2);
    let s = 0;
    for await (const chunk of sampleChunks(lateModel, (LATE + 2) * STREAM_ROWS, { seed: 21, backend: 'wasm', chunkRows: STREAM_ROWS })) {
      if (s >= LATE - 1) out.set(chunk, (s - (LATE - 1)) * STREAM_ROWS * 2);
      s++;
    }
    return out;
  })());
}

/** Runs write(view of elements [lo, hi) of a sentinel-filled array) and checks nothing outside changed. */
function expectOnlyInside(len: number, lo: number, hi: number, write: (part: Float64Array) => void): Float64Array {
  const all = new Float64Array(len).fill(SENTINEL);
  write(all.subarray(lo, hi));
  for (let i = 0; i < len; i++) if ((i < lo || i >= hi) && all[i] !== SENTINEL) expect.fail(`element ${i} outside [${lo}, ${hi}) was written`);
  return all.slice(lo, hi);
}

describe.each(engines)('kernels on %s', (name, k) => {
  const isJs = name === 'js';
  /** Exact for the TypeScript engine, within 1e-12 absolute for Wasm. */
  const expectTwin = (got: Float64Array, want: Float64Array) => {
    if (isJs) expect(firstBitDifference(got, want)).toBeNull();
    else expect(maxAbsDiff(got, want)).toBeLessThanOrEqual(1e-12);
  };

  describe('generators', () => {
    it("uniformBits: the twins' 64-bit integers exactly (seeds 0, 1, 2^32 - 1; streams 0, 1, 7)", () => {
      for (const seed of [0, 1, 2 ** 32 - 1]) {
        for (const stream of [0, 1, 7]) {
          expect(k.uniformBits(1000, { seed, stream })).toEqual(jsBackend.uniformBits(seed, stream, 1000));
        }
      }
    });

    it('normals against the twins (n = 1e5; exact on js, within 1e-12 on Wasm)', () => {
      expectTwin(k.normals(100_000, { seed: 3, stream: 2 }), jsBackend.normals(3, 2, 100_000));
      expect(k.normals(5)).toEqual(k.normals(5, { seed: 0, stream: 0 })); // the defaults
    });

    it.each([-Infinity, -3, -0.5, 0, 0.7, 1, 2.5, 10, 40])('truncNormals at alpha = %s against the twins, all draws > alpha', (alpha) => {
      const got = k.truncNormals(20_000, alpha, { seed: 11, stream: 1 });
      expectTwin(got, jsBackend.truncNormals(11, 1, 20_000, alpha));
      expect(got.every((z) => z > alpha)).toBe(true);
    });

    it.each([-2, 0, 0.5, 1, 3, 8, 40])('truncNormals at alpha = %s: mean and variance of N(0, 1) | Z > alpha within 4 SE (n = 2e5)', (alpha) => {
      const n = 200_000;
      const z = k.truncNormals(n, alpha, { seed: 2024 });
      const lam = mills(alpha);
      const mean = lam;
      const variance = 1 - lam * (lam - alpha); // 1 + alpha lam - lam^2
      let s = 0;
      let s2 = 0;
      for (const v of z) {
        s += v - alpha;
        s2 += (v - mean) * (v - mean);
      }
      const se = Math.sqrt(variance / n);
      expect(Math.abs(s / n - (mean - alpha))).toBeLessThan(4 * se);
      // Var of the sample variance ~ (m4 - var^2) / n; m4 <= 9 var^2 for these laws
      expect(Math.abs(s2 / n - variance)).toBeLessThan(4 * Math.sqrt((8 * variance * variance) / n));
    });

    it('truncNormals far in the tail (alpha = 1e3, 1e6, MAX_ALPHA): draws >= alpha, excess about 1 / alpha', () => {
      for (const alpha of [1e3, 1e6]) {
        const z = k.truncNormals(10_000, alpha, { seed: 5 });
        let excess = 0;
        for (const v of z) {
          expect(v).toBeGreaterThanOrEqual(alpha);
          excess += v - alpha;
        }
        expect(Math.abs(excess / z.length - 1 / alpha) * alpha).toBeLessThan(0.1);
      }
      expect(k.truncNormals(10, MAX_ALPHA).every((v) => v === MAX_ALPHA)).toBe(true); // the excess is below an ulp
    });

    it('a stream continues across calls: pieces equal one call, jump() moves to the next stream, clone() is independent', () => {
      const s = k.stream({ seed: 9, stream: 4 });
      const pieces = [...s.normals(1000), ...s.normals(1), ...s.normals(2345)];
      expect(Float64Array.from(pieces)).toEqual(k.normals(3346, { seed: 9, stream: 4 }));
      const t = k.stream({ seed: 9, stream: 4 });
      const bits = [...t.uniformBits(3), ...t.uniformBits(5)];
      expect(BigUint64Array.from(bits)).toEqual(k.uniformBits(8, { seed: 9, stream: 4 }));
      const u = k.stream({ seed: 9, stream: 4 });
      u.jump();
      expect(u.uniformBits(10)).toEqual(k.uniformBits(10, { seed: 9, stream: 5 }));
      const v = k.stream({ seed: 1 });
      v.truncNormals(7, 1.5);
      const w = v.clone();
      expect(v.truncNormals(50, 1.5)).toEqual(w.truncNormals(50, 1.5));
      expect(v.truncNormals(5, 0.2)).not.toEqual(k.stream({ seed: 1 }).truncNormals(5, 0.2));
      const out = new Float64Array(4);
      const x = k.stream({ seed: 2 });
      x.normalsInto(out.subarray(0, 2));
      x.truncNormalsInto(out.subarray(2), 3);
      const y = k.stream({ seed: 2 });
      expect(Array.from(out)).toEqual([...y.normals(2), ...y.truncNormals(2, 3)]);
    });

    it('every engine gives the same integers for the same stream state', () => {
      const want = engines[0][1].uniformBits(64, { seed: 77, stream: 3 });
      expect(k.uniformBits(64, { seed: 77, stream: 3 })).toEqual(want);
      const b = new BigUint64Array(64);
      k.uniformBitsInto(b, { seed: 77, stream: 3 });
      expect(b).toEqual(want);
    });
  });

  describe('sample', () => {
    const model = randomModel({ d: 5, seed: 4, rows: 'gaussian', bias: 'gaussian' });
    const n = 2 * STREAM_ROWS + 321;

    it(`the rows of sample(model, n, { seed }) on the same backend, bit for bit; the twin within ${isJs ? '0' : '1e-12'}`, () => {
      const got = k.sample(model, n, { seed: 6 });
      expect(firstBitDifference(got, sample(model, n, { seed: 6, backend: k.backend }).data)).toBeNull();
      expectTwin(got, sample(model, n, { seed: 6, backend: 'js' }).data);
    });

    it('pieces written with firstRow on stream boundaries equal the whole; firstRow elsewhere is a RangeError', () => {
      const whole = k.sample(model, n, { seed: 6 });
      const out = new Float64Array(n * 5);
      k.sampleInto(out.subarray(STREAM_ROWS * 5), model, { seed: 6, firstRow: STREAM_ROWS });
      k.sampleInto(out.subarray(0, STREAM_ROWS * 5), model, { seed: 6 });
      expect(firstBitDifference(out, whole)).toBeNull();
      expect(() => k.sample(model, 1, { firstRow: 100 })).toThrow(
        new RangeError(`options.firstRow must be a multiple of STREAM_ROWS = ${SAMPLE_STREAM_ROWS}, got 100`),
      );
    });

    it(`at firstRow = STREAM_ROWS * ${LATE}: those rows of sampleChunks, whatever the order of the calls (${isJs ? 'within 1e-12' : 'bit for bit'})`, async () => {
      const want = await lateReference();
      const stream = (s: number, streams = 1) => want.subarray((s - LATE + 1) * STREAM_ROWS * 2, (s - LATE + 1 + streams) * STREAM_ROWS * 2);
      const expectRows = (got: Float64Array, s: number, streams = 1) => {
        if (isJs) expect(maxAbsDiff(got, stream(s, streams))).toBeLessThanOrEqual(1e-12);
        else expect(firstBitDifference(got, stream(s, streams)), `stream ${s}`).toBeNull();
      };
      const out = new Float64Array(STREAM_ROWS * 2);
      // late first, then one back and two on, with other seeds' streams and stream 0 in between
      for (const s of [LATE, LATE - 1, LATE + 1, LATE]) {
        k.sampleInto(out, lateModel, { seed: 21, firstRow: STREAM_ROWS * s });
        expectRows(out, s);
        k.sampleInto(new Float64Array(2 * 3), lateModel, { seed: 22, firstRow: STREAM_ROWS * (s + 3) });
        k.normals(3, { seed: 21 });
      }
      // two streams in one call, in place
      const buf = k.alloc(2 * STREAM_ROWS * 2);
      k.sampleInto(buf, lateModel, { seed: 21, firstRow: STREAM_ROWS * (LATE - 1) });
      expectRows(buf.view, LATE - 1, 2);
      buf.free();
    });
  });

  describe('pairCounts', () => {
    it.each([1, 2, 3, 8])("exactly the twin's counts (mirrored), with ties, rows in {1, 63, 64, 65, 1000}, d = %i", (d) => {
      for (const rows of [1, 63, 64, 65, 1000]) {
        const t = Float64Array.from({ length: d }, (_, j) => 0.1 * j);
        const x = randomBlock(rows, d, 1000 * d + rows, t);
        expect(firstBitDifference(k.pairCounts(x, d, t), mirror(pairCountsTwin(x, rows, d, t), d)), `rows = ${rows}`).toBeNull();
      }
    });

    it(`several statistics blocks (d = 130, ${blockRows(130)} rows a block, 9000 rows), infinite thresholds, NaN never counted`, () => {
      const d = 130;
      const t = Float64Array.from({ length: d }, (_, j) => (j === 0 ? -Infinity : j === 1 ? Infinity : 0.01 * j));
      const x = randomBlock(9000, d, 5, t);
      x[3] = Number.NaN;
      const counts = k.pairCounts(x, d, Array.from(t));
      expect(firstBitDifference(counts, mirror(pairCountsTwin(x, 9000, d, t), d))).toBeNull();
      let above = 0; // every value of column 0 but the ties at -Infinity itself
      for (let r = 0; r < 9000; r++) if (x[r * d] > -Infinity) above++;
      expect(above).toBeGreaterThan(7000);
      expect(counts[0]).toBe(above);
      expect(counts[1 * d + 1]).toBe(0); // nothing is above +Infinity
      let col3 = 0; // NaN (row 0) is not above 0.03
      for (let r = 0; r < 9000; r++) if (x[r * d + 3] > t[3]) col3++;
      expect(counts[3 * d + 3]).toBe(col3);
    });
  });

  describe('coordinateSums and the statistics accumulator', () => {
    const d = 6;
    const truth = randomModel({ d, seed: 8, bias: 'gaussian', rows: 'gaussian' });
    const step = rowsPerBlock(d);
    const x: Samples = sample(truth, 2 * step + 777, { seed: 8, backend: 'wasm' });

    it("coordinateSums: the bits of the pipeline's per-coordinate pass, on every engine", () => {
      const got = k.coordinateSums(x.data, d);
      const want = coordinateStats(x, wasmBackend());
      expect(firstBitDifference(got.count, want.count)).toBeNull();
      expect(firstBitDifference(got.sum, want.sum)).toBeNull();
      expect(firstBitDifference(got.sumSq, want.sumSq)).toBeNull();
    });

    it('one push: the statistics of accumulate(x), on every engine; finalize of them equals fitSync(x)', () => {
      const acc = k.accumulator(d);
      acc.push(x.data);
      expect(acc.n).toBe(x.n);
      expect(acc.statistics()).toEqual(accumulate(x, { backend: 'wasm' }));
      const strip = (r: ReturnType<typeof fitSync>) => ({ ...r, diagnostics: { ...r.diagnostics, timings: {} } });
      expect(strip(finalize(acc.statistics()))).toEqual(strip(fitSync(x, { backend: 'wasm' })));
    });

    it('pushes on block boundaries, and merges of accumulators, give the same statistics; totals are the rounded sums', () => {
      const whole = k.accumulator(d);
      whole.push(x.data);
      const a = k.accumulator(d);
      a.push(x.data.subarray(0, step * d));
      a.push(x.data.subarray(step * d, 2 * step * d));
      const b = k.accumulator(d);
      b.push(x.data.subarray(2 * step * d));
      a.merge(b);
      expect(a.n).toBe(x.n);
      expect(a.totals()).toEqual(whole.totals());
      const c = k.accumulator(accumulate({ data: x.data.subarray(0, 2 * step * d), n: 2 * step, d }));
      c.merge(b.statistics());
      expect(c.totals()).toEqual(whole.totals());
      const t = whole.totals();
      for (let i = 0; i < d; i++) {
        expect(t.count[i]).toBe(t.n11[i * d + i]);
        expect(t.sum[i]).toBe(t.a1[i * d + i]);
        expect(t.sumSq[i]).toBe(t.a2[i * d + i]);
        for (let j = 0; j < d; j++) expect(t.g[i * d + j]).toBe(t.g[j * d + i]);
      }
      const flat = new Float64Array(3 * d + 4 * d * d);
      whole.totalsInto(flat);
      expect(Array.from(flat)).toEqual([t.count, t.sum, t.sumSq, t.n11, t.a1, t.a2, t.g].flatMap((v) => Array.from(v)));
    });

    it('a bad chunk is refused whole (nothing added), naming the entry', () => {
      const acc = k.accumulator(d);
      acc.push(x.data.subarray(0, 10 * d));
      const before = acc.statistics();
      const bad = x.data.slice(0, 20 * d);
      bad[13 * d + 2] = -0.5;
      expect(() => acc.push(bad)).toThrow(new RangeError('x[13][2] is -0.5; samples of ReLU(Wz + b) cannot be negative'));
      bad[13 * d + 2] = Number.NaN;
      expect(() => acc.push(bad)).toThrow(new RangeError('x[13][2] is NaN; every value must be finite'));
      expect(acc.statistics()).toEqual(before);
      expect(() => acc.merge(k.accumulator(d + 1))).toThrow(new RangeError(`other has d = ${d + 1}, but this accumulator has d = ${d}`));
    });
  });

  describe('"into" variants write only inside the given range (plain arrays and F64Buffer views)', () => {
    const model = randomModel({ d: 3, seed: 1 });
    const x = randomBlock(200, 3, 4);
    const t = [0.1, 0.3, 0.5];
    const cases: [string, number, number, number, (part: Float64Array) => void, () => Float64Array][] = [
      ['normalsInto', 100, 17, 60, (p) => k.normalsInto(p, { seed: 1 }), () => k.normals(43, { seed: 1 })],
      ['truncNormalsInto', 100, 0, 99, (p) => k.truncNormalsInto(p, 1.3, { seed: 1 }), () => k.truncNormals(99, 1.3, { seed: 1 })],
      ['sampleInto', 3 * 50, 3 * 7, 3 * 27, (p) => k.sampleInto(p, model, { seed: 2 }), () => k.sample(model, 20, { seed: 2 })],
      ['pairCountsInto', 20, 5, 14, (p) => k.pairCountsInto(p, x, 3, t), () => k.pairCounts(x, 3, t)],
      [
        'coordinateSumsInto',
        12,
        1,
        10,
        (p) => k.coordinateSumsInto(p, x, 3),
        () => {
          const s = k.coordinateSums(x, 3);
          return Float64Array.from([...s.count, ...s.sum, ...s.sumSq]);
        },
      ],
      [
        'totalsInto',
        3 * 3 + 4 * 9 + 5,
        2,
        2 + 3 * 3 + 4 * 9,
        (p) => {
          const acc = k.accumulator(3);
          acc.push(x);
          acc.totalsInto(p);
        },
        () => {
          const acc = k.accumulator(3);
          acc.push(x);
          const s = acc.totals();
          return Float64Array.from([s.count, s.sum, s.sumSq, s.n11, s.a1, s.a2, s.g].flatMap((v) => Array.from(v)));
        },
      ],
    ];
    it.each(cases)('%s', (_label, len, lo, hi, write, want) => {
      expect(firstBitDifference(expectOnlyInside(len, lo, hi, write), want())).toBeNull();
      // the same through a subarray of an F64Buffer's view
      const buf = k.alloc(len);
      buf.view.fill(SENTINEL);
      write(buf.view.subarray(lo, hi));
      const v = buf.view;
      for (let i = 0; i < len; i++) if ((i < lo || i >= hi) && v[i] !== SENTINEL) expect.fail(`F64Buffer element ${i} was written`);
      expect(firstBitDifference(v.slice(lo, hi), want())).toBeNull();
      buf.free();
    });

    it('uniformBitsInto', () => {
      const all = new BigUint64Array(30).fill(7n);
      k.uniformBitsInto(all.subarray(10, 20), { seed: 3 });
      expect(Array.from(all.subarray(0, 10))).toEqual(new Array(10).fill(7n));
      expect(Array.from(all.subarray(20))).toEqual(new Array(10).fill(7n));
      expect(all.subarray(10, 20)).toEqual(k.uniformBits(10, { seed: 3 }));
    });
  });

  describe('F64Buffer', () => {
    it('inputs and outputs in an F64Buffer give the bits of plain arrays', () => {
      const model = randomModel({ d: 4, seed: 2 });
      const rows = STREAM_ROWS + 99;
      const buf = k.alloc(rows * 4);
      expect(buf.length).toBe(rows * 4);
      expect(buf.view.every((v) => v === 0)).toBe(true); // zero-filled
      k.sampleInto(buf, model, { seed: 3 });
      const plain = k.sample(model, rows, { seed: 3 });
      expect(firstBitDifference(buf.view, plain)).toBeNull();
      expect(k.pairCounts(buf, 4, [0, 0.5, 1, 0])).toEqual(k.pairCounts(plain, 4, [0, 0.5, 1, 0]));
      const a = k.accumulator(4);
      a.push(buf);
      const b = k.accumulator(4);
      b.push(plain);
      expect(a.statistics()).toEqual(b.statistics());
      k.normalsInto(buf, { seed: 4 });
      expect(firstBitDifference(buf.view, k.normals(rows * 4, { seed: 4 }))).toBeNull();
      buf.free();
    });

    it('free(): view throws afterwards, a second free is harmless', () => {
      const buf = k.alloc(10);
      expect(buf.freed).toBe(false);
      buf.free();
      expect(buf.freed).toBe(true);
      expect(() => buf.view).toThrow(/freed/);
      expect(() => buf.free()).not.toThrow();
      expect(() => k.normalsInto(buf)).toThrow(/freed/);
    });

    it('views stay valid across a call that grows memory: read .view again; a stale view is refused', () => {
      // W of 2 x 2^22: 64 MiB of scratch for W^T, more than this instance has had so far
      const k2 = 2 ** 22;
      const big = { W: { data: k.normals(2 * k2, { seed: 1 }).map((v) => v * 1e-3), rows: 2, cols: k2 }, b: [0.5, 0.5] };
      const buf = k.alloc(2 * 2);
      const before = buf.view;
      k.sampleInto(before, big, { seed: 8 }); // pinned by address, then the scratch grows memory
      const after = buf.view;
      const got = after.slice();
      expect(firstBitDifference(got, k.sample(big, 2, { seed: 8 }))).toBeNull();
      if (isJs) {
        expect(after).toBe(before); // plain memory never moves
        return;
      }
      expect(before.length, 'memory did not grow: make W larger').toBe(0); // the old view is detached
      expect(after === before).toBe(false); // (both may be detached by now: compare identities only)
      const again = buf.view;
      expect(buf.view).toBe(again); // rebuilt only when memory grows
      expect(firstBitDifference(again, got)).toBeNull();
      const stale = /is a stale view of WebAssembly memory/;
      expect(() => k.normalsInto(before)).toThrow(stale);
      expect(() => k.pairCounts(before.subarray(0), 2, [0, 0])).toThrow(TypeError);
      expect(() => k.accumulator(2).push(before)).toThrow(stale);
      expect(() => k.sampleInto(before, big)).toThrow(stale);
      buf.free();
    });
  });

  describe('argument checks (TypeError / RangeError naming the argument)', () => {
    const model = {
      W: [
        [1, 0],
        [0, 1],
      ],
      b: [0, 0],
    };
    /** [label, call, error class, the message's start (the argument's name) ... and a part of it]. */
    const cases: [string, () => unknown, typeof TypeError | typeof RangeError, string][] = [
      ['count < 0', () => k.normals(-1), RangeError, 'count must be an integer in [0, 4294967295], got -1'],
      ['count a string', () => k.normals('5' as never), TypeError, 'count must be a number, got "5"'],
      ['alpha NaN', () => k.truncNormals(3, Number.NaN), RangeError, `alpha must be a number in [-Infinity, ${MAX_ALPHA}], got NaN`],
      ['alpha too large', () => k.truncNormals(3, 1e151), RangeError, 'alpha must be a number in'],
      ['alpha +Infinity', () => k.truncNormalsInto(new Float64Array(2), Infinity), RangeError, 'alpha must be a number in [-Infinity, 1e+150], got Infinity'],
      ['seed negative', () => k.normals(3, { seed: -1 }), RangeError, 'options.seed must be an integer in [0, 4294967295], got -1'],
      ['stream too large', () => k.normals(3, { stream: MAX_STREAM + 1 }), RangeError, `options.stream must be an integer in [0, ${MAX_STREAM}]`],
      ['options null', () => k.stream(null as never), TypeError, 'options must be an object, got null'],
      ['out a Float32Array', () => k.normalsInto(new Float32Array(3) as never), TypeError, 'out must be a Float64Array or an F64Buffer, got a Float32Array'],
      ['bits out a Float64Array', () => k.uniformBitsInto(new Float64Array(3) as never), TypeError, 'out must be a BigUint64Array'],
      ['x a number[]', () => k.pairCounts([1, 2] as never, 1, [0]), TypeError, 'x must be a Float64Array or an F64Buffer, got an array of length 2'],
      ['x not a multiple of d', () => k.pairCounts(new Float64Array(5), 2, [0, 0]), RangeError, 'x has length 5, not a multiple of d = 2'],
      ['d = 0', () => k.coordinateSums(new Float64Array(4), 0), RangeError, 'd must be an integer in [1, 4096], got 0'],
      ['thresholds too short', () => k.pairCounts(new Float64Array(4), 2, [0]), RangeError, 'thresholds has length 1, but d = 2'],
      ['a NaN threshold', () => k.pairCounts(new Float64Array(4), 2, [0, Number.NaN]), RangeError, 'thresholds[1] is NaN'],
      ['a string threshold', () => k.pairCounts(new Float64Array(4), 2, [0, '1'] as never), TypeError, 'thresholds[1] must be a number, got "1"'],
      [
        'pairCountsInto out of the wrong length',
        () => k.pairCountsInto(new Float64Array(3), new Float64Array(4), 2, [0, 0]),
        RangeError,
        'out has length 3, but d * d = 4',
      ],
      [
        'coordinateSumsInto out of the wrong length',
        () => k.coordinateSumsInto(new Float64Array(5), new Float64Array(4), 2),
        RangeError,
        'out has length 5, but 3 d = 6',
      ],
      ['sampleInto out not a multiple of d', () => k.sampleInto(new Float64Array(3), model), RangeError, 'out has length 3, not a multiple of d = 2'],
      ['sample with a bad model', () => k.sample({ W: [[1, Number.NaN]], b: [0] }, 3), RangeError, 'model.W[0][1] is NaN; every value must be finite'],
      ['sample rows < 0', () => k.sample(model, -2), RangeError, 'rows must be an integer'],
      ['alloc(-1)', () => k.alloc(-1), RangeError, `length must be an integer in [0, ${MAX_BUFFER_LENGTH}], got -1`],
      ['alloc above 1 GiB', () => k.alloc(MAX_BUFFER_LENGTH + 1), RangeError, 'length must be an integer in'],
      ['accumulator(0)', () => k.accumulator(0), RangeError, 'init must be an integer in [1, 4096], got 0'],
      ['accumulator("3")', () => k.accumulator('3' as never), TypeError, 'init must be a dimension d or a Statistics object, got "3"'],
      ['accumulator of bad statistics', () => k.accumulator({ format: 'x' } as never), TypeError, "init.format must be 'relu-density/statistics'"],
      ['totalsInto of the wrong length', () => k.accumulator(2).totalsInto(new Float64Array(3)), RangeError, 'out has length 3, but 3 d + 4 d^2 = 22'],
      ['blockRows(0)', () => blockRows(0), RangeError, 'd must be an integer in [1, 4096], got 0'],
    ];
    it.each(cases)('%s', (_label, run, E, message) => {
      let err: unknown;
      try {
        run();
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(E);
      expect((err as Error).message.startsWith(message), (err as Error).message).toBe(true);
    });
  });
});

describe('the kernel objects', () => {
  it('kernels() and kernelsSync() return one object per backend; backend names it', async () => {
    const { kernels } = await import('../../../src/kernels/index.js');
    expect(await kernels({ backend: 'wasm' })).toBe(kernelsSync({ backend: 'wasm' }));
    expect(await kernels({ backend: 'js' })).toBe(kernelsSync({ backend: 'js' }));
    expect(kernelsSync({ backend: 'js' }).backend).toBe('js');
    expect(kernelsSync({ backend: 'wasm' }).backend).toBe('wasm');
    expect(STREAM_ROWS).toBe(4096);
    expect(blockRows(100)).toBe(rowsPerBlock(100));
  });
});
