// Two compute floors for `npm run bench` (AssemblyScript, compiled on the fly by bench/wasm/floors.ts
// with `--enable simd -O3 --runtime stub`; never part of the shipped module). The file is named .as,
// not .ts, so that the TypeScript program of test/tsconfig.json (which covers bench/**/*.ts) and Biome
// do not read AssemblyScript as TypeScript; the compiler is handed its text as floors.ts.
//
// Both floors are dense dot-product kernels over panels of PANEL contiguous doubles, the same
// micro-kernel for both: a 4 x 2 register tile of f64x2 accumulators (8 sums, each a pair of
// lanes along the panel), the 4 "a" panels (8 KiB) staying in L1 while the "b" panels stream from
// a chunk of CHUNK panels (512 KiB) held in L2; 6 loads, 8 multiplies and 8 adds per step of 2
// doubles. This is the register- and cache-blocking of Goto & van de Geijn, "Anatomy of
// high-performance matrix multiplication", ACM TOMS 34(3), 2008 (Sec. 6-7: the micro-kernel
// keeps its C tile in registers and streams a packed panel from L2), written with 128-bit SIMD,
// without fused multiply-add (the package's kernels may not use it: determinism) and without
// relaxed SIMD. The bound is the FP pipes, one f64x2 multiply and one add per multiply-add pair:
// on the bench machine (Zen 4, 2 multiplies + 2 adds a cycle) both floors ran at 85-97% of a
// register-only loop's 21.3 GFLOP/s a core (CPU time); panels of 512 doubles were slower.
//
//   xtx:  G += X^T X (upper triangle; the 4 x 2 tiles that straddle the diagonal also write a few
//         entries below it) for a block of rows of X (row-major, d columns), one PANEL-row piece at
//         a time, transposed first into d panels (column j's values contiguous, zero-padded to an
//         even count).
//   gemm: C = max(Z W^T + b, 0) for `rows` rows of Z (rows x k) and W (d x k), both packed into
//         PANEL-long pieces of their rows (the product's k dimension, cut into PANEL blocks).

/** Doubles per panel: 2 KiB, the length of one dot product in the micro-kernel. */
const PANEL: i32 = 256;
const PANEL_BYTES: usize = <usize>PANEL << 3;
/** "b" panels per L2 chunk: 256 x 2 KiB = 512 KiB (Zen 4: 1 MiB of L2 per core). */
const CHUNK: i32 = 256;

export const FLOOR_PANEL: i32 = PANEL;

/** Bytes from the stub runtime's bump allocator (never freed: the bench makes one instance per use). */
export function reserve(bytes: usize): usize {
  return heap.alloc(bytes);
}

/**
 * The micro-kernel: for ia = 0..3, jb = 0..1, out[ia * outStride + jb] += dot(a + ia * PANEL_BYTES,
 * b + jb * PANEL_BYTES) over len doubles (even).
 */
function tile4x2(a: usize, b: usize, len: i32, out: usize, outStride: usize): void {
  let c00 = f64x2.splat(0.0), c01 = f64x2.splat(0.0);
  let c10 = f64x2.splat(0.0), c11 = f64x2.splat(0.0);
  let c20 = f64x2.splat(0.0), c21 = f64x2.splat(0.0);
  let c30 = f64x2.splat(0.0), c31 = f64x2.splat(0.0);
  const end = a + (<usize>len << 3);
  // One step of 2 doubles a turn: TurboFan issues all of a turn's loads first, so 6 loads + 8
  // accumulators + 1 product fill 15 of x64's 16 xmm registers (the 16th is V8's scratch);
  // unrolling spills accumulators.
  while (a < end) {
    const b0 = v128.load(b);
    const b1 = v128.load(b, PANEL_BYTES);
    let x = v128.load(a);
    c00 = f64x2.add(c00, f64x2.mul(x, b0));
    c01 = f64x2.add(c01, f64x2.mul(x, b1));
    x = v128.load(a, PANEL_BYTES);
    c10 = f64x2.add(c10, f64x2.mul(x, b0));
    c11 = f64x2.add(c11, f64x2.mul(x, b1));
    x = v128.load(a, 2 * PANEL_BYTES);
    c20 = f64x2.add(c20, f64x2.mul(x, b0));
    c21 = f64x2.add(c21, f64x2.mul(x, b1));
    x = v128.load(a, 3 * PANEL_BYTES);
    c30 = f64x2.add(c30, f64x2.mul(x, b0));
    c31 = f64x2.add(c31, f64x2.mul(x, b1));
    a += 16;
    b += 16;
  }
  // lane sums, paired so that (ia, 0) and (ia, 1) land in one vector, added to out in one store
  addPair(out, c00, c01);
  addPair(out + outStride, c10, c11);
  addPair(out + 2 * outStride, c20, c21);
  addPair(out + 3 * outStride, c30, c31);
}

@inline function addPair(out: usize, u: v128, v: v128): void {
  const s = f64x2.add(v128.shuffle<f64>(u, v, 0, 2), v128.shuffle<f64>(u, v, 1, 3));
  v128.store(out, f64x2.add(v128.load(out), s));
}

// ---- X^T X ------------------------------------------------------------------------------

