// The three sweeps of Figure 1 of Wu, Dimakis & Sanghavi (NeurIPS 2019), as the authors'
// scripts_figure1.m runs them (github.com/wushanshan/densityEstimation), with the paper's
// values read off the plot by eye (good to about +-0.005 for err_b and err_Sigma, +-0.01 for
// the TV bound; mean over 10 runs a point). Copied from shared/paper/figure1.json.
//
// Instances, fresh for every run of every point: b* = max(0, randn(d)), W* = U from the SVD
// of randn(d, k) / sqrt(k) (k = d; sweep a has d = k = 5), and for sweep c
// W* = U diag(lambda^-(j-1)), lambda = sqrt(kappa)^(1/(d-1)), so cond(W* W*^T) = kappa.
// This is randomModel({ d, kappa }) (src/model/random.ts).

export type SweepId = 'a' | 'b' | 'c';
export const SWEEP_IDS: readonly SweepId[] = ['a', 'b', 'c'];

/** The paper's plotted values at one point. */
export interface PaperValues {
  errB: number;
  errSigma: number;
  /** sqrt(min KL / 2), the paper's "upper bound on TV distance". */
  tvBound: number;
}

export interface SweepPoint {
  n: number;
  d: number;
  kappa: number;
  paper: PaperValues;
}

export interface Sweep {
  id: SweepId;
  /** The swept quantity. */
  variable: 'n' | 'd' | 'kappa';
  /** What stays fixed, as the paper's panel title says it. */
  title: string;
  points: SweepPoint[];
}

function points(
  values: number[],
  at: (v: number) => { n: number; d: number; kappa: number },
  errB: number[],
  errSigma: number[],
  tvBound: number[],
): SweepPoint[] {
  return values.map((v, i) => ({ ...at(v), paper: { errB: errB[i], errSigma: errSigma[i], tvBound: tvBound[i] } }));
}

export const SWEEPS: Record<SweepId, Sweep> = {
  a: {
    id: 'a',
    variable: 'n',
    title: 'd = k = 5, kappa = 1',
    points: points(
      [20_000, 50_000, 80_000, 110_000, 140_000, 170_000, 200_000],
      (n) => ({ n, d: 5, kappa: 1 }),
      [0.101, 0.058, 0.046, 0.032, 0.026, 0.026, 0.021],
      [0.177, 0.105, 0.084, 0.059, 0.049, 0.051, 0.041],
      [0.51, 0.245, 0.18, 0.125, 0.101, 0.103, 0.083],
    ),
  },
  b: {
    id: 'b',
    variable: 'd',
    title: 'n = 5e5, kappa = 1',
    points: points(
      [5, 9, 13, 17, 21, 25],
      (d) => ({ n: 500_000, d, kappa: 1 }),
      [0.012, 0.009, 0.01, 0.01, 0.012, 0.01],
      [0.022, 0.017, 0.02, 0.019, 0.024, 0.02],
      [0.046, 0.062, 0.109, 0.139, 0.238, 0.234],
    ),
  },
  c: {
    id: 'c',
    variable: 'kappa',
    title: 'n = 5e5, d = 5',
    points: points(
      [1, 5, 9, 13, 17, 21, 25],
      (kappa) => ({ n: 500_000, d: 5, kappa }),
      [0.015, 0.012, 0.01, 0.011, 0.012, 0.014, 0.013],
      [0.026, 0.021, 0.016, 0.018, 0.019, 0.02, 0.021],
      [0.052, 0.055, 0.047, 0.053, 0.066, 0.104, 0.109],
    ),
  },
};

/** The swept value of a point. */
export function sweptValue(sweep: Sweep, p: { n: number; d: number; kappa: number }): number {
  return p[sweep.variable];
}
