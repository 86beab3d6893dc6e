// Exact sums of doubles as lists of non-overlapping partials (Shewchuk, "Adaptive
// Precision Floating-Point Arithmetic and Fast Robust Geometric Predicates", Discrete
// Comput. Geom. 18 (1997); the algorithm of Python's math.fsum). The statistics keep
// each sum this way, so merging partial statistics is exact: any grouping and any order of
// the same blocks round to the same double.

/** Adds x to the exact sum held in partials (in place). */
export function addExact(partials: number[], x: number): void {
  let i = 0;
  for (let k = 0; k < partials.length; k++) {
    let y = partials[k];
    if (Math.abs(x) < Math.abs(y)) {
      const t = x;
      x = y;
      y = t;
    }
    const hi = x + y;
    const lo = y - (hi - x);
    if (lo !== 0) partials[i++] = lo;
    x = hi;
  }
  partials.length = i;
  partials.push(x);
}

/**
 * The same exact value as the non-overlapping, increasing partials e, as few partials as
 * Shewchuk's Compress makes (1997, Sec. 2.8, Fig. 15: two FAST-TWO-SUM sweeps; the result is
 * non-adjacent, increasing, and its largest partial approximates the sum to within an ulp).
 * Adding to a two-partial sum makes three for a while (grow-expansion never merges), and
 * three usually compress back to two.
 */
export function compress(e: readonly number[]): number[] {
  const t = Float64Array.from(e);
  return Array.from(t.subarray(0, compressInPlace(t, t.length)));
}

/** compress() of t[0 .. m) into t[0 .. returned count), without allocating. */
function compressInPlace(t: Float64Array, m: number): number {
  if (m < 2) return m;
  // sweep 1, largest first: g[bottom ..] (stored in t from the top down)
  let q = t[m - 1];
  let bottom = m - 1;
  for (let i = m - 2; i >= 0; i--) {
    const y = t[i];
    const big = q + y;
    const small = y - (big - q);
    if (small !== 0) {
      t[bottom--] = big;
      q = small;
    } else q = big;
  }
  t[bottom] = q;
  // sweep 2, smallest first: h written from t[0] up (h's index never passes g's)
  let top = 0;
  q = t[bottom];
  for (let i = bottom + 1; i < m; i++) {
    const g = t[i];
    const big = g + q;
    const small = q - (big - g);
    if (small !== 0) t[top++] = small;
    q = big;
  }
  t[top++] = q;
  return top;
}

/** The exact sum rounded to the nearest double (ties to even), as math.fsum rounds it. */
export function roundExact(partials: readonly number[]): number {
  return roundParts(partials, 0, partials.length);
}

/** roundExact of the `count` partials at p[base ..]: lists and ExactSums' flat slots alike. */
function roundParts(p: ArrayLike<number>, base: number, count: number): number {
  let n = count;
  if (n === 0) return 0;
  let hi = p[base + --n];
  let lo = 0;
  while (n > 0) {
    const x = hi;
    const y = p[base + --n];
    hi = x + y;
    lo = y - (hi - x);
    if (lo !== 0) break;
  }
  // Half-way case: the rest of the partials decide the rounding direction.
  if (n > 0 && ((lo < 0 && p[base + n - 1] < 0) || (lo > 0 && p[base + n - 1] > 0))) {
    const y = lo * 2;
    const x = hi + y;
    if (y === x - hi) hi = x;
  }
  return hi;
}

/** Sums an ExactSums keeps in its flat storage before it moves one to a list of its own. */
// Two slots. Adding a value to a two-partial sum makes three partials (grow-expansion never
// merges), which Compress (below) usually brings back to two; without it, a sum that made
// three moved to a list for good. Measured on the statistics of d = 1024, n = 2e4 (20
// blocks, gaussian W): two slots alone spilled 21% of the sums (merge 4.8 s against the
// kernel's 2.4 s); three slots spilled none (1.1 s, 25 bytes a sum); two slots with Compress
// spill none either, in 0.9 s, at 17 bytes a sum (d = 4096: 3 d^2 sums, 0.86 GB).
const INLINE = 2;
const SPILLED = 255;

