"""What a numpy user writes to draw n samples of ReLU(W z + b), z ~ N(0, I_k):
    X = np.maximum(rng.standard_normal((n, k)) @ W.T + b, 0.0)
timed in three stages: normals (rng.standard_normal, PCG64 + ziggurat), affine (GEMM + bias),
relu. The check (untimed): the censored MLE of mle_numpy.py fitted to the samples, whose
err_b / err_sigma against the true (W, b) must be small (~1e-3 at n = 1e6); with --check
marginals (the benchmark's choice at high d, where the whole fit takes longer than the sampling)
only its stats and tobit stages, err_b and the error of the row norms ||W_i||.
"""
import numpy as np

import mle_numpy
from common import coord_stats, errors, parse_args, run


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
    if CHECK == "marginals":
        m = mle_numpy.tobit(dict(X=s["X"], **coord_stats(s["X"])))
        fw = np.linalg.norm(W, "fro")
        return dict(check="marginals", err_b=float(np.linalg.norm(m["b_hat"] - b) / fw),
                    err_norms=float(np.linalg.norm(m["norms"] - np.linalg.norm(W, axis=1)) / fw))
    fit = mle_numpy.fit(s["X"])
    eb, es = errors(fit["b_hat"], fit["sigma"], W, b)
    return dict(check="fit", err_b=eb, err_sigma=es)


if __name__ == "__main__":
    args = parse_args(__doc__.split("\n\n")[0], [name for name, _ in STAGES],
                      [("--check", dict(choices=["fit", "marginals"], default="fit",
                                        help="the untimed check of the samples (see above)"))])
    CHECK = args.check
    run("sample-numpy", STAGES, args, setup, finish)
