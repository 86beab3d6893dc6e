/// <reference types="node" />
// Row writers for .f64, .npy and .csv, each over an AtomicFile (nothing appears at the
// path until commit). Chunks are written as they come, so memory stays at one chunk.
//
// .f64: raw little-endian float64. .npy: version 1.0 header (2.0 if huge) for a C-order
// (n, d) float64 array; n is declared up front, so commit refuses a row count that differs.
// .csv: no header row, one line per row, each value in JavaScript's shortest round-trip
// form (String(x)), so reading the file back gives the same doubles.
import { AtomicFile } from './atomic-file.js';
import { LITTLE_ENDIAN, swapBytes } from './endian.js';
import { npyHeaderBytes } from './npy-header.js';
import type { FileFormat, RowWriter } from './types.js';

function checkChunk(path: string, chunk: Float64Array, d: number): number {
  if (chunk.length % d !== 0) throw new Error(`${path}: a chunk of ${chunk.length} values is not whole rows of d = ${d}`);
  return chunk.length / d;
}

/** The bytes of a float64 chunk in little-endian order (a view where the machine is LE). */
function leBytes(chunk: Float64Array): Uint8Array {
  const view = new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  if (LITTLE_ENDIAN) return view;
  const copy = view.slice();
  swapBytes(copy, 8);
  return copy;
}

function binaryWriter(file: AtomicFile, d: number, expectRows: number | undefined): RowWriter {
  let rows = 0;
  return {
    async write(chunk) {
      rows += checkChunk(file.path, chunk, d);
      if (expectRows !== undefined && rows > expectRows) throw new Error(`${file.path}: more than the ${expectRows} rows declared in the header`);
      await file.write(leBytes(chunk));
    },
    async commit() {
      if (expectRows !== undefined && rows !== expectRows) {
        await file.abort();
        throw new Error(`${file.path}: ${rows} rows written, the header declares ${expectRows}; nothing written`);
      }
      await file.commit();
    },
    abort: () => file.abort(),
  };
}

function csvWriter(file: AtomicFile, d: number): RowWriter {
  return {
    async write(chunk) {
      const rows = checkChunk(file.path, chunk, d);
      const lines = new Array<string>(rows);
      const row = new Array<string>(d);
      for (let r = 0; r < rows; r++) {
        for (let c = 0; c < d; c++) row[c] = String(chunk[r * d + c]);
        lines[r] = row.join(',');
      }
      await file.write(Buffer.from(lines.join('\n') + (rows > 0 ? '\n' : ''), 'utf8'));
    },
    commit: () => file.commit(),
    abort: () => file.abort(),
  };
}

/**
 * A writer of n rows of d values in `format` to path (via a temporary file beside it).
 * Fails before writing anything when the directory cannot take the file.
 */
export async function openWriter(path: string, format: FileFormat, n: number, d: number): Promise<RowWriter> {
  const file = await AtomicFile.create(path);
  try {
    if (format === 'f64') return binaryWriter(file, d, undefined);
    if (format === 'csv') return csvWriter(file, d);
    await file.write(npyHeaderBytes(n, d));
    return binaryWriter(file, d, n);
  } catch (err) {
    await file.abort();
    throw err;
  }
}
