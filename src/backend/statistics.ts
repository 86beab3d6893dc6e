// The one-pass sufficient statistics of the default estimator, in a form that merges
// exactly: counts are integers, and every floating sum is kept as exact partials
// (exact-sum.ts) over block partial sums. One pass = the block partials of
// assembly/moments.ts added in; merge = adding two exact sums. Statistics are plain
// JSON-ready objects, so a map-reduce job can ship them anywhere; their arrays travel as
// base64 of little-endian float64 (RFC 4648), where version 1 had a JSON array per entry
// (3 d^2 arrays: 3e6 at d = 1000). Measured at d = 300, n = 13980 (scratch script, Node 20):
// 5.3 MB of JSON against 9.6 MB, stringify 33 ms against 180, parse + check 204 ms against 399.
import { ExactSums } from '../numerics/exact-sum.js';
import { checkInteger, show } from '../input/scalars.js';
import { base64ToBytes, base64ToFloat64, bytesToBase64, float64ToBase64 } from '../input/base64.js';

export const STATISTICS_FORMAT = 'relu-density/statistics';
export const STATISTICS_VERSION = 2;

/** Exact sums as JSON: each sum's number of partials, then all the partials, sum after sum. */
export interface ExactSumsJSON {
  /** base64 of one byte per sum: how many partials it has. */
  counts: string;
  /** base64 of the partials (little-endian float64), sum after sum, each sum's in its order. */
  partials: string;
}

/**
 * Sufficient statistics of n rows of d values (see assembly/moments.ts for the sums), as
 * plain JSON: `JSON.stringify` it, ship it, `JSON.parse` it, merge() it. Fields:
 * - `format`: 'relu-density/statistics'; `version`: 2 (version 1, with plain JSON arrays,
 *   is still read);
 * - `n`, `d`: rows and columns (integers);
 * - `n11`: the counts #{x_i > 0 and x_j > 0} for i <= j, row by row (d (d + 1) / 2 of them),
 *   as base64 of float64;
 * - `a1`, `a2`: d x d sums, row-major: A1[i][j] = sum of x_i over rows with x_j > 0, A2[i][j] =
 *   sum of x_i^2 over those rows; `g`: G[i][j] = sum of x_i x_j for i <= j, row by row. Each
 *   sum is a list of doubles whose exact (unrounded) sum is the value: non-overlapping
 *   partials (Shewchuk; src/numerics/exact-sum.ts), so merging is exact.
 * Size: with two partials a sum (the usual case), 4 d^2 + 2.5 d^2 x 2 x 8 = 44 d^2 bytes,
 * 59 d^2 characters of base64 (measured at d = 300; d = 1000: 59 MB). V8 strings stop at
 * 2^29 - 24 characters, so JSON.stringify of one fails beyond d ~ 3000.
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
  n11: string;
  a1: ExactSumsJSON;
  a2: ExactSumsJSON;
  g: ExactSumsJSON;
}

/** Version 1 of Statistics (read, no longer written): the same values as plain JSON arrays. */
export interface StatisticsV1 {
  format: typeof STATISTICS_FORMAT;
  version: 1;
  n: number;
  d: number;
  /** d x d counts, row-major, upper triangle (i <= j) used. */
  n11: number[];
  /** d x d lists of partials each (g: upper triangle used). */
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

/** Statistics checked and decoded (either version): counts d x d (i <= j), each sum's partials by entry. */
export interface CheckedStatistics {
  n: number;
  d: number;
  n11: ArrayLike<number>;
  /** The partials of entry e (i d + j) of a1, a2 and g (g: i <= j only). */
  a1(e: number): ArrayLike<number>;
  a2(e: number): ArrayLike<number>;
  g(e: number): ArrayLike<number>;
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
  static of(s: CheckedStatistics): StatisticsAccumulator {
    const d = s.d;
    const dd = d * d;
    const acc = new StatisticsAccumulator(d);
    acc.rows = s.n;
    for (let e = 0; e < dd; e++) {
      acc.n11[e] = s.n11[e];
      acc.sums.set(e, s.a1(e));
      acc.sums.set(dd + e, s.a2(e));
      const g = s.g(e);
      if (g.length > 0) acc.sums.set(2 * dd + e, g);
    }
    return acc;
  }

  /** Rows summed so far. */
  get n(): number {
    return this.rows;
  }

  /** Adds one block's partial (N11 | A1 | A2 | G, from Backend.momentStats). */
  add(p: Float64Array, rows: number): void {
    this.addBand(p, 0, this.d);
    this.addRows(rows);
  }

