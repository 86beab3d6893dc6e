// Step 1 of Wu, Dimakis & Sanghavi (NeurIPS 2019), Sec. 3.1 / Algorithm 1: projected SGD
// on the negative log-likelihood of a truncated normal (Daskalakis, Gouleakis, Tzamos &
// Zampetakis, "Efficient statistics, in high dimensions, from truncated samples", FOCS
// 2018), as the authors' reference (projSGD.m, NormBiasEst.m) runs it: positives of
// coordinate i standardised by their own mean mu0 and sd s0; natural parameters
// v = (1/s^2, m/s^2) from (1, 0); batches of `bs` values in data order; step 1/(lam t);
// gradient [0.5 mean(x^2) - 0.5 mean(z^2); mean(z) - mean(x)] with z drawn from the
// current truncated normal (truncation at the standardised zero, thres = -mu0/s0);
// projection onto [1/r, r] x [-r, r]; the caller averages the iterates. The draws are
// truncnorm.ts's exact rejection schemes; those for alpha < 1 run here (drawSums) on the
// same stream with the same decisions, without a branch per accept/reject.
//
// The kernel streams row chunks: each coordinate keeps its partial batch and its own
// generator stream in `state`, so the result does not depend on how rows are chunked,
// and coordinates lo .. hi - 1 can run apart from the rest (one range per worker) with
// the same bits.
//
// The state at statePtr: SGD_FIELDS arrays of d doubles (field f of coordinate i at double
// f * d + i; the SGD_* indices below), then d generator states of RNG_STATE_BYTES each. The
// host lays it out from these exported constants (src/wasm/abi.ts), so they are the ABI.

import { s0, s1, loadState, storeState, setState, TWO_M52, RNG_STATE_BYTES } from "./rng";
import { zigguratX, normalAfterMiss } from "./normal";
import { truncNormal } from "./truncnorm";

/** Inputs: the positives' mean and sd, and the standardised truncation point -mu0 / s0. */
export const SGD_MU0: i32 = 0;
export const SGD_S0: i32 = 1;
export const SGD_THRES: i32 = 2;
/** The iterate v = (1/s^2, m/s^2); the host starts it at (1, 0). */
export const SGD_V1: i32 = 3;
export const SGD_V2: i32 = 4;
/** Outputs: the sums of the iterates and the number of steps (batches). */
export const SGD_SUM_V1: i32 = 5;
export const SGD_SUM_V2: i32 = 6;
export const SGD_BATCHES: i32 = 7;
/** The partial batch: its number of values and the sums of its standardised values and squares. */
export const SGD_COUNT: i32 = 8;
export const SGD_SUM_X: i32 = 9;
export const SGD_SUM_X2: i32 = 10;
export const SGD_FIELDS: i32 = 11;

/** Rows per tile: each coordinate's values of a tile are picked out (positives only) in one go. */
const TILE = 256;
/** The positives of one coordinate in one tile. */
const POSITIVES: usize = memory.data(TILE * 8, 16);

export function sgdChunk(
  xPtr: usize, rows: i32, d: i32, statePtr: usize, bs: i32, lam: f64, radius: f64, lo: i32, hi: i32,
): void {
  const stride = <usize>d << 3;
  // Rows in tiles, coordinates within a tile: each coordinate's state is read and written once
  // a tile, not once a value, and the tile (TILE rows) stays in cache while every column of it
  // is read. Each coordinate still takes its values in row order, so the bits do not change.
  for (let r0 = 0; r0 < rows; r0 += TILE) {
    const tr = min(TILE, rows - r0);
    const tile = xPtr + <usize>r0 * stride;
    for (let i = lo; i < hi; i++) {
      // the positives, without a branch per value (about half of them are zeros)
      let p = tile + (<usize>i << 3);
      let k: usize = 0;
      for (let r = 0; r < tr; r++) {
        const x = load<f64>(p);
        store<f64>(POSITIVES + (k << 3), x);
        k += <usize>(x > 0.0);
        p += stride;
      }
      if (k != 0) coordinate(statePtr, d, i, k, bs, lam, radius);
    }
  }
}

