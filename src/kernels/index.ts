/**
 * relu-density/kernels: the package's hot kernels as a stable low-level API on typed arrays,
 * for other statistics and ML code that wants a fast, seeded, deterministic backend.
 *
 * ```ts
 * import { kernels } from 'relu-density/kernels';
 * const k = await kernels();                       // Wasm where it can run, TypeScript otherwise
 * const z = k.normals(1e6, { seed: 7 });           // Float64Array
 * const t = k.truncNormals(1000, 2.5, { seed: 7 }); // N(0, 1) | Z > 2.5, exact
 * const buf = k.alloc(n * d);                      // in WebAssembly memory: no copies
 * k.sampleInto(buf, { W, b }, { seed: 1 });        // rows of ReLU(W z + b) straight into it
 * const counts = k.pairCounts(buf, d, thresholds); // d x d, exact
 * const acc = k.accumulator(d); acc.push(buf);     // the one-pass statistics, mergeable
 * buf.free();
 * ```
 *
 * Everything is seeded: xoroshiro128+ seeded as pure-rand's `xoroshiro128plus(seed)`, stream
 * s = the seed's generator jumped s + 1 times. Both backends give the same integers and
 * counts; floating-point draws agree to a few ulp (the ziggurat tables' exp/log differ in
 * the last bits), and each backend repeats its own bits exactly.
 * @module
 */
import { SAMPLE_STREAM_ROWS } from '../backend/contract.js';
import { rowsPerBlock } from '../backend/blocks.js';
import type { BackendName } from '../types.js';
import { checkInteger, checkOptions } from '../input/scalars.js';
import { MAX_FIT_D } from '../input/arrays.js';
import { checkBackend } from '../input/backend-option.js';
import { kernelExports, kernelExportsAsync, resolveBackend } from '../backend/wasm/instance.js';
import { createKernels } from './api.js';
import { jsEngine } from './js-engine.js';
import type { Kernels, KernelsOptions } from './types.js';
import { createWasmEngine } from './wasm-engine.js';

export { MAX_BUFFER_LENGTH } from './buffer.js';
export { MAX_ALPHA, MAX_STREAM } from './check.js';
export type {
  CoordinateSums,
  F64Buffer,
  F64Data,
  Kernels,
  KernelsOptions,
  RandomStream,
  SampleRowsOptions,
  StatsAccumulator,
  StatsTotals,
  StreamOptions,
} from './types.js';
export type { Statistics } from '../backend/statistics.js';
export type { BackendChoice, BackendName, MatrixInput, MatrixLike, ModelInput } from '../types.js';

/** Rows per generator stream: row r of a sample comes from stream floor(r / STREAM_ROWS). */
export const STREAM_ROWS = SAMPLE_STREAM_ROWS;

/**
 * Rows per statistics block for d columns (about 8 MiB of doubles): the accumulator and
 * coordinateSums add rows within blocks of this many rows, then the block sums.
 */
export function blockRows(d: number): number {
  return rowsPerBlock(checkInteger('d', d, 1, MAX_FIT_D));
}

const cache: Partial<Record<BackendName, Kernels>> = {};

function checked(options: unknown): BackendName {
  return resolveBackend(checkBackend('options.backend', checkOptions('options', options).backend));
}

function jsKernels(): Kernels {
  return (cache.js ??= createKernels(jsEngine));
}

/**
 * The kernels, synchronously: compiles the WebAssembly on first use (fine in Node and
 * workers; a browser's main thread wants `await kernels()`). The same object every call.
 * @throws Error with backend 'wasm' where WebAssembly is missing or blocked.
 */
export function kernelsSync(options?: KernelsOptions): Kernels {
  if (checked(options) === 'js') return jsKernels();
  return (cache.wasm ??= createKernels(createWasmEngine(kernelExports())));
}

/**
 * The kernels, compiling the WebAssembly asynchronously when it runs (backend 'auto': where
 * this engine can compile it; else the TypeScript kernels). The same object every call.
 * The promise rejects (never throws) on bad options, or with backend 'wasm' where WebAssembly
 * is missing or blocked (a Content-Security-Policy without 'wasm-unsafe-eval').
 */
export async function kernels(options?: KernelsOptions): Promise<Kernels> {
  if (checked(options) === 'js') return jsKernels();
  const ex = await kernelExportsAsync();
  return (cache.wasm ??= createKernels(createWasmEngine(ex)));
}
