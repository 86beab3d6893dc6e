// fit / fitSync / finalize: input -> validate -> kernels (one pass of statistics, or the
// paper's three passes) -> estimators -> Gram assembly and PSD factor -> model.
import type { Backend } from './backend.js';
import { psdFactor } from './gram.js';
import { mleStep1, mleStep2, type Marginals } from './mle.js';
import { checkFitOptions, type CheckedFitOptions } from './options.js';
import { orthantThresholds } from './estimators/orthant.js';
import { coordinateStats, orthantCounts, paperStep1, paperStep2 } from './paper.js';
import { accumulateWith, checkStatistics, totals, type Statistics, type StatisticTotals } from './statistics.js';
import type { BackendChoice, DataInput, FitOptions, FitResult, Samples } from './types.js';
import { checkOptions, toSamples } from './validate.js';
import { checkBackend } from './wasm/instance.js';
import { selectBackend, selectBackendAsync } from './wasm/select.js';

export { METHODS } from './options.js';

type Lap = (stage: string) => void;

function stopwatch(): { timings: Record<string, number>; lap: Lap } {
  const timings: Record<string, number> = {};
  let t = performance.now();
  return {
    timings,
    lap(stage) {
      const now = performance.now();
      timings[stage] = (timings[stage] ?? 0) + (now - t);
      t = now;
    },
  };
}

interface Estimate {
  n: number;
  d: number;
  b: Float64Array;
  norms: Float64Array;
  sigma: Float64Array;
  positives: Float64Array;
  se: { b: Float64Array; norms: Float64Array } | null;
  warnings: string[];
}

function assemble(e: Estimate, o: CheckedFitOptions, clock: { timings: Record<string, number>; lap: Lap }): FitResult {
  const psd = psdFactor(e.sigma, e.d);
  clock.lap('psd');
  return {
    method: o.method,
    steps: o.method === 'paper' ? { step1: 'paper', step2: 'paper' } : { step1: o.step1, step2: o.step2 },
    n: e.n,
    d: e.d,
    b: e.b,
    sigma: e.sigma,
    norms: e.norms,
    model: { W: { data: psd.W, rows: e.d, cols: e.d }, b: e.b.slice() },
    standardErrors: e.se,
    diagnostics: {
      positives: e.positives,
      minEigenvalue: psd.minEigenvalue,
      eigenvalueFloor: psd.floor,
      timings: clock.timings,
    },
    warnings: e.warnings,
  };
}

function fitPaper(data: Samples, o: CheckedFitOptions, backend: Backend, lap: Lap): Estimate {
  const stats = coordinateStats(data, backend);
  lap('stats');
  const step1 = paperStep1(data, stats, o.seed, backend);
  lap('step1');
  const sigma = paperStep2(data, step1, backend);
  lap('step2');
  return { n: data.n, d: data.d, b: step1.b, norms: step1.norms, sigma, positives: step1.positives, se: null, warnings: [] };
}

/**
 * Step 1 and Step 2 of method 'mle' from rounded statistics; the data, when given, serve
 * step1 'sgd' and step2 'orthant' (which need passes of their own).
 */
function fromTotals(st: StatisticTotals, o: CheckedFitOptions, lap: Lap, data?: Samples, backend?: Backend): Estimate {
  let sgd: Marginals | undefined;
  if (o.step1 === 'sgd') {
    const d = st.d;
    const diag = (a: Float64Array) => Float64Array.from({ length: d }, (_, i) => a[i * d + i]);
    const stats = { count: diag(st.n11), sum: diag(st.a1), sumSq: diag(st.a2) };
    const p = paperStep1(data!, stats, o.seed, backend!, o.assumeNonnegativeBias);
    sgd = { ...p, seB: new Float64Array(d), seNorms: new Float64Array(d), warnings: [] };
  }
  const m = sgd ?? mleStep1(st, o);
  lap('step1');
  const counts = o.step2 === 'orthant' ? orthantCounts(data!, orthantThresholds(m.b), backend!) : undefined;
  const sigma = mleStep2(st, m, o, counts);
  lap('step2');
  return {
    n: st.n, d: st.d, b: m.b, norms: m.norms, sigma, positives: m.positives,
    se: sgd ? null : { b: m.seB, norms: m.seNorms }, warnings: m.warnings,
  };
}

function fitMle(data: Samples, o: CheckedFitOptions, backend: Backend, lap: Lap): Estimate {
  const st = totals(accumulateWith(data, backend));
  lap('statistics');
  return fromTotals(st, o, lap, data, backend);
}

function fitChecked(data: Samples, o: CheckedFitOptions, backend: Backend): FitResult {
  const clock = stopwatch();
  const e = o.method === 'paper' ? fitPaper(data, o, backend, clock.lap) : fitMle(data, o, backend, clock.lap);
  return assemble(e, o, clock);
}

/** The whole pipeline on a given backend (options.backend is checked but not used). */
export function fitWith(x: DataInput, options: FitOptions | undefined, backend: Backend): FitResult {
  return fitChecked(toSamples('x', x), checkFitOptions(options), backend);
}

/**
 * Learns b and Sigma = W W^T from samples of ReLU(W z + b), synchronously. In a browser's
 * main thread call `await init()` once first (browsers refuse to compile WebAssembly
 * synchronously there); in Node it compiles on first use. options.backend picks the
 * kernels (default 'auto': Wasm where it can run, TypeScript otherwise).
 */
export function fitSync(x: DataInput, options?: FitOptions): FitResult {
  // Validate (once) before the first touch of WebAssembly.
  const data = toSamples('x', x);
  const o = checkFitOptions(options);
  return fitChecked(data, o, selectBackend(o.backend));
}

/** Like fitSync, after compiling the WebAssembly module asynchronously (when Wasm runs). */
export async function fit(x: DataInput, options?: FitOptions): Promise<FitResult> {
  const data = toSamples('x', x);
  const o = checkFitOptions(options);
  return fitChecked(data, o, await selectBackendAsync(o.backend));
}

/** Options of accumulate. */
export interface AccumulateOptions {
  /** The kernels that compute the statistics (see BackendChoice). @default 'auto' */
  backend?: BackendChoice;
}

/**
 * One pass over x: the mergeable statistics of the default estimator. Both backends give
 * the same bits (the statistics kernel's TypeScript twin adds in the same order).
 */
export function accumulate(x: DataInput, options?: AccumulateOptions): Statistics {
  const data = toSamples('x', x);
  const backend = checkBackend('options.backend', checkOptions('options', options).backend);
  return accumulateWith(data, selectBackend(backend));
}

/**
 * The default estimator from statistics (accumulate / merge): finalize(accumulate(x), o)
 * equals fitSync(x, o) bit for bit. Method 'paper', step1 'sgd' and step2 'orthant' need
 * passes over the data itself.
 */
export function finalize(stats: Statistics, options?: FitOptions): FitResult {
  const s = checkStatistics('stats', stats);
  const o = checkFitOptions(options);
  const needsData = o.method === 'paper' ? "method 'paper'" : o.step1 === 'sgd' ? "step1 'sgd'" : o.step2 === 'orthant' ? "step2 'orthant'" : '';
  if (needsData) throw new RangeError(`finalize: ${needsData} needs the data, not statistics; use fit`);
  if (s.n < 2) throw new RangeError(`stats.n must be >= 2 to fit, got ${s.n}`);
  const clock = stopwatch();
  return assemble(fromTotals(totals(s), o, clock.lap), o, clock);
}
