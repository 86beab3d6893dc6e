// Readable TypeScript twins of every WebAssembly kernel in assembly/, written from the
// algorithms their header comments describe, and `jsBackend`, the kernel contract of
// src/backend.ts built from them. The tests check the kernels against these twins (and the
// twins against pure-rand and closed forms); fitWith / sampleWith run unchanged on either.
//
// Two versions of the generator: Xoroshiro128PlusBig is the definition, on BigInt, and is
// used for seeding, jumps and uniformBits; Xoroshiro128Plus is the same generator on 32-bit
// halves (the layout pure-rand uses), which keeps BigInt out of the per-draw hot paths.
//
// Speed (2-core machine, Node 20; n = 1e5 rows, d = 100; Wasm release in brackets):
// coordStats 0.12 s (0.03), pairCounts 1.0 s (0.04), momentStats 3.3 s (0.68), Step 1 SGD
// 0.9 s (0.26), 1e6 normals 0.07 s (0.02), sample of 1e4 rows with k = 100 0.3-0.45 s (0.11).
// Everything is linear in n, so a benchmark at n = 1e6, d = 100 takes about ten times that.

import {
  SAMPLE_STREAM_ROWS,
  type Backend, type CoordStats, type PackedModel, type SgdRun, type SgdSetup, type SgdTotals,
} from '../src/backend.js';

// ---------------------------------------------------------------------------------------
// xoroshiro128+ (assembly/rng.ts): Blackman & Vigna, constants a = 24, b = 16, c = 37.

const MASK64 = (1n << 64n) - 1n;
const rotl64 = (x: bigint, k: bigint): bigint => ((x << k) | (x >> (64n - k))) & MASK64;

/** Vigna's jump polynomial for xoroshiro128+: advances 2^64 steps. */
const JUMP: readonly bigint[] = [0xDF900294D8F554A5n, 0x170865DF4B3201FCn];

/** xoroshiro128+ on two 64-bit BigInt words: the definition the other twins are checked against. */
export class Xoroshiro128PlusBig {
  constructor(public s0: bigint, public s1: bigint) {}

  /** pure-rand's xoroshiro128plus(seed): s0 = (0xFFFFFFFF, ~seed), s1 = (seed, 0) as (hi, lo). */
  static seeded(seed: number): Xoroshiro128PlusBig {
    const s = BigInt(seed >>> 0);
    return new Xoroshiro128PlusBig((0xFFFFFFFFn << 32n) | (~s & 0xFFFFFFFFn), s << 32n);
  }

  clone(): Xoroshiro128PlusBig {
    return new Xoroshiro128PlusBig(this.s0, this.s1);
  }

  next(): bigint {
    const { s0, s1 } = this;
    const out = (s0 + s1) & MASK64;
    const b = s1 ^ s0;
    this.s0 = rotl64(s0, 24n) ^ b ^ ((b << 16n) & MASK64);
    this.s1 = rotl64(b, 37n);
    return out;
  }

  /** The state after 2^64 steps: XOR of the states at the polynomial's set bits. */
  jump(): void {
    let j0 = 0n;
    let j1 = 0n;
    for (const word of JUMP) {
      for (let bit = 0n; bit < 64n; bit++) {
        if ((word >> bit) & 1n) {
          j0 ^= this.s0;
          j1 ^= this.s1;
        }
        this.next();
      }
    }
    this.s0 = j0;
    this.s1 = j1;
  }
}

/** Stream `stream` of `seed`: the seeded state jumped stream + 1 times (see uniformBits in src/backend.ts). */
export function streamStart(seed: number, stream: number): Xoroshiro128PlusBig {
  const g = Xoroshiro128PlusBig.seeded(seed);
  for (let c = 0; c <= stream; c++) g.jump();
  return g;
}

const TWO_M53 = 2 ** -53;
const TWO_M52 = 2 ** -52;
const TWO_21 = 2 ** 21;

/**
 * The same generator with each 64-bit word held as two unsigned 32-bit halves (hi, lo),
 * so a step is a handful of int32 operations. step() leaves the output in (outHi, outLo).
 */
export class Xoroshiro128Plus {
  outHi = 0;
  outLo = 0;
  private s0hi: number;
  private s0lo: number;
  private s1hi: number;
  private s1lo: number;

