// Fixed row blocks: every kernel pass runs on rowsPerBlock(d)-row blocks and merges their
// partials in block order, so results depend on d only, never on how rows arrive. In-memory
// rows are cut into views (blocksOf); streamed chunks are copied into blocks (reblock).
import type { Samples } from '../types.js';
import type { BlockPlaces } from '../input/scalars.js';

/**
 * Rows per block for d columns: a power of two, at least 64, about 8 MiB of float64 (2^20
 * values) or d / 2 rows, whichever is more. The second term matters above d = 1448 only: a
 * block's statistics are 4 d x d doubles and merging them costs 3 d^2 exact additions, so
 * 8 MiB blocks at d = 4096 (256 rows) would make 64x their own size in partials and spend a
 * fifth of the pass in the merge; d / 2 rows keep the partial within 8x the block and the
 * merge near 3% (2048-row, 64 MiB blocks at d = 4096).
 */
export function rowsPerBlock(d: number): number {
  const target = Math.max(Math.floor((1 << 20) / d), Math.floor(d / 2));
  let rows = 64;
  while (rows * 2 <= target) rows *= 2;
  return rows;
}

/** One block: `rows` rows of d values at the start of `data`. */
export interface RowBlock {
  data: Float64Array;
  rows: number;
}

/** The blocks of n rows: [first, first + rows) for first = 0, step, 2 step, ...; the last may be shorter. */
export function* blockRanges(n: number, step: number): Generator<{ first: number; rows: number }> {
  for (let first = 0; first < n; first += step) yield { first, rows: Math.min(step, n - first) };
}

/** Consecutive `step`-row views of x (no copies), in order; the last may be shorter. */
export function* blocksOf(x: Samples, step: number = rowsPerBlock(x.d)): Generator<RowBlock> {
  for (const { first, rows } of blockRanges(x.n, step)) yield { data: x.data.subarray(first * x.d, (first + rows) * x.d), rows };
}

/** Calls fn on each rowsPerBlock(d)-row block of x (views, no copies), in order. */
export function forEachBlock(x: Samples, fn: (block: Float64Array, rows: number) => void): void {
  for (const b of blocksOf(x)) fn(b.data, b.rows);
}

/**
 * Chunks of whole rows of d values, cut any way, copied into blocks of exactly `rows` rows
 * (the last may be shorter) in buffers from take() (rows x d values each). A buffer is taken
 * only when a row is there to fill it, so an empty stream takes none.
 */
export async function* reblock(chunks: AsyncIterable<Float64Array>, d: number, rows: number, take: () => Float64Array): AsyncGenerator<RowBlock> {
  let buf: Float64Array | undefined;
  let filled = 0;
  for await (const chunk of chunks) {
    const chunkRows = chunk.length / d;
    for (let off = 0; off < chunkRows; ) {
      buf ??= take();
      const m = Math.min(rows - filled, chunkRows - off);
      buf.set(chunk.subarray(off * d, (off + m) * d), filled * d);
      filled += m;
      off += m;
      if (filled === rows) {
        const full = buf;
        buf = undefined;
        filled = 0;
        yield { data: full, rows };
      }
    }
  }
  if (buf !== undefined) yield { data: buf, rows: filled };
}

/**
 * One fixed-size block of rows: `rows` valid rows at the start of `data`, rows firstRow.. of
 * the source. With `check`, its values are unchecked: whoever runs a kernel on it (this thread
 * or a worker) first checks them with checkBlockValues, so the reading thread does not.
 */
export interface Block {
  index: number;
  firstRow: number;
  rows: number;
  data: Float64Array;
  check?: BlockPlaces;
}
