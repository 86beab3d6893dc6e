// Cholesky factorisation A = L L^T of a symmetric positive definite d x d row-major matrix,
// in place (Golub & Van Loan, Matrix Computations, 4th ed., Sec. 4.2: the outer-product
// Algorithm 4.2.2, organised as the block algorithm of Sec. 4.2.9).
//
// The kernel reads the upper triangle only and builds U = L^T there, row by row:
//   U_kk = sqrt(a_kk),  U_kj = a_kj / U_kk (j > k),  then a_ij -= U_ki U_kj for k < i <= j.
// Row-major upper U makes every update run along rows: U_kj for consecutive j is contiguous,
// so f64x2 lanes take two columns and no sum is split between lanes. Each entry a_ij
// subtracts its products U_ki U_kj one at a time in ascending k, then is divided by U_ii (or
// square-rooted on the diagonal), in every blocking: the blocks below only reorder which
// entries are updated when, never the operations on one entry, so the result is the plain
// unblocked loop's bit for bit (src/backend/js/cholesky.ts, the twin, is that loop).
// At the end the lower triangle gets L = U^T and the strict upper triangle is zeroed.
//
// Blocks: rows are taken in panels of NB. For a panel k0 .. k0 + NB - 1:
//  1. its diagonal block is factorised unblocked (it is small: NB x NB, in L1/L2);
//  2. the rest of its rows, columns k0 + NB .. d - 1, in chunks of CW columns: row k divided
//     by U_kk, then subtracted from the panel rows below it (a triangular solve, in cache);
//  3. the trailing matrix a_ij -= sum_k U_ki U_kj over the panel's k (a symmetric rank-NB
//     update, d^3 / 3 of the d^3 / 3 + O(NB d^2) flops) from a packed copy of the panel:
//     four columns at a time, pack[g][k][c] = U_{k0+k, t+4g+c} (t = k0 + NB), so a 4 x 4
//     register tile of a reads two contiguous runs; tiles go in chunks of JC groups of
//     columns so that the panel's columns they read stay in L2.
// Within a register tile each entry still subtracts its products in ascending k (no FMA:
// mul then sub, as the twin). Tiles on the diagonal also compute their four entries below
// it, in the lower triangle, which is scratch until L is written there.
//
// The tile and row loops are called through function references (call_indirect), which keeps
// them out of line: Binaryen inlines a function that has one caller, and V8 runs a Wasm
// function's optimised code only from its next call after it got hot (Liftoff first, no
// on-stack replacement), so loops inlined into the kernel would run unoptimised throughout
// its one call.
//
// Failure: a pivot a_kk that is not > 0 (or NaN) after its updates stops the kernel, which
// returns k (the matrix is then partly overwritten); -1 when A = L L^T was completed.
// Positive pivots are guaranteed when A is positive definite and d eps cond(A) is small
// (Higham, Accuracy and Stability of Numerical Algorithms, 2nd ed., Thm 10.7); the computed
// L then satisfies L L^T = A + E with |E| <= gamma_{d+1} |L| |L^T| (Thm 10.3).

/** Rows per panel (the ABI: the pack scratch holds CHOLESKY_PANEL_ROWS x (d + 4) doubles). */
export const CHOLESKY_PANEL_ROWS: i32 = 96;
const NB = CHOLESKY_PANEL_ROWS;
/** Columns per chunk of the panel's triangular solve. */
const CW = 256;
/** Groups of four columns per chunk of the trailing update (JC x 4 x NB doubles = 128 KiB). */
const JC = 64;

export function cholesky(aPtr: usize, d: i32, packPtr: usize): i32 {
  for (let k0 = 0; k0 < d; k0 += NB) {
    const kb = min(NB, d - k0);
    const t = k0 + kb;
    const bad = factorBlock(aPtr, d, k0, t);
    if (bad >= 0) return bad;
    for (let c0 = t; c0 < d; c0 += CW) solveChunk(aPtr, d, k0, t, c0, min(c0 + CW, d));
    if (t < d) {
      pack(aPtr, d, k0, kb, t, packPtr);
      trailing(aPtr, d, kb, t, packPtr);
    }
  }
  toLower(aPtr, d);
  return -1;
}

