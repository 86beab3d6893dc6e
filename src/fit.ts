// fit / fitSync: input -> validate -> kernels (Step 1, Step 2) -> Gram assembly -> model.
import type { Backend } from './backend.js';
import { psdFactor } from './gram.js';
import { coordinateStats, paperStep1, paperStep2 } from './paper.js';
import { DEFAULT_SEED, type DataInput, type FitOptions, type FitResult, type Method } from './types.js';
import { checkChoice, checkOptions, checkSeed, toSamples } from './validate.js';
import { wasmBackend } from './wasm/backend.js';
import { init } from './wasm/instance.js';

export const METHODS: readonly Method[] = ['paper'];

interface Checked {
  method: Method;
  seed: number;
}

function checkFitOptions(options: unknown): Checked {
  const o = checkOptions('options', options);
  const method = o.method === undefined ? 'paper' : checkChoice('options.method', o.method, METHODS);
  const seed = o.seed === undefined ? DEFAULT_SEED : checkSeed('options.seed', o.seed);
  return { method, seed };
}

/** The whole pipeline on a given backend (the TypeScript twins in tests, Wasm otherwise). */
export function fitWith(x: DataInput, options: FitOptions | undefined, backend: Backend): FitResult {
  const data = toSamples('x', x);
  const { method, seed } = checkFitOptions(options);
  const timings: Record<string, number> = {};
  let t = performance.now();
  const lap = (stage: string) => {
    const now = performance.now();
    timings[stage] = now - t;
    t = now;
  };

  const stats = coordinateStats(data, backend);
  lap('stats');
  const step1 = paperStep1(data, stats, seed, backend);
  lap('step1');
  const sigma = paperStep2(data, step1, backend);
  lap('step2');
  const psd = psdFactor(sigma, data.d);
  lap('psd');

  return {
    method,
    n: data.n,
    d: data.d,
    b: step1.b,
    sigma,
    norms: step1.norms,
    model: { W: { data: psd.W, rows: data.d, cols: data.d }, b: step1.b.slice() },
    diagnostics: {
      positives: step1.positives,
      minEigenvalue: psd.minEigenvalue,
      eigenvalueFloor: psd.floor,
      timings,
    },
    warnings: [],
  };
}

/**
 * Learns b and Sigma = W W^T from samples of ReLU(W z + b), synchronously. In a browser's
 * main thread call `await init()` once first (browsers refuse to compile WebAssembly
 * synchronously there); in Node it compiles on first use.
 */
export function fitSync(x: DataInput, options?: FitOptions): FitResult {
  // Validate before the first touch of WebAssembly.
  toSamples('x', x);
  checkFitOptions(options);
  return fitWith(x, options, wasmBackend());
}

/** Like fitSync, after compiling the WebAssembly module asynchronously. */
export async function fit(x: DataInput, options?: FitOptions): Promise<FitResult> {
  toSamples('x', x);
  checkFitOptions(options);
  await init();
  return fitWith(x, options, wasmBackend());
}
