// Messages between the engine (main thread) and its workers. Every request carries an id
// and gets exactly one reply with that id. Block buffers travel in transfer lists and come
// back with the reply, so they are recycled rather than copied or re-allocated. A block with
// `check` has unchecked values: the worker checks them before its kernel (a bad value is a
// RangeError reply).
import type { BlockKernel, PackedModel, SgdSetup, SgdTotals } from '../backend/contract.js';
import type { BlockPlaces } from '../input/scalars.js';
import type { BackendName } from '../types.js';

export type Request =
  | { type: 'init'; id: number; backend: BackendName }
  | { type: BlockKernel; id: number; block: Float64Array; rows: number; d: number; thresholds?: Float64Array | undefined; check?: BlockPlaces | undefined }
  | { type: 'sgdStart'; id: number; d: number; setup: SgdSetup; lo: number; hi: number }
  | { type: 'sgdPush'; id: number; block: Float64Array; rows: number; check?: BlockPlaces | undefined }
  | { type: 'sgdFinish'; id: number }
  | { type: 'sampleModel'; id: number; model: PackedModel; seed: number }
  | { type: 'sample'; id: number; firstRow: number; rows: number };

export type Reply = OkReply | { id: number; ok: false; name: string; message: string };

export interface OkReply {
  id: number;
  ok: true;
  partial?: Float64Array;
  block?: Float64Array;
  totals?: SgdTotals;
  data?: Float64Array;
}

/** The ArrayBuffers of typed arrays, for a transfer list (a view's whole buffer moves). */
export function buffersOf(...arrays: (ArrayBufferView | undefined)[]): ArrayBuffer[] {
  const out: ArrayBuffer[] = [];
  for (const a of arrays) if (a !== undefined && a.buffer instanceof ArrayBuffer && !out.includes(a.buffer)) out.push(a.buffer);
  return out;
}

/** An Error of the same class (RangeError, TypeError, Error) and message as one a worker reported. */
export function reviveError(name: string, message: string): Error {
  const E = name === 'RangeError' ? RangeError : name === 'TypeError' ? TypeError : Error;
  const err = new E(message);
  if (E === Error && name !== 'Error') err.name = name;
  return err;
}
