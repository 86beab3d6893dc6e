// FitResult <-> JSON-ready plain arrays (typed arrays stringify as index-keyed objects).
// This is also the model file of the command line (relu-density fit --out model.json).
import type { FitResult } from '../types.js';
import { show } from '../input/scalars.js';

/** The `format` tag of a fit's JSON form. */
export const FIT_FORMAT = 'relu-density/fit';
/** The version of the JSON form; fitFromJSON reads this version (and untagged JSON). */
export const FIT_VERSION = 1;

export interface FitJSON {
  /** 'relu-density/fit' (absent in JSON written before the tag existed). */
  format?: typeof FIT_FORMAT;
  /** 1 (absent in JSON written before the tag existed). */
  version?: typeof FIT_VERSION;
  method: FitResult['method'];
  steps: FitResult['steps'];
  n: number;
  d: number;
  b: number[];
  sigma: number[];
  norms: number[];
  model: { W: { data: number[]; rows: number; cols: number }; b: number[] };
  standardErrors: { b: number[]; norms: number[] } | null;
  diagnostics: Omit<FitResult['diagnostics'], 'positives'> & { positives: number[] };
  warnings: string[];
}

/** A FitResult as plain arrays; JSON.stringify of it round-trips every double exactly. */
export function fitToJSON(r: FitResult): FitJSON {
  return fitShape(r, (a) => Array.from(a));
}

/**
 * fitToJSON's object with the result's own typed arrays where fitToJSON copies them into
 * number[] (d = 4096: 268 MB of copies), for writers that take typed arrays as arrays (the
 * command line's jsonPieces). JSON.stringify would write them as objects: use fitToJSON there.
 */
export function fitToJSONViews(r: FitResult): FitShape<Float64Array> {
  return fitShape(r, (a) => a);
}

/** FitJSON with the arrays of numbers of type A. */
export type FitShape<A> = Omit<FitJSON, 'b' | 'sigma' | 'norms' | 'model' | 'standardErrors' | 'diagnostics'> & {
  b: A;
  sigma: A;
  norms: A;
  model: { W: { data: A; rows: number; cols: number }; b: A };
  standardErrors: { b: A; norms: A } | null;
  diagnostics: Omit<FitResult['diagnostics'], 'positives'> & { positives: A };
};

function fitShape<A>(r: FitResult, arr: (a: Float64Array) => A): FitShape<A> {
  return {
    format: FIT_FORMAT,
    version: FIT_VERSION,
    method: r.method,
    steps: { ...r.steps },
    n: r.n,
    d: r.d,
    b: arr(r.b),
    sigma: arr(r.sigma),
    norms: arr(r.norms),
    model: { W: { data: arr(r.model.W.data), rows: r.model.W.rows, cols: r.model.W.cols }, b: arr(r.model.b) },
    standardErrors: r.standardErrors && { b: arr(r.standardErrors.b), norms: arr(r.standardErrors.norms) },
    diagnostics: { ...r.diagnostics, positives: arr(r.diagnostics.positives) },
    warnings: [...r.warnings],
  };
}

function numbers(name: string, v: unknown, length: number): number[] {
  if (!Array.isArray(v)) throw new TypeError(`${name} must be an array of numbers, got ${show(v)}`);
  if (v.length !== length) throw new RangeError(`${name} has length ${v.length}, expected ${length}`);
  const bad = v.findIndex((x) => typeof x !== 'number' || !Number.isFinite(x));
  if (bad >= 0) throw new TypeError(`${name}[${bad}] must be a finite number, got ${show(v[bad])}`);
  return v;
}

/**
 * Checks the parts of a fit's JSON form that fitFromJSON and the metrics read: the tag and
 * version (when present), d, and the lengths and values of b, sigma, norms and model.
 */
export function checkFitJSON(name: string, j: unknown): FitJSON {
  if (typeof j !== 'object' || j === null || Array.isArray(j)) throw new TypeError(`${name} must be a fit's JSON (fitToJSON), got ${show(j)}`);
  const f = j as FitJSON;
  if (f.format !== undefined && f.format !== FIT_FORMAT) throw new TypeError(`${name}.format must be '${FIT_FORMAT}', got ${show(f.format)}`);
  if (f.version !== undefined && f.version !== FIT_VERSION) throw new RangeError(`${name}.version must be ${FIT_VERSION}, got ${show(f.version)}`);
  const d = f.d;
  if (typeof d !== 'number' || !Number.isInteger(d) || d < 1) throw new TypeError(`${name}.d must be a positive integer, got ${show(d)}`);
  numbers(`${name}.b`, f.b, d);
  numbers(`${name}.sigma`, f.sigma, d * d);
  numbers(`${name}.norms`, f.norms, d);
  if (typeof f.model !== 'object' || f.model === null || typeof f.model.W !== 'object' || f.model.W === null) {
    throw new TypeError(`${name}.model must be { W: { data, rows, cols }, b }, got ${show(f.model)}`);
  }
  const { rows, cols } = f.model.W;
  if (rows !== d || typeof cols !== 'number' || !Number.isInteger(cols) || cols < 1) {
    throw new RangeError(`${name}.model.W must be d x k with d = ${d}, got ${show(rows)} x ${show(cols)}`);
  }
  numbers(`${name}.model.W.data`, f.model.W.data, rows * cols);
  numbers(`${name}.model.b`, f.model.b, d);
  if (f.method !== 'mle' && f.method !== 'paper') throw new TypeError(`${name}.method must be 'mle' or 'paper', got ${show(f.method)}`);
  if (typeof f.steps !== 'object' || f.steps === null) throw new TypeError(`${name}.steps must be an object, got ${show(f.steps)}`);
  if (f.standardErrors !== null) {
    if (typeof f.standardErrors !== 'object') throw new TypeError(`${name}.standardErrors must be null or { b, norms }, got ${show(f.standardErrors)}`);
    numbers(`${name}.standardErrors.b`, f.standardErrors.b, d);
    numbers(`${name}.standardErrors.norms`, f.standardErrors.norms, d);
  }
  if (typeof f.diagnostics !== 'object' || f.diagnostics === null) throw new TypeError(`${name}.diagnostics must be an object, got ${show(f.diagnostics)}`);
  numbers(`${name}.diagnostics.positives`, f.diagnostics.positives, d);
  if (!Array.isArray(f.warnings) || !f.warnings.every((w) => typeof w === 'string')) {
    throw new TypeError(`${name}.warnings must be an array of strings, got ${show(f.warnings)}`);
  }
  return f;
}

/** The inverse of fitToJSON. */
export function fitFromJSON(j: FitJSON): FitResult {
  checkFitJSON('json', j);
  return {
    method: j.method,
    steps: { ...j.steps },
    n: j.n,
    d: j.d,
    b: Float64Array.from(j.b),
    sigma: Float64Array.from(j.sigma),
    norms: Float64Array.from(j.norms),
    model: { W: { data: Float64Array.from(j.model.W.data), rows: j.model.W.rows, cols: j.model.W.cols }, b: Float64Array.from(j.model.b) },
    standardErrors: j.standardErrors && { b: Float64Array.from(j.standardErrors.b), norms: Float64Array.from(j.standardErrors.norms) },
    diagnostics: { ...j.diagnostics, positives: Float64Array.from(j.diagnostics.positives) },
    warnings: [...j.warnings],
  };
}
