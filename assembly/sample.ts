// Generation of x = ReLU(W z + b), z ~ N(0, I_k) (the model of Wu, Dimakis & Sanghavi 2019,
// Eq. (1)), for `rows` rows from the stream at statePtr. z is drawn row by row (k normals a
// row, ziggurat), so the output depends only on the stream, never on how the caller splits
// rows into calls.
//
// The product is blocked as in Goto & van de Geijn, "Anatomy of high-performance matrix
// multiplication", ACM TOMS 34(3), 2008 (Sec. 4-6, with the roles A = the block's z, B = W^T):
// the z of a block of rows (up to SAMPLE_BLOCK_ROWS) are drawn into scratch, packed by 4-row
// tiles with the tile's four values of each l adjacent (Goto's packed A); W^T comes packed by
// the host in panels of SAMPLE_PANEL_COLS = 4 columns, k x 4 contiguous each (packed B). Each
// panel is then read by every tile of the block while it is in cache, so W^T is streamed from
// memory once per block rather than once per pair of rows, and the micro-kernel holds a 4 x 4
// block of sums in eight f64x2 registers (Goto's mr x nr register block), reading both
// operands sequentially. Measured (d = k = 1024): 1.1x the time of a plain register-tiled
// f64x2 product of the same shape, against 1.7x for the two-row kernel it replaced.
//
// The sums keep their order: every output is b_j + z_0 W_j0 + z_1 W_j1 + ... added in l order,
// a product then a sum (no fused multiply-add), as the TypeScript twin adds them. Terms outside
// the panel's support are skipped: support holds, per column j of W^T, [first l with
// W_jl != 0, last one + 1) (k, 0 for a zero column), and a panel runs over the union of its
// columns'. A skipped term is z_l * 0 = +-0 (z is finite), and s + (+-0) is s unless s is a
// zero, when it is a zero of either sign; so the skipped sum is the full one but for the sign
// of a zero, which the ReLU, pmax(+0, v) = (+0 < v ? v : +0), maps to +0 either way. A
// lower-triangular W (a Cholesky factor) thus costs half the multiply-adds, with the same bits.
//
// zPtr is scratch for (blockRows + SAMPLE_Z_SPARE_ROWS) x k doubles: the block's packed z, then
// one row's draws. blockRows (a multiple of SAMPLE_TILE_ROWS) changes the speed, never the bits.

import { loadState, storeState } from "./rng";
import { normals } from "./normal";

// The layout (the ABI: src/backend/wasm/abi.ts). The micro-kernel's 4 x 4 register block fixes
// the panel width and the tile height.
/** Columns of W^T per packed panel. */
export const SAMPLE_PANEL_COLS: i32 = 4;
/** Rows per tile of packed z: a block's rows are a multiple of them. */
export const SAMPLE_TILE_ROWS: i32 = 4;
/**
 * The most rows a block should have: their z are drawn before the product, and the panels are
 * read once for all of them (a host passes fewer when k is so large that the z would not fit
 * in cache anyway, to bound the scratch).
 */
export const SAMPLE_BLOCK_ROWS: i32 = 32;
/** zPtr's scratch holds (blockRows + SAMPLE_Z_SPARE_ROWS) x k doubles: the block's z, then one row's. */
export const SAMPLE_Z_SPARE_ROWS: i32 = 1;

// One 4 x 4 tile of outputs that does not fit the output (the last rows or columns), and the
// b of a last panel narrower than 4 columns: static data below heapBase, not heap objects.
const EDGE: usize = memory.data(16 << 3, 16);
const EDGE_B: usize = memory.data(4 << 3, 16);

/**
 * `rows` rows of ReLU(W z + b) into out (rows x d, row-major) from the stream at statePtr.
 * panels: W^T packed by SAMPLE_PANEL_COLS columns, panel p = column 4p + c at (p k + l) 4 + c,
 * columns from d on zero; support: 2 i32 a column (see the header); b: d doubles.
 */
