// The CSV reader (csv-parse underneath): header detection, quoting, and every bad row named
// by file, line and column; the CSV writer's round trip.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { csvNumber, csvSource } from '../../../src/io/csv-reader.js';
import { openWriter } from '../../../src/io/writers.js';

const dir = mkdtempSync(join(tmpdir(), 'relu-io-csv-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

async function readAll(src: { rows(): AsyncIterable<Float64Array> }): Promise<number[]> {
  const out: number[] = [];
  for await (const c of src.rows()) out.push(...c);
  return out;
}

describe('CSV reading', () => {
  it('plain rows, no header', async () => {
    const src = await csvSource(file('plain.csv', '0,1.5,2\n3e-3,0,.5\n'));
    expect(src.d).toBe(3);
    expect(src.n).toBeUndefined();
    expect(await readAll(src)).toEqual([0, 1.5, 2, 0.003, 0, 0.5]);
    expect(src.bytesRead).toBe(src.bytes);
  });

  it('a header row, quotes, spaces, CRLF, a BOM and blank lines', async () => {
    const src = await csvSource(file('header.csv', '\ufeff"x1", x2 ,x3\r\n\r\n"1", 2 ,3\r\n4,5,6\r\n\r\n'));
    expect(src.d).toBe(3);
    expect(await readAll(src)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('a file without a final newline; many chunks of rows', async () => {
    const rows = Array.from({ length: 5000 }, (_, r) => `${r},${r / 8}`);
    const src = await csvSource(file('many.csv', rows.join('\n')));
    const values = await readAll(src);
    expect(values.length).toBe(10_000);
    expect(values[9998]).toBe(4999);
    expect(values[9999]).toBe(4999 / 8);
  });

  it('numbers: decimal forms accepted, everything else not', () => {
    for (const [text, v] of [
      ['1', 1],
      ['-0.5', -0.5],
      ['+2e3', 2000],
      ['.25', 0.25],
      ['3.', 3],
      ['1E-2', 0.01],
    ] as const) {
      expect(csvNumber(text)).toBe(v);
    }
    expect(csvNumber('nan')).toBeNaN();
    expect(csvNumber('-inf')).toBe(-Infinity);
    expect(csvNumber('Infinity')).toBe(Infinity);
    for (const text of ['', ' ', '0x10', '1,5', '1e', 'e5', '--1', 'abc', '1 2']) expect(csvNumber(text)).toBeUndefined();
  });

  it('d given and matching is fine; not matching is an error', async () => {
    const path = file('d.csv', '1,2\n3,4\n');
    expect((await csvSource(path, { d: 2 })).d).toBe(2);
    await expect(csvSource(path, { d: 3 })).rejects.toThrow(/d\.csv: line 1 has 2 columns, but --d is 3/);
  });
});

describe('bad CSV rows name the file, the line and the column', () => {
  const cases: [string, string, RegExp][] = [
    ['ragged-short.csv', '1,2,3\n4,5,6\n7,8\n', /ragged-short\.csv: line 3 has 2 columns, expected 3 \(as on line 1\)/],
    ['ragged-long.csv', 'a,b\n1,2\n3,4,5\n', /ragged-long\.csv: line 3 has 3 columns, expected 2 \(as on line 1\)/],
    ['text.csv', '1,2\n3,4\n5,six\n', /text\.csv: line 3, column 2: 'six' is not a number/],
    ['empty-field.csv', '1,2\n,4\n', /empty-field\.csv: line 2, column 1: '' is not a number/],
    ['nan.csv', '1,2\n3,nan\n', /nan\.csv: line 2, column 2: value nan is NaN; every value must be finite/],
    ['inf.csv', 'x,y\n1,2\ninf,3\n', /inf\.csv: line 3, column 1: value inf is Infinity; every value must be finite/],
    ['negative.csv', '1,2\n3,4\n5,-0.5\n', /negative\.csv: line 3, column 2: value -0.5 is -0.5; samples of ReLU\(Wz \+ b\) cannot be negative/],
    ['huge.csv', '1,2\n3,1e300\n', /huge\.csv: line 2, column 2: value 1e300 is 1e\+300; values above 1e\+70/],
    ['quote.csv', '1,2\n"3,4\n', /quote\.csv: .*[Qq]uote/],
  ];
  it.each(cases)('%s', async (name, text, message) => {
    const path = file(name, text);
    const run = async () => readAll(await csvSource(path));
    await expect(run()).rejects.toThrow(message);
  });

  it('a first line that mixes names and numbers is not taken for a header', async () => {
    await expect(csvSource(file('mixed.csv', 'x,2\n1,2\n'))).rejects.toThrow(
      /mixed\.csv: line 1, column 1: 'x' is not a number \(and the line is not a header/,
    );
  });

  it('empty files and header-only files', async () => {
    await expect(csvSource(file('empty.csv', ''))).rejects.toThrow(/empty\.csv: no rows/);
    await expect(csvSource(file('blank.csv', '\n\n'))).rejects.toThrow(/blank\.csv: no rows/);
    const only = await csvSource(file('only-header.csv', 'a,b\n'));
    expect(await readAll(only)).toEqual([]); // zero rows: the fit refuses n < 2 with the file's name
  });

  it('a missing file', async () => {
    await expect(csvSource(join(dir, 'missing.csv'))).rejects.toThrow(/missing\.csv: cannot read: no such file/);
  });
});

describe('CSV writing', () => {
  it('round-trips every double exactly (shortest round-trip text)', async () => {
    const d = 4;
    const data = Float64Array.from({ length: 400 }, (_, i) => (i % 5 === 0 ? 0 : Math.exp(Math.sin(i) * 30) / 3));
    const path = join(dir, 'round.csv');
    const w = await openWriter(path, 'csv', 100, d);
    await w.write(data.subarray(0, 40 * d));
    await w.write(data.subarray(40 * d));
    await w.commit();
    const src = await csvSource(path);
    expect(src.d).toBe(d);
    expect(await readAll(src)).toEqual(Array.from(data));
  });
});
