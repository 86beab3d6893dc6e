// fit / fitSync / finalize: input -> validate -> kernels (one pass of statistics, or the
// paper's three passes) -> estimators -> Gram assembly and PSD factor -> model.
import type { Backend, PassRequest, PassResults } from './backend/contract.js';
import { rowsPerBlock } from './backend/blocks.js';
import { psdFactor, sigmaFromOrthantCounts } from './estimators/gram.js';
import { mleStep1, mleStep2, type Marginals } from './estimators/mle.js';
import { checkFitOptions, type CheckedFitOptions } from './input/fit-options.js';
import { orthantThresholds } from './estimators/orthant.js';
import { paperMarginals, paperSgdSetup } from './estimators/paper.js';
import { checkStatistics, totals, type Statistics, type StatisticsV1, type StatisticTotals } from './backend/statistics.js';
import type { BackendChoice, DataInput, FitOptions, FitResult, Samples } from './types.js';
import { checkOptions } from './input/scalars.js';
import { toSampleShape, toSamples } from './input/arrays.js';
import { startExecutor } from './parallel/executor.js';
import { checkParallelOptions, refuseParallelOptions, type CheckedParallelOptions, type ParallelOptions } from './parallel/options.js';
import { memoryPass, SourcePasses } from './stream/passes.js';
import { checkSource, firstPassCheckedSource, isRowSource, type RowSource } from './stream/source.js';
import { checkBackend } from './input/backend-option.js';
import { selectBackend, selectBackendAsync } from './backend/select.js';

export { METHODS } from './input/fit-options.js';

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

