// Thresholded pair counting for Step 2 of Wu, Dimakis & Sanghavi 2019 (Sec. 3.2, Eq. (4)):
// N_ij = #{rows : x_i > t_i and x_j > t_j}, from which theta_ij = pi - 2 pi N_ij / n.
// Each column's indicator (x > t, strictly: ties do not count) is bit-packed, 64 rows a
// word, into a scratch bitset; every pair i <= j is then AND + popcount over the words.
// Counts are integers, so chunking never changes them. Adds into counts[i * d + j], i <= j.

export function pairCounts(
  xPtr: usize, rows: i32, d: i32, tPtr: usize, bitsPtr: usize, countsPtr: usize,
): void {
  const words = (rows + 63) >> 6;
  const wStride = <usize>words << 3;
  const stride = <usize>d << 3;
  // Pack: each 64-row group, two columns at a time, the words built in registers.
  for (let w = 0; w < words; w++) {
    const r0 = w << 6;
    const rr = min(64, rows - r0);
    const group = xPtr + <usize>r0 * stride;
    const wordOff = <usize>w << 3;
    let j = 0;
    for (; j + 1 < d; j += 2) {
      const off = <usize>j << 3;
      const t = v128.load(tPtr + off);
      let b0: u64 = 0;
      let b1: u64 = 0;
      let p = group + off;
      for (let r = 0; r < rr; r++) {
        const m = i64x2.bitmask(f64x2.gt(v128.load(p), t));
        b0 |= <u64>(m & 1) << <u64>r;
        b1 |= <u64>(m >> 1) << <u64>r;
        p += stride;
      }
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
  popcountPairs(bitsPtr, words, d, countsPtr);
}

/** counts[i * d + j] += popcount(bits[i] AND bits[j]) over `words` words, i <= j. */
export function popcountPairs(bitsPtr: usize, words: i32, d: i32, countsPtr: usize): void {
  const wStride = <usize>words << 3;
  for (let i = 0; i < d; i++) {
    const a = bitsPtr + <usize>i * wStride;
    for (let j = i; j < d; j++) {
      const b = bitsPtr + <usize>j * wStride;
      let s: u64 = 0;
      for (let w = 0; w < words; w++) {
        const off = <usize>w << 3;
        s += popcnt<u64>(load<u64>(a + off) & load<u64>(b + off));
      }
      const cp = countsPtr + ((<usize>i * <usize>d + <usize>j) << 3);
      store<f64>(cp, load<f64>(cp) + <f64>s);
    }
  }
}
