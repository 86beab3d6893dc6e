// Mergeable statistics: accumulate over chunks + merge + finalize equals fit of the whole.
import { describe, expect, it } from 'vitest';
import { rowsPerBlock } from '../../../src/backend/blocks.js';
import { accumulate, finalize, fitSync, fitToJSON, merge, randomModel, sample, type Samples } from '../../../src/index.js';
import { addExact, compress, ExactSums, roundExact } from '../../../src/numerics/exact-sum.js';
import { checkStatistics, StatisticsAccumulator, type Statistics, type StatisticsV1 } from '../../../src/backend/statistics.js';
import { base64ToBytes, base64ToFloat64, bytesToBase64, float64ToBase64 } from '../../../src/input/base64.js';
import { MOMENT_BAND_BYTES, momentBands } from '../../../src/backend/merge.js';
import { wasmBackend } from '../../../src/backend/wasm/backend.js';
import { jsBackend } from '../../../src/backend/js/backend.js';

function rows(x: Samples, from: number, to: number): Samples {
  return { data: x.data.subarray(from * x.d, to * x.d), n: to - from, d: x.d };
}

/** Up to parts - 1 distinct pseudo-random cut points on multiples of unit (a small LCG). */
function cuts(n: number, parts: number, unit: number, seed: number): number[] {
  let s = seed;
  const next = () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const set = new Set<number>();
  for (let tries = 0; tries < 100 && set.size < parts - 1; tries++) {
    const c = Math.max(1, Math.floor((next() * n) / unit)) * unit;
    if (c < n) set.add(c);
  }
  return [0, ...[...set].sort((a, b) => a - b), n];
}

const d = 40; // 16384-row blocks
const x = sample(randomModel({ d, rows: 'gaussian', bias: 'gaussian', seed: 3 }), 3 * rowsPerBlock(d) + 1234, { seed: 9 });
const whole = fitSync(x);
const strip = (r: ReturnType<typeof fitSync>) => ({ ...fitToJSON(r), diagnostics: { ...fitToJSON(r).diagnostics, timings: {} } });

describe(`statistics: n = ${x.n}, d = ${d} (blocks of ${rowsPerBlock(d)} rows)`, () => {
  it('finalize(accumulate(x)) equals fitSync(x) bit for bit', () => {
    expect(strip(finalize(accumulate(x)))).toEqual(strip(whole));
  });

  it('10 random partitions on block boundaries, merged in any order: bit-identical fits', () => {
    for (let p = 0; p < 10; p++) {
      const c = cuts(x.n, 2 + (p % 4), rowsPerBlock(d), 17 + p);
      const parts = c.slice(1).map((to, k) => accumulate(rows(x, c[k], to)));
      const forward = parts.reduce((a, b) => merge(a, b));
      const backward = parts.reduceRight((a, b) => merge(b, a));
      expect(strip(finalize(forward))).toEqual(strip(whole));
      expect(strip(finalize(backward))).toEqual(strip(whole));
    }
  });

  // Off block boundaries the sums differ in their last bits, and the estimates follow.
  it('partitions anywhere (not on block boundaries): b and Sigma to 1e-12', () => {
    for (let p = 0; p < 10; p++) {
      const c = cuts(x.n, 2 + (p % 5), 1, 101 + p);
      const merged = c
        .slice(1)
        .map((to, k) => accumulate(rows(x, c[k], to)))
        .reduce((a, b) => merge(a, b));
      const f = finalize(merged);
      for (let i = 0; i < d; i++) expect(Math.abs(f.b[i] - whole.b[i])).toBeLessThan(1e-12);
      for (let e = 0; e < d * d; e++) expect(Math.abs(f.sigma[e] - whole.sigma[e])).toBeLessThan(1e-12);
    }
  });

  it('statistics survive JSON and merge does not mutate its inputs', () => {
    const a = accumulate(rows(x, 0, 100));
    const b = accumulate(rows(x, 100, x.n));
    const a0 = JSON.stringify(a);
    const viaJson = merge(JSON.parse(a0), JSON.parse(JSON.stringify(b)));
    expect(JSON.stringify(a)).toBe(a0);
    expect(JSON.stringify(viaJson)).toBe(JSON.stringify(merge(a, b)));
  });

  it('rejects statistics of another d, a wrong format, and method paper', () => {
    const other = accumulate(sample(randomModel({ d: 3, seed: 1 }), 50, { seed: 1 }));
    expect(() => merge(accumulate(x), other)).toThrow(RangeError);
    expect(() => finalize({ ...other, format: 'nope' } as never)).toThrow(TypeError);
    expect(() => finalize(accumulate(x), { method: 'paper' })).toThrow(/needs the data/);
  });
});

