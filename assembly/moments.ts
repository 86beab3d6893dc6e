// The one-pass statistics of the censored-likelihood estimators (the package's default;
// pairwise-likelihood correlations after Wu, Dimakis & Sanghavi 2019, Sec. 3.2, with the
// marginals of a censored normal, Tobin 1958 / Olsen 1978). For one block of rows:
//   N11[i][j] = #{x_i > 0, x_j > 0}         (bit-packed indicators, AND + popcount; i <= j)
//   A1[i][j]  = sum x_i 1[x_j > 0]           (all i, j)
//   A2[i][j]  = sum x_i^2 1[x_j > 0]         (all i, j)
//   G[i][j]   = sum x_i x_j                  (i <= j)
// The diagonals are the per-coordinate sums: N11_ii = #positives, A1_ii = sum x_i,
// A2_ii = G_ii = sum x_i^2.
//
// Rows are taken in tiles of 64; each column's indicators 1[x_j > 0] over a tile are packed
// into one 64-bit word (which also gives N11 by AND + popcount, as in counts.ts). Only
// rows with x_j > 0 add to column j of A1, A2 and G (x >= 0), and columns j run in f64x2
// lanes along i, eight i at a time, the accumulators held in registers over the tile:
// - A1, A2: the tile's rows are cut into groups of GROUP = 4 and, per group, the sums of
//   x_i and x_i^2 over all 16 subsets of its rows are tabulated once (each subset's sum is
//   the sum of the subset without its last row plus that row: the rows added in ascending
//   order, from 0). Column j then adds one table entry per group, picked by 4 bits of its
//   word: 16 adds per tile instead of one per positive row, and no branches.
//   (The "method of four Russians", Arlazarov, Dinic, Kronrod & Faradzev 1970, applied to
//   the 0/1 matrix 1[x > 0].)
// - G: the set bits of column j's word are walked (ctz), adding x_i x_j for blocks i <= j.
// The A1, A2, G slots of out are transposed in place on entry and back on exit (exact
// moves), so each accumulator run along i is contiguous. Columns i go in blocks of 8, then
// at most one block each of 4, 2 and 1.
//
// Summation order (the TypeScript twin, src/js/moments.ts, follows it, so the bits agree):
// A1 and A2 add, per group of 4 rows from the block's first row and in group order, the
// group's own sum of the selected rows (added in ascending order starting from 0); G adds
// its rows one by one in ascending order. So calls on consecutive pieces of a block, each a
// multiple of MOMENT_TILE_ROWS rows but the last, add what one call on the block adds.
//
// Adds into out = N11|A1|A2|G (MOMENT_MATRICES d x d matrices). Scratch: bitsPtr holds
// d x ceil(rows / BITSET_ROWS) words; keepPtr holds MOMENT_KEEP_PER_D x d doubles, the
// entries below G's diagonal that the G loops overwrite, saved and put back (belowDiagonal).

import { popcountPairs } from "./counts";

const TILE = 64;
const GROUP = 4;
const SUBSETS = 1 << GROUP;
const GROUPS = TILE / GROUP;
/** Columns i per register block. */
const IB = 8;
/** A table entry: the sums of x_i (IB doubles) then of x_i^2 (IB doubles) over a subset. */
const ENTRY: usize = IB * 2 * 8;
/** Per group of the tile, SUBSETS entries; entry 0 (the empty subset) stays 0. */
const TABLE: usize = memory.data(<i32>(GROUPS * SUBSETS) * <i32>ENTRY, 16);

/** The ABI (src/wasm/abi.ts): out's matrices, keepPtr's doubles per column, the piece unit. */
export const MOMENT_MATRICES: i32 = 4;
export const MOMENT_KEEP_PER_D: i32 = IB;
export const MOMENT_TILE_ROWS: i32 = TILE;
/** Rows per group of the summation order; the TypeScript twin's must be the same (a test checks). */
export const MOMENT_GROUP_ROWS: i32 = GROUP;

