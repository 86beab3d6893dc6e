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
// Summation order (the TypeScript twin, src/backend/js/moments.ts, follows it, so the bits
// agree): A1 and A2 add, per group of 4 rows from the block's first row and in group order,
// the group's own sum of the selected rows (added in ascending order, from 0); G adds its
// rows one by one in ascending order (a row with x_i = 0 adds +0 to a sum of x >= 0, so it
// may be skipped). Each entry is a chain of additions of its own: any loop order that keeps
// every chain's sequence gives the same bits, and calls on consecutive pieces of a block,
// each a multiple of MOMENT_TILE_ROWS rows but the last, add what one call on the block adds.
//
// Blocking. The output, 4 d x d doubles (32 MiB at d = 1024), is far larger than the caches:
// A1 and A2 are read and written once a call, G once per G_ROWS rows, never once per tile;
// the inner loops keep their accumulators in registers over many rows and read data packed
// to stay in L1 (the packing and register blocking of Goto & van de Geijn 2008, "Anatomy of
// high-performance matrix multiplication", ACM TOMS 34(3)). The sizes are set by the engine:
// V8 on x64 gives Wasm 15 xmm registers and (as the code it generates shows) schedules a basic
// block's loads before its arithmetic, so a block's loaded values and accumulators must fit
// in them together; an f64x2 add has a 3-cycle latency, so with every chain's order fixed it
// takes 6 to 8 independent accumulators to keep both adders busy.
// - Indicators: bit r of word w of column j is (x_j > 0 in row 64 w + r), ceil(rows / 64)
//   words a column in bitsPtr; N11 is AND + popcount over pairs of columns (counts.ts).
// - A1, A2 by the "method of four Russians" (Arlazarov, Dinic, Kronrod & Faradzev 1970) on the
//   0/1 matrix 1[x > 0]: columns i go in blocks of IB = 4. Per tile and block, the sums of x_i
//   and of x_i^2 over each of the 16 subsets of each group of 4 rows are tabulated (16 KiB,
//   in L1; each subset's sum is the sum without its last row plus that row); column j then
//   adds one entry per group, picked by 4 bits of its word: one add per group of 4 rows, not
//   one per positive row. The block's accumulators for every j lie in a contiguous panel
//   (A1[i..i+4)[j] then A2[i..i+4)[j] for each j), read from out once a call and written back
//   once; the entries' offsets in the tables are worked out once per tile and column j for
//   all blocks. Two columns j go together (8 accumulators); each group's adds sit behind a
//   test that skips empty groups (entry 0, all zeros) and also keeps V8 from loading two
//   groups' entries before adding either.
// - G, per chunk of G_ROWS rows: the columns are packed into panels of PANEL = 12 (rows of 12
//   contiguous doubles, zero-padded past d); for each column i of a panel, the list of the
//   chunk's rows with x_i > 0 (x_i and the row's offset in a panel), ascending. Each run
//   G[i][j .. j + 12) of a panel j (fewer columns on the diagonal and at d) then walks that
//   list, 6 f64x2 accumulators in registers and the panel in L1: the zeros of x (38% in the
//   package's random models) cost nothing.
// Measured (AMD EPYC, Node 20, CPU time of the calls; rowsPerBlock(d)-row blocks): d = 1024,
// n = 2e4: 2.0 s, where the tile-at-a-time kernel this replaces took 17.3 s (in the 64-row
// pieces it was given) and a packed, 4 x 4 register-tiled f64x2 X^T X of the upper triangle
// takes 1.1 s; d = 256, n = 5e4: 0.35 s (0.71 s; 0.18 s).
//
// Adds into out = N11|A1|A2|G, rows lo .. hi - 1 (a band) of MOMENT_MATRICES d x d row-major
// matrices: each (hi - lo) x d, row i at row i - lo; below the diagonals of N11 and G nothing
// is read or written. A band restricts the columns i of A1 and A2, the rows i of G (the lists
// of its panels' columns i) and those of N11 to [lo, hi); every entry keeps its chain of
// additions, so it has the bits of the whole (lo = 0, hi = d) call. The indicators and the
// A tables' entry offsets are still made for all d columns (O(rows d) a call, against the
// band's O(rows d (hi - lo)) sums): d = 4096, 2048 rows, the 8 bands of 512 rows take 3.95 s
// against 3.74 s for one whole call. Scratch: bitsPtr holds d x ceil(rows / BITSET_ROWS)
// words; keepPtr holds MOMENT_KEEP_PER_D x d + MOMENT_KEEP_FIXED doubles: 1 KiB a column (the
// A panel and the offsets, then G's packed panels) and 53 KiB besides (a table, the lists, a
// panel's worth of padding).

