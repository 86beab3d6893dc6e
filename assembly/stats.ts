// Per-coordinate pass over a row chunk: number of positive values, their sum and their sum
// of squares (sufficient statistics of the positives, used to standardise them for Step 1
// of Wu, Dimakis & Sanghavi 2019, Sec. 3.1). Zeros add nothing to the sums, so summing every
// value is the same as summing the positives. Accumulates into out = [count | sum | sumSq],
// each d long, adding rows in order (the TypeScript twin adds in the same order, so both
// give the same bits). Two coordinates per f64x2 lane pair; rows in tiles of TILE, so a
// tile stays in cache while every column pair sweeps it.

const TILE = 64;

/** out's layout: COORD_FIELDS arrays of d doubles, field f of coordinate j at double f * d + j. */
export const COORD_COUNT: i32 = 0;
export const COORD_SUM: i32 = 1;
export const COORD_SUM_SQ: i32 = 2;
export const COORD_FIELDS: i32 = 3;

export function coordStats(xPtr: usize, rows: i32, d: i32, outPtr: usize): void {
  const stride = <usize>d << 3;
  for (let r0 = 0; r0 < rows; r0 += TILE) {
    tileStats(xPtr + <usize>r0 * stride, min(TILE, rows - r0), d, outPtr);
  }
}

function tileStats(xPtr: usize, rows: i32, d: i32, outPtr: usize): void {
  const stride = <usize>d << 3;
  const cntP = outPtr + <usize>COORD_COUNT * stride;
  const s1P = outPtr + <usize>COORD_SUM * stride;
  const s2P = outPtr + <usize>COORD_SUM_SQ * stride;
  const pairs = d & ~1;
  const zero = f64x2.splat(0.0);
  const one = f64x2.splat(1.0);
  let j = 0;
  for (; j < pairs; j += 2) {
    const off = <usize>j << 3;
    let c = v128.load(cntP + off);
    let s1 = v128.load(s1P + off);
    let s2 = v128.load(s2P + off);
    let p = xPtr + off;
    for (let r = 0; r < rows; r++) {
      const x = v128.load(p);
      c = f64x2.add(c, v128.and(f64x2.gt(x, zero), one));
      s1 = f64x2.add(s1, x);
      s2 = f64x2.add(s2, f64x2.mul(x, x));
      p += stride;
    }
    v128.store(cntP + off, c);
    v128.store(s1P + off, s1);
    v128.store(s2P + off, s2);
  }
  for (; j < d; j++) {
    const off = <usize>j << 3;
    let c = load<f64>(cntP + off);
    let s1 = load<f64>(s1P + off);
    let s2 = load<f64>(s2P + off);
    let p = xPtr + off;
    for (let r = 0; r < rows; r++) {
      const x = load<f64>(p);
      if (x > 0.0) c += 1.0;
      s1 += x;
      s2 += x * x;
      p += stride;
    }
    store<f64>(cntP + off, c);
    store<f64>(s1P + off, s1);
    store<f64>(s2P + off, s2);
  }
}
