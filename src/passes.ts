// Passes over a RowSource: the source's chunks are cut into fixed blocks (src/source.ts),
// each block's kernel runs on the executor (this thread or workers), and the partials are
// merged here in block order, so every pass gives the same bits as the in-memory one.
import type { CoordStats } from './backend.js';
import type { PassRequest, PassResults } from './fit.js';
import { addCoordStats, addPairCounts, emptyCoordStats, mirrorCounts } from './paper.js';
import type { BlockDone, Executor } from './parallel/executor.js';
import type { Progress } from './parallel/options.js';
import { BlockBuffers, checkRowCount, sourceBlocks, type Block, type RowSource } from './source.js';
import { StatisticsAccumulator } from './statistics.js';

const STAGES: Record<PassRequest['kind'], string> = { moments: 'statistics', coordStats: 'stats', sgd: 'step1', pairCounts: 'counts' };

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
    const d = this.src.d;
    const blockBytes = this.buffers.blockRows * d * 8;
    switch (r.kind) {
      case 'moments': {
        const acc = new StatisticsAccumulator(d);
        await this.blocks(r.kind, blockBytes + 32 * d * d, (b) => this.ex.block('moments', b, d), (p, rows) => acc.add(p.partial, rows));
        return acc.statistics() as PassResults[K];
      }
      case 'coordStats': {
        const total = emptyCoordStats(d);
        await this.blocks(r.kind, blockBytes, (b) => this.ex.block('coordStats', b, d), (p) => addCoordStats(total, unpack(p.partial, d)));
        return total as PassResults[K];
      }
      case 'pairCounts': {
        const total = new Float64Array(d * d);
        const t = r.thresholds;
        await this.blocks(r.kind, blockBytes + 8 * d * d, (b) => this.ex.block('pairCounts', b, d, t), (p) => addPairCounts(total, p.partial, d));
        return mirrorCounts(total, d) as PassResults[K];
      }
      case 'sgd': {
        await this.ex.sgdStart(d, r.setup, r.positives);
        // every worker sees every block here: two blocks under way keep them all busy
        await this.blocks(r.kind, IN_FLIGHT_SGD, async (b) => ({ partial: EMPTY, buffer: await this.ex.sgdPush(b) }), () => undefined);
        return (await this.ex.sgdFinish()) as PassResults[K];
      }
    }
  }

  /**
   * Reads the source once: starts each block's work as it arrives, keeps at most
   * ex.limit(bytes) blocks under way, and merges results strictly in block order.
   */
  private async blocks(
    kind: PassRequest['kind'], bytes: number,
    start: (b: Block) => Promise<BlockDone>, merge: (p: BlockDone, rows: number) => void,
  ): Promise<void> {
    const limit = bytes === IN_FLIGHT_SGD ? 2 : this.ex.limit(bytes);
    const queue: { rows: number; done: Promise<BlockDone> }[] = [];
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

const IN_FLIGHT_SGD = -1;
const EMPTY = new Float64Array(0);

function unpack(p: Float64Array, d: number): CoordStats {
  return { count: p.subarray(0, d), sum: p.subarray(d, 2 * d), sumSq: p.subarray(2 * d, 3 * d) };
}
