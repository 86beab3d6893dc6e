// The Vega-Lite specification of the reproduced Figure 1: three panels like the paper's
// (error against n, d and kappa), each with err_b, err_Sigma, the KL bound and the rectified
// TV of every method (mean over runs, error bars = ± one standard deviation), and the
// paper's read-off values overlaid. Pure data -> JSON, so it works in browsers (render it
// with vega-embed) and in Node (render.ts).
//
// The y axes are logarithmic: method 'mle' is about 10x below method 'paper', and a linear
// axis would flatten it to the floor. An error bar reaching below the axis (mean - sd <= its
// lower end) is cut at the axis.
import type { Method } from '../types.js';
import type { Metric, PointSummary } from './aggregate.js';
import type { PaperValues, SweepId } from './sweeps.js';

const PLOTTED: { metric: Metric; paper: keyof PaperValues | null; label: string; color: string }[] = [
  // MATLAB's default line colours, as in the paper's figure.
  { metric: 'errB', paper: 'errB', label: 'err_b = ‖b̂ − b*‖ / ‖W*‖_F', color: '#0072BD' },
  { metric: 'errSigma', paper: 'errSigma', label: 'err_Σ = ‖Σ̂ − Σ*‖_F / ‖W*‖_F²', color: '#D95319' },
  { metric: 'klBound', paper: 'tvBound', label: 'TV bound √(KL/2)', color: '#77AC30' },
  { metric: 'tvRectified', paper: null, label: 'rectified TV (Monte Carlo)', color: '#7E2F8E' },
];
const METHOD_LABEL: Record<Method, string> = { paper: "method 'paper'", mle: "method 'mle' (default)" };
const PAPER_LABEL = "paper's Figure 1 (read off)";

const X_AXIS: Record<SweepId, { title: string; scale: number }> = {
  a: { title: 'number of samples n (×10⁵)', scale: 1e-5 },
  b: { title: 'dimension d', scale: 1 },
  c: { title: 'condition number κ', scale: 1 },
};

interface Row {
  x: number;
  metric: string;
  method?: string;
  source?: string;
  mean?: number;
  lo?: number;
  hi?: number;
  value?: number;
}

/** What the panel holds fixed, as the paper's titles say it ("Fix n = 5e5, d = 5"), with the n run. */
function panelTitle(sweep: SweepId, p: PointSummary): string {
  const n = p.n.toExponential().replace('e+', 'e');
  return sweep === 'a' ? `Fix d = k = ${p.d}, κ = ${p.kappa}` : sweep === 'b' ? `Fix n = ${n}, κ = ${p.kappa}` : `Fix n = ${n}, d = ${p.d}`;
}

/** A power of ten at or below v. */
const decadeBelow = (v: number) => 10 ** Math.floor(Math.log10(v));
const decadeAbove = (v: number) => 10 ** Math.ceil(Math.log10(v));

interface Scales {
  color: Record<string, unknown>;
  strokeDash: Record<string, unknown>;
  shape: Record<string, unknown>;
}

