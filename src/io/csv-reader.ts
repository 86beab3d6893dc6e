/// <reference types="node" />
// CSV files: one row per record, d numeric fields, an optional header row, parsed by
// csv-parse's streaming parser. The file is read in fixed chunks with FileHandle.read; rows
// are converted into one reused Float64Array chunk. Every message names the file, the line
// and the column as an editor shows them (1-based).
//
// Header rule: the first record is a header when none of its fields is a number; a first
// record that mixes names and numbers is an error (a typo in row 1 is not silently dropped).
// Fields may be quoted and padded with spaces; empty lines are skipped. nan / inf (as NumPy
// writes them) are read, and then refused with the other invalid values.
import { open } from 'node:fs/promises';
import { Readable, pipeline } from 'node:stream';
import { parse, type Info } from 'csv-parse';
import { rowsPerBlock } from '../backend/blocks.js';
import { MAX_MAGNITUDE } from '../input/scalars.js';
import { fileSize } from './binary-rows.js';
import type { FileSource } from './types.js';

/** Bytes per FileHandle.read. */
const READ_BYTES = 1 << 20;

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const SPECIAL = /^([+-]?)(nan|inf|infinity)$/i;

/** A field as a number, or undefined when it is not one (empty, text, hex, ...). */
export function csvNumber(text: string): number | undefined {
  if (DECIMAL.test(text)) return Number(text);
  const m = SPECIAL.exec(text);
  if (!m) return undefined;
  if (m[2].toLowerCase() === 'nan') return NaN;
  return m[1] === '-' ? -Infinity : Infinity;
}

/** A record parsed with `info`: its fields and the 1-based line where it ends. */
async function* withLines(path: string): AsyncGenerator<{ fields: string[]; line: number }> {
  try {
    for await (const r of parseFile(path, true, () => undefined) as AsyncIterable<{ record: string[]; info: Info }>) {
      yield { fields: r.record, line: r.info.lines };
    }
  } catch (err) {
    throw named(path, err);
  }
}

/**
 * The file's records through csv-parse. csv-parse keeps a view of the unfinished tail of a
 * chunk it was given (not a copy), so each chunk read into the reused buffer is handed over
 * as a copy; memory stays at a few chunks. `info` (line numbers) doubles csv-parse's time,
 * so passes run without it and an error looks its line up in a second parse (lineOf).
 */
function parseFile(path: string, info: boolean, progress: (bytes: number) => void): AsyncIterable<unknown> {
  async function* chunks(): AsyncGenerator<Buffer> {
    const handle = await open(path, 'r');
    try {
      const buf = Buffer.allocUnsafe(READ_BYTES);
      for (let pos = 0; ; ) {
        const { bytesRead } = await handle.read(buf, 0, buf.length, pos);
        if (bytesRead === 0) return;
        pos += bytesRead;
        progress(pos);
        yield Buffer.from(buf.subarray(0, bytesRead));
      }
    } finally {
      await handle.close();
    }
  }
  const parser = parse({ info, relax_column_count: true, skip_empty_lines: true, trim: true, bom: true });
  // Errors of either side surface in the iteration of the parser.
  pipeline(Readable.from(chunks()), parser, () => undefined);
  return parser;
}

/** csv-parse's own errors (an unclosed quote, ...) with the file's name in front. */
function named(path: string, err: unknown): Error {
  const msg = (err as Error).message;
  return msg.startsWith(path) ? (err as Error) : new Error(`${path}: ${msg}`);
}

/** The 1-based line of record `index` (0-based, empty lines not counted). */
async function lineOf(path: string, index: number): Promise<number> {
  let k = 0;
  for await (const { line } of withLines(path)) if (k++ === index) return line;
  return 0;
}

/** How a CSV file starts: its column count and whether line 1 is a header. */
interface CsvShape {
  d: number;
  header: boolean;
}

async function probe(path: string): Promise<CsvShape> {
  for await (const { fields, line } of withLines(path)) {
    const numeric = fields.map((f) => csvNumber(f) !== undefined);
    if (numeric.every(Boolean)) return { d: fields.length, header: false };
    if (!numeric.some(Boolean)) return { d: fields.length, header: true };
    const col = numeric.indexOf(false) + 1;
    throw new Error(`${path}: line ${line}, column ${col}: '${fields[col - 1]}' is not a number (and the line is not a header: it has numbers too)`);
  }
  return { d: 0, header: false };
}

/** Explains why a CSV value cannot be a sample of ReLU(Wz + b), or undefined if it can. */
function invalid(v: number): string | undefined {
  if (Number.isNaN(v)) return 'is NaN; every value must be finite';
  if (!Number.isFinite(v)) return `is ${v}; every value must be finite`;
  if (v < 0) return `is ${v}; samples of ReLU(Wz + b) cannot be negative`;
  if (v > MAX_MAGNITUDE) return `is ${v}; values above ${MAX_MAGNITUDE} would overflow the fit: rescale x`;
  return undefined;
}

/**
 * A streaming source over a CSV file. d is read from the first record; when given, it must
 * match. n is not known before a pass (RowSource.n is left out).
 */
export async function csvSource(path: string, options: { d?: number | undefined } = {}): Promise<FileSource> {
  const bytes = await fileSize(path);
  const shape = await probe(path);
  if (shape.d === 0) throw new Error(`${path}: no rows (the file is empty${shape.header ? ' apart from its header' : ''})`);
  if (options.d !== undefined && options.d !== shape.d) {
    throw new Error(`${path}: line 1 has ${shape.d} columns, but --d is ${options.d}`);
  }
  const { d, header } = shape;
  const chunkRows = rowsPerBlock(d);
  let bytesRead = 0;
  return {
    d,
    name: path,
    bytes,
    get bytesRead() {
      return bytesRead;
    },
    async *rows() {
      bytesRead = 0;
      const out = new Float64Array(chunkRows * d);
      let filled = 0;
      let index = -1;
      const parsed = parseFile(path, false, (b) => (bytesRead = b)) as AsyncIterable<string[]>;
      const it = parsed[Symbol.asyncIterator]();
      try {
        for (;;) {
          let next: IteratorResult<string[]>;
          try {
            next = await it.next();
          } catch (err) {
            throw named(path, err);
          }
          if (next.done) break;
          const fields = next.value;
          index++;
          if (index === 0 && header) continue;
          if (fields.length !== d) {
            throw new Error(`${path}: line ${await lineOf(path, index)} has ${fields.length} columns, expected ${d} (as on line ${await lineOf(path, 0)})`);
          }
          const base = filled * d;
          for (let c = 0; c < d; c++) {
            const v = csvNumber(fields[c]);
            const why = v === undefined ? 'is not a number' : invalid(v);
            if (why) {
              const what = v === undefined ? `'${fields[c]}'` : `value ${fields[c]}`;
              throw new Error(`${path}: line ${await lineOf(path, index)}, column ${c + 1}: ${what} ${why}`);
            }
            out[base + c] = v!;
          }
          if (++filled === chunkRows) {
            yield out;
            filled = 0;
          }
        }
      } finally {
        // Stops the parser and closes the file when the pass ends early (an error, or a consumer that breaks off).
        await it.return?.();
      }
      if (filled > 0) yield out.subarray(0, filled * d);
    },
  };
}
