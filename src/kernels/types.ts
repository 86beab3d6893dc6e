// The public types of relu-density/kernels (documented here; see index.ts for the entry).
import type { Statistics, StatisticsV1 } from '../backend/statistics.js';
import type { BackendChoice, BackendName, ModelInput } from '../types.js';

/**
 * An array of `length` doubles owned by the kernels: on the Wasm backend it lives in
 * WebAssembly memory, so kernels read and write it in place (no copy). Made by
 * `Kernels.alloc`, zero-filled; release it with `free()`.
 *
 * **Views.** `view` is a Float64Array over the buffer. Any call into the kernels may grow
 * WebAssembly memory, and growth detaches every Float64Array over the old memory (its length
 * becomes 0). Read `buffer.view` again after each call (it is rebuilt only when memory has
 * grown, so this is cheap); a kernel handed a detached view throws a TypeError instead of
 * reading nothing. Subarrays of `view` (`buffer.view.subarray(a, b)`) are accepted wherever
 * an array is, still without a copy. On the TypeScript backend `view` never changes.
 */
export interface F64Buffer {
  /** Number of doubles. */
  readonly length: number;
  /** A Float64Array over the buffer, valid until the next call into the kernels (see above). */
  readonly view: Float64Array;
  /** Whether free() has been called. */
  readonly freed: boolean;
  /** Returns the memory to the allocator; `view` throws afterwards. Calling it twice is harmless. */
  free(): void;
}

/** An array argument: a Float64Array (copied into WebAssembly memory if it is not there) or an F64Buffer. */
export type F64Data = Float64Array | F64Buffer;

/** Which generator stream to draw from. */
export interface StreamOptions {
  /**
   * Seed: an integer in [0, 2^32). The generator is xoroshiro128+ seeded as pure-rand's
   * `xoroshiro128plus(seed)`.
   * @default 0
   */
  seed?: number;
  /**
   * Stream index in [0, MAX_STREAM]: the seeded generator jumped stream + 1 times (2^64
   * steps each), so streams never overlap. Costs one jump per stream index (about 1 us
   * each in Wasm, 50 us in TypeScript).
   * @default 0
   */
  stream?: number;
}

/** Where a sample starts. */
export interface SampleRowsOptions {
  /** Seed of the sample, as `sample(model, n, { seed })`. @default 0 */
  seed?: number;
  /**
   * Index of the first row, a multiple of STREAM_ROWS (4096): row r of a sample comes from
   * stream floor(r / 4096) of the seed, so pieces written separately equal the whole.
   * @default 0
   */
  firstRow?: number;
}

/**
 * A generator positioned somewhere in a stream; every draw continues where the last ended,
 * on the same integer stream on both backends.
 */
export interface RandomStream {
  /** `count` N(0, 1) draws (256-layer ziggurat, Marsaglia & Tsang 2000). */
  normals(count: number): Float64Array;
  /** Fills `out` with N(0, 1) draws. */
  normalsInto(out: F64Data): void;
  /** `count` exact draws of N(0, 1) conditioned on Z > alpha (see Kernels.truncNormals). */
  truncNormals(count: number, alpha: number): Float64Array;
  /** Fills `out` with draws of N(0, 1) | Z > alpha. */
  truncNormalsInto(out: F64Data, alpha: number): void;
  /** `count` raw 64-bit outputs of xoroshiro128+. */
  uniformBits(count: number): BigUint64Array;
  /** Fills `out` with raw 64-bit outputs. */
  uniformBitsInto(out: BigUint64Array): void;
  /** Advances 2^64 steps (to the next stream of the same seed, when at a stream's start). */
  jump(): void;
  /** An independent copy at the same position. */
  clone(): RandomStream;
}

/** Per-coordinate sums over rows: number of positives, sum, sum of squares (length d each). */
export interface CoordinateSums {
  count: Float64Array;
  sum: Float64Array;
  sumSq: Float64Array;
}

/**
 * The accumulated statistics rounded to doubles. Per coordinate (length d): `count` of
 * positives, `sum`, `sumSq`. Symmetric d x d row-major matrices: `n11[i][j]` = #{x_i > 0,
 * x_j > 0} and `g[i][j]` = sum x_i x_j; full d x d: `a1[i][j]` = sum x_i 1[x_j > 0],
 * `a2[i][j]` = sum x_i^2 1[x_j > 0]. count, sum and sumSq are the diagonals of n11, a1, a2.
 */
export interface StatsTotals extends CoordinateSums {
  n: number;
  d: number;
  n11: Float64Array;
  a1: Float64Array;
  a2: Float64Array;
  g: Float64Array;
}