export function sampleRows(
  statePtr: usize, panelsPtr: usize, supportPtr: usize, bPtr: usize, outPtr: usize,
  rows: i32, d: i32, k: i32, zPtr: usize, blockRows: i32,
): void {
  assert(blockRows > 0 && blockRows % SAMPLE_TILE_ROWS == 0);
  loadState(statePtr);
  const ds = <usize>d << 3;
  const tileBytes = <usize>k << 5; // 4 rows' z, and equally one panel of W^T
  const rowPtr = zPtr + <usize>blockRows * (<usize>k << 3);
  const panels = (d + 3) >> 2;
  for (let r0 = 0; r0 < rows; r0 += blockRows) {
    const m = min(blockRows, rows - r0);
    const tiles = (m + 3) >> 2;
    for (let r = 0; r < m; r++) {
      normals(rowPtr, k);
      interleave(rowPtr, zPtr + <usize>(r >> 2) * tileBytes + (<usize>(r & 3) << 3), k);
    }
    for (let r = m; r < tiles << 2; r++) zeroRow(zPtr + <usize>(r >> 2) * tileBytes + (<usize>(r & 3) << 3), k);
    const outBlock = outPtr + <usize>r0 * ds;
    for (let p = 0; p < panels; p++) {
      const j = p << 2;
      const cols = min(4, d - j);
      let lo = k;
      let hi = 0;
      for (let c = 0; c < cols; c++) {
        const s = supportPtr + (<usize>(j + c) << 3);
        lo = min(lo, load<i32>(s));
        hi = max(hi, load<i32>(s, 4));
      }
      let bp = bPtr + (<usize>j << 3);
      if (cols < 4) {
        for (let c = 0; c < 4; c++) store<f64>(EDGE_B + (<usize>c << 3), c < cols ? load<f64>(bp + (<usize>c << 3)) : 0.0);
        bp = EDGE_B;
      }
      const b0 = v128.load(bp);
      const b1 = v128.load(bp, 16);
      const panel = panelsPtr + <usize>p * tileBytes;
      for (let t = 0; t < tiles; t++) {
        const tileRows = min(4, m - (t << 2));
        const out = outBlock + <usize>(t << 2) * ds + (<usize>j << 3);
        if (tileRows == 4 && cols == 4) {
          tile(zPtr + <usize>t * tileBytes, panel, lo, hi, b0, b1, out, ds);
        } else {
          tile(zPtr + <usize>t * tileBytes, panel, lo, hi, b0, b1, EDGE, 32);
          for (let r = 0; r < tileRows; r++) {
            for (let c = 0; c < cols; c++) store<f64>(out + <usize>r * ds + (<usize>c << 3), load<f64>(EDGE + (<usize>(r * 4 + c) << 3)));
          }
        }
      }
    }
  }
  storeState(statePtr);
}

/** One row's k draws into its lane of a packed tile (stride 4 doubles). */
function interleave(src: usize, dst: usize, k: i32): void {
  for (let l = 0; l < k; l++) store<f64>(dst + (<usize>l << 5), load<f64>(src + (<usize>l << 3)));
}

/** A padding lane of the last tile: zeros, whose outputs are computed and dropped. */
function zeroRow(dst: usize, k: i32): void {
  for (let l = 0; l < k; l++) store<f64>(dst + (<usize>l << 5), 0.0);
}

@inline function relu(v: v128): v128 {
  return f64x2.pmax(f64x2.splat(0.0), v);
}

/**
 * ReLU(b + sum over l in [lo, hi) of z_l W^T_l) for a 4-row tile of packed z and a 4-column
 * panel, into 4 rows of 4 doubles at out (rows `stride` bytes apart).
 */
// @inline: the tile's loop runs inside the panel loop, without a call per tile.
@inline function tile(zt: usize, panel: usize, lo: i32, hi: i32, b0: v128, b1: v128, out: usize, stride: usize): void {
  let c00 = b0, c01 = b1, c10 = b0, c11 = b1, c20 = b0, c21 = b1, c30 = b0, c31 = b1;
  let w = panel + (<usize>lo << 5);
  let z = zt + (<usize>lo << 5);
  for (let l = lo; l < hi; l++) {
    const w0 = v128.load(w);
    const w1 = v128.load(w, 16);
    let s = v128.load64_splat(z);
    c00 = f64x2.add(c00, f64x2.mul(s, w0));
    c01 = f64x2.add(c01, f64x2.mul(s, w1));
    s = v128.load64_splat(z, 8);
    c10 = f64x2.add(c10, f64x2.mul(s, w0));
    c11 = f64x2.add(c11, f64x2.mul(s, w1));
    s = v128.load64_splat(z, 16);
    c20 = f64x2.add(c20, f64x2.mul(s, w0));
    c21 = f64x2.add(c21, f64x2.mul(s, w1));
    s = v128.load64_splat(z, 24);
    c30 = f64x2.add(c30, f64x2.mul(s, w0));
    c31 = f64x2.add(c31, f64x2.mul(s, w1));
    w += 32;
    z += 32;
  }
  v128.store(out, relu(c00));
  v128.store(out, relu(c01), 16);
  v128.store(out + stride, relu(c10));
  v128.store(out + stride, relu(c11), 16);
  v128.store(out + 2 * stride, relu(c20));
  v128.store(out + 2 * stride, relu(c21), 16);
  v128.store(out + 3 * stride, relu(c30));
  v128.store(out + 3 * stride, relu(c31), 16);
}
