/// <reference types="node" />
// `npm run demo`: the main job on a built-in default. Draws n = 2e5 samples from a fixed
// d = 10 model made by the paper's recipe, fits it with the paper's method and with the
// default estimator, and prints the estimates next to the truth, the paper's error
// measures and the time of each stage.
import { errB, errSigma, fitSync, init, klBound, randomModel, sample, type FitResult } from './index.js';

const D = 10;
const N = 200_000;
const MODEL_SEED = 2019;
const SAMPLE_SEED = 1;

const ms = (t: number) => `${t.toFixed(1)} ms`.padStart(10);
const num = (v: number, w = 8) => v.toFixed(4).padStart(w);

async function main(): Promise<void> {
  let t0 = performance.now();
  await init();
  const tInit = performance.now() - t0;

  const truth = randomModel({ d: D, seed: MODEL_SEED });
  t0 = performance.now();
  const x = sample(truth, N, { seed: SAMPLE_SEED });
  const tSample = performance.now() - t0;

  const fits: Record<string, { est: FitResult; ms: number }> = {};
  for (const method of ['paper', 'mle'] as const) {
    t0 = performance.now();
    const est = fitSync(x, { method });
    fits[method] = { est, ms: performance.now() - t0 };
  }
  const paper = fits.paper.est;
  const mle = fits.mle.est;

  console.log(`relu-density demo: n = ${N} samples of ReLU(W z + b), d = k = ${D} (model seed ${MODEL_SEED}, sample seed ${SAMPLE_SEED})\n`);
  console.log('   i        b*   b_paper     b_mle  (se_mle)   ||W_i||*  norm_paper  norm_mle  positives');
  for (let i = 0; i < D; i++) {
    let norm = 0;
    for (let l = 0; l < D; l++) norm += truth.W.data[i * D + l] * truth.W.data[i * D + l];
    console.log(
      `${String(i).padStart(4)}  ${num(truth.b[i])}  ${num(paper.b[i])}  ${num(mle.b[i])}  (${mle.standardErrors!.b[i].toFixed(4)})` +
        `  ${num(Math.sqrt(norm), 9)}  ${num(paper.norms[i], 10)}  ${num(mle.norms[i])}  ${String(mle.diagnostics.positives[i]).padStart(9)}`,
    );
  }
  console.log('\n                       paper     mle');
  console.log(`err_b     ${num(errB(paper, truth), 18)}  ${num(errB(mle, truth))}   ||b_hat - b*|| / ||W*||_F`);
  console.log(`err_Sigma ${num(errSigma(paper, truth), 18)}  ${num(errSigma(mle, truth))}   ||Sigma_hat - W*W*^T||_F / ||W*||_F^2`);
  console.log(`klBound   ${num(klBound(paper, truth), 18)}  ${num(klBound(mle, truth))}   sqrt(min KL / 2), bounds the Gaussian TV`);
  console.log('\ntime:');
  console.log(`  wasm init      ${ms(tInit)}`);
  console.log(`  sample         ${ms(tSample)}`);
  for (const [method, { est, ms: total }] of Object.entries(fits)) {
    for (const [stage, t] of Object.entries(est.diagnostics.timings)) console.log(`  ${method.padEnd(5)} ${stage.padEnd(10)}${ms(t)}`);
    console.log(`  ${method.padEnd(5)} total     ${ms(total)}`);
  }
  for (const w of [...paper.warnings, ...mle.warnings]) console.log(`warning: ${w}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
