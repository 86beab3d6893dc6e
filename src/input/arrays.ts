// Input -> validated, packed form (arrays, matrices, models; scalar and option checks are in
// checks.ts). Every check happens in TypeScript before any kernel runs; the messages name the
// argument and the offending value.
import { Matrix } from 'ml-matrix';
import { checkInteger, checkValuesAt, MAX_MAGNITUDE, SAMPLE_TOO_LARGE, show } from './scalars.js';
import type { MatrixInput, MatrixLike, ModelInput, Samples } from '../types.js';

/** Largest Float64Array this package will make (V8's limit is 2^32 - 1 elements). */
const MAX_ELEMENTS = 2 ** 32 - 1;

/**
 * Largest d fit accepts (and randomModel makes): 4096. What grows with d (docs/wide.md):
 * memory, dominated by the exact sums of the statistics (3 d^2 sums of two partials, 17
 * bytes each); time, the statistics O(n d^2), Step 2's d^2 / 2 pairs and the PSD
 * projection's O(d^3) Cholesky. The Wasm allocations stay below
 * AssemblyScript's 1 GiB per allocation: the statistics are made in bands of at most
 * 64 MiB, and the d x d matrices of the projection are 134 MB at d = 4096.
 */
export const MAX_FIT_D = 4096;

function isMatrixLike(v: unknown): v is MatrixLike {
  return typeof v === 'object' && v !== null && 'data' in v && 'rows' in v && 'cols' in v;
}

/** Rows of numbers -> row-major Float64Array, checking shape and that every entry is a number. */
function packRows(name: string, rows: readonly (readonly number[])[]): MatrixLike {
  const n = rows.length;
  if (n === 0) throw new RangeError(`${name} must have at least one row, got an empty array`);
  const first = rows[0];
  if (!Array.isArray(first)) throw new TypeError(`${name}[0] must be an array of numbers, got ${show(first)}`);
  const cols = first.length;
  if (cols === 0) throw new RangeError(`${name}[0] is empty; ${name} must have at least one column`);
  if (n * cols > MAX_ELEMENTS) throw new RangeError(`${name} has ${n} x ${cols} entries, more than ${MAX_ELEMENTS}`);
  const data = new Float64Array(n * cols);
  for (let r = 0; r < n; r++) {
    const row = rows[r];
    if (!Array.isArray(row)) throw new TypeError(`${name}[${r}] must be an array of numbers, got ${show(row)}`);
    if (row.length !== cols) {
      throw new RangeError(`${name} is ragged: row 0 has ${cols} entries but row ${r} has ${row.length}`);
    }
    for (let c = 0; c < cols; c++) {
      const v = row[c];
      if (typeof v !== 'number') throw new TypeError(`${name}[${r}][${c}] must be a number, got ${show(v)}`);
      data[r * cols + c] = v;
    }
  }
  return { data, rows: n, cols };
}

/** Any accepted matrix form -> MatrixLike (the caller's array is reused, never written). */
export function toMatrix(name: string, m: unknown): MatrixLike {
  if (Array.isArray(m)) return packRows(name, m);
  if (Matrix.isMatrix(m)) {
    const mm = m as Matrix;
    return packRows(name, mm.to2DArray());
  }
  if (isMatrixLike(m)) {
    const rows = checkInteger(`${name}.rows`, m.rows, 1);
    const cols = checkInteger(`${name}.cols`, m.cols, 1);
    if (!(m.data instanceof Float64Array)) {
      throw new TypeError(`${name}.data must be a Float64Array, got ${show(m.data)}`);
    }
    if (m.data.length !== rows * cols) {
      throw new RangeError(`${name}.data has length ${m.data.length}, but rows x cols = ${rows} x ${cols} = ${rows * cols}`);
    }
    return { data: m.data, rows, cols };
  }
  throw new TypeError(`${name} must be number[][], an ml-matrix Matrix or { data: Float64Array, rows, cols }, got ${show(m)}`);
}

/**
 * Throws at the first entry of a row-major array that is not finite, is negative (with
 * nonNegative), or is larger than max in magnitude (`why` says what it would break).
 */
function checkValues(name: string, data: Float64Array, cols: number, nonNegative: boolean, max: number, why: string): void {
  checkValuesAt(data, nonNegative, max, why, (i) => `${name}[${Math.floor(i / cols)}][${i % cols}]`);
}

const MODEL_TOO_LARGE = 'would overflow W W^T and its norms; rescale the model';

