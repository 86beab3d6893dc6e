// The options fit, accumulateAsync, sampleAsync and sampleChunks share for parallel and
// streamed work, checked before any worker starts.
import { checkInteger, checkOptions, show } from '../input/scalars.js';
import { MAX_WORKERS, type Progress, type WorkerLike } from './types.js';
import { isWorkers, type Workers } from './shared-pool.js';

// Re-exported: the package root and the CLI import them from here.
export { MAX_WORKERS, type Progress, type WorkerLike } from './types.js';

/** Options shared by fit / accumulateAsync / sampleAsync / sampleChunks for parallel work. */
export interface ParallelOptions {
  /**
   * Worker threads (Node worker_threads, or Web Workers via workerFactory), an integer in
   * [0, 64], started for this call and ended with it; 0 = run on the calling thread. Or a
   * pool from startWorkers(), kept between calls (calls sharing it take turns). Results are
   * the same bits for every value.
   * @default 0
   */
  workers?: number | Workers | undefined;
  /**
   * Makes one worker running the package's worker script; needed in browsers, e.g.
   * () => new Worker(new URL('relu-density/worker', import.meta.url), { type: 'module' }).
   * In Node the default runs dist/worker.js of this package on worker_threads.
   * @default undefined
   */
  workerFactory?: (() => WorkerLike) | undefined;
  /**
   * Called as work advances (at most once per block of rows, in order). An exception thrown
   * here stops the work and rejects the call with it.
   * @default undefined
   */
  onProgress?: ((p: Progress) => void) | undefined;
}

/** The checked form of ParallelOptions. */
export interface CheckedParallelOptions {
  workers: number | Workers;
  workerFactory: (() => WorkerLike) | undefined;
  onProgress: ((p: Progress) => void) | undefined;
}

export function checkParallelOptions(options: unknown): CheckedParallelOptions {
  const o = checkOptions('options', options);
  const workers = o.workers === undefined ? 0 : isWorkers(o.workers) ? o.workers : checkInteger('options.workers', o.workers, 0, MAX_WORKERS);
  for (const key of ['workerFactory', 'onProgress'] as const) {
    if (o[key] !== undefined && typeof o[key] !== 'function') {
      throw new TypeError(`options.${key} must be a function, got ${show(o[key])}`);
    }
  }
  return {
    workers,
    workerFactory: o.workerFactory as CheckedParallelOptions['workerFactory'],
    onProgress: o.onProgress as CheckedParallelOptions['onProgress'],
  };
}

/**
 * For the synchronous calls (fitSync, sample): they run on the calling thread, so a
 * parallel option there would be silently ignored; it is refused with the call to use.
 */
export function refuseParallelOptions(call: string, instead: string, options: unknown): void {
  if (typeof options !== 'object' || options === null) return;
  const o = options as Record<string, unknown>;
  for (const key of ['workers', 'workerFactory', 'onProgress'] as const) {
    if (o[key] !== undefined && !(key === 'workers' && o[key] === 0)) {
      throw new RangeError(`${call} runs on the calling thread; options.${key} (${show(o[key])}) needs the asynchronous ${instead}`);
    }
  }
}
