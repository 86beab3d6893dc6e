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
