// sample: draws of ReLU(W z + b), z ~ N(0, I_k), generated in Wasm stream by stream.
import type { Backend, PackedModel } from './backend.js';
import { DEFAULT_SEED, type ModelInput, type SampleOptions, type Samples } from './types.js';
import { checkOptions, checkSampleCount, checkSeed, toModel, type CheckedModel } from './validate.js';
import { wasmBackend } from './wasm/backend.js';

/** W (d x k) -> W^T (k x d), the layout the generation kernel reads contiguously. */
export function packModel(m: CheckedModel): PackedModel {
  const { d, k } = m;
  const wt = new Float64Array(k * d);
  for (let j = 0; j < d; j++) for (let l = 0; l < k; l++) wt[l * d + j] = m.W.data[j * k + l];
  return { wt, b: m.b, d, k };
}

function checkSampleArgs(model: unknown, n: unknown, options: unknown): { m: CheckedModel; count: number; seed: number } {
  const m = toModel('model', model);
  const count = checkSampleCount('n', n, m.d);
  const o = checkOptions('options', options);
  const seed = o.seed === undefined ? DEFAULT_SEED : checkSeed('options.seed', o.seed);
  return { m, count, seed };
}

export function sampleWith(model: ModelInput, n: number, options: SampleOptions | undefined, backend: Backend): Samples {
  const { m, count, seed } = checkSampleArgs(model, n, options);
  const data = new Float64Array(count * m.d);
  if (count > 0) backend.sample(packModel(m), seed, 0, count, data);
  return { data, n: count, d: m.d };
}

/**
 * n samples of ReLU(W z + b), z ~ N(0, I_k), row-major. Row r comes from the xoroshiro128+
 * stream of `seed` jumped floor(r / 4096) + 1 times, so the same seed gives the same bits
 * everywhere, however the rows are split between calls or workers.
 */
export function sample(model: ModelInput, n: number, options?: SampleOptions): Samples {
  checkSampleArgs(model, n, options); // validate before the first touch of WebAssembly
  return sampleWith(model, n, options, wasmBackend());
}
