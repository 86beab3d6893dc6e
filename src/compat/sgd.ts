// projSGD.m (Wu, Dimakis & Sanghavi 2019, Sec. 3.1; Daskalakis et al. 2018) on the kernel
// API's generator: one pass over the samples in batches of 10, each step drawing its ten
// truncated normals from one stream. Every operation is the one assembly/sgd.ts (and its
// twin src/backend/js/sgd.ts) performs, in the same order, so the result has the bits of the
// package's Step 1 for a coordinate whose standardised positives are `samples`.
import type { RandomStream } from '../kernels/types.js';
import { PAPER_SGD } from '../estimators/paper.js';

/** The averaged iterate v_bar = (mean of v1, mean of v2) of projected SGD on standardised samples. */
export function projectedSgd(samples: Float64Array, thres: number, rng: RandomStream): Float64Array {
  const { batch, lambda, radius } = PAPER_SGD;
  const batches = Math.floor(samples.length / batch);
  const z = new Float64Array(batch);
  const lo = 1 / radius;
  let v1 = 1;
  let v2 = 0;
  let sumV1 = 0;
  let sumV2 = 0;
  for (let t = 1; t <= batches; t++) {
    let sx = 0;
    let sxx = 0;
    for (let k = (t - 1) * batch; k < t * batch; k++) {
      const x = samples[k];
      sx += x;
      sxx += x * x;
    }
    // z = sampleTrunGauss(mu, sigma2, thres, batch_size) with mu = v2 / v1, sigma2 = 1 / v1
    const mu = v2 / v1;
    const sig = Math.sqrt(1 / v1);
    rng.truncNormalsInto(z, (thres - mu) / sig);
    let sz = 0;
    let szz = 0;
    for (let k = 0; k < batch; k++) {
      const zk = mu + sig * z[k];
      sz += zk;
      szz += zk * zk;
    }
    const g1 = 0.5 * (sxx / batch) - 0.5 * (szz / batch);
    const g2 = sz / batch - sx / batch;
    const step = 1 / (lambda * t);
    v1 = Math.min(Math.max(v1 - step * g1, lo), radius);
    v2 = Math.min(Math.max(v2 - step * g2, -radius), radius);
    sumV1 += v1;
    sumV2 += v2;
  }
  return Float64Array.of(sumV1 / batches, sumV2 / batches);
}
