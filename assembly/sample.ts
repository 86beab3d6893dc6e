// Generation of x = ReLU(W z + b), z ~ N(0, I_k) (the model of Wu, Dimakis & Sanghavi 2019,
// Eq. (1)), for `rows` rows from the stream at statePtr. z is drawn row by row (k normals a
// row, ziggurat), so the output depends only on the stream, never on how the caller splits
// rows into calls. wt is W transposed (k x d, row-major) so the inner loops read contiguous
// columns. Two rows and eight columns are computed at a time with their sums held in
// registers; every output element is still b_j + z_0 W_j0 + z_1 W_j1 + ... added in l order,
// the same order as the TypeScript twin (no fused multiply-add), hence the same bits.
// zPtr is scratch for SAMPLE_Z_PER_K x k doubles (two rows' z).

import { loadState, storeState } from "./rng";
import { normals } from "./normal";

/** Doubles of zPtr's scratch per latent dimension (the ABI: src/wasm/abi.ts). */
export const SAMPLE_Z_PER_K: i32 = 2;

export function sampleRows(
  statePtr: usize, wtPtr: usize, bPtr: usize, outPtr: usize,
  rows: i32, d: i32, k: i32, zPtr: usize,
): void {
  loadState(statePtr);
  const stride = <usize>d << 3;
  const z1Ptr = zPtr + (<usize>k << 3);
  let r = 0;
  for (; r + 1 < rows; r += 2) {
    normals(zPtr, k);
    normals(z1Ptr, k);
    const out0 = outPtr + <usize>r * stride;
    twoRows(zPtr, z1Ptr, wtPtr, bPtr, out0, out0 + stride, d, k);
  }
  if (r < rows) {
    normals(zPtr, k);
    oneRow(zPtr, wtPtr, bPtr, outPtr + <usize>r * stride, d, k);
  }
  storeState(statePtr);
}

@inline function relu(v: v128): v128 {
  return f64x2.pmax(f64x2.splat(0.0), v);
}

function twoRows(z0: usize, z1: usize, wt: usize, b: usize, out0: usize, out1: usize, d: i32, k: i32): void {
  const stride = <usize>d << 3;
  let j = 0;
  for (; j + 7 < d; j += 8) {
    const off = <usize>j << 3;
    let p0 = v128.load(b + off), p1 = v128.load(b + off, 16), p2 = v128.load(b + off, 32), p3 = v128.load(b + off, 48);
    let q0 = p0, q1 = p1, q2 = p2, q3 = p3;
    let w = wt + off;
    for (let l = 0; l < k; l++) {
      const a = f64x2.splat(load<f64>(z0 + (<usize>l << 3)));
      const c = f64x2.splat(load<f64>(z1 + (<usize>l << 3)));
      const w0 = v128.load(w), w1 = v128.load(w, 16), w2 = v128.load(w, 32), w3 = v128.load(w, 48);
      p0 = f64x2.add(p0, f64x2.mul(a, w0));
      p1 = f64x2.add(p1, f64x2.mul(a, w1));
      p2 = f64x2.add(p2, f64x2.mul(a, w2));
      p3 = f64x2.add(p3, f64x2.mul(a, w3));
      q0 = f64x2.add(q0, f64x2.mul(c, w0));
      q1 = f64x2.add(q1, f64x2.mul(c, w1));
      q2 = f64x2.add(q2, f64x2.mul(c, w2));
      q3 = f64x2.add(q3, f64x2.mul(c, w3));
      w += stride;
    }
    v128.store(out0 + off, relu(p0)); v128.store(out0 + off, relu(p1), 16);
    v128.store(out0 + off, relu(p2), 32); v128.store(out0 + off, relu(p3), 48);
    v128.store(out1 + off, relu(q0)); v128.store(out1 + off, relu(q1), 16);
    v128.store(out1 + off, relu(q2), 32); v128.store(out1 + off, relu(q3), 48);
  }
  for (; j + 1 < d; j += 2) {
    const off = <usize>j << 3;
    let p = v128.load(b + off);
    let q = p;
    let w = wt + off;
    for (let l = 0; l < k; l++) {
      const wv = v128.load(w);
      p = f64x2.add(p, f64x2.mul(f64x2.splat(load<f64>(z0 + (<usize>l << 3))), wv));
      q = f64x2.add(q, f64x2.mul(f64x2.splat(load<f64>(z1 + (<usize>l << 3))), wv));
      w += stride;
    }
    v128.store(out0 + off, relu(p));
    v128.store(out1 + off, relu(q));
  }
  if (j < d) {
    scalarColumn(z0, wt, b, out0, d, k, j);
    scalarColumn(z1, wt, b, out1, d, k, j);
  }
}

function oneRow(z: usize, wt: usize, b: usize, out: usize, d: i32, k: i32): void {
  const stride = <usize>d << 3;
  let j = 0;
  for (; j + 1 < d; j += 2) {
    const off = <usize>j << 3;
    let p = v128.load(b + off);
    let w = wt + off;
    for (let l = 0; l < k; l++) {
      p = f64x2.add(p, f64x2.mul(f64x2.splat(load<f64>(z + (<usize>l << 3))), v128.load(w)));
      w += stride;
    }
    v128.store(out + off, relu(p));
  }
  if (j < d) scalarColumn(z, wt, b, out, d, k, j);
}

@inline function scalarColumn(z: usize, wt: usize, b: usize, out: usize, d: i32, k: i32, j: i32): void {
  const stride = <usize>d << 3;
  const off = <usize>j << 3;
  let v = load<f64>(b + off);
  let w = wt + off;
  for (let l = 0; l < k; l++) {
    v += load<f64>(z + (<usize>l << 3)) * load<f64>(w);
    w += stride;
  }
  store<f64>(out + off, v > 0.0 ? v : 0.0);
}