import { popcountPairs } from "./counts";

const TILE = 64;
const GROUP = 4;
const SUBSETS = 1 << GROUP;
const GROUPS = TILE / GROUP;
/** Columns i per four-Russians block. */
const IB = 4;
/** A table entry: the sums of x_i (IB doubles) then of x_i^2 (IB doubles) over a subset. */
const ENTRY: usize = IB * 2 * 8;
const GROUP_BYTES: usize = <usize>SUBSETS * ENTRY;
/** A tile's tables: GROUPS groups of SUBSETS entries (entry 0, the empty subset, is never read). */
const TILE_BYTES: usize = <usize>GROUPS * GROUP_BYTES;
/** Tiles whose entry offsets are worked out at once (SEGMENT_TILES x 32 bytes a column). */
const SEGMENT_TILES = 16;
/** The offsets slot of an empty group: nothing to add. */
const EMPTY: u16 = 0xffff;
/** Columns j per pass when the A panel is filled from out or written back (rows read in runs). */
const RUN = 64;
/** Rows per G chunk, a multiple of TILE. */
const G_ROWS = 128;
/** Columns per packed panel of G; the register tile is 1 row i x PANEL columns j. */
const PANEL = 12;
const PANEL_BYTES: usize = <usize>G_ROWS * PANEL * 8;
/** Per column of a panel, per row of the chunk, a record (x_i, the row's offset in a panel). */
const LISTS_BYTES: usize = <usize>PANEL * G_ROWS * 16;
/** Values staged at the edges: 4 rows of a group (IB lanes), or one run of G. */
const STAGE: usize = memory.data(128, 16);
/** The lengths of the lists of a panel's columns. */
const COUNTS: usize = memory.data(PANEL * 4, 16);

/** The ABI (src/backend/wasm/abi.ts): out's matrices, keepPtr's doubles per column and besides, the piece unit. */
export const MOMENT_MATRICES: i32 = 4;
export const MOMENT_KEEP_PER_D: i32 = G_ROWS;
export const MOMENT_KEEP_FIXED: i32 = 8 + <i32>((TILE_BYTES + LISTS_BYTES + PANEL_BYTES) >> 3);
export const MOMENT_TILE_ROWS: i32 = TILE;
/** Rows per group of the summation order; the TypeScript twin's must be the same (a test checks). */
export const MOMENT_GROUP_ROWS: i32 = GROUP;

export function momentStats(xPtr: usize, rows: i32, d: i32, outPtr: usize, bitsPtr: usize, keepPtr: usize, lo: i32, hi: i32): void {
  const dd = (<usize>(hi - lo) * <usize>d) << 3;
  const a1P = outPtr + dd;
  const a2P = a1P + dd;
  const gP = a2P + dd;
  const stride = <usize>d << 3;
  const words = (rows + 63) >> 6;
  const wStride = <usize>words << 3;
  // keepPtr: a cache line of slack, then the tables, the lists, and the part that grows with d
  const tables = (keepPtr + 63) & ~(<usize>63);
  const lists = tables + TILE_BYTES;
  const perColumn = lists + LISTS_BYTES;
  for (let w = 0; w < words; w++) {
    const r0 = w << 6;
    packTile(xPtr + <usize>r0 * stride, min(TILE, rows - r0), d, bitsPtr + (<usize>w << 3), wStride);
  }
  sumA(xPtr, rows, d, lo, hi, words, a1P, a2P, bitsPtr, wStride, tables, perColumn);
  for (let r0 = 0; r0 < rows; r0 += G_ROWS) {
    sumG(xPtr + <usize>r0 * stride, min(G_ROWS, rows - r0), d, lo, hi, gP, perColumn, bitsPtr + (<usize>(r0 >> 6) << 3), wStride, lists);
  }
  popcountPairs(bitsPtr, words, d, outPtr, lo, hi);
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
    store<u64>(word + <usize>j * wStride, i64x2.extract_lane(b, 0));
    store<u64>(word + <usize>(j + 1) * wStride, i64x2.extract_lane(b, 1));
  }
  if (j < d) {
    let b: u64 = 0;
    let p = tile + (<usize>j << 3);
    for (let r = 0; r < tr; r++) {
      b |= (<u64>(load<f64>(p) > 0.0)) << (<u64>r);
      p += stride;
    }
    store<u64>(word + <usize>j * wStride, b);
  }
}

