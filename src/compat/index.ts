/**
 * relu-density/compat: the functions of the authors' MATLAB reference
 * (github.com/wushanshan/densityEstimation) with the same names, argument shapes and
 * meanings, running on this package's kernels. For porting scripts line by line:
 *
 * | MATLAB (reference)                                   | relu-density/compat                                     |
 * |------------------------------------------------------|---------------------------------------------------------|
 * | `[sigma_hat, b_hat] = main(samples)`                 | `const { sigmaHat, bHat } = main(samples, { seed })`     |
 * | `[mu_hat, sigma2_hat] = NormBiasEst(S(S > 0))`       | `const { muHat, sigma2Hat } = NormBiasEst(s, { seed, stream })` |
 * | `v_bar = projSGD(samples, thres)`                    | `const vBar = projSGD(samples, thres, { seed, stream })` |
 * | `z = sampleTrunGauss(mu, sigma2, thres, num)`        | `const z = sampleTrunGauss(mu, sigma2, thres, num, { seed, stream })` |
 *
 * `samples` of main is d x n with samples in columns, as in the reference: a column-major
 * `{ data: Float64Array, rows: d, cols: n }` (MATLAB's own memory order, so it is used
 * without a copy), `number[][]` of d rows, or an ml-matrix Matrix. Vectors are number[] or
 * Float64Array. Where MATLAB draws from its global generator, these take a seed (and a
 * stream): same seed, same bits.
 * @module
 */
import { fitSync } from '../fit.js';
import { kernelsSync } from '../kernels/index.js';
import type { Kernels } from '../kernels/types.js';
import { PAPER_SGD } from '../estimators/paper.js';
import type { BackendChoice } from '../types.js';
import { checkInteger, checkOptions, checkSeed, MAX_MAGNITUDE, show } from '../input/scalars.js';
import { MIN_POSITIVE_MEAN } from '../input/arrays.js';
import { MAX_ALPHA, MAX_STREAM } from '../kernels/check.js';
import { checkBackend } from '../input/backend-option.js';
import { samplesOf, vectorOf, type MatlabInput, type MatlabMatrix } from './matrix.js';
import { projectedSgd } from './sgd.js';

export type { MatlabInput, MatlabMatrix } from './matrix.js';
export type { BackendChoice } from '../types.js';

/** Options of every compat function. */
export interface CompatOptions {
  /** Seed of the random draws: an integer in [0, 2^32). @default 0 */
  seed?: number;
  /** The kernels that run (see the package's BackendChoice). @default 'auto' */
  backend?: BackendChoice;
}

/** Options of the one-coordinate functions, which draw from one generator stream. */
export interface StreamCompatOptions extends CompatOptions {
  /**
   * Stream of the seed to draw from. main's coordinate i (0-based) uses stream i, so
   * NormBiasEst(S(S > 0), { seed, stream: i }) reproduces its estimate for row i + 1.
   * @default 0
   */
  stream?: number;
}

/** What main returns: MATLAB's [sigma_hat, b_hat]. */
export interface MainResult {
  /** sigma_hat: d x d (column-major; it is symmetric, so row-major reads the same). */
  sigmaHat: MatlabMatrix;
  /** b_hat: the d x 1 bias estimate, clipped at 0 as main.m clips it. */
  bHat: Float64Array;
}

function checkCompat(options: unknown, withStream: boolean): { seed: number; stream: number; kernels: () => Kernels; backend: BackendChoice } {
  const o = checkOptions('options', options);
  const seed = o.seed === undefined ? 0 : checkSeed('options.seed', o.seed);
  const stream = withStream && o.stream !== undefined ? checkInteger('options.stream', o.stream, 0, MAX_STREAM) : 0;
  if (!withStream && o.stream !== undefined) throw new RangeError(`options.stream does not apply to main, got ${show(o.stream)}`);
  const backend = checkBackend('options.backend', o.backend);
  return { seed, stream, backend, kernels: () => kernelsSync({ backend }) };
}

function finiteNumber(name: string, v: unknown, what = 'a finite number'): number {
  if (typeof v !== 'number') throw new TypeError(`${name} must be a number, got ${show(v)}`);
  if (!Number.isFinite(v)) throw new RangeError(`${name} must be ${what}, got ${show(v)}`);
  return v;
}

/**
 * main.m: the paper's algorithm on d x n samples (columns are samples). Step 1 per row
 * (NormBiasEst on its positive values, b clipped at 0), Step 2 per pair:
 * theta_ij = pi - 2 pi #{x_i > b_i and x_j > b_j} / n, sigma_ij = sqrt(sigma_ii sigma_jj) cos theta_ij.
 * Exactly `fit` of the n x d transpose with `{ method: 'paper', seed }`, bit for bit.
 * @throws RangeError for a negative or non-finite entry (named MATLAB's way, samples(i,j)),
 *   and for a row with fewer than 10 positive values (one SGD batch) or without spread.
 */
export function main(samples: MatlabInput, options?: CompatOptions): MainResult {
  const x = samplesOf('samples', samples);
  const { seed, backend } = checkCompat(options, false);
  let r;
  try {
    r = fitSync(x, { method: 'paper', seed, backend });
  } catch (e) {
    // the estimator names coordinate i of x; the caller knows it as row i + 1 of samples
    if (e instanceof RangeError && e.message.startsWith('x: ')) {
      throw new RangeError(e.message.replace(/^x: (.*?)coordinate (\d+)/, (_, pre: string, i: string) => `samples: ${pre}row ${Number(i) + 1}`));
    }
    throw e;
  }
  return { sigmaHat: { data: r.sigma, rows: x.d, cols: x.d }, bHat: r.b };
}

