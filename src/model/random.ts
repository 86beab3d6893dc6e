// Random models as in the experiments of Wu, Dimakis & Sanghavi 2019 (Sec. 5 and the
// authors' scripts_figure1.m): b* = max(0, randn(d)); W* = U from the SVD of
// randn(d, d) / sqrt(d), times diag(lambda^-(j-1)) with lambda = sqrt(kappa)^(1/(d-1))
// so that cond(W* W*^T) = kappa. Also the variants the estimator study uses: Gaussian
// rows without the SVD (correlated rows) and Gaussian biases (negative values allowed).
import { Matrix, SingularValueDecomposition } from 'ml-matrix';
import type { Backend } from '../backend/contract.js';
import { DEFAULT_SEED, type MatrixLike } from '../types.js';
import { checkChoice, checkInteger, checkOptions, checkSeed, show } from '../input/scalars.js';
import { selectBackend } from '../backend/select.js';
import { exp, log } from '../numerics/math.js';

export interface RandomModelOptions {
  /** Dimension d. @default 5 */
  d?: number;
  /** Condition number of W W^T ('orthogonal' rows only). @default 1 */
  kappa?: number;
  /** 'orthogonal': W = U diag(s) from an SVD (the paper); 'gaussian': W = randn(d, d) / sqrt(d). @default 'orthogonal' */
  rows?: 'orthogonal' | 'gaussian';
  /** 'relu': b = max(0, randn(d)) (the paper); 'gaussian': b = randn(d). @default 'relu' */
  bias?: 'relu' | 'gaussian';
  /** Seed of the draws. @default 0 */
  seed?: number;
}

function checkRandomModelOptions(options: unknown) {
  const o = checkOptions('options', options);
  const d = o.d === undefined ? 5 : checkInteger('options.d', o.d, 1, 4096);
  const kappa = o.kappa === undefined ? 1 : o.kappa;
  if (typeof kappa !== 'number') throw new TypeError(`options.kappa must be a number, got ${show(kappa)}`);
  if (!(kappa >= 1 && kappa < Infinity)) {
    throw new RangeError(`options.kappa must be a finite number >= 1, got ${show(kappa)}`);
  }
  const rows = o.rows === undefined ? 'orthogonal' : checkChoice('options.rows', o.rows, ['orthogonal', 'gaussian'] as const);
  if (rows === 'gaussian' && kappa !== 1) {
    throw new RangeError(`options.kappa applies to 'orthogonal' rows only, got ${kappa}`);
  }
  const bias = o.bias === undefined ? 'relu' : checkChoice('options.bias', o.bias, ['relu', 'gaussian'] as const);
  const seed = o.seed === undefined ? DEFAULT_SEED : checkSeed('options.seed', o.seed);
  return { d, kappa, rows, bias, seed };
}

export function randomModelWith(options: RandomModelOptions | undefined, backend: Backend): { W: MatrixLike; b: Float64Array } {
  const { d, kappa, rows, bias, seed } = checkRandomModelOptions(options);

  const z = backend.normals(seed, 0, d + d * d);
  const b = new Float64Array(d);
  for (let i = 0; i < d; i++) b[i] = bias === 'relu' ? Math.max(0, z[i]) : z[i];
  const scale = 1 / Math.sqrt(d);
  const W0 = new Matrix(d, d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) W0.set(i, j, z[d + i * d + j] * scale);
  const W = new Float64Array(d * d);
  if (rows === 'gaussian') {
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) W[i * d + j] = W0.get(i, j);
  } else {
    const U = new SingularValueDecomposition(W0).leftSingularVectors;
    // s_j = lam^-j, lam = kappa^(1/(2(d-1))), by the package's exp and log (numerics/math.ts):
    // the engine's Math.pow, exp and log give other last bits in Node than in Chromium.
    const logLam = d > 1 ? log(kappa) / (2 * (d - 1)) : 0;
    for (let j = 0; j < d; j++) {
      const s = exp(-j * logLam);
      for (let i = 0; i < d; i++) W[i * d + j] = U.get(i, j) * s;
    }
  }
  return { W: { data: W, rows: d, cols: d }, b };
}

/** A random model { W, b } drawn by the paper's recipe (see RandomModelOptions). */
export function randomModel(options?: RandomModelOptions): { W: MatrixLike; b: Float64Array } {
  checkRandomModelOptions(options); // validate before the first touch of WebAssembly
  return randomModelWith(options, selectBackend('auto'));
}
