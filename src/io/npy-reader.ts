/// <reference types="node" />
// .npy files: a streaming source for fits of any size, and an in-memory reader for small
// files (models, tests) through npyjs.
//
// Why the streaming reader parses the header itself instead of calling npyjs: npyjs.parse
// takes the whole file as one ArrayBuffer (memory grows with n, and an ArrayBuffer cannot
// hold a 6 GB file at all), and it reads the header with loose regular expressions, without
// checking the data length against the shape: a truncated file comes back as a shorter
// array. Here the header is read from the first bytes, validated against the file size
// (npy-header.ts), and the data are streamed by binary-rows.ts. npyjs stays the reader for
// small files and an independent cross-check of this parser in the tests.
import { open, readFile } from 'node:fs/promises';
import { parse as npyParse } from 'npyjs';
import type { Samples } from '../types.js';
import { binarySource, fileSize } from './binary-rows.js';
import { MAX_HEADER_BYTES, NPY_PREAMBLE, npyPreamble, parseNpyHeader, type NpyHeader } from './npy-header.js';
import type { FileSource } from './types.js';

/** Reads and validates the header of the .npy file at path. */
export async function readNpyHeader(path: string): Promise<NpyHeader> {
  const bytes = await fileSize(path);
  const handle = await open(path, 'r');
  try {
    const head = new Uint8Array(Math.min(NPY_PREAMBLE, bytes));
    await handle.read(head, 0, head.length, 0);
    const { version, headerStart, headerLength } = npyPreamble(path, head);
    if (headerLength > MAX_HEADER_BYTES) throw new Error(`${path}: the .npy header claims ${headerLength} bytes; refusing more than ${MAX_HEADER_BYTES}`);
    if (headerStart + headerLength > bytes) throw new Error(`${path}: truncated inside the .npy header`);
    const raw = new Uint8Array(headerLength);
    await handle.read(raw, 0, headerLength, headerStart);
    const text = new TextDecoder(version[0] === 3 ? 'utf-8' : 'latin1').decode(raw);
    return parseNpyHeader(path, version, headerStart, headerLength, text, bytes);
  } finally {
    await handle.close();
  }
}

/** A streaming source over a .npy file (float32 is widened to float64). */
export async function npySource(path: string): Promise<FileSource> {
  const h = await readNpyHeader(path);
  return binarySource({ path, offset: h.dataOffset, n: h.n, d: h.d, itemSize: h.itemSize, bytes: h.dataOffset + h.n * h.d * h.itemSize });
}

/**
 * A small .npy file in memory, through npyjs (the header is validated by readNpyHeader
 * first, which npyjs does not do). float32 is widened to float64.
 */
export async function readNpy(path: string): Promise<Samples> {
  const h = await readNpyHeader(path);
  const file = await readFile(path);
  const arr = npyParse(file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength));
  if (!(arr.data instanceof Float64Array || arr.data instanceof Float32Array)) {
    throw new Error(`${path}: npyjs read dtype '${arr.dtype}', expected f8 or f4`);
  }
  const data = arr.data instanceof Float64Array ? arr.data : Float64Array.from(arr.data);
  if (data.length !== h.n * h.d) throw new Error(`${path}: npyjs read ${data.length} values, the header says ${h.n} x ${h.d}`);
  return { data, n: h.n, d: h.d };
}
