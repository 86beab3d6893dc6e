// Benchmark data, made with the package itself (randomModel + sample, fixed seeds) and not
// timed. One data set is kept between cases, so cases of the same n and d share it.
import { randomModel, sample } from '../src/index.js';
import type { MatrixLike, Samples } from '../src/types.js';
import { timed } from './timing.js';

export const MODEL_SEED = 1;
export const SAMPLE_SEED = 2;

export interface Dataset {
  model: { W: MatrixLike; b: Float64Array };
  x: Samples;
  /** Wall time of sample(model, n) that made x (informative only). */
  generateMs: number;
}

let kept: { key: string; data: Dataset } | undefined;

/** The paper's random model of dimension d (k = d) and n samples of it. */
export function dataset(n: number, d: number): Dataset {
  const key = `${n}x${d}`;
  if (kept?.key !== key) {
    kept = undefined; // let the previous data go before allocating the next
    const model = randomModel({ d, seed: MODEL_SEED });
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
