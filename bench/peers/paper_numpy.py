"""numpy port of Wu, Dimakis & Sanghavi (NeurIPS 2019), Algorithm 1, as the authors' reference
runs it (wushanshan/densityEstimation: main.m, NormBiasEst.m with B = 1, projSGD.m):

  Step 1 (Sec. 3.1), per coordinate: standardise the positives by their mean/std, projected SGD
    on the truncated-normal likelihood (batch 10, step 1/(0.1 t), v in [1/3, 3] x [-3, 3],
    start v = (1, 0), average iterate), then b_i = max(0, mu0 + v2 s0 / v1), ||W_i||^2 = s0^2 / v1.
    Vectorised across coordinates as step1_sgd in ../shared/reference/estimators.py; the
    truncated normals come from the inverse cdf (same law as the reference's rejection sampler).
  Step 2 (Sec. 3.2): theta_ij = pi - 2 pi #{x_i > b_i, x_j > b_j} / n,
    Sigma_ij = ||W_i|| ||W_j|| cos theta_ij; counts by a float32 GEMM of the indicator matrix.
  Then the PSD projection (eigh) that gives a W to sample from.

Stages: stats (positives' count/sum/sum of squares), step1 (SGD), counts, sigma, psd.
"""
import numpy as np
from scipy.special import ndtr, ndtri

from common import coord_stats, fit_errors, gen_data, parse_args, psd_factor, run

BATCH, LAM, RADIUS = 10, 0.1, 3.0
CHUNK = 1024  # SGD steps per block of uniform draws


def stats(s):
    return coord_stats(s["X"])


def step1(s):
    X, m = s["X"], s["m"]
    mu0 = s["S1"] / m
    s0 = np.sqrt(s["S2"] / m - mu0 * mu0)          # 1/m normalisation, as NormBiasEst.m
    thres = -mu0 / s0
    d = X.shape[1]
    nb = m // BATCH                                 # full batches; the tail is dropped
    T = int(nb.max())
    xm = np.zeros((T, d))                           # batch means of the standardised positives
    x2m = np.zeros((T, d))
    for i in range(d):
        col = X[:, i].copy()        # masking a contiguous copy beats masking the strided column
        p = (col[col > 0][: nb[i] * BATCH] - mu0[i]) / s0[i]
        p = p.reshape(nb[i], BATCH)
        xm[: nb[i], i] = p.mean(axis=1)
        x2m[: nb[i], i] = (p * p).mean(axis=1)

    rng = np.random.default_rng(s["sgd_seed"])
    v1, v2 = np.ones(d), np.zeros(d)
    a1, a2 = np.zeros(d), np.zeros(d)
    for t0 in range(0, T, CHUNK):
        U = rng.random((min(CHUNK, T - t0), d, BATCH))
        for j, u in enumerate(U):
            t = t0 + j + 1
            mu, sig = v2 / v1, 1.0 / np.sqrt(v1)
            q = ndtr((mu - thres) / sig)                              # P(Z > alpha)
            z = mu[:, None] - sig[:, None] * ndtri(u * q[:, None])    # N(mu, sig^2) | > thres
            g1 = 0.5 * (x2m[t - 1] - (z * z).sum(axis=1) / BATCH)
            g2 = z.sum(axis=1) / BATCH - xm[t - 1]
            active = nb >= t
            step = active / (LAM * t)   # 0 freezes a coordinate whose batches are used up
            v1 = np.minimum(np.maximum(v1 - step * g1, 1.0 / RADIUS), RADIUS)
            v2 = np.minimum(np.maximum(v2 - step * g2, -RADIUS), RADIUS)
            a1 += v1 * active
            a2 += v2 * active
    v1, v2 = a1 / nb, a2 / nb
    b_hat = np.maximum(0.0, mu0 + v2 * s0 / v1)      # main.m clips b at 0
    return dict(b_hat=b_hat, norms=s0 / np.sqrt(v1))


def counts(s):
    B = (s["X"] > s["b_hat"]).astype(np.float32)   # float32 sums of 0/1 are exact while n < 2^24
    return dict(N=(B.T @ B).astype(np.float64))


def sigma(s):
    theta = np.pi - 2.0 * np.pi * s["N"] / s["X"].shape[0]
    S = np.outer(s["norms"], s["norms"]) * np.cos(theta)
    np.fill_diagonal(S, s["norms"] ** 2)
    return dict(sigma=S)


def psd(s):
    return dict(W_hat=psd_factor(s["sigma"]))


STAGES = [("stats", stats), ("step1", step1), ("counts", counts), ("sigma", sigma), ("psd", psd)]


def setup(rng, W, b, n):
    return dict(X=gen_data(rng, W, b, n), sgd_seed=int(rng.integers(2**63)))


if __name__ == "__main__":
    args = parse_args(__doc__.split("\n\n")[0], [name for name, _ in STAGES])
    run("paper-numpy", STAGES, args, setup, fit_errors)
