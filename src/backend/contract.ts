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
  /**
   * Where each row j of W (column j of W^T) can be nonzero: W_jl = 0 outside
   * support[2j] <= l < support[2j + 1], and (k, 0) for a zero row. The Wasm kernel skips the
   * products outside it (a lower-triangular W costs half), with the same bits (assembly/sample.ts).
   * @default every row's whole range 0 .. k
   */
  support?: Int32Array;
}

export interface Backend {
  readonly name: 'wasm' | 'js';
  /** Fresh statistics of one block of `rows` rows of d values. */
  coordStats(block: Float64Array, rows: number, d: number): CoordStats;
  /** Fresh d x d counts #{x_i > t_i and x_j > t_j} of one block, upper triangle (i <= j) only. */
  pairCounts(block: Float64Array, rows: number, d: number, thresholds: Float64Array): Float64Array;
  /**
   * Fresh one-pass statistics of one block: rows lo .. hi - 1 (default: all d) of four d x d
   * row-major matrices, in one array N11 | A1 | A2 | G of (hi - lo) x d values each (see
   * assembly/moments.ts); N11 and G are filled for i <= j only. Every entry has the same bits
   * whatever band it is computed in.
   */
  momentStats(block: Float64Array, rows: number, d: number, lo?: number, hi?: number): Float64Array;
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

  // Dense symmetric linear algebra of the PSD projection (src/estimators/gram.ts): d x d
  // row-major matrices, of which a symmetric one is read in its upper triangle (j >= i) only;
  // `a` is left as it is.
  /**
   * The Cholesky factor: L lower triangular (zeros above the diagonal, fresh), L L^T = a;
   * or, when a pivot is not > 0 (a is not positive definite to working precision), its index.
   */
  cholesky(a: Float64Array, d: number): CholeskyResult;
  /**
   * Eigenvalues ascending and unit eigenvectors (row j of `vectors`, d x d row-major, for
   * values[j]); throws an Error when the QL iteration does not converge.
   */
  symmetricEigen(a: Float64Array, d: number): SymmetricEigen;
  /**
   * The largest eigenvalue of a symmetric operator by Lanczos with full reorthogonalisation
   * from `start` (d values, any length; assembly/lanczos.ts): 'matrix', the symmetric a (its
   * upper triangle read); 'inverse', (L L^T)^-1 for L the lower triangle of a (cholesky's factor). At
   * most min(maxSteps, d) steps, ending sooner from minSteps on when the residual bound is
   * <= tol |value|.
   */
  lanczos(a: Float64Array, d: number, operator: 'matrix' | 'inverse', start: Float64Array, options: LanczosOptions): LanczosResult;
}

/** Backend.lanczos's steps. */
export interface LanczosOptions {
  minSteps: number;
  maxSteps: number;
  tol: number;
}

/** Backend.lanczos: the largest Ritz value and its residual bound ||A y - value y|| (some eigenvalue lies within it). */
export interface LanczosResult {
  value: number;
  residual: number;
  steps: number;
  /** residual <= tol |value| (0 when the Krylov space was invariant or all d steps ran: exact). */
  converged: boolean;
}

/** Backend.cholesky: the factor, or the first pivot that was not > 0. */
export type CholeskyResult = { ok: true; L: Float64Array } | { ok: false; pivot: number };

/** Backend.symmetricEigen: A = V^T diag(values) V with V = vectors (rows are the eigenvectors). */
export interface SymmetricEigen {
  values: Float64Array;
  vectors: Float64Array;
}

/** The error of a symmetricEigen kernel's status (l + 1: eigenvalue l did not converge), or undefined for 0. */
export function eigenFailure(status: number, d: number): Error | undefined {
  if (status === 0) return undefined;
  return new Error(`symmetricEigen: the QL iteration did not converge on eigenvalue ${status - 1} of ${d}`);
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

/** W (d x k) -> W^T (k x d), the layout the generation kernels read, and the support of each row of W. */
export function packModel(m: CheckedModel): PackedModel {
  const { d, k } = m;
  const w = m.W.data;
  const wt = new Float64Array(k * d);
  const support = new Int32Array(2 * d);
  for (let j = 0; j < d; j++) {
    const row = j * k;
    for (let l = 0; l < k; l++) wt[l * d + j] = w[row + l];
    let first = 0;
    while (first < k && w[row + first] === 0) first++;
    let end = k;
    while (end > first && w[row + end - 1] === 0) end--;
    support[2 * j] = first;
    support[2 * j + 1] = first === k ? 0 : end;
  }
  return { wt, b: m.b, d, k, support };
}
