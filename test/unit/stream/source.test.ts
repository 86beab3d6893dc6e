// Streaming on the calling thread (workers: 0): a RowSource, however chunked, fits to the same
// bits as fitSync of the same rows; bad values name the source, row and column; sampleChunks
// concatenates to sample(). Runs on both backends ('auto' follows the vitest project).
import { describe, expect, it } from 'vitest';
import { rowsPerBlock } from '../../../src/backend/blocks.js';
import {
  accumulate,
  accumulateAsync,
  arraySource,
  fit,
  fitSync,
  randomModel,
  sample,
  sampleAsync,
  sampleChunks,
  type FitOptions,
  type Progress,
  type RowSource,
} from '../../../src/index.js';
import { chunkedSource, expectSameFit } from '../../support/fit-bits.js';
import { firstBitDifference } from '../../support/helpers.js';

const d = 40; // blocks of 16384 rows
const block = rowsPerBlock(d);
const n = 2 * block + 1234;
const truth = randomModel({ d, seed: 5 });
const x = sample(truth, n, { seed: 11 });

const CHUNKINGS: [string, number[]][] = [
  ['1 row', [1]],
  ['37 rows', [37]],
  [`a prime above the block (${block + 7} rows)`, [block + 7]],
  ['mixed 1, 5000, 0, 20011 rows', [1, 5000, 0, 20011]],
];

const OPTIONS: [string, FitOptions][] = [
  ["method 'mle'", {}],
  ["method 'paper' (3 passes)", { method: 'paper', seed: 3 }],
  ["step1 'sgd', step2 'orthant'", { step1: 'sgd', step2: 'orthant', seed: 4 }],
];

async function collect(chunks: AsyncIterable<Float64Array>): Promise<Float64Array[]> {
  const out: Float64Array[] = [];
  for await (const c of chunks) out.push(c);
  return out;
}

