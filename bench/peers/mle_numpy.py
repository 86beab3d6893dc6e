"""numpy implementation of relu-density's default (censored-likelihood) estimator, from the
project's reference prototypes (../shared/reference/estimators.py: suff_stats, pair_stats,
tobit_mle, rho_quadrant_mle):

  stats  per coordinate m = #{x_i > 0}, S1 = sum x_i, S2 = sum x_i^2 (and n);
  pairs  d x d matrices N11 = P^T P (P = 1[X > 0]), A1 = X^T P, A2 = (X*X)^T P, G = X^T X,
         as float64 BLAS GEMMs;
  tobit  censored-normal (Tobit) MLE of (b_i, s_i) by damped Newton in Olsen's parameters
         gamma = 1/s, delta = b/s (concave log-likelihood), from the closed-form start;
  rho    per pair, the maximiser of the coarsened pairwise likelihood ("QG"): the bivariate
         normal density of the both-positive samples + the probabilities of the other three
         cells of the 2x2 table {x_i > 0, x_j > 0}; 50-point grid, then golden section;
  psd    Sigma_ij = rho_ij s_i s_j, PSD projection by eigh.
"""
import numpy as np
from scipy.special import erfcx, log_ndtr, ndtr, ndtri, owens_t

from common import coord_stats, fit_errors, gen_data, parse_args, psd_factor, run

GRID = np.linspace(-0.98, 0.98, 50)
GOLDEN_STEPS = 50   # bracket 0.08 -> 0.08 * 0.618^50 ~ 3e-12


def mills(a):
    """phi(a) / (1 - Phi(a)), stable for all a."""
    return np.sqrt(2.0 / np.pi) / erfcx(a / np.sqrt(2.0))


def stats(s):
    return coord_stats(s["X"])


def pairs(s):
    X = s["X"]
    P = (X > 0).astype(np.float64)
    return dict(N11=P.T @ P, A1=X.T @ P, A2=(X * X).T @ P, G=X.T @ X)


def tobit(s, tol=1e-12, maxit=100):
    n = s["X"].shape[0]
    m, S1, S2 = s["m"].astype(np.float64), s["S1"], s["S2"]
    n0 = n - m
    # closed-form start: delta = Phi^-1(m/n) = b/s, s from E[y | y > 0] = s (delta + mills(-delta))
    dl = ndtri(np.clip(m / n, 0.5 / n, 1 - 0.5 / n))
    g = (dl + mills(-dl)) / (S1 / m)
    g = np.where(np.isfinite(g) & (g > 0), g, 1.0)
    dl = np.where(np.isfinite(dl), dl, 0.0)

    def ll(g, dl):
        return n0 * log_ndtr(-dl) + m * np.log(g) - 0.5 * (g * g * S2 - 2 * g * dl * S1 + dl * dl * m)

    cur = ll(g, dl)
    for _ in range(maxit):
        lam = mills(dl)
        gg = m / g - g * S2 + dl * S1                 # gradient
        gd = -n0 * lam + g * S1 - dl * m
        hgg = -m / g ** 2 - S2                        # Hessian
        hgd = S1
        hdd = -n0 * lam * (lam - dl) - m
        det = hgg * hdd - hgd * hgd
        stg = -(hdd * gg - hgd * gd) / det
        std = -(hgg * gd - hgd * gg) / det
        t = np.ones_like(g)
        for _ in range(60):                           # halve until the likelihood does not drop
            ng, nd = g + t * stg, dl + t * std
            new = np.where(ng > 0, ll(np.maximum(ng, 1e-300), nd), -np.inf)
            ok = new >= cur - 1e-12 * np.abs(cur)
            if ok.all():
                break
            t = np.where(ok, t, 0.5 * t)
        g, dl = g + t * stg, dl + t * std
        cur = ll(g, dl)
        if np.max(np.abs(t * stg) / g + np.abs(t * std)) < tol:
            break
    return dict(b_hat=dl / g, norms=1.0 / g)


def bvn_cdf_of_r(h, k):
    """r -> Phi_2(h, k; r) for fixed h, k, |r| < 1 (Owen's T form, as estimators.bvn_cdf)."""
    h = np.where(h == 0, 1e-15, h)
    k = np.where(k == 0, 1e-15, k)
    base = 0.5 * ndtr(h) + 0.5 * ndtr(k) - np.where(h * k > 0, 0.0, 0.5)

    def cdf(r):
        sr = np.sqrt(1.0 - r * r)
        p = base - owens_t(h, (k - r * h) / (h * sr)) - owens_t(k, (h - r * k) / (k * sr))
        return np.clip(p, 0.0, 1.0)
    return cdf