/**
 * `size` exact sums at once, each held as addExact holds it (the same partials, in the same
 * order), in one flat Float64Array of INLINE slots per sum: a pass adds a block's d x d
 * partials into thousands of sums, and per-sum JS arrays made that the calling thread's
 * largest cost (ahead of the workers' kernels). A sum that needs more than INLINE partials
 * (rare: values spread over many binades) moves to a list of its own. add() repeats
 * addExact's loop on purpose: one function over both a number[] and a Float64Array would
 * see two array kinds in its hot loop.
 */
export class ExactSums {
  private readonly parts: Float64Array;
  private readonly count: Uint8Array;
  private readonly spill = new Map<number, number[]>();
  private readonly scratch = new Float64Array(INLINE + 1);

  constructor(readonly size: number) {
    this.parts = new Float64Array(size * INLINE);
    this.count = new Uint8Array(size);
  }

  /** Adds x to sum e. */
  add(e: number, x: number): void {
    const m = this.count[e];
    if (m === SPILLED) {
      addExact(this.spill.get(e)!, x);
      return;
    }
    const p = this.parts;
    const base = e * INLINE;
    let i = 0;
    for (let k = 0; k < m; k++) {
      let y = p[base + k];
      if (Math.abs(x) < Math.abs(y)) {
        const t = x;
        x = y;
        y = t;
      }
      const hi = x + y;
      const lo = y - (hi - x);
      if (lo !== 0) p[base + i++] = lo;
      x = hi;
    }
    if (i < INLINE) {
      p[base + i] = x;
      this.count[e] = i + 1;
      return;
    }
    const t = this.scratch;
    for (let k = 0; k < i; k++) t[k] = p[base + k];
    t[i] = x;
    const m2 = compressInPlace(t, i + 1);
    if (m2 <= INLINE) {
      for (let k = 0; k < m2; k++) p[base + k] = t[k];
      this.count[e] = m2;
    } else {
      this.spill.set(e, Array.from(t.subarray(0, m2)));
      this.count[e] = SPILLED;
    }
  }

  /**
   * Makes sum e hold exactly these partials (a copy), as if they had been added one by one
   * into a list: JSON partials are taken as they are, since re-adding them could regroup them.
   */
  set(e: number, partials: ArrayLike<number>): void {
    if (partials.length > INLINE) {
      this.spill.set(e, Array.from(partials));
      this.count[e] = SPILLED;
      return;
    }
    this.spill.delete(e);
    this.parts.set(partials, e * INLINE);
    this.count[e] = partials.length;
  }

  /** Sum e rounded to the nearest double: roundExact of list(e), without the list. */
  round(e: number): number {
    const m = this.count[e];
    if (m === SPILLED) return roundExact(this.spill.get(e)!);
    return roundParts(this.parts, e * INLINE, m);
  }

  /**
   * Every sum rounded (round(e)), written over the storage in place: sum e's value goes to
   * slot e, which no sum after e reads (their partials start at INLINE x e' > e), so the
   * totals need no memory of their own. The sums are gone afterwards: this ExactSums must
   * not be used again.
   */
  consume(): Float64Array {
    const p = this.parts;
    for (let e = 0; e < this.size; e++) p[e] = this.round(e);
    this.spill.clear();
    this.count.fill(0);
    return p.subarray(0, this.size);
  }

  /** How many partials sum e holds. */
  partials(e: number): number {
    const m = this.count[e];
    return m === SPILLED ? this.spill.get(e)!.length : m;
  }

  /** Writes sum e's partials (list(e)) into out from index at; returns how many. */
  copyPartials(e: number, out: Float64Array, at: number): number {
    const m = this.count[e];
    if (m === SPILLED) {
      const list = this.spill.get(e)!;
      out.set(list, at);
      return list.length;
    }
    out.set(this.parts.subarray(e * INLINE, e * INLINE + m), at);
    return m;
  }

  /** The partials of sum e, as a fresh list (addExact's form). */
  list(e: number): number[] {
    const m = this.count[e];
    if (m === SPILLED) return this.spill.get(e)!.slice();
    return Array.from(this.parts.subarray(e * INLINE, e * INLINE + m));
  }
}