function concat(parts: Float64Array[]): Float64Array {
  const out = new Float64Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

describe(`fit of a RowSource: n = ${n}, d = ${d}, bits of fitSync`, () => {
  for (const [label, options] of OPTIONS) {
    const want = fitSync(x, options);
    for (const [chunking, sizes] of CHUNKINGS) {
      it(`${label}, chunks of ${chunking}`, async () => {
        expectSameFit(await fit(chunkedSource(x.data, d, sizes), options), want);
      });
    }
  }

  it('arraySource and in-memory fit with onProgress agree too; progress is per block, in order', async () => {
    const want = fitSync(x, { method: 'paper' });
    expectSameFit(await fit(arraySource(x, 999), { method: 'paper' }), want);
    const events: Progress[] = [];
    expectSameFit(await fit(x, { method: 'paper', onProgress: (p) => events.push({ ...p }) }), want);
    const blocks = Math.ceil(n / block);
    expect(events).toHaveLength(3 * blocks);
    expect(events.map((e) => e.pass)).toEqual([1, 2, 3].flatMap((p) => Array<number>(blocks).fill(p)));
    expect(events.map((e) => e.stage)).toEqual(['stats', 'step1', 'counts'].flatMap((s) => Array<string>(blocks).fill(s)));
    expect(events.filter((e) => e.rows === n)).toHaveLength(3);
    expect(events.every((e) => e.passes === 3 && e.totalRows === n && e.rows > 0 && e.rows <= n)).toBe(true);
  });

  it('accumulateAsync of a source gives accumulate(x), bit for bit', async () => {
    const want = JSON.stringify(accumulate(x));
    expect(JSON.stringify(await accumulateAsync(chunkedSource(x.data, d, [37])))).toBe(want);
    expect(JSON.stringify(await accumulateAsync(x))).toBe(want);
  });
});

describe('bad sources', () => {
  const bad = (i: number, v: number) => {
    const data = x.data.slice();
    data[i] = v;
    return data;
  };
  const at = block + 3; // a row of the second block

  for (const [v, why] of [
    [-0.5, /cannot be negative/],
    [NaN, /finite/],
    [Infinity, /finite/],
    [1e71, /above 1e\+70/],
  ] as const) {
    it(`value ${v} at row ${at}, column 7 → RangeError naming data.f64, row and column`, async () => {
      const src = chunkedSource(bad(at * d + 7, v), d, [37]);
      const err = fit(src);
      await expect(err).rejects.toThrow(RangeError);
      await expect(err).rejects.toThrow(`data.f64: row ${at}, column 7 is ${v}`);
      await expect(fit(src)).rejects.toThrow(why);
    });
  }

  it('the paper method checks every pass: a value that goes bad on pass 2 is caught', async () => {
    let pass = 0;
    const good = chunkedSource(x.data, d, [5000]);
    const flaky: RowSource = {
      d,
      name: 'flaky',
      rows() {
        pass++;
        return pass === 2 ? chunkedSource(bad((n - 1) * d, -1), d, [5000]).rows() : good.rows();
      },
    };
    await expect(fit(flaky, { method: 'paper' })).rejects.toThrow(`flaky: row ${n - 1}, column 0 is -1`);
  });

  it('empty sources, n < 2, a wrong declared n and passes of different lengths → RangeError', async () => {
    await expect(fit(chunkedSource(new Float64Array(0), d, [5]))).rejects.toThrow(/data\.f64 must have n >= 2 rows, got n = 0/);
    await expect(fit(chunkedSource(x.data.subarray(0, d), d, [5]))).rejects.toThrow(/n >= 2 rows, got n = 1/);
    await expect(fit(chunkedSource(x.data.subarray(0, d), d, [5]), { method: 'paper' })).rejects.toThrow(RangeError);
    await expect(fit(chunkedSource(x.data, d, [500], 'f', n + 1))).rejects.toThrow(`f: the source declares n = ${n + 1} rows but pass 1 read ${n}`);
    let pass = 0;
    const shrinking: RowSource = { d, name: 's', rows: () => chunkedSource(x.data.subarray(0, (n - pass++) * d), d, [4096]).rows() };
    await expect(fit(shrinking, { method: 'paper' })).rejects.toThrow(`s: pass 2 read ${n - 1} rows, pass 1 read ${n}`);
  });

  it('malformed chunks and fields → TypeError / RangeError naming the source', async () => {
    const of = (chunks: unknown[], dd = d): RowSource => ({
      d: dd,
      name: 'src',
      async *rows() {
        yield* chunks as Float64Array[];
      },
    });
    await expect(fit(of([new Float64Array(2 * d + 1)]))).rejects.toThrow(/src: a source chunk of 81 values after row 0 is not whole rows of d = 40/);
    await expect(fit(of([[1, 2]]))).rejects.toThrow(TypeError);
    await expect(fit(of([], 0))).rejects.toThrow(/src: source\.d must be an integer in \[1, 4096\], got 0/);
    await expect(fit({ ...of([]), name: 7 } as never)).rejects.toThrow(/source\.name must be a string/);
  });

  it('a source that throws rejects with its own error', async () => {
    const src: RowSource = {
      d,
      name: 'broken',
      async *rows() {
        yield x.data.subarray(0, 10 * d);
        throw new Error('disk on fire');
      },
    };
    await expect(fit(src)).rejects.toThrow('disk on fire');
  });
});

describe('options', () => {
  it('workers, workerFactory, onProgress and chunkRows are checked before anything runs', async () => {
    for (const workers of [-1, 65, 1.5, Number.NaN]) await expect(fit(x, { workers })).rejects.toThrow(RangeError);
    await expect(fit(x, { workers: '2' as never })).rejects.toThrow(/options\.workers must be a number, got "2"/);
    await expect(fit(x, { workerFactory: 'w' as never })).rejects.toThrow(/options\.workerFactory must be a function, got "w"/);
    await expect(fit(x, { onProgress: 1 as never })).rejects.toThrow(/options\.onProgress must be a function, got 1/);
    await expect(sampleAsync(truth, 10, { workers: 65 })).rejects.toThrow(/options\.workers must be an integer in \[0, 64\], got 65/);
    expect(() => sampleChunks(truth, 10, { chunkRows: 0 })).toThrow(/options\.chunkRows must be an integer in \[1, /);
    expect(() => sampleChunks(truth, -1)).toThrow(RangeError);
    expect(() => arraySource(x, 0)).toThrow(/chunkRows must be an integer/);
    await expect(accumulateAsync(x, { workers: 1.5 })).rejects.toThrow(RangeError);
  });

  it('the synchronous calls refuse parallel options rather than ignore them', () => {
    expect(() => fitSync(x, { workers: 2 } as never)).toThrow(/fitSync runs on the calling thread; options\.workers \(2\) needs the asynchronous fit/);
    expect(() => sample(truth, 10, { onProgress: () => {} } as never)).toThrow(/options\.onProgress .* needs the asynchronous sampleAsync or sampleChunks/);
    expect(fitSync(x, { workers: 0 } as never).n).toBe(x.n); // 0 is the calling thread: allowed
  });
});

describe('sampleChunks and sampleAsync (workers: 0) give the rows of sample()', () => {
  const model = randomModel({ d: 3, seed: 2 });
  for (const count of [0, 1, 4095, 4097, 9000]) {
    it(`n = ${count}`, async () => {
      const want = sample(model, count, { seed: 6 }).data;
      expect(firstBitDifference((await sampleAsync(model, count, { seed: 6 })).data, want)).toBeNull();
      for (const chunkRows of [1000, 4096, undefined]) {
        const parts = await collect(sampleChunks(model, count, { seed: 6, chunkRows }));
        expect(firstBitDifference(concat(parts), want)).toBeNull();
        const size = chunkRows ?? 4096 * 85; // default for d = 3: 4096 x floor(256 / 3)
        expect(parts.slice(0, -1).every((p) => p.length === size * 3)).toBe(true);
        if (count > 0) expect(parts.at(-1)!.length).toBe(3 * (count - size * (parts.length - 1)));
      }
    });
  }

  it("streams more rows than one array can hold (n x d > 2^32 - 1): the first chunk is sample()'s first rows", async () => {
    const n = 2 ** 31; // x 3 columns: 6.4e9 values; sample() itself refuses this n
    expect(() => sample(model, n)).toThrow(RangeError);
    for await (const chunk of sampleChunks(model, n, { seed: 6, chunkRows: 5000 })) {
      expect(firstBitDifference(chunk, sample(model, 5000, { seed: 6 }).data)).toBeNull();
      break; // breaking off ends the generation
    }
  });
});
