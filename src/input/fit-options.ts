// Fit options: checked once, with their documented defaults (see FitOptions in types.ts).
import { DEFAULT_SEED, type BackendChoice, type Method, type Step1, type Step2 } from '../types.js';
import { checkChoice, checkOptions, checkSeed, show } from './scalars.js';
import { checkBackend } from './backend-option.js';

export const METHODS: readonly Method[] = ['mle', 'paper'];
export const STEP1: readonly Step1[] = ['censored', 'truncated', 'sgd'];
export const STEP2: readonly Step2[] = ['pairwise', 'moment', 'orthant'];

export interface CheckedFitOptions {
  method: Method;
  step1: Step1;
  step2: Step2;
  assumeNonnegativeBias: boolean;
  seed: number;
  backend: BackendChoice;
}

export function checkFitOptions(options: unknown): CheckedFitOptions {
  const o = checkOptions('options', options);
  const method = o.method === undefined ? 'mle' : checkChoice('options.method', o.method, METHODS);
  const step1 = o.step1 === undefined ? 'censored' : checkChoice('options.step1', o.step1, STEP1);
  const step2 = o.step2 === undefined ? 'pairwise' : checkChoice('options.step2', o.step2, STEP2);
  if (o.assumeNonnegativeBias !== undefined && typeof o.assumeNonnegativeBias !== 'boolean') {
    throw new TypeError(`options.assumeNonnegativeBias must be a boolean, got ${show(o.assumeNonnegativeBias)}`);
  }
  if (method === 'paper') {
    for (const key of ['step1', 'step2', 'assumeNonnegativeBias'] as const) {
      if (o[key] !== undefined) {
        throw new RangeError(`options.${key} applies to method 'mle' only; the paper's method fixes its own steps (got ${show(o[key])})`);
      }
    }
  }
  const seed = o.seed === undefined ? DEFAULT_SEED : checkSeed('options.seed', o.seed);
  const backend = checkBackend('options.backend', o.backend);
  return { method, step1, step2, assumeNonnegativeBias: o.assumeNonnegativeBias === true, seed, backend };
}
