// Mergeable statistics: accumulate over chunks + merge + finalize equals fit of the whole.
import { describe, expect, it } from 'vitest';
import { rowsPerBlock } from '../../../src/backend/blocks.js';
import { accumulate, finalize, fitSync, fitToJSON, merge, randomModel, sample, type Samples } from '../../../src/index.js';
import { addExact, ExactSums, roundExact } from '../../../src/numerics/exact-sum.js';

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

  it('ExactSums keeps the partials addExact keeps, also for sums that outgrow its inline slots', () => {
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
      expect(sums.list(e)).toEqual(lists[e]);
      spread = Math.max(spread, lists[e].length);
    }
    expect(spread).toBeGreaterThan(4); // the spill path ran
  });
});
