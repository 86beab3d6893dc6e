// Run records -> mean and standard deviation per (sweep, point, method), with the paper's
// values beside them when the point is the paper's (same n: not in quick mode).
import type { Method } from '../types.js';
import type { RunRecord } from './figure1.js';
import { SWEEPS, sweptValue, type PaperValues, type SweepId } from './sweeps.js';

export const METRICS = ['errB', 'errSigma', 'klBound', 'tvGaussian', 'tvRectified'] as const;
export type Metric = (typeof METRICS)[number];

export interface MeanSd {
  mean: number;
  /** Sample standard deviation over runs (n - 1 in the denominator, as MATLAB's std); 0 for one run. */
  sd: number;
}

export interface PointSummary {
  sweep: SweepId;
  point: number;
  method: Method;
  n: number;
  d: number;
  kappa: number;
  /** The swept value (n, d or kappa). */
  x: number;
  runs: number;
  stats: Record<Metric, MeanSd>;
  /** The paper's values at this point, or null if n differs from the paper's (quick mode). */
  paper: PaperValues | null;
}

function meanSd(values: number[]): MeanSd {
  const mean = values.reduce((a, v) => a + v, 0) / values.length;
  if (values.length < 2) return { mean, sd: 0 };
  const ss = values.reduce((a, v) => a + (v - mean) * (v - mean), 0);
  return { mean, sd: Math.sqrt(ss / (values.length - 1)) };
}

const SWEEP_ORDER: Record<SweepId, number> = { a: 0, b: 1, c: 2 };
const METHOD_ORDER: Record<Method, number> = { paper: 0, mle: 1 };

/** One summary per (sweep, point, method) present in the records, in sweep, point, method order. */
export function summarize(records: readonly RunRecord[]): PointSummary[] {
  const groups = new Map<string, RunRecord[]>();
  for (const r of records) {
    const key = `${r.sweep}/${r.point}/${r.method}`;
    const g = groups.get(key);
    if (g) g.push(r);
    else groups.set(key, [r]);
  }
  const out: PointSummary[] = [];
  for (const g of groups.values()) {
    const r = g[0];
    const sweep = SWEEPS[r.sweep];
    const paperPoint = sweep.points[r.point];
    const stats = Object.fromEntries(METRICS.map((m) => [m, meanSd(g.map((x) => x[m]))])) as Record<Metric, MeanSd>;
    out.push({
      sweep: r.sweep,
      point: r.point,
      method: r.method,
      n: r.n,
      d: r.d,
      kappa: r.kappa,
      x: sweptValue(sweep, r),
      runs: g.length,
      stats,
      paper: paperPoint.n === r.n ? paperPoint.paper : null,
    });
  }
  return out.sort((a, b) => SWEEP_ORDER[a.sweep] - SWEEP_ORDER[b.sweep] || a.point - b.point || METHOD_ORDER[a.method] - METHOD_ORDER[b.method]);
}
