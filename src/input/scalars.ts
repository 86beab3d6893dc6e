// Checks of scalar arguments, option objects and sample values: TypeError / RangeError naming
// the argument (or the entry) and the value. Kept apart from validate.ts (arrays, matrices,
// models), which needs ml-matrix: workers run these (the Wasm loader's options, the values of
// each block before its kernel), and ml-matrix alone takes about 80 ms to load, in every
// worker a call starts.

export function show(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  if (v === null || v === undefined) return String(v);
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  if (ArrayBuffer.isView(v)) return `a ${v.constructor.name}`;
  return `a ${typeof v === 'object' ? (v.constructor?.name ?? 'object') : typeof v}`;
}

export function checkInteger(name: string, v: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof v !== 'number') throw new TypeError(`${name} must be a number, got ${show(v)}`);
  if (!Number.isInteger(v) || v < min || v > max) {
    throw new RangeError(`${name} must be an integer in [${min}, ${max}], got ${show(v)}`);
  }
  return v;
}

export function checkSeed(name: string, v: unknown): number {
  return checkInteger(name, v, 0, 2 ** 32 - 1);
}

export function checkOptions(name: string, v: unknown): Record<string, unknown> {
  if (v === undefined) return {};
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    throw new TypeError(`${name} must be an object, got ${show(v)}`);
  }
  return v as Record<string, unknown>;
}

export function checkChoice<T extends string>(name: string, v: unknown, choices: readonly T[]): T {
  if (!choices.includes(v as T)) {
    const E = typeof v === 'string' ? RangeError : TypeError;
    throw new E(`${name} must be one of ${choices.map((c) => `'${c}'`).join(', ')}, got ${show(v)}`);
  }
  return v as T;
}

/**
 * Largest |value| in data and models. Sigma = W W^T is of order x^2 (or W^2), and its
 * eigen-decomposition and Frobenius norms square it again: (1e70)^4 = 1e280 leaves room
 * for any size this package handles, while at 1e80 ml-matrix's eigensolver meets Infinity
 * and crashes (and err_Sigma is NaN). The estimates scale with x, so rescaling loses nothing.
 */
export const MAX_MAGNITUDE = 1e70;

/** Index of the first value outside [lo, hi] (NaN included), or -1: a tight loop, no calls. */
function firstOutside(data: Float64Array, lo: number, hi: number): number {
  const n = data.length;
  for (let i = 0; i < n; i++) {
    const v = data[i];
    if (!(v >= lo && v <= hi)) return i;
  }
  return -1;
}

/**
 * Throws at the first entry of `data` that is not finite, is negative (with nonNegative), or
 * is larger than max in magnitude (`why` says what it would break); `at(i)` names entry i.
 */
export function checkValuesAt(data: Float64Array, nonNegative: boolean, max: number, why: string, at: (i: number) => string): void {
  const i = firstOutside(data, nonNegative ? 0 : -max, max);
  if (i >= 0) {
    const v = data[i];
    const where = at(i);
    if (!Number.isFinite(v)) throw new RangeError(`${where} is ${v}; every value must be finite`);
    if (nonNegative && v < 0) throw new RangeError(`${where} is ${v}; samples of ReLU(Wz + b) cannot be negative`);
    throw new RangeError(`${where} is ${v}; values above ${max} in magnitude ${why}`);
  }
}

export const SAMPLE_TOO_LARGE = 'would overflow the fit (Sigma is of order x^2 and gets squared); rescale x, the estimates scale with it';

/** How the entries of a block are named in checkBlockValues' messages. */
export interface BlockPlaces {
  /** The source's name ('x' for rows in memory). */
  name: string;
  /** The block's first row in the source (0-based). */
  firstRow: number;
  /** 'entry': x[row][column], as toSamples names rows in memory; 'row': `name: row R, column C`. */
  style: 'entry' | 'row';
}

/**
 * The value rules of toSamples (finite, non-negative, at most MAX_MAGNITUDE) on the first
 * `rows` rows of a block, entries named by `places`.
 */
export function checkBlockValues(data: Float64Array, rows: number, d: number, places: BlockPlaces): void {
  const { name, firstRow, style } = places;
  checkValuesAt(data.subarray(0, rows * d), true, MAX_MAGNITUDE, SAMPLE_TOO_LARGE, (i) => {
    const row = firstRow + Math.floor(i / d);
    return style === 'entry' ? `${name}[${row}][${i % d}]` : `${name}: row ${row}, column ${i % d}`;
  });
}