@inline function at(aPtr: usize, d: i32, i: i32, j: i32): usize {
  return aPtr + ((<usize>i * <usize>d + <usize>j) << 3);
}

/** row[j] -= s * src[j] for j in [0, len), two at a time. */
function axpyNeg(row: usize, src: usize, s: f64, len: i32): void {
  const sv = f64x2.splat(s);
  let j = 0;
  for (; j + 2 <= len; j += 2) {
    const o = <usize>j << 3;
    v128.store(row + o, f64x2.sub(v128.load(row + o), f64x2.mul(sv, v128.load(src + o))));
  }
  if (j < len) {
    const o = <usize>j << 3;
    store<f64>(row + o, load<f64>(row + o) - s * load<f64>(src + o));
  }
}

/** row[j] /= u for j in [0, len). */
function divide(row: usize, u: f64, len: i32): void {
  const uv = f64x2.splat(u);
  let j = 0;
  for (; j + 2 <= len; j += 2) {
    const o = <usize>j << 3;
    v128.store(row + o, f64x2.div(v128.load(row + o), uv));
  }
  if (j < len) {
    const o = <usize>j << 3;
    store<f64>(row + o, load<f64>(row + o) / u);
  }
}

/** The diagonal block k0 .. t - 1, unblocked; the first bad pivot, or -1. */
function factorBlock(aPtr: usize, d: i32, k0: i32, t: i32): i32 {
  const divideRow = divide;
  const axpyRow = axpyNeg;
  for (let k = k0; k < t; k++) {
    const p = load<f64>(at(aPtr, d, k, k));
    if (!(p > 0)) return k;
    const u = Math.sqrt(p);
    store<f64>(at(aPtr, d, k, k), u);
    divideRow(at(aPtr, d, k, k + 1), u, t - k - 1);
    for (let i = k + 1; i < t; i++) {
      axpyRow(at(aPtr, d, i, i), at(aPtr, d, k, i), load<f64>(at(aPtr, d, k, i)), t - i);
    }
  }
  return -1;
}

/** Columns c0 .. c1 - 1 (all >= t) of the panel rows k0 .. t - 1: the block's triangular solve. */
function solveChunk(aPtr: usize, d: i32, k0: i32, t: i32, c0: i32, c1: i32): void {
  const w = c1 - c0;
  const divideRow = divide;
  const axpyRow = axpyNeg;
  for (let k = k0; k < t; k++) {
    const rk = at(aPtr, d, k, c0);
    divideRow(rk, load<f64>(at(aPtr, d, k, k)), w);
    for (let i = k + 1; i < t; i++) axpyRow(at(aPtr, d, i, c0), rk, load<f64>(at(aPtr, d, k, i)), w);
  }
}

/** pack[g][k][c] = U[k0 + k][t + 4g + c], 0 beyond column d - 1. */
function pack(aPtr: usize, d: i32, k0: i32, kb: i32, t: i32, packPtr: usize): void {
  const nt = d - t;
  const nf = nt >> 2;
  const groupBytes = <usize>kb << 5;
  for (let k = 0; k < kb; k++) {
    const row = at(aPtr, d, k0 + k, t);
    let dst = packPtr + (<usize>k << 5);
    for (let g = 0; g < nf; g++) {
      const src = row + (<usize>g << 5);
      v128.store(dst, v128.load(src));
      v128.store(dst, v128.load(src, 16), 16);
      dst += groupBytes;
    }
    if (nf << 2 < nt) {
      for (let c = 0; c < 4; c++) {
        const j = (nf << 2) + c;
        store<f64>(dst + (<usize>c << 3), j < nt ? load<f64>(row + (<usize>j << 3)) : 0.0);
      }
    }
  }
}

