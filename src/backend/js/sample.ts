// Generation of x = ReLU(W z + b), z ~ N(0, I_k) (assembly/sample.ts; Wu, Dimakis &
// Sanghavi 2019, Eq. (1)).
import type { PackedModel } from '../contract.js';
import { normal } from './ziggurat.js';
import type { Xoroshiro128Plus } from './rng.js';

/**
 * `rows` rows of ReLU(W z + b) from g into out, starting at row outRow: z is k normals a
 * row, and each element is b_j + z_0 W_j0 + z_1 W_j1 + ... added in that order.
 */
export function sampleRowsTwin(g: Xoroshiro128Plus, model: PackedModel, rows: number, out: Float64Array, outRow = 0): void {
  const { wt, b, d, k } = model;
  const z = new Float64Array(k);
  for (let r = 0; r < rows; r++) {
    for (let l = 0; l < k; l++) z[l] = normal(g);
    const o = (outRow + r) * d;
    for (let j = 0; j < d; j++) {
      let y = b[j];
      for (let l = 0; l < k; l++) y += z[l] * wt[l * d + j];
      out[o + j] = y > 0 ? y : 0;
    }
  }
}