describe('statistics JSON (version 2: base64 of float64)', () => {
  const small = sample(randomModel({ d: 7, seed: 5 }), 3000, { seed: 6 });
  const s = accumulate(small);

  /** The same statistics as version 1 (plain arrays), made from version 2's decoded form. */
  function asV1(v2: Statistics): StatisticsV1 {
    const c = checkStatistics('s', v2);
    const dd = c.d * c.d;
    const list = (f: (e: number) => ArrayLike<number>) => Array.from({ length: dd }, (_, e) => Array.from(f(e)));
    return { format: v2.format, version: 1, n: c.n, d: c.d, n11: Array.from(c.n11), a1: list(c.a1), a2: list(c.a2), g: list(c.g) };
  }

  it('is written as version 2 with string fields, and version 1 is still read to the same bits', () => {
    expect([s.version, typeof s.n11, typeof s.a1.counts, typeof s.a1.partials]).toEqual([2, 'string', 'string', 'string']);
    const v1 = asV1(s);
    expect(merge(v1, v1)).toEqual(merge(s, s));
    expect(strip(finalize(v1))).toEqual(strip(finalize(s)));
    expect(strip(finalize(s))).toEqual(strip(fitSync(small)));
  });

  it('is compact: at d = 60, under 0.7 of the characters of version 1 (one partial a sum; two give ~0.55)', () => {
    const wide = accumulate(sample(randomModel({ d: 60, seed: 2 }), 2000, { seed: 3 }));
    const v2 = JSON.stringify(wide).length;
    const v1 = JSON.stringify(asV1(wide)).length;
    expect(v2 / v1).toBeLessThan(0.7);
  });

  it('refuses bad base64, wrong lengths, non-finite partials and unknown fields, naming the field', () => {
    const bad = (patch: object) => () => finalize({ ...s, ...patch } as never);
    expect(bad({ n11: 'not base64!' })).toThrow(/stats\.n11 must be base64/);
    expect(bad({ n11: float64ToBase64(new Float64Array(3)) })).toThrow(/stats\.n11 must hold d \(d \+ 1\) \/ 2 = 28 counts, got 3/);
    expect(bad({ n11: float64ToBase64(new Float64Array(28).fill(0.5)) })).toThrow(/counts must be integers/);
    expect(bad({ a1: { ...s.a1, counts: bytesToBase64(new Uint8Array(49)) } })).toThrow(/stats\.a1\.partials must hold the 0 partials/);
    expect(bad({ g: { counts: s.g.counts } })).toThrow(/stats\.g\.partials must be a base64 string/);
    expect(bad({ a2: { ...s.a2, extra: 1 } })).toThrow(/stats\.a2 has an unknown field/);
    const nan = base64ToFloat64('x', s.a2.partials);
    nan[0] = Number.NaN;
    expect(bad({ a2: { ...s.a2, partials: float64ToBase64(nan) } })).toThrow(/stats\.a2\.partials\[0\] is NaN/);
    expect(bad({ version: 3 })).toThrow(/version must be 1 or 2/);
  });

  it('base64 round trip of every length mod 3 and of every byte value', () => {
    const bytes = Uint8Array.from({ length: 1000 }, (_, i) => (i * 37 + (i >> 3)) & 255);
    for (const len of [0, 1, 2, 3, 4, 5, 255, 256, 1000]) {
      const sub = bytes.subarray(0, len);
      const enc = bytesToBase64(sub);
      expect(enc.length).toBe(4 * Math.ceil(len / 3));
      expect(Array.from(base64ToBytes('b', enc))).toEqual(Array.from(sub));
    }
    expect(bytesToBase64(Uint8Array.of(0xfb, 0xff, 0xbf))).toBe('+/+/');
    expect(() => base64ToBytes('b', 'ab=c')).toThrow(/b must be base64, got "=" at character 2/);
  });
});

