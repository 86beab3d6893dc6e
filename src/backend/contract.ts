// The kernel contract shared by the WebAssembly kernels (src/backend/wasm/backend.ts) and their
// readable TypeScript twins (src/backend/js/backend.ts: the fallback where WebAssembly is missing or
// blocked). Everything above this line of the stack (fit, sample) is written once against
// this interface; src/backend/select.ts picks the implementation for a `backend` option.
import type { StatisticsAccumulator } from './statistics.js';
import type { CheckedModel } from '../input/arrays.js';

/** Per-coordinate sums of one block: positives, sum and sum of squares. */
export interface CoordStats {
  count: Float64Array;
  sum: Float64Array;
  sumSq: Float64Array;
}

/** Fixed inputs of the paper's Step 1 SGD (Wu, Dimakis & Sanghavi 2019, Sec. 3.1). */
export interface SgdSetup {
  /** Mean of the positives of each coordinate. */
  mu0: Float64Array;
  /** Standard deviation (1/m normalisation) of the positives of each coordinate. */
  s0: Float64Array;
  /** Truncation point in standardised units, -mu0 / s0. */
  thres: Float64Array;
  seed: number;
  batch: number;
  lambda: number;
  radius: number;
}

/** What the SGD leaves after the last row: sums of the iterates and how many there were. */
export interface SgdTotals {
  sumV1: Float64Array;
  sumV2: Float64Array;
  batches: Float64Array;
}

/** A Step 1 run that consumes rows in order, in blocks of any size. */
export interface SgdRun {
  push(block: Float64Array, rows: number): void;
  /** Returns the totals and releases the run's memory; the run is unusable afterwards. */
  finish(): SgdTotals;
}

/** A model laid out for generation: W transposed (k x d, row-major) and b. */
export interface PackedModel {
  wt: Float64Array;
  b: Float64Array;
  d: number;
  k: number;
}

export interface Backend {
  readonly name: 'wasm' | 'js';
  /** Fresh statistics of one block of `rows` rows of d values. */
  coordStats(block: Float64Array, rows: number, d: number): CoordStats;
  /** Fresh d x d counts #{x_i > t_i and x_j > t_j} of one block, upper triangle (i <= j) only. */
  pairCounts(block: Float64Array, rows: number, d: number, thresholds: Float64Array): Float64Array;
  /**
   * Fresh one-pass statistics of one block: four d x d row-major matrices in one array,
   * N11 | A1 | A2 | G (see assembly/moments.ts); N11 and G are filled for i <= j only.
   */
  momentStats(block: Float64Array, rows: number, d: number): Float64Array;
  /**
   * Step 1 for coordinates lo .. hi - 1 of d-column blocks (default: all); the totals hold
   * those hi - lo coordinates. Coordinates are independent (each has its own stream), so
   * any split into ranges gives the same bits as one run.
   */
  sgd(d: number, setup: SgdSetup, lo?: number, hi?: number): SgdRun;
  /**
   * Rows firstRow .. firstRow + rows of the sample stream of `seed` into out (rows x d).
   * firstRow must be a multiple of SAMPLE_STREAM_ROWS.
   */
  sample(model: PackedModel, seed: number, firstRow: number, rows: number, out: Float64Array): void;
  /**
   * Raw generator outputs of stream `stream`: pure-rand's xoroshiro128plus(seed) jumped
   * stream + 1 times. Stream 0 is jumped once too: right after seeding, xoroshiro's state
   * holds the seed's few bits and its first outputs are far from uniform (the first would
   * put a near-zero normal at the start of every sample); a jump mixes 128 states.
   */
  uniformBits(seed: number, stream: number, count: number): BigUint64Array;
  /** N(0, 1) draws of stream `stream`. */
  normals(seed: number, stream: number, count: number): Float64Array;
  /** N(0, 1) | Z > alpha draws of stream `stream`. */
  truncNormals(seed: number, stream: number, count: number, alpha: number): Float64Array;
}

/**
 * Rows per sampling stream: row r of a sample comes from stream floor(r / SAMPLE_STREAM_ROWS)
 * of the seed (see uniformBits), so any split of the rows between calls or
 * workers on these boundaries gives the same bits.
 */
export const SAMPLE_STREAM_ROWS = 4096;

/** A pass over the data that a fit plan asks its driver for. */
export type PassRequest =
  | { kind: 'moments' }
  | { kind: 'coordStats' }
  | { kind: 'sgd'; setup: SgdSetup; positives: Float64Array }
  | { kind: 'pairCounts'; thresholds: Float64Array };

/** The passes whose kernel maps one block to one partial result (src/backend/merge.ts merges them). */
export type BlockKernel = Exclude<PassRequest['kind'], 'sgd'>;

/** What each pass gives back: whole-data results, block partials merged in block order. */
export interface PassResults {
  /** Exact sums, read as rounded totals (a fit) or as the Statistics JSON (accumulate). */
  moments: StatisticsAccumulator;
  coordStats: CoordStats;
  sgd: SgdTotals;
  pairCounts: Float64Array;
}

/** W (d x k) -> W^T (k x d), the layout the generation kernel reads contiguously. */
export function packModel(m: CheckedModel): PackedModel {
  const { d, k } = m;
  const wt = new Float64Array(k * d);
  for (let j = 0; j < d; j++) for (let l = 0; l < k; l++) wt[l * d + j] = m.W.data[j * k + l];
  return { wt, b: m.b, d, k };
}