function panel(sweep: SweepId, rows: readonly PointSummary[], size: { width: number; height: number }, scales: Scales): Record<string, unknown> {
  const { title, scale } = X_AXIS[sweep];
  const ours: Row[] = [];
  const paper: Row[] = [];
  for (const s of rows) {
    const x = s.x * scale;
    for (const p of PLOTTED) {
      const { mean, sd } = s.stats[p.metric];
      ours.push({ x, metric: p.label, method: METHOD_LABEL[s.method], mean, lo: mean - sd, hi: mean + sd });
      if (p.paper && s.paper && s.method === rows[0].method) paper.push({ x, metric: p.label, source: PAPER_LABEL, value: s.paper[p.paper] });
    }
  }
  const values = [...ours.map((r) => r.mean!), ...paper.map((r) => r.value!)].filter((v) => v > 0 && Number.isFinite(v));
  const top = decadeAbove(Math.max(...values, ...ours.map((r) => r.hi!).filter(Number.isFinite)));
  const bottom = decadeBelow(Math.min(...values));
  for (const r of ours) r.lo = Math.max(r.lo!, bottom);

  const x = { field: 'x', type: 'quantitative', title, scale: { zero: false, nice: false, padding: 8 } };
  const y = { type: 'quantitative', title: 'error', scale: { type: 'log', domain: [bottom, top] }, axis: { format: '~g' } };
  const color = { field: 'metric', type: 'nominal', title: null, scale: scales.color, legend: { symbolType: 'stroke', symbolStrokeWidth: 3, columns: 2 } };
  const layers: Record<string, unknown>[] = [
    {
      data: { values: ours },
      mark: { type: 'errorbar', ticks: { size: 6 }, thickness: 1.2 },
      encoding: { x, y: { ...y, field: 'lo' }, y2: { field: 'hi' }, color },
    },
    {
      data: { values: ours },
      mark: { type: 'line', strokeWidth: 1.8, point: { size: 18 } },
      encoding: {
        x,
        y: { ...y, field: 'mean' },
        color,
        strokeDash: {
          field: 'method',
          type: 'nominal',
          title: null,
          scale: scales.strokeDash,
          legend: {
            symbolType: 'stroke',
            symbolStrokeWidth: 2,
            symbolSize: 500,
            direction: 'vertical',
            encode: { symbols: { update: { stroke: { value: '#333' } } } },
          },
        },
      },
    },
  ];
  if (paper.length > 0) {
    layers.push({
      data: { values: paper },
      mark: { type: 'point', filled: false, size: 80, strokeWidth: 1.8 },
      encoding: {
        x,
        y: { ...y, field: 'value' },
        color,
        shape: { field: 'source', type: 'nominal', title: null, scale: scales.shape, legend: { symbolStrokeColor: '#333' } },
      },
    });
  }
  return { title: panelTitle(sweep, rows[0]), ...size, layer: layers };
}

/**
 * A Vega-Lite (v6) top-level specification, as plain JSON. Typed loosely on purpose: vega-lite
 * is an optional peer dependency, and a declared `TopLevelSpec` would make the types of
 * relu-density/experiments fail to resolve wherever it is not installed. Pass it to vega-lite's
 * `compile` or to vega-embed as it is.
 */
export interface Figure1Spec {
  $schema: string;
  [key: string]: unknown;
}

/** The figure for the given summaries (summarize()), panels in sweep order. */
export function figure1Spec(summaries: readonly PointSummary[], options: { width?: number; height?: number } = {}): Figure1Spec {
  const size = { width: options.width ?? 300, height: options.height ?? 260 };
  const sweeps = (['a', 'b', 'c'] as const).filter((s) => summaries.some((r) => r.sweep === s));
  const methods = (['paper', 'mle'] as const).filter((m) => summaries.some((r) => r.method === m));
  // Fixed domains, colours and dashes, so every figure reads the same whatever subset was run.
  const scales: Scales = {
    color: { domain: PLOTTED.map((p) => p.label), range: PLOTTED.map((p) => p.color) },
    strokeDash: { domain: methods.map((m) => METHOD_LABEL[m]), range: methods.map((m) => (m === 'paper' ? [1, 0] : [6, 3])) },
    shape: { domain: [PAPER_LABEL], range: ['diamond'] },
  };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    background: 'white',
    padding: 12,
    hconcat: sweeps.map((s) =>
      panel(
        s,
        summaries.filter((r) => r.sweep === s),
        size,
        scales,
      ),
    ),
    resolve: { scale: { x: 'independent', y: 'independent', color: 'shared', strokeDash: 'shared', shape: 'shared' } },
    config: {
      font: 'DejaVu Sans',
      title: { fontSize: 15 },
      axis: { labelFontSize: 11, titleFontSize: 12, grid: true, gridOpacity: 0.5 },
      legend: { orient: 'bottom', labelFontSize: 12, labelLimit: 400 },
    },
  };
}
