// Raw .f64 files, format detection, and the atomic writers (nothing at the path until commit;
// nothing left behind after a failure).
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AtomicFile } from '../../../src/io/atomic-file.js';
import { f64Source } from '../../../src/io/f64-reader.js';
import { formatOf, openSource } from '../../../src/io/formats.js';
import { openWriter } from '../../../src/io/writers.js';

const dir = mkdtempSync(join(tmpdir(), 'relu-io-f64-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function readAll(src: { rows(): AsyncIterable<Float64Array> }): Promise<number[]> {
  const out: number[] = [];
  for await (const c of src.rows()) out.push(...c);
  return out;
}

describe('.f64 files', () => {
  it('little-endian float64, row-major, any d that divides the size', async () => {
    const data = Float64Array.from({ length: 24 }, (_, i) => i / 7);
    const path = join(dir, 'x.f64');
    writeFileSync(path, new Uint8Array(data.buffer));
    const src = await f64Source(path, 4);
    expect([src.n, src.d, src.bytes]).toEqual([6, 4, 192]);
    expect(await readAll(src)).toEqual(Array.from(data));
    expect(readFileSync(path).readDoubleLE(8 * 5)).toBe(5 / 7); // the file really is LE
  });

  it('--d not dividing the size, and a truncated value, are errors that say so', async () => {
    const path = join(dir, 'odd.f64');
    writeFileSync(path, new Uint8Array(new Float64Array(10).buffer));
    await expect(f64Source(path, 4)).rejects.toThrow(
      /odd\.f64: 80 bytes is not a multiple of 8 x d = 32 bytes: 10 values are not a whole number of rows of d = 4; is --d right\?/,
    );
    const cut = join(dir, 'cut.f64');
    writeFileSync(cut, new Uint8Array(8 * 6 + 3));
    await expect(f64Source(cut, 2)).rejects.toThrow(/cut\.f64: 51 bytes .* not a whole number of float64 values: the file is truncated/);
  });

  it('missing files and directories', async () => {
    await expect(f64Source(join(dir, 'nope.f64'), 2)).rejects.toThrow(/nope\.f64: cannot read: no such file/);
    await expect(f64Source(dir, 2)).rejects.toThrow(/cannot read: not a regular file/);
  });
});

describe('formats', () => {
  it('from the extension, or named', async () => {
    expect(formatOf('a/b.NPY')).toBe('npy');
    expect(formatOf('x.f64')).toBe('f64');
    expect(formatOf('x.csv')).toBe('csv');
    expect(formatOf('x.txt')).toBeUndefined();
    const path = join(dir, 'data.bin');
    writeFileSync(path, '1,2\n3,4\n');
    await expect(openSource(path)).rejects.toThrow(/data\.bin: cannot tell the format from the extension; name it with --format/);
    expect((await openSource(path, { format: 'csv' })).d).toBe(2);
    await expect(openSource(join(dir, 'y.f64'))).rejects.toThrow(/y\.f64: a raw \.f64 file does not record d; give it with --d/);
  });
});

describe('atomic writers', () => {
  const leftovers = () => readdirSync(dir).filter((f) => f.includes('.partial'));

  it.each(['f64', 'npy', 'csv'] as const)('%s: nothing at the path until commit, then the whole file', async (format) => {
    const path = join(dir, `atomic.${format}`);
    writeFileSync(path, 'old contents');
    const w = await openWriter(path, format, 3, 2);
    await w.write(Float64Array.of(1, 2, 3, 4));
    expect(readFileSync(path, 'utf8')).toBe('old contents');
    expect(leftovers().length).toBe(1);
    await w.write(Float64Array.of(5, 6));
    await w.commit();
    expect(leftovers()).toEqual([]);
    expect(await readAll(await openSource(path, { d: 2 }))).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('abort removes the temporary file and leaves the old file alone', async () => {
    const path = join(dir, 'aborted.f64');
    writeFileSync(path, 'keep me');
    const w = await openWriter(path, 'f64', 2, 1);
    await w.write(Float64Array.of(1));
    await w.abort();
    await w.abort(); // twice is harmless
    expect(leftovers()).toEqual([]);
    expect(readFileSync(path, 'utf8')).toBe('keep me');
  });

  it('.npy refuses to commit a row count other than the header declares', async () => {
    const path = join(dir, 'short.npy');
    const w = await openWriter(path, 'npy', 3, 2);
    await w.write(Float64Array.of(1, 2, 3, 4));
    await expect(w.commit()).rejects.toThrow(/short\.npy: 2 rows written, the header declares 3; nothing written/);
    expect(leftovers()).toEqual([]);
    expect(readdirSync(dir)).not.toContain('short.npy');
    const over = await openWriter(join(dir, 'over.npy'), 'npy', 1, 2);
    await expect(over.write(Float64Array.of(1, 2, 3, 4))).rejects.toThrow(/more than the 1 rows declared/);
    await over.abort();
    expect(leftovers()).toEqual([]);
  });

  it('an unwritable destination fails at once, naming the path', async () => {
    await expect(openWriter(join(dir, 'no', 'such', 'dir.f64'), 'f64', 1, 1)).rejects.toThrow(
      /cannot write .*no\/such\/dir\.f64: no such directory .*no\/such$/,
    );
    await expect(AtomicFile.create('/proc/version')).rejects.toThrow(/cannot write \/proc\/version/);
  });

  it('chunks that are not whole rows are refused', async () => {
    const w = await openWriter(join(dir, 'rows.csv'), 'csv', 2, 3);
    await expect(w.write(Float64Array.of(1, 2))).rejects.toThrow(/a chunk of 2 values is not whole rows of d = 3/);
    await w.abort();
  });
});
