// MATLAB's matrices in TypeScript: column-major { data, rows, cols }, or rows of numbers as
// written in MATLAB ([r1; r2; ...] -> [[...r1], [...r2]]), or an ml-matrix Matrix. Messages
// name entries the MATLAB way, 1-based: samples(2,17).
import { Matrix } from 'ml-matrix';
import type { Samples } from '../types.js';
import { checkInteger, MAX_MAGNITUDE, show } from '../input/scalars.js';
import { MAX_FIT_D } from '../input/arrays.js';

/**
 * A matrix in MATLAB's memory order (column-major): element (i, j), 1-based, is
 * data[(i - 1) + rows * (j - 1)]. Note: the package root's `MatrixLike` is row-major; this
 * type belongs to relu-density/compat only.
 */
export interface MatlabMatrix {
  data: Float64Array;
  rows: number;
  cols: number;
}

/** A d x n matrix for the compat functions: column-major, rows of numbers, or an ml-matrix. */
export type MatlabInput = MatlabMatrix | readonly (readonly number[])[] | Matrix;

/** Rows of numbers (or a Matrix) d x n -> column-major data. */
function fromRows(name: string, rows: readonly (readonly unknown[])[]): MatlabMatrix {
  const d = rows.length;
  if (d === 0) throw new RangeError(`${name} must have at least one row, got an empty array`);
  const first = rows[0];
  if (!Array.isArray(first)) throw new TypeError(`${name}(1,:) must be an array of numbers, got ${show(first)}`);
  const n = first.length;
  const data = new Float64Array(d * n);
  for (let i = 0; i < d; i++) {
    const row = rows[i];
    if (!Array.isArray(row)) throw new TypeError(`${name}(${i + 1},:) must be an array of numbers, got ${show(row)}`);
    if (row.length !== n) throw new RangeError(`${name} is ragged: row 1 has ${n} entries but row ${i + 1} has ${row.length}`);
    for (let j = 0; j < n; j++) {
      const v = row[j];
      if (typeof v !== 'number') throw new TypeError(`${name}(${i + 1},${j + 1}) must be a number, got ${show(v)}`);
      data[i + d * j] = v;
    }
  }
  return { data, rows: d, cols: n };
}

/** Any accepted form -> column-major (the caller's Float64Array is reused, never written). */
export function toMatlab(name: string, m: unknown): MatlabMatrix {
  if (Array.isArray(m)) return fromRows(name, m);
  if (Matrix.isMatrix(m)) return fromRows(name, (m as Matrix).to2DArray());
  if (typeof m === 'object' && m !== null && 'data' in m && 'rows' in m && 'cols' in m) {
    const { data, rows, cols } = m as MatlabMatrix;
    const r = checkInteger(`${name}.rows`, rows, 1);
    const c = checkInteger(`${name}.cols`, cols, 0);
    if (!(data instanceof Float64Array)) throw new TypeError(`${name}.data must be a Float64Array, got ${show(data)}`);
    if (data.length !== r * c) {
      throw new RangeError(`${name}.data has length ${data.length}, but rows x cols = ${r} x ${c} = ${r * c}`);
    }
    return { data, rows: r, cols: c };
  }
  throw new TypeError(`${name} must be { data: Float64Array, rows, cols } (column-major), number[][] (rows) or an ml-matrix Matrix, got ${show(m)}`);
}

/**
 * samples (d x n, columns are samples) as the package's n x d row-major Samples: the same
 * memory, since column-major d x n is row-major n x d. Values are checked here so that
 * messages use MATLAB's indices.
 */
export function samplesOf(name: string, m: unknown): Samples {
  const s = toMatlab(name, m);
  const d = s.rows;
  if (d > MAX_FIT_D) throw new RangeError(`${name} must have d <= ${MAX_FIT_D} rows, got ${d}`);
  if (s.cols < 2) throw new RangeError(`${name} must have n >= 2 columns (samples), got ${s.cols}`);
  for (let e = 0; e < s.data.length; e++) {
    const v = s.data[e];
    if (v >= 0 && v <= MAX_MAGNITUDE) continue;
    const at = `${name}(${(e % d) + 1},${Math.floor(e / d) + 1})`;
    if (!Number.isFinite(v)) throw new RangeError(`${at} is ${v}; every value must be finite`);
    if (v < 0) throw new RangeError(`${at} is ${v}; samples of ReLU(Wz + b) cannot be negative`);
    throw new RangeError(`${at} is ${v}; values above ${MAX_MAGNITUDE} would overflow the fit; rescale the samples`);
  }
  return { data: s.data, n: s.cols, d };
}

/** A vector (MATLAB 1 x n) of numbers as a Float64Array: number[], a Float64Array, or any numeric ArrayLike. */
export function vectorOf(name: string, v: unknown): Float64Array {
  if (v instanceof Float64Array) return v;
  if (v === null || typeof v !== 'object' || typeof (v as ArrayLike<unknown>).length !== 'number') {
    throw new TypeError(`${name} must be a vector: number[] or a Float64Array, got ${show(v)}`);
  }
  const a = v as ArrayLike<unknown>;
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    if (typeof x !== 'number') throw new TypeError(`${name}(${i + 1}) must be a number, got ${show(x)}`);
    out[i] = x;
  }
  return out;
}
