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

/**
 * Root of g on [lo, hi] with g(lo) > 0 > g(hi), by the Illinois variant of regula falsi
 * (Dowell & Jarratt, BIT 11, 1971), superlinear on smooth roots, safeguarded by bisection:
 * whenever three steps have not halved the bracket (a score of 1e18 at one end can pin
 * regula falsi to that end) the next step bisects. The bracket always holds the root, so
 * at most ~60 bisections reach the resolution of doubles.
 */
export function illinois(g: (x: number) => number, lo: number, hi: number, glo: number, ghi: number): Solution {
  let side = 0;
  let widthBefore = hi - lo;
  for (let it = 1; it <= 200; it++) {
    let x = (lo * ghi - hi * glo) / (ghi - glo);
    if (it % 3 === 0) {
      if (hi - lo > 0.5 * widthBefore) x = 0.5 * (lo + hi);
      widthBefore = hi - lo;
    }
    if (!(x > lo && x < hi)) x = 0.5 * (lo + hi);
    const gx = g(x);
    if (gx === 0 || hi - lo <= 4e-16 * Math.max(1, Math.abs(x))) return { x, converged: true, iterations: it };
    if (gx > 0) {
      lo = x;
      glo = gx;
      if (side === -1) ghi *= 0.5;
      side = -1;
    } else {
      hi = x;
      ghi = gx;
      if (side === 1) glo *= 0.5;
      side = 1;
    }
  }
  return { x: 0.5 * (lo + hi), converged: false, iterations: 200 };
}

/**
 * Maximum of a smooth f on [lo, hi] from its derivative `score`: the score's sign on a grid
 * of `grid` points brackets every local maximum (a + to - change) and the ends; each is
 * solved by illinois() and the candidate with the largest f wins. Solving the score
 * rather than comparing values of f pins the maximum to ~1e-15 instead of ~sqrt(eps).
 */
export function maximizeByScore(f: (x: number) => number, score: (x: number) => number, lo: number, hi: number, grid = 9): Solution {
  const xs: number[] = [];
  const gs: number[] = [];
  for (let k = 0; k < grid; k++) {
    const x = k === grid - 1 ? hi : lo + ((hi - lo) * k) / (grid - 1);
    xs.push(x);
    gs.push(score(x));
  }
  const candidates: Solution[] = [];
  if (gs[0] <= 0) candidates.push({ x: lo, converged: true, iterations: 0 });
  if (gs[grid - 1] >= 0) candidates.push({ x: hi, converged: true, iterations: 0 });
  for (let k = 0; k + 1 < grid; k++) {
    if (gs[k] > 0 && gs[k + 1] <= 0) {
      candidates.push(gs[k + 1] === 0 ? { x: xs[k + 1], converged: true, iterations: 0 } : illinois(score, xs[k], xs[k + 1], gs[k], gs[k + 1]));
    }
  }
  let best = candidates[0];
  let bestF = f(best.x);
  for (let c = 1; c < candidates.length; c++) {
    const v = f(candidates[c].x);
    if (v > bestF) {
      best = candidates[c];
      bestF = v;
    }
  }
  return best;
}

/** A function value and its first three derivatives, filled in by the caller's evaluate(). */
export interface Derivatives {
  g: number;
  g1: number;
  g2: number;
  /** NaN if not available: then only the bracket and the spacing of doubles stop the iteration. */
  g3: number;
}

/**
 * Root of g on [lo, hi] when g is known to change sign at most once there, from + to -
 * (the caller's guarantee): an end is returned when g <= 0 at lo or g >= 0 at hi.
 *
 * A safeguarded Halley iteration started at x0. Halley's step from g, g', g'' is
 * N / (1 + a), N = -g / g' (Newton's step), a = N c2, c_k = g^(k) / (k! g'); its error is
 * e' = (c2^2 - c3) e^3 + O(e^4) (E. Halley 1694; the error constant as in J. F. Traub,
 * "Iterative Methods for the Solution of Equations", Prentice-Hall 1964; Newton's is c2 e^2).
 * Safeguards as in rtsafe (W. H. Press et al., "Numerical Recipes", 3rd ed., 2007, Sec. 9.4):
 * each evaluation narrows a bracket [lo, hi] known to hold the root (the single sign change
 * says on which side of x it lies); a step that leaves the bracket, points the wrong way
 * (g' >= 0), or is not half the step before last is replaced by a bisection, or by an
 * evaluation of the end the root lies towards when that end has not been evaluated (a
 * maximum at the end is then found in one step). Newton's step is taken when |a| > 1/2.
 *
 * Stops, without another evaluation, when the error left after the step,
 * 4 |c2^2 - c3| |dx|^3, is below `tol` in the asymptotic range (|a| <= 1e-2 and
 * |c3| dx^2 <= 1e-2, so the O(e^4) rest is below 1e-2 of the estimate; never when g3 is NaN);
 * when the step is below the spacing of doubles at x; or when the bracket is narrower than
 * 4e-16. The default tol = 2^-56 ~ 1.4e-17 is below the spacing of doubles near any root of
 * magnitude > 0.1. `iterations` counts the evaluations after the one at x0, at most
 * `maxIter`.
 */
export function halleySingleSignChange(
  evaluate: (x: number, out: Derivatives) => void,
  lo: number,
  hi: number,
  x0: number,
  out: Derivatives,
  tol = 2 ** -56,
  maxIter = 100,
): Solution {
  let loKnown = false;
  let hiKnown = false;
  let x = x0;
  let step = hi - lo;
  let stepBefore = hi - lo;
  evaluate(x, out);
  for (let it = 0; ; it++) {
    const g = out.g;
    if (g === 0) return { x, converged: true, iterations: it };
    if (g > 0) {
      if (x === hi) return { x, converged: true, iterations: it }; // g >= 0 at hi: the maximum is at hi
      lo = x;
      loKnown = true;
    } else {
      if (x === lo) return { x, converged: true, iterations: it };
      hi = x;
      hiKnown = true;
    }
    if (hi - lo <= 4e-16) return { x, converged: true, iterations: it };
    if (it === maxIter) return { x, converged: false, iterations: it };
    let dx = Number.NaN;
    let err = Infinity;
    const g1 = out.g1;
    if (g1 < 0 && g1 > -Infinity) {
      const n = -g / g1;
      const c2 = out.g2 / (2 * g1);
      const a = n * c2;
      dx = Math.abs(a) <= 0.5 ? n / (1 + a) : n;
      const c3 = out.g3 / (6 * g1);
      // Only in the asymptotic range (and NaN, i.e. no stop, when g3 is not available or not finite).
      if (Math.abs(a) <= 1e-2 && Math.abs(c3 * dx * dx) <= 1e-2) err = 4 * Math.abs(c2 * c2 - c3) * Math.abs(dx * dx * dx);
    }
    let xn = x + dx;
    const inside = (xn > lo && xn < hi) || xn === x;
    // A step below the spacing of doubles at x is convergence too.
    if (xn === x || (inside && err <= tol)) return { x: xn, converged: true, iterations: it };
    if (!(inside && Math.abs(dx) <= 0.5 * Math.abs(stepBefore))) {
      if (g > 0 && !hiKnown) xn = hi;
      else if (g < 0 && !loKnown) xn = lo;
      else xn = 0.5 * (lo + hi);
    }
    stepBefore = step;
    step = xn - x;
    x = xn;
    evaluate(x, out);
  }
}
