// Symmetric eigendecomposition A = V diag(lambda) V^T of a d x d row-major matrix, in place:
// Householder reduction to tridiagonal form with the transformations accumulated (tred2:
// Martin, Reinsch & Wilkinson 1968, "Householder's tridiagonalization of a symmetric matrix",
// Numer. Math. 11, 181-195), then the implicit QL algorithm on the tridiagonal matrix with the
// rotations applied to the vectors (tql2: Bowdler, Martin, Reinsch & Wilkinson 1968, "The QR
// and QL algorithms for symmetric matrices", Numer. Math. 11, 293-306); both are in the
// Handbook for Automatic Computation vol. II (Wilkinson & Reinsch 1971, contributions II/2
// and II/3). The code is the JAMA / ml-matrix translation (src/dc/evd.js) of EISPACK's
// tred2 and tql2, which already stores V transposed: row j holds vector j, so every inner
// loop runs along a row of flat row-major storage; here also in f64x2 lanes.
//
// Reads the upper triangle of A (a_jk, k >= j). On return row j of A is a unit eigenvector
// for values[j], values ascending (selection sort, as JAMA).
//
// Summation order (the TypeScript twin, src/backend/js/eigen.ts, follows it, so the bits
// agree): the two inner products of tred2, the symmetric matrix-vector product of the
// reduction and the product of a Householder vector with a vector of V in the accumulation,
// run over their range in four lanes (k = start + 4m + l in lane l), then (lane 0 + lane 2)
// + (lane 1 + lane 3), then the remaining one to three terms one by one; when two or three
// remain, the first two go into lanes 0 and 1 first. Every other operation is elementwise
// or sequential, as in JAMA. No FMA: mul then add.
//
// The QL iteration on one eigenvalue stops after EIGEN_MAX_SWEEPS sweeps (EISPACK's 30):
// the kernel then returns l + 1 for the eigenvalue l it was on, else 0.
//
// tql2 applies the rotations to V in batches of sweeps (the QL iteration on d and e does not
// depend on V): each batch strip by strip, the strip of V (all rows, STRIP columns) staying in
// cache for all the batch's sweeps, and each sweep going down the strip once with the row two
// consecutive rotations share carried in L1 (a simple form of the restructuring of Van Zee,
// van de Geijn & Quintana-Orti 2014, "Restructuring the tridiagonal and bidiagonal QR
// algorithms for performance", ACM TOMS 40(3)). tred2's accumulation takes the rows of V in
// blocks of ACC_ROWS, each block through all the reflectors while it stays in cache (see
// there). In both, each entry still gets the same operations in the same order, with JAMA's
// formulas, so the twin keeps JAMA's loop order. Measured (2-core EPYC, shared, two runs
// each): d = 1536, tql2 2.5-2.9 s against 4.6-5.0 s rotating whole rows rotation by
// rotation, the accumulation 1.0 s against 1.7-1.9 s sweeping all rows per reflector.
//
// The row loops are called through function references (call_indirect), which keeps them out
// of line: Binaryen inlines a function that has one caller, and V8 runs a Wasm function's
// optimised code only from its next call after it got hot (Liftoff first, no on-stack
// replacement), so loops inlined into tred2 and tql2, each called once, would run unoptimised
// throughout (measured at d = 1024: 3.4 s for the first call against 0.75 s for the next).

/** Doubles of rotation buffer per row: room for ROT_PER_D / 2 sweeps of the full length. */
const ROT_PER_D = 32;
/** Doubles of the kernel's scratch per row (the ABI): the off-diagonal e, then the rotation buffer (tred2's dv before). */
export const EIGEN_SCRATCH_PER_D: i32 = 1 + ROT_PER_D;
/** Columns per strip when a batch of rotations is applied (a strip of 4096 rows is 1 MiB). */
const STRIP = 32;
/** Rows per block of tred2's accumulation (32 rows of 4096 are 1 MiB). */
const ACC_ROWS = 32;
const CARRY: usize = memory.data(STRIP * 8, 16);
/** QL sweeps allowed per eigenvalue (EISPACK tql2). */
const EIGEN_MAX_SWEEPS = 30;

