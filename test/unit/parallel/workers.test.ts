// Parallel fits and samples: the same bits as fitSync / sample for 0-3 workers on both
// backends, any source chunking; failures reject with the original message and leave no
// worker running. The workers run src/worker.ts (through tsx); one case runs the package's
// default, dist/worker.js (built by `npm run build`, which `npm ci` runs through `prepare`).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { rowsPerBlock } from '../../../src/backend/blocks.js';
import {
  accumulate,
  accumulateAsync,
  fit,
  fitSync,
  randomModel,
  sample,
  sampleAsync,
  sampleChunks,
  type BackendName,
  type FitOptions,
  type Progress,
} from '../../../src/index.js';
import { sgdRanges } from '../../../src/parallel/executor.js';
import { startWorkers } from '../../../src/index.js';
import { chunkedSource, expectSameFit } from '../../support/fit-bits.js';
import { firstBitDifference } from '../../support/helpers.js';
import { allExited, recordingFactory } from '../../support/workers.js';

const d = 24; // blocks of 32768 rows
const block = rowsPerBlock(d);
const n = 2 * block + 777;
const truth = randomModel({ d, seed: 8 });
const x = sample(truth, n, { seed: 12 });

// Each worker costs ~0.2 s to start through tsx, so each method runs on the counts that
// matter for it: the paper method's SGD is split by coordinates (1 range, 3 uneven ranges).
const CASES: [string, FitOptions, number, number][] = [
  ["'mle'", {}, 2, 37],
  ["'paper'", { method: 'paper', seed: 3 }, 1, block + 7],
  ["'paper'", { method: 'paper', seed: 3 }, 3, 37],
  ["step1 'sgd', step2 'orthant'", { step1: 'sgd', step2: 'orthant', seed: 4 }, 2, block + 7],
];

for (const backend of ['wasm', 'js'] as BackendName[]) {
  describe(`backend '${backend}': n = ${n}, d = ${d} (${Math.ceil(n / block)} blocks)`, () => {
    for (const [label, o, workers, chunk] of CASES) {
      it(`fit ${label} on ${workers} worker(s), chunks of ${chunk} rows: bits of fitSync; workers end`, async () => {
        const options = { ...o, backend };
        const { made, factory } = recordingFactory();
        const got = await fit(chunkedSource(x.data, d, [chunk]), { ...options, workers, workerFactory: factory });
        expectSameFit(got, fitSync(x, options));
        expect(made).toHaveLength(workers);
        expect(await allExited(made)).toBe(true);
      });
    }

    it('sampleAsync / sampleChunks on 1-3 workers: the bits of sample() (n = 0 starts none)', async () => {
      const model = randomModel({ d: 5, seed: 3 });
      const big = 3 * 4096 + 5; // 4 streams, the last of 5 rows
      for (const [count, workers] of [
        [0, 2],
        [1, 2],
        [big, 1],
        [big, 3],
      ]) {
        const { made, factory } = recordingFactory();
        const want = sample(model, count, { seed: 9, backend }).data;
        expect(firstBitDifference((await sampleAsync(model, count, { seed: 9, backend, workers, workerFactory: factory })).data, want)).toBeNull();
        expect(made).toHaveLength(count === 0 ? 0 : workers);
        expect(await allExited(made)).toBe(true);
      }
      const { made, factory } = recordingFactory();
      const parts: Float64Array[] = [];
      for await (const c of sampleChunks(model, big, { seed: 9, backend, workers: 2, workerFactory: factory, chunkRows: 3000 })) parts.push(c);
      expect(parts.map((p) => p.length / 5)).toEqual([3000, 3000, 3000, 3000, big - 12000]);
      const got = new Float64Array(big * 5);
      parts.reduce((at, p) => (got.set(p, at), at + p.length), 0);
      expect(firstBitDifference(got, sample(model, big, { seed: 9, backend }).data)).toBeNull();
      expect(await allExited(made)).toBe(true);
    });
  });
}

