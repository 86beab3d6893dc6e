// Where the kernels of a streamed pass run: on the calling thread (workers: 0) or on a pool
// of workers, both through the one request handler (src/parallel/handler.ts). Both give the
// same bits: a block's partial does not depend on who computes it, the caller merges
// partials in block order, and the SGD is split into coordinate ranges
// (Backend.sgd(d, setup, lo, hi)), each worker seeing every block.
import type { BlockKernel, PackedModel, SgdSetup, SgdTotals } from '../backend/contract.js';
import type { Block } from '../backend/blocks.js';
import type { BackendChoice, BackendName } from '../types.js';
import { resolveBackend } from '../backend/wasm/instance.js';
import { momentRun, type MomentRun } from '../backend/merge.js';
import { createHandler, type Handler } from './handler.js';
import { isNode, nodeWorkerFactory } from './node.js';
import type { CheckedParallelOptions } from './options.js';
import { WorkerPool } from './pool.js';
import { takeTurn } from './shared-pool.js';
import { buffersOf, type OkReply, type Request } from './protocol.js';

/** A block's partial result, and its buffer handed back for reuse. */
export interface BlockDone {
  partial: Float64Array;
  buffer: Float64Array;
}

/** Bytes of blocks and partial results a pass keeps under way at most (besides one being read). */
export const IN_FLIGHT_BYTES = 256 * 2 ** 20;

export interface Executor {
  /**
   * Blocks (or sample tasks) of `bytes` each (input and result) to keep under way: enough to
   * keep every worker busy (workers + 2), never more than IN_FLIGHT_BYTES, at least 1.
   */
  limit(bytes: number): number;
  block(kind: BlockKernel, block: Block, d: number, thresholds?: Float64Array): Promise<BlockDone>;
  /** positives[i]: coordinate i's positive values, the measure of its work (ranges are cut by it). */
  sgdStart(d: number, setup: SgdSetup, positives: Float64Array): Promise<void>;
  /** Resolves with the block's buffer once every coordinate range has consumed it. */
  sgdPush(block: Block): Promise<Float64Array>;
  sgdFinish(): Promise<SgdTotals>;
  sampleModel(model: PackedModel, seed: number): Promise<void>;
  sample(firstRow: number, rows: number): Promise<Float64Array>;
  /**
   * The moments pass run here, block by block and band by band (momentRun: partials of at
   * most MOMENT_BAND_BYTES); only on the calling thread. Workers get whole blocks (block()).
   */
  readonly momentRun?: (d: number) => MomentRun;
  close(): void;
}

/**
 * The calling thread: the workers' own request handler, run in-process, one call at a time
 * (a failure throws as it was thrown, rather than as a worker's revived error).
 */
class LocalExecutor implements Executor {
  private constructor(private readonly handler: Handler) {}

  static async start(backend: BackendName): Promise<LocalExecutor> {
    const handler = createHandler();
    await handler.handle({ type: 'init', id: 0, backend });
    return new LocalExecutor(handler);
  }

  limit(): number {
    return 1;
  }

  readonly momentRun = (d: number): MomentRun => momentRun(this.handler.kernels(), d);

  private async request(req: Request): Promise<OkReply> {
    return (await this.handler.handle(req)).reply;
  }

  async block(kind: BlockKernel, block: Block, d: number, thresholds?: Float64Array): Promise<BlockDone> {
    const r = await this.request({ type: kind, id: 0, block: block.data, rows: block.rows, d, thresholds, check: block.check });
    return { partial: r.partial!, buffer: block.data };
  }
  async sgdStart(d: number, setup: SgdSetup): Promise<void> {
    await this.request({ type: 'sgdStart', id: 0, d, setup, lo: 0, hi: d });
  }
  async sgdPush(block: Block): Promise<Float64Array> {
    await this.request({ type: 'sgdPush', id: 0, block: block.data, rows: block.rows, check: block.check });
    return block.data;
  }
  async sgdFinish(): Promise<SgdTotals> {
    return (await this.request({ type: 'sgdFinish', id: 0 })).totals!;
  }
  async sampleModel(model: PackedModel, seed: number): Promise<void> {
    await this.request({ type: 'sampleModel', id: 0, model, seed });
  }
  async sample(firstRow: number, rows: number): Promise<Float64Array> {
    return (await this.request({ type: 'sample', id: 0, firstRow, rows })).data!;
  }
  close(): void {
    this.handler.close(); // an aborted pass releases the run's Wasm memory
  }
}

/** Workers; blocks go to the least loaded one, SGD blocks to all (one coordinate range each). */
class PoolExecutor implements Executor {
  private ranges: { worker: number; lo: number; hi: number }[] = [];
  private readonly shared: Float64Array[] = [];
  /** `done` ends the call's use of the pool: terminate it, or hand a shared pool back. */
  constructor(
    private readonly pool: WorkerPool,
    private readonly done: () => void = () => pool.terminate(),
  ) {}

  limit(bytes: number): number {
    return Math.max(1, Math.min(this.pool.size + 2, Math.floor(IN_FLIGHT_BYTES / bytes)));
  }

  async block(kind: BlockKernel, block: Block, d: number, thresholds?: Float64Array): Promise<BlockDone> {
    const x = block.data;
    const r = await this.pool.request(this.pool.leastLoaded(), { type: kind, block: x, rows: block.rows, d, thresholds, check: block.check }, buffersOf(x));
    return { partial: r.partial!, buffer: r.block! };
  }

