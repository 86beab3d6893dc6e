import { rowsPerBlock } from './backend.js';
import type { Samples } from './types.js';

/** Calls fn on each fixed-size block of rows (views, no copies), in order. */
export function forEachBlock(x: Samples, fn: (block: Float64Array, rows: number) => void): void {
  const step = rowsPerBlock(x.d);
  for (let r = 0; r < x.n; r += step) {
    const rows = Math.min(step, x.n - r);
    fn(x.data.subarray(r * x.d, (r + rows) * x.d), rows);
  }
}
