// Writes the results into the page: the table, the heatmaps, the bias plot and its table.
import type { FitResult, TvDistances } from 'relu-density';
import { drawHeatmap, maxAbs } from './heatmap.js';
import { drawScatter, type Series } from './scatter.js';

export type MethodName = 'mle' | 'paper';

/** One fitted method and what we know of its errors. */
export interface MethodRun {
  method: MethodName;
  result: FitResult;
  /** Wall time of the fit as the page saw it (call to result, worker start included), ms. */
  ms: number;
  errB?: number;
  errSigma?: number;
  kl?: number;
}

export const METHOD_LABEL: Record<MethodName, string> = { mle: "default ('mle')", paper: "paper ('paper')" };
const STYLE: Record<MethodName, Pick<Series, 'color' | 'shape'>> = {
  mle: { color: '#1f5fbf', shape: 'circle' },
  paper: { color: '#c0392b', shape: 'cross' },
};

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const fmt = (v: number | undefined, digits = 4) => (v === undefined ? '—' : Number.isFinite(v) ? v.toPrecision(digits) : String(v));
const ms = (v: number) => (v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${v.toFixed(v < 10 ? 1 : 0)} ms`);

function cell(tag: 'td' | 'th', text: string, attrs: Record<string, string> = {}): HTMLElement {
  const el = document.createElement(tag);
  el.textContent = text;
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  return el;
}

/** The results table: one column per method; TV cells are filled in later by fillTv. */
export function renderTable(caption: string, runs: MethodRun[], withTruth: boolean, extraRows: [string, string][] = []): void {
  $('result-caption').textContent = caption;
  const thead = $('result-table').querySelector('thead')!;
  const tbody = $('result-table').querySelector('tbody')!;
  thead.replaceChildren();
  tbody.replaceChildren();
  const head = document.createElement('tr');
  head.append(cell('th', 'quantity', { scope: 'col' }), ...runs.map((r) => cell('th', METHOD_LABEL[r.method], { scope: 'col' })));
  thead.append(head);

  const rows: [string, (r: MethodRun) => string, string?][] = [];
  if (withTruth) {
    rows.push(['err_b = ‖b̂ − b*‖ / ‖W*‖_F', (r) => fmt(r.errB)]);
    rows.push(['err_Σ = ‖Σ̂ − Σ*‖_F / ‖W*‖_F²', (r) => fmt(r.errSigma)]);
    rows.push(['KL bound √(min KL / 2)', (r) => fmt(r.kl)]);
    rows.push(['TV, rectified (Monte Carlo ± SE)', () => '…', 'tv-rectified']);
    rows.push(['TV, Gaussian (Monte Carlo ± SE)', () => '…', 'tv-gaussian']);
  }
  rows.push(['fit time (passes in a worker)', (r) => ms(r.ms)]);
  rows.push([
    'stages',
    (r) =>
      Object.entries(r.result.diagnostics.timings)
        .map(([k, v]) => `${k} ${ms(v)}`)
        .join(', '),
  ]);
  rows.push(['smallest eigenvalue of corr(Σ̂)', (r) => fmt(r.result.diagnostics.minEigenvalue)]);
  rows.push(['warnings', (r) => (r.result.warnings.length === 0 ? 'none' : r.result.warnings.join('; '))]);
  for (const [label, value, tvKey] of rows) {
    const tr = document.createElement('tr');
    tr.append(cell('th', label, { scope: 'row' }));
    for (const r of runs) tr.append(cell('td', value(r), tvKey ? { 'data-tv': `${r.method}-${tvKey}` } : {}));
    tbody.append(tr);
  }
  for (const [label, value] of extraRows) {
    const tr = document.createElement('tr');
    tr.append(cell('th', label, { scope: 'row' }), cell('td', value, { colspan: String(runs.length) }));
    tbody.append(tr);
  }
}

/** Fills one method's TV cells: an estimate, or why there is none. */
export function fillTv(method: MethodName, tv: TvDistances | string): void {
  const set = (key: string, text: string) => {
    const el = document.querySelector(`[data-tv="${method}-${key}"]`);
    if (el) el.textContent = text;
  };
  if (typeof tv === 'string') {
    set('tv-rectified', tv);
    set('tv-gaussian', tv);
  } else {
    set('tv-rectified', `${fmt(tv.rectified.value, 3)} ± ${fmt(tv.rectified.se, 2)}`);
    set('tv-gaussian', `${fmt(tv.gaussian.value, 3)} ± ${fmt(tv.gaussian.se, 2)}`);
  }
}

function heatmapFigure(title: string, values: ArrayLike<number>, d: number, scale: number): HTMLElement {
  const fig = document.createElement('figure');
  const canvas = document.createElement('canvas');
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', `${title}: heatmap of a ${d} by ${d} matrix, colour scale ±${scale.toPrecision(3)}`);
  canvas.className = 'heatmap';
  drawHeatmap(canvas, values, d, scale);
  const cap = document.createElement('figcaption');
  cap.textContent = `${title} (red +, blue −, full colour at ±${scale.toPrecision(3)})`;
  fig.append(canvas, cap);
  return fig;
}

/**
 * A grid with one column per method beside Sigma*'s: Sigma* and each Sigma_hat on one scale
 * (the largest |entry| of Sigma*, or of the estimates), and below each Sigma_hat its
 * Sigma_hat - Sigma* on a finer scale the methods share.
 */
export function renderHeatmaps(d: number, truthSigma: Float64Array | null, runs: MethodRun[]): void {
  const box = $('heatmaps');
  box.replaceChildren();
  const columns = runs.length + (truthSigma ? 1 : 0);
  box.style.gridTemplateColumns = `repeat(${columns}, minmax(250px, 1fr))`;
  const scale = truthSigma ? maxAbs(truthSigma) : Math.max(...runs.map((r) => maxAbs(r.result.sigma)));
  const place = (fig: HTMLElement, row: number, col: number) => {
    fig.style.gridRow = String(row);
    fig.style.gridColumn = String(col);
    box.append(fig);
  };
  const first = truthSigma ? 2 : 1;
  if (truthSigma) place(heatmapFigure('Σ*', truthSigma, d, scale), 1, 1);
  for (const [i, r] of runs.entries()) place(heatmapFigure(`Σ̂, ${METHOD_LABEL[r.method]}`, r.result.sigma, d, scale), 1, first + i);
  if (truthSigma) {
    const diffs = runs.map((r) => r.result.sigma.map((v, i) => v - truthSigma[i]));
    const dscale = Math.max(...diffs.map(maxAbs));
    for (const [i, r] of runs.entries()) place(heatmapFigure(`Σ̂ − Σ*, ${METHOD_LABEL[r.method]}`, diffs[i], d, dscale), 2, first + i);
  }
  $('heatmap-hint').textContent = truthSigma
    ? 'Top row: Σ* and the estimates on one colour scale. Bottom row: the errors, on a finer scale they share.'
    : 'The estimates share one colour scale.';
}

/** The b_hat-against-b* plot (when b* is known) and the table of bias values. */
export function renderBias(truthB: Float64Array | null, runs: MethodRun[]): void {
  $('bias-section').hidden = truthB === null;
  if (truthB) {
    drawScatter(
      $('scatter'),
      truthB,
      runs.map((r) => ({ label: r.method, values: r.result.b, ...STYLE[r.method] })),
    );
    $('scatter-caption').textContent =
      runs.map((r) => `${STYLE[r.method].shape === 'circle' ? '○' : '×'} ${METHOD_LABEL[r.method]}`).join(', ') + '; dashed: b̂ = b*.';
  }
  const thead = $('bias-table').querySelector('thead')!;
  const tbody = $('bias-table').querySelector('tbody')!;
  const head = document.createElement('tr');
  head.append(cell('th', 'i', { scope: 'col' }));
  if (truthB) head.append(cell('th', 'b*', { scope: 'col' }));
  for (const r of runs) head.append(cell('th', `b̂, ${METHOD_LABEL[r.method]}`, { scope: 'col' }));
  thead.replaceChildren(head);
  tbody.replaceChildren();
  const d = runs[0].result.d;
  for (let i = 0; i < d; i++) {
    const tr = document.createElement('tr');
    tr.append(cell('th', String(i + 1), { scope: 'row' }));
    if (truthB) tr.append(cell('td', fmt(truthB[i])));
    for (const r of runs) tr.append(cell('td', fmt(r.result.b[i])));
    tbody.append(tr);
  }
}