  constructor(g: Xoroshiro128PlusBig) {
    this.s0hi = Number(g.s0 >> 32n);
    this.s0lo = Number(g.s0 & 0xFFFFFFFFn);
    this.s1hi = Number(g.s1 >> 32n);
    this.s1lo = Number(g.s1 & 0xFFFFFFFFn);
  }

  toBig(): Xoroshiro128PlusBig {
    const word = (hi: number, lo: number) => (BigInt(hi) << 32n) | BigInt(lo);
    return new Xoroshiro128PlusBig(word(this.s0hi, this.s0lo), word(this.s1hi, this.s1lo));
  }

  step(): void {
    const { s0hi, s0lo, s1hi, s1lo } = this;
    // out = s0 + s1 mod 2^64: add the low halves, carry into the high halves
    const lo = s0lo + s1lo;
    this.outLo = lo >>> 0;
    this.outHi = (s0hi + s1hi + (lo > 0xFFFFFFFF ? 1 : 0)) >>> 0;
    // b = s1 ^ s0
    const bhi = s1hi ^ s0hi;
    const blo = s1lo ^ s0lo;
    // s0 = rotl(s0, 24) ^ b ^ (b << 16)
    this.s0hi = (((s0hi << 24) | (s0lo >>> 8)) ^ bhi ^ ((bhi << 16) | (blo >>> 16))) >>> 0;
    this.s0lo = (((s0lo << 24) | (s0hi >>> 8)) ^ blo ^ (blo << 16)) >>> 0;
    // s1 = rotl(b, 37): rotating by 32 swaps the halves, then rotate left by 5
    this.s1hi = ((blo << 5) | (bhi >>> 27)) >>> 0;
    this.s1lo = ((bhi << 5) | (blo >>> 27)) >>> 0;
  }

  /** The next raw output as a BigInt (tests only). */
  next(): bigint {
    this.step();
    return (BigInt(this.outHi) << 32n) | BigInt(this.outLo);
  }

  /** out >> 11 of the last output: its top 53 bits as an exact integer in [0, 2^53). */
  top53(): number {
    return this.outHi * TWO_21 + (this.outLo >>> 11);
  }

  /** (int64) out >> 11 of the last output: the top 53 bits read as signed, in [-2^52, 2^52). */
  signedTop53(): number {
    return (this.outHi | 0) * TWO_21 + (this.outLo >>> 11);
  }

  /** Uniform on [0, 1) from the top 53 bits. */
  uniform(): number {
    this.step();
    return this.top53() * TWO_M53;
  }

  /** Uniform on (0, 1): the midpoints of the 2^53 cells, safe under log(). */
  uniformOpen(): number {
    this.step();
    return (this.top53() + 0.5) * TWO_M53;
  }
}

/** The fast generator positioned at the start of stream `stream` of `seed`. */
export function streamGenerator(seed: number, stream: number): Xoroshiro128Plus {
  return new Xoroshiro128Plus(streamStart(seed, stream));
}

// ---------------------------------------------------------------------------------------
// Ziggurat N(0, 1) (assembly/normal.ts): Marsaglia & Tsang 2000, 256 layers of equal area V,
// Doornik's fresh uniform for the wedge test, Marsaglia's exponential tail beyond R.

const LAYERS = 256;
const R = 3.6541528853610088;
const V = 0.00492867323399;

/**
 * Layer edges x[0] > x[1] = R > ... > x[256] = 0 and the density f(x) = exp(-x^2/2) at them.
 * Layer 0 is the base strip (a rectangle of width V / f(R) plus the tail); layer i >= 1 is
 * the rectangle [0, x[i]] x [f(x[i]), f(x[i+1])], whose area V fixes x[i+1] from x[i].
 */
export function zigguratTables(): { x: Float64Array; f: Float64Array } {
  const x = new Float64Array(LAYERS + 1);
  x[0] = V / Math.exp(-0.5 * R * R);
  x[1] = R;
  for (let i = 2; i < LAYERS; i++) {
    const y = V / x[i - 1] + Math.exp(-0.5 * x[i - 1] * x[i - 1]);
    x[i] = y < 1 ? Math.sqrt(-2 * Math.log(y)) : 0;
  }
  x[LAYERS] = 0;
  const f = x.map((xi) => Math.exp(-0.5 * xi * xi));
  return { x, f };
}

