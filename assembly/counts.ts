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
  memory.fill(bitsPtr, 0, <usize>d * wStride);
  const stride = <usize>d << 3;
  for (let r = 0; r < rows; r++) {
    const row = xPtr + <usize>r * stride;
    const wordOff = <usize>(r >> 6) << 3;
    const shift = <u64>(r & 63);
    let col = bitsPtr + wordOff;
    for (let j = 0; j < d; j++) {
      const off = <usize>j << 3;
      const bit = <u64>(load<f64>(row + off) > load<f64>(tPtr + off));
      store<u64>(col, load<u64>(col) | (bit << shift));
      col += wStride;
    }
  }
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
