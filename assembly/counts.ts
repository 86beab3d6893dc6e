// Thresholded pair counting for Step 2 of Wu, Dimakis & Sanghavi 2019 (Sec. 3.2, Eq. (4)):
// N_ij = #{rows : x_i > t_i and x_j > t_j}, from which theta_ij = pi - 2 pi N_ij / n.
// Each column's indicator (x > t, strictly: ties do not count) is bit-packed, 64 rows a
// word, into a scratch bitset; every pair i <= j is then AND + popcount over the words.
// Counts are integers, so chunking never changes them. Adds into counts[i * d + j], i <= j.
// bitsPtr is scratch for d x ceil(rows / BITSET_ROWS) words.

/** Rows per bitset word (a u64's bits; here and in moments.ts): the host sizes bitsPtr by it. */
export const BITSET_ROWS: i32 = 64;

export function pairCounts(
  xPtr: usize, rows: i32, d: i32, tPtr: usize, bitsPtr: usize, countsPtr: usize,
): void {
  const words = (rows + 63) >> 6;
  const wStride = <usize>words << 3;
  const stride = <usize>d << 3;
  // Pack: each 64-row group, two columns at a time, the two words built in one f64x2 register.
  for (let w = 0; w < words; w++) {
    const r0 = w << 6;
    const rr = min(64, rows - r0);
    const group = xPtr + <usize>r0 * stride;
    const wordOff = <usize>w << 3;
    let j = 0;
    for (; j + 1 < d; j += 2) {
      const off = <usize>j << 3;
      const t = v128.load(tPtr + off);
      // Rows last to first, each doubling the two words and adding its bit (a true compare is
      // all ones, -1, so subtracting it adds 1): row r ends at bit r, in vector registers.
      let b = i64x2.splat(0);
      let p = group + off + <usize>(rr - 1) * stride;
      for (let r = rr - 1; r >= 0; r--) {
        b = i64x2.sub(i64x2.add(b, b), f64x2.gt(v128.load(p), t));
        p -= stride;
      }
      const b0 = i64x2.extract_lane(b, 0);
      const b1 = i64x2.extract_lane(b, 1);
      store<u64>(bitsPtr + <usize>j * wStride + wordOff, b0);
      store<u64>(bitsPtr + <usize>(j + 1) * wStride + wordOff, b1);
    }
    if (j < d) {
      const off = <usize>j << 3;
      const t = load<f64>(tPtr + off);
      let b: u64 = 0;
      let p = group + off;
      for (let r = 0; r < rr; r++) {
        b |= <u64>(load<f64>(p) > t) << <u64>r;
        p += stride;
      }
      store<u64>(bitsPtr + <usize>j * wStride + wordOff, b);
    }
  }
  popcountPairs(bitsPtr, words, d, countsPtr, 0, d);
}

/**
 * counts[(i - lo) * d + j] += popcount(bits[i] AND bits[j]) over `words` words, for the rows
 * lo <= i < hi and i <= j; four j at a time.
 */
export function popcountPairs(bitsPtr: usize, words: i32, d: i32, countsPtr: usize, lo: i32, hi: i32): void {
  const wStride = <usize>words << 3;
  const wBytes = <usize>words << 3;
  for (let i = lo; i < hi; i++) {
    const a = bitsPtr + <usize>i * wStride;
    const row = countsPtr + (<usize>(i - lo) * <usize>d << 3);
    let j = i;
    for (; j + 3 < d; j += 4) {
      const b = bitsPtr + <usize>j * wStride;
      let s0: u64 = 0, s1: u64 = 0, s2: u64 = 0, s3: u64 = 0;
      for (let off: usize = 0; off < wBytes; off += 8) {
        const x = load<u64>(a + off);
        s0 += popcnt<u64>(x & load<u64>(b + off));
        s1 += popcnt<u64>(x & load<u64>(b + wStride + off));
        s2 += popcnt<u64>(x & load<u64>(b + 2 * wStride + off));
        s3 += popcnt<u64>(x & load<u64>(b + 3 * wStride + off));
      }
      const cp = row + (<usize>j << 3);
      store<f64>(cp, load<f64>(cp) + <f64>s0);
      store<f64>(cp, load<f64>(cp, 8) + <f64>s1, 8);
      store<f64>(cp, load<f64>(cp, 16) + <f64>s2, 16);
      store<f64>(cp, load<f64>(cp, 24) + <f64>s3, 24);
    }
    for (; j < d; j++) {
      const b = bitsPtr + <usize>j * wStride;
      let s: u64 = 0;
      for (let off: usize = 0; off < wBytes; off += 8) s += popcnt<u64>(load<u64>(a + off) & load<u64>(b + off));
      const cp = row + (<usize>j << 3);
      store<f64>(cp, load<f64>(cp) + <f64>s);
    }
  }
}
