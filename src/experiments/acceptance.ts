// What the reproduction must show (the acceptance criteria), evaluated on a run's
// records and summaries. The summary prints them; nothing here changes a number.
//
// - The paper method's mean err_b and err_Sigma within 35% of the paper's in sweep a, 50% in
//   sweeps b and c (the read-off values are rough, +-0.005 on values of 0.01-0.02).
// - The default method's mean err_Sigma at most 0.15 x the paper method's, at every point.
// - On every run: rectified TV <= Gaussian TV <= the KL bound. Both TVs are Monte Carlo
//   estimates, so each inequality is checked to 3 standard errors: the first through the
//   common-draw difference (gap >= -3 SE(gap)), the second as Gaussian TV <= bound + 3 SE
//   (the bound is exact). Pinsker's inequality makes the second hold for the true values;
//   data processing (rectification is a function of the Gaussian) the first.
import type { PointSummary } from './aggregate.js';
import type { RunRecord } from './figure1.js';
import type { SweepId } from './sweeps.js';

export interface Check {
  /** What is claimed. */
  claim: string;
  /** true / false, or null when the run has nothing to check it on (e.g. quick mode, one method). */
  holds: boolean | null;
  /** The numbers behind the verdict (worst case). */
  detail: string;
}

export const PAPER_TOLERANCE: Record<SweepId, number> = { a: 0.35, b: 0.5, c: 0.5 };
export const MLE_SIGMA_RATIO = 0.15;
export const SE_MULTIPLE = 3;

const pct = (v: number) => `${(100 * v).toFixed(1)}%`;
const label = (s: PointSummary) => `${s.sweep}: ${s.sweep === 'a' ? 'n' : s.sweep === 'b' ? 'd' : 'kappa'} = ${s.x}`;

function paperAgreement(summaries: readonly PointSummary[], sweep: SweepId): Check {
  const tol = PAPER_TOLERANCE[sweep];
  const claim = `sweep ${sweep}: method 'paper' mean err_b and err_Sigma within ${pct(tol)} of the paper's Figure 1`;
  const rows = summaries.filter((s) => s.sweep === sweep && s.method === 'paper' && s.paper !== null);
  if (rows.length === 0) return { claim, holds: null, detail: "not run at the paper's n" };
  let worst = { dev: -1, where: '' };
  for (const s of rows) {
    for (const [name, got, want] of [
      ['err_b', s.stats.errB.mean, s.paper!.errB],
      ['err_Sigma', s.stats.errSigma.mean, s.paper!.errSigma],
    ] as const) {
      const dev = Math.abs(got / want - 1);
      if (dev > worst.dev) worst = { dev, where: `${label(s)}, ${name} ${got.toFixed(4)} vs ${want}` };
    }
  }
  return { claim, holds: worst.dev <= tol, detail: `largest deviation ${pct(worst.dev)} (${worst.where})` };
}

function mleVsPaper(summaries: readonly PointSummary[]): Check {
  const claim = `method 'mle' mean err_Sigma <= ${MLE_SIGMA_RATIO} x method 'paper' at every point`;
  let worst = { ratio: -1, where: '' };
  for (const m of summaries.filter((s) => s.method === 'mle')) {
    const p = summaries.find((s) => s.method === 'paper' && s.sweep === m.sweep && s.point === m.point);
    if (!p) continue;
    const ratio = m.stats.errSigma.mean / p.stats.errSigma.mean;
    if (ratio > worst.ratio) worst = { ratio, where: `${label(m)}: ${m.stats.errSigma.mean.toFixed(4)} vs ${p.stats.errSigma.mean.toFixed(4)}` };
  }
  if (worst.ratio < 0) return { claim, holds: null, detail: 'needs both methods' };
  return { claim, holds: worst.ratio <= MLE_SIGMA_RATIO, detail: `largest ratio ${worst.ratio.toFixed(3)} (${worst.where})` };
}

/** rectified <= Gaussian, to SE_MULTIPLE standard errors of their common-draw difference. */
export function rectifiedBelowGaussian(r: RunRecord): boolean {
  return r.tvGap >= -SE_MULTIPLE * r.tvGapSe;
}

/** Gaussian TV <= the KL bound, to SE_MULTIPLE standard errors of the Gaussian TV. */
export function gaussianBelowBound(r: RunRecord): boolean {
  return r.tvGaussian <= r.klBound + SE_MULTIPLE * r.tvGaussianSe;
}

function inequalities(records: readonly RunRecord[]): Check[] {
  const count = (f: (r: RunRecord) => boolean) => records.filter(f).length;
  const minBy = (f: (r: RunRecord) => number) => records.reduce((a, r) => Math.min(a, f(r)), Infinity);
  const n = records.length;
  const a = count(rectifiedBelowGaussian);
  const b = count(gaussianBelowBound);
  return [
    {
      claim: `rectified TV <= Gaussian TV on every run (to ${SE_MULTIPLE} SE of their common-draw difference)`,
      holds: n === 0 ? null : a === n,
      detail: `${a} of ${n} runs; smallest (Gaussian - rectified) / SE = ${minBy((r) => r.tvGap / r.tvGapSe).toFixed(1)}`,
    },
    {
      claim: `Gaussian TV <= KL bound on every run (to ${SE_MULTIPLE} SE)`,
      holds: n === 0 ? null : b === n,
      detail: `${b} of ${n} runs; largest Gaussian TV / bound = ${(-minBy((r) => -r.tvGaussian / r.klBound)).toFixed(3)}`,
    },
  ];
}

/** Every acceptance check on one run of the experiment. */
export function figure1Checks(records: readonly RunRecord[], summaries: readonly PointSummary[]): Check[] {
  const sweeps = [...new Set(summaries.map((s) => s.sweep))];
  return [...sweeps.map((s) => paperAgreement(summaries, s)), mleVsPaper(summaries), ...inequalities(records)];
}
