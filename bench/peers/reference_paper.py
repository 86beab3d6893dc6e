"""Times the project's numerical prototype (../shared/reference/estimators.py, outside this
repository) running the paper's method, for comparison with paper_numpy.py: step1_sgd, the
thresholded counts B @ B.T and rho_paper, on the prototype's own data layout (d x n, columns
are samples). Data generation is not timed. One JSON line:

    python3 bench/peers/reference_paper.py 1e6 100
"""
import json
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "reference"))
import estimators as E  # noqa: E402

n, d = int(float(sys.argv[1])), int(sys.argv[2])
rng = np.random.default_rng(1)
W, b = E.gen_params(rng, d)
X = E.gen_data(rng, W, b, n)
t0 = time.perf_counter()
bh, s2 = E.step1_sgd(rng, X)
bh = np.maximum(bh, 0.0)  # main.m clips b at 0
t1 = time.perf_counter()
B = (X > bh[:, None]).astype(X.dtype)
NT = B @ B.T
t2 = time.perf_counter()
S = E.rho_paper(NT, n) * np.sqrt(np.outer(s2, s2))
np.fill_diagonal(S, s2)
t3 = time.perf_counter()
print(json.dumps(dict(n=n, d=d, step1_ms=(t1 - t0) * 1e3, counts_ms=(t2 - t1) * 1e3, sigma_ms=(t3 - t2) * 1e3,
                      total_ms=(t3 - t0) * 1e3, err_b=E.err_b(bh, b, W), err_sigma=E.err_sigma(S, W))))