export function momentStats(
  xPtr: usize, rows: i32, d: i32, outPtr: usize, bitsPtr: usize, keepPtr: usize,
): void {
  const dd = <usize>d * <usize>d << 3;
  const a1P = outPtr + dd;
  const a2P = a1P + dd;
  const gP = a2P + dd;
  const stride = <usize>d << 3;
  const words = (rows + 63) >> 6;
  const wStride = <usize>words << 3;

  transpose(a1P, d);
  transpose(a2P, d);
  transpose(gP, d);
  // The G loops of a block run over all of its columns i, so row j of the transposed G also
  // gets i = j + 1 .. (end of j's block): below the diagonal of G, put back as they were.
  belowDiagonal(gP, d, keepPtr, false);

  for (let w = 0; w < words; w++) {
    const r0 = w << 6;
    const tr = min(TILE, rows - r0);
    const tile = xPtr + <usize>r0 * stride;
    const word = bitsPtr + (<usize>w << 3);
    packTile(tile, tr, d, word, wStride);
    const groups = (tr + GROUP - 1) / GROUP;
    let ib = 0;
    for (; ib + IB <= d; ib += IB) {
      const iOff = <usize>ib << 3;
      buildTable(tile, tr, stride, iOff, IB >> 1);
      for (let j = 0; j < d; j++) {
        const acc = <usize>j * stride + iOff;
        const bits = load<u64>(word + <usize>j * wStride);
        if (bits == 0) continue;
        addTable8(bits, groups, a1P + acc, a2P + acc);
        if (ib <= j) walkG8(tile, bits, stride, <usize>j << 3, iOff, gP + acc);
      }
    }
    if (ib + 4 <= d) {
      const iOff = <usize>ib << 3;
      buildTable(tile, tr, stride, iOff, 2);
      for (let j = 0; j < d; j++) {
        const acc = <usize>j * stride + iOff;
        const bits = load<u64>(word + <usize>j * wStride);
        if (bits == 0) continue;
        addTable4(bits, groups, a1P + acc, a2P + acc);
        if (ib <= j) walkG4(tile, bits, stride, <usize>j << 3, iOff, gP + acc);
      }
      ib += 4;
    }
    if (ib + 2 <= d) {
      const iOff = <usize>ib << 3;
      buildTable(tile, tr, stride, iOff, 1);
      for (let j = 0; j < d; j++) {
        const acc = <usize>j * stride + iOff;
        const bits = load<u64>(word + <usize>j * wStride);
        if (bits == 0) continue;
        addTable2(bits, groups, a1P + acc, a2P + acc);
        if (ib <= j) walkG2(tile, bits, stride, <usize>j << 3, iOff, gP + acc);
      }
      ib += 2;
    }
    if (ib < d) {
      const iOff = <usize>ib << 3;
      buildTable1(tile, tr, stride, iOff);
      for (let j = 0; j < d; j++) {
        const acc = <usize>j * stride + iOff;
        const bits = load<u64>(word + <usize>j * wStride);
        if (bits == 0) continue;
        addTable1(bits, groups, a1P + acc, a2P + acc);
        if (ib <= j) walkG1(tile, bits, stride, <usize>j << 3, iOff, gP + acc);
      }
    }
  }

  belowDiagonal(gP, d, keepPtr, true);
  transpose(a1P, d);
  transpose(a2P, d);
  transpose(gP, d);
  popcountPairs(bitsPtr, words, d, outPtr);
}

/** Bit r of the word at word + j * wStride = (x_j > 0 in row r of the tile); two columns at a time. */
function packTile(tile: usize, tr: i32, d: i32, word: usize, wStride: usize): void {
  const stride = <usize>d << 3;
  const zero = f64x2.splat(0.0);
  let j = 0;
  for (; j + 1 < d; j += 2) {
    // rows last to first: double both words and add the row's bits (a true compare is -1)
    let b = i64x2.splat(0);
    let p = tile + (<usize>j << 3) + <usize>(tr - 1) * stride;
    for (let r = tr - 1; r >= 0; r--) {
      b = i64x2.sub(i64x2.add(b, b), f64x2.gt(v128.load(p), zero));
      p -= stride;
    }
    const b0 = i64x2.extract_lane(b, 0);
    const b1 = i64x2.extract_lane(b, 1);
    store<u64>(word + <usize>j * wStride, b0);
    store<u64>(word + <usize>(j + 1) * wStride, b1);
  }
  if (j < d) {
    let b: u64 = 0;
    let p = tile + (<usize>j << 3);
    for (let r = 0; r < tr; r++) {
      b |= <u64>(load<f64>(p) > 0.0) << <u64>r;
      p += stride;
    }
    store<u64>(word + <usize>j * wStride, b);
  }
}