function assemble(e: Estimate, o: CheckedFitOptions, clock: { timings: Record<string, number>; lap: Lap }, backend: Backend): FitResult {
  const psd = psdFactor(e.sigma, e.d, backend);
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

/**
 * A fit written once for every driver: a generator that yields the passes it needs and
 * gets their results back (src/stream/passes.ts: memoryPass over in-memory rows, SourcePasses over
 * a RowSource, on this thread or on workers). `shape.n` is known once the first pass is done.
 */
type Plan = Generator<PassRequest, Estimate, unknown>;

function* pass<K extends PassRequest['kind']>(req: Extract<PassRequest, { kind: K }>): Generator<PassRequest, PassResults[K], unknown> {
  return (yield req) as PassResults[K];
}

/** The number of passes a plan makes with these options. */
export function passCount(o: CheckedFitOptions): number {
  return o.method === 'paper' ? 3 : 1 + (o.step1 === 'sgd' ? 1 : 0) + (o.step2 === 'orthant' ? 1 : 0);
}

function* paperPlan(shape: { n: number; name: string }, o: CheckedFitOptions, lap: Lap): Plan {
  const stats = yield* pass({ kind: 'coordStats' });
  lap('stats');
  const setup = paperSgdSetup(stats, o.seed, shape.name);
  const step1 = paperMarginals(setup, yield* pass({ kind: 'sgd', setup, positives: stats.count }), stats, true);
  lap('step1');
  const counts = yield* pass({ kind: 'pairCounts', thresholds: step1.b });
  const sigma = sigmaFromOrthantCounts(counts, shape.n, step1.norms);
  lap('step2');
  return { n: shape.n, d: stats.count.length, b: step1.b, norms: step1.norms, sigma, positives: step1.positives, se: null, warnings: [] };
}

/**
 * Step 1 and Step 2 of method 'mle' from rounded statistics; step1 'sgd' and step2
 * 'orthant' ask for passes of their own.
 */
function* fromTotals(st: StatisticTotals, o: CheckedFitOptions, lap: Lap, name: string): Plan {
  let sgd: Marginals | undefined;
  if (o.step1 === 'sgd') {
    const d = st.d;
    const diag = (a: Float64Array) => Float64Array.from({ length: d }, (_, i) => a[i * d + i]);
    const stats = { count: diag(st.n11), sum: diag(st.a1), sumSq: diag(st.a2) };
    const setup = paperSgdSetup(stats, o.seed, name);
    const p = paperMarginals(setup, yield* pass({ kind: 'sgd', setup, positives: stats.count }), stats, o.assumeNonnegativeBias);
    sgd = { ...p, seB: new Float64Array(d), seNorms: new Float64Array(d), warnings: [] };
  }
  const m = sgd ?? mleStep1(st, o);
  lap('step1');
  const counts = o.step2 === 'orthant' ? yield* pass({ kind: 'pairCounts', thresholds: orthantThresholds(m.b) }) : undefined;
  const sigma = mleStep2(st, m, o, counts);
  lap('step2');
  return {
    n: st.n,
    d: st.d,
    b: m.b,
    norms: m.norms,
    sigma,
    positives: m.positives,
    se: sgd ? null : { b: m.seB, norms: m.seNorms },
    warnings: m.warnings,
  };
}

function* mlePlan(shape: { name: string }, o: CheckedFitOptions, lap: Lap): Plan {
  const st = (yield* pass({ kind: 'moments' })).takeTotals(); // the sums are not needed again
  lap('statistics');
  return yield* fromTotals(st, o, lap, shape.name);
}

/** The plan for checked options; `shape.n` is read after the first pass. */
export function fitPlan(shape: { n: number; name: string }, o: CheckedFitOptions, lap: Lap): Plan {
  return o.method === 'paper' ? paperPlan(shape, o, lap) : mlePlan(shape, o, lap);
}

function fitChecked(data: Samples, o: CheckedFitOptions, backend: Backend): FitResult {
  const clock = stopwatch();
  let plan: Plan | undefined = fitPlan({ n: data.n, name: 'x' }, o, clock.lap);
  let step = plan.next();
  while (!step.done) step = plan.next(memoryPass(step.value, data, backend));
  const estimate = step.value;
  plan = undefined; // as in fitSource: the totals go before the projection
  return assemble(estimate, o, clock, backend);
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
  refuseParallelOptions('fitSync', 'fit', options);
  return fitChecked(data, o, selectBackend(o.backend));
}

/**
 * Rows in memory as a source named 'x', in block-sized views (the re-blocker copies them),
 * their values checked on the first pass, block by block, by whoever runs the block's kernel:
 * on workers, each checks its own blocks instead of the calling thread scanning all of x
 * before the first one.
 */
function memorySource(x: Samples): RowSource {
  return firstPassCheckedSource(x, rowsPerBlock(x.d));
}

/** The plan's passes over a source, on this thread or on workers (terminated at the end, whatever happens). */
async function fitSource(src: RowSource, o: CheckedFitOptions, p: CheckedParallelOptions): Promise<FitResult> {
  const clock = stopwatch();
  const ex = await startExecutor(p, o.backend);
  try {
    clock.lap('workers');
    const passes = new SourcePasses(src, ex, passCount(o), p.onProgress);
    const shape = {
      get n() {
        return passes.n;
      },
      name: src.name,
    };
    let plan: Plan | undefined = fitPlan(shape, o, clock.lap);
    let step = plan.next();
    while (!step.done) step = plan.next(await passes.run(step.value));
    const estimate = step.value;
    plan = undefined; // its frames hold the statistics' totals (0.9 GB at d = 4096): free before the projection
    // the PSD projection runs on this thread, on its own choice of backend
    return assemble(estimate, o, clock, await selectBackendAsync(o.backend));
  } finally {
    ex.close();
  }
}

/**
 * Learns b and Sigma = W W^T from samples of ReLU(W z + b): rows in memory (as fitSync) or a
 * RowSource streamed block by block (arraySource, or a file reader; the 'paper' method, step1
 * 'sgd' and step2 'orthant' read it more than once), on this thread or on `options.workers`
 * workers. Rows are cut into rowsPerBlock(d) blocks whatever the chunking and block results
 * are merged in block order, so the result is bit for bit fitSync's for any source chunking
 * and any number of workers. Values are checked block by block as they are read; an error
 * names the source, the 0-based row and the column (rows in memory: x[row][column], as
 * fitSync names them). Workers are terminated when the call ends, also on errors.
 */
export async function fit(x: DataInput | RowSource, options?: FitOptions & ParallelOptions): Promise<FitResult> {
  if (isRowSource(x)) {
    const src = checkSource(x);
    const o = checkFitOptions(options);
    return fitSource(src, o, checkParallelOptions(options));
  }
  const data = toSampleShape('x', x);
  const o = checkFitOptions(options);
  const p = checkParallelOptions(options);
  if (p.workers === 0 && p.onProgress === undefined) return fitChecked(toSamples('x', data), o, await selectBackendAsync(o.backend));
  return fitSource(memorySource(data), o, p);
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
  return memoryPass({ kind: 'moments' }, data, selectBackend(backend)).statistics();
}

/**
 * One pass over rows in memory or a RowSource, on this thread or on `options.workers`
 * workers: the same Statistics as accumulate() of the same rows, bit for bit, however the
 * source is chunked. Statistics are plain JSON (see Statistics): accumulate parts of a data
 * set anywhere, merge() them in any order, finalize() the sum.
 */
export async function accumulateAsync(x: DataInput | RowSource, options?: AccumulateOptions & ParallelOptions): Promise<Statistics> {
  const src = isRowSource(x) ? checkSource(x) : memorySource(toSampleShape('x', x));
  const backend = checkBackend('options.backend', checkOptions('options', options).backend);
  const p = checkParallelOptions(options);
  const ex = await startExecutor(p, backend);
  try {
    return (await new SourcePasses(src, ex, 1, p.onProgress).run({ kind: 'moments' })).statistics();
  } finally {
    ex.close();
  }
}

/**
 * The default estimator from statistics (accumulate / merge): finalize(accumulate(x), o)
 * equals fitSync(x, o) bit for bit. Method 'paper', step1 'sgd' and step2 'orthant' need
 * passes over the data itself.
 */
export function finalize(stats: Statistics | StatisticsV1, options?: FitOptions): FitResult {
  const s = checkStatistics('stats', stats);
  const o = checkFitOptions(options);
  const needsData = o.method === 'paper' ? "method 'paper'" : o.step1 === 'sgd' ? "step1 'sgd'" : o.step2 === 'orthant' ? "step2 'orthant'" : '';
  if (needsData) throw new RangeError(`finalize: ${needsData} needs the data, not statistics; use fit`);
  if (s.n < 2) throw new RangeError(`stats.n must be >= 2 to fit, got ${s.n}`);
  const clock = stopwatch();
  const step = fromTotals(totals(s), o, clock.lap, 'stats').next();
  if (!step.done) throw new Error('finalize: a pass over the data was asked for'); // excluded above
  return assemble(step.value, o, clock, selectBackend(o.backend));
}