describe('parallel plumbing (wasm)', () => {
  it('accumulateAsync on 2 workers gives accumulate(x); progress arrives per block, in order', async () => {
    const { made, factory } = recordingFactory();
    const events: Progress[] = [];
    const s = await accumulateAsync(chunkedSource(x.data, d, [1000]), { workers: 2, workerFactory: factory, onProgress: (p) => events.push(p) });
    expect(JSON.stringify(s)).toBe(JSON.stringify(accumulate(x)));
    expect(events.map((e) => e.rows)).toEqual([block, 2 * block, n]);
    expect(await allExited(made)).toBe(true);
  });

  it('a bad value in a source with 2 workers: RangeError naming row and column; workers terminated', async () => {
    const { made, factory } = recordingFactory();
    const data = x.data.slice();
    data[(block + 10) * d + 3] = -2;
    const err = fit(chunkedSource(data, d, [37], 'big.npy'), { method: 'paper', workers: 2, workerFactory: factory });
    await expect(err).rejects.toThrow(RangeError);
    await expect(err).rejects.toThrow(`big.npy: row ${block + 10}, column 3 is -2`);
    expect(made).toHaveLength(2);
    expect(await allExited(made)).toBe(true);
  });

  it("rows in memory on 2 workers are checked block by block: a bad value in a late block gets fitSync's error; x is untouched", async () => {
    // the first pass checks each block as it is read (while the workers run earlier ones), so
    // the error comes after some kernels ran, but it is the same RangeError as up front
    const data = x.data.slice();
    data[(2 * block + 5) * d + 7] = Number.NaN;
    const bad = { data, n: x.n, d };
    const before = data.slice();
    const want = (() => {
      try {
        fitSync(bad);
      } catch (e) {
        return e as Error;
      }
      return undefined;
    })();
    expect(want).toBeInstanceOf(RangeError);
    expect(want!.message).toBe(`x[${2 * block + 5}][7] is NaN; every value must be finite`);
    for (const method of ['mle', 'paper'] as const) {
      const { made, factory } = recordingFactory();
      const err = fit(bad, { method, workers: 2, workerFactory: factory });
      await expect(err).rejects.toThrow(RangeError);
      await expect(err).rejects.toThrow(want!.message);
      expect(await allExited(made)).toBe(true);
    }
    await expect(accumulateAsync(bad, { workers: 2 })).rejects.toThrow(want!.message);
    await expect(fit(bad, { onProgress: () => undefined })).rejects.toThrow(want!.message);
    expect(firstBitDifference(data, before)).toBeNull();
  });

  it('workers check the blocks of every pass of a source: a value that goes bad in the SGD pass (sent to both ranges) is caught', async () => {
    let pass = 0;
    const good = chunkedSource(x.data, d, [5000]);
    const data = x.data.slice();
    data[(block + 9) * d + 4] = -3;
    const flaky = { d, name: 'flaky', rows: () => (++pass === 2 ? chunkedSource(data, d, [5000]) : good).rows() };
    const { made, factory } = recordingFactory();
    const err = fit(flaky, { method: 'paper', workers: 2, workerFactory: factory });
    await expect(err).rejects.toThrow(RangeError);
    await expect(err).rejects.toThrow(`flaky: row ${block + 9}, column 4 is -3; samples of ReLU(Wz + b) cannot be negative`);
    expect(pass).toBe(2);
    expect(await allExited(made)).toBe(true);
  });

  it('a worker that fails rejects with its own message; one that exits is an error too; no hang', async () => {
    const throwing = recordingFactory([], "throw new Error('boom in the worker')");
    await expect(fit(x, { workers: 2, workerFactory: throwing.factory })).rejects.toThrow('boom in the worker');
    expect(await allExited(throwing.made)).toBe(true);
    const exiting = recordingFactory([], 'process.exit(3)');
    await expect(sampleAsync(truth, 10, { workers: 1, workerFactory: exiting.factory })).rejects.toThrow(/exited unexpectedly \(code 3\)/);
    expect(await allExited(exiting.made)).toBe(true);
    await expect(
      fit(x, {
        workers: 2,
        workerFactory: () => {
          throw new TypeError('no workers here');
        },
      }),
    ).rejects.toThrow('no workers here');
  });

  it('breaking off sampleChunks terminates its workers', async () => {
    const { made, factory } = recordingFactory();
    for await (const chunk of sampleChunks(truth, 100_000, { workers: 2, workerFactory: factory, chunkRows: 4096 })) {
      expect(chunk.length).toBe(4096 * d);
      break;
    }
    expect(await allExited(made)).toBe(true);
  });

  it("the default Node workers run the package's dist/worker.js: bits of fitSync", async () => {
    const script = new URL('../../../dist/worker.js', import.meta.url);
    expect(existsSync(script), 'dist/worker.js is missing: run npm run build').toBe(true);
    // the files the worker bundle is built from; a newer one means dist/ is stale
    const inputs = ['src/worker.ts', 'src/backend', 'src/input', 'src/numerics', 'src/parallel'];
    const newest = (p: string): number => {
      const u = new URL(`../../../${p}`, import.meta.url);
      return statSync(u).isDirectory() ? Math.max(...readdirSync(u).map((f) => newest(`${p}/${f}`))) : statSync(u).mtimeMs;
    };
    const stale = inputs.filter((p) => newest(p) > statSync(script).mtimeMs);
    expect(stale, `dist/worker.js is older than ${stale.join(', ')}: run npm run build`).toEqual([]);
    expectSameFit(await fit(x, { method: 'paper', workers: 2 }), fitSync(x, { method: 'paper' }));
  });
});