  /**
   * Adds rows lo .. hi - 1 of one block's partial (Backend.momentStats(block, rows, d, lo,
   * hi)); a block computed band by band adds each band, then addRows once.
   */
  addBand(p: Float64Array, lo: number, hi: number): void {
    const d = this.d;
    const dd = d * d;
    const size = (hi - lo) * d;
    const sums = this.sums;
    for (let i = lo; i < hi; i++) {
      for (let e = i * d, q = (i - lo) * d, j = 0; j < d; j++, e++, q++) {
        const a1 = p[size + q];
        const a2 = p[2 * size + q];
        if (a1 !== 0) sums.add(e, a1);
        if (a2 !== 0) sums.add(dd + e, a2);
        if (j >= i) {
          this.n11[e] += p[q];
          const g = p[3 * size + q];
          if (g !== 0) sums.add(2 * dd + e, g);
        }
      }
    }
  }

  /** Counts `rows` more rows (the blocks whose partials were added band by band). */
  addRows(rows: number): void {
    this.rows += rows;
  }

  /** Adds checked statistics of the same d, exactly (partial by partial). */
  merge(s: CheckedStatistics): void {
    const dd = this.d * this.d;
    const sums = this.sums;
    this.rows += s.n;
    for (let e = 0; e < dd; e++) {
      this.n11[e] += s.n11[e];
      const a1 = s.a1(e);
      for (let k = 0; k < a1.length; k++) sums.add(e, a1[k]);
      const a2 = s.a2(e);
      for (let k = 0; k < a2.length; k++) sums.add(dd + e, a2[k]);
      const g = s.g(e);
      for (let k = 0; k < g.length; k++) sums.add(2 * dd + e, g[k]);
    }
  }

  /** Adds another accumulator of the same d, exactly (as merge(other's statistics)). */
  mergeAccumulator(other: StatisticsAccumulator): void {
    const dd = this.d * this.d;
    const scratch = new Float64Array(64);
    this.rows += other.rows;
    for (let e = 0; e < dd; e++) {
      this.n11[e] += other.n11[e];
      for (let m = 0; m < 3; m++) {
        const k = other.sums.copyPartials(m * dd + e, scratch, 0);
        for (let q = 0; q < k; q++) this.sums.add(m * dd + e, scratch[q]);
      }
    }
  }

  /** The JSON form (version 2). */
  statistics(): Statistics {
    const d = this.d;
    const dd = d * d;
    const upper = new Float64Array((d * (d + 1)) / 2);
    for (let i = 0, u = 0; i < d; i++) for (let j = i; j < d; j++) upper[u++] = this.n11[i * d + j];
    const all = (e: number) => e;
    const tri: number[] = [];
    for (let i = 0; i < d; i++) for (let j = i; j < d; j++) tri.push(i * d + j);
    return {
      format: STATISTICS_FORMAT,
      version: STATISTICS_VERSION,
      n: this.rows,
      d,
      n11: float64ToBase64(upper),
      a1: this.encodeSums(0, dd, all),
      a2: this.encodeSums(dd, dd, all),
      g: this.encodeSums(2 * dd, tri.length, (k) => tri[k]),
    };
  }

  /** Sums base + entry(0 .. count - 1) as ExactSumsJSON. */
  private encodeSums(base: number, count: number, entry: (k: number) => number): ExactSumsJSON {
    const counts = new Uint8Array(count);
    let total = 0;
    for (let k = 0; k < count; k++) {
      counts[k] = this.sums.partials(base + entry(k));
      total += counts[k];
    }
    const partials = new Float64Array(total);
    for (let k = 0, at = 0; k < count; k++) at += this.sums.copyPartials(base + entry(k), partials, at);
    return { counts: bytesToBase64(counts), partials: float64ToBase64(partials) };
  }

