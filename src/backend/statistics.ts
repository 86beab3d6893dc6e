// The one-pass sufficient statistics of the default estimator, in a form that merges
// exactly: counts are integers, and every floating sum is kept as exact partials
// (exact-sum.ts) over block partial sums. One pass = the block partials of
// assembly/moments.ts added in; merge = adding two exact sums. Statistics are plain
// JSON-ready objects, so a map-reduce job can ship them anywhere.
import { ExactSums } from '../numerics/exact-sum.js';
import { checkInteger, show } from '../input/scalars.js';

export const STATISTICS_FORMAT = 'relu-density/statistics';
export const STATISTICS_VERSION = 1;

/**
 * Sufficient statistics of n rows of d values (see assembly/moments.ts for the sums), as
 * plain JSON: `JSON.stringify` it, ship it, `JSON.parse` it, merge() it. Fields:
 * - `format`: 'relu-density/statistics'; `version`: 1 (a later format changes the number);
 * - `n`, `d`: rows and columns (integers);
 * - `n11`: d x d counts #{x_i > 0 and x_j > 0} (integers), row-major, upper triangle (i <= j) used;
 * - `a1`, `a2`, `g`: d x d sums, row-major: A1[i][j] = sum of x_i over rows with x_j > 0,
 *   A2[i][j] = sum of x_i^2 over those rows (both full), G[i][j] = sum of x_i x_j (upper
 *   triangle). Each entry is an array of doubles whose exact (unrounded) sum is the value:
 *   non-overlapping partials (Shewchuk; src/numerics/exact-sum.ts), so merging is exact.
 *
 * What is summed exactly are the per-block partial sums of rowsPerBlock(d)-row blocks.
 * Parts cut on block boundaries (multiples of rowsPerBlock(d) rows from the data's start)
 * therefore merge, in any grouping and order, into the very bits of one pass; parts cut
 * elsewhere form other blocks, whose partial sums round differently, and the fit agrees to
 * ~1e-12 relative (tested: test/unit/backend/merge.test.ts, test/unit/backend/statistics.test.ts).
 */
export interface Statistics {
  format: typeof STATISTICS_FORMAT;
  version: typeof STATISTICS_VERSION;
  n: number;
  d: number;
  n11: number[];
  a1: number[][];
  a2: number[][];
  g: number[][];
}

/** The statistics rounded to doubles: what the estimators read. */
export interface StatisticTotals {
  n: number;
  d: number;
  n11: Float64Array;
  a1: Float64Array;
  a2: Float64Array;
  g: Float64Array;
}

function emptyStatistics(d: number): Statistics {
  const sums = () => Array.from({ length: d * d }, () => [] as number[]);
  return {
    format: STATISTICS_FORMAT,
    version: STATISTICS_VERSION,
    n: 0,
    d,
    n11: new Array<number>(d * d).fill(0),
    a1: sums(),
    a2: sums(),
    g: sums(),
  };
}

/**
 * The statistics being summed: block partials (add) and other statistics (merge) added in
 * exactly, in typed storage (ExactSums) rather than the JSON lists, which are made only when
 * asked for (statistics()); a fit reads totals() straight from here. Each sum is rounded
 * once, so totals() has the bits of totals(statistics()).
 */
export class StatisticsAccumulator {
  private rows = 0;
  private readonly n11: Float64Array; // d x d; blocks fill i <= j, merged JSON may fill all
  private readonly sums: ExactSums; // a1 | a2 | g, d x d each

  constructor(readonly d: number) {
    this.n11 = new Float64Array(d * d);
    this.sums = new ExactSums(3 * d * d);
  }

  /** An accumulator holding checked statistics as they are (their partials unchanged). */
  static of(s: Statistics): StatisticsAccumulator {
    const d = s.d;
    const dd = d * d;
    const acc = new StatisticsAccumulator(d);
    acc.rows = s.n;
    for (let e = 0; e < dd; e++) {
      acc.n11[e] = s.n11[e];
      acc.sums.set(e, s.a1[e]);
      acc.sums.set(dd + e, s.a2[e]);
      acc.sums.set(2 * dd + e, s.g[e]);
    }
    return acc;
  }

  /** Rows summed so far. */
  get n(): number {
    return this.rows;
  }

