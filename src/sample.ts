// sample: draws of ReLU(W z + b), z ~ N(0, I_k), generated stream by stream (Wasm or its twin).
import type { Backend, PackedModel } from './backend.js';
import { DEFAULT_SEED, type BackendChoice, type ModelInput, type SampleOptions, type Samples } from './types.js';
import { checkInteger, checkOptions, checkSeed } from './checks.js';
import { checkSampleCount, toModel, type CheckedModel } from './validate.js';
import { refuseParallelOptions } from './parallel/options.js';
import { checkBackend } from './backend-choice.js';
import { selectBackend } from './wasm/select.js';

/** W (d x k) -> W^T (k x d), the layout the generation kernel reads contiguously. */
export function packModel(m: CheckedModel): PackedModel {
  const { d, k } = m;
  const wt = new Float64Array(k * d);
  for (let j = 0; j < d; j++) for (let l = 0; l < k; l++) wt[l * d + j] = m.W.data[j * k + l];
  return { wt, b: m.b, d, k };
}

export interface SampleArgs {
  m: CheckedModel;
  count: number;
  seed: number;
  backend: BackendChoice;
}

/** `streamed`: the rows go out in chunks (sampleChunks), so n is not bounded by one array's size. */
export function checkSampleArgs(model: unknown, n: unknown, options: unknown, streamed = false): SampleArgs {
  const m = toModel('model', model);
  const count = streamed ? checkInteger('n', n, 0) : checkSampleCount('n', n, m.d);
  const o = checkOptions('options', options);
  const seed = o.seed === undefined ? DEFAULT_SEED : checkSeed('options.seed', o.seed);
  const backend = checkBackend('options.backend', o.backend);
  return { m, count, seed, backend };
}

function sampleChecked({ m, count, seed }: SampleArgs, backend: Backend): Samples {
  const data = new Float64Array(count * m.d);
  if (count > 0) backend.sample(packModel(m), seed, 0, count, data);
  return { data, n: count, d: m.d };
}

/** sample on a given backend (options.backend is checked but not used). */
export function sampleWith(model: ModelInput, n: number, options: SampleOptions | undefined, backend: Backend): Samples {
  return sampleChecked(checkSampleArgs(model, n, options), backend);
}

/**
 * n samples of ReLU(W z + b), z ~ N(0, I_k), row-major. Row r comes from the xoroshiro128+
 * stream of `seed` jumped floor(r / 4096) + 1 times, so the same seed gives the same bits
 * everywhere, however the rows are split between calls or workers. options.backend picks
 * the kernels (default 'auto': Wasm where it can run, TypeScript otherwise); the two agree
 * to a few ulp, with zeros in the same places.
 */
export function sample(model: ModelInput, n: number, options?: SampleOptions): Samples {
  const args = checkSampleArgs(model, n, options); // validate before the first touch of WebAssembly
  refuseParallelOptions('sample', 'sampleAsync or sampleChunks', options);
  return sampleChecked(args, selectBackend(args.backend));
}