export function symmetricEigen(aPtr: usize, n: i32, valuesPtr: usize, scratchPtr: usize): i32 {
  if (n <= 0) return 0;
  tred2(aPtr, n, valuesPtr, scratchPtr, scratchPtr + (<usize>n << 3));
  return tql2(aPtr, n, valuesPtr, scratchPtr, scratchPtr + (<usize>n << 3));
}

@inline function el(p: usize, i: i32): usize {
  return p + (<usize>i << 3);
}

@inline function row(v: usize, n: i32, j: i32): usize {
  return v + ((<usize>j * <usize>n) << 3);
}

/** (lane 0 + lane 2) + (lane 1 + lane 3) of the accumulators a = lanes 0, 1 and b = lanes 2, 3. */
@inline function lanes(a: v128, b: v128): f64 {
  const c = f64x2.add(a, b);
  return f64x2.extract_lane(c, 0) + f64x2.extract_lane(c, 1);
}

/** sum x[k] y[k], k in [0, len), in the order of the header. */
export function dot(x: usize, y: usize, len: i32): f64 {
  let a = f64x2.splat(0.0);
  let b = f64x2.splat(0.0);
  let k = 0;
  for (; k + 4 <= len; k += 4) {
    const o = <usize>k << 3;
    a = f64x2.add(a, f64x2.mul(v128.load(x + o), v128.load(y + o)));
    b = f64x2.add(b, f64x2.mul(v128.load(x + o, 16), v128.load(y + o, 16)));
  }
  if (k + 2 <= len) {
    const o = <usize>k << 3;
    a = f64x2.add(a, f64x2.mul(v128.load(x + o), v128.load(y + o)));
    k += 2;
  }
  let s = lanes(a, b);
  for (; k < len; k++) s += load<f64>(el(x, k)) * load<f64>(el(y, k));
  return s;
}

/**
 * The reduction's product of row j with d over k in [0, len) (r = &V[j][j + 1], dd = &d[j + 1],
 * ee = &e[j + 1]), in the order of the header, and e[k] += V[j][k] f on the way.
 */
function symv(r: usize, dd: usize, ee: usize, f: f64, len: i32): f64 {
  const fv = f64x2.splat(f);
  let a = f64x2.splat(0.0);
  let b = f64x2.splat(0.0);
  let k = 0;
  for (; k + 4 <= len; k += 4) {
    const o = <usize>k << 3;
    const v0 = v128.load(r + o);
    const v1 = v128.load(r + o, 16);
    a = f64x2.add(a, f64x2.mul(v0, v128.load(dd + o)));
    b = f64x2.add(b, f64x2.mul(v1, v128.load(dd + o, 16)));
    v128.store(ee + o, f64x2.add(v128.load(ee + o), f64x2.mul(v0, fv)));
    v128.store(ee + o, f64x2.add(v128.load(ee + o, 16), f64x2.mul(v1, fv)), 16);
  }
  if (k + 2 <= len) {
    const o = <usize>k << 3;
    const v0 = v128.load(r + o);
    a = f64x2.add(a, f64x2.mul(v0, v128.load(dd + o)));
    v128.store(ee + o, f64x2.add(v128.load(ee + o), f64x2.mul(v0, fv)));
    k += 2;
  }
  let s = lanes(a, b);
  for (; k < len; k++) {
    const v = load<f64>(el(r, k));
    s += v * load<f64>(el(dd, k));
    store<f64>(el(ee, k), load<f64>(el(ee, k)) + v * f);
  }
  return s;
}

/** x[k] -= (f e[k] + g d[k]) for k in [0, len): the reduction's rank-2 update of one row. */
function rank2(x: usize, ee: usize, dd: usize, f: f64, g: f64, len: i32): void {
  const fv = f64x2.splat(f);
  const gv = f64x2.splat(g);
  let k = 0;
  for (; k + 2 <= len; k += 2) {
    const o = <usize>k << 3;
    const u = f64x2.add(f64x2.mul(fv, v128.load(ee + o)), f64x2.mul(gv, v128.load(dd + o)));
    v128.store(x + o, f64x2.sub(v128.load(x + o), u));
  }
  if (k < len) store<f64>(el(x, k), load<f64>(el(x, k)) - (f * load<f64>(el(ee, k)) + g * load<f64>(el(dd, k))));
}