/**
 * For each group of GROUP rows of the tile and each non-empty subset s of it, entry s of the
 * group's table = entry (s without its highest row) + that row's x_i (and x_i^2), for nv
 * lane pairs of columns from iOff. Subsets holding rows past tr are never looked up.
 */
function buildTable(tile: usize, tr: i32, stride: usize, iOff: usize, nv: i32): void {
  const full = tr & ~(GROUP - 1);
  for (let q = 0; q < full; q += GROUP) {
    const table = TABLE + <usize>(q / GROUP) * SUBSETS * ENTRY;
    const x = tile + <usize>q * stride + iOff;
    for (let v = 0; v < nv; v++) {
      const o = <usize>v << 4;
      fillGroup(table + o, v128.load(x + o), v128.load(x + stride + o),
        v128.load(x + 2 * stride + o), v128.load(x + 3 * stride + o));
    }
  }
  if (full < tr) partialGroup(tile, tr, stride, iOff, nv, full);
}

/**
 * The 15 subset sums of one lane pair over the rows a, b, c, d of a group, of x (at t) and
 * of x^2 (at t + IB * 8), each the sum of its rows in ascending order (a singleton is the
 * row itself: 0 + x = x up to the sign of a zero, which no sum from +0 can see).
 */
@inline function fillGroup(t: usize, a: v128, b: v128, c: v128, d: v128): void {
  fill15(t, a, b, c, d);
  fill15(t + IB * 8, f64x2.mul(a, a), f64x2.mul(b, b), f64x2.mul(c, c), f64x2.mul(d, d));
}

@inline function fill15(t: usize, a: v128, b: v128, c: v128, d: v128): void {
  const ab = f64x2.add(a, b);
  const ac = f64x2.add(a, c);
  const bc = f64x2.add(b, c);
  const abc = f64x2.add(ab, c);
  v128.store(t + 1 * ENTRY, a);
  v128.store(t + 2 * ENTRY, b);
  v128.store(t + 3 * ENTRY, ab);
  v128.store(t + 4 * ENTRY, c);
  v128.store(t + 5 * ENTRY, ac);
  v128.store(t + 6 * ENTRY, bc);
  v128.store(t + 7 * ENTRY, abc);
  v128.store(t + 8 * ENTRY, d);
  v128.store(t + 9 * ENTRY, f64x2.add(a, d));
  v128.store(t + 10 * ENTRY, f64x2.add(b, d));
  v128.store(t + 11 * ENTRY, f64x2.add(ab, d));
  v128.store(t + 12 * ENTRY, f64x2.add(c, d));
  v128.store(t + 13 * ENTRY, f64x2.add(ac, d));
  v128.store(t + 14 * ENTRY, f64x2.add(bc, d));
  v128.store(t + 15 * ENTRY, f64x2.add(abc, d));
}

/** buildTable's last group when it has fewer than GROUP rows (the block's last rows). */
function partialGroup(tile: usize, tr: i32, stride: usize, iOff: usize, nv: i32, q: i32): void {
  const table = TABLE + <usize>(q / GROUP) * SUBSETS * ENTRY;
  for (let top = 0; top < tr - q; top++) {
    const x = tile + <usize>(q + top) * stride + iOff;
    const high = 1 << top;
    for (let low = 0; low < high; low++) {
      const from = table + <usize>low * ENTRY;
      const to = table + <usize>(low | high) * ENTRY;
      for (let v = 0; v < nv; v++) {
        const o = <usize>v << 4;
        const xv = v128.load(x + o);
        v128.store(to + o, f64x2.add(v128.load(from + o), xv));
        v128.store(to + o + IB * 8, f64x2.add(v128.load(from + o + IB * 8), f64x2.mul(xv, xv)));
      }
    }
  }
}

