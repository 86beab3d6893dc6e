// The .npy reader and writer: files written by NumPy itself (test/fixtures/npy), by npyjs
// (an independent writer), and hand-made bad headers; npyjs as a cross-check of the parser.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dump, parse } from 'npyjs';
import { afterAll, describe, expect, it } from 'vitest';
import { npyHeaderBytes } from '../../../src/io/npy-header.js';
import { npySource, readNpy, readNpyHeader } from '../../../src/io/npy-reader.js';
import { openWriter } from '../../../src/io/writers.js';
import { binarySource } from '../../../src/io/binary-rows.js';

const FIX = join(__dirname, '../../fixtures/npy');
const expected = JSON.parse(readFileSync(join(FIX, 'expected.json'), 'utf8')) as { f8: number[]; f4: number[] };
const dir = mkdtempSync(join(tmpdir(), 'relu-io-npy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function readAll(src: { rows(): AsyncIterable<Float64Array> }): Promise<number[]> {
  const out: number[] = [];
  for await (const c of src.rows()) out.push(...c);
  return out;
}

/** A .npy file with the given header dict text and data bytes (no padding rules applied). */
function handMade(name: string, dict: string, data: Uint8Array, version = 1): string {
  const pre = version === 1 ? 10 : 12;
  const head = new Uint8Array(pre + dict.length + 1);
  head.set([0x93, 78, 85, 77, 80, 89, version, 0]);
  const view = new DataView(head.buffer);
  if (version === 1) view.setUint16(8, dict.length + 1, true);
  else view.setUint32(8, dict.length + 1, true);
  for (let i = 0; i < dict.length; i++) head[pre + i] = dict.charCodeAt(i);
  head[head.length - 1] = 10;
  const path = join(dir, name);
  writeFileSync(path, Buffer.concat([head, data]));
  return path;
}

const f8bytes = (values: number[]) => new Uint8Array(Float64Array.from(values).buffer);

describe('.npy files written by NumPy', () => {
  it.each(['f8.npy', 'v2.npy', 'v3.npy', 'fortran-col.npy'])('%s: shape, values, bit for bit', async (file) => {
    const src = await npySource(join(FIX, file));
    const values = await readAll(src);
    if (file === 'fortran-col.npy') {
      expect([src.n, src.d]).toEqual([4, 1]);
      expect(values).toEqual([0, 3, 6, 9].map((i) => expected.f8[i]));
    } else {
      expect([src.n, src.d]).toEqual([4, 3]);
      expect(values).toEqual(expected.f8);
    }
  });

  it('float32 is widened to float64 exactly', async () => {
    const src = await npySource(join(FIX, 'f4.npy'));
    expect(await readAll(src)).toEqual(expected.f4);
    expect(expected.f4).not.toEqual(expected.f8); // the widening is visible: not a copy of f8
  });

  it('a 1-D array is n rows of d = 1', async () => {
    const src = await npySource(join(FIX, '1d.npy'));
    expect([src.n, src.d]).toEqual([4, 1]);
    expect(await readAll(src)).toEqual([0, 3, 6, 9].map((i) => expected.f8[i]));
  });

  it.each([
    ['i8.npy', /dtype '<i8' is not float64 or float32/],
    ['be.npy', /dtype '>f8' is big-endian/],
    ['fortran.npy', /Fortran \(column-major\) order/],
    ['3d.npy', /shape \(2, 2, 3\) is not \(n,\) or \(n, d\)/],
  ])('%s is refused: %s', async (file, message) => {
    await expect(npySource(join(FIX, file))).rejects.toThrow(message);
    await expect(npySource(join(FIX, file))).rejects.toThrow(join(FIX, file));
  });

  it('the in-memory reader (npyjs) agrees with the streaming one', async () => {
    for (const file of ['f8.npy', 'v2.npy', 'v3.npy', 'f4.npy', '1d.npy']) {
      const mem = await readNpy(join(FIX, file));
      expect(Array.from(mem.data)).toEqual(await readAll(await npySource(join(FIX, file))));
    }
  });
});

describe('.npy header parser against npyjs', () => {
  it('reads files npyjs writes (its own header layout) with the shapes npyjs reads', async () => {
    const data = Float64Array.from({ length: 35 }, (_, i) => Math.sqrt(i));
    for (const shape of [[7, 5], [35]]) {
      const path = join(dir, `npyjs-${shape.join('x')}.npy`);
      writeFileSync(path, Buffer.from(dump(data, shape)));
      const h = await readNpyHeader(path);
      const file = readFileSync(path);
      const ref = parse(file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength) as ArrayBuffer);
      expect(h.shape).toEqual(ref.shape);
      expect([h.n, h.d]).toEqual(shape.length === 2 ? [7, 5] : [35, 1]);
      expect(await readAll(await npySource(path))).toEqual(Array.from(data));
    }
  });

  it('npyjs and NumPy read what the writer writes (header padded to 64 bytes)', async () => {
    const data = Float64Array.from({ length: 12 }, (_, i) => i / 3);
    const path = join(dir, 'mine.npy');
    const w = await openWriter(path, 'npy', 4, 3);
    await w.write(data.subarray(0, 6));
    await w.write(data.subarray(6));
    await w.commit();
    const bytes = readFileSync(path);
    expect(npyHeaderBytes(4, 3).length % 64).toBe(0);
    const ref = parse(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
    expect(ref.shape).toEqual([4, 3]);
    expect(ref.fortranOrder).toBe(false);
    expect(Array.from(ref.data as Float64Array)).toEqual(Array.from(data));
    // Byte-identical to NumPy's np.save of the same array (header text and padding included).
    expect(bytes.subarray(0, 128).equals(readFileSync(join(FIX, 'f8.npy')).subarray(0, 128))).toBe(true);
  });
});

describe('bad .npy files name the file and what is wrong', () => {
  const dict = (shape: string, descr = '<f8', fortran = 'False') => `{'descr': '${descr}', 'fortran_order': ${fortran}, 'shape': ${shape}, }`;

  it('truncated data: the rows that are there, and the bytes needed', async () => {
    const path = handMade('trunc.npy', dict('(4, 3)'), f8bytes(expected.f8.slice(0, 7)));
    await expect(npySource(path)).rejects.toThrow(/trunc\.npy: truncated: shape \(4, 3\) needs \d+ bytes, the file has \d+ \(2 whole rows\)/);
  });

  it('trailing bytes after the data', async () => {
    const path = handMade('trail.npy', dict('(2, 3)'), f8bytes(expected.f8.slice(0, 7)));
    await expect(npySource(path)).rejects.toThrow(/trail\.npy: 8 bytes after the 2 x 3 data/);
  });

  it('truncated inside the header, or no magic', async () => {
    const good = readFileSync(join(FIX, 'f8.npy'));
    const a = join(dir, 'cut-header.npy');
    writeFileSync(a, good.subarray(0, 40));
    await expect(npySource(a)).rejects.toThrow(/cut-header\.npy: truncated inside the \.npy header/);
    const b = join(dir, 'not.npy');
    writeFileSync(b, 'hello, world\n');
    await expect(npySource(b)).rejects.toThrow(/not\.npy: not a \.npy file/);
    const c = join(dir, 'empty.npy');
    writeFileSync(c, '');
    await expect(npySource(c)).rejects.toThrow(/empty\.npy: not a \.npy file/);
  });

  it('unknown versions, keys, and malformed dicts', async () => {
    await expect(npySource(handMade('v4.npy', dict('(1, 1)'), f8bytes([1]), 4))).rejects.toThrow(/version 4\.0 is not 1\.0, 2\.0 or 3\.0/);
    await expect(npySource(handMade('key.npy', "{'descr': '<f8', 'fortran_order': False, 'shape': (1, 1), 'extra': 1, }", f8bytes([1])))).rejects.toThrow(
      /malformed|unexpected key/,
    );
    await expect(npySource(handMade('nodict.npy', "{'descr': '<f8', 'shape': (1, 1)}", f8bytes([1])))).rejects.toThrow(/no 'fortran_order'/);
    await expect(npySource(handMade('broken.npy', "{'descr': '<f8', 'fortran_order': False, 'shape': (1, 1}", f8bytes([1])))).rejects.toThrow(
      /broken\.npy: malformed \.npy header/,
    );
    await expect(npySource(handMade('struct.npy', "{'descr': [('a', '<f8')], 'fortran_order': False, 'shape': (1,), }", f8bytes([1])))).rejects.toThrow(
      /malformed/,
    );
    await expect(npySource(handMade('scalar.npy', dict('()'), f8bytes([1])))).rejects.toThrow(/shape \(\) is not \(n,\) or \(n, d\)/);
    await expect(npySource(handMade('nocols.npy', dict('(3, 0)'), new Uint8Array(0)))).rejects.toThrow(/has no columns/);
  });

  it('a missing file', async () => {
    await expect(npySource(join(dir, 'missing.npy'))).rejects.toThrow(/missing\.npy: cannot read: no such file/);
  });
});

describe('the streaming core', () => {
  it('chunks of any size reuse one buffer and concatenate to the file', async () => {
    const n = 1000;
    const d = 3;
    const data = Float64Array.from({ length: n * d }, (_, i) => i * 0.5);
    const path = join(dir, 'chunks.npy');
    const w = await openWriter(path, 'npy', n, d);
    await w.write(data);
    await w.commit();
    const h = await readNpyHeader(path);
    const src = binarySource({ path, offset: h.dataOffset, n, d, itemSize: 8, bytes: h.dataOffset + n * d * 8 }, 64);
    const seen = new Set<ArrayBufferLike>();
    const out: number[] = [];
    for await (const c of src.rows()) {
      seen.add(c.buffer);
      expect(c.length % d).toBe(0);
      out.push(...c);
    }
    expect(out).toEqual(Array.from(data));
    expect(seen.size).toBe(1);
    expect(src.bytesRead).toBe(src.bytes);
  });
});
