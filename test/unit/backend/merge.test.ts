// Map-reduce: 10 random partitions of one data set, each part a RowSource of its own odd
// chunking accumulated separately (accumulateAsync), merged in a random order and finalized,
// give the one-pass fit: bit for bit when every cut falls on a rowsPerBlock(d) boundary, and
// within 1e-12 of the largest entry otherwise (the blocks' partial sums then round differently).
import { describe, expect, it } from 'vitest';
import { rowsPerBlock } from '../../../src/backend/blocks.js';
import { accumulateAsync, finalize, fitSync, merge, randomModel, sample, type Statistics } from '../../../src/index.js';
import { chunkedSource, expectSameFit } from '../../support/fit-bits.js';

const d = 40; // blocks of 16384 rows
const block = rowsPerBlock(d);
const n = 3 * block + 321;
const x = sample(randomModel({ d, bias: 'gaussian', seed: 21 }), n, { seed: 22 });
const whole = fitSync(x);

/** A small LCG in [0, 1), fixed seed. */
function lcg(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

/** 2-10 parts: sorted distinct cuts on multiples of unit, strictly inside (0, n). */
function partition(rand: () => number, unit: number): number[] {
  const parts = 2 + Math.floor(rand() * 9);
  const cuts = new Set<number>();
  for (let t = 0; t < 200 && cuts.size < parts - 1; t++) {
    const c = Math.floor((rand() * n) / unit) * unit;
    if (c > 0 && c < n) cuts.add(c);
  }
  return [0, ...[...cuts].sort((a, b) => a - b), n];
}

/** Accumulates every part as its own source, then merges them in a random order. */
async function mapReduce(cuts: number[], rand: () => number): Promise<Statistics> {
  const parts = await Promise.all(
    cuts.slice(1).map((to, k) => accumulateAsync(chunkedSource(x.data.subarray(cuts[k] * d, to * d), d, [1 + Math.floor(rand() * 5000)]))),
  );
  for (let i = parts.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [parts[i], parts[j]] = [parts[j], parts[i]];
  }
  // the JSON form is what travels between machines
  return parts.map((p) => JSON.parse(JSON.stringify(p)) as Statistics).reduce((a, b) => merge(a, b));
}

const maxAbs = (a: ArrayLike<number>) => Array.from(a).reduce((m, v) => Math.max(m, Math.abs(v)), 0);
const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

describe(`map-reduce of the statistics: n = ${n}, d = ${d} (blocks of ${block} rows), 10 random partitions each`, () => {
  it('cuts on block boundaries: finalize(merge of the parts) is the one-pass fit, bit for bit', async () => {
    const rand = lcg(31);
    for (let p = 0; p < 10; p++) {
      const cuts = partition(rand, block);
      expectSameFit(finalize(await mapReduce(cuts, rand)), whole);
    }
  });

  it('cuts anywhere: b, Sigma and the norms within 1e-12 of their largest entry', async () => {
    const rand = lcg(32);
    for (let p = 0; p < 10; p++) {
      const cuts = partition(rand, 1);
      const f = finalize(await mapReduce(cuts, rand));
      expect(f.n).toBe(n);
      for (const key of ['b', 'sigma', 'norms'] as const) {
        expect(maxDiff(f[key], whole[key])).toBeLessThanOrEqual(1e-12 * maxAbs(whole[key]));
      }
    }
  });
});
