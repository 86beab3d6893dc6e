// The one-pass statistics of the censored-likelihood estimators (the package's default;
// pairwise-likelihood correlations after Wu, Dimakis & Sanghavi 2019, Sec. 3.2, with the
// marginals of a censored normal, Tobin 1958 / Olsen 1978). For one block of rows:
//   N11[i][j] = #{x_i > 0, x_j > 0}         (bit-packed indicators, AND + popcount; i <= j)
//   A1[i][j]  = sum x_i 1[x_j > 0]           (all i, j)
//   A2[i][j]  = sum x_i^2 1[x_j > 0]         (all i, j)
//   G[i][j]   = sum x_i x_j                  (i <= j; some j = i - 1 too, ignored)
// The diagonals are the per-coordinate sums: N11_ii = #positives, A1_ii = sum x_i,
// A2_ii = G_ii = sum x_i^2.
//
// ReLU data are about half zeros and a zero x_i adds nothing to row i of A1, A2 or G, so
// rows are taken in tiles of TILE rows, and for each coordinate i only the rows of the
// tile where x_i > 0 are visited (a list built once per tile). Accumulators stay in
// registers over a tile; every element still adds its rows in ascending order, so the
// bits equal the plain triple loop of the TypeScript twin. Adds into out = N11|A1|A2|G.

import { pairCounts } from "./counts";

const TILE = 64;

export function momentStats(
  xPtr: usize, rows: i32, d: i32, outPtr: usize, zerosPtr: usize, bitsPtr: usize, listPtr: usize,
): void {
  const dd = <usize>d * <usize>d << 3;
  const a1P = outPtr + dd;
  const a2P = a1P + dd;
  const gP = a2P + dd;
  // N11: counts above the threshold 0 (zerosPtr holds d zeros).
  pairCounts(xPtr, rows, d, zerosPtr, bitsPtr, outPtr);

  const stride = <usize>d << 3;
  const cntP = listPtr;                           // d x i32 counts
  const rowsP = listPtr + (<usize>d << 2);        // d x TILE i32 row offsets
  const zero = f64x2.splat(0.0);
  for (let r0 = 0; r0 < rows; r0 += TILE) {
    const tr = min(TILE, rows - r0);
    const tile = xPtr + <usize>r0 * stride;
    memory.fill(cntP, 0, <usize>d << 2);
    for (let r = 0; r < tr; r++) {
      const row = tile + <usize>r * stride;
      for (let i = 0; i < d; i++) {
        if (load<f64>(row + (<usize>i << 3)) > 0.0) {
          const cp = cntP + (<usize>i << 2);
          const c = load<i32>(cp);
          store<i32>(rowsP + ((<usize>i * TILE + <usize>c) << 2), r * d * 8);
          store<i32>(cp, c + 1);
        }
      }
    }
    for (let i = 0; i < d; i++) {
      const c = load<i32>(cntP + (<usize>i << 2));
      if (c == 0) continue;
      const list = rowsP + (<usize>i * TILE << 2);
      const iOff = <usize>i << 3;
      const rowI = <usize>i * stride;
      // A1 and A2: row i, every column, two at a time.
      let j = 0;
      for (; j + 1 < d; j += 2) {
        const off = <usize>j << 3;
        let a1 = v128.load(a1P + rowI + off);
        let a2 = v128.load(a2P + rowI + off);
        for (let k = 0; k < c; k++) {
          const row = tile + <usize>load<i32>(list + (<usize>k << 2));
          const xi = f64x2.splat(load<f64>(row + iOff));
          const mask = f64x2.gt(v128.load(row + off), zero);
          a1 = f64x2.add(a1, v128.and(xi, mask));
          a2 = f64x2.add(a2, v128.and(f64x2.mul(xi, xi), mask));
        }
        v128.store(a1P + rowI + off, a1);
        v128.store(a2P + rowI + off, a2);
      }
      if (j < d) {
        const off = <usize>j << 3;
        let a1 = load<f64>(a1P + rowI + off);
        let a2 = load<f64>(a2P + rowI + off);
        for (let k = 0; k < c; k++) {
          const row = tile + <usize>load<i32>(list + (<usize>k << 2));
          const xi = load<f64>(row + iOff);
          if (load<f64>(row + off) > 0.0) {
            a1 += xi;
            a2 += xi * xi;
          }
        }
        store<f64>(a1P + rowI + off, a1);
        store<f64>(a2P + rowI + off, a2);
      }
      // G: columns j >= i (from the even column at or below i).
      j = i & ~1;
      for (; j + 1 < d; j += 2) {
        const off = <usize>j << 3;
        let g = v128.load(gP + rowI + off);
        for (let k = 0; k < c; k++) {
          const row = tile + <usize>load<i32>(list + (<usize>k << 2));
          const xi = f64x2.splat(load<f64>(row + iOff));
          g = f64x2.add(g, f64x2.mul(xi, v128.load(row + off)));
        }
        v128.store(gP + rowI + off, g);
      }
      if (j < d) {
        const off = <usize>j << 3;
        let g = load<f64>(gP + rowI + off);
        for (let k = 0; k < c; k++) {
          const row = tile + <usize>load<i32>(list + (<usize>k << 2));
          g += load<f64>(row + iOff) * load<f64>(row + off);
        }
        store<f64>(gP + rowI + off, g);
      }
    }
  }
}
