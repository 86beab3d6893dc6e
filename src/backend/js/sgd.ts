// Step 1 of Wu, Dimakis & Sanghavi (NeurIPS 2019), Sec. 3.1 (assembly/sgd.ts), as the
// authors' projSGD.m runs it: per coordinate, the positives standardised by (mu0, s0),
// batches of `batch` in data order, natural parameters v = (1/s^2, m/s^2) from (1, 0),
// gradient [0.5 mean(x^2) - 0.5 mean(z^2); mean(z) - mean(x)] with z from the current
// truncated normal, step 1/(lambda t), projection onto [1/r, r] x [-r, r].
import type { SgdRun, SgdSetup, SgdTotals } from '../contract.js';
import { Xoroshiro128Plus, Xoroshiro128PlusBig } from './rng.js';
import { truncNormal } from './truncnorm.js';

class SgdCoordinate {
  v1 = 1;
  v2 = 0;
  sumV1 = 0;
  sumV2 = 0;
  steps = 0;
  // the partial batch
  count = 0;
  sumX = 0;
  sumX2 = 0;

  constructor(
    private readonly mu0: number,
    private readonly s0: number,
    private readonly thres: number,
    private readonly rng: Xoroshiro128Plus,
    private readonly setup: SgdSetup,
  ) {}

  add(x: number): void {
    if (!(x > 0)) return;
    const xs = (x - this.mu0) / this.s0;
    this.sumX += xs;
    this.sumX2 += xs * xs;
    this.count += 1;
    if (this.count < this.setup.batch) return;
    this.gradientStep();
    this.count = 0;
    this.sumX = 0;
    this.sumX2 = 0;
  }

  private gradientStep(): void {
    const { batch, lambda, radius } = this.setup;
    const t = this.steps + 1;
    // the current truncated normal: N(mu, sig^2) above thres
    const mu = this.v2 / this.v1;
    const sig = Math.sqrt(1 / this.v1);
    const alpha = (this.thres - mu) / sig;
    let sumZ = 0;
    let sumZ2 = 0;
    for (let k = 0; k < batch; k++) {
      const z = mu + sig * truncNormal(this.rng, alpha);
      sumZ += z;
      sumZ2 += z * z;
    }
    const g1 = 0.5 * (this.sumX2 / batch) - 0.5 * (sumZ2 / batch);
    const g2 = sumZ / batch - this.sumX / batch;
    const step = 1 / (lambda * t);
    this.v1 = Math.min(Math.max(this.v1 - step * g1, 1 / radius), radius);
    this.v2 = Math.min(Math.max(this.v2 - step * g2, -radius), radius);
    this.sumV1 += this.v1;
    this.sumV2 += this.v2;
    this.steps = t;
  }
}

/** Step 1 SGD for coordinates lo .. hi - 1 of d; coordinate i draws from stream i of setup.seed. */
export function sgdTwin(d: number, setup: SgdSetup, lo = 0, hi = d): SgdRun {
  let coords: SgdCoordinate[] | undefined = [];
  const start = Xoroshiro128PlusBig.seeded(setup.seed);
  for (let i = 0; i < hi; i++) {
    start.jump(); // now at the start of stream i (jumped i + 1 times)
    if (i >= lo) coords.push(new SgdCoordinate(setup.mu0[i], setup.s0[i], setup.thres[i], new Xoroshiro128Plus(start), setup));
  }
  return {
    push(block, rows) {
      if (coords === undefined) throw new Error('SgdRun used after finish()');
      for (let i = lo; i < hi; i++) {
        const c = coords[i - lo];
        for (let r = 0; r < rows; r++) c.add(block[r * d + i]);
      }
    },
    finish(): SgdTotals {
      if (coords === undefined) throw new Error('SgdRun used after finish()');
      const totals = {
        sumV1: Float64Array.from(coords, (c) => c.sumV1),
        sumV2: Float64Array.from(coords, (c) => c.sumV2),
        batches: Float64Array.from(coords, (c) => c.steps),
      };
      coords = undefined;
      return totals;
    },
  };
}