// ---- A1, A2 ---------------------------------------------------------------------------------

/**
 * A1 and A2 (columns i in [lo, hi)) over all rows, segment by segment of SEGMENT_TILES tiles:
 * the entry offsets of the segment, then per block of IB columns i its panel, and per tile
 * its tables and one sweep over every column j.
 */
function sumA(x: usize, rows: i32, d: i32, lo: i32, hi: i32, words: i32, a1P: usize, a2P: usize, bitsPtr: usize, wStride: usize, tables: usize, acc: usize): void {
  const stride = <usize>d << 3;
  const offsets = acc + <usize>d * ENTRY;
  const tileOffsets = <usize>d << 5;
  for (let s0 = 0; s0 < words; s0 += SEGMENT_TILES) {
    const seg = min(SEGMENT_TILES, words - s0);
    // per tile and column j, 16 u16: the byte offset in the tile's tables of each group's entry
    for (let j = 0; j < d; j++) {
      const src = bitsPtr + <usize>j * wStride + (<usize>s0 << 3);
      for (let t = 0; t < seg; t++) {
        let w = load<u64>(src + (<usize>t << 3));
        const o = offsets + <usize>t * tileOffsets + (<usize>j << 5);
        for (let q = 0; q < GROUPS; q++) {
          const s = <u32>w & (SUBSETS - 1);
          store<u16>(o + (<usize>q << 1), s == 0 ? EMPTY : <u16>(<u32>q * <u32>GROUP_BYTES + s * <u32>ENTRY));
          w >>= GROUP;
        }
      }
    }
    for (let ib = lo; ib < hi; ib += IB) {
      const width = min(IB, hi - ib);
      const col = <usize>(ib - lo) * stride;
      columnsIn(a1P + col, a2P + col, stride, d, width, acc);
      for (let t = 0; t < seg; t++) {
        const r0 = (s0 + t) << 6;
        buildTable(x + <usize>r0 * stride + (<usize>ib << 3), min(TILE, rows - r0), stride, width, tables);
        sweep(acc, d, offsets + <usize>t * tileOffsets, tables);
      }
      columnsOut(a1P + col, a2P + col, stride, d, width, acc);
    }
  }
}

/** The panel: acc[j] = A1[i][j] for the block's columns i, then A2[i][j]; lanes past width 0. */
function columnsIn(a1: usize, a2: usize, stride: usize, d: i32, width: i32, acc: usize): void {
  for (let j0 = 0; j0 < d; j0 += RUN) {
    const j1 = min(d, j0 + RUN);
    for (let t = 0; t < IB; t++) {
      const e = acc + (<usize>t << 3);
      if (t < width) {
        const r1 = a1 + <usize>t * stride;
        const r2 = a2 + <usize>t * stride;
        for (let j = j0; j < j1; j++) {
          store<f64>(e + <usize>j * ENTRY, load<f64>(r1 + (<usize>j << 3)));
          store<f64>(e + <usize>j * ENTRY, load<f64>(r2 + (<usize>j << 3)), IB * 8);
        }
      } else {
        for (let j = j0; j < j1; j++) {
          store<f64>(e + <usize>j * ENTRY, 0.0);
          store<f64>(e + <usize>j * ENTRY, 0.0, IB * 8);
        }
      }
    }
  }
}

