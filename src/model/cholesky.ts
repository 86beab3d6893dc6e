// Cholesky factors of a symmetric positive definite matrix with its rows and columns taken in
// a given order. Ordered [S, C], the factor of Sigma holds everything the density of a
// rectified Gaussian on the face {x_S > 0, x_C = 0} needs (see tv.ts): L_SS factors
// Sigma_SS, L_CS L_SS^-1 is the regression of Y_C on Y_S, and L_CC factors the conditional
// covariance Sigma_CC - Sigma_CS Sigma_SS^-1 Sigma_SC.

/**
 * The lower triangular L (d x d, row-major; the upper part is left as zeros) with
 * L L^T = Sigma[order, order], written into `out`. Throws a RangeError naming `name` if a
 * pivot is not positive (Sigma not positive definite to working precision).
 */
export function orderedCholesky(name: string, sigma: Float64Array, d: number, order: ArrayLike<number>, out: Float64Array): Float64Array {
  for (let i = 0; i < d; i++) {
    const oi = order[i] * d;
    for (let j = 0; j <= i; j++) out[i * d + j] = sigma[oi + order[j]];
    for (let j = i + 1; j < d; j++) out[i * d + j] = 0;
  }
  for (let j = 0; j < d; j++) {
    const rj = j * d;
    let s = out[rj + j];
    for (let l = 0; l < j; l++) s -= out[rj + l] * out[rj + l];
    if (!(s > 0)) throw new RangeError(`${name} covariance is not positive definite (pivot ${s} at ${j})`);
    const ljj = Math.sqrt(s);
    out[rj + j] = ljj;
    for (let i = j + 1; i < d; i++) {
      const ri = i * d;
      let t = out[ri + j];
      for (let l = 0; l < j; l++) t -= out[ri + l] * out[rj + l];
      out[ri + j] = t / ljj;
    }
  }
  return out;
}