describe('moments band by band (bounded memory at large d)', () => {
  const dd = 21;
  const xb = sample(randomModel({ d: dd, seed: 8 }), 700, { seed: 4 });
  it('bands of output rows add up to the whole block, bit for bit, on both kernels', () => {
    for (const b of [wasmBackend(), jsBackend]) {
      const whole = new StatisticsAccumulator(dd);
      whole.add(b.momentStats(xb.data, xb.n, dd), xb.n);
      const banded = new StatisticsAccumulator(dd);
      for (const [lo, hi] of [
        [0, 8],
        [8, 16],
        [16, 21],
      ])
        banded.addBand(b.momentStats(xb.data, xb.n, dd, lo, hi), lo, hi);
      banded.addRows(xb.n);
      expect(banded.statistics()).toEqual(whole.statistics());
      const band = b.momentStats(xb.data, xb.n, dd, 8, 16);
      expect(Array.from(band)).toEqual(Array.from(jsBackend.momentStats(xb.data, xb.n, dd, 8, 16)));
    }
  });

  it('momentBands covers 0 .. d in order, in multiples of 8 rows, under MOMENT_BAND_BYTES', () => {
    for (const dim of [1, 100, 1448, 2048, 4096]) {
      const bands = momentBands(dim);
      expect(bands[0].lo).toBe(0);
      expect(bands[bands.length - 1].hi).toBe(dim);
      for (let k = 1; k < bands.length; k++) expect(bands[k].lo).toBe(bands[k - 1].hi);
      for (const { lo, hi } of bands) {
        if (hi < dim) expect((hi - lo) % 8).toBe(0);
        expect(32 * (hi - lo) * dim).toBeLessThanOrEqual(Math.max(MOMENT_BAND_BYTES, 32 * 8 * dim));
      }
    }
    expect(momentBands(1448)).toHaveLength(1);
    expect(momentBands(4096)).toHaveLength(8);
  });

  it('takeTotals has the bits of totals()', () => {
    const a = StatisticsAccumulator.of(checkStatistics('s', accumulate(xb)));
    const want = a.totals();
    const got = StatisticsAccumulator.of(checkStatistics('s', accumulate(xb))).takeTotals();
    for (const key of ['n11', 'a1', 'a2', 'g'] as const) expect(Array.from(got[key])).toEqual(Array.from(want[key]));
    expect(got.n).toBe(want.n);
  });
});

describe('exact sums', () => {
  it('are exact where naive summation is not, and independent of order', () => {
    const vals = [1e16, 1, -1e16, 1e-3, 3.5, 1e100, -1e100, 0.1, 0.2];
    const p: number[] = [];
    for (const v of vals) addExact(p, v);
    const q: number[] = [];
    for (const v of [...vals].reverse()) addExact(q, v);
    expect(roundExact(p)).toBe(4.801);
    expect(roundExact(q)).toBe(roundExact(p));
  });

  it('ExactSums holds the exact value addExact holds, also for sums that outgrow its inline slots', () => {
    // seeded values: ordinary ones, and ones spread over 2^-600 .. 2^600 (many partials each)
    let s = 12345;
    const rand = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32;
    const sums = new ExactSums(6);
    const lists: number[][] = Array.from({ length: 6 }, () => []);
    let spread = 0;
    for (let k = 0; k < 3000; k++) {
      const e = k % 6;
      const v = e < 3 ? rand() * 100 - 20 : (rand() - 0.5) * 2 ** Math.floor(rand() * 1200 - 600);
      sums.add(e, v);
      addExact(lists[e], v);
    }
    for (let e = 0; e < 6; e++) {
      // the same value exactly: its partials minus addExact's sum to exactly zero
      const diff: number[] = [];
      for (const v of sums.list(e)) addExact(diff, v);
      for (const v of lists[e]) addExact(diff, -v);
      expect(roundExact(diff)).toBe(0);
      expect(sums.round(e)).toBe(roundExact(lists[e]));
      spread = Math.max(spread, sums.list(e).length);
    }
    expect(spread).toBeGreaterThan(4); // the spill path ran
  });

  it('compress keeps the value and leaves increasing, non-overlapping partials, fewer where it can', () => {
    let s = 777;
    const rand = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32;
    for (let t = 0; t < 2000; t++) {
      const list: number[] = [];
      const terms = 1 + Math.floor(rand() * 12);
      for (let k = 0; k < terms; k++) addExact(list, (rand() - 0.5) * 2 ** Math.floor(rand() * (t % 2 ? 200 : 20) - 10));
      const c = compress(list);
      const diff: number[] = [];
      for (const v of c) addExact(diff, v);
      for (const v of list) addExact(diff, -v);
      expect(roundExact(diff)).toBe(0);
      expect(c.length).toBeLessThanOrEqual(Math.max(1, list.length));
      for (let k = 1; k < c.length; k++) expect(Math.abs(c[k])).toBeGreaterThan(Math.abs(c[k - 1]));
      expect(roundExact(c)).toBe(roundExact(list)); // the rounding reads them as it reads addExact's
    }
    // three partials that two can hold: 2^-60 + 2^-70 is one double below 1's last bit
    expect(compress([2 ** -70, 2 ** -60, 1])).toEqual([2 ** -60 + 2 ** -70, 1]);
  });
});
