/// <reference types="node" />
// The streaming core of the binary readers (.npy, .f64): rows of little-endian float64 or
// float32 values from byte `offset` of a file, read in fixed chunks into one reused buffer
// with FileHandle.read, so memory stays at one chunk whatever the file's size. float32
// values are widened into a second reused Float64Array (exact: every float32 is a double).
import { open, stat } from 'node:fs/promises';
import { rowsPerBlock } from '../backend/blocks.js';
import { LITTLE_ENDIAN, swapBytes } from './endian.js';
import type { FileSource } from './types.js';

/** Where the rows are in a file whose size and layout were already validated. */
export interface BinaryLayout {
  path: string;
  /** Byte offset of row 0. */
  offset: number;
  n: number;
  d: number;
  /** 8 for float64, 4 for float32. */
  itemSize: 8 | 4;
  /** The file's size in bytes. */
  bytes: number;
}

/**
 * Rows per chunk: those of one statistics block of the fit (rowsPerBlock(d), about 8 MiB of
 * float64), so the engine's re-blocking copies whole chunks.
 */
export function chunkRowsFor(d: number): number {
  return rowsPerBlock(d);
}

/** The size of `path` in bytes, with a message that names it when it cannot be read. */
export async function fileSize(path: string): Promise<number> {
  try {
    const s = await stat(path);
    if (!s.isFile()) throw new Error('not a regular file');
    return s.size;
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new Error(`${path}: cannot read: ${e.code === 'ENOENT' ? 'no such file' : e.message}`);
  }
}

/** A FileSource over a validated binary layout. */
export function binarySource(layout: BinaryLayout, chunkRows = chunkRowsFor(layout.d)): FileSource {
  const { path, offset, n, d, itemSize, bytes } = layout;
  const rowBytes = d * itemSize;
  let bytesRead = 0;
  return {
    d,
    name: path,
    n,
    bytes,
    get bytesRead() {
      return bytesRead;
    },
    async *rows() {
      bytesRead = offset;
      const handle = await open(path, 'r');
      try {
        // Buffer.allocUnsafeSlow: a buffer of its own, at offset 0 of its ArrayBuffer, so the
        // typed-array views below are aligned.
        const raw = Buffer.allocUnsafeSlow(Math.min(chunkRows, Math.max(n, 1)) * rowBytes);
        const floats =
          itemSize === 8 ? new Float64Array(raw.buffer, raw.byteOffset, raw.length / 8) : new Float32Array(raw.buffer, raw.byteOffset, raw.length / 4);
        const wide = itemSize === 8 ? (floats as Float64Array) : new Float64Array(floats.length);
        for (let row = 0; row < n; ) {
          const rows = Math.min(chunkRows, n - row);
          const want = rows * rowBytes;
          let got = 0;
          while (got < want) {
            const { bytesRead: k } = await handle.read(raw, got, want - got, offset + row * rowBytes + got);
            if (k === 0) {
              const at = row + Math.floor(got / rowBytes);
              throw new Error(`${path}: the file ended at row ${at} of ${n} (it was truncated while being read)`);
            }
            got += k;
          }
          if (!LITTLE_ENDIAN) swapBytes(raw, itemSize, want);
          if (itemSize === 4) for (let i = 0; i < rows * d; i++) wide[i] = floats[i];
          row += rows;
          bytesRead = offset + row * rowBytes;
          yield wide.subarray(0, rows * d);
        }
      } finally {
        await handle.close();
      }
    },
  };
}
