// Per-coordinate sums of one block (assembly/stats.ts): the sufficient statistics of the
// positives that standardise them for Step 1 of Wu, Dimakis & Sanghavi 2019 (Sec. 3.1).
import type { CoordStats } from '../contract.js';

/** Per coordinate: number of positives, sum and sum of squares, adding rows in order. */
export function coordStatsTwin(block: Float64Array, rows: number, d: number): CoordStats {
  const count = new Float64Array(d);
  const sum = new Float64Array(d);
  const sumSq = new Float64Array(d);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < d; j++) {
      const x = block[r * d + j];
      if (x > 0) count[j] += 1;
      sum[j] += x;
      sumSq[j] += x * x;
    }
  }
  return { count, sum, sumSq };
}
