// Exact draws of Z ~ N(0, 1) conditioned on Z > alpha, by the cheapest exact rejection
// scheme for each alpha:
//   alpha < 0      plain normal rejection (acceptance Phi(-alpha) >= 1/2);
//   0 <= alpha < 1 half-normal rejection, |Z| > alpha (acceptance 2 Phi(-alpha) >= 0.32);
//   alpha >= 1     Robert's translated-exponential proposal with the optimal rate
//                  lambda = (alpha + sqrt(alpha^2 + 4)) / 2, accepted with probability
//                  exp(-(z - lambda)^2 / 2) (acceptance >= 0.87).
// C. P. Robert, "Simulation of truncated normal variables", Statistics and Computing 5
// (1995) 121-125, Sec. 2.1 and Proposition 2.3; the half-normal switch follows
// N. Chopin, "Fast simulation of truncated Gaussian distributions", Stat. Comput. 21 (2011).
// sgd.ts's drawSums runs the two schemes for alpha < 1 inline, draw for draw (without a
// branch per decision): a change to them here must be made there too.

import { uniformOpen, loadState, storeState } from "./rng";
import { normal } from "./normal";

export function truncNormal(alpha: f64): f64 {
  let z: f64;
  if (alpha < 0.0) {
    do z = normal(); while (z <= alpha);
    return z;
  }
  if (alpha < 1.0) {
    do z = Math.abs(normal()); while (z <= alpha);
    return z;
  }
  const lambda = 0.5 * (alpha + Math.sqrt(alpha * alpha + 4.0));
  while (true) {
    z = alpha - Math.log(uniformOpen()) / lambda;
    const e = z - lambda;
    if (uniformOpen() <= Math.exp(-0.5 * e * e)) return z;
  }
}

/** Fill out[0..count) with draws of N(0, 1) | Z > alpha from the stream at statePtr. */
export function fillTruncNormal(statePtr: usize, outPtr: usize, count: i32, alpha: f64): void {
  loadState(statePtr);
  for (let i = 0; i < count; i++) store<f64>(outPtr + (<usize>i << 3), truncNormal(alpha));
  storeState(statePtr);
}
