// xoroshiro128+ (Blackman & Vigna, "Scrambled linear pseudorandom number generators",
// ACM TOMS 47(4), 2021), the 2018 constants a = 24, b = 16, c = 37, seeded exactly as
// pure-rand's `xoroshiro128plus(seed)` does, so the low 32 bits of every output equal
// pure-rand's integer stream (tests check this). `jump()` advances 2^64 steps: one
// independent stream per sampling chunk or per coordinate.
//
// The state lives in module globals while a kernel runs (locals cannot be shared between
// helper functions); kernels load a stream's state from memory on entry and store it back.
// The hottest loops (normal.ts's normals, sgd.ts's drawSums) keep it in locals instead (a
// global is a memory round trip a step) and hand it to the globals (setState) around their
// rare calls into normalAfterMiss.

export let s0: u64 = 0;
export let s1: u64 = 0;

/** Bytes of a stream's state in memory: s0 then s1, little-endian u64s. */
export const RNG_STATE_BYTES: i32 = 16;

// 2^-53, 2^-52: scale 53-bit integers to [0, 1) and signed ones to [-1, 1).
export const TWO_M53: f64 = 1.1102230246251565e-16;
export const TWO_M52: f64 = 2.220446049250313e-16;

@inline export function loadState(ptr: usize): void {
  s0 = load<u64>(ptr);
  s1 = load<u64>(ptr, 8);
}

@inline export function storeState(ptr: usize): void {
  store<u64>(ptr, s0);
  store<u64>(ptr, s1, 8);
}

/** Hands the globals a state a caller kept in locals (read it back from s0, s1). */
@inline export function setState(a: u64, b: u64): void {
  s0 = a;
  s1 = b;
}

@inline export function nextU64(): u64 {
  const a = s0;
  let b = s1;
  const out = a + b;
  b ^= a;
  s0 = rotl<u64>(a, 24) ^ b ^ (b << 16);
  s1 = rotl<u64>(b, 37);
  return out;
}

/** Uniform on [0, 1) from the top 53 bits (the low bits of xoroshiro128+ are weak). */
@inline export function uniform(): f64 {
  return <f64>(nextU64() >> 11) * TWO_M53;
}

/** Uniform on (0, 1): safe under log(). */
@inline export function uniformOpen(): f64 {
  return (<f64>(nextU64() >> 11) + 0.5) * TWO_M53;
}

/** pure-rand: new XoroShiro128Plus(-1, ~seed, seed | 0, 0) as (hi, lo) 32-bit halves. */
export function seedState(ptr: usize, seed: u32): void {
  store<u64>(ptr, 0xFFFFFFFF00000000 | <u64>(~seed));
  store<u64>(ptr, <u64>seed << 32, 8);
}

const JUMP0: u64 = 0xDF900294D8F554A5;
const JUMP1: u64 = 0x170865DF4B3201FC;

/** Advance the stream at ptr by 2^64 outputs (Vigna's jump polynomial). */
export function jumpState(ptr: usize): void {
  loadState(ptr);
  let j0: u64 = 0;
  let j1: u64 = 0;
  for (let w = 0; w < 2; w++) {
    const poly = w == 0 ? JUMP0 : JUMP1;
    for (let bit = 0; bit < 64; bit++) {
      if ((poly >> <u64>bit) & 1) {
        j0 ^= s0;
        j1 ^= s1;
      }
      nextU64();
    }
  }
  s0 = j0;
  s1 = j1;
  storeState(ptr);
}

/** Raw 64-bit outputs, for cross-checks against the TypeScript twin and pure-rand. */
export function fillU64(statePtr: usize, outPtr: usize, count: i32): void {
  loadState(statePtr);
  for (let i = 0; i < count; i++) store<u64>(outPtr + (<usize>i << 3), nextU64());
  storeState(statePtr);
}