/** x[k] -= g y[k] for k in [0, len). */
export function axpyNeg(x: usize, y: usize, g: f64, len: i32): void {
  const gv = f64x2.splat(g);
  let k = 0;
  for (; k + 2 <= len; k += 2) {
    const o = <usize>k << 3;
    v128.store(x + o, f64x2.sub(v128.load(x + o), f64x2.mul(gv, v128.load(y + o))));
  }
  if (k < len) store<f64>(el(x, k), load<f64>(el(x, k)) - g * load<f64>(el(y, k)));
}

/**
 * One QL rotation of a strip of rows i and i + 1, row i + 1's current values in `carry`:
 * y = s x + c h and carry = c x - s h for h = carry (JAMA's update of rows i + 1 and i).
 */
@inline function rotateStrip(x: usize, y: usize, carry: usize, c: f64, s: f64, w: i32): void {
  const cv = f64x2.splat(c);
  const sv = f64x2.splat(s);
  let k = 0;
  for (; k + 2 <= w; k += 2) {
    const o = <usize>k << 3;
    const h = v128.load(carry + o);
    const xk = v128.load(x + o);
    v128.store(y + o, f64x2.add(f64x2.mul(sv, xk), f64x2.mul(cv, h)));
    v128.store(carry + o, f64x2.sub(f64x2.mul(cv, xk), f64x2.mul(sv, h)));
  }
  if (k < w) {
    const h = load<f64>(el(carry, k));
    const xk = load<f64>(el(x, k));
    store<f64>(el(y, k), s * xk + c * h);
    store<f64>(el(carry, k), c * xk - s * h);
  }
}

/**
 * The buffered sweeps (`used` doubles at buf: per sweep l, m, then c and s of its rotations
 * i = m - 1 down to l) on V, STRIP columns at a time.
 */
function applyBatch(V: usize, n: i32, buf: usize, used: i32): void {
  for (let k0 = 0; k0 < n; k0 += STRIP) {
    const w = min(STRIP, n - k0);
    const off = <usize>k0 << 3;
    const bytes = <usize>w << 3;
    let p = buf;
    const end = buf + (<usize>used << 3);
    while (p < end) {
      const l = <i32>load<f64>(p);
      const m = <i32>load<f64>(p, 8);
      p += 16;
      memory.copy(CARRY, row(V, n, m) + off, bytes);
      for (let i = m - 1; i >= l; i--) {
        rotateStrip(row(V, n, i) + off, row(V, n, i + 1) + off, CARRY, load<f64>(p), load<f64>(p, 8), w);
        p += 16;
      }
      memory.copy(row(V, n, l) + off, CARRY, bytes);
    }
  }
}

function swapRows(x: usize, y: usize, n: i32): void {
  let k = 0;
  for (; k + 2 <= n; k += 2) {
    const o = <usize>k << 3;
    const t = v128.load(x + o);
    v128.store(x + o, v128.load(y + o));
    v128.store(y + o, t);
  }
  if (k < n) {
    const t = load<f64>(el(x, k));
    store<f64>(el(x, k), load<f64>(el(y, k)));
    store<f64>(el(y, k), t);
  }
}

/** sqrt(a^2 + b^2) without overflow (ml-matrix's hypotenuse). */
@inline function hypot(a: f64, b: f64): f64 {
  if (Math.abs(a) > Math.abs(b)) {
    const r = b / a;
    return Math.abs(a) * Math.sqrt(1 + r * r);
  }
  if (b != 0) {
    const r = a / b;
    return Math.abs(b) * Math.sqrt(1 + r * r);
  }
  return 0;
}

