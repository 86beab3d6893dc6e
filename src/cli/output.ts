/// <reference types="node" />
// Where results go: JSON on stdout, or to a file written atomically (temporary file, fsync,
// rename). Output files are opened before the work starts, so an unwritable --out fails in
// a second rather than after an hour of fitting.
import { AtomicFile } from '../io/atomic-file.js';
import { jsonPieces } from './json-pieces.js';

/** JSON text of a result: two-space indented, one trailing newline. */
export function jsonText(value: unknown): string {
  return JSON.stringify(value, null, 2) + '\n';
}

/** Writes a result's JSON text (jsonText) piece by piece, each piece waited for: a result may not fit in one string. */
async function writeJson(value: unknown, sink: (piece: string) => Promise<void>): Promise<void> {
  for (const piece of jsonPieces(value)) await sink(piece);
  await sink('\n');
}

/** Writes text to stdout and waits until it is flushed (a pipe may take it slowly). */
export function writeStdout(text: string): Promise<void> {
  return new Promise((resolve, reject) => process.stdout.write(text, (err) => (err ? reject(err) : resolve())));
}

/** A result's destination: an --out file opened now, or stdout. */
export interface JsonOutput {
  /** Writes the JSON (and commits the file). */
  write(value: unknown): Promise<void>;
  /** Removes an unfinished --out file (after a failure). */
  abort(): Promise<void>;
}

export async function jsonOutput(out: string | undefined): Promise<JsonOutput> {
  if (out === undefined) return { write: (v) => writeJson(v, writeStdout), abort: async () => undefined };
  const file = await AtomicFile.create(out);
  return {
    async write(v) {
      await writeJson(v, (piece) => file.write(Buffer.from(piece, 'utf8')));
      await file.commit();
    },
    abort: () => file.abort(),
  };
}