/** Coordinate i takes the k values at POSITIVES, in order: batch sums, a gradient step per full batch. */
function coordinate(statePtr: usize, d: i32, i: i32, k: usize, bs: i32, lam: f64, radius: f64): void {
  const stride = <usize>d << 3;
  const at = statePtr + (<usize>i << 3);
  const mu0P = at + <usize>SGD_MU0 * stride;
  const s0P = at + <usize>SGD_S0 * stride;
  const thP = at + <usize>SGD_THRES * stride;
  const v1P = at + <usize>SGD_V1 * stride;
  const v2P = at + <usize>SGD_V2 * stride;
  const a1P = at + <usize>SGD_SUM_V1 * stride;
  const a2P = at + <usize>SGD_SUM_V2 * stride;
  const tP = at + <usize>SGD_BATCHES * stride;
  const cP = at + <usize>SGD_COUNT * stride;
  const sxP = at + <usize>SGD_SUM_X * stride;
  const sxxP = at + <usize>SGD_SUM_X2 * stride;
  const rp = statePtr + <usize>SGD_FIELDS * stride + <usize>i * <usize>RNG_STATE_BYTES;
  const mu0 = load<f64>(mu0P);
  const sd0 = load<f64>(s0P);
  const bsF = <f64>bs;
  const lo1 = 1.0 / radius;
  let sx = load<f64>(sxP);
  let sxx = load<f64>(sxxP);
  let c = <i32>load<f64>(cP); // values in the partial batch: an integer, so exact as f64
  loadState(rp);
  let q: usize = 0;
  while (q < k) {
    // the values that fill the batch (or end the list), without a call in the loop (a call
    // would make the engine keep the sums in memory)
    const end = min(k, q + <usize>max(1, bs - c));
    c += <i32>(end - q);
    for (; q < end; q++) {
      const xs = (load<f64>(POSITIVES + (q << 3)) - mu0) / sd0;
      sx += xs;
      sxx += xs * xs;
    }
    if (c < bs) break;
    // a full batch: one projected gradient step
    const t = load<f64>(tP) + 1.0;
    let v1 = load<f64>(v1P);
    let v2 = load<f64>(v2P);
    const mu = v2 / v1;
    const sig = Math.sqrt(1.0 / v1);
    const alpha = (load<f64>(thP) - mu) / sig;
    let sz: f64 = 0.0;
    let szz: f64 = 0.0;
    // drawSums is called from two places so that it is not inlined here: inside this
    // function's larger loop the engine would keep its loop's values in memory
    if (alpha < 0.0) {
      const sums = drawSums(bs, alpha, mu, sig, KEEP_SIGN);
      sz = f64x2.extract_lane(sums, 0);
      szz = f64x2.extract_lane(sums, 1);
    } else if (alpha < 1.0) {
      const sums = drawSums(bs, alpha, mu, sig, DROP_SIGN);
      sz = f64x2.extract_lane(sums, 0);
      szz = f64x2.extract_lane(sums, 1);
    } else {
      for (let b = 0; b < bs; b++) {
        const z = mu + sig * truncNormal(alpha);
        sz += z;
        szz += z * z;
      }
    }
    const g1 = 0.5 * (sxx / bsF) - 0.5 * (szz / bsF);
    const g2 = sz / bsF - sx / bsF;
    const step = 1.0 / (lam * t);
    v1 = Math.min(Math.max(v1 - step * g1, lo1), radius);
    v2 = Math.min(Math.max(v2 - step * g2, -radius), radius);
    store<f64>(v1P, v1);
    store<f64>(v2P, v2);
    store<f64>(a1P, load<f64>(a1P) + v1);
    store<f64>(a2P, load<f64>(a2P) + v2);
    store<f64>(tP, t);
    c = 0;
    sx = 0.0;
    sxx = 0.0;
  }
  storeState(rp);
  store<f64>(sxP, sx);
  store<f64>(sxxP, sxx);
  store<f64>(cP, <f64>c);
}

/** drawSums' masks of a candidate's bits: z, or |z| for the half-normal. */
const KEEP_SIGN: u64 = 0xFFFFFFFFFFFFFFFF;
const DROP_SIGN: u64 = 0x7FFFFFFFFFFFFFFF;

/**
 * The sums (sum w, sum w^2) of w = mu + sig z, as the lanes of one f64x2, over `count` draws of z
 * from truncNormal(alpha), alpha < 1: the same candidates from the rng globals, the same
 * accepted draws and the same sums, bit for bit, as truncNormal's normal (alpha < 0) or
 * half-normal (0 <= alpha < 1) rejection with the sums in draw order. Each candidate is added
 * times 1 if accepted, times 0 if not, with no branch on the decision: near alpha = 0 about
 * half the candidates are rejected, at random, and such a branch was mispredicted half the
 * time. A rejected candidate adds w * 0 = +-0 (w is finite: the
 * projection bounds |mu| by r^2 and sig by sqrt(r)), and a round-to-nearest sum that starts
 * at +0 is never -0, so that leaves its bits as they are. The state stays in locals except
 * on the ziggurat's rare miss (wedge or tail, about 1.2% of candidates: normalAfterMiss).
 */
function drawSums(count: i32, alpha: f64, mu: f64, sig: f64, absMask: u64): v128 {
  let r0 = s0;
  let r1 = s1;
  let sums = f64x2.splat(0.0); // (sum w, sum w^2)
  let need = count;
  while (need > 0) {
    // candidates inside their layer's rectangle, without a call in the loop (a call would
    // make the engine keep the loop's values in memory)
    let bits: u64;
    let n: f64;
    while (true) {
      // nextU64() and normal()'s rectangle test (rng.ts, normal.ts) on the local state
      bits = r0 + r1;
      const e = r1 ^ r0;
      r0 = rotl<u64>(r0, 24) ^ e ^ (e << 16);
      r1 = rotl<u64>(e, 37);
      const layer = <i32>((bits >> 3) & 0xFF);
      n = <f64>(<i64>bits >> 11) * TWO_M52 * zigguratX(layer);
      if (!(Math.abs(n) < zigguratX(layer + 1))) break;
      const z = reinterpret<f64>(reinterpret<u64>(n) & absMask);
      sums = addIfAbove(sums, z, alpha, mu, sig);
      need -= <i32>(z > alpha);
      if (need == 0) break;
    }
    if (need == 0) break;
    setState(r0, r1);
    n = normalAfterMiss(bits);
    r0 = s0;
    r1 = s1;
    const z = reinterpret<f64>(reinterpret<u64>(n) & absMask);
    sums = addIfAbove(sums, z, alpha, mu, sig);
    need -= <i32>(z > alpha);
  }
  setState(r0, r1);
  return sums;
}

/** sums + (w, w^2) * k with w = mu + sig z and k = 1 if z > alpha, else 0; each lane is the scalar op. */
@inline function addIfAbove(sums: v128, z: f64, alpha: f64, mu: f64, sig: f64): v128 {
  const w = mu + sig * z;
  const k = f64x2.splat(<f64>(z > alpha));
  return f64x2.add(sums, f64x2.mul(f64x2.replace_lane(f64x2.splat(w), 1, w * w), k));
}
