// Argument checks of the kernel API, in the package's style: TypeError for a wrong type,
// RangeError for a bad size or value, the message starting with the argument's name.
import { DEFAULT_SEED } from '../types.js';
import { checkInteger, checkOptions, checkSeed, MAX_MAGNITUDE, show } from '../input/scalars.js';
import { MAX_FIT_D } from '../input/arrays.js';
import { isF64Buffer } from './buffer.js';

/**
 * Largest truncation point of the truncated normals: above it alpha^2 overflows and
 * Robert's rate sqrt(alpha^2 + 4) is Infinity. Any alpha below it (-Infinity included) is exact.
 */
export const MAX_ALPHA = 1e150;

/** Largest stream index: a stream costs one 2^64-step jump per index. */
export const MAX_STREAM = 2 ** 20 - 1;

/** Largest number of values in one typed array the kernels make. */
const MAX_ELEMENTS = 2 ** 32 - 1;

/** A Float64Array or F64Buffer argument, as the Float64Array the kernels read or write. */
export function f64Arg(name: string, v: unknown): Float64Array {
  if (v instanceof Float64Array) return v;
  if (isF64Buffer(v)) return v.view;
  throw new TypeError(`${name} must be a Float64Array or an F64Buffer, got ${show(v)}`);
}

export function bitsArg(name: string, v: unknown): BigUint64Array {
  if (v instanceof BigUint64Array) return v;
  throw new TypeError(`${name} must be a BigUint64Array, got ${show(v)}`);
}

export function countArg(name: string, v: unknown): number {
  return checkInteger(name, v, 0, MAX_ELEMENTS);
}

export function dimArg(name: string, v: unknown): number {
  return checkInteger(name, v, 1, MAX_FIT_D);
}

export function alphaArg(name: string, v: unknown): number {
  if (typeof v !== 'number') throw new TypeError(`${name} must be a number, got ${show(v)}`);
  if (!(v <= MAX_ALPHA)) throw new RangeError(`${name} must be a number in [-Infinity, ${MAX_ALPHA}], got ${show(v)}`);
  return v;
}

export function streamArgs(name: string, options: unknown): { seed: number; stream: number } {
  const o = checkOptions(name, options);
  const seed = o.seed === undefined ? DEFAULT_SEED : checkSeed(`${name}.seed`, o.seed);
  const stream = o.stream === undefined ? 0 : checkInteger(`${name}.stream`, o.stream, 0, MAX_STREAM);
  return { seed, stream };
}

/** Rows of a row-major array of d columns. */
export function rowsOf(name: string, x: Float64Array, d: number): number {
  if (x.length % d !== 0) throw new RangeError(`${name} has length ${x.length}, not a multiple of d = ${d}`);
  return x.length / d;
}

export function lengthArg(name: string, x: { length: number }, want: number, what: string): void {
  if (x.length !== want) throw new RangeError(`${name} has length ${x.length}, but ${what} = ${want}`);
}

/** d thresholds as a Float64Array: numbers, NaN excluded (+-Infinity allowed). */
export function thresholdsArg(name: string, t: unknown, d: number): Float64Array {
  if (t === null || typeof t !== 'object' || typeof (t as ArrayLike<number>).length !== 'number') {
    throw new TypeError(`${name} must be an array of numbers, got ${show(t)}`);
  }
  const a = t as ArrayLike<unknown>;
  lengthArg(name, a, d, 'd');
  const out = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    const v = a[i];
    if (typeof v !== 'number') throw new TypeError(`${name}[${i}] must be a number, got ${show(v)}`);
    if (Number.isNaN(v)) throw new RangeError(`${name}[${i}] is NaN; thresholds must be numbers`);
    out[i] = v;
  }
  return out;
}

/** Every value of a sample finite, >= 0 and <= MAX_MAGNITUDE (as fit and accumulate require). */
export function sampleValuesArg(name: string, x: Float64Array, d: number): void {
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (v >= 0 && v <= MAX_MAGNITUDE) continue;
    const at = `${name}[${Math.floor(i / d)}][${i % d}]`;
    if (!Number.isFinite(v)) throw new RangeError(`${at} is ${v}; every value must be finite`);
    if (v < 0) throw new RangeError(`${at} is ${v}; samples of ReLU(Wz + b) cannot be negative`);
    throw new RangeError(`${at} is ${v}; values above ${MAX_MAGNITUDE} in magnitude would overflow the statistics' sums of squares`);
  }
}
