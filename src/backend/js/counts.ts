// Thresholded pair counts (assembly/counts.ts) for Step 2 of Wu, Dimakis & Sanghavi 2019
// (Sec. 3.2, Eq. (4)): N_ij = #{rows : x_i > t_i and x_j > t_j}, theta_ij = pi - 2 pi N_ij / n.
// The Wasm kernel bit-packs the indicators and uses AND + popcount; counts are integers,
// so this plain loop gives the same numbers.

/** counts[i * d + j] = #{rows : x_i > t_i and x_j > t_j} for i <= j (strict: ties do not count); 0 below. */
export function pairCountsTwin(block: Float64Array, rows: number, d: number, thresholds: Float64Array): Float64Array {
  const counts = new Float64Array(d * d);
  const above = new Uint8Array(d);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < d; j++) above[j] = block[r * d + j] > thresholds[j] ? 1 : 0;
    for (let i = 0; i < d; i++) {
      if (!above[i]) continue;
      for (let j = i; j < d; j++) counts[i * d + j] += above[j];
    }
  }
  return counts;
}
