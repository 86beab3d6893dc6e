// Ziggurat N(0, 1) (assembly/normal.ts): Marsaglia & Tsang, "The Ziggurat Method for
// Generating Random Variables", J. Stat. Softw. 5(8), 2000: 256 layers of equal area V,
// Doornik's (2005) fresh uniform for the wedge test, Marsaglia's exponential tail beyond R.
// The tables are built with the package's exp / log (numerics/math.ts, fdlibm), the same on
// every JavaScript engine, which differ from AssemblyScript's (musl) exp / log in the last
// bits of some entries, so about a third of the draws differ from the Wasm kernel's by a few
// ulp (test/unit/backend/rng.test.ts).
import type { Xoroshiro128Plus } from './rng.js';
import { exp, log } from '../../numerics/math.js';

const LAYERS = 256;
const R = 3.6541528853610088;
const V = 0.00492867323399;
const TWO_M52 = 2 ** -52; // signed 53-bit integers to [-1, 1)

/**
 * Layer edges x[0] > x[1] = R > ... > x[256] = 0 and the density f(x) = exp(-x^2/2) at them.
 * Layer 0 is the base strip (a rectangle of width V / f(R) plus the tail); layer i >= 1 is
 * the rectangle [0, x[i]] x [f(x[i]), f(x[i+1])], whose area V fixes x[i+1] from x[i].
 */
export function zigguratTables(): { x: Float64Array; f: Float64Array } {
  const x = new Float64Array(LAYERS + 1);
  x[0] = V / exp(-0.5 * R * R);
  x[1] = R;
  for (let i = 2; i < LAYERS; i++) {
    const y = V / x[i - 1] + exp(-0.5 * x[i - 1] * x[i - 1]);
    x[i] = y < 1 ? Math.sqrt(-2 * log(y)) : 0;
  }
  x[LAYERS] = 0;
  const f = x.map((xi) => exp(-0.5 * xi * xi));
  return { x, f };
}

const { x: ZX, f: ZF } = zigguratTables();

/** Beyond R: x = R + a with a ~ Exp(R), accepted with probability exp(-a^2 / 2). */
function normalTail(g: Xoroshiro128Plus, negative: boolean): number {
  let a: number;
  let c: number;
  do {
    a = -log(g.uniformOpen()) / R;
    c = -log(g.uniformOpen());
  } while (c + c < a * a);
  return negative ? -(R + a) : R + a;
}

/** One N(0, 1) draw. One 64-bit output gives the layer (bits 3..10) and a signed u (bits 11..63). */
export function normal(g: Xoroshiro128Plus): number {
  for (;;) {
    g.step();
    const i = (g.outLo >>> 3) & 0xff;
    const u = g.signedTop53() * TWO_M52; // in [-1, 1)
    const x = u * ZX[i];
    if (Math.abs(x) < ZX[i + 1]) return x; // inside the layer's core rectangle
    if (i === 0) return normalTail(g, u < 0);
    // the wedge: a fresh uniform height between f(x[i]) and f(x[i+1])
    if (ZF[i + 1] + (ZF[i] - ZF[i + 1]) * g.uniform() < exp(-0.5 * x * x)) return x;
  }
}