  /**
   * totals(), with the bits of totals(), computed over this accumulator's own storage (its
   * exact sums are rounded in place: ExactSums.consume), so a fit at large d does not hold
   * the sums and the totals at once (at d = 4096, 0.86 GB and 0.54 GB). The accumulator is
   * spent afterwards.
   */
  takeTotals(): StatisticTotals {
    const d = this.d;
    const dd = d * d;
    const all = this.sums.consume();
    const n11 = this.n11;
    const a1 = all.subarray(0, dd);
    const a2 = all.subarray(dd, 2 * dd);
    const g = all.subarray(2 * dd, 3 * dd);
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < i; j++) {
        n11[i * d + j] = n11[j * d + i];
        g[i * d + j] = g[j * d + i];
      }
    }
    return { n: this.rows, d, n11, a1, a2, g };
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

/** Checks statistics that may come from JSON (either version) and decodes them. */
export function checkStatistics(name: string, s: unknown): CheckedStatistics {
  if (typeof s !== 'object' || s === null) throw new TypeError(`${name} must be a Statistics object, got ${show(s)}`);
  const t = s as Statistics | StatisticsV1;
  if (t.format !== STATISTICS_FORMAT) {
    throw new TypeError(`${name}.format must be '${STATISTICS_FORMAT}', got ${show(t.format)}`);
  }
  if (t.version !== STATISTICS_VERSION && t.version !== 1) {
    throw new RangeError(`${name}.version must be 1 or ${STATISTICS_VERSION}, got ${show((t as { version: unknown }).version)}`);
  }
  const n = checkInteger(`${name}.n`, t.n, 0);
  const d = checkInteger(`${name}.d`, t.d, 1);
  return t.version === 1 ? checkV1(name, t, n, d) : checkV2(name, t, n, d);
}

function checkCount(name: string, c: number, n: number, at: string): void {
  if (!Number.isInteger(c) || c < 0 || c > n) throw new RangeError(`${name}.n11[${at}] is ${show(c)}; counts must be integers in [0, n]`);
}

function checkV2(name: string, t: Statistics, n: number, d: number): CheckedStatistics {
  const dd = d * d;
  const upper = base64ToFloat64(`${name}.n11`, t.n11);
  const tri = (d * (d + 1)) / 2;
  if (upper.length !== tri) throw new RangeError(`${name}.n11 must hold d (d + 1) / 2 = ${tri} counts, got ${upper.length}`);
  const n11 = new Float64Array(dd);
  const triIndex = new Int32Array(dd).fill(-1);
  for (let i = 0, u = 0; i < d; i++) {
    for (let j = i; j < d; j++, u++) {
      checkCount(name, upper[u], n, `${i}][${j}`);
      n11[i * d + j] = upper[u];
      triIndex[i * d + j] = u;
    }
  }
  const a1 = decodeSums(`${name}.a1`, t.a1, dd);
  const a2 = decodeSums(`${name}.a2`, t.a2, dd);
  const g = decodeSums(`${name}.g`, t.g, tri);
  const none = new Float64Array(0);
  return { n, d, n11, a1, a2, g: (e) => (triIndex[e] >= 0 ? g(triIndex[e]) : none) };
}

/** ExactSumsJSON of `count` sums, checked: the partials of sum k as a view. */
function decodeSums(name: string, j: unknown, count: number): (k: number) => Float64Array {
  if (typeof j !== 'object' || j === null) throw new TypeError(`${name} must be { counts, partials } (base64 strings), got ${show(j)}`);
  const { counts: c, partials: p, ...rest } = j as ExactSumsJSON;
  const extra = Object.keys(rest);
  if (extra.length > 0) throw new TypeError(`${name} has an unknown field ${show(extra[0])}`);
  const counts = base64ToBytes(`${name}.counts`, c);
  if (counts.length !== count) throw new RangeError(`${name}.counts must hold ${count} counts, got ${counts.length}`);
  const partials = base64ToFloat64(`${name}.partials`, p);
  const start = new Float64Array(count + 1);
  for (let k = 0; k < count; k++) start[k + 1] = start[k] + counts[k];
  if (start[count] !== partials.length) {
    throw new RangeError(`${name}.partials must hold the ${start[count]} partials its counts add up to, got ${partials.length}`);
  }
  for (let k = 0; k < partials.length; k++) {
    if (!Number.isFinite(partials[k])) throw new TypeError(`${name}.partials[${k}] is ${partials[k]}; partials must be finite`);
  }
  return (k) => partials.subarray(start[k], start[k + 1]);
}

function checkV1(name: string, t: StatisticsV1, n: number, d: number): CheckedStatistics {
  for (const key of ['n11', 'a1', 'a2', 'g'] as const) {
    const v = t[key];
    if (!Array.isArray(v) || v.length !== d * d) {
      throw new RangeError(`${name}.${key} must be an array of d x d = ${d * d} entries, got ${show(v)}`);
    }
  }
  for (let e = 0; e < d * d; e++) {
    checkCount(name, t.n11[e], n, String(e));
    for (const key of ['a1', 'a2', 'g'] as const) {
      const p = t[key][e];
      if (!Array.isArray(p) || !p.every((v) => typeof v === 'number' && Number.isFinite(v))) {
        throw new TypeError(`${name}.${key}[${e}] must be an array of finite numbers (exact partials), got ${show(p)}`);
      }
    }
  }
  return { n, d, n11: Float64Array.from(t.n11), a1: (e) => t.a1[e], a2: (e) => t.a2[e], g: (e) => t.g[e] };
}

/** a + b, exactly; neither input is changed. The result is version 2 whatever the inputs. */
export function mergeStatistics(a: Statistics | StatisticsV1, b: Statistics | StatisticsV1): Statistics {
  const ca = checkStatistics('a', a);
  const cb = checkStatistics('b', b);
  if (ca.d !== cb.d) throw new RangeError(`cannot merge statistics of d = ${ca.d} and d = ${cb.d}`);
  const acc = StatisticsAccumulator.of(ca);
  acc.merge(cb);
  return acc.statistics();
}

/** Rounds every exact sum of statistics (checked here unless they already were) and mirrors the symmetric matrices. */
export function totals(s: Statistics | StatisticsV1 | CheckedStatistics): StatisticTotals {
  const c = typeof s.n11 === 'string' || Array.isArray(s.n11) ? checkStatistics('stats', s) : (s as CheckedStatistics);
  return StatisticsAccumulator.of(c).takeTotals();
}