  /** Adds one block's partial (N11 | A1 | A2 | G, from Backend.momentStats). */
  add(p: Float64Array, rows: number): void {
    const d = this.d;
    const dd = d * d;
    const sums = this.sums;
    this.rows += rows;
    for (let i = 0; i < d; i++) {
      for (let e = i * d, j = 0; j < d; j++, e++) {
        const a1 = p[dd + e];
        const a2 = p[2 * dd + e];
        if (a1 !== 0) sums.add(e, a1);
        if (a2 !== 0) sums.add(dd + e, a2);
        if (j >= i) {
          this.n11[e] += p[e];
          const g = p[3 * dd + e];
          if (g !== 0) sums.add(2 * dd + e, g);
        }
      }
    }
  }

  /** Adds checked statistics of the same d, exactly (partial by partial). */
  merge(s: Statistics): void {
    const dd = this.d * this.d;
    const sums = this.sums;
    this.rows += s.n;
    for (let e = 0; e < dd; e++) {
      this.n11[e] += s.n11[e];
      for (const v of s.a1[e]) sums.add(e, v);
      for (const v of s.a2[e]) sums.add(dd + e, v);
      for (const v of s.g[e]) sums.add(2 * dd + e, v);
    }
  }

  /** The JSON form (fresh lists). */
  statistics(): Statistics {
    const dd = this.d * this.d;
    const s = emptyStatistics(this.d);
    s.n = this.rows;
    for (let e = 0; e < dd; e++) {
      s.n11[e] = this.n11[e];
      s.a1[e] = this.sums.list(e);
      s.a2[e] = this.sums.list(dd + e);
      s.g[e] = this.sums.list(2 * dd + e);
    }
    return s;
  }

  /** Every exact sum rounded to a double, the symmetric matrices mirrored: what the estimators read. */
  totals(): StatisticTotals {
    const d = this.d;
    const dd = d * d;
    const sums = this.sums;
    const n11 = new Float64Array(dd);
    const g = new Float64Array(dd);
    const a1 = new Float64Array(dd);
    const a2 = new Float64Array(dd);
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < d; j++) {
        const e = i * d + j;
        const u = i <= j ? e : j * d + i;
        n11[e] = this.n11[u];
        g[e] = sums.round(2 * dd + u);
        a1[e] = sums.round(e);
        a2[e] = sums.round(dd + e);
      }
    }
    return { n: this.rows, d, n11, a1, a2, g };
  }
}

/** Checks the shape of statistics that may come from JSON. */
export function checkStatistics(name: string, s: unknown): Statistics {
  if (typeof s !== 'object' || s === null) throw new TypeError(`${name} must be a Statistics object, got ${show(s)}`);
  const t = s as Statistics;
  if (t.format !== STATISTICS_FORMAT) {
    throw new TypeError(`${name}.format must be '${STATISTICS_FORMAT}', got ${show(t.format)}`);
  }
  if (t.version !== STATISTICS_VERSION) {
    throw new RangeError(`${name}.version must be ${STATISTICS_VERSION}, got ${show(t.version)}`);
  }
  checkInteger(`${name}.n`, t.n, 0);
  const d = checkInteger(`${name}.d`, t.d, 1);
  for (const key of ['n11', 'a1', 'a2', 'g'] as const) {
    const v = t[key];
    if (!Array.isArray(v) || v.length !== d * d) {
      throw new RangeError(`${name}.${key} must be an array of d x d = ${d * d} entries, got ${show(v)}`);
    }
  }
  for (let e = 0; e < d * d; e++) {
    const c = t.n11[e];
    if (!Number.isInteger(c) || c < 0 || c > t.n) throw new RangeError(`${name}.n11[${e}] is ${show(c)}; counts must be integers in [0, n]`);
    for (const key of ['a1', 'a2', 'g'] as const) {
      const p = t[key][e];
      if (!Array.isArray(p) || !p.every((v) => typeof v === 'number' && Number.isFinite(v))) {
        throw new TypeError(`${name}.${key}[${e}] must be an array of finite numbers (exact partials), got ${show(p)}`);
      }
    }
  }
  return t;
}

/** a + b, exactly; neither input is changed. */
export function mergeStatistics(a: Statistics, b: Statistics): Statistics {
  checkStatistics('a', a);
  checkStatistics('b', b);
  if (a.d !== b.d) throw new RangeError(`cannot merge statistics of d = ${a.d} and d = ${b.d}`);
  const acc = StatisticsAccumulator.of(a);
  acc.merge(b);
  return { ...a, ...acc.statistics() }; // a's fields in a's order, as JSON.stringify writes them
}

/** Rounds every exact sum of checked statistics and mirrors the symmetric matrices. */
export function totals(s: Statistics): StatisticTotals {
  return StatisticsAccumulator.of(s).totals();
}