/** buildTable for the one column left when d is odd. */
function buildTable1(tile: usize, tr: i32, stride: usize, iOff: usize): void {
  for (let q = 0; q < tr; q += GROUP) {
    const rowsHere = min(GROUP, tr - q);
    const table = TABLE + <usize>(q / GROUP) * SUBSETS * ENTRY;
    for (let top = 0; top < rowsHere; top++) {
      const xv = load<f64>(tile + <usize>(q + top) * stride + iOff);
      const high = 1 << top;
      for (let low = 0; low < high; low++) {
        const from = table + <usize>low * ENTRY;
        const to = table + <usize>(low | high) * ENTRY;
        store<f64>(to, load<f64>(from) + xv);
        store<f64>(to + IB * 8, load<f64>(from + IB * 8) + xv * xv);
      }
    }
  }
}

/** Transposed rows j of A1 and A2, columns i .. i + 7: one table entry per group, by j's bits. */
@inline function addTable8(bits: u64, groups: i32, a1: usize, a2: usize): void {
  addHalf8(bits, groups, a1, TABLE);
  addHalf8(bits, groups, a2, TABLE + IB * 8);
}

@inline function addHalf8(bits: u64, groups: i32, a: usize, table: usize): void {
  let p0 = v128.load(a), p1 = v128.load(a, 16), p2 = v128.load(a, 32), p3 = v128.load(a, 48);
  let w = bits;
  let t = table;
  for (let q = 0; q < groups; q++) {
    const e = t + ((<usize>w & (SUBSETS - 1)) * ENTRY);
    p0 = f64x2.add(p0, v128.load(e));
    p1 = f64x2.add(p1, v128.load(e, 16));
    p2 = f64x2.add(p2, v128.load(e, 32));
    p3 = f64x2.add(p3, v128.load(e, 48));
    w >>= GROUP;
    t += <usize>SUBSETS * ENTRY;
  }
  v128.store(a, p0); v128.store(a, p1, 16); v128.store(a, p2, 32); v128.store(a, p3, 48);
}

/** addTable8 for four columns. */
@inline function addTable4(bits: u64, groups: i32, a1: usize, a2: usize): void {
  let p0 = v128.load(a1), p1 = v128.load(a1, 16);
  let q0 = v128.load(a2), q1 = v128.load(a2, 16);
  let w = bits;
  let t = TABLE;
  for (let g = 0; g < groups; g++) {
    const e = t + ((<usize>w & (SUBSETS - 1)) * ENTRY);
    p0 = f64x2.add(p0, v128.load(e));
    q0 = f64x2.add(q0, v128.load(e, IB * 8));
    p1 = f64x2.add(p1, v128.load(e, 16));
    q1 = f64x2.add(q1, v128.load(e, IB * 8 + 16));
    w >>= GROUP;
    t += <usize>SUBSETS * ENTRY;
  }
  v128.store(a1, p0); v128.store(a1, p1, 16);
  v128.store(a2, q0); v128.store(a2, q1, 16);
}

/** addTable8 for two columns. */
@inline function addTable2(bits: u64, groups: i32, a1: usize, a2: usize): void {
  let p = v128.load(a1);
  let q = v128.load(a2);
  let w = bits;
  let table = TABLE;
  for (let g = 0; g < groups; g++) {
    const e = table + ((<usize>w & (SUBSETS - 1)) * ENTRY);
    w >>= GROUP;
    p = f64x2.add(p, v128.load(e));
    q = f64x2.add(q, v128.load(e, IB * 8));
    table += <usize>SUBSETS * ENTRY;
  }
  v128.store(a1, p);
  v128.store(a2, q);
}

/** addTable8 for one column. */
@inline function addTable1(bits: u64, groups: i32, a1: usize, a2: usize): void {
  let p = load<f64>(a1);
  let q = load<f64>(a2);
  let w = bits;
  let table = TABLE;
  for (let g = 0; g < groups; g++) {
    const e = table + ((<usize>w & (SUBSETS - 1)) * ENTRY);
    w >>= GROUP;
    p += load<f64>(e);
    q += load<f64>(e, IB * 8);
    table += <usize>SUBSETS * ENTRY;
  }
  store<f64>(a1, p);
  store<f64>(a2, q);
}