/**
 * Rows r0 .. r0 + m - 1 of x into d panels (pack + j * PANEL_BYTES = column j), zeros from m up
 * to len; two rows by two columns per step (one f64x2 load of each row, two stores).
 */
function packColumns(x: usize, m: i32, len: i32, d: i32, pack: usize): void {
  const stride = <usize>d << 3;
  let r = 0;
  for (; r + 1 < m; r += 2) {
    const row0 = x + <usize>r * stride;
    const row1 = row0 + stride;
    let dst = pack + (<usize>r << 3);
    for (let j = 0; j < d; j += 2) {
      const u = v128.load(row0 + (<usize>j << 3));
      const v = v128.load(row1 + (<usize>j << 3));
      v128.store(dst, v128.shuffle<f64>(u, v, 0, 2));
      v128.store(dst, v128.shuffle<f64>(u, v, 1, 3), PANEL_BYTES);
      dst += 2 * PANEL_BYTES;
    }
  }
  for (; r < len; r++) {
    const row = x + <usize>r * stride;
    for (let j = 0; j < d; j++) store<f64>(pack + <usize>j * PANEL_BYTES + (<usize>r << 3), r < m ? load<f64>(row + (<usize>j << 3)) : 0.0);
  }
}

/**
 * g (d x d, row-major) += the upper triangle of X^T X of `rows` rows at x; d a multiple of 4,
 * pack = d panels of scratch.
 */
export function xtx(x: usize, rows: i32, d: i32, pack: usize, g: usize): void {
  const stride = <usize>d << 3;
  for (let r0 = 0; r0 < rows; r0 += PANEL) {
    const m = min(PANEL, rows - r0);
    const len = (m + 1) & ~1;
    packColumns(x + <usize>r0 * stride, m, len, d, pack);
    // columns j in L2-sized chunks; for each, every 4-column tile i <= j of it, j two at a time
    for (let jc = 0; jc < d; jc += CHUNK) {
      const jEnd = min(d, jc + CHUNK);
      for (let i = 0; i < jEnd; i += 4) {
        const a = pack + <usize>i * PANEL_BYTES;
        const out = g + <usize>i * stride;
        for (let j = max(jc, i); j < jEnd; j += 2) {
          tile4x2(a, pack + <usize>j * PANEL_BYTES, len, out + (<usize>j << 3), stride);
        }
      }
    }
  }
}

// ---- Z W^T + b, ReLU ----------------------------------------------------------------------

/** Panels per row of a k-column matrix. */
@inline function panels(k: i32): i32 {
  return (k + PANEL - 1) / PANEL;
}

/**
 * m x k row-major at src into panel-major order at dst: block q (columns q PANEL ..) of row i at
 * dst + (q * m + i) * PANEL_BYTES, zero-padded past k. Both operands of gemm are packed this way.
 */
export function packRows(src: usize, m: i32, k: i32, dst: usize): void {
  const q = panels(k);
  for (let p = 0; p < q; p++) {
    const c0 = p * PANEL;
    const w = min(PANEL, k - c0);
    for (let i = 0; i < m; i++) {
      const to = dst + (<usize>p * <usize>m + <usize>i) * PANEL_BYTES;
      memory.copy(to, src + (<usize>i * <usize>k + <usize>c0) * 8, <usize>w << 3);
      if (w < PANEL) memory.fill(to + (<usize>w << 3), 0, <usize>(PANEL - w) << 3);
    }
  }
}

/**
 * c (rows x d, row-major) = max(Z W^T + b, 0): zp = packRows of Z (rows x k, rows a multiple of 4),
 * wp = packRows of W (d x k, d a multiple of 2).
 */
export function gemm(zp: usize, rows: i32, wp: usize, d: i32, k: i32, b: usize, c: usize): void {
  const stride = <usize>d << 3;
  memory.fill(c, 0, <usize>rows * stride);
  const q = panels(k);
  for (let p = 0; p < q; p++) {
    const zq = zp + <usize>p * <usize>rows * PANEL_BYTES;
    const wq = wp + <usize>p * <usize>d * PANEL_BYTES;
    const len = (min(PANEL, k - p * PANEL) + 1) & ~1; // the last panel's zero padding past k is not multiplied
    // W rows in L2-sized chunks; 4 rows of Z in L1 against each pair of W rows of the chunk
    for (let jc = 0; jc < d; jc += CHUNK) {
      const jEnd = min(d, jc + CHUNK);
      for (let i = 0; i < rows; i += 4) {
        const a = zq + <usize>i * PANEL_BYTES;
        const out = c + <usize>i * stride;
        for (let j = jc; j < jEnd; j += 2) tile4x2(a, wq + <usize>j * PANEL_BYTES, len, out + (<usize>j << 3), stride);
      }
    }
  }
  const zero = f64x2.splat(0.0);
  for (let i = 0; i < rows; i++) {
    const row = c + <usize>i * stride;
    for (let j = 0; j < d; j += 2) {
      const o = <usize>j << 3;
      v128.store(row + o, f64x2.pmax(zero, f64x2.add(v128.load(row + o), v128.load(b + o))));
    }
  }
}
