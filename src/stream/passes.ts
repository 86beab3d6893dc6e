// The passes a fit plan asks for, driven over rows in memory (memoryPass: this thread,
// synchronously) or over a RowSource (SourcePasses: the source's chunks cut into fixed blocks
// by src/stream/source.ts, each block's kernel run by an executor on this thread or on workers).
// Both use the same blocks, kernels and merge in block order (src/backend/merge.ts), so every pass
// gives the same bits however it is driven.
import type { Backend, BlockKernel, PassRequest, PassResults, SgdSetup, SgdTotals } from '../backend/contract.js';
import { forEachBlock } from '../backend/blocks.js';
import { blocksPass, partialsMerge, thresholdsOf, type BlockRequest, type MomentRun } from '../backend/merge.js';
import type { StatisticsAccumulator } from '../backend/statistics.js';
import { checkBlockValues } from '../input/scalars.js';
import type { BlockDone, Executor } from '../parallel/executor.js';
import type { Progress } from '../parallel/types.js';
import { BlockBuffers, checkRowCount, sourceBlocks, type Block, type RowSource } from './source.js';
import type { Samples } from '../types.js';

/** One pass over rows in memory, block by block on this thread. */
export function memoryPass<K extends PassRequest['kind']>(req: Extract<PassRequest, { kind: K }>, x: Samples, backend: Backend): PassResults[K] {
  const r: PassRequest = req;
  // r.kind is K, but TypeScript does not narrow K along with r
  return (r.kind === 'sgd' ? sgdPass(x, r.setup, backend) : blocksPass(r, x, backend)) as PassResults[K];
}

function sgdPass(x: Samples, setup: SgdSetup, backend: Backend): SgdTotals {
  const run = backend.sgd(x.d, setup);
  try {
    forEachBlock(x, (block, rows) => run.push(block, rows));
  } catch (err) {
    run.finish(); // release the run's memory, then report the first error
    throw err;
  }
  return run.finish();
}

const STAGES: Record<PassRequest['kind'], string> = { moments: 'statistics', coordStats: 'stats', sgd: 'step1', pairCounts: 'counts' };

/**
 * Bytes of one block's partial that count towards the executor's in-flight budget, besides
 * the block itself (coordStats' 3 d values are left out: nothing next to a block).
 */
const PARTIAL_BYTES: Record<BlockKernel, (d: number) => number> = {
  moments: (d) => 32 * d * d,
  coordStats: () => 0,
  pairCounts: (d) => 8 * d * d,
};

/** State shared by the passes of one fit. */
export class SourcePasses {
  private pass = 0;
  private firstPassRows: number | undefined;
  private readonly buffers: BlockBuffers;

  constructor(
    readonly src: RowSource,
    private readonly ex: Executor,
    private readonly passes: number,
    private readonly onProgress: ((p: Progress) => void) | undefined,
  ) {
    this.buffers = new BlockBuffers(src.d);
  }

  /** Rows of the source, known after the first pass. */
  get n(): number {
    return this.firstPassRows ?? 0;
  }

  async run<K extends PassRequest['kind']>(req: Extract<PassRequest, { kind: K }>): Promise<PassResults[K]> {
    const r: PassRequest = req;
    this.pass++;
    // r.kind is K, but TypeScript does not narrow K along with r
    return (r.kind === 'sgd' ? await this.sgd(r.setup, r.positives) : await this.blockPass(r)) as PassResults[K];
  }

  private async blockPass<K extends BlockKernel>(req: Extract<BlockRequest, { kind: K }>): Promise<PassResults[K]> {
    const d = this.src.d;
    const kind: BlockKernel = req.kind;
    if (kind === 'moments' && this.ex.momentRun !== undefined) return (await this.localMoments(this.ex.momentRun(d))) as PassResults[K];
    const merge = partialsMerge<K>(req.kind, d);
    const t = thresholdsOf(req);
    const limit = this.ex.limit(this.buffers.blockRows * d * 8 + PARTIAL_BYTES[kind](d));
    await this.blocks(
      kind,
      limit,
      (b) => this.ex.block(kind, b, d, t),
      (p: BlockDone, rows) => merge.add(p.partial, rows),
    );
    return merge.result();
  }

  /** The moments pass on this thread: each block checked (when marked) and pushed into the run, in order. */
  private async localMoments(run: MomentRun): Promise<StatisticsAccumulator> {
    const d = this.src.d;
    await this.blocks(
      'moments',
      1,
      async (b) => {
        if (b.check) checkBlockValues(b.data, b.rows, d, b.check);
        run.push(b.data, b.rows);
        return { buffer: b.data };
      },
      () => undefined,
    );
    return run.result();
  }

  private async sgd(setup: SgdSetup, positives: Float64Array): Promise<SgdTotals> {
    await this.ex.sgdStart(this.src.d, setup, positives);
    // every worker sees every block here: two blocks under way keep them all busy
    await this.blocks(
      'sgd',
      2,
      async (b) => ({ buffer: await this.ex.sgdPush(b) }),
      () => undefined,
    );
    return this.ex.sgdFinish();
  }

  /**
   * Reads the source once: starts each block's work as it arrives, keeps at most `limit`
   * blocks under way, and merges results strictly in block order.
   */
  private async blocks<T extends { buffer: Float64Array }>(
    kind: PassRequest['kind'],
    limit: number,
    start: (b: Block) => Promise<T>,
    merge: (done: T, rows: number) => void,
  ): Promise<void> {
    const queue: { rows: number; done: Promise<T> }[] = [];
    let rowsDone = 0;
    let rowsRead: number | undefined;
    const settle = async () => {
      const { rows, done } = queue.shift()!;
      const p = await done;
      merge(p, rows);
      this.buffers.give(p.buffer);
      rowsDone += rows;
      this.onProgress?.({ pass: this.pass, passes: this.passes, rows: rowsDone, totalRows: this.src.n ?? this.firstPassRows, stage: STAGES[kind] });
    };
    for await (const block of sourceBlocks(this.src, this.buffers, this.pass, (n) => (rowsRead = n))) {
      const done = start(block);
      done.catch(() => undefined); // observed by settle(); an early failure must not be "unhandled"
      queue.push({ rows: block.rows, done });
      while (queue.length >= limit) await settle();
    }
    while (queue.length > 0) await settle();
    this.firstPassRows = checkRowCount(this.src, rowsRead!, this.pass, this.firstPassRows);
  }
}