describe('sgdRanges: the coordinate split of the paper SGD between workers', () => {
  it('covers 0 .. d - 1 in contiguous non-empty ranges, cut at about equal work', () => {
    // coordinates 0..49 with 10x the positives of 50..99: equal counts would give worker 0 ~5/6 of the work
    const positives = Float64Array.from({ length: 100 }, (_, i) => (i < 50 ? 1000 : 100));
    for (const k of [1, 2, 3, 7, 100]) {
      const r = sgdRanges(positives, k);
      expect(r).toHaveLength(k);
      expect(r[0].lo).toBe(0);
      expect(r.at(-1)!.hi).toBe(100);
      for (let w = 0; w < k; w++) {
        expect(r[w].worker).toBe(w);
        expect(r[w].hi).toBeGreaterThan(r[w].lo);
        if (w > 0) expect(r[w].lo).toBe(r[w - 1].hi);
      }
    }
    const work = (lo: number, hi: number) => {
      let s = 0;
      for (let i = lo; i < hi; i++) s += positives[i] + 100;
      return s;
    };
    const [a, b] = sgdRanges(positives, 2);
    expect(Math.abs(work(a.lo, a.hi) - work(b.lo, b.hi)) / work(0, 100)).toBeLessThan(0.02);
  });
});

describe('startWorkers: one pool for many calls', () => {
  it('fits and samples on a kept pool with the bits of fitSync / sample; concurrent calls take turns; close() ends it', async () => {
    const { made, factory } = recordingFactory();
    const pool = await startWorkers(2, { workerFactory: factory, backend: 'wasm' });
    expect([pool.size, pool.backend, made.length]).toEqual([2, 'wasm', 2]);
    const model = randomModel({ d: 5, seed: 3 });
    // three calls at once on the same pool, one of them failing half-way (a negative value
    // in its second block): the others are unaffected, and no worker is started or ended
    const bad = x.data.slice();
    bad[(block + 3) * d + 2] = -1;
    const [a, b, c, s] = await Promise.allSettled([
      fit(x, { workers: pool, backend: 'wasm' }),
      fit(chunkedSource(bad, d, [block]), { workers: pool, backend: 'wasm' }),
      fit(x, { method: 'paper', seed: 3, workers: pool, backend: 'wasm' }),
      sampleAsync(model, 9000, { seed: 9, workers: pool, backend: 'wasm' }),
    ]);
    expect(a.status === 'fulfilled' && c.status === 'fulfilled' && s.status === 'fulfilled').toBe(true);
    expectSameFit((a as PromiseFulfilledResult<Awaited<ReturnType<typeof fit>>>).value, fitSync(x, { backend: 'wasm' }));
    expectSameFit((c as PromiseFulfilledResult<Awaited<ReturnType<typeof fit>>>).value, fitSync(x, { method: 'paper', seed: 3, backend: 'wasm' }));
    expect(firstBitDifference((s as PromiseFulfilledResult<{ data: Float64Array }>).value.data, sample(model, 9000, { seed: 9 }).data)).toBeNull();
    expect(b.status).toBe('rejected');
    expect(String((b as PromiseRejectedResult).reason)).toMatch(new RegExp(`row ${block + 3}, column 2`));
    expect(made).toHaveLength(2);
    expect(made.some((m) => m.terminated)).toBe(false);
    // the pool still works after the failed call
    expectSameFit(await fit(x, { workers: pool, backend: 'wasm' }), fitSync(x, { backend: 'wasm' }));
    await expect(fit(x, { workers: pool, backend: 'js' })).rejects.toThrow(/runs the 'wasm' kernels, but this call's backend resolves to 'js'/);
    await pool.close();
    expect(await allExited(made)).toBe(true);
    await expect(fit(x, { workers: pool })).rejects.toThrow(/closed pool/);
    await expect(startWorkers(0)).rejects.toThrow(/count must be an integer in \[1, 64\], got 0/);
  });
});
