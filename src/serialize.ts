// FitResult <-> JSON-ready plain arrays (typed arrays stringify as index-keyed objects).
import type { FitResult } from './types.js';

export interface FitJSON {
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
  return {
    method: r.method,
    steps: { ...r.steps },
    n: r.n,
    d: r.d,
    b: Array.from(r.b),
    sigma: Array.from(r.sigma),
    norms: Array.from(r.norms),
    model: { W: { data: Array.from(r.model.W.data), rows: r.model.W.rows, cols: r.model.W.cols }, b: Array.from(r.model.b) },
    standardErrors: r.standardErrors && { b: Array.from(r.standardErrors.b), norms: Array.from(r.standardErrors.norms) },
    diagnostics: { ...r.diagnostics, positives: Array.from(r.diagnostics.positives) },
    warnings: [...r.warnings],
  };
}

/** The inverse of fitToJSON. */
export function fitFromJSON(j: FitJSON): FitResult {
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