/** Householder reduction of V (upper triangle read) to tridiagonal d, e; V becomes the transformation, transposed. Scratch: dv, n doubles. */
function tred2(V: usize, n: i32, d: usize, e: usize, dv: usize): void {
  const symvRow = symv;
  const rank2Row = rank2;
  const dotRows = dot;
  const axpyRow = axpyNeg;
  for (let j = 0; j < n; j++) store<f64>(el(d, j), load<f64>(el(row(V, n, j), n - 1)));

  for (let i = n - 1; i > 0; i--) {
    let scale = 0.0;
    let h = 0.0;
    for (let k = 0; k < i; k++) scale = scale + Math.abs(load<f64>(el(d, k)));
    const vi = row(V, n, i);
    if (scale == 0) {
      store<f64>(el(e, i), load<f64>(el(d, i - 1)));
      for (let j = 0; j < i; j++) {
        const vj = row(V, n, j);
        store<f64>(el(d, j), load<f64>(el(vj, i - 1)));
        store<f64>(el(vj, i), 0.0);
        store<f64>(el(vi, j), 0.0);
      }
    } else {
      for (let k = 0; k < i; k++) {
        const x = load<f64>(el(d, k)) / scale;
        store<f64>(el(d, k), x);
        h += x * x;
      }
      let f = load<f64>(el(d, i - 1));
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      store<f64>(el(e, i), scale * g);
      h = h - f * g;
      store<f64>(el(d, i - 1), f - g);
      memory.fill(e, 0, <usize>i << 3);

      for (let j = 0; j < i; j++) {
        const vj = row(V, n, j);
        f = load<f64>(el(d, j));
        store<f64>(el(vi, j), f);
        g = load<f64>(el(e, j)) + load<f64>(el(vj, j)) * f;
        g += symvRow(el(vj, j + 1), el(d, j + 1), el(e, j + 1), f, i - 1 - j);
        store<f64>(el(e, j), g);
      }

      f = 0;
      for (let j = 0; j < i; j++) {
        const x = load<f64>(el(e, j)) / h;
        store<f64>(el(e, j), x);
        f += x * load<f64>(el(d, j));
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) store<f64>(el(e, j), load<f64>(el(e, j)) - hh * load<f64>(el(d, j)));

      for (let j = 0; j < i; j++) {
        const vj = row(V, n, j);
        f = load<f64>(el(d, j));
        g = load<f64>(el(e, j));
        rank2Row(el(vj, j), el(e, j), el(d, j), f, g, i - j);
        store<f64>(el(d, j), load<f64>(el(vj, i - 1)));
        store<f64>(el(vj, i), 0.0);
      }
    }
    store<f64>(el(d, i), h);
  }

  // The accumulation, in blocks of ACC_ROWS rows j: row j's updates by the reflectors i >= j
  // (g = u_i . V[j][0 .. i], V[j][0 .. i] -= g u_i / h_i, u_i = row i + 1 of V, h_i = d[i + 1])
  // depend on row j and the u_i alone, so a block takes every step i in turn while its rows
  // stay in cache, instead of every step sweeping all rows (JAMA's order). Each row gets the
  // same operations in the same order: the steps' other actions on a row (saving its diagonal
  // and setting it to 1 at step j, zeroing its first j entries after step j - 1 used them as
  // u_{j - 1}) happen at the same point of its sequence; u_i / h_i is recomputed per block
  // (into dv), the same quotients. d[0 .. n) keeps the h_i until the end.
  for (let j0 = 0; j0 < n; j0 += ACC_ROWS) {
    const j1 = min(j0 + ACC_ROWS, n);
    for (let i = max(j0 - 1, 0); i < n - 1; i++) {
      const vu = row(V, n, i + 1);
      if (i >= j0 && i < j1) {
        const vi = row(V, n, i);
        store<f64>(el(vi, n - 1), load<f64>(el(vi, i)));
        store<f64>(el(vi, i), 1.0);
      }
      const h = load<f64>(el(d, i + 1));
      if (h != 0 && i >= j0) {
        for (let k = 0; k <= i; k++) store<f64>(el(dv, k), load<f64>(el(vu, k)) / h);
        const last = min(i, j1 - 1);
        for (let j = j0; j <= last; j++) {
          const vj = row(V, n, j);
          axpyRow(vj, dv, dotRows(vu, vj, i + 1), i + 1);
        }
      }
      if (i + 1 >= j0 && i + 1 < j1) memory.fill(vu, 0, <usize>(i + 1) << 3);
    }
  }

  for (let j = 0; j < n; j++) {
    const p = el(row(V, n, j), n - 1);
    store<f64>(el(d, j), load<f64>(p));
    store<f64>(p, 0.0);
  }
  store<f64>(el(row(V, n, n - 1), n - 1), 1.0);
  store<f64>(e, 0.0);
}

