// runFigure1: the experiments of Figure 1 of Wu, Dimakis & Sanghavi (NeurIPS 2019), run with
// this package. Compute only (no file system), so it runs in browsers too.
//
// For every point of every sweep (sweeps.ts) and every run: draw a fresh instance
// (randomModel), n samples, then fit them with each method on the same samples and measure
// err_b, err_Sigma, the paper's KL bound and Monte Carlo estimates of the Gaussian and the
// rectified TV distance between the truth and the learned model (tv.ts, common draws for
// both methods). All randomness is seeded from `seed`, the point and the run (seeds.ts).
import { fitSync } from '../fit.js';
import { errB, errSigma, klBound } from '../model/metrics.js';
import { randomModelWith } from '../model/random.js';
import { sampleWith } from '../sample.js';
import type { Method } from '../types.js';
import { checkChoice, checkInteger, checkOptions, checkSeed, show } from '../input/scalars.js';
import { wasmBackend } from '../backend/wasm/backend.js';
import { init } from '../backend/wasm/instance.js';
import { deriveSeed } from './seeds.js';
import { SWEEP_IDS, SWEEPS, type SweepId, type SweepPoint } from './sweeps.js';
import { TV_DEFAULTS, tvDistancesWith } from '../model/tv.js';
import { exp, log1p } from '../numerics/math.js';

export interface Figure1Options {
  /** Runs (fresh instances) per point. @default 10 (3 with quick) */
  runs?: number | undefined;
  /**
   * A smoke-sized run: n / 10 at every point, sweep b only up to d = 13, 3 runs and 2000 TV
   * draws (runs and draws overridable); about 10 s of compute on one core. Its errors are those
   * of n / 10, so they do not compare with the paper's values.
   * @default false
   */
  quick?: boolean | undefined;
  /** Seed of everything: an integer in [0, 2^32). @default 0 */
  seed?: number | undefined;
  /** Methods to fit with, on the same samples. @default ['paper', 'mle'] */
  methods?: Method[] | undefined;
  /** Sweeps to run. @default ['a', 'b', 'c'] */
  sweeps?: SweepId[] | undefined;
  /** Monte Carlo draws of each TV estimate (half from each distribution). @default 10000 (2000 with quick) */
  tvDraws?: number | undefined;
  /** Lattice points of each GHK orthant estimate. @default 64 */
  tvPoints?: number | undefined;
  /** Stops between runs (the promise rejects with the signal's reason). */
  signal?: AbortSignal | undefined;
}

/** The resolved options (no signal). */
export interface Figure1Settings {
  runs: number;
  quick: boolean;
  seed: number;
  methods: Method[];
  sweeps: SweepId[];
  tvDraws: number;
  tvPoints: number;
  /** Factor applied to the paper's n (0.1 with quick). */
  nScale: number;
  /** Largest d run (13 with quick, so sweep b stops at d = 13; 25 otherwise). */
  maxD: number;
}

/** One fit of one run: a line of runs.jsonl. */
export interface RunRecord {
  sweep: SweepId;
  /** Index of the point in its sweep, and of the run at that point. */
  point: number;
  run: number;
  method: Method;
  n: number;
  d: number;
  k: number;
  kappa: number;
  errB: number;
  errSigma: number;
  /** sqrt(min KL / 2) between the Gaussians (the paper's TV bound). */
  klBound: number;
  tvGaussian: number;
  tvGaussianSe: number;
  tvRectified: number;
  tvRectifiedSe: number;
  /** tvGaussian - tvRectified on the same draws, and its standard error. */
  tvGap: number;
  tvGapSe: number;
  modelSeed: number;
  sampleSeed: number;
  fitSeed: number;
  tvSeed: number;
  /** The fit's warnings (FitResult.warnings), e.g. a Step 2 pair that did not converge. */
  warnings: string[];
  /** Wall times in ms (not reproducible; the sample's time is shared by the methods). */
  sampleMs: number;
  fitMs: number;
  tvMs: number;
}

