// Generation of x = ReLU(W z + b), z ~ N(0, I_k) (the model of Wu, Dimakis & Sanghavi 2019,
// Eq. (1)), for `rows` rows from the stream at statePtr. z is drawn row by row (k normals a
// row, ziggurat), so the output depends only on the stream, never on how the caller splits
// rows into calls. wt is W transposed (k x d, row-major) so the inner loop runs over
// contiguous output columns two at a time; every output element is b_j + sum_l z_l W_jl
// added in l order, the same order as the TypeScript twin (no fused multiply-add), hence
// the same bits. zPtr is scratch for k doubles.

import { loadState, storeState } from "./rng";
import { normal } from "./normal";

export function sampleRows(
  statePtr: usize, wtPtr: usize, bPtr: usize, outPtr: usize,
  rows: i32, d: i32, k: i32, zPtr: usize,
): void {
  loadState(statePtr);
  const stride = <usize>d << 3;
  const pairs = d & ~1;
  const zero = f64x2.splat(0.0);
  for (let r = 0; r < rows; r++) {
    for (let l = 0; l < k; l++) store<f64>(zPtr + (<usize>l << 3), normal());
    const out = outPtr + <usize>r * stride;
    memory.copy(out, bPtr, stride);
    for (let l = 0; l < k; l++) {
      const zl = load<f64>(zPtr + (<usize>l << 3));
      const zv = f64x2.splat(zl);
      const w = wtPtr + <usize>l * stride;
      let j = 0;
      for (; j < pairs; j += 2) {
        const off = <usize>j << 3;
        v128.store(out + off, f64x2.add(v128.load(out + off), f64x2.mul(zv, v128.load(w + off))));
      }
      if (j < d) {
        const off = <usize>j << 3;
        store<f64>(out + off, load<f64>(out + off) + zl * load<f64>(w + off));
      }
    }
    let j = 0;
    for (; j < pairs; j += 2) {
      const off = <usize>j << 3;
      v128.store(out + off, f64x2.pmax(zero, v128.load(out + off)));
    }
    if (j < d) {
      const off = <usize>j << 3;
      const v = load<f64>(out + off);
      store<f64>(out + off, v > 0.0 ? v : 0.0);
    }
  }
  storeState(statePtr);
}
