// Standard normal variates by the ziggurat method: Marsaglia & Tsang, "The Ziggurat
// Method for Generating Random Variables", J. Stat. Softw. 5(8), 2000, with 256 layers and
// Doornik's fix ("An Improved Ziggurat Method to Generate Normal Random Samples", 2005):
// the wedge test uses a fresh uniform, not bits shared with the layer index. The tail
// beyond R uses Marsaglia's exponential method (1964). Exact: every accept/reject is
// against the true density.
//
// Tables are built at instantiation with AssemblyScript's own (software) exp/log, so
// every engine builds the same bits.

import { s0, s1, nextU64, uniform, uniformOpen, TWO_M52, loadState, storeState, setState } from "./rng";

const LAYERS = 256;
// R and V for 256 layers (Marsaglia & Tsang 2000, Table 1).
const R: f64 = 3.6541528853610088;
const V: f64 = 0.00492867323399;

// Static data (below heapBase), not heap objects: the host owns everything above heapBase.
const X: usize = memory.data((LAYERS + 1) << 3, 16);
const F: usize = memory.data((LAYERS + 1) << 3, 16);

@inline function xAt(i: i32): f64 { return load<f64>(X + (<usize>i << 3)); }
@inline function fAt(i: i32): f64 { return load<f64>(F + (<usize>i << 3)); }

function buildTables(): void {
  const f = Math.exp(-0.5 * R * R);
  store<f64>(X, V / f);
  store<f64>(X, R, 8);
  for (let i = 2; i < LAYERS; i++) {
    const prev = xAt(i - 1);
    const y = V / prev + Math.exp(-0.5 * prev * prev);
    store<f64>(X + (<usize>i << 3), y < 1.0 ? Math.sqrt(-2.0 * Math.log(y)) : 0.0);
  }
  store<f64>(X + (<usize>LAYERS << 3), 0.0);
  for (let i = 0; i <= LAYERS; i++) {
    const x = xAt(i);
    store<f64>(F + (<usize>i << 3), Math.exp(-0.5 * x * x));
  }
}
buildTables();

@inline function tail(negative: bool): f64 {
  let a: f64, c: f64;
  do {
    a = -Math.log(uniformOpen()) / R;
    c = -Math.log(uniformOpen());
  } while (c + c < a * a);
  return negative ? -(R + a) : R + a;
}

/** One N(0, 1) draw from the stream held in the rng globals. */
export function normal(): f64 {
  while (true) {
    const bits = nextU64();
    const i = <i32>((bits >> 3) & 0xFF);
    // signed 53-bit integer from the top bits -> u in [-1, 1)
    const u = <f64>(<i64>bits >> 11) * TWO_M52;
    const x = u * xAt(i);
    if (Math.abs(x) < xAt(i + 1)) return x;
    if (i == 0) return tail(u < 0);
    const f1 = fAt(i + 1);
    if (f1 + (fAt(i) - f1) * uniform() < Math.exp(-0.5 * x * x)) return x;
  }
}

/** Layer edge x[i], for a caller that runs the rectangle test inline with its own state (sgd.ts). */
@inline export function zigguratX(i: i32): f64 { return xAt(i); }

/**
 * The rest of normal() once the output `bits` has missed its layer's rectangle (about 1.2% of
 * draws): the tail or wedge test, then fresh draws, from the rng globals. A caller that keeps
 * the state in locals for the common case stores it to the globals before and reloads it after.
 */
export function normalAfterMiss(bits: u64): f64 {
  const i = <i32>((bits >> 3) & 0xFF);
  const u = <f64>(<i64>bits >> 11) * TWO_M52;
  const x = u * xAt(i);
  if (i == 0) return tail(u < 0);
  const f1 = fAt(i + 1);
  if (f1 + (fAt(i) - f1) * uniform() < Math.exp(-0.5 * x * x)) return x;
  return normal();
}

/**
 * out[0..count) = count normal() draws from the rng globals, draw for draw, with the state in
 * locals and no call in the loop except on a miss (a call there would make the engine keep
 * the loop's values in memory).
 */
export function normals(outPtr: usize, count: i32): void {
  let r0 = s0;
  let r1 = s1;
  let j = 0;
  while (j < count) {
    let bits: u64;
    let x: f64;
    while (true) {
      // nextU64() (rng.ts) and normal()'s rectangle test on the local state
      bits = r0 + r1;
      const e = r1 ^ r0;
      r0 = rotl<u64>(r0, 24) ^ e ^ (e << 16);
      r1 = rotl<u64>(e, 37);
      const i = <i32>((bits >> 3) & 0xFF);
      x = <f64>(<i64>bits >> 11) * TWO_M52 * xAt(i);
      if (!(Math.abs(x) < xAt(i + 1))) break;
      store<f64>(outPtr + (<usize>j << 3), x);
      if (++j == count) break;
    }
    if (j == count) break;
    setState(r0, r1);
    x = normalAfterMiss(bits);
    r0 = s0;
    r1 = s1;
    store<f64>(outPtr + (<usize>j << 3), x);
    j++;
  }
  setState(r0, r1);
}

/** Fill out[0..count) with N(0, 1) draws from the stream at statePtr. */
export function fillNormal(statePtr: usize, outPtr: usize, count: i32): void {
  loadState(statePtr);
  normals(outPtr, count);
  storeState(statePtr);
}
