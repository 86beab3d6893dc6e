// A tiny seeded generator for the tests' own case lists: mulberry32 (T. Ettinger, 2017), 32-bit
// integer steps only, so Node and a browser page draw the same cases without the package.

/** Unsigned 32-bit integers from `seed`. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/** Uniforms in [0, 1) from `seed`. */
export function uniforms(seed: number): () => number {
  const next = mulberry32(seed);
  return () => next() / 4294967296;
}
