"""What the numpy peers share: the CLI, the paper's test instances, per-stage timing and the
one-line JSON report. Data are n x d float64, one sample per row, as in relu-density."""
import argparse
import ctypes
import glob
import json
import os
import statistics
import time

import numpy as np
import scipy

BLAS_ENV = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS",
            "MKL_NUM_THREADS", "NVPL_BLAS_DEBUG_CPU_TYPE")


def parse_args(description, stages, extra=()):
    """extra: (flag, argparse keyword arguments) pairs of a peer's own options."""
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--n", type=float, default=200_000, help="samples (1e6 is accepted)")
    p.add_argument("--d", type=int, default=5, help="dimension (k = d)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--repeat", type=int, default=3, help="timed runs; medians are reported")
    p.add_argument("--warmup", type=int, default=1, help="untimed runs first (page faults, caches)")
    p.add_argument("--stage", default="all", choices=["all", *stages],
                   help="time one stage only (the stages before it run once, untimed)")
    for flag, kw in extra:
        p.add_argument(flag, **kw)
    a = p.parse_args()
    a.n = int(a.n)
    if a.n < 1 or a.d < 1 or a.repeat < 1 or a.warmup < 0:
        p.error("need n, d, repeat >= 1 and warmup >= 0")
    return a


def gen_model(rng, d):
    """scripts_figure1.m (subfigures 1-2, k = d): b = max(0, randn(d)), W = U of svd(randn(d,d)/sqrt(d))."""
    b = np.maximum(0.0, rng.standard_normal(d))
    W = np.linalg.svd(rng.standard_normal((d, d)) / np.sqrt(d))[0]
    return W, b


def gen_data(rng, W, b, n):
    X = rng.standard_normal((n, W.shape[1])) @ W.T
    X += b
    return np.maximum(X, 0.0, out=X)


def coord_stats(X):
    """Per coordinate: m = #positives, S1 = sum x, S2 = sum x^2 (zeros add nothing)."""
    return dict(m=(X > 0).sum(axis=0), S1=X.sum(axis=0), S2=np.einsum("ij,ij->j", X, X))


def psd_factor(S, rel_floor=1e-10):
    """PSD projection by eigh with eigenvalues floored at rel_floor * max (as src/estimators/gram.ts),
    returned as a factor W_hat with W_hat W_hat^T the projection."""
    w, V = np.linalg.eigh(0.5 * (S + S.T))
    floor = rel_floor * (w.max() if w.max() > 0 else 1.0)
    return V * np.sqrt(np.maximum(w, floor))


def errors(b_hat, S_hat, W, b):
    """The paper's metrics: ||b_hat - b|| / ||W||_F and ||S_hat - W W^T||_F / ||W||_F^2."""
    fw = np.linalg.norm(W, "fro")
    return (float(np.linalg.norm(b_hat - b) / fw),
            float(np.linalg.norm(S_hat - W @ W.T, "fro") / fw ** 2))


def fit_errors(s, W, b):
    """A fit's errors for the JSON line: raw Sigma, and the PSD factor W_hat W_hat^T."""
    eb, es = errors(s["b_hat"], s["sigma"], W, b)
    _, es_psd = errors(s["b_hat"], s["W_hat"] @ s["W_hat"].T, W, b)
    return dict(err_b=eb, err_sigma=es, err_sigma_psd=es_psd)


def blas_info():
    """Best effort: threadpoolctl if installed, else numpy's build info plus a direct query of
    the OpenBLAS that numpy loaded; and the BLAS-related environment variables."""
    info = {"env": {k: os.environ[k] for k in BLAS_ENV if k in os.environ}}
    try:
        from threadpoolctl import threadpool_info
        info["threadpoolctl"] = threadpool_info()
        return info
    except ImportError:
        pass
    try:
        blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        info.update(name=blas.get("name"), version=blas.get("version"))
    except Exception:  # noqa: BLE001 - older numpy: no dict mode
        pass
    libdir = os.path.join(os.path.dirname(np.__file__), os.pardir, "numpy.libs")
    for path in glob.glob(os.path.join(libdir, "*openblas*")):
        try:
            lib = ctypes.CDLL(path)  # the handle numpy already holds
        except OSError:
            continue
        for pre, suf in (("scipy_openblas_", "64_"), ("openblas_", "64_"), ("openblas_", "")):
            if hasattr(lib, f"{pre}get_config{suf}"):
                for what, rt in (("config", ctypes.c_char_p), ("corename", ctypes.c_char_p),
                                 ("num_threads", ctypes.c_int)):
                    f = getattr(lib, f"{pre}get_{what}{suf}")
                    f.restype = rt
                    v = f()
                    info[what] = v.decode().strip() if isinstance(v, bytes) else v
                break
    return info


def run(peer, stages, args, setup, finish):
    """stages: ordered (name, fn), fn(state) -> dict merged into state. setup(rng, W, b, n) ->
    the first state (untimed: data generation goes here). finish(state, W, b) -> dict of
    errors, from the last run."""
    rng = np.random.default_rng(args.seed)
    W, b = gen_model(rng, args.d)
    names = [s for s, _ in stages]
    timed = names if args.stage == "all" else [args.stage]
    first, last = names.index(timed[0]), names.index(timed[-1]) + 1
    prefix = setup(rng, W, b, args.n)
    for _, fn in stages[:first]:          # stages before a single timed one: once, untimed
        prefix.update(fn(prefix))
    laps = {s: [] for s in timed}
    for i in range(args.warmup + args.repeat):
        state = dict(prefix)              # stage functions never write into their inputs
        for name, fn in stages[first:last]:
            t0 = time.perf_counter()
            state.update(fn(state))
            if i >= args.warmup:
                laps[name].append((time.perf_counter() - t0) * 1e3)
    totals = [sum(t) for t in zip(*laps.values())]   # per run, over the timed stages
    for _, fn in stages[last:]:           # finish the pipeline (untimed) for the errors
        state.update(fn(state))
    out = {"peer": peer, "n": args.n, "d": args.d, "seed": args.seed, "repeat": args.repeat,
           "warmup": args.warmup,
           "numpy": np.__version__, "scipy": scipy.__version__, "blas": blas_info(),
           "stages_ms": {s: round(statistics.median(v), 3) for s, v in laps.items()},
           "total_ms": round(statistics.median(totals), 3)}
    out.update(finish(state, W, b))
    print(json.dumps(out))
