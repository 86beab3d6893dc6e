// Symmetric eigendecomposition (assembly/eigen.ts): Householder tridiagonalisation with the
// transformations accumulated (tred2, Martin, Reinsch & Wilkinson 1968, Numer. Math. 11) and
// implicit QL with the rotations applied to the vectors (tql2, Bowdler, Martin, Reinsch &
// Wilkinson 1968, Numer. Math. 11); Handbook for Automatic Computation vol. II, II/2 and
// II/3. JAMA's translation as ml-matrix has it (V stored transposed: row j is vector j), on
// flat row-major storage. The two inner products of tred2 add in the Wasm kernel's lane order
// (laneDot below); everything else is JAMA's sequence of operations.

/** QL sweeps allowed per eigenvalue (EISPACK tql2; assembly/eigen.ts EIGEN_MAX_SWEEPS). */
export const EIGEN_MAX_SWEEPS = 30;

/**
 * sum x[xo + k] y[yo + k] over k in [0, len) in four lanes (k = 4m + l in lane l), then
 * (lane 0 + lane 2) + (lane 1 + lane 3), then the remaining terms one by one, the first two
 * of two or three in lanes 0 and 1: the kernel's f64x2 order.
 */
export function laneDot(x: Float64Array, xo: number, y: Float64Array, yo: number, len: number): number {
  let a0 = 0;
  let a1 = 0;
  let b0 = 0;
  let b1 = 0;
  let k = 0;
  for (; k + 4 <= len; k += 4) {
    a0 += x[xo + k] * y[yo + k];
    a1 += x[xo + k + 1] * y[yo + k + 1];
    b0 += x[xo + k + 2] * y[yo + k + 2];
    b1 += x[xo + k + 3] * y[yo + k + 3];
  }
  if (k + 2 <= len) {
    a0 += x[xo + k] * y[yo + k];
    a1 += x[xo + k + 1] * y[yo + k + 1];
    k += 2;
  }
  let s = a0 + b0 + (a1 + b1);
  for (; k < len; k++) s += x[xo + k] * y[yo + k];
  return s;
}

/** sqrt(a^2 + b^2) without overflow (ml-matrix's hypotenuse). */
function hypot(a: number, b: number): number {
  if (Math.abs(a) > Math.abs(b)) {
    const r = b / a;
    return Math.abs(a) * Math.sqrt(1 + r * r);
  }
  if (b !== 0) {
    const r = a / b;
    return Math.abs(b) * Math.sqrt(1 + r * r);
  }
  return 0;
}

/** Householder reduction of V (upper triangle read) to tridiagonal d, e; V becomes the transformation, transposed. */
function tred2(V: Float64Array, n: number, d: Float64Array, e: Float64Array): void {
  for (let j = 0; j < n; j++) d[j] = V[j * n + n - 1];

  for (let i = n - 1; i > 0; i--) {
    let scale = 0;
    let h = 0;
    for (let k = 0; k < i; k++) scale = scale + Math.abs(d[k]);
    if (scale === 0) {
      e[i] = d[i - 1];
      for (let j = 0; j < i; j++) {
        d[j] = V[j * n + i - 1];
        V[j * n + i] = 0;
        V[i * n + j] = 0;
      }
    } else {
      for (let k = 0; k < i; k++) {
        d[k] /= scale;
        h += d[k] * d[k];
      }
      let f = d[i - 1];
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      e[i] = scale * g;
      h = h - f * g;
      d[i - 1] = f - g;
      e.fill(0, 0, i);

      for (let j = 0; j < i; j++) {
        f = d[j];
        V[i * n + j] = f;
        g = e[j] + V[j * n + j] * f;
        // the kernel's symv: the product in dot's order, and e[k] += V[j][k] f elementwise
        g += laneDot(V, j * n + j + 1, d, j + 1, i - 1 - j);
        for (let k = j + 1; k < i; k++) e[k] += V[j * n + k] * f;
        e[j] = g;
      }

      f = 0;
      for (let j = 0; j < i; j++) {
        e[j] /= h;
        f += e[j] * d[j];
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j] -= hh * d[j];

      for (let j = 0; j < i; j++) {
        f = d[j];
        g = e[j];
        for (let k = j; k < i; k++) V[j * n + k] -= f * e[k] + g * d[k];
        d[j] = V[j * n + i - 1];
        V[j * n + i] = 0;
      }
    }
    d[i] = h;
  }

  for (let i = 0; i < n - 1; i++) {
    V[i * n + n - 1] = V[i * n + i];
    V[i * n + i] = 1;
    const h = d[i + 1];
    const u = (i + 1) * n;
    if (h !== 0) {
      for (let k = 0; k <= i; k++) d[k] = V[u + k] / h;
      for (let j = 0; j <= i; j++) {
        const g = laneDot(V, u, V, j * n, i + 1);
        for (let k = 0; k <= i; k++) V[j * n + k] -= g * d[k];
      }
    }
    V.fill(0, u, u + i + 1);
  }

  for (let j = 0; j < n; j++) {
    d[j] = V[j * n + n - 1];
    V[j * n + n - 1] = 0;
  }
  V[n * n - 1] = 1;
  e[0] = 0;
}

