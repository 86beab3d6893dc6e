// Cholesky factorisation A = L L^T (assembly/cholesky.ts), the outer-product algorithm of
// Golub & Van Loan, Matrix Computations, 4th ed., Sec. 4.2 (Algorithm 4.2.2), on the upper
// triangle of a row-major matrix: U = L^T row by row, each entry subtracting its products
// U_ki U_kj in ascending k and then divided by U_ii (square-rooted on the diagonal). The Wasm
// kernel's blocks only reorder which entries are updated when, so this unblocked loop is it
// bit for bit.

/**
 * Factorises the symmetric d x d row-major `a` in place (its upper triangle is read): on
 * success a holds L, lower triangular with zeros above the diagonal, and the result is -1;
 * otherwise the index of the first pivot that is not > 0 (a is then partly overwritten).
 */
export function choleskyTwin(a: Float64Array, d: number): number {
  for (let k = 0; k < d; k++) {
    const p = a[k * d + k];
    if (!(p > 0)) return k;
    const u = Math.sqrt(p);
    a[k * d + k] = u;
    for (let j = k + 1; j < d; j++) a[k * d + j] /= u;
    for (let i = k + 1; i < d; i++) {
      const s = a[k * d + i];
      for (let j = i; j < d; j++) a[i * d + j] -= s * a[k * d + j];
    }
  }
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < i; j++) {
      a[i * d + j] = a[j * d + i];
      a[j * d + i] = 0;
    }
  }
  return -1;
}