/** Data for fit: n >= 2 rows of 1 <= d <= MAX_FIT_D finite, non-negative values. */
export function toSamples(name: string, x: unknown): Samples {
  const s = toSampleShape(name, x);
  checkValues(name, s.data, s.d, true, MAX_MAGNITUDE, SAMPLE_TOO_LARGE);
  return s;
}

/**
 * toSamples without the scan of the values (the shape checks and the conversion; a Samples'
 * data is not copied), for callers that check the values block by block as they read them.
 */
export function toSampleShape(name: string, x: unknown): Samples {
  let m: MatrixLike;
  if (typeof x === 'object' && x !== null && !Array.isArray(x) && 'n' in x && 'd' in x && 'data' in x) {
    const s = x as Samples;
    const n = checkInteger(`${name}.n`, s.n, 2);
    const d = checkInteger(`${name}.d`, s.d, 1, MAX_FIT_D);
    if (!(s.data instanceof Float64Array)) {
      throw new TypeError(`${name}.data must be a Float64Array, got ${show(s.data)}`);
    }
    if (s.data.length !== n * d) {
      throw new RangeError(`${name}.data has length ${s.data.length}, but n x d = ${n} x ${d} = ${n * d}`);
    }
    m = { data: s.data, rows: n, cols: d };
  } else {
    if (!Array.isArray(x) && !Matrix.isMatrix(x)) {
      throw new TypeError(`${name} must be { data: Float64Array, n, d }, number[][] or an ml-matrix Matrix, got ${show(x)}`);
    }
    m = toMatrix(name, x);
    if (m.rows < 2) throw new RangeError(`${name} must have n >= 2 rows, got n = ${m.rows}`);
    if (m.cols < 1) throw new RangeError(`${name} must have d >= 1 columns, got d = 0`);
    if (m.cols > MAX_FIT_D) throw new RangeError(`${name} must have d <= ${MAX_FIT_D} columns, got d = ${m.cols}`);
  }
  return { data: m.data, n: m.rows, d: m.cols };
}

/** A validated model, laid out for generation. */
export interface CheckedModel {
  W: MatrixLike;
  b: Float64Array;
  d: number;
  k: number;
}

export function toModel(name: string, model: unknown): CheckedModel {
  if (typeof model !== 'object' || model === null) {
    throw new TypeError(`${name} must be an object { W, b }, got ${show(model)}`);
  }
  const { W, b } = model as ModelInput;
  const w = toMatrix(`${name}.W`, W as MatrixInput);
  checkValues(`${name}.W`, w.data, w.cols, false, MAX_MAGNITUDE, MODEL_TOO_LARGE);
  if (b === null || typeof b !== 'object' || typeof (b as ArrayLike<number>).length !== 'number') {
    throw new TypeError(`${name}.b must be an array of numbers, got ${show(b)}`);
  }
  if (b.length !== w.rows) {
    throw new RangeError(`${name}.b has length ${b.length}, but ${name}.W has ${w.rows} rows`);
  }
  const bb = new Float64Array(b.length);
  for (let i = 0; i < b.length; i++) {
    const v = b[i];
    if (typeof v !== 'number') throw new TypeError(`${name}.b[${i}] must be a number, got ${show(v)}`);
    if (!Number.isFinite(v)) throw new RangeError(`${name}.b[${i}] is ${v}; every value must be finite`);
    if (Math.abs(v) > MAX_MAGNITUDE) {
      throw new RangeError(`${name}.b[${i}] is ${v}; values above ${MAX_MAGNITUDE} in magnitude ${MODEL_TOO_LARGE}`);
    }
    bb[i] = v;
  }
  return { W: w, b: bb, d: w.rows, k: w.cols };
}

export function checkSampleCount(name: string, n: unknown, d: number): number {
  const count = checkInteger(name, n, 0);
  if (count * d > MAX_ELEMENTS) {
    throw new RangeError(`${name} = ${count} rows of d = ${d} is more than ${MAX_ELEMENTS} values in one array`);
  }
  return count;
}

/**
 * Coordinates whose positive values average below this lose digits in their sums of
 * squares (which underflow near 1e-154); the estimators refuse them and ask for a rescale.
 */
export const MIN_POSITIVE_MEAN = 1e-100;

export function checkCoordinateScale(name: string, i: number, meanPositive: number): void {
  if (meanPositive < MIN_POSITIVE_MEAN) {
    throw new RangeError(
      `${name}: the positive values of coordinate ${i} average ${meanPositive}; below ${MIN_POSITIVE_MEAN} their squares underflow: rescale the data`,
    );
  }
}
