// The one-pass statistics of the censored-likelihood estimators (assembly/moments.ts).

/**
 * Rows per group of the A1 / A2 sums: the Wasm kernel tabulates the sums over every subset
 * of a group. The module's MOMENT_GROUP_ROWS; test/unit/backend/kernels.test.ts checks they are equal.
 */
export const GROUP = 4;

/**
 * Rows lo .. hi - 1 (a band; default all d) of four d x d matrices, in one array
 * N11 | A1 | A2 | G of (hi - lo) x d values each:
 *   N11[i][j] = #{x_i > 0, x_j > 0}, A1[i][j] = sum x_i 1[x_j > 0], A2[i][j] = sum x_i^2 1[x_j > 0],
 *   G[i][j] = sum x_i x_j. N11 and G only for i <= j (0 below); A1 and A2 for all i, j.
 * A band's entries have the bits of the same entries of the whole (each entry is summed on
 * its own), so the output can be computed a band at a time in bounded memory.
 * The summation order is the Wasm kernel's, hence its bits: G adds rows one by one in
 * ascending order; A1 and A2 add, for each group of GROUP rows from the block's first row,
 * the group's own sum (its selected rows added in ascending order, starting from 0).
 */
export function momentStatsTwin(block: Float64Array, rows: number, d: number, lo = 0, hi = d): Float64Array {
  const size = (hi - lo) * d;
  const out = new Float64Array(4 * size);
  const N11 = out.subarray(0, size);
  const A1 = out.subarray(size, 2 * size);
  const A2 = out.subarray(2 * size, 3 * size);
  const G = out.subarray(3 * size);
  for (let r = 0; r < rows; r++) {
    const row = r * d;
    for (let i = lo; i < hi; i++) {
      const xi = block[row + i];
      if (!(xi > 0)) continue; // x >= 0, so a zero x_i adds nothing to row i of N11 or G
      const at = (i - lo) * d;
      for (let j = i; j < d; j++) {
        const xj = block[row + j];
        if (xj > 0) N11[at + j] += 1;
        G[at + j] += xi * xj;
      }
    }
  }
  for (let g = 0; g < rows; g += GROUP) {
    const end = Math.min(rows, g + GROUP);
    for (let i = lo; i < hi; i++) {
      const at = (i - lo) * d;
      for (let j = 0; j < d; j++) {
        let s1 = 0;
        let s2 = 0;
        for (let r = g; r < end; r++) {
          if (block[r * d + j] > 0) {
            const xi = block[r * d + i];
            s1 += xi;
            s2 += xi * xi;
          }
        }
        A1[at + j] += s1;
        A2[at + j] += s2;
      }
    }
  }
  return out;
}
