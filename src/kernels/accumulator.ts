// The one-pass statistics accumulator of the kernel API: the sufficient statistics of
// src/backend/statistics.ts (the default estimator's), fed chunk by chunk from typed arrays or
// F64Buffers, merged exactly.
import { checkStatistics, StatisticsAccumulator, type CheckedStatistics } from '../backend/statistics.js';
import { show } from '../input/scalars.js';
import { dimArg, f64Arg, lengthArg, rowsOf, sampleValuesArg } from './check.js';
import type { Engine } from './engine.js';
import type { F64Data, StatsAccumulator, StatsTotals } from './types.js';

const accumulators = new WeakMap<object, StatisticsAccumulator>();

export function createAccumulator(engine: Engine, init: unknown): StatsAccumulator {
  // the same exact accumulator as fit's: typed partials, JSON only when asked for
  let stats: StatisticsAccumulator;
  if (typeof init === 'number') stats = new StatisticsAccumulator(dimArg('init', init));
  else if (typeof init === 'object' && init !== null) stats = StatisticsAccumulator.of(checkStatistics('init', init));
  else throw new TypeError(`init must be a dimension d or a Statistics object, got ${show(init)}`);
  const d = stats.d;

  const acc: StatsAccumulator = {
    d,
    get n() {
      return stats.n;
    },

    push(x: F64Data) {
      const a = f64Arg('x', x);
      const pinned = engine.pin('x', a);
      rowsOf('x', a, d);
      sampleValuesArg('x', a, d); // the whole chunk, before any of it is added
      engine.momentBlocks(pinned, d, (partial, rows) => stats.add(partial, rows));
    },

    merge(other) {
      const theirs = typeof other === 'object' && other !== null ? accumulators.get(other) : undefined;
      const s = theirs ?? checkStatistics('other', other);
      if (s.d !== d) throw new RangeError(`other has d = ${s.d}, but this accumulator has d = ${d}`);
      if (theirs !== undefined) stats.mergeAccumulator(theirs);
      else stats.merge(s as CheckedStatistics);
    },

    statistics() {
      return stats.statistics();
    },

    totals(): StatsTotals {
      const t = stats.totals();
      const diag = (m: Float64Array) => Float64Array.from({ length: d }, (_, i) => m[i * d + i]);
      return { ...t, count: diag(t.n11), sum: diag(t.a1), sumSq: diag(t.a2) };
    },

    totalsInto(out: F64Data) {
      const o = f64Arg('out', out);
      engine.pin('out', o); // refuses a stale view
      lengthArg('out', o, 3 * d + 4 * d * d, '3 d + 4 d^2');
      const t = acc.totals();
      const parts = [t.count, t.sum, t.sumSq, t.n11, t.a1, t.a2, t.g];
      let at = 0;
      for (const p of parts) {
        o.set(p, at);
        at += p.length;
      }
    },
  };
  accumulators.set(acc, stats);
  return acc;
}
