"""What a numpy user writes to draw n samples of ReLU(W z + b), z ~ N(0, I_k):
    X = np.maximum(rng.standard_normal((n, k)) @ W.T + b, 0.0)
timed in three stages: normals (rng.standard_normal, PCG64 + ziggurat), affine (GEMM + bias),
relu. The check (untimed): the censored MLE of mle_numpy.py fitted to the samples, whose
err_b / err_sigma against the true (W, b) must be small (~1e-3 at n = 1e6).
"""
import numpy as np

import mle_numpy
from common import errors, parse_args, run


def normals(s):
    rng = np.random.default_rng(s["seed"])
    return dict(Z=rng.standard_normal((s["n"], s["W"].shape[1])))


def affine(s):
    return dict(Y=s["Z"] @ s["W"].T + s["b"])


def relu(s):
    return dict(X=np.maximum(s["Y"], 0.0))


STAGES = [("normals", normals), ("affine", affine), ("relu", relu)]


def setup(rng, W, b, n):
    return dict(W=W, b=b, n=n, seed=int(rng.integers(2**63)))


def finish(s, W, b):
    fit = mle_numpy.fit(s["X"])
    eb, es = errors(fit["b_hat"], fit["sigma"], W, b)
    return dict(err_b=eb, err_sigma=es)


if __name__ == "__main__":
    args = parse_args(__doc__.split("\n\n")[0], [name for name, _ in STAGES])
    run("sample-numpy", STAGES, args, setup, finish)
