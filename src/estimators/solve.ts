// Bounded one-dimensional solvers used per coordinate and per pair. Both stop after a fixed
// number of iterations, so no input can make them loop forever, and report convergence.

export interface Solution {
  x: number;
  converged: boolean;
  iterations: number;
}

/**
 * Root of an increasing f on [lo, hi] by bisection; the ends are returned (converged) when
 * the target lies outside [f(lo), f(hi)].
 */
export function bisectIncreasing(f: (x: number) => number, target: number, lo: number, hi: number, tol = 1e-13): Solution {
  if (f(lo) >= target) return { x: lo, converged: true, iterations: 0 };
  if (f(hi) <= target) return { x: hi, converged: true, iterations: 0 };
  for (let it = 1; it <= 200; it++) {
    const mid = 0.5 * (lo + hi);
    if (f(mid) < target) lo = mid;
    else hi = mid;
    if (hi - lo <= tol) return { x: 0.5 * (lo + hi), converged: true, iterations: it };
  }
  return { x: 0.5 * (lo + hi), converged: false, iterations: 200 };
}

const GOLD = 0.3819660112501051; // (3 - sqrt 5) / 2

/**
 * Maximum of f on [lo, hi]: a grid of `grid` points finds the best cell, then Brent's
 * method (golden section with parabolic steps; Brent, "Algorithms for Minimization Without
 * Derivatives", 1973, Ch. 5) refines it inside the two neighbouring cells.
 */
export function maximize(f: (x: number) => number, lo: number, hi: number, grid = 33, tol = 1e-10): Solution {
  let best = 0;
  let bestV = -Infinity;
  const step = (hi - lo) / (grid - 1);
  for (let k = 0; k < grid; k++) {
    const v = f(lo + k * step);
    if (v > bestV) {
      bestV = v;
      best = k;
    }
  }
  let a = lo + Math.max(0, best - 1) * step;
  let b = lo + Math.min(grid - 1, best + 1) * step;
  // Brent's minimisation of -f on [a, b].
  const g = (x: number) => -f(x);
  let x = lo + best * step;
  let w = x;
  let v = x;
  let fx = -bestV;
  let fw = fx;
  let fv = fx;
  let e = 0;
  let dStep = 0;
  for (let it = 1; it <= 100; it++) {
    const m = 0.5 * (a + b);
    const tol1 = tol * Math.abs(x) + 1e-12;
    const tol2 = 2 * tol1;
    if (Math.abs(x - m) <= tol2 - 0.5 * (b - a)) return { x, converged: true, iterations: it };
    let golden = true;
    if (Math.abs(e) > tol1) {
      let r = (x - w) * (fx - fv);
      let q = (x - v) * (fx - fw);
      let p = (x - v) * q - (x - w) * r;
      q = 2 * (q - r);
      if (q > 0) p = -p;
      q = Math.abs(q);
      r = e;
      e = dStep;
      if (Math.abs(p) < Math.abs(0.5 * q * r) && p > q * (a - x) && p < q * (b - x)) {
        dStep = p / q;
        const u = x + dStep;
        if (u - a < tol2 || b - u < tol2) dStep = x < m ? tol1 : -tol1;
        golden = false;
      }
    }
    if (golden) {
      e = x < m ? b - x : a - x;
      dStep = GOLD * e;
    }
    const u = Math.abs(dStep) >= tol1 ? x + dStep : x + (dStep > 0 ? tol1 : -tol1);
    const fu = g(u);
    if (fu <= fx) {
      if (u < x) b = x;
      else a = x;
      v = w; fv = fw;
      w = x; fw = fx;
      x = u; fx = fu;
    } else {
      if (u < x) a = u;
      else b = u;
      if (fu <= fw || w === x) {
        v = w; fv = fw;
        w = u; fw = fu;
      } else if (fu <= fv || v === x || v === w) {
        v = u; fv = fu;
      }
    }
  }
  return { x, converged: false, iterations: 100 };
}
