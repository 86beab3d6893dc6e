import type { AbstractMatrix } from 'ml-matrix';

/** A dense row-major matrix: `data[r * cols + c]`. */
export interface MatrixLike {
  data: Float64Array;
  rows: number;
  cols: number;
}

/** Any of the matrix forms the package accepts: rows of numbers, an ml-matrix, or a MatrixLike. */
export type MatrixInput = readonly (readonly number[])[] | AbstractMatrix | MatrixLike;

/** A one-layer ReLU network x = ReLU(W z + b), z ~ N(0, I_k): W is d x k, b has length d. */
export interface ModelInput {
  W: MatrixInput;
  b: ArrayLike<number>;
}

/** n samples of dimension d, row-major: sample r is data[r * d .. r * d + d). */
export interface Samples {
  data: Float64Array;
  n: number;
  d: number;
}

/** Data for `fit`: Samples, rows of numbers (n rows of d), or an ml-matrix (n x d). */
export type DataInput = Samples | readonly (readonly number[])[] | AbstractMatrix;

/** The package's default seed, for `sample` and for the randomness inside `fit`. */
export const DEFAULT_SEED = 0;

export interface SampleOptions {
  /**
   * Seed of the generator: an integer in [0, 2^32). Same seed, same bits, on every engine.
   * @default 0
   */
  seed?: number;
}

export type Method = 'paper';

export interface FitOptions {
  /**
   * 'paper': the algorithm of Wu, Dimakis & Sanghavi (NeurIPS 2019) exactly as the
   * authors' reference runs it (projected SGD per coordinate, then orthant counts).
   * @default 'paper'
   */
  method?: Method;
  /**
   * Seed of the draws inside the estimator (the SGD's truncated normals): an integer in [0, 2^32).
   * @default 0
   */
  seed?: number;
}

export interface FitDiagnostics {
  /** Number of positive values of each coordinate. */
  positives: Float64Array;
  /** Smallest eigenvalue of `sigma` before the projection onto the PSD cone. */
  minEigenvalue: number;
  /** The floor the projection put under the eigenvalues (PSD_RELATIVE_FLOOR x the largest). */
  eigenvalueFloor: number;
  /** Wall time of each stage, in milliseconds (not part of the deterministic result). */
  timings: Record<string, number>;
}

/** The result of `fit`: plain data; `serializeFit` turns it into JSON-ready arrays. */
export interface FitResult {
  method: Method;
  n: number;
  d: number;
  /** Estimated bias b (length d). */
  b: Float64Array;
  /** Raw estimate of Sigma = W W^T (d x d, row-major); it may be indefinite. */
  sigma: Float64Array;
  /** Estimated row norms ||W_i|| = sqrt(Sigma_ii). */
  norms: Float64Array;
  /** A model one can `sample` from: W is a d x d factor of the PSD projection of `sigma`. */
  model: { W: MatrixLike; b: Float64Array };
  diagnostics: FitDiagnostics;
  /** Things a careful user should know about this fit (empty when there are none). */
  warnings: string[];
}