/** Transposed row j of G, columns i .. i + 7: x_i x_j over the rows whose bit is set. */
@inline function walkG8(tile: usize, bits: u64, stride: usize, jOff: usize, iOff: usize, g: usize): void {
  let g0 = v128.load(g), g1 = v128.load(g, 16), g2 = v128.load(g, 32), g3 = v128.load(g, 48);
  let w = bits;
  while (w != 0) {
    const row = tile + <usize>ctz<u64>(w) * stride;
    w &= w - 1;
    const xj = v128.load64_splat(row + jOff);
    const x = row + iOff;
    g0 = f64x2.add(g0, f64x2.mul(v128.load(x), xj));
    g1 = f64x2.add(g1, f64x2.mul(v128.load(x, 16), xj));
    g2 = f64x2.add(g2, f64x2.mul(v128.load(x, 32), xj));
    g3 = f64x2.add(g3, f64x2.mul(v128.load(x, 48), xj));
  }
  v128.store(g, g0); v128.store(g, g1, 16); v128.store(g, g2, 32); v128.store(g, g3, 48);
}

/** walkG8 for four columns. */
@inline function walkG4(tile: usize, bits: u64, stride: usize, jOff: usize, iOff: usize, g: usize): void {
  let g0 = v128.load(g), g1 = v128.load(g, 16);
  let w = bits;
  while (w != 0) {
    const row = tile + <usize>ctz<u64>(w) * stride;
    w &= w - 1;
    const xj = v128.load64_splat(row + jOff);
    g0 = f64x2.add(g0, f64x2.mul(v128.load(row + iOff), xj));
    g1 = f64x2.add(g1, f64x2.mul(v128.load(row + iOff, 16), xj));
  }
  v128.store(g, g0); v128.store(g, g1, 16);
}

/** walkG8 for two columns. */
@inline function walkG2(tile: usize, bits: u64, stride: usize, jOff: usize, iOff: usize, g: usize): void {
  let h = v128.load(g);
  let w = bits;
  while (w != 0) {
    const row = tile + <usize>ctz<u64>(w) * stride;
    w &= w - 1;
    h = f64x2.add(h, f64x2.mul(v128.load(row + iOff), v128.load64_splat(row + jOff)));
  }
  v128.store(g, h);
}

/** walkG8 for one column. */
@inline function walkG1(tile: usize, bits: u64, stride: usize, jOff: usize, iOff: usize, g: usize): void {
  let h = load<f64>(g);
  let w = bits;
  while (w != 0) {
    const row = tile + <usize>ctz<u64>(w) * stride;
    w &= w - 1;
    h += load<f64>(row + iOff) * load<f64>(row + jOff);
  }
  store<f64>(g, h);
}

/** Square d x d matrix at m, transposed in place. */
function transpose(m: usize, d: i32): void {
  for (let i = 0; i < d; i++) {
    for (let j = i + 1; j < d; j++) {
      const a = m + ((<usize>i * <usize>d + <usize>j) << 3);
      const b = m + ((<usize>j * <usize>d + <usize>i) << 3);
      const t = load<f64>(a);
      store<f64>(a, load<f64>(b));
      store<f64>(b, t);
    }
  }
}

/**
 * Saves into keep (restore = false) or puts back (true) the entries [j][i] of the
 * transposed G with j < i < (end of the column block holding j): the ones the G loops
 * write although they lie below G's diagonal. keep holds d x IB doubles.
 */
function belowDiagonal(g: usize, d: i32, keep: usize, restore: bool): void {
  for (let j = 0; j < d; j++) {
    const end = blockEnd(j, d);
    for (let i = j + 1; i < end; i++) {
      const p = g + ((<usize>j * <usize>d + <usize>i) << 3);
      const k = keep + ((<usize>j * IB + <usize>(i - j)) << 3);
      if (restore) store<f64>(p, load<f64>(k));
      else store<f64>(k, load<f64>(p));
    }
  }
}

/** One past the last column of the block holding column j: blocks of IB, then at most one each of 4, 2, 1. */
function blockEnd(j: i32, d: i32): i32 {
  let start = d - d % IB;
  if (j < start) return j - j % IB + IB;
  for (let width = 4; width >= 1; width >>= 1) {
    if (start + width <= d) {
      if (j < start + width) return start + width;
      start += width;
    }
  }
  return d;
}
