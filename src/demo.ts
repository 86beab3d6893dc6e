/// <reference types="node" />
// `npm run demo`: the main job on a built-in default. Draws n = 2e5 samples from a fixed
// d = 10 model made by the paper's recipe, fits it with the paper's method, and prints the
// estimates next to the truth, the paper's error measures and the time of each stage.
import { errB, errSigma, fitSync, init, klBound, randomModel, sample } from './index.js';

const D = 10;
const N = 200_000;
const MODEL_SEED = 2019;
const SAMPLE_SEED = 1;

const ms = (t: number) => `${t.toFixed(1)} ms`;

async function main(): Promise<void> {
  let t0 = performance.now();
  await init();
  const tInit = performance.now() - t0;

  const truth = randomModel({ d: D, seed: MODEL_SEED });
  t0 = performance.now();
  const x = sample(truth, N, { seed: SAMPLE_SEED });
  const tSample = performance.now() - t0;

  t0 = performance.now();
  const est = fitSync(x, { method: 'paper' });
  const tFit = performance.now() - t0;

  console.log(`relu-density demo: n = ${N} samples of ReLU(W z + b), d = k = ${D}, method '${est.method}'\n`);
  console.log('   i        b*     b_hat    ||W_i||*  ||W_i||_hat  positives');
  for (let i = 0; i < D; i++) {
    let norm = 0;
    for (let l = 0; l < D; l++) norm += truth.W.data[i * D + l] ** 2;
    console.log(
      `${String(i).padStart(4)}  ${truth.b[i].toFixed(4).padStart(8)}  ${est.b[i].toFixed(4).padStart(8)}` +
        `  ${Math.sqrt(norm).toFixed(4).padStart(10)}  ${est.norms[i].toFixed(4).padStart(11)}` +
        `  ${String(est.diagnostics.positives[i]).padStart(9)}`,
    );
  }
  console.log(`\nerr_b     = ${errB(est, truth).toFixed(4)}   (||b_hat - b*|| / ||W*||_F)`);
  console.log(`err_Sigma = ${errSigma(est, truth).toFixed(4)}   (||Sigma_hat - W*W*^T||_F / ||W*||_F^2)`);
  console.log(`klBound   = ${klBound(est, truth).toFixed(4)}   (sqrt(min KL / 2), bounds the Gaussian TV)`);
  console.log(`smallest eigenvalue of Sigma_hat before the PSD projection: ${est.diagnostics.minEigenvalue.toFixed(4)}`);
  console.log('\ntime:');
  console.log(`  wasm init        ${ms(tInit)}`);
  console.log(`  sample           ${ms(tSample)}`);
  for (const [stage, t] of Object.entries(est.diagnostics.timings)) console.log(`  fit: ${stage.padEnd(10)} ${ms(t)}`);
  console.log(`  fit total        ${ms(tFit)}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