/**
 * Implicit QL on the tridiagonal d, e (e[i] couples i - 1 and i), rotating the rows of V; then
 * sorted. Scratch: rot, ROT_PER_D x n doubles (the rotation buffer).
 */
export function tql2(V: usize, n: i32, d: usize, e: usize, rot: usize): i32 {
  const batch = applyBatch;
  const swap = swapRows;
  const capacity = ROT_PER_D * n;
  let used = 0;
  for (let i = 1; i < n; i++) store<f64>(el(e, i - 1), load<f64>(el(e, i)));
  store<f64>(el(e, n - 1), 0.0);

  let f = 0.0;
  let tst1 = 0.0;
  const eps = f64.EPSILON;

  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(load<f64>(el(d, l))) + Math.abs(load<f64>(el(e, l))));
    // e[n - 1] = 0 ends the search for finite input; the bound keeps NaN inside the arrays.
    let m = l;
    while (m < n - 1 && !(Math.abs(load<f64>(el(e, m))) <= eps * tst1)) m++;

    if (m > l) {
      let sweeps = 0;
      do {
        if (++sweeps > EIGEN_MAX_SWEEPS) return l + 1;
        let g = load<f64>(el(d, l));
        const el0 = load<f64>(el(e, l));
        let p = (load<f64>(el(d, l + 1)) - g) / (2 * el0);
        let r = hypot(p, 1);
        if (p < 0) r = -r;
        store<f64>(el(d, l), el0 / (p + r));
        store<f64>(el(d, l + 1), el0 * (p + r));
        const dl1 = load<f64>(el(d, l + 1));
        let h = g - load<f64>(el(d, l));
        for (let i = l + 2; i < n; i++) store<f64>(el(d, i), load<f64>(el(d, i)) - h);
        f = f + h;

        // a sweep takes 2 + 2 (m - l) doubles of the buffer
        if (used + 2 + 2 * (m - l) > capacity) {
          batch(V, n, rot, used);
          used = 0;
        }
        store<f64>(el(rot, used), <f64>l);
        store<f64>(el(rot, used + 1), <f64>m);
        used += 2;
        p = load<f64>(el(d, m));
        let c = 1.0;
        let c2 = c;
        let c3 = c;
        const el1 = load<f64>(el(e, l + 1));
        let s = 0.0;
        let s2 = 0.0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          const ei = load<f64>(el(e, i));
          const di = load<f64>(el(d, i));
          g = c * ei;
          h = c * p;
          r = hypot(p, ei);
          store<f64>(el(e, i + 1), s * r);
          s = ei / r;
          c = p / r;
          p = c * di - s * g;
          store<f64>(el(d, i + 1), h + s * (c * g + s * di));
          store<f64>(el(rot, used), c);
          store<f64>(el(rot, used + 1), s);
          used += 2;
        }
        p = (-s * s2 * c3 * el1 * load<f64>(el(e, l))) / dl1;
        store<f64>(el(e, l), s * p);
        store<f64>(el(d, l), c * p);
      } while (Math.abs(load<f64>(el(e, l))) > eps * tst1);
    }
    store<f64>(el(d, l), load<f64>(el(d, l)) + f);
    store<f64>(el(e, l), 0.0);
  }

  if (used > 0) batch(V, n, rot, used);

  for (let i = 0; i < n - 1; i++) {
    let k = i;
    let p = load<f64>(el(d, i));
    for (let j = i + 1; j < n; j++) {
      const x = load<f64>(el(d, j));
      if (x < p) {
        k = j;
        p = x;
      }
    }
    if (k != i) {
      store<f64>(el(d, k), load<f64>(el(d, i)));
      store<f64>(el(d, i), p);
      swap(row(V, n, i), row(V, n, k), n);
    }
  }
  return 0;
}
