// The true model of the demo: the paper's recipe (randomModel) keeping the first k columns of W*.
import { randomModel } from 'relu-density';

export interface Truth {
  /** d x k, row-major. */
  W: { data: Float64Array; rows: number; cols: number };
  b: Float64Array;
  /** Sigma* = W* W*^T, d x d row-major. */
  sigma: Float64Array;
}

export function makeTruth(d: number, k: number, kappa: number, seed: number): Truth {
  if (!Number.isInteger(k) || k < 1 || k > d) throw new RangeError(`k must be an integer in [1, d = ${d}], got ${k}`);
  const full = randomModel({ d, kappa, seed });
  const W = new Float64Array(d * k);
  for (let i = 0; i < d; i++) for (let j = 0; j < k; j++) W[i * k + j] = full.W.data[i * d + j];
  const sigma = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) {
      let s = 0;
      for (let l = 0; l < k; l++) s += W[i * k + l] * W[j * k + l];
      sigma[i * d + j] = s;
    }
  }
  return { W: { data: W, rows: d, cols: k }, b: Float64Array.from(full.b), sigma };
}
