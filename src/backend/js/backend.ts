// The kernel contract of src/backend/contract.ts on the TypeScript kernels of this folder: the
// fallback where WebAssembly is missing or blocked, and the readable definition every Wasm
// kernel is tested against (test/unit/backend/kernels.test.ts, test/unit/backend/rng.test.ts).
//
// Speed: the twins are 6-74x slower than the Wasm kernels per pass at n = 1e6, d = 100
// (npm run bench, 2-core machine, Node 20, 2026-11-28): coordStats 9.7x, pairCounts 74x,
// momentStats 24x, Step 1 SGD 6.3x, generation 16x.
import { SAMPLE_STREAM_ROWS, type Backend } from '../contract.js';
import { eigenFailure } from '../contract.js';
import { choleskyTwin } from './cholesky.js';
import { symmetricEigenTwin } from './eigen.js';
import { lanczosTwin } from './lanczos.js';
import { pairCountsTwin } from './counts.js';
import { momentStatsTwin } from './moments.js';
import { normal } from './ziggurat.js';
import { streamGenerator, streamStart, Xoroshiro128Plus } from './rng.js';
import { sampleRowsTwin } from './sample.js';
import { sgdTwin } from './sgd.js';
import { coordStatsTwin } from './coord-stats.js';
import { truncNormal } from './truncnorm.js';

/** The kernel contract on the TypeScript kernels: fitWith(x, options, jsBackend) runs the whole pipeline without Wasm. */
export const jsBackend: Backend = {
  name: 'js',

  coordStats: coordStatsTwin,
  pairCounts: pairCountsTwin,
  momentStats: momentStatsTwin,
  sgd: sgdTwin,

  sample(model, seed, firstRow, rows, out) {
    if (firstRow % SAMPLE_STREAM_ROWS !== 0) throw new RangeError('firstRow must start a stream');
    const base = streamStart(seed, firstRow / SAMPLE_STREAM_ROWS);
    for (let r = 0; r < rows; r += SAMPLE_STREAM_ROWS) {
      if (r > 0) base.jump();
      sampleRowsTwin(new Xoroshiro128Plus(base), model, Math.min(SAMPLE_STREAM_ROWS, rows - r), out, r);
    }
  },

  uniformBits(seed, stream, count) {
    const g = streamStart(seed, stream);
    const out = new BigUint64Array(count);
    for (let i = 0; i < count; i++) out[i] = g.next();
    return out;
  },

  normals(seed, stream, count) {
    const g = streamGenerator(seed, stream);
    const out = new Float64Array(count);
    for (let i = 0; i < count; i++) out[i] = normal(g);
    return out;
  },

  truncNormals(seed, stream, count, alpha) {
    const g = streamGenerator(seed, stream);
    const out = new Float64Array(count);
    for (let i = 0; i < count; i++) out[i] = truncNormal(g, alpha);
    return out;
  },

  cholesky(a, d) {
    const L = a.slice(0, d * d);
    const pivot = choleskyTwin(L, d);
    return pivot < 0 ? { ok: true, L } : { ok: false, pivot };
  },

  symmetricEigen(a, d) {
    const vectors = a.slice(0, d * d);
    const values = new Float64Array(d);
    const failure = eigenFailure(symmetricEigenTwin(vectors, d, values), d);
    if (failure !== undefined) throw failure;
    return { values, vectors };
  },

  lanczos(a, d, operator, start, o) {
    return lanczosTwin(a, d, operator === 'inverse', start, Math.min(o.maxSteps, d), o.minSteps, o.tol);
  },
};
