// Row sources: data that arrive as a stream of row chunks (files larger than memory), and
// their passes as the fixed rowsPerBlock(d) blocks every kernel pass runs on (cut by
// blocks.ts' reblock, whatever the chunking). Fits depend on the blocks only, so a source gives the same bits as the same
// rows in memory, however its chunks are cut.
import { blocksOf, reblock, rowsPerBlock, type Block } from '../backend/blocks.js';

export type { Block };
import type { DataInput, Samples } from '../types.js';
import { checkInteger, show } from '../input/scalars.js';
import { MAX_FIT_D, toSamples } from '../input/arrays.js';

/** A pass-able stream of rows, for data larger than memory. */
export interface RowSource {
  /** Columns per row. */
  readonly d: number;
  /** Name used in error messages (a file path, or 'x'). */
  readonly name: string;
  /** Rows in all, when known in advance (for progress and ETA); checked against the rows read. */
  readonly n?: number | undefined;
  /** Bytes in all, when known (for progress). */
  readonly bytes?: number | undefined;
  /**
   * Opens one pass over all rows, in order: chunks of whole rows (chunk.length % d === 0), any
   * size. A chunk may be a reused buffer: it is valid only until the next one is requested.
   * The paper method opens 3 passes; the default method 1.
   */
  rows(): AsyncIterable<Float64Array>;
}

/** Whether x looks like a RowSource (rather than an in-memory matrix). */
export function isRowSource(x: unknown): x is RowSource {
  return typeof x === 'object' && x !== null && typeof (x as RowSource).rows === 'function' && !('data' in x);
}

/** Rows per chunk of arraySource. */
export const ARRAY_SOURCE_CHUNK_ROWS = 65_536;

/**
 * In-memory data as a RowSource named 'x' (validated now, as fit validates it): chunks of
 * chunkRows rows that are views of the data, never copies.
 * @param chunkRows rows per chunk, an integer >= 1 (any size gives the same fit). @default 65536
 */
export function arraySource(x: DataInput, chunkRows: number = ARRAY_SOURCE_CHUNK_ROWS): RowSource {
  const s = toSamples('x', x);
  return validatedSource(s, checkInteger('chunkRows', chunkRows, 1));
}

/** Sources whose values toSamples has checked: their blocks are not scanned again. */
const validated = new WeakSet<RowSource>();
/** In-memory rows whose values are checked by the first pass (toSamples' messages). */
const checkedOnFirstPass = new WeakSet<RowSource>();

/** Rows checked by toSamples as a source of chunks of `step` rows (views). */
function validatedSource(s: Samples, step: number): RowSource {
  const src = memoryRows(s, step);
  validated.add(src);
  return src;
}

/**
 * Rows in memory whose shape toSampleShape has checked, as a source of chunks of `step` rows
 * (views); the first pass checks their values block by block, and an error names the entry
 * as toSamples does (x[row][column]). On workers, each worker checks its own blocks, instead
 * of the calling thread scanning all of x before the first block.
 */
export function firstPassCheckedSource(s: Samples, step: number): RowSource {
  const src = memoryRows(s, step);
  checkedOnFirstPass.add(src);
  return src;
}

function memoryRows(s: Samples, step: number): RowSource {
  return {
    d: s.d,
    name: 'x',
    n: s.n,
    bytes: s.n * s.d * 8,
    async *rows() {
      for (const b of blocksOf(s, step)) yield b.data;
    },
  };
}

/** Checks the fixed fields of a source before any pass starts. */
export function checkSource(src: RowSource): RowSource {
  if (typeof src.name !== 'string') throw new TypeError(`source.name must be a string, got ${show(src.name)}`);
  checkInteger(`${src.name}: source.d`, src.d, 1, MAX_FIT_D);
  if (src.n !== undefined) checkInteger(`${src.name}: source.n`, src.n, 0);
  return src;
}

/**
 * Block buffers of rowsPerBlock(d) rows, recycled: a buffer handed to a worker (and
 * detached by the transfer) comes back with its reply and is given back here.
 */
export class BlockBuffers {
  private readonly free: Float64Array[] = [];
  readonly blockRows: number;
  constructor(readonly d: number) {
    this.blockRows = rowsPerBlock(d);
  }
  take(): Float64Array {
    return this.free.pop() ?? new Float64Array(this.blockRows * this.d);
  }
  give(buffer: Float64Array): void {
    if (buffer.length === this.blockRows * this.d && this.free.length < 8) this.free.push(buffer);
  }
}

/**
 * Pass `pass` over a source as fixed blocks, copied into buffers from `buffers`, each marked
 * for a check with the value rules of toSamples before its kernel (errors name the source, the
 * 0-based global row and the column) on every pass, since a stream may change between passes;
 * validatedSource's rows are not checked again, firstPassCheckedSource's only on pass 1.
 * `counted(rows)` learns the total number of rows when the pass ends.
 */
export async function* sourceBlocks(src: RowSource, buffers: BlockBuffers, pass: number, counted: (rows: number) => void): AsyncGenerator<Block> {
  const inMemory = checkedOnFirstPass.has(src);
  const trusted = validated.has(src) || (inMemory && pass > 1);
  const style = inMemory ? 'entry' : 'row';
  let index = 0;
  let firstRow = 0;
  for await (const { data, rows } of reblock(wholeRows(src), src.d, buffers.blockRows, () => buffers.take())) {
    const block: Block = { index, firstRow, rows, data };
    if (!trusted) block.check = { name: src.name, firstRow, style };
    index++;
    firstRow += rows;
    yield block;
  }
  counted(firstRow);
}

/** The source's chunks, each checked to be a Float64Array of whole rows as it arrives. */
async function* wholeRows(src: RowSource): AsyncGenerator<Float64Array> {
  const { d, name } = src;
  let rows = 0;
  for await (const chunk of src.rows()) {
    if (!(chunk instanceof Float64Array)) throw new TypeError(`${name}: source chunks must be Float64Arrays, got ${show(chunk)}`);
    if (chunk.length % d !== 0) {
      throw new RangeError(`${name}: a source chunk of ${chunk.length} values after row ${rows} is not whole rows of d = ${d}`);
    }
    rows += chunk.length / d;
    yield chunk;
  }
}

/** The row count of a finished pass, checked against the source's n and against earlier passes. */
export function checkRowCount(src: RowSource, rows: number, pass: number, firstPassRows: number | undefined): number {
  if (src.n !== undefined && rows !== src.n) {
    throw new RangeError(`${src.name}: the source declares n = ${src.n} rows but pass ${pass} read ${rows}`);
  }
  if (firstPassRows !== undefined && rows !== firstPassRows) {
    throw new RangeError(`${src.name}: pass ${pass} read ${rows} rows, pass 1 read ${firstPassRows}; a source must give the same rows on every pass`);
  }
  if (rows < 2) throw new RangeError(`${src.name} must have n >= 2 rows, got n = ${rows}`);
  return rows;
}
