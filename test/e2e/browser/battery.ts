// A randomized battery of whole workflows, run in Node and in Chromium on the package's build:
// every Float64Array a user gets back (models, samples, every method and step1 x step2, the
// standard errors, the diagnostics, klBound / errB / errSigma, tvDistances) must have the same
// bytes in both. The cases come from a fixed seed through integer arithmetic only (Math.imul),
// so Node and the page draw the same ones without the package's help.
import type * as Pkg from 'relu-density';
import { mulberry32 } from '../../support/mulberry32.js';
import { bytes64 } from './core-cases.js';

type Api = Pick<typeof Pkg, 'init' | 'randomModel' | 'sample' | 'fit' | 'klBound' | 'errB' | 'errSigma' | 'tvDistances'>;

export interface BatteryCase {
  id: number;
  backend: 'wasm' | 'js';
  d: number;
  /** Columns of W kept (k < d: a rank-k model, Sigma singular). */
  k: number;
  n: number;
  model: Pkg.RandomModelOptions;
  /** Added to every b_i after randomModel: pushes biases below or above 0. */
  shift: number;
  sampleSeed: number;
  fit: Pkg.FitOptions;
  tvSeed: number;
}

const COMBOS: Pkg.FitOptions[] = [
  { method: 'paper' },
  ...(['censored', 'truncated', 'sgd'] as const).flatMap((step1) =>
    (['pairwise', 'moment', 'orthant'] as const).map((step2) => ({ method: 'mle' as const, step1, step2 })),
  ),
];

/** `count` cases: d in [2, 30], k in [1, d], n in [400, 4000], each fit combination in turn, both backends. */
export function batteryCases(count: number, seed: number): BatteryCase[] {
  const next = mulberry32(seed);
  const int = (lo: number, hi: number) => lo + (next() % (hi - lo + 1));
  const cases: BatteryCase[] = [];
  for (let id = 0; id < count; id++) {
    const d = int(2, 30);
    const rows = next() % 3 === 0 ? 'gaussian' : 'orthogonal';
    const model: Pkg.RandomModelOptions = {
      d,
      rows,
      bias: next() % 2 === 0 ? 'relu' : 'gaussian',
      seed: next(),
      ...(rows === 'orthogonal' && next() % 2 === 0 ? { kappa: 1 + (next() % 64) / 4 } : {}),
    };
    const fit: Pkg.FitOptions = { ...COMBOS[id % COMBOS.length], seed: next() };
    if (fit.method === 'mle' && next() % 5 === 0) fit.assumeNonnegativeBias = true;
    const backend = Math.floor(id / COMBOS.length) % 2 === 0 ? 'wasm' : 'js';
    cases.push({
      id,
      backend,
      d,
      k: next() % 4 === 0 ? int(1, d) : d,
      n: int(400, 4000),
      model,
      // biases of both signs, also for bias 'relu'; 'gaussian' ones are pulled up, so that few
      // coordinates are nearly never positive (a fit refuses those, and the refusal is compared)
      shift: model.bias === 'gaussian' ? int(0, 4) / 8 : (int(0, 4) - 2) / 8,
      sampleSeed: next(),
      fit: { ...fit, backend },
      tvSeed: next(),
    });
  }
  return cases;
}

/** SHA-256 of an array's bytes, hex (Web Crypto: in Node 20 and in the page alike). */
async function sha256(a: Float64Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new Uint8Array(a.buffer as ArrayBuffer, a.byteOffset, a.byteLength)));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

export async function runBatteryCase(api: Api, c: BatteryCase): Promise<Record<string, string>> {
  await api.init({ backend: c.backend });
  const full = api.randomModel(c.model);
  const W = new Float64Array(c.d * c.k);
  for (let i = 0; i < c.d; i++) for (let j = 0; j < c.k; j++) W[i * c.k + j] = full.W.data[i * c.d + j];
  const truth = { W: { data: W, rows: c.d, cols: c.k }, b: full.b.map((v) => v + c.shift) };
  const x = api.sample(truth, c.n, { seed: c.sampleSeed, backend: c.backend });
  const out: Record<string, string> = {
    'randomModel.W': bytes64(full.W.data),
    'randomModel.b': bytes64(full.b),
    'sample (SHA-256)': await sha256(x.data),
  };
  let f: Pkg.FitResult;
  try {
    f = await api.fit(x, c.fit);
  } catch (e) {
    // a fit may refuse its data (a coordinate with no positives); the refusal must match too
    out.error = String(e);
    return out;
  }
  Object.assign(out, {
    b: bytes64(f.b),
    sigma: bytes64(f.sigma),
    norms: bytes64(f.norms),
    'model.W': bytes64(f.model.W.data),
    'model.b': bytes64(f.model.b),
    'standardErrors.b': f.standardErrors ? bytes64(f.standardErrors.b) : 'null',
    'standardErrors.norms': f.standardErrors ? bytes64(f.standardErrors.norms) : 'null',
    'diagnostics.positives': bytes64(f.diagnostics.positives),
    'diagnostics.eigenvalues': bytes64(Float64Array.of(f.diagnostics.minEigenvalue, f.diagnostics.eigenvalueFloor)),
    'klBound, errB, errSigma': bytes64(Float64Array.of(api.klBound(f, truth), api.errB(f, truth), api.errSigma(f, truth))),
    warnings: f.warnings.join('\n'),
  });
  // TV needs densities: against the full-rank d x d model where the truth has rank k < d
  const tv = api.tvDistances(c.k === c.d ? truth : full, f.model, { draws: 300, points: 16, seed: c.tvSeed });
  out.tvDistances = bytes64(Float64Array.of(tv.rectified.value, tv.rectified.se, tv.gaussian.value, tv.gaussian.se, tv.gap.value, tv.gap.se));
  return out;
}

/** The case of the issue that found the difference (Step 2 of a default fit, n = 1e5). */
export async function runIssueCase(api: Api): Promise<Record<string, string>> {
  await api.init();
  const x = api.sample(
    {
      W: [
        [0.9, -0.3, 0.2],
        [0.1, 0.8, 0.5],
        [-0.4, 0.4, 0.7],
      ],
      b: [0, 0.7, 0.3],
    },
    100000,
    { seed: 777 },
  );
  const est = await api.fit(x, {});
  return {
    'sample (SHA-256)': await sha256(x.data),
    b: bytes64(est.b),
    sigma: bytes64(est.sigma),
    'model.W': bytes64(est.model.W.data),
    'standardErrors.b': bytes64(est.standardErrors!.b),
    'standardErrors.norms': bytes64(est.standardErrors!.norms),
  };
}

export const BATTERY_SIZE = 64;
export const BATTERY_SEED = 20261204;
