// Seeds of the experiments, derived from one user seed so that every run of every point is
// reproducible on its own (the same record whatever subset of sweeps or methods is run).

/** The 32-bit finaliser of MurmurHash3 (Appleby): a bijection that mixes all input bits. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A seed in [0, 2^32) from a list of 32-bit integers (fmix32 chained over the parts). */
export function deriveSeed(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const p of parts) h = fmix32((h ^ fmix32(p >>> 0)) + 0x6a09e667);
  return h;
}
