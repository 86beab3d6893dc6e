/// <reference types="node" />
// `relu-density eval MODEL.json --truth TRUTH.json`: the paper's error measures against a
// known model, and Monte Carlo TV distances. `relu-density eval MODEL.json --data FILE`: a
// goodness-of-fit report streamed over a data file (goodness-of-fit.ts says what it means).
import { tvDistances } from '../model/tv.js';
import { accumulateAsync } from '../fit.js';
import { gram } from '../estimators/gram.js';
import { formatOf, openSource } from '../io/formats.js';
import { FORMATS } from '../io/types.js';
import { errB, errSigma, klBound } from '../model/metrics.js';
import { MAX_WORKERS } from '../parallel/options.js';
import { totals } from '../backend/statistics.js';
import type { FitResult } from '../types.js';
import { MAX_FIT_D, type CheckedModel } from '../input/arrays.js';
import { choiceFlag, integerFlag, onePositional, parseCommand } from './args.js';
import { goodnessOfFit } from './goodness-of-fit.js';
import { readModelFile } from './model-file.js';
import { jsonOutput } from './output.js';
import { progressLine } from './progress.js';
import { UsageError } from './usage.js';

export const HELP = `usage: relu-density eval MODEL.json --truth TRUTH.json [options]
       relu-density eval MODEL.json --data FILE [options]

MODEL.json is the JSON of relu-density fit, or a bare model {"W": [[...], ...], "b": [...]}.

With --truth (a bare model or a fit's JSON, the true distribution), prints as JSON:
  err_b      ||b_hat - b*||_2 / ||W*||_F
  err_Sigma  ||Sigma_hat - W* W*^T||_F / ||W*||_F^2   (Sigma_hat: the fit's raw sigma)
  kl_bound   sqrt(min(KL(P||Q), KL(Q||P)) / 2) between N(b*, W* W*^T) and the learned
             Gaussian (null when W* W*^T is singular: the bound is infinite)
  tv         Monte Carlo total variation between the rectified distributions and between
             the Gaussians, with standard errors (--tv-draws 0 skips it)

With --data (a data file, streamed; formats as for fit), a goodness-of-fit report: per
coordinate, the observed vs model P(x_i = 0) = Phi(-b_i/||W_i||) and mean E[x_i]; per pair,
P(x_i > 0, x_j > 0) vs the bivariate normal orthant probability; each with its standard
error under the model and z = (observed - model) / se. The summary gives, per family, the
mean z^2 (about 1 for a correct model on held-out data, about 1 + n/n_fit counting the
model's own estimation error; well below 1 on the rows it was fit on), the largest |z| and
a Bonferroni p-value min(1, 2 m Phi(-max|z|)) over the m comparisons: a small p says the
data do not come from the model.

options:
  --truth FILE      the true model (JSON)
  --data FILE       a data file (.npy, .f64, .csv)
  --format F        format of --data: npy, f64 or csv  (default: from the extension)
  --d D             columns of --data (.f64: default the model's d)
  --pairs K         pairs listed in the report, largest |z| first (default 20; all
                    pairs always count in the summary)
  --tv-draws M      Monte Carlo draws of the TV estimate (default 4000; 0 = skip)
  --seed S          seed of the TV draws               (default 0)
  --workers N       worker threads for the pass over --data (default 0)
  --out FILE        write the JSON to FILE (atomically) instead of stdout
  -h, --help        this text

Exit codes: 0 ok, 1 failure, 2 usage.`;

/** A FitResult-shaped view of a bare model (b, sigma = W W^T), for the metrics. */
function asFit(m: CheckedModel): FitResult {
  const sigma = gram(m.W.data, m.d, m.k);
  return {
    method: 'mle',
    steps: { step1: 'censored', step2: 'pairwise' },
    n: 0,
    d: m.d,
    b: m.b,
    sigma,
    norms: Float64Array.from({ length: m.d }, (_, i) => Math.sqrt(sigma[i * m.d + i])),
    model: { W: m.W, b: m.b },
    standardErrors: null,
    diagnostics: { positives: new Float64Array(m.d), minEigenvalue: NaN, eigenvalueFloor: 0, timings: {} },
    warnings: [],
  };
}

