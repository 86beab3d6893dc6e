// `npx tsx bench/psd.ts [d ...]`: the PSD projection (src/estimators/gram.ts psdFactor) and its
// kernels at large d. For each d: psdFactor on the correlation of a random model (gram of
// randomModel({ d, seed: 1, rows }).W, positive definite: the Cholesky path) for rows
// 'orthogonal' (kappa 1: R = I to rounding) where d <= 1024 and 'gaussian' (condition ~ d^2);
// on an indefinite correlation matrix (the eigenvalue path) where d <= 1024; the old
// projection's eigendecomposition (ml-matrix) where d <= 1024; and the Wasm Cholesky and
// eigen kernels alone with their GFLOP/s (d^3 / 3 and Golub & Van Loan's ~9 d^3 for the
// symmetric QR algorithm with vectors, Sec. 8.3). Times are the minimum of `reps` calls
// (first calls, with the engine's tier-up and memory growth, are printed too).
// Grams above d = 1024 take a minute in TypeScript: they are cached in the OS temp folder.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { wasmBackend } from '../src/backend/wasm/backend.js';
import { gram, psdFactor, symmetricEigen } from '../src/estimators/gram.js';
import { randomModel } from '../src/model/random.js';
import { uniforms } from '../test/support/mulberry32.js';

const backend = wasmBackend();
const sizes = process.argv.slice(2).map(Number);
if (sizes.length === 0) sizes.push(256, 1024, 2048, 4096);

function modelGram(d: number, rows: 'orthogonal' | 'gaussian'): Float64Array {
  const file = join(tmpdir(), `relu-density-psd-${rows}-${d}.f64`);
  if (d > 1024 && existsSync(file)) return new Float64Array(readFileSync(file).buffer.slice(0));
  const m = randomModel({ d, seed: 1, rows });
  const S = gram(m.W.data, d, d);
  if (d > 1024) writeFileSync(file, new Uint8Array(S.buffer));
  return S;
}

/** Correlations uniform on (-0.9, 0.9): indefinite for d >= 3 in practice. */
function indefinite(d: number): Float64Array {
  const u = uniforms(d);
  const R = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    R[i * d + i] = 1;
    for (let j = i + 1; j < d; j++) R[i * d + j] = R[j * d + i] = 1.8 * u() - 0.9;
  }
  return R;
}

function correlation(S: Float64Array, d: number): Float64Array {
  return S.map((v, k) => v / Math.sqrt(S[Math.floor(k / d) * (d + 1)] * S[(k % d) * (d + 1)]));
}

function time(reps: number, f: () => void): { first: number; best: number } {
  let first = 0;
  let best = Infinity;
  for (let r = 0; r < reps; r++) {
    const t = performance.now();
    f();
    const ms = performance.now() - t;
    if (r === 0) first = ms;
    best = Math.min(best, ms);
  }
  return { first, best };
}

const fmt = (t: { first: number; best: number }) => `${t.best.toFixed(0)} ms (first ${t.first.toFixed(0)})`;

for (const d of sizes) {
  const reps = d <= 1024 ? 3 : 2;
  for (const rows of d <= 1024 ? (['orthogonal', 'gaussian'] as const) : (['gaussian'] as const)) {
    const S = modelGram(d, rows);
    let p = psdFactor(S, d, backend);
    const t = time(reps, () => (p = psdFactor(S, d, backend)));
    const lower = p.W.every((v, k) => k % d <= Math.floor(k / d) || v === 0);
    console.log(
      `d = ${d}, ${rows} rows: psdFactor ${fmt(t)}, ${lower ? 'Cholesky' : 'eigenvalue'} path, minEigenvalue ${p.minEigenvalue.toPrecision(6)}, floor ${p.floor.toPrecision(6)}`,
    );
  }
  const R = correlation(modelGram(d, 'gaussian'), d);
  const c = time(reps, () => backend.cholesky(R, d));
  console.log(`d = ${d}: Wasm cholesky ${fmt(c)}, ${(d ** 3 / 3 / c.best / 1e6).toFixed(1)} GFLOP/s`);
  if (d <= 1024) {
    const A = indefinite(d);
    let p = psdFactor(A, d, backend);
    const t = time(reps, () => (p = psdFactor(A, d, backend)));
    console.log(`d = ${d}, indefinite: psdFactor ${fmt(t)}, minEigenvalue ${p.minEigenvalue.toPrecision(6)}`);
    const e = time(reps, () => backend.symmetricEigen(A, d));
    console.log(`d = ${d}: Wasm symmetricEigen ${fmt(e)}, ${((9 * d ** 3) / e.best / 1e6).toFixed(2)} GFLOP/s (9 d^3)`);
    const m = time(d <= 256 ? 3 : 1, () => symmetricEigen(A, d));
    console.log(`d = ${d}: ml-matrix EigenvalueDecomposition ${fmt(m)}`);
  }
}