const { x: ZX, f: ZF } = zigguratTables();

/** Beyond R: x = R + a with a ~ Exp(R), accepted with probability exp(-a^2 / 2). */
function normalTail(g: Xoroshiro128Plus, negative: boolean): number {
  let a: number;
  let c: number;
  do {
    a = -Math.log(g.uniformOpen()) / R;
    c = -Math.log(g.uniformOpen());
  } while (c + c < a * a);
  return negative ? -(R + a) : R + a;
}

/** One N(0, 1) draw. One 64-bit output gives the layer (bits 3..10) and a signed u (bits 11..63). */
export function normal(g: Xoroshiro128Plus): number {
  for (;;) {
    g.step();
    const i = (g.outLo >>> 3) & 0xFF;
    const u = g.signedTop53() * TWO_M52; // in [-1, 1)
    const x = u * ZX[i];
    if (Math.abs(x) < ZX[i + 1]) return x; // inside the layer's core rectangle
    if (i === 0) return normalTail(g, u < 0);
    // the wedge: a fresh uniform height between f(x[i]) and f(x[i+1])
    if (ZF[i + 1] + (ZF[i] - ZF[i + 1]) * g.uniform() < Math.exp(-0.5 * x * x)) return x;
  }
}

// ---------------------------------------------------------------------------------------
// N(0, 1) | Z > alpha (assembly/truncnorm.ts): plain rejection for alpha < 0, half-normal
// rejection for 0 <= alpha < 1, Robert's (1995) translated exponential for alpha >= 1.

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
    const z = alpha - Math.log(g.uniformOpen()) / lambda;
    if (g.uniformOpen() <= Math.exp(-0.5 * (z - lambda) * (z - lambda))) return z;
  }
}

// ---------------------------------------------------------------------------------------
// Step 1 SGD (assembly/sgd.ts): per coordinate, the positives standardised by (mu0, s0),
// batches of `batch` in data order, natural parameters v = (1/s^2, m/s^2) from (1, 0),
// gradient [0.5 mean(x^2) - 0.5 mean(z^2); mean(z) - mean(x)] with z from the current
// truncated normal, step 1/(lambda t), projection onto [1/r, r] x [-r, r].

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

/** Step 1 SGD for d coordinates; coordinate i draws from stream i of setup.seed. */
export function sgdTwin(d: number, setup: SgdSetup): SgdRun {
  let coords: SgdCoordinate[] | undefined = [];
  const start = Xoroshiro128PlusBig.seeded(setup.seed);
  for (let i = 0; i < d; i++) {
    start.jump(); // now at the start of stream i (jumped i + 1 times)
    coords.push(new SgdCoordinate(setup.mu0[i], setup.s0[i], setup.thres[i], new Xoroshiro128Plus(start), setup));
  }
  return {
    push(block, rows) {
      if (coords === undefined) throw new Error('SgdRun used after finish()');
      for (let i = 0; i < d; i++) {
        const c = coords[i];
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

// ---------------------------------------------------------------------------------------
// Statistics, pair counts, moments, generation (assembly/stats.ts, counts.ts, moments.ts, sample.ts).

/** Per coordinate: number of positives, sum and sum of squares, adding rows in order. */
export function coordStatsTwin(block: Float64Array, rows: number, d: number): CoordStats {
  const count = new Float64Array(d);
  const sum = new Float64Array(d);
  const sumSq = new Float64Array(d);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < d; j++) {
      const x = block[r * d + j];
      if (x > 0) count[j] += 1;
      sum[j] += x;
      sumSq[j] += x * x;
    }
  }
  return { count, sum, sumSq };
}

/** counts[i * d + j] = #{rows : x_i > t_i and x_j > t_j} for i <= j (strict: ties do not count); 0 below. */
export function pairCountsTwin(block: Float64Array, rows: number, d: number, thresholds: Float64Array): Float64Array {
  const counts = new Float64Array(d * d);
  const above = new Uint8Array(d);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < d; j++) above[j] = block[r * d + j] > thresholds[j] ? 1 : 0;
    for (let i = 0; i < d; i++) {
      if (!above[i]) continue;
      for (let j = i; j < d; j++) counts[i * d + j] += above[j];
    }
  }
  return counts;
}

