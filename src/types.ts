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

/** The kernels that run: WebAssembly or their TypeScript twins. */
export type BackendName = 'wasm' | 'js';

/**
 * Which kernels run. 'wasm': the WebAssembly kernels (an Error where WebAssembly is missing
 * or its compilation is blocked); 'js': the TypeScript kernels (no WebAssembly at all, 4-10x
 * slower); 'auto': Wasm where this engine can compile it, else TypeScript. The environment
 * variable RELU_DENSITY_BACKEND = 'wasm' | 'js' overrides what 'auto' picks (tests, debugging).
 * Counts and the generator's integers are the same on both; floating-point results agree to
 * a few ulp (see the README), and each backend gives the same bits for the same seed.
 */
export type BackendChoice = 'auto' | BackendName;

export interface SampleOptions {
  /**
   * Seed of the generator: an integer in [0, 2^32). Same seed, same bits, on every engine.
   * @default 0
   */
  seed?: number | undefined;
  /**
   * The kernels that generate the rows (see BackendChoice).
   * @default 'auto'
   */
  backend?: BackendChoice | undefined;
}

export type Method = 'mle' | 'paper';
export type Step1 = 'censored' | 'truncated' | 'sgd';
export type Step2 = 'pairwise' | 'moment' | 'orthant';

export interface FitOptions {
  /**
   * 'mle': censored-likelihood estimators from one pass of mergeable statistics (Step 1
   * and Step 2 below); works for any sign of b.
   * 'paper': the algorithm of Wu, Dimakis & Sanghavi (NeurIPS 2019) exactly as the
   * authors' reference runs it (projected SGD per coordinate, then orthant counts above
   * b_hat, b clipped at 0); `step1`, `step2` and `assumeNonnegativeBias` do not apply.
   * @default 'mle'
   */
  method?: Method | undefined;
  /**
   * Per-coordinate estimator of (b_i, ||W_i||) for method 'mle':
   * 'censored': the censored-normal (Tobit) MLE, zeros included;
   * 'truncated': the truncated-normal MLE from the positives only (for data whose zeros
   * were dropped); 'sgd': the paper's projected SGD (needs a second pass over the data).
   * @default 'censored'
   */
  step1?: Step1 | undefined;
  /**
   * Per-pair estimator of the correlation for method 'mle':
   * 'pairwise': coarsened pairwise likelihood (bivariate density where both are positive,
   * 2 x 2 cell probabilities elsewhere); 'moment': matches E[x_i x_j]; 'orthant': the
   * paper's orthant counts, above max(b_hat, 0) (a second pass over the data).
   * @default 'pairwise'
   */
  step2?: Step2 | undefined;
  /**
   * Constrain b >= 0 (the paper's assumption): Step 1 then returns the constrained MLE.
   * @default false
   */
  assumeNonnegativeBias?: boolean | undefined;
  /**
   * Seed of the draws inside the estimator (the SGD's truncated normals): an integer in [0, 2^32).
   * @default 0
   */
  seed?: number | undefined;
  /**
   * The kernels that compute the statistics, counts and SGD (see BackendChoice).
   * @default 'auto'
   */
  backend?: BackendChoice | undefined;
}

export interface FitDiagnostics {
  /** Number of positive values of each coordinate. */
  positives: Float64Array;
  /**
   * Smallest eigenvalue of the correlation matrix of `sigma` (D^-1 sigma D^-1, D = diag(norms))
   * before the projection: negative when `sigma` is indefinite. In correlation units, so it
   * does not depend on the units of the data. Exact to rounding (an eigendecomposition) when
   * the projection floored the eigenvalues; when the correlation matrix was positive definite
   * above the floor (W is then its Cholesky factor, scaled) a Lanczos estimate from above,
   * within 1e-6 relative of an eigenvalue when its residual bound converged in 60 steps (the
   * error is then ~ the square of that), and within 2.5% of the smallest except with
   * probability < 1e-6 in any case (see src/estimators/gram.ts).
   */
  minEigenvalue: number;
  /**
   * The floor the projection put under the eigenvalues of that correlation matrix
   * (PSD_RELATIVE_FLOOR x its largest eigenvalue, which is between 1 and d). When nothing was
   * floored (the Cholesky case above) the largest eigenvalue is a 24-step Lanczos estimate
   * from below, within a factor 2 except with probability < 4e-13.
   */
  eigenvalueFloor: number;
  /** Wall time of each stage, in milliseconds (not part of the deterministic result). */
  timings: Record<string, number>;
}

/** The result of `fit`: plain data; `fitToJSON` turns it into JSON-ready arrays. */
export interface FitResult {
  method: Method;
  /** The per-coordinate and per-pair estimators used ('paper' for the paper's method). */
  steps: { step1: Step1 | 'paper'; step2: Step2 | 'paper' };
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
  /**
   * Standard errors of b and of the row norms from the observed Fisher information of
   * Step 1 (method 'mle' with step1 'censored' or 'truncated'); null otherwise.
   */
  standardErrors: { b: Float64Array; norms: Float64Array } | null;
  diagnostics: FitDiagnostics;
  /** Things a careful user should know about this fit (empty when there are none). */
  warnings: string[];
}
