// The kernel contract of src/backend.ts on the TypeScript kernels of this folder: the
// fallback where WebAssembly is missing or blocked, and the readable definition every Wasm
// kernel is tested against (test/kernels.test.ts, test/rng.test.ts).
//
// Speed (2-core machine, Node 20; n = 1e5 rows, d = 100; Wasm release in brackets):
// coordStats 0.12 s (0.03), pairCounts 1.0 s (0.04), momentStats 3.3 s (0.68), Step 1 SGD
// 0.9 s (0.26), 1e6 normals 0.07 s (0.02), sample of 1e4 rows with k = 100 0.3-0.45 s (0.11).
import { SAMPLE_STREAM_ROWS, type Backend } from '../backend.js';
import { pairCountsTwin } from './counts.js';
import { momentStatsTwin } from './moments.js';
import { normal } from './normal.js';
import { streamGenerator, streamStart, Xoroshiro128Plus } from './rng.js';
import { sampleRowsTwin } from './sample.js';
import { sgdTwin } from './sgd.js';
import { coordStatsTwin } from './stats.js';
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
};
