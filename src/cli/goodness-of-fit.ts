// Goodness of fit of a ReLU model to data, from the one-pass statistics of the data
// (accumulateAsync: N11 = #{x_i > 0, x_j > 0}, A1_ii = sum x_i, A2_ii = sum x_i^2).
//
// Under the model x = max(0, Y), Y ~ N(b, S), with s_i = sqrt(S_ii), h_i = b_i / s_i and
// rho_ij = S_ij / (s_i s_j), three families of moments are compared with the data:
//   zeros    P(x_i = 0)          = Phi(-h_i)
//   means    E[x_i]              = b_i Phi(h_i) + s_i phi(h_i)
//            (E[x_i^2]           = (b_i^2 + s_i^2) Phi(h_i) + b_i s_i phi(h_i), for its variance)
//   pairs    P(x_i > 0, x_j > 0) = Phi_2(h_i, h_j; rho_ij)   (bivariate normal orthant, bvn.ts)
// Each observed value is an average of n i.i.d. terms, so under the model
// z = (observed - model) / sqrt(Var_model / n) is approximately N(0, 1) (CLT), the model
// being taken as exact. Hence for each family: mean z^2 is about 1, max |z| is that of m
// standard normals, and p = min(1, 2 m Phi(-max|z|)) (Bonferroni) is a valid, conservative
// p-value of "the data come from this model" that does not need the z's to be independent.
//
// What it means in practice. The z's ignore the model's own estimation error: evaluated on
// the rows it was fit on, a model matches the zero frequencies by construction and z's
// shrink towards 0 (mean z^2 well below 1); on held-out data of n rows, a correct model fit
// on n_fit rows gives mean z^2 of about 1 + n / n_fit (the estimate's variance adds in). A
// mean z^2 far above that, or a small p, says the model misses the data: wrong marginals
// (zeros, means) or wrong dependence (pairs).
import type { StatisticTotals } from '../backend/statistics.js';
import { bvnCdf, bvnUpper } from '../numerics/bvn.js';
import { gram } from '../estimators/gram.js';
import { Phi, phi } from '../numerics/normal-cdf.js';
import type { CheckedModel } from '../input/arrays.js';

export interface Comparison {
  observed: number;
  model: number;
  /** Standard error of `observed` under the model (sqrt(Var / n)). */
  se: number;
  /** (observed - model) / se; 0 when both agree exactly, +-Infinity when se is 0 and they do not. */
  z: number;
}

export interface FamilySummary {
  /** Comparisons in the family. */
  tests: number;
  /** Mean of z^2: about 1 when the model is right (see the header for fitted models). */
  meanZ2: number;
  /** The largest |z| and where it is. */
  maxAbsZ: number;
  at: number[];
  /** Bonferroni p-value of the largest |z|: min(1, 2 m Phi(-max|z|)). */
  p: number;
  /** |z| > 3, and how many of m standard normals exceed 3 on average (m x 0.0027). */
  over3: number;
  expectedOver3: number;
}

export interface GoodnessOfFit {
  n: number;
  d: number;
  coordinates: { i: number; zeros: Comparison; mean: Comparison }[];
  /** Pairs i < j, sorted by |z| descending (all, or the first `pairs` of them). */
  pairs: ({ i: number; j: number } & Comparison)[];
  summary: { zeros: FamilySummary; means: FamilySummary; pairs: FamilySummary; all: { tests: number; maxAbsZ: number; p: number } };
}

function compare(observed: number, model: number, variance: number, n: number): Comparison {
  const se = Math.sqrt(Math.max(0, variance) / n);
  const diff = observed - model;
  const z = diff === 0 ? 0 : se > 0 ? diff / se : diff > 0 ? Infinity : -Infinity;
  return { observed, model, se, z };
}

function summarize(zs: { z: number; at: number[] }[]): FamilySummary {
  let sum = 0;
  let max = 0;
  let at: number[] = [];
  let over3 = 0;
  for (const { z, at: where } of zs) {
    const a = Math.abs(z);
    sum += z * z;
    if (a > 3) over3++;
    if (a > max || at.length === 0) {
      max = a;
      at = where;
    }
  }
  const m = zs.length;
  return { tests: m, meanZ2: m ? sum / m : 0, maxAbsZ: max, at, p: bonferroni(max, m), over3, expectedOver3: m * 2 * Phi(-3) };
}

