// What the file readers and writers hand out. A FileSource is a RowSource (src/stream/source.ts)
// that also says how far its current pass has read, for a progress line in bytes.
import type { RowSource } from '../stream/source.js';

/**
 * A RowSource backed by a file: `name` is the path as given (every error message starts
 * with it), `n` is known up front for .npy and .f64 (not CSV), and rows() reuses one buffer
 * (a chunk is valid until the next is requested).
 */
export interface FileSource extends RowSource {
  /** The file's size in bytes. */
  readonly bytes: number;
  /** Bytes of the file consumed by the pass under way (0 before the first). */
  readonly bytesRead: number;
}

/** Writes rows to a file chunk by chunk; nothing appears at the path until commit. */
export interface RowWriter {
  /** Appends whole rows (chunk.length a multiple of d). */
  write(chunk: Float64Array): Promise<void>;
  /** Flushes, fsyncs and renames the temporary file onto the path. */
  commit(): Promise<void>;
  /** Removes the temporary file (safe to call after a failure, and more than once). */
  abort(): Promise<void>;
}

export const FORMATS = ['npy', 'f64', 'csv'] as const;
export type FileFormat = (typeof FORMATS)[number];