async function againstTruth(modelPath: string, truthPath: string, draws: number, seed: number): Promise<unknown> {
  const est = await readModelFile(modelPath);
  const truth = await readModelFile(truthPath);
  if (est.model.d !== truth.model.d) throw new Error(`${modelPath} has d = ${est.model.d}, ${truthPath} has d = ${truth.model.d}`);
  const fit = est.fit ?? asFit(est.model);
  const kl = klBound(fit, truth.model);
  let tv: unknown = null;
  if (draws > 0) {
    try {
      const t = tvDistances(truth.model, est.model, { draws, seed });
      tv = { rectified: t.rectified, gaussian: t.gaussian, draws: t.draws, points: t.points };
    } catch (err) {
      tv = { error: (err as Error).message };
    }
  }
  return {
    model: modelPath,
    truth: truthPath,
    d: truth.model.d,
    n: est.fit?.n ?? null,
    err_b: errB(fit, truth.model),
    err_Sigma: errSigma(fit, truth.model),
    kl_bound: Number.isFinite(kl) ? kl : null,
    tv,
  };
}

async function againstData(
  modelPath: string,
  dataPath: string,
  o: { format?: (typeof FORMATS)[number] | undefined; d?: number | undefined; pairs: number; workers: number },
): Promise<unknown> {
  const { model, fit } = await readModelFile(modelPath);
  // A raw .f64 file takes its d from the model unless --d says otherwise.
  const source = await openSource(dataPath, { format: o.format, d: o.d ?? ((o.format ?? formatOf(dataPath) === 'f64') ? model.d : undefined) });
  if (source.d !== model.d) throw new Error(`${dataPath} has d = ${source.d} columns, ${modelPath} has d = ${model.d}`);
  const bar = progressLine(process.stderr);
  let stats;
  try {
    stats = await accumulateAsync(source, {
      workers: o.workers,
      onProgress: (p) =>
        bar.update({
          label: `eval ${dataPath}`,
          pass: 1,
          passes: 1,
          rows: p.rows,
          totalRows: p.totalRows ?? source.n,
          bytes: source.bytesRead,
          totalBytes: source.bytes,
        }),
    });
  } finally {
    bar.done();
  }
  const report = goodnessOfFit(totals(stats), model, o.pairs);
  return { model: modelPath, data: dataPath, n_fit: fit?.n ?? null, ...report };
}

export async function run(argv: string[]): Promise<number> {
  const { values: v, positionals } = parseCommand(
    argv,
    {
      truth: { type: 'string' },
      data: { type: 'string' },
      format: { type: 'string' },
      d: { type: 'string' },
      pairs: { type: 'string' },
      'tv-draws': { type: 'string' },
      seed: { type: 'string' },
      workers: { type: 'string' },
      out: { type: 'string' },
    },
    HELP,
  );
  if (v.help) {
    console.log(HELP);
    return 0;
  }
  const modelPath = onePositional(positionals, 'the MODEL.json file', HELP);
  const truth = v.truth as string | undefined;
  const data = v.data as string | undefined;
  if ((truth === undefined) === (data === undefined)) throw new UsageError(`give exactly one of --truth and --data\n\n${HELP}`);
  const format = choiceFlag('format', v.format as string | undefined, FORMATS);
  const d = integerFlag('d', v.d as string | undefined, 1, MAX_FIT_D);
  const pairs = integerFlag('pairs', v.pairs as string | undefined, 0, Number.MAX_SAFE_INTEGER) ?? 20;
  const draws = integerFlag('tv-draws', v['tv-draws'] as string | undefined, 0, 1e8) ?? 4000;
  const seed = integerFlag('seed', v.seed as string | undefined, 0, 2 ** 32 - 1) ?? 0;
  const workers = integerFlag('workers', v.workers as string | undefined, 0, MAX_WORKERS) ?? 0;
  if (truth !== undefined && (format !== undefined || d !== undefined)) throw new UsageError('--format and --d apply to --data only');

  const out = await jsonOutput(v.out as string | undefined);
  try {
    const result = truth !== undefined ? await againstTruth(modelPath, truth, draws, seed) : await againstData(modelPath, data!, { format, d, pairs, workers });
    await out.write(result);
    return 0;
  } catch (err) {
    await out.abort();
    throw err;
  }
}
