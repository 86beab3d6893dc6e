// A fixed set of workers started for one call and terminated at its end. Requests are
// matched to replies by id; the first worker failure (an error event, an unexpected exit)
// fails every pending and later request with that error's message.
import type { BackendName } from '../types.js';
import type { WorkerLike } from './types.js';
import { reviveError, type OkReply, type Reply, type Request } from './protocol.js';

type Pending = { resolve: (r: OkReply) => void; reject: (e: Error) => void };

/** Distributes the requests of `Request` without `id`. */
export type Message = Request extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

function errorOf(event: unknown): Error {
  if (event instanceof Error) return event;
  const e = event as { error?: unknown; message?: unknown } | null;
  if (e?.error instanceof Error) return e.error;
  if (typeof e?.message === 'string' && e.message !== '') return new Error(e.message);
  return new Error('relu-density: a worker failed (no message; in a browser, check that the worker script loads)');
}

export class WorkerPool {
  private readonly pending: Map<number, Pending>[];
  private readonly load: number[];
  private nextId = 1;
  private failure: Error | undefined;
  private closed = false;

  private constructor(private readonly workers: WorkerLike[]) {
    this.pending = workers.map(() => new Map());
    this.load = workers.map(() => 0);
    workers.forEach((w, i) => {
      w.addEventListener('message', (e: { data: Reply }) => this.onReply(i, e.data));
      w.addEventListener('error', (e: unknown) => {
        (e as { preventDefault?: () => void } | null)?.preventDefault?.();
        this.fail(errorOf(e));
      });
      w.addEventListener('messageerror', () => this.fail(new Error('relu-density: a worker message could not be deserialized')));
    });
  }

  /** Starts `count` workers and loads the kernels of `backend` in each (terminating all on failure). */
  static async start(count: number, factory: () => WorkerLike, backend: BackendName): Promise<WorkerPool> {
    const workers: WorkerLike[] = [];
    let pool: WorkerPool | undefined;
    try {
      for (let i = 0; i < count; i++) workers.push(factory());
      pool = new WorkerPool(workers);
      await Promise.all(workers.map((_, i) => pool!.request(i, { type: 'init', backend })));
      return pool;
    } catch (err) {
      if (pool !== undefined) pool.terminate();
      else for (const w of workers) w.terminate();
      throw err;
    }
  }

  get size(): number {
    return this.workers.length;
  }

  /** Settles when no request is under way (at once if none is). */
  idle(): Promise<void> {
    if (this.load.every((l) => l === 0)) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private idleWaiters: (() => void)[] = [];

  private checkIdle(): void {
    if (this.idleWaiters.length > 0 && this.load.every((l) => l === 0)) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  }

  /** The worker with the fewest requests under way. */
  leastLoaded(): number {
    let best = 0;
    for (let i = 1; i < this.load.length; i++) if (this.load[i] < this.load[best]) best = i;
    return best;
  }

  /** Sends one request to worker i; resolves with its successful reply. */
  request(i: number, message: Message, transfer: ArrayBuffer[] = []): Promise<OkReply> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    if (this.closed) return Promise.reject(new Error('relu-density: the worker pool is closed'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending[i].set(id, { resolve, reject });
      this.load[i]++;
      try {
        this.workers[i].postMessage({ ...message, id }, transfer);
      } catch (err) {
        this.pending[i].delete(id);
        this.load[i]--;
        this.checkIdle();
        reject(err instanceof Error ? err : new Error(String(err)));
      }
    });
  }

  private onReply(i: number, reply: Reply): void {
    const p = this.pending[i].get(reply.id);
    if (p === undefined) return;
    this.pending[i].delete(reply.id);
    this.load[i]--;
    if (reply.ok) p.resolve(reply);
    else p.reject(reviveError(reply.name, reply.message));
    this.checkIdle();
  }

  private fail(err: Error): void {
    if (this.failure !== undefined || this.closed) return;
    this.failure = err;
    for (const m of this.pending) {
      for (const p of m.values()) p.reject(err);
      m.clear();
    }
    this.load.fill(0);
    this.checkIdle();
  }

  /** Terminates every worker; pending requests reject. Safe to call twice. */
  terminate(): void {
    if (this.closed) return;
    this.closed = true;
    const err = this.failure ?? new Error('relu-density: the worker pool was terminated');
    for (const m of this.pending) {
      for (const p of m.values()) p.reject(err);
      m.clear();
    }
    this.load.fill(0);
    this.checkIdle();
    for (const w of this.workers) {
      try {
        void Promise.resolve(w.terminate()).catch(() => undefined);
      } catch {
        // a worker that cannot be terminated is already gone
      }
    }
  }
}
