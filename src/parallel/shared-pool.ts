// startWorkers: a pool of workers that outlives one call, for jobs that fit or sample many
// times (each call with `workers: N` otherwise starts and ends its own pool, ~0.1 s). Calls
// that share a pool take turns: a worker holds per-call state (an SGD run, a sampling
// model), so one call has the pool at a time and the next starts when it is idle again.
import type { BackendChoice, BackendName } from '../types.js';
import { resolveBackend } from '../backend/wasm/instance.js';
import { checkBackend } from '../input/backend-option.js';
import { checkInteger, checkOptions, show } from '../input/scalars.js';
import { isNode, nodeWorkerFactory } from './node.js';
import { MAX_WORKERS, type WorkerLike } from './types.js';
import { WorkerPool } from './pool.js';

/** A running pool of workers, for `options.workers` of fit, accumulateAsync, sampleAsync and sampleChunks. */
export interface Workers {
  /** Workers in the pool. */
  readonly size: number;
  /** The kernels they run ('wasm' or 'js'). */
  readonly backend: BackendName;
  /** Ends the workers once the call that has them (if any) is done; later calls reject. */
  close(): Promise<void>;
}

/** Options of startWorkers. */
export interface StartWorkersOptions {
  /** Makes one worker (needed in browsers; see ParallelOptions.workerFactory). @default Node's worker_threads on dist/worker.js */
  workerFactory?: () => WorkerLike;
  /** The kernels the workers load; calls that use the pool must resolve to the same. @default 'auto' */
  backend?: BackendChoice;
}

interface PoolState {
  pool: WorkerPool;
  turn: Promise<void>; // settles when the call that has the pool (or the last in line) is done
  closed: boolean;
}

const pools = new WeakMap<object, PoolState>();

/** Starts `count` workers (an integer in [1, 64]) that calls can share; close() ends them. */
export async function startWorkers(count: number, options?: StartWorkersOptions): Promise<Workers> {
  const n = checkInteger('count', count, 1, MAX_WORKERS);
  const o = checkOptions('options', options);
  if (o.workerFactory !== undefined && typeof o.workerFactory !== 'function') {
    throw new TypeError(`options.workerFactory must be a function, got ${show(o.workerFactory)}`);
  }
  const backend = resolveBackend(checkBackend('options.backend', o.backend));
  let factory = o.workerFactory as (() => WorkerLike) | undefined;
  if (factory === undefined) {
    if (!isNode()) throw new Error('relu-density: startWorkers needs options.workerFactory outside Node');
    factory = await nodeWorkerFactory();
  }
  const state: PoolState = { pool: await WorkerPool.start(n, factory, backend), turn: Promise.resolve(), closed: false };
  const handle: Workers = {
    size: n,
    backend,
    async close() {
      if (state.closed) return;
      state.closed = true;
      await state.turn;
      state.pool.terminate();
    },
  };
  pools.set(handle, state);
  return handle;
}

/** Whether v is a pool made by startWorkers. */
export function isWorkers(v: unknown): v is Workers {
  return typeof v === 'object' && v !== null && pools.has(v);
}

/**
 * Waits for the pool's turn and takes it: resolves with the pool and a release function that
 * gives the turn back once every request of this call has settled.
 */
export async function takeTurn(w: Workers, backend: BackendName): Promise<{ pool: WorkerPool; release: () => void }> {
  const state = pools.get(w)!;
  if (state.closed) throw new Error('relu-density: options.workers is a closed pool (startWorkers … close())');
  if (w.backend !== backend) {
    throw new RangeError(`options.workers runs the '${w.backend}' kernels, but this call's backend resolves to '${backend}'`);
  }
  const before = state.turn;
  let release!: () => void;
  state.turn = new Promise<void>((resolve) => (release = resolve));
  await before; // close() waits for this turn too: the pool is still up when it comes
  return {
    pool: state.pool,
    release: () => void state.pool.idle().then(release, release),
  };
}
