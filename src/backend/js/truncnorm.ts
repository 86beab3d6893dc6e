// Exact draws of N(0, 1) | Z > alpha (assembly/truncnorm.ts), by the cheapest exact rejection
// scheme for each alpha: plain normal rejection for alpha < 0, half-normal rejection for
// 0 <= alpha < 1, and for alpha >= 1 Robert's translated exponential with the optimal rate
// (C. P. Robert, "Simulation of truncated normal variables", Stat. Comput. 5 (1995),
// Sec. 2.1 and Proposition 2.3).
import { normal } from './ziggurat.js';
import type { Xoroshiro128Plus } from './rng.js';
import { exp, log } from '../../numerics/math.js';

export function truncNormal(g: Xoroshiro128Plus, alpha: number): number {
  if (alpha < 0) {
    for (;;) {
      const z = normal(g);
      if (z > alpha) return z;
    }
  }
  if (alpha < 1) {
    for (;;) {
      const z = Math.abs(normal(g));
      if (z > alpha) return z;
    }
  }
  // proposal alpha + Exp(lambda), accepted with probability exp(-(z - lambda)^2 / 2)
  const lambda = 0.5 * (alpha + Math.sqrt(alpha * alpha + 4));
  for (;;) {
    const z = alpha - log(g.uniformOpen()) / lambda;
    if (g.uniformOpen() <= exp(-0.5 * (z - lambda) * (z - lambda))) return z;
  }
}