def golden_max(f, lo, hi, steps=GOLDEN_STEPS):
    """Vectorised golden-section search for the maximum of a unimodal f on [lo, hi]: one new
    evaluation of f (over all pairs) per step."""
    g = (np.sqrt(5.0) - 1.0) / 2.0
    c, e = hi - g * (hi - lo), lo + g * (hi - lo)
    fc, fe = f(c), f(e)
    for _ in range(steps):
        left = fc > fe                                # the maximum is in [lo, e]
        lo, hi = np.where(left, lo, c), np.where(left, e, hi)
        x = np.where(left, hi - g * (hi - lo), lo + g * (hi - lo))
        fx = f(x)
        c, e, fc, fe = (np.where(left, x, e), np.where(left, c, x),
                        np.where(left, fx, fe), np.where(left, fc, fx))
    return 0.5 * (lo + hi)


PAIR_CHUNK = 1 << 17   # pairs per vectorised pass of rho: (50, chunk) grid arrays of 50 MiB


def rho(s):
    """Pairs in chunks of PAIR_CHUNK (one chunk up to d = 512), so that the (grid, pairs) arrays
    stay near 50 MiB each: at d = 4096 (8.4e6 pairs) one pass would need tens of GiB."""
    b = s["b_hat"]
    I, J = np.triu_indices(b.size, 1)
    r = np.empty(I.size)
    for c0 in range(0, I.size, PAIR_CHUNK):
        c = slice(c0, c0 + PAIR_CHUNK)
        r[c] = rho_pairs(s, I[c], J[c])
    R = np.eye(b.size)
    R[I, J] = R[J, I] = r
    return dict(sigma=R * np.outer(s["norms"], s["norms"]))


def rho_pairs(s, I, J):
    n = s["X"].shape[0]
    b, sd = s["b_hat"], s["norms"]
    N11, A1, A2, G = s["N11"], s["A1"], s["A2"], s["G"]
    bi, bj, si, sj = b[I], b[J], sd[I], sd[J]
    n11, ni, nj = N11[I, J], N11[I, I], N11[J, J]
    n10, n01, n00 = ni - n11, nj - n11, n - ni - nj + n11
    # sums over the both-positive samples of u = (x - b) / s
    Sxi, Sxj = A1[I, J], A1[J, I]
    Suu_i = (A2[I, J] - 2 * bi * Sxi + n11 * bi * bi) / si ** 2
    Suu_j = (A2[J, I] - 2 * bj * Sxj + n11 * bj * bj) / sj ** 2
    Suu_ij = (G[I, J] - bi * Sxj - bj * Sxi + n11 * bi * bj) / (si * sj)
    hi_, hj_ = bi / si, bj / sj
    Pi, Pj = ndtr(hi_), ndtr(hj_)
    p11_of = bvn_cdf_of_r(hi_, hj_)

    def ll(r):
        s2 = 1.0 - r * r
        p11 = p11_of(r)
        p10 = np.maximum(Pi - p11, 1e-300)
        p01 = np.maximum(Pj - p11, 1e-300)
        p00 = np.maximum(1.0 - Pi - Pj + p11, 1e-300)
        return (-0.5 * n11 * np.log(s2) - (Suu_i - 2 * r * Suu_ij + Suu_j) / (2 * s2)
                + n10 * np.log(p10) + n01 * np.log(p01) + n00 * np.log(p00))

    k = np.argmax(ll(GRID[:, None]), axis=0)          # (grid, pairs) in one call
    step = GRID[1] - GRID[0]
    return golden_max(ll, np.maximum(GRID[k] - step, -0.99999), np.minimum(GRID[k] + step, 0.99999))


def psd(s):
    return dict(W_hat=psd_factor(s["sigma"]))


STAGES = [("stats", stats), ("pairs", pairs), ("tobit", tobit), ("rho", rho), ("psd", psd)]


def fit(X):
    """The whole pipeline, untimed (sample_numpy.py checks its samples with it)."""
    s = dict(X=X)
    for _, fn in STAGES:
        s.update(fn(s))
    return s


def setup(rng, W, b, n):
    return dict(X=gen_data(rng, W, b, n))


if __name__ == "__main__":
    args = parse_args(__doc__.split("\n\n")[0], [name for name, _ in STAGES])
    run("mle-numpy", STAGES, args, setup, fit_errors)
