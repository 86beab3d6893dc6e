// Benchmark data, made with the package itself (randomModel + sample, fixed seeds) and not
// timed. One data set is kept between cases, so cases of the same n and d share it; models are
// kept for the whole run (randomModel's SVD takes about a minute at d = 1024).
import { randomModel, sample } from '../src/index.js';
import type { MatrixLike, Samples } from '../src/types.js';
import { timed } from './timing.js';

export const MODEL_SEED = 1;
export const SAMPLE_SEED = 2;

/**
 * Past this d the models have Gaussian rows (W = randn(d, d) / sqrt(d), rows: 'gaussian'):
 * randomModel's orthogonal rows come from an SVD in TypeScript, O(d^3), hours at d = 4096.
 */
export const ORTHOGONAL_MAX_D = 1024;

export interface Dataset {
  model: { W: MatrixLike; b: Float64Array };
  x: Samples;
  /** Wall time of sample(model, n) that made x (informative only). */
  generateMs: number;
}

/** The randomModel options of the model of dimension d, as code for notes. */
export const modelCall = (d: number): string =>
  d > ORTHOGONAL_MAX_D ? `randomModel({ d: ${d}, rows: 'gaussian', seed: ${MODEL_SEED} })` : `randomModel({ d: ${d}, seed: ${MODEL_SEED} })`;

const models = new Map<number, { W: MatrixLike; b: Float64Array }>();

/** The benchmark's model of dimension d (k = d), made once a run. */
export function modelOf(d: number): { W: MatrixLike; b: Float64Array } {
  let m = models.get(d);
  if (m === undefined) models.set(d, (m = randomModel(d > ORTHOGONAL_MAX_D ? { d, rows: 'gaussian', seed: MODEL_SEED } : { d, seed: MODEL_SEED })));
  return m;
}

let kept: { key: string; data: Dataset } | undefined;

/** n samples of the model of dimension d. */
export function dataset(n: number, d: number): Dataset {
  const key = `${n}x${d}`;
  if (kept?.key !== key) {
    kept = undefined; // let the previous data go before allocating the next
    const model = modelOf(d);
    const { value: x, ms } = timed(() => sample(model, n, { seed: SAMPLE_SEED }));
    kept = { key, data: { model, x, generateMs: ms } };
  }
  return kept.data;
}

/** The first `rows` rows, as a view (for warm-up runs). */
export function head(x: Samples, rows: number): Samples {
  const n = Math.min(rows, x.n);
  return { data: x.data.subarray(0, n * x.d), n, d: x.d };
}

export function releaseData(): void {
  kept = undefined;
}
