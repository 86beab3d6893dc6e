// Step 1 of Wu, Dimakis & Sanghavi (NeurIPS 2019), Sec. 3.1 / Algorithm 1: projected SGD
// on the negative log-likelihood of a truncated normal (Daskalakis, Gouleakis, Tzamos &
// Zampetakis, "Efficient statistics, in high dimensions, from truncated samples", FOCS
// 2018), as the authors' reference (projSGD.m, NormBiasEst.m) runs it: positives of
// coordinate i standardised by their own mean mu0 and sd s0; natural parameters
// v = (1/s^2, m/s^2) from (1, 0); batches of `bs` values in data order; step 1/(lam t);
// gradient [0.5 mean(x^2) - 0.5 mean(z^2); mean(z) - mean(x)] with z drawn from the
// current truncated normal (truncation at the standardised zero, thres = -mu0/s0);
// projection onto [1/r, r] x [-r, r]; the caller averages the iterates.
//
// The kernel streams row chunks: each coordinate keeps its partial batch and its own
// generator stream in `state`, so the result does not depend on how rows are chunked,
// and coordinates lo .. hi - 1 can run apart from the rest (one range per worker) with
// the same bits.
// State layout (f64 arrays of length d, in this order), then 2 x u64 per coordinate:
//   mu0, s0, thres, v1, v2, sumV1, sumV2, batches, count, sumX, sumX2 | rng[d][2]

import { loadState, storeState } from "./rng";
import { truncNormal } from "./truncnorm";

export const SGD_FIELDS = 11;

export function sgdChunk(
  xPtr: usize, rows: i32, d: i32, statePtr: usize, bs: i32, lam: f64, radius: f64, lo: i32, hi: i32,
): void {
  const stride = <usize>d << 3;
  const mu0P = statePtr;
  const s0P = mu0P + stride;
  const thP = s0P + stride;
  const v1P = thP + stride;
  const v2P = v1P + stride;
  const a1P = v2P + stride;
  const a2P = a1P + stride;
  const tP = a2P + stride;
  const cP = tP + stride;
  const sxP = cP + stride;
  const sxxP = sxP + stride;
  const rngP = sxxP + stride;
  const bsF = <f64>bs;
  const lo1 = 1.0 / radius;
  for (let r = 0; r < rows; r++) {
    const row = xPtr + <usize>r * stride;
    for (let i = lo; i < hi; i++) {
      const off = <usize>i << 3;
      const x = load<f64>(row + off);
      if (!(x > 0.0)) continue;
      const xs = (x - load<f64>(mu0P + off)) / load<f64>(s0P + off);
      let sx = load<f64>(sxP + off) + xs;
      let sxx = load<f64>(sxxP + off) + xs * xs;
      const c = load<f64>(cP + off) + 1.0;
      if (c < bsF) {
        store<f64>(sxP + off, sx);
        store<f64>(sxxP + off, sxx);
        store<f64>(cP + off, c);
        continue;
      }
      // a full batch: one projected gradient step
      const t = load<f64>(tP + off) + 1.0;
      let v1 = load<f64>(v1P + off);
      let v2 = load<f64>(v2P + off);
      const mu = v2 / v1;
      const sig = Math.sqrt(1.0 / v1);
      const alpha = (load<f64>(thP + off) - mu) / sig;
      const rp = rngP + (<usize>i << 4);
      loadState(rp);
      let sz: f64 = 0.0;
      let szz: f64 = 0.0;
      for (let k = 0; k < bs; k++) {
        const z = mu + sig * truncNormal(alpha);
        sz += z;
        szz += z * z;
      }
      storeState(rp);
      const g1 = 0.5 * (sxx / bsF) - 0.5 * (szz / bsF);
      const g2 = sz / bsF - sx / bsF;
      const step = 1.0 / (lam * t);
      v1 = Math.min(Math.max(v1 - step * g1, lo1), radius);
      v2 = Math.min(Math.max(v2 - step * g2, -radius), radius);
      store<f64>(v1P + off, v1);
      store<f64>(v2P + off, v2);
      store<f64>(a1P + off, load<f64>(a1P + off) + v1);
      store<f64>(a2P + off, load<f64>(a2P + off) + v2);
      store<f64>(tP + off, t);
      store<f64>(cP + off, 0.0);
      store<f64>(sxP + off, 0.0);
      store<f64>(sxxP + off, 0.0);
    }
  }
}
