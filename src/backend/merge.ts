// Block kernels and the merge of their partials, each written once: blockPartial runs a
// pass kind's kernel on one block (src/parallel/handler.ts calls it, on workers and on the
// calling thread alike), partialsMerge adds the partials up in block order (for in-memory rows
// in blocksPass below, for sources in src/stream/passes.ts). Block order fixes the bits: counts and
// per-coordinate sums are added in that order, moments exactly.
import type { Backend, BlockKernel, CoordStats, PassRequest, PassResults } from './contract.js';
import { forEachBlock } from './blocks.js';
import { StatisticsAccumulator } from './statistics.js';
import type { Samples } from '../types.js';

/** A pass that maps each block to one partial result. */
export type BlockRequest = Extract<PassRequest, { kind: BlockKernel }>;

function emptyCoordStats(d: number): CoordStats {
  return { count: new Float64Array(d), sum: new Float64Array(d), sumSq: new Float64Array(d) };
}

/** Adds one block's partial into total (block order is the caller's, and fixes the bits). */
function addCoordStats(total: CoordStats, p: CoordStats): void {
  for (let i = 0; i < total.count.length; i++) {
    total.count[i] += p.count[i];
    total.sum[i] += p.sum[i];
    total.sumSq[i] += p.sumSq[i];
  }
}

/** Adds one block's upper-triangle counts into total. */
function addPairCounts(total: Float64Array, p: Float64Array, d: number): void {
  for (let i = 0; i < d; i++) for (let j = i; j < d; j++) total[i * d + j] += p[i * d + j];
}

/** Copies the upper triangle to the lower one (in place). */
function mirrorCounts(total: Float64Array, d: number): Float64Array {
  for (let i = 0; i < d; i++) for (let j = 0; j < i; j++) total[i * d + j] = total[j * d + i];
  return total;
}

/**
 * kind's kernel on one block of `rows` rows of d values, as one flat partial (coordStats as
 * count | sum | sumSq: one array to post back from a worker instead of three).
 */
export function blockPartial(b: Backend, kind: BlockKernel, block: Float64Array, rows: number, d: number, thresholds?: Float64Array): Float64Array {
  switch (kind) {
    case 'moments':
      return b.momentStats(block, rows, d);
    case 'pairCounts':
      return b.pairCounts(block, rows, d, thresholds!);
    case 'coordStats': {
      const p = b.coordStats(block, rows, d);
      const out = new Float64Array(3 * d);
      out.set(p.count, 0);
      out.set(p.sum, d);
      out.set(p.sumSq, 2 * d);
      return out;
    }
  }
}

/** One pass's block partials (blockPartial's), added up in the order given. */
export interface PartialsMerge<R> {
  add(partial: Float64Array, rows: number): void;
  /** The pass's result; call once, after the last block. */
  result(): R;
}

const MERGES: { [K in BlockKernel]: (d: number) => PartialsMerge<PassResults[K]> } = {
  moments(d) {
    const acc = new StatisticsAccumulator(d);
    return { add: (p, rows) => acc.add(p, rows), result: () => acc };
  },
  coordStats(d) {
    const total = emptyCoordStats(d);
    return {
      add: (p) => addCoordStats(total, { count: p.subarray(0, d), sum: p.subarray(d, 2 * d), sumSq: p.subarray(2 * d, 3 * d) }),
      result: () => total,
    };
  },
  pairCounts(d) {
    const total = new Float64Array(d * d);
    return { add: (p) => addPairCounts(total, p, d), result: () => mirrorCounts(total, d) };
  },
};

export function partialsMerge<K extends BlockKernel>(kind: K, d: number): PartialsMerge<PassResults[K]> {
  return MERGES[kind](d);
}

/** The thresholds a block pass's kernel needs (pairCounts'), if any. */
export function thresholdsOf(req: BlockRequest): Float64Array | undefined {
  return req.kind === 'pairCounts' ? req.thresholds : undefined;
}

/**
 * Bytes of a moments partial made at once, at most (4 x rows x d doubles): where the kernels
 * run on the calling thread, a block's statistics are computed in bands of output rows of
 * this size rather than whole (at d = 4096 the whole is 0.54 GB, next to 0.86 GB of exact
 * sums). Bands change no bits (each entry is summed on its own).
 */
export const MOMENT_BAND_BYTES = 64 * 2 ** 20;

/** Output rows [lo, hi) of the moments kernel for d, in order: all d unless a partial would pass MOMENT_BAND_BYTES. */
export function momentBands(d: number): { lo: number; hi: number }[] {
  const rows = Math.max(8, Math.floor(MOMENT_BAND_BYTES / (32 * d) / 8) * 8);
  const bands = [];
  for (let lo = 0; lo < d; lo += rows) bands.push({ lo, hi: Math.min(d, lo + rows) });
  return bands;
}

/** The moments pass over blocks given in order, each summed band by band (momentBands) into one accumulator. */
export interface MomentRun {
  push(block: Float64Array, rows: number): void;
  result(): StatisticsAccumulator;
}

export function momentRun(b: Backend, d: number): MomentRun {
  const acc = new StatisticsAccumulator(d);
  const bands = momentBands(d);
  return {
    push(block, rows) {
      for (const { lo, hi } of bands) acc.addBand(b.momentStats(block, rows, d, lo, hi), lo, hi);
      acc.addRows(rows);
    },
    result: () => acc,
  };
}

/** A block pass over in-memory rows on this thread, block by block. */
export function blocksPass<K extends BlockKernel>(req: Extract<BlockRequest, { kind: K }>, x: Samples, b: Backend): PassResults[K] {
  if (req.kind === 'moments') {
    const run = momentRun(b, x.d);
    forEachBlock(x, (block, rows) => run.push(block, rows));
    return run.result() as PassResults[K];
  }
  const merge = partialsMerge<K>(req.kind, x.d);
  const t = thresholdsOf(req);
  forEachBlock(x, (block, rows) => merge.add(blockPartial(b, req.kind, block, rows, x.d, t), rows));
  return merge.result();
}