function bonferroni(maxAbsZ: number, m: number): number {
  return m === 0 ? 1 : Math.min(1, 2 * m * Phi(-maxAbsZ));
}

/**
 * The goodness-of-fit report of `model` on data with statistics `st`. `keepPairs` limits
 * the pairs listed (sorted by |z|); every pair counts in the summary.
 */
export function goodnessOfFit(st: StatisticTotals, model: CheckedModel, keepPairs = Infinity): GoodnessOfFit {
  const { n, d } = st;
  const S = gram(model.W.data, d, model.k);
  const s = Float64Array.from({ length: d }, (_, i) => Math.sqrt(S[i * d + i]));
  const b = model.b;
  // P(Y_i > 0) and P(Y_i <= 0) = P(x_i = 0), each from its own tail: 1 - Phi(h) would keep
  // only an absolute 1e-16 of a zero probability of 1e-9 (Phi(-h) keeps all its digits).
  // A zero-variance coordinate is the constant b_i.
  const pPos = (i: number) => (s[i] > 0 ? Phi(b[i] / s[i]) : b[i] > 0 ? 1 : 0);
  const pZero = (i: number) => (s[i] > 0 ? Phi(-b[i] / s[i]) : b[i] > 0 ? 0 : 1);

  const coordinates = [];
  for (let i = 0; i < d; i++) {
    const q = pPos(i);
    const q0 = pZero(i);
    const zeros = compare(1 - st.n11[i * d + i] / n, q0, q * q0, n);
    let mu: number;
    let m2: number;
    if (s[i] > 0) {
      const h = b[i] / s[i];
      mu = b[i] * q + s[i] * phi(h);
      m2 = (b[i] * b[i] + s[i] * s[i]) * q + b[i] * s[i] * phi(h);
    } else {
      mu = Math.max(0, b[i]);
      m2 = mu * mu;
    }
    coordinates.push({ i, zeros, mean: compare(st.a1[i * d + i] / n, mu, m2 - mu * mu, n) });
  }

  const pairs = [];
  for (let i = 0; i < d; i++) {
    for (let j = i + 1; j < d; j++) {
      // q = P(x_i > 0, x_j > 0) and, for its variance, 1 - q = P(x_i = 0 or x_j = 0) as a sum
      // of tails (>= either term, so nothing cancels) rather than 1 - q.
      let q: number;
      let notQ: number;
      const zi = pZero(i);
      const zj = pZero(j);
      if (s[i] > 0 && s[j] > 0) {
        const rho = Math.max(-1, Math.min(1, S[i * d + j] / (s[i] * s[j])));
        q = bvnUpper(-b[i] / s[i], -b[j] / s[j], rho);
        notQ = Math.min(1, zi + zj - bvnCdf(-b[i] / s[i], -b[j] / s[j], rho));
      } else {
        q = pPos(i) * pPos(j); // a constant coordinate is independent of the other
        notQ = zi + zj - zi * zj;
      }
      pairs.push({ i, j, ...compare(st.n11[i * d + j] / n, q, q * notQ, n) });
    }
  }

  const zeros = summarize(coordinates.map((c) => ({ z: c.zeros.z, at: [c.i] })));
  const means = summarize(coordinates.map((c) => ({ z: c.mean.z, at: [c.i] })));
  const pairSummary = summarize(pairs.map((p) => ({ z: p.z, at: [p.i, p.j] })));
  const tests = zeros.tests + means.tests + pairSummary.tests;
  const maxAbsZ = Math.max(zeros.maxAbsZ, means.maxAbsZ, pairSummary.maxAbsZ);
  pairs.sort((x, y) => Math.abs(y.z) - Math.abs(x.z));
  return {
    n,
    d,
    coordinates,
    pairs: Number.isFinite(keepPairs) ? pairs.slice(0, keepPairs) : pairs,
    summary: { zeros, means, pairs: pairSummary, all: { tests, maxAbsZ, p: bonferroni(maxAbsZ, tests) } },
  };
}
