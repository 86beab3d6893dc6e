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
  // Per tile and coordinate i: how many rows have x_i > 0, their byte offsets in the tile
  // and their x_i, so the inner loops read a contiguous list instead of testing every row.
  const cntP = listPtr;                                   // d x i32
  const offP = cntP + (<usize>d << 2);                    // d x TILE x i32
  const valP = (offP + (<usize>d * TILE << 2) + 15) & ~15; // d x TILE x f64
  for (let r0 = 0; r0 < rows; r0 += TILE) {
    const tr = min(TILE, rows - r0);
    const tile = xPtr + <usize>r0 * stride;
    memory.fill(cntP, 0, <usize>d << 2);
    for (let r = 0; r < tr; r++) {
      const row = tile + <usize>r * stride;
      for (let i = 0; i < d; i++) {
        const v = load<f64>(row + (<usize>i << 3));
        if (v > 0.0) {
          const cp = cntP + (<usize>i << 2);
          const c = load<i32>(cp);
          const slot = <usize>i * TILE + <usize>c;
          store<i32>(offP + (slot << 2), r * d * 8);
          store<f64>(valP + (slot << 3), v);
          store<i32>(cp, c + 1);
        }
      }
    }
    for (let i = 0; i < d; i++) {
      const c = load<i32>(cntP + (<usize>i << 2));
      if (c == 0) continue;
      const offs = offP + (<usize>i * TILE << 2);
      const vals = valP + (<usize>i * TILE << 3);
      const rowI = <usize>i * stride;
      let j = 0;
      // Four columns at a time; G (needed for j >= i only) from the block holding column i on.
      for (; j + 3 < d; j += 4) {
        if (j + 3 < i) accumulateBlock(tile, offs, vals, c, a1P + rowI, a2P + rowI, gP + rowI, j, false);
        else accumulateBlock(tile, offs, vals, c, a1P + rowI, a2P + rowI, gP + rowI, j, true);
      }
      for (; j < d; j++) accumulateScalar(tile, offs, vals, c, a1P + rowI, a2P + rowI, gP + rowI, j, j >= i);
    }
  }
}

/**
 * A1 and A2 (and G when withG) of row i, columns j .. j + 3, over the listed rows of one
 * tile. Always inlined with a constant withG, so each call site compiles to its own loop.
 */
@inline function accumulateBlock(
  tile: usize, offs: usize, vals: usize, c: i32, a1Row: usize, a2Row: usize, gRow: usize, j: i32, withG: bool,
): void {
  const off = <usize>j << 3;
  const zero = f64x2.splat(0.0);
  let a10 = v128.load(a1Row + off);
  let a11 = v128.load(a1Row + off, 16);
  let a20 = v128.load(a2Row + off);
  let a21 = v128.load(a2Row + off, 16);
  let g0 = withG ? v128.load(gRow + off) : zero;
  let g1 = withG ? v128.load(gRow + off, 16) : zero;
  for (let k = 0; k < c; k++) {
    const row = tile + <usize>load<i32>(offs + (<usize>k << 2)) + off;
    const v = load<f64>(vals + (<usize>k << 3));
    const xi = f64x2.splat(v);
    const sq = f64x2.splat(v * v);
    const x0 = v128.load(row);
    const x1 = v128.load(row, 16);
    const m0 = f64x2.gt(x0, zero);
    const m1 = f64x2.gt(x1, zero);
    a10 = f64x2.add(a10, v128.and(xi, m0));
    a11 = f64x2.add(a11, v128.and(xi, m1));
    a20 = f64x2.add(a20, v128.and(sq, m0));
    a21 = f64x2.add(a21, v128.and(sq, m1));
    if (withG) {
      g0 = f64x2.add(g0, f64x2.mul(xi, x0));
      g1 = f64x2.add(g1, f64x2.mul(xi, x1));
    }
  }
  v128.store(a1Row + off, a10);
  v128.store(a1Row + off, a11, 16);
  v128.store(a2Row + off, a20);
  v128.store(a2Row + off, a21, 16);
  if (withG) {
    v128.store(gRow + off, g0);
    v128.store(gRow + off, g1, 16);
  }
}

/** One column j of row i (the columns left over after the blocks of four). */
@inline function accumulateScalar(
  tile: usize, offs: usize, vals: usize, c: i32, a1Row: usize, a2Row: usize, gRow: usize, j: i32, withG: bool,
): void {
  const off = <usize>j << 3;
  let a1 = load<f64>(a1Row + off);
  let a2 = load<f64>(a2Row + off);
  let g = load<f64>(gRow + off);
  for (let k = 0; k < c; k++) {
    const xj = load<f64>(tile + <usize>load<i32>(offs + (<usize>k << 2)) + off);
    const v = load<f64>(vals + (<usize>k << 3));
    if (xj > 0.0) {
      a1 += v;
      a2 += v * v;
    }
    g += v * xj;
  }
  store<f64>(a1Row + off, a1);
  store<f64>(a2Row + off, a2);
  if (withG) store<f64>(gRow + off, g);
}
