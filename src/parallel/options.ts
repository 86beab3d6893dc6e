// The options fit, accumulateAsync, sampleAsync and sampleChunks share for parallel and
// streamed work, checked before any worker starts.
import { checkInteger, checkOptions, show } from '../checks.js';
import { isWorkers, type Workers } from './workers.js';

/**
 * A worker as the engine uses it: the part of the Web Worker interface it needs (a browser
 * Worker is one; in Node the engine wraps worker_threads to look like one).
 */
export interface WorkerLike {
  postMessage(message: unknown, transfer: Transferable[]): void;
  addEventListener(type: 'message' | 'error' | 'messageerror', listener: (event: any) => void): void;
  terminate(): unknown;
}

/** Progress of a fit or sample; passes are numbered from 1. */
export interface Progress {
  /** The pass under way, from 1. */
  pass: number;
  /** Passes in all: 1 for method 'mle' (plus 1 for step1 'sgd' and 1 for step2 'orthant'), 3 for 'paper', 1 for sampling. */
  passes: number;
  /** Rows done in this pass. */
  rows: number;
  /** Rows in all, when known (the source's n, or the rows of pass 1). */
  totalRows?: number;
  /** What the pass computes: 'statistics', 'stats', 'step1', 'counts' or 'sample'. */
  stage: string;
}

/** Options shared by fit / accumulateAsync / sampleAsync / sampleChunks for parallel work. */
export interface ParallelOptions {
  /**
   * Worker threads (Node worker_threads, or Web Workers via workerFactory), an integer in
   * [0, 64], started for this call and ended with it; 0 = run on the calling thread. Or a
   * pool from startWorkers(), kept between calls (calls sharing it take turns). Results are
   * the same bits for every value.
   * @default 0
   */
  workers?: number | Workers;
  /**
   * Makes one worker running the package's worker script; needed in browsers, e.g.
   * () => new Worker(new URL('relu-density/worker', import.meta.url), { type: 'module' }).
   * In Node the default runs dist/worker.js of this package on worker_threads.
   * @default undefined
   */
  workerFactory?: () => WorkerLike;
  /**
   * Called as work advances (at most once per block of rows, in order). An exception thrown
   * here stops the work and rejects the call with it.
   * @default undefined
   */
  onProgress?: (p: Progress) => void;
}

/** The checked form of ParallelOptions. */
export interface CheckedParallelOptions {
  workers: number | Workers;
  workerFactory: (() => WorkerLike) | undefined;
  onProgress: ((p: Progress) => void) | undefined;
}

export const MAX_WORKERS = 64;

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
