// File formats by name or extension, and the reader of each.
import { csvSource } from './csv-reader.js';
import { f64Source } from './f64-reader.js';
import { npySource } from './npy-reader.js';
import { FORMATS, type FileFormat, type FileSource } from './types.js';

/** The format a path's extension names (.npy, .f64, .csv, case-insensitive), or undefined. */
export function formatOf(path: string): FileFormat | undefined {
  const m = /\.([a-z0-9]+)$/i.exec(path);
  const ext = m?.[1].toLowerCase();
  return FORMATS.find((f) => f === ext);
}

/** Options of openSource. */
export interface OpenOptions {
  /** The file's format. @default from the extension */
  format?: FileFormat | undefined;
  /** Columns per row: required for .f64; for .csv and .npy, checked against the file. */
  d?: number | undefined;
}

/** A streaming source over a data file (the format from options or from the extension). */
export async function openSource(path: string, options: OpenOptions = {}): Promise<FileSource> {
  const format = options.format ?? formatOf(path);
  if (format === undefined) {
    throw new Error(`${path}: cannot tell the format from the extension; name it with --format (${FORMATS.join(', ')})`);
  }
  if (format === 'f64') {
    if (options.d === undefined) throw new Error(`${path}: a raw .f64 file does not record d; give it with --d`);
    return f64Source(path, options.d);
  }
  const src = format === 'npy' ? await npySource(path) : await csvSource(path, options);
  if (options.d !== undefined && src.d !== options.d) throw new Error(`${path}: the file has d = ${src.d} columns, but --d is ${options.d}`);
  return src;
}
