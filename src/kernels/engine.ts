// The contract between the public kernel API (api.ts: validation, documentation) and the
// two implementations of it: wasm-engine.ts (pointers into WebAssembly memory) and
// js-engine.ts (the TypeScript kernels of src/backend/js/). Every argument arrives validated.
import type { CoordStats, PackedModel } from '../backend/contract.js';
import type { BackendName } from '../types.js';
import type { F64Buffer } from './types.js';

/**
 * An array argument made safe to use after memory grows: a Wasm engine turns a view of its
 * own memory into its address (read before anything can grow memory), anything else stays
 * an array that is copied through scratch.
 */
export type Pinned = { kind: 'memory'; ptr: number; length: number } | { kind: 'array'; array: Float64Array | BigUint64Array; length: number };

/** xoroshiro128+ state as four u32: [s0 lo, s0 hi, s1 lo, s1 hi] (the Wasm state's 16 bytes). */
export type StateWords = Uint32Array;

export interface Engine {
  readonly name: BackendName;
  alloc(length: number): F64Buffer;
  /** Copies values to a pinned address (Wasm only; the TypeScript engine has no memory). */
  writeAt(ptr: number, values: Float64Array): void;
  /** Pins an array argument; throws a TypeError naming `name` for a view made stale by memory growth. */
  pin(name: string, a: Float64Array | BigUint64Array): Pinned;
  /** Positions `state` at the start of stream `stream` of `seed`. */
  seed(state: StateWords, seed: number, stream: number): void;
  jump(state: StateWords): void;
  normals(state: StateWords, out: Pinned): void;
  truncNormals(state: StateWords, out: Pinned, alpha: number): void;
  bits(state: StateWords, out: Pinned): void;
  /** out.length / model.d rows of the sample stream of seed, from row firstRow (a stream start). */
  sample(model: PackedModel, seed: number, firstRow: number, out: Pinned): void;
  /** Full, mirrored d x d counts of all rows of x. */
  pairCounts(x: Pinned, d: number, thresholds: Float64Array): Float64Array;
  /** Per-coordinate sums: block partials (rowsPerBlock(d) rows) added in block order. */
  coordStats(x: Pinned, d: number): CoordStats;
  /** The moment partial (N11 | A1 | A2 | G) of each block of rowsPerBlock(d) rows, in order. */
  momentBlocks(x: Pinned, d: number, onBlock: (partial: Float64Array, rows: number) => void): void;
}