/**
 * NormBiasEst.m: (mu, sigma^2) of N(mu, sigma^2) truncated to (0, inf) from its samples
 * (the positive values of one coordinate, S(S > 0)): standardise by their mean and standard
 * deviation (1/n), run projSGD with thres = -mu_0 / sigma_0, and map back:
 * mu_hat = mu_0 + v2 sigma_0 / v1, sigma2_hat = sigma_0^2 / v1 (computed as (sigma_0 / sqrt(v1))^2,
 * main's diagonal). Not clipped: main clips mu_hat at 0.
 * @throws RangeError for fewer than 10 values, a value that is not positive and finite, or no spread.
 */
export function NormBiasEst(samples: ArrayLike<number>, options?: StreamCompatOptions): { muHat: number; sigma2Hat: number } {
  const s = vectorOf('samples', samples);
  const n = s.length;
  for (let i = 0; i < n; i++) {
    const v = s[i];
    if (!(v > 0 && v <= MAX_MAGNITUDE)) {
      throw new RangeError(`samples(${i + 1}) is ${v}; NormBiasEst takes the positive values of a coordinate, S(S > 0), each at most ${MAX_MAGNITUDE}`);
    }
  }
  if (n < PAPER_SGD.batch) {
    throw new RangeError(`samples has ${n} values; NormBiasEst needs at least ${PAPER_SGD.batch} (one SGD batch)`);
  }
  const { seed, stream, kernels } = checkCompat(options, true);
  const k = kernels();
  const sums = k.coordinateSums(s, 1);
  const mu0 = sums.sum[0] / n;
  if (mu0 < MIN_POSITIVE_MEAN) throw new RangeError(`samples average ${mu0}; below ${MIN_POSITIVE_MEAN} their squares underflow: rescale them`);
  const variance = sums.sumSq[0] / n - mu0 * mu0;
  if (!(variance > 1e-12 * mu0 * mu0)) throw new RangeError(`samples are all equal (${mu0}); NormBiasEst needs their spread`);
  const s0 = Math.sqrt(variance);
  const standardised = s.map((v) => (v - mu0) / s0);
  const [v1, v2] = projectedSgd(standardised, -mu0 / s0, k.stream({ seed, stream }));
  const norm = s0 / Math.sqrt(v1);
  return { muHat: mu0 + (v2 * s0) / v1, sigma2Hat: norm * norm };
}

/**
 * projSGD.m: projected SGD on the truncated-normal likelihood of standardised samples
 * (any sign) truncated at thres, in natural parameters v = (1/s^2, m/s^2): start (1, 0),
 * batches of 10 in order, step 1/(0.1 t), projection onto [1/3, 3] x [-3, 3], gradient
 * [0.5 mean(x^2) - 0.5 mean(z^2); mean(z) - mean(x)] with z from sampleTrunGauss at the
 * current v. Returns v_bar, the average iterate (a 2 x 1 vector).
 * @throws RangeError for fewer than 10 samples (MATLAB would return NaN), a non-finite sample or thres.
 */
export function projSGD(samples: ArrayLike<number>, thres: number, options?: StreamCompatOptions): Float64Array {
  const s = vectorOf('samples', samples);
  for (let i = 0; i < s.length; i++) {
    if (!(Math.abs(s[i]) <= MAX_MAGNITUDE))
      throw new RangeError(`samples(${i + 1}) is ${s[i]}; every value must be finite (at most ${MAX_MAGNITUDE} in magnitude)`);
  }
  if (s.length < PAPER_SGD.batch) {
    throw new RangeError(`samples has ${s.length} values; projSGD needs at least ${PAPER_SGD.batch} (one batch)`);
  }
  const t = finiteNumber('thres', thres);
  if (!(Math.abs(t) <= 1e100)) throw new RangeError(`thres must be at most 1e100 in magnitude, got ${t}`);
  const { seed, stream, kernels } = checkCompat(options, true);
  return projectedSgd(s, t, kernels().stream({ seed, stream }));
}

/**
 * sampleTrunGauss.m: `num` draws of N(mu, sigma2) truncated to (thres, inf), as a 1 x num
 * vector. Exact (the reference rejects from the untruncated normal; these use the kernels'
 * exact sampler of N(0, 1) | Z > alpha at alpha = (thres - mu) / sqrt(sigma2), then mu + sqrt(sigma2) z),
 * so any thres works, even far in the tail where the reference would loop for ages.
 */
export function sampleTrunGauss(mu: number, sigma2: number, thres: number, num: number, options?: StreamCompatOptions): Float64Array {
  const m = finiteNumber('mu', mu);
  const v = finiteNumber('sigma2', sigma2, 'a finite number > 0');
  if (!(v > 0)) throw new RangeError(`sigma2 must be a finite number > 0, got ${v}`);
  if (typeof thres !== 'number') throw new TypeError(`thres must be a number, got ${show(thres)}`);
  const sig = Math.sqrt(v);
  const alpha = (thres - m) / sig;
  if (!(alpha <= MAX_ALPHA)) {
    throw new RangeError(`thres must make (thres - mu) / sqrt(sigma2) a number at most ${MAX_ALPHA}, got thres = ${show(thres)}`);
  }
  const count = checkInteger('num', num, 0, 2 ** 32 - 1);
  const { seed, stream, kernels } = checkCompat(options, true);
  const z = kernels().truncNormals(count, alpha, { seed, stream });
  for (let i = 0; i < count; i++) z[i] = m + sig * z[i];
  return z;
}
