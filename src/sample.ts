// sample: draws of ReLU(W z + b), z ~ N(0, I_k), generated stream by stream (Wasm or its twin).
import { packModel, type Backend } from './backend/contract.js';
import { checkSampleArgs, type SampleArgs } from './input/sample-args.js';
import type { ModelInput, SampleOptions, Samples } from './types.js';
import { refuseParallelOptions } from './parallel/options.js';
import { selectBackend } from './backend/select.js';

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