/**
 * Implicit QL on the tridiagonal d (diagonal), e (e[i] couples i - 1 and i), rotating the
 * rows of V (n x n row-major), then the eigenvalues d ascending with their rows. Returns 0,
 * or l + 1 when eigenvalue l took more than EIGEN_MAX_SWEEPS sweeps.
 */
export function tql2(V: Float64Array, n: number, d: Float64Array, e: Float64Array): number {
  for (let i = 1; i < n; i++) e[i - 1] = e[i];
  e[n - 1] = 0;

  let f = 0;
  let tst1 = 0;
  const eps = Number.EPSILON;

  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
    let m = l;
    while (m < n - 1 && !(Math.abs(e[m]) <= eps * tst1)) m++;

    if (m > l) {
      let sweeps = 0;
      do {
        if (++sweeps > EIGEN_MAX_SWEEPS) return l + 1;
        let g = d[l];
        let p = (d[l + 1] - g) / (2 * e[l]);
        let r = hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l] / (p + r);
        d[l + 1] = e[l] * (p + r);
        const dl1 = d[l + 1];
        let h = g - d[l];
        for (let i = l + 2; i < n; i++) d[i] -= h;
        f = f + h;

        p = d[m];
        let c = 1;
        let c2 = c;
        let c3 = c;
        const el1 = e[l + 1];
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i];
          h = c * p;
          r = hypot(p, e[i]);
          e[i + 1] = s * r;
          s = e[i] / r;
          c = p / r;
          p = c * d[i] - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]);
          for (let k = 0; k < n; k++) {
            const hk = V[(i + 1) * n + k];
            const xk = V[i * n + k];
            V[(i + 1) * n + k] = s * xk + c * hk;
            V[i * n + k] = c * xk - s * hk;
          }
        }
        p = (-s * s2 * c3 * el1 * e[l]) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]) > eps * tst1);
    }
    d[l] = d[l] + f;
    e[l] = 0;
  }

  for (let i = 0; i < n - 1; i++) {
    let k = i;
    let p = d[i];
    for (let j = i + 1; j < n; j++) {
      if (d[j] < p) {
        k = j;
        p = d[j];
      }
    }
    if (k !== i) {
      d[k] = d[i];
      d[i] = p;
      const row = V.slice(i * n, i * n + n);
      V.copyWithin(i * n, k * n, k * n + n);
      V.set(row, k * n);
    }
  }
  return 0;
}

/**
 * Eigendecomposition of the symmetric n x n row-major `a` in place (its upper triangle is
 * read): row j of a becomes a unit eigenvector for values[j], values ascending. Returns 0, or
 * l + 1 when the QL iteration did not converge on eigenvalue l.
 */
export function symmetricEigenTwin(a: Float64Array, n: number, values: Float64Array): number {
  if (n <= 0) return 0;
  const e = new Float64Array(n);
  tred2(a, n, values, e);
  return tql2(a, n, values, e);
}