/** columnsIn backwards: the panel's width lanes into A1 and A2. */
function columnsOut(a1: usize, a2: usize, stride: usize, d: i32, width: i32, acc: usize): void {
  for (let j0 = 0; j0 < d; j0 += RUN) {
    const j1 = min(d, j0 + RUN);
    for (let t = 0; t < width; t++) {
      const e = acc + (<usize>t << 3);
      const r1 = a1 + <usize>t * stride;
      const r2 = a2 + <usize>t * stride;
      for (let j = j0; j < j1; j++) {
        store<f64>(r1 + (<usize>j << 3), load<f64>(e + <usize>j * ENTRY));
        store<f64>(r2 + (<usize>j << 3), load<f64>(e + <usize>j * ENTRY, IB * 8));
      }
    }
  }
}

/**
 * For each group of GROUP rows of the tile and each non-empty subset s of it, entry s of the
 * group's table = entry (s without its highest row) + that row's x_i (and x_i^2), for the
 * block's columns i (width of them; the lanes past width 0). Rows past tr count as zero rows:
 * their subsets are never looked up (their bits are 0).
 */
function buildTable(tile: usize, tr: i32, stride: usize, width: i32, table: usize): void {
  for (let q = 0; q < tr; q += GROUP) {
    let src = tile + <usize>q * stride;
    let rs = stride;
    if (width < IB || q + GROUP > tr) {
      for (let r = 0; r < GROUP; r++) {
        for (let l = 0; l < IB; l++) {
          const v = q + r < tr && l < width ? load<f64>(src + <usize>r * stride + (<usize>l << 3)) : 0.0;
          store<f64>(STAGE + (<usize>(r * IB + l) << 3), v);
        }
      }
      src = STAGE;
      rs = IB * 8;
    }
    const g = table + <usize>(q / GROUP) * GROUP_BYTES;
    for (let v: usize = 0; v < <usize>IB * 8; v += 16) {
      fillGroup(g + v, v128.load(src + v), v128.load(src + rs + v), v128.load(src + 2 * rs + v), v128.load(src + 3 * rs + v));
    }
  }
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

/**
 * One tile into the panel: for each column j, its accumulators (A1 and A2 for the block's
 * columns i) plus the entry of each non-empty group, in group order. Columns go in pairs,
 * eight accumulators in flight (column j + 1's offsets are 32 bytes on); the test before each
 * group's adds keeps V8 from loading the next group's entry (four more registers) before
 * these adds. Four groups a pass: the loop's test and V8's stack check once per four.
 */
function sweep(acc: usize, d: i32, offsets: usize, tables: usize): void {
  let j = 0;
  for (; j + 1 < d; j += 2) {
    const a = acc + <usize>j * ENTRY;
    let p0 = v128.load(a);
    let p1 = v128.load(a, 16);
    let q0 = v128.load(a, 32);
    let q1 = v128.load(a, 48);
    let r0 = v128.load(a, 64);
    let r1 = v128.load(a, 80);
    let s0 = v128.load(a, 96);
    let s1 = v128.load(a, 112);
    let op = offsets + (<usize>j << 5);
    const end = op + 32;
    for (; op < end; op += 8) {
      {
        const o = load<u16>(op, 0);
        if (o != EMPTY) {
          const e = tables + <usize>o;
          p0 = f64x2.add(p0, v128.load(e));
          p1 = f64x2.add(p1, v128.load(e, 16));
          q0 = f64x2.add(q0, v128.load(e, 32));
          q1 = f64x2.add(q1, v128.load(e, 48));
        }
      }
      {
        const o = load<u16>(op, 32);
        if (o != EMPTY) {
          const e = tables + <usize>o;
          r0 = f64x2.add(r0, v128.load(e));
          r1 = f64x2.add(r1, v128.load(e, 16));
          s0 = f64x2.add(s0, v128.load(e, 32));
          s1 = f64x2.add(s1, v128.load(e, 48));
        }
      }
      {
        const o = load<u16>(op, 2);
        if (o != EMPTY) {
          const e = tables + <usize>o;
          p0 = f64x2.add(p0, v128.load(e));
          p1 = f64x2.add(p1, v128.load(e, 16));
          q0 = f64x2.add(q0, v128.load(e, 32));
          q1 = f64x2.add(q1, v128.load(e, 48));
        }
      }
      {
        const o = load<u16>(op, 34);
        if (o != EMPTY) {
          const e = tables + <usize>o;
          r0 = f64x2.add(r0, v128.load(e));
          r1 = f64x2.add(r1, v128.load(e, 16));
          s0 = f64x2.add(s0, v128.load(e, 32));
          s1 = f64x2.add(s1, v128.load(e, 48));
        }
      }
      {
        const o = load<u16>(op, 4);
        if (o != EMPTY) {
          const e = tables + <usize>o;
          p0 = f64x2.add(p0, v128.load(e));
          p1 = f64x2.add(p1, v128.load(e, 16));
          q0 = f64x2.add(q0, v128.load(e, 32));
          q1 = f64x2.add(q1, v128.load(e, 48));
        }
      }
      {
        const o = load<u16>(op, 36);
        if (o != EMPTY) {
          const e = tables + <usize>o;
          r0 = f64x2.add(r0, v128.load(e));
          r1 = f64x2.add(r1, v128.load(e, 16));
          s0 = f64x2.add(s0, v128.load(e, 32));
          s1 = f64x2.add(s1, v128.load(e, 48));
        }
      }
      {
        const o = load<u16>(op, 6);
        if (o != EMPTY) {
          const e = tables + <usize>o;
          p0 = f64x2.add(p0, v128.load(e));
          p1 = f64x2.add(p1, v128.load(e, 16));
          q0 = f64x2.add(q0, v128.load(e, 32));
          q1 = f64x2.add(q1, v128.load(e, 48));
        }
      }
      {
        const o = load<u16>(op, 38);
        if (o != EMPTY) {
          const e = tables + <usize>o;
          r0 = f64x2.add(r0, v128.load(e));
          r1 = f64x2.add(r1, v128.load(e, 16));
          s0 = f64x2.add(s0, v128.load(e, 32));
          s1 = f64x2.add(s1, v128.load(e, 48));
        }
      }
    }
    v128.store(a, p0);
    v128.store(a, p1, 16);
    v128.store(a, q0, 32);
    v128.store(a, q1, 48);
    v128.store(a, r0, 64);
    v128.store(a, r1, 80);
    v128.store(a, s0, 96);
    v128.store(a, s1, 112);
  }
  if (j < d) {
    const a = acc + <usize>j * ENTRY;
    let p0 = v128.load(a);
    let p1 = v128.load(a, 16);
    let q0 = v128.load(a, 32);
    let q1 = v128.load(a, 48);
    let op = offsets + (<usize>j << 5);
    const end = op + 32;
    for (; op < end; op += 8) {
      {
        const o = load<u16>(op, 0);
        if (o != EMPTY) {
          const e = tables + <usize>o;
          p0 = f64x2.add(p0, v128.load(e));
          p1 = f64x2.add(p1, v128.load(e, 16));
          q0 = f64x2.add(q0, v128.load(e, 32));
          q1 = f64x2.add(q1, v128.load(e, 48));
        }
      }
      {
        const o = load<u16>(op, 2);
        if (o != EMPTY) {
          const e = tables + <usize>o;
          p0 = f64x2.add(p0, v128.load(e));
          p1 = f64x2.add(p1, v128.load(e, 16));
          q0 = f64x2.add(q0, v128.load(e, 32));
          q1 = f64x2.add(q1, v128.load(e, 48));
        }
      }
      {
        const o = load<u16>(op, 4);
        if (o != EMPTY) {
          const e = tables + <usize>o;
          p0 = f64x2.add(p0, v128.load(e));
          p1 = f64x2.add(p1, v128.load(e, 16));
          q0 = f64x2.add(q0, v128.load(e, 32));
          q1 = f64x2.add(q1, v128.load(e, 48));
        }
      }
      {
        const o = load<u16>(op, 6);
        if (o != EMPTY) {
          const e = tables + <usize>o;
          p0 = f64x2.add(p0, v128.load(e));
          p1 = f64x2.add(p1, v128.load(e, 16));
          q0 = f64x2.add(q0, v128.load(e, 32));
          q1 = f64x2.add(q1, v128.load(e, 48));
        }
      }
    }
    v128.store(a, p0);
    v128.store(a, p1, 16);
    v128.store(a, q0, 32);
    v128.store(a, q1, 48);
  }
}

// ---- G ----------------------------------------------------------------------------------------

/** G's rows [lo, hi) over rc <= G_ROWS rows from x (bits: their first word of column 0; lists: LISTS_BYTES). */
function sumG(x: usize, rc: i32, d: i32, lo: i32, hi: i32, gP: usize, panels: usize, bits: usize, wStride: usize, lists: usize): void {
  const stride = <usize>d << 3;
  const np = (d + PANEL - 1) / PANEL;
  const words = (rc + 63) >> 6;
  // the panels holding some i in [lo, hi), and from the first of them on those of j >= i
  const p0 = lo / PANEL;
  const p1 = (hi + PANEL - 1) / PANEL;
  for (let p = p0; p < np; p++) {
    const dst = panels + <usize>p * PANEL_BYTES;
    const c0 = p * PANEL;
    if (c0 + PANEL <= d) {
      let src = x + (<usize>c0 << 3);
      for (let k = 0; k < rc; k++) {
        const o = <usize>k * PANEL * 8;
        v128.store(dst + o, v128.load(src));
        v128.store(dst + o, v128.load(src, 16), 16);
        v128.store(dst + o, v128.load(src, 32), 32);
        v128.store(dst + o, v128.load(src, 48), 48);
        v128.store(dst + o, v128.load(src, 64), 64);
        v128.store(dst + o, v128.load(src, 80), 80);
        src += stride;
      }
    } else {
      for (let k = 0; k < rc; k++) {
        for (let l = 0; l < PANEL; l++) {
          const v = c0 + l < d ? load<f64>(x + <usize>k * stride + (<usize>(c0 + l) << 3)) : 0.0;
          store<f64>(dst + (<usize>(k * PANEL + l) << 3), v);
        }
      }
    }
  }
  for (let ib = p0; ib < p1; ib++) {
    const pa = panels + <usize>ib * PANEL_BYTES;
    const t0 = max(0, lo - ib * PANEL);
    const t1 = min(PANEL, hi - ib * PANEL);
    for (let t = t0; t < t1; t++) {
      const list = lists + <usize>t * G_ROWS * 16;
      let n = 0;
      const ob = bits + <usize>(ib * PANEL + t) * wStride;
      for (let w = 0; w < words; w++) {
        let m = load<u64>(ob + (<usize>w << 3));
        while (m != 0) {
          const o = <usize>((w << 6) + <i32>ctz<u64>(m)) * (PANEL * 8);
          m &= m - 1;
          const rec = list + (<usize>n << 4);
          store<f64>(rec, load<f64>(pa + o + (<usize>t << 3)));
          store<u64>(rec, <u64>o, 8);
          n++;
        }
      }
      store<i32>(COUNTS + (<usize>t << 2), n);
    }
    for (let jb = ib; jb < np; jb++) {
      const pb = panels + <usize>jb * PANEL_BYTES;
      const j0 = jb * PANEL;
      // the last panel: only its groups of 4 columns that hold some j < d
      const cols = min(PANEL, (d - j0 + 3) & ~3);
      for (let t = t0; t < t1; t++) {
        const i = ib * PANEL + t;
        const list = lists + <usize>t * G_ROWS * 16;
        const n = load<i32>(COUNTS + (<usize>t << 2));
        // on the diagonal, from the group of 4 columns holding i (those before it lie below)
        const c0 = jb == ib ? t & ~3 : 0;
        const width = cols - c0;
        const g = gP + ((<usize>(i - lo) * <usize>d + <usize>(j0 + c0)) << 3);
        const b = pb + (<usize>c0 << 3);
        if (jb > ib && j0 + cols <= d) {
          walk(g, list, n, b, width);
        } else {
          // a run that crosses the diagonal or d: its entries i <= j < d staged, the rest 0
          for (let l = 0; l < width; l++) {
            const j = j0 + c0 + l;
            store<f64>(STAGE + (<usize>l << 3), i <= j && j < d ? load<f64>(g + (<usize>l << 3)) : 0.0);
          }
          walk(STAGE, list, n, b, width);
          for (let l = 0; l < width; l++) {
            const j = j0 + c0 + l;
            if (i <= j && j < d) store<f64>(g + (<usize>l << 3), load<f64>(STAGE + (<usize>l << 3)));
          }
        }
      }
    }
  }
}

/** g[0 .. width) += x_i x_j over the n records (x_i, row offset) of list, in order; b: the panel's column j = 0. */
function walk(g: usize, list: usize, n: i32, b: usize, width: i32): void {
  if (width == 12) walk12(g, list, n, b);
  else if (width == 8) walk8(g, list, n, b);
  else walk4(g, list, n, b);
}

function walk12(g: usize, list: usize, n: i32, b: usize): void {
  let c0 = v128.load(g);
  let c1 = v128.load(g, 16);
  let c2 = v128.load(g, 32);
  let c3 = v128.load(g, 48);
  let c4 = v128.load(g, 64);
  let c5 = v128.load(g, 80);
  const end = list + (<usize>n << 4);
  for (let rec = list; rec < end; rec += 16) {
    const s = v128.load64_splat(rec);
    const r = b + <usize>load<u32>(rec, 8);
    c0 = f64x2.add(c0, f64x2.mul(s, v128.load(r)));
    c1 = f64x2.add(c1, f64x2.mul(s, v128.load(r, 16)));
    c2 = f64x2.add(c2, f64x2.mul(s, v128.load(r, 32)));
    c3 = f64x2.add(c3, f64x2.mul(s, v128.load(r, 48)));
    c4 = f64x2.add(c4, f64x2.mul(s, v128.load(r, 64)));
    c5 = f64x2.add(c5, f64x2.mul(s, v128.load(r, 80)));
  }
  v128.store(g, c0);
  v128.store(g, c1, 16);
  v128.store(g, c2, 32);
  v128.store(g, c3, 48);
  v128.store(g, c4, 64);
  v128.store(g, c5, 80);
}

function walk8(g: usize, list: usize, n: i32, b: usize): void {
  let c0 = v128.load(g);
  let c1 = v128.load(g, 16);
  let c2 = v128.load(g, 32);
  let c3 = v128.load(g, 48);
  const end = list + (<usize>n << 4);
  for (let rec = list; rec < end; rec += 16) {
    const s = v128.load64_splat(rec);
    const r = b + <usize>load<u32>(rec, 8);
    c0 = f64x2.add(c0, f64x2.mul(s, v128.load(r)));
    c1 = f64x2.add(c1, f64x2.mul(s, v128.load(r, 16)));
    c2 = f64x2.add(c2, f64x2.mul(s, v128.load(r, 32)));
    c3 = f64x2.add(c3, f64x2.mul(s, v128.load(r, 48)));
  }
  v128.store(g, c0);
  v128.store(g, c1, 16);
  v128.store(g, c2, 32);
  v128.store(g, c3, 48);
}

function walk4(g: usize, list: usize, n: i32, b: usize): void {
  let c0 = v128.load(g);
  let c1 = v128.load(g, 16);
  const end = list + (<usize>n << 4);
  for (let rec = list; rec < end; rec += 16) {
    const s = v128.load64_splat(rec);
    const r = b + <usize>load<u32>(rec, 8);
    c0 = f64x2.add(c0, f64x2.mul(s, v128.load(r)));
    c1 = f64x2.add(c1, f64x2.mul(s, v128.load(r, 16)));
  }
  v128.store(g, c0);
  v128.store(g, c1, 16);
}