/**
 * The one-pass sufficient statistics of the default estimator, accumulated chunk by chunk
 * and merged exactly (every float sum is kept exact across pushes and merges; Shewchuk 1997).
 * Rows are summed in blocks of blockRows(d) rows from the start of each push, so pushes
 * whose row counts are multiples of blockRows(d) (but the last) give the bits of one push
 * of everything, which are the bits of `accumulate(x)`.
 */
export interface StatsAccumulator {
  /** Dimension. */
  readonly d: number;
  /** Rows so far. */
  readonly n: number;
  /** Adds rows of d values (row-major; length a multiple of d), each finite, >= 0 and <= 1e70. */
  push(x: F64Data): void;
  /** Adds another accumulator's statistics (or a Statistics object, e.g. from JSON), exactly. */
  merge(other: StatsAccumulator | Statistics | StatisticsV1): void;
  /** A copy of the statistics: plain JSON, for `merge` and `finalize` of the package root. */
  statistics(): Statistics;
  /** The statistics rounded to doubles. */
  totals(): StatsTotals;
  /**
   * Writes the totals into out (3 d + 4 d^2 doubles): count | sum | sumSq (d each), then
   * n11 | a1 | a2 | g (d x d each, row-major).
   */
  totalsInto(out: F64Data): void;
}

/**
 * The package's hot kernels on caller-provided typed arrays. Every `x` is row-major with
 * d values a row (rows = x.length / d). Every `...Into(out, ...)` writes exactly out's
 * elements and nothing else: to fill part of an array, pass a subarray.
 */
export interface Kernels {
  /** The kernels that run: 'wasm' or 'js' (TypeScript). */
  readonly backend: BackendName;

  /** A zero-filled buffer of `length` doubles (at most MAX_BUFFER_LENGTH) that kernels use in place. */
  alloc(length: number): F64Buffer;

  /** `count` N(0, 1) draws of a stream. Same options, same draws. */
  normals(count: number, options?: StreamOptions): Float64Array;
  /** Fills `out` with the first out.length N(0, 1) draws of a stream. */
  normalsInto(out: F64Data, options?: StreamOptions): void;
  /**
   * `count` exact draws of N(0, 1) conditioned on Z > alpha, for any alpha in
   * [-Infinity, MAX_ALPHA]: rejection from the normal (alpha < 0), from the half-normal
   * (0 <= alpha < 1) or Robert's (1995) translated exponential (alpha >= 1); acceptance is
   * at least 0.32 for every alpha. For N(mu, s^2) above t use mu + s * draw, alpha = (t - mu) / s.
   */
  truncNormals(count: number, alpha: number, options?: StreamOptions): Float64Array;
  /** Fills `out` with draws of N(0, 1) | Z > alpha. */
  truncNormalsInto(out: F64Data, alpha: number, options?: StreamOptions): void;
  /** `count` raw 64-bit outputs of a stream (identical on both backends). */
  uniformBits(count: number, options?: StreamOptions): BigUint64Array;
  /** Fills `out` with raw 64-bit outputs of a stream. */
  uniformBitsInto(out: BigUint64Array, options?: StreamOptions): void;
  /** A stateful generator at the start of a stream. */
  stream(options?: StreamOptions): RandomStream;

  /** `rows` rows of ReLU(W z + b), z ~ N(0, I_k): the rows firstRow.. of `sample(model, n, { seed })`. */
  sample(model: ModelInput, rows: number, options?: SampleRowsOptions): Float64Array;
  /** Fills `out` (rows x d, rows = out.length / d) with rows of the sample. */
  sampleInto(out: F64Data, model: ModelInput, options?: SampleRowsOptions): void;

  /**
   * Thresholded pair counts: the symmetric d x d matrix (row-major) of #{rows : x_i > t_i
   * and x_j > t_j} (strict; NaN is never above). Exact integers on both backends.
   */
  pairCounts(x: F64Data, d: number, thresholds: ArrayLike<number>): Float64Array;
  /** Writes the d x d counts into `out` (length d * d). */
  pairCountsInto(out: F64Data, x: F64Data, d: number, thresholds: ArrayLike<number>): void;

  /**
   * Per-coordinate number of positives, sum and sum of squares. Rows are added in order
   * within blocks of blockRows(d) rows and the block sums in order: the same bits on both backends.
   */
  coordinateSums(x: F64Data, d: number): CoordinateSums;
  /** Writes count | sum | sumSq (d each) into `out` (length 3 d). */
  coordinateSumsInto(out: F64Data, x: F64Data, d: number): void;

  /** A statistics accumulator of dimension d, or one that continues from `Statistics`. */
  accumulator(init: number | Statistics | StatisticsV1): StatsAccumulator;
}

/** Options of kernels() and kernelsSync(). */
export interface KernelsOptions {
  /** 'auto' (Wasm where it can run, TypeScript otherwise), 'wasm' or 'js'. @default 'auto' */
  backend?: BackendChoice;
}