  async sgdStart(d: number, setup: SgdSetup, positives: Float64Array): Promise<void> {
    this.ranges = sgdRanges(positives, Math.min(this.pool.size, d));
    await Promise.all(this.ranges.map((r) => this.pool.request(r.worker, { type: 'sgdStart', d, setup, lo: r.lo, hi: r.hi })));
  }

  async sgdPush(block: Block): Promise<Float64Array> {
    // Every range needs the whole block: one shared copy where SharedArrayBuffer can be posted
    // (Node; cross-origin isolated pages), else a copy per worker but the last, which gets the buffer.
    if (canShare()) {
      const view = this.takeShared(block.data.length);
      view.set(block.data);
      await Promise.all(this.ranges.map((r) => this.pool.request(r.worker, { type: 'sgdPush', block: view, rows: block.rows, check: block.check })));
      this.shared.push(view);
      return block.data;
    }
    const replies = this.ranges.map((r, i) => {
      const last = i === this.ranges.length - 1;
      const data = last ? block.data : block.data.slice();
      return this.pool.request(r.worker, { type: 'sgdPush', block: data, rows: block.rows, check: block.check }, last ? buffersOf(data) : []);
    });
    return (await Promise.all(replies))[replies.length - 1].block!;
  }

  private takeShared(length: number): Float64Array {
    const i = this.shared.findIndex((v) => v.length === length);
    if (i >= 0) return this.shared.splice(i, 1)[0];
    return new Float64Array(new SharedArrayBuffer(length * 8));
  }

  async sgdFinish(): Promise<SgdTotals> {
    const parts = await Promise.all(this.ranges.map((r) => this.pool.request(r.worker, { type: 'sgdFinish' })));
    const d = this.ranges[this.ranges.length - 1].hi;
    const totals = { sumV1: new Float64Array(d), sumV2: new Float64Array(d), batches: new Float64Array(d) };
    parts.forEach((p, i) => {
      const lo = this.ranges[i].lo;
      totals.sumV1.set(p.totals!.sumV1, lo);
      totals.sumV2.set(p.totals!.sumV2, lo);
      totals.batches.set(p.totals!.batches, lo);
    });
    return totals;
  }

  async sampleModel(model: PackedModel, seed: number): Promise<void> {
    await Promise.all(Array.from({ length: this.pool.size }, (_, w) => this.pool.request(w, { type: 'sampleModel', model, seed })));
  }

  async sample(firstRow: number, rows: number): Promise<Float64Array> {
    return (await this.pool.request(this.pool.leastLoaded(), { type: 'sample', firstRow, rows })).data!;
  }

  close(): void {
    this.done();
  }
}

/**
 * Contiguous coordinate ranges of about equal work, one per worker: a coordinate costs its
 * scan of every row plus a step per positive value, so ranges are cut at equal shares of
 * positives[i] + SCAN_WEIGHT x max(positives). (Equal coordinate counts left one worker
 * waiting on the other at every block when the coordinates' positive rates differ.)
 * Any cut gives the same bits: coordinates are independent.
 */
export function sgdRanges(positives: Float64Array, k: number): { worker: number; lo: number; hi: number }[] {
  const d = positives.length;
  let max = 0;
  for (const p of positives) max = Math.max(max, p);
  const weight = (i: number) => positives[i] + SCAN_WEIGHT * max;
  let total = 0;
  for (let i = 0; i < d; i++) total += weight(i);
  const ranges = [];
  let lo = 0;
  let acc = 0;
  for (let w = 0; w < k; w++) {
    let hi = lo;
    const target = (total * (w + 1)) / k;
    // at least one coordinate each, and leave one for every worker still to come
    while (hi < d - (k - w - 1) && (hi === lo || acc + weight(hi) / 2 <= target)) acc += weight(hi++);
    if (w === k - 1) hi = d;
    ranges.push({ worker: w, lo, hi });
    lo = hi;
  }
  return ranges;
}

const SCAN_WEIGHT = 0.1;

/** Whether a SharedArrayBuffer can be posted to workers here. */
function canShare(): boolean {
  return typeof SharedArrayBuffer === 'function' && (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated !== false;
}

/**
 * The executor for checked options: the calling thread's backend for workers: 0, else a
 * pool whose workers load the backend `choice` resolves to here (so 'auto' means the same
 * kernels in the workers as on this thread).
 */
export async function startExecutor(p: CheckedParallelOptions, choice: BackendChoice): Promise<Executor> {
  const backend = resolveBackend(choice);
  if (p.workers === 0) return LocalExecutor.start(backend);
  if (typeof p.workers !== 'number') {
    const { pool, release } = await takeTurn(p.workers, backend);
    return new PoolExecutor(pool, release);
  }
  let factory = p.workerFactory;
  if (factory === undefined) {
    if (!isNode()) {
      throw new Error(
        "relu-density: options.workers needs options.workerFactory outside Node, e.g. () => new Worker(new URL('relu-density/worker', import.meta.url), { type: 'module' })",
      );
    }
    factory = await nodeWorkerFactory();
  }
  return new PoolExecutor(await WorkerPool.start(p.workers, factory, backend));
}