/**
 * The censored-likelihood statistics (assembly/moments.ts), four d x d matrices in one array
 * N11 | A1 | A2 | G, each element adding rows in order (the plain triple loop):
 *   N11[i][j] = #{x_i > 0, x_j > 0}, A1[i][j] = sum x_i 1[x_j > 0], A2[i][j] = sum x_i^2 1[x_j > 0],
 *   G[i][j] = sum x_i x_j. N11 and G only for i <= j (0 below); A1 and A2 for all i, j.
 */
export function momentStatsTwin(block: Float64Array, rows: number, d: number): Float64Array {
  const out = new Float64Array(4 * d * d);
  const N11 = out.subarray(0, d * d);
  const A1 = out.subarray(d * d, 2 * d * d);
  const A2 = out.subarray(2 * d * d, 3 * d * d);
  const G = out.subarray(3 * d * d);
  for (let r = 0; r < rows; r++) {
    const row = r * d;
    for (let i = 0; i < d; i++) {
      const xi = block[row + i];
      if (!(xi > 0)) continue; // x >= 0, so a zero x_i adds nothing to row i of any of the four
      for (let j = 0; j < d; j++) {
        if (block[row + j] > 0) {
          A1[i * d + j] += xi;
          A2[i * d + j] += xi * xi;
        }
      }
      for (let j = i; j < d; j++) {
        const xj = block[row + j];
        if (xj > 0) N11[i * d + j] += 1;
        G[i * d + j] += xi * xj;
      }
    }
  }
  return out;
}

/**
 * `rows` rows of ReLU(W z + b) from g into out, starting at out[0]: z is k normals a row,
 * and each element is b_j + z_0 W_j0 + z_1 W_j1 + ... added in that order.
 */
export function sampleRowsTwin(g: Xoroshiro128Plus, model: PackedModel, rows: number, out: Float64Array, outRow = 0): void {
  const { wt, b, d, k } = model;
  const z = new Float64Array(k);
  for (let r = 0; r < rows; r++) {
    for (let l = 0; l < k; l++) z[l] = normal(g);
    const o = (outRow + r) * d;
    for (let j = 0; j < d; j++) {
      let y = b[j];
      for (let l = 0; l < k; l++) y += z[l] * wt[l * d + j];
      out[o + j] = y > 0 ? y : 0;
    }
  }
}

// ---------------------------------------------------------------------------------------

/** The kernel contract on the twins: fitWith(x, options, jsBackend) runs the whole pipeline in TypeScript. */
export const jsBackend: Backend = {
  name: 'js',

  coordStats: coordStatsTwin,
  pairCounts: pairCountsTwin,
  momentStats: momentStatsTwin,
  sgd: sgdTwin,

  sample(model, seed, firstRow, rows, out) {
    if (firstRow % SAMPLE_STREAM_ROWS !== 0) throw new RangeError('firstRow must start a stream');
    const base = streamStart(seed, firstRow / SAMPLE_STREAM_ROWS);
    for (let r = 0; r < rows; r += SAMPLE_STREAM_ROWS) {
      if (r > 0) base.jump();
      sampleRowsTwin(new Xoroshiro128Plus(base), model, Math.min(SAMPLE_STREAM_ROWS, rows - r), out, r);
    }
  },

  uniformBits(seed, stream, count) {
    const g = streamStart(seed, stream);
    const out = new BigUint64Array(count);
    for (let i = 0; i < count; i++) out[i] = g.next();
    return out;
  },

  normals(seed, stream, count) {
    const g = streamGenerator(seed, stream);
    const out = new Float64Array(count);
    for (let i = 0; i < count; i++) out[i] = normal(g);
    return out;
  },

  truncNormals(seed, stream, count, alpha) {
    const g = streamGenerator(seed, stream);
    const out = new Float64Array(count);
    for (let i = 0; i < count; i++) out[i] = truncNormal(g, alpha);
    return out;
  },
};
