// The user's own data, read in the browser: CSV (one row per sample, an optional header) or
// NumPy .npy (a 2-D numeric array). Only the format is checked here; values (negatives, NaN)
// are checked by the package's fit, whose errors name the row and column.
import { parse as parseCsvRecords } from 'csv-parse/browser/esm/sync';
import { parse as parseNpyBuffer } from 'npyjs';

/** Row-major samples, as the package's fit takes them. */
export interface Matrix {
  data: Float64Array;
  n: number;
  d: number;
}

const isNumber = (s: string) => s !== '' && Number.isFinite(Number(s));

/** CSV text to a matrix; a first row that is not all numbers is taken as a header. */
export function parseCsv(text: string, name: string): Matrix {
  let records: string[][];
  try {
    records = parseCsvRecords(text, { skip_empty_lines: true, trim: true, comment: '#' }) as string[][];
  } catch (e) {
    throw new Error(`${name}: ${(e as Error).message}`);
  }
  if (records.length > 0 && !records[0].every(isNumber)) records = records.slice(1);
  if (records.length === 0) throw new Error(`${name}: no data rows`);
  const d = records[0].length;
  const data = new Float64Array(records.length * d);
  for (let r = 0; r < records.length; r++) {
    const row = records[r];
    for (let c = 0; c < d; c++) {
      const v = Number(row[c]);
      if (row[c] === '' || Number.isNaN(v)) {
        throw new Error(`${name}: data row ${r + 1}, column ${c + 1}: ${JSON.stringify(row[c])} is not a number`);
      }
      data[r * d + c] = v;
    }
  }
  return { data, n: records.length, d };
}

/** A .npy file's bytes to a matrix: a 2-D array of any real dtype, C or Fortran order. */
export function parseNpy(buffer: ArrayBuffer, name: string): Matrix {
  let arr;
  try {
    arr = parseNpyBuffer(buffer);
  } catch (e) {
    throw new Error(`${name}: not a readable .npy file (${(e as Error).message})`);
  }
  if (arr.shape.length !== 2) throw new Error(`${name}: expected a 2-D array (n rows, d columns), got shape (${arr.shape.join(', ')})`);
  if (/^(c|U|b)/.test(arr.dtype)) throw new Error(`${name}: dtype ${arr.dtype} is not a real number type`);
  const [n, d] = arr.shape;
  const src = arr.data as unknown as ArrayLike<number | bigint>;
  const data = new Float64Array(n * d);
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < d; c++) {
      const v = src[arr.fortranOrder ? c * n + r : r * d + c];
      data[r * d + c] = Number(v);
    }
  }
  return { data, n, d };
}

/** A File to a matrix, by its extension (.npy, else CSV). */
export async function parseFile(file: File): Promise<Matrix> {
  if (file.name.toLowerCase().endsWith('.npy')) return parseNpy(await file.arrayBuffer(), file.name);
  return parseCsv(await file.text(), file.name);
}