export interface Figure1Progress {
  pointsDone: number;
  pointsTotal: number;
  runsDone: number;
  runsTotal: number;
  elapsedMs: number;
  /** Estimated time left, from the work done so far and a cost model of the runs left. */
  etaMs: number;
  /** The run just finished: one record per method. */
  records: RunRecord[];
}

export interface Figure1Result {
  settings: Figure1Settings;
  runs: RunRecord[];
  wallMs: number;
}

/** The order of methods in records, tables and the figure. */
const METHOD_ORDER: readonly Method[] = ['paper', 'mle'];

const QUICK = { runs: 3, nScale: 0.1, maxD: 13, tvDraws: 2000 } as const;
const FULL = { runs: 10, nScale: 1, maxD: 25, tvDraws: TV_DEFAULTS.draws } as const;

function checkList<T extends string>(name: string, v: unknown, choices: readonly T[]): T[] {
  if (!Array.isArray(v)) throw new TypeError(`${name} must be an array, got ${show(v)}`);
  if (v.length === 0) throw new RangeError(`${name} must not be empty`);
  const out = v.map((x, i) => checkChoice(`${name}[${i}]`, x, choices));
  return choices.filter((c) => out.includes(c)); // canonical order, no repeats
}

export function figure1Settings(options?: Figure1Options): Figure1Settings {
  const o = checkOptions('options', options);
  if (o.quick !== undefined && typeof o.quick !== 'boolean') throw new TypeError(`options.quick must be a boolean, got ${show(o.quick)}`);
  const quick = o.quick === true;
  const base = quick ? QUICK : FULL;
  if (o.signal !== undefined && !(typeof o.signal === 'object' && o.signal !== null && 'aborted' in o.signal)) {
    throw new TypeError(`options.signal must be an AbortSignal, got ${show(o.signal)}`);
  }
  return {
    runs: o.runs === undefined ? base.runs : checkInteger('options.runs', o.runs, 1, 10_000),
    quick,
    seed: o.seed === undefined ? 0 : checkSeed('options.seed', o.seed),
    methods: o.methods === undefined ? [...METHOD_ORDER] : checkList('options.methods', o.methods, METHOD_ORDER),
    sweeps: o.sweeps === undefined ? [...SWEEP_IDS] : checkList('options.sweeps', o.sweeps, SWEEP_IDS),
    tvDraws: o.tvDraws === undefined ? base.tvDraws : checkInteger('options.tvDraws', o.tvDraws, 4, 1e8),
    tvPoints: o.tvPoints === undefined ? TV_DEFAULTS.points : checkInteger('options.tvPoints', o.tvPoints, 1, 1e6),
    nScale: base.nScale,
    maxD: base.maxD,
  };
}

/** The points that will be run, with n scaled and d capped. */
function figure1Points(s: Figure1Settings): { sweep: SweepId; index: number; point: SweepPoint }[] {
  return s.sweeps.flatMap((id) =>
    SWEEPS[id].points.map((p, index) => ({ sweep: id, index, point: { ...p, n: Math.round(p.n * s.nScale) } })).filter((p) => p.point.d <= s.maxD),
  );
}

/** E[c 1{c >= 3}] for c ~ Binomial(d, 3/8): the zero coordinates GHK works on, per draw. */
function expectedGhkZeros(d: number): number {
  const q = 3 / 8;
  let pmf = exp(d * log1p(-q)); // P(c = 0), through numerics/math.ts: the engines' Math functions differ in their last bits
  let sum = 0;
  for (let c = 1; c <= d; c++) {
    pmf *= ((d - c + 1) / c) * (q / (1 - q));
    if (c >= 3) sum += c * pmf;
  }
  return sum;
}

/**
 * Estimated cost of one run (all methods) in ms, for the ETA only. Sampling and fitting are
 * linear in n d; a TV estimate costs per draw a few us plus, on faces with 3 or more zero
 * coordinates, points x zeros evaluations of Phi and Phi^-1 for each of p and q (about
 * 0.3 us a pair). With b >= 0 and unit rows a coordinate is 0 with probability 3/8.
 * Constants measured on a 2-core x86 machine (Node 20).
 */
