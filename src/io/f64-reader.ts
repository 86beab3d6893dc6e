// Raw little-endian float64 files (.f64): n x d values, row-major, no header. The file says
// nothing about d, so the caller gives it, and the size must be a whole number of rows.
import { binarySource, fileSize } from './binary-rows.js';
import type { FileSource } from './types.js';

/** A streaming source over a .f64 file of d columns. */
export async function f64Source(path: string, d: number): Promise<FileSource> {
  const bytes = await fileSize(path);
  const rowBytes = 8 * d;
  if (bytes % rowBytes !== 0) {
    const why =
      bytes % 8 === 0
        ? `${bytes / 8} values are not a whole number of rows of d = ${d}; is --d right?`
        : 'not a whole number of float64 values: the file is truncated or not raw float64';
    throw new Error(`${path}: ${bytes} bytes is not a multiple of 8 x d = ${rowBytes} bytes: ${why}`);
  }
  return binarySource({ path, offset: 0, n: bytes / rowBytes, d, itemSize: 8, bytes });
}
