// The arguments of sample, sampleAsync and sampleChunks, checked once for all three: the model,
// the row count (bounded by one array's size unless the rows are streamed), the seed and the
// backend option.
import { DEFAULT_SEED, type BackendChoice } from '../types.js';
import { checkBackend } from './backend-option.js';
import { checkSampleCount, toModel, type CheckedModel } from './arrays.js';
import { checkInteger, checkOptions, checkSeed } from './scalars.js';

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