function runCost(p: SweepPoint, s: Figure1Settings): number {
  const perDraw = 3e-3 + 2e-5 * p.d * p.d + s.tvPoints * expectedGhkZeros(p.d) * 6e-4;
  return p.n * p.d * (1.5e-5 + 3.7e-5 * s.methods.length) + s.methods.length * s.tvDraws * perDraw;
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** Seeds of one run: instance, sample, estimator, TV draws. */
function runSeeds(seed: number, sweep: SweepId, point: number, run: number) {
  const at = (purpose: number) => deriveSeed(seed, sweep.charCodeAt(0), point, run, purpose);
  return { modelSeed: at(0), sampleSeed: at(1), fitSeed: at(2), tvSeed: at(3) };
}

/**
 * Runs the experiments of Figure 1 (see Figure1Options) and returns one record per fit.
 * `onProgress` is called after every run (all methods of one instance). The work is
 * synchronous within a run; between runs the promise yields to the event loop, where the
 * signal is checked.
 * @example const { runs } = await runFigure1({ quick: true, sweeps: ['a'] });
 */
export async function runFigure1(options?: Figure1Options, onProgress?: (p: Figure1Progress) => void): Promise<Figure1Result> {
  const s = figure1Settings(options);
  const signal = options?.signal;
  await init();
  const backend = wasmBackend();
  const points = figure1Points(s);
  const costs = points.map((p) => runCost(p.point, s));
  let costLeft = costs.reduce((a, c) => a + c, 0) * s.runs;
  let costDone = 0;
  const runsTotal = points.length * s.runs;
  const start = performance.now();
  const records: RunRecord[] = [];
  let runsDone = 0;

  for (let pi = 0; pi < points.length; pi++) {
    const { sweep, index, point } = points[pi];
    const { n, d, kappa } = point;
    for (let run = 0; run < s.runs; run++) {
      signal?.throwIfAborted();
      const seeds = runSeeds(s.seed, sweep, index, run);
      let t = performance.now();
      const truth = randomModelWith({ d, kappa, seed: seeds.modelSeed }, backend);
      const x = sampleWith(truth, n, { seed: seeds.sampleSeed }, backend);
      const sampleMs = performance.now() - t;
      const done: RunRecord[] = [];
      for (const method of s.methods) {
        t = performance.now();
        const est = fitSync(x, { method, seed: seeds.fitSeed, backend: 'wasm' });
        const fitMs = performance.now() - t;
        t = performance.now();
        const tv = tvDistancesWith(truth, est.model, { draws: s.tvDraws, points: s.tvPoints, seed: seeds.tvSeed }, backend);
        const tvMs = performance.now() - t;
        done.push({
          sweep,
          point: index,
          run,
          method,
          n,
          d,
          k: d,
          kappa,
          errB: errB(est, truth),
          errSigma: errSigma(est, truth),
          klBound: klBound(est, truth),
          tvGaussian: tv.gaussian.value,
          tvGaussianSe: tv.gaussian.se,
          tvRectified: tv.rectified.value,
          tvRectifiedSe: tv.rectified.se,
          tvGap: tv.gap.value,
          tvGapSe: tv.gap.se,
          ...seeds,
          warnings: est.warnings,
          sampleMs,
          fitMs,
          tvMs,
        });
      }
      records.push(...done);
      runsDone++;
      costDone += costs[pi];
      costLeft -= costs[pi];
      const elapsedMs = performance.now() - start;
      onProgress?.({
        pointsDone: run === s.runs - 1 ? pi + 1 : pi,
        pointsTotal: points.length,
        runsDone,
        runsTotal,
        elapsedMs,
        etaMs: (elapsedMs * costLeft) / costDone,
        records: done,
      });
      await yieldToEventLoop();
    }
  }
  return { settings: s, runs: records, wallMs: performance.now() - start };
}
