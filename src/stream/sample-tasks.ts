// sampleChunks / sampleAsync: sample() in tasks of whole generator streams
// (SAMPLE_STREAM_ROWS rows each start a jumped stream), on this thread or on workers, with a
// few tasks under way at a time. Row r's stream depends on r only, so the rows are the same
// bits as sample()'s however they are split between tasks and workers.
import { SAMPLE_STREAM_ROWS } from '../backend/contract.js';
import { reblock } from '../backend/blocks.js';
import { startExecutor } from '../parallel/executor.js';
import { checkParallelOptions, type CheckedParallelOptions, type ParallelOptions } from '../parallel/options.js';
import { packModel } from '../backend/contract.js';
import { checkSampleArgs, type SampleArgs } from '../input/sample-args.js';
import type { ModelInput, SampleOptions, Samples } from '../types.js';
import { checkInteger, checkOptions } from '../input/scalars.js';

/** Options of sampleChunks. */
export interface SampleChunksOptions extends SampleOptions, ParallelOptions {
  /**
   * Rows per chunk yielded (the last may be shorter), an integer >= 1. Multiples of 4096
   * (SAMPLE_STREAM_ROWS) are yielded as generated; other sizes are cut from those.
   * @default 4096 x max(1, floor(256 / d)): about 8 MiB of float64 per chunk
   */
  chunkRows?: number | undefined;
}

/** The default chunkRows for d columns: whole streams, about 8 MiB. */
export function defaultChunkRows(d: number): number {
  return SAMPLE_STREAM_ROWS * Math.max(1, Math.floor(256 / d));
}

/** Tasks of taskRows rows (a multiple of SAMPLE_STREAM_ROWS), generated in order, a few under way. */
async function* tasks(args: SampleArgs, p: CheckedParallelOptions, taskRows: number): AsyncGenerator<Float64Array> {
  const { m, count, seed } = args;
  if (count === 0) return;
  const ex = await startExecutor(p, args.backend);
  try {
    await ex.sampleModel(packModel(m), seed);
    const limit = ex.limit(taskRows * m.d * 8);
    const queue: Promise<Float64Array>[] = [];
    let done = 0;
    const next = async () => {
      const data = await queue.shift()!;
      done += data.length / m.d;
      p.onProgress?.({ pass: 1, passes: 1, rows: done, totalRows: count, stage: 'sample' });
      return data;
    };
    for (let first = 0; first < count; first += taskRows) {
      const task = ex.sample(first, Math.min(taskRows, count - first));
      task.catch(() => undefined); // observed by next(); an early failure must not be "unhandled"
      queue.push(task);
      if (queue.length >= limit) yield await next();
    }
    while (queue.length > 0) yield await next();
  } finally {
    ex.close();
  }
}

/** Re-cuts consecutive row chunks into fresh chunks of exactly `rows` rows (the last may be shorter). */
async function* recut(chunks: AsyncIterable<Float64Array>, rows: number, d: number): AsyncGenerator<Float64Array> {
  for await (const b of reblock(chunks, d, rows, () => new Float64Array(rows * d))) {
    yield b.rows === rows ? b.data : b.data.slice(0, b.rows * d);
  }
}

/**
 * Generates the n rows of sample(model, n, { seed }) as consecutive chunks of
 * options.chunkRows rows (chunk.length = rows * d), in order, with memory bounded by a few
 * chunks (workers + 2 at most) whatever n: for writing huge samples to disk. Each chunk is a
 * fresh array the caller owns. With options.workers, tasks of whole streams run on workers;
 * the bits are the same for any number. Arguments are checked now (a bad one throws here);
 * workers start at the first next() and are terminated when the iteration ends, is broken
 * off (return()) or fails.
 */
export function sampleChunks(model: ModelInput, n: number, options?: SampleChunksOptions): AsyncIterable<Float64Array> {
  const args = checkSampleArgs(model, n, options, true); // any n up to 2^53 - 1: no one array holds it all
  const p = checkParallelOptions(options);
  const o = checkOptions('options', options);
  const d = args.m.d;
  const rows = o.chunkRows === undefined ? defaultChunkRows(d) : checkInteger('options.chunkRows', o.chunkRows, 1);
  const taskRows = SAMPLE_STREAM_ROWS * Math.ceil(rows / SAMPLE_STREAM_ROWS);
  return taskRows === rows ? tasks(args, p, taskRows) : recut(tasks(args, p, taskRows), rows, d);
}

/**
 * sample() on this thread or on options.workers workers: the same bits for the same seed,
 * for any n and any number of workers. onProgress reports the rows done.
 */
export async function sampleAsync(model: ModelInput, n: number, options?: SampleOptions & ParallelOptions): Promise<Samples> {
  const args = checkSampleArgs(model, n, options);
  const p = checkParallelOptions(options);
  const d = args.m.d;
  const data = new Float64Array(args.count * d);
  let at = 0;
  for await (const chunk of tasks(args, p, defaultChunkRows(d))) {
    data.set(chunk, at);
    at += chunk.length;
  }
  return { data, n: args.count, d };
}
