// xoroshiro128+ (assembly/rng.ts): Blackman & Vigna, "Scrambled linear pseudorandom number
// generators", ACM TOMS 47(4), 2021, constants a = 24, b = 16, c = 37, seeded exactly as
// pure-rand's `xoroshiro128plus(seed)`. Stream `s` of a seed is the seeded state jumped
// s + 1 times (see Backend.uniformBits in src/backend/contract.ts).
//
// Two versions of the same generator: Xoroshiro128PlusBig is the definition, on BigInt, and
// serves seeding and jumps; Xoroshiro128Plus holds each 64-bit word as two 32-bit halves (the
// layout pure-rand uses), which keeps BigInt out of the per-draw hot paths.

const MASK64 = (1n << 64n) - 1n;
const rotl64 = (x: bigint, k: bigint): bigint => ((x << k) | (x >> (64n - k))) & MASK64;

/** Vigna's jump polynomial for xoroshiro128+: advances 2^64 steps. */
const JUMP: readonly bigint[] = [0xdf900294d8f554a5n, 0x170865df4b3201fcn];

/** xoroshiro128+ on two 64-bit BigInt words: the definition the other versions are checked against. */
export class Xoroshiro128PlusBig {
  constructor(
    public s0: bigint,
    public s1: bigint,
  ) {}

  /** pure-rand's xoroshiro128plus(seed): s0 = (0xFFFFFFFF, ~seed), s1 = (seed, 0) as (hi, lo). */
  static seeded(seed: number): Xoroshiro128PlusBig {
    const s = BigInt(seed >>> 0);
    return new Xoroshiro128PlusBig((0xffffffffn << 32n) | (~s & 0xffffffffn), s << 32n);
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

/** The last few stream starts handed out (clones: callers advance theirs). */
const STARTS: { seed: number; stream: number; g: Xoroshiro128PlusBig }[] = [];

/** Stream `stream` of `seed`: the seeded state jumped stream + 1 times (see uniformBits in src/backend/contract.ts). */
export function streamStart(seed: number, stream: number): Xoroshiro128PlusBig {
  // from the nearest remembered start at or below this one: a long sample asks for every
  // stream in turn, and jumping each from the seed made it O(streams^2) (as the Wasm adapter)
  let from: { seed: number; stream: number; g: Xoroshiro128PlusBig } | undefined;
  for (const s of STARTS) if (s.seed === seed && s.stream <= stream && (from === undefined || s.stream > from.stream)) from = s;
  const g = from === undefined ? Xoroshiro128PlusBig.seeded(seed) : from.g.clone();
  for (let c = from === undefined ? 0 : from.stream + 1; c <= stream; c++) g.jump();
  STARTS.unshift({ seed, stream, g: g.clone() });
  if (STARTS.length > 4) STARTS.pop();
  return g;
}

const TWO_M53 = 2 ** -53;
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
    this.s0lo = Number(g.s0 & 0xffffffffn);
    this.s1hi = Number(g.s1 >> 32n);
    this.s1lo = Number(g.s1 & 0xffffffffn);
  }

  /**
   * The generator whose state is `words` = [s0 lo, s0 hi, s1 lo, s1 hi]: the 16 bytes of
   * the Wasm kernels' state (two little-endian u64) read as four u32.
   */
  static fromWords(words: Uint32Array): Xoroshiro128Plus {
    const g = new Xoroshiro128Plus(new Xoroshiro128PlusBig(0n, 0n));
    g.s0lo = words[0];
    g.s0hi = words[1];
    g.s1lo = words[2];
    g.s1hi = words[3];
    return g;
  }

  /** Writes the state into `words` in the layout of fromWords. */
  toWords(words: Uint32Array): void {
    words[0] = this.s0lo;
    words[1] = this.s0hi;
    words[2] = this.s1lo;
    words[3] = this.s1hi;
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
    this.outHi = (s0hi + s1hi + (lo > 0xffffffff ? 1 : 0)) >>> 0;
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

  /** The next raw output as a BigInt (slow: tests and uniformBits only). */
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