/** a_ij -= sum over the panel of U_ki U_kj for t <= i <= j < d (plus the scratch entries of diagonal tiles). */
function trailing(aPtr: usize, d: i32, kb: i32, t: i32, packPtr: usize): void {
  const nt = d - t;
  const nf = nt >> 2;
  const ng = (nt + 3) >> 2;
  const groupBytes = <usize>kb << 5;
  const stride = <usize>d << 3;
  const tile = tile4;
  for (let jc = 0; jc < ng; jc += JC) {
    const jEnd = min(jc + JC, ng);
    for (let gi = 0; gi < jEnd; gi++) {
      const pi = packPtr + <usize>gi * groupBytes;
      const rowI = at(aPtr, d, t + (gi << 2), t);
      for (let gj = max(gi, jc); gj < jEnd; gj++) {
        const pj = packPtr + <usize>gj * groupBytes;
        if (gj < nf) tile(rowI + (<usize>gj << 5), stride, pi, pj, kb);
        else edgeTile(aPtr, d, t + (gi << 2), t + (gj << 2), pi, pj, kb);
      }
    }
  }
}

/** The 4 x 4 tile at c (rows stride apart): c_rs -= sum_k pi[k][r] pj[k][s], k ascending. */
function tile4(c: usize, stride: usize, pi: usize, pj: usize, kb: i32): void {
  const c1 = c + stride;
  const c2 = c1 + stride;
  const c3 = c2 + stride;
  let x00 = v128.load(c);
  let x01 = v128.load(c, 16);
  let x10 = v128.load(c1);
  let x11 = v128.load(c1, 16);
  let x20 = v128.load(c2);
  let x21 = v128.load(c2, 16);
  let x30 = v128.load(c3);
  let x31 = v128.load(c3, 16);
  let p = pi;
  let q = pj;
  const end = pi + (<usize>kb << 5);
  while (p < end) {
    const b0 = v128.load(q);
    const b1 = v128.load(q, 16);
    const a0 = v128.load64_splat(p);
    const a1 = v128.load64_splat(p, 8);
    const a2 = v128.load64_splat(p, 16);
    const a3 = v128.load64_splat(p, 24);
    x00 = f64x2.sub(x00, f64x2.mul(a0, b0));
    x01 = f64x2.sub(x01, f64x2.mul(a0, b1));
    x10 = f64x2.sub(x10, f64x2.mul(a1, b0));
    x11 = f64x2.sub(x11, f64x2.mul(a1, b1));
    x20 = f64x2.sub(x20, f64x2.mul(a2, b0));
    x21 = f64x2.sub(x21, f64x2.mul(a2, b1));
    x30 = f64x2.sub(x30, f64x2.mul(a3, b0));
    x31 = f64x2.sub(x31, f64x2.mul(a3, b1));
    p += 32;
    q += 32;
  }
  v128.store(c, x00);
  v128.store(c, x01, 16);
  v128.store(c1, x10);
  v128.store(c1, x11, 16);
  v128.store(c2, x20);
  v128.store(c2, x21, 16);
  v128.store(c3, x30);
  v128.store(c3, x31, 16);
}

/** A tile that reaches past row or column d - 1: entry by entry, upper triangle only. */
function edgeTile(aPtr: usize, d: i32, i0: i32, j0: i32, pi: usize, pj: usize, kb: i32): void {
  for (let r = 0; r < 4; r++) {
    const i = i0 + r;
    if (i >= d) break;
    for (let s = 0; s < 4; s++) {
      const j = j0 + s;
      if (j >= d) break;
      if (j < i) continue;
      const c = at(aPtr, d, i, j);
      let x = load<f64>(c);
      for (let k = 0; k < kb; k++) {
        const o = <usize>k << 5;
        x -= load<f64>(pi + o + (<usize>r << 3)) * load<f64>(pj + o + (<usize>s << 3));
      }
      store<f64>(c, x);
    }
  }
}

/** L = U^T into the lower triangle, 0 above it; in tiles of 8 x 8, so both sides stay in cache. */
function toLower(aPtr: usize, d: i32): void {
  const T = 8;
  for (let bi = 0; bi < d; bi += T) {
    const iEnd = min(bi + T, d);
    for (let bj = 0; bj <= bi; bj += T) {
      const jEnd = min(bj + T, d);
      for (let i = bi; i < iEnd; i++) {
        for (let j = bj; j < jEnd && j < i; j++) {
          store<f64>(at(aPtr, d, i, j), load<f64>(at(aPtr, d, j, i)));
          store<f64>(at(aPtr, d, j, i), 0.0);
        }
      }
    }
  }
}
