// The summary of a Figure 1 run as markdown: per sweep, the errors and the distances (mean ±
// standard deviation over runs) of each method beside the paper's read-off values, then the
// acceptance checks (checks.ts).
import type { Method } from '../types.js';
import type { Metric, PointSummary } from './aggregate.js';
import type { Check } from './acceptance.js';
import type { Figure1Settings, RunRecord } from './figure1.js';
import { duration, formatMeanSd, sig } from './format.js';
import { SWEEPS, type PaperValues, type SweepId } from './sweeps.js';

export interface SummaryInput {
  settings: Figure1Settings;
  /** The records, for the list of fits that warned. */
  runs: readonly RunRecord[];
  summaries: readonly PointSummary[];
  checks: readonly Check[];
  wallMs: number;
  /** The command that made it, shown so the table can be regenerated. */
  command?: string;
}

const HEADINGS: Record<SweepId, (s: Figure1Settings) => string> = {
  a: (s) => `(a) samples: n = ${fmtN(20_000 * s.nScale)} … ${fmtN(200_000 * s.nScale)}, d = k = 5, κ = 1`,
  b: (s) => `(b) dimension: d = 5 … ${s.maxD}, n = ${fmtN(500_000 * s.nScale)}, κ = 1`,
  c: (s) => `(c) condition number: κ = 1 … 25, n = ${fmtN(500_000 * s.nScale)}, d = 5`,
};
const VARIABLE: Record<SweepId, string> = { a: 'n', b: 'd', c: 'κ' };

function fmtN(n: number): string {
  return n >= 1000 && n % 1000 === 0 ? `${n / 1000}k` : String(n);
}

interface Column {
  head: string;
  cell: (byMethod: Partial<Record<Method, PointSummary>>, paper: PaperValues | null) => string;
}

function ours(metric: Metric, method: Method, name: string): Column {
  return {
    head: `${name} \`${method}\``,
    cell: (m) => {
      const s = m[method];
      return s ? formatMeanSd(s.stats[metric].mean, s.stats[metric].sd) : '–';
    },
  };
}
function theirs(key: keyof PaperValues, name: string): Column {
  return { head: `${name} Fig. 1`, cell: (_, p) => (p ? String(p[key]) : '–') };
}

function table(sweep: SweepId, rows: readonly PointSummary[], columns: Column[]): string {
  const points = [...new Set(rows.map((r) => r.point))];
  const lines = [`| ${VARIABLE[sweep]} | ${columns.map((c) => c.head).join(' | ')} |`, `|---|${columns.map(() => '---').join('|')}|`];
  for (const point of points) {
    const at = rows.filter((r) => r.point === point);
    const byMethod: Partial<Record<Method, PointSummary>> = {};
    for (const r of at) byMethod[r.method] = r;
    const x = sweep === 'a' ? fmtN(at[0].n) : String(at[0].x);
    lines.push(`| ${x} | ${columns.map((c) => c.cell(byMethod, at[0].paper)).join(' | ')} |`);
  }
  return lines.join('\n');
}

/** The summary as markdown. */
export function summaryMarkdown(input: SummaryInput): string {
  const { settings: s, summaries, checks } = input;
  const methods = s.methods;
  const errorCols: Column[] = [
    theirs('errB', 'err_b'),
    ...methods.map((m) => ours('errB', m, 'err_b')),
    theirs('errSigma', 'err_Σ'),
    ...methods.map((m) => ours('errSigma', m, 'err_Σ')),
  ];
  const distanceCols: Column[] = [
    theirs('tvBound', 'TV bound'),
    ...methods.map((m) => ours('klBound', m, 'TV bound')),
    ...methods.map((m) => ours('tvGaussian', m, 'Gaussian TV')),
    ...methods.map((m) => ours('tvRectified', m, 'rectified TV')),
  ];
  const out: string[] = ['# Figure 1 of Wu, Dimakis & Sanghavi (NeurIPS 2019), reproduced', ''];
  if (input.command) out.push(`Made by \`${input.command}\` in ${duration(input.wallMs)} (wall time).`, '');
  out.push(
    `${s.runs} run${s.runs === 1 ? '' : 's'} a point (a fresh instance each: b* = max(0, randn), W* = U diag(s) as in the paper's script), ` +
      `seed ${s.seed}, methods ${methods.map((m) => `\`${m}\``).join(' and ')} fitted to the same samples. ` +
      `Cells are mean ± standard deviation over the runs; "Fig. 1" columns are the values read off the paper's Figure 1 ` +
      '(±0.005, ±0.01 for the TV bound). err_b = ‖b̂ − b*‖₂ / ‖W*‖_F, err_Σ = ‖Σ̂ − W*W*ᵀ‖_F / ‖W*‖_F², ' +
      'TV bound = √(min KL / 2) between the Gaussians (the paper\'s "upper bound on TV distance"), ' +
      `Gaussian TV and rectified TV = Monte Carlo total variation between the true and learned N(b, Σ) and ReLU(N(b, Σ)) ` +
      `(${s.tvDraws} draws, ${s.tvPoints} GHK lattice points).`,
    '',
  );
  if (s.quick) {
    out.push(
      `**Quick run**: n is ${s.nScale} × the paper's (and d <= ${s.maxD}), so the errors are larger than the paper's and are not compared with them.`,
      '',
    );
  }
  for (const sweep of s.sweeps) {
    const rows = summaries.filter((r) => r.sweep === sweep);
    if (rows.length === 0) continue;
    out.push(`## ${HEADINGS[sweep](s)}`, '', `Paper: fix ${SWEEPS[sweep].title}.`, '');
    out.push(table(sweep, rows, errorCols), '', table(sweep, rows, distanceCols), '');
  }
  const warned = input.runs.filter((r) => r.warnings.length > 0);
  out.push('## Fits that warned', '');
  if (warned.length === 0) out.push('None.');
  for (const r of warned) {
    const at = `${VARIABLE[r.sweep]} = ${r.sweep === 'a' ? r.n : r.sweep === 'b' ? r.d : r.kappa}`;
    out.push(
      `- sweep ${r.sweep}, ${at}, run ${r.run}, \`${r.method}\` (model seed ${r.modelSeed}, sample seed ${r.sampleSeed}): ` +
        `${r.warnings.join('; ')} (err_b ${sig(r.errB)}, err_Σ ${sig(r.errSigma)}).`,
    );
  }
  out.push('');
  out.push('## Checks', '');
  for (const c of checks) {
    const verdict = c.holds === null ? 'not checked' : c.holds ? 'holds' : '**fails**';
    out.push(`- ${c.claim}: ${verdict}; ${c.detail}.`);
  }
  out.push('');
  return out.join('\n');
}
