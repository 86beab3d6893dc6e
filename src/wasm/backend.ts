// The WebAssembly side of the kernel contract: for each call, one copy in, one kernel
// call, one copy out, through scratch buffers that are reused and only ever grow.
// Typed-array views are taken after every allocation, since alloc() may grow memory.
import {
  SAMPLE_STREAM_ROWS,
  type Backend, type CoordStats, type PackedModel, type SgdRun, type SgdSetup, type SgdTotals,
} from '../backend.js';
import { kernelExports, type KernelExports } from './instance.js';

const SGD_FIELDS = 11; // assembly/sgd.ts state layout
const MOMENT_SCRATCH_DOUBLES_PER_D = 8; // assembly/moments.ts: d x IB doubles of scratch
const OUT_SCRATCH_DOUBLES = 1 << 20;
/**
 * Doubles per piece copied in before a kernel call (512 KiB): a block (about 8 MiB) goes
 * in pieces that stay in the core's L2 cache while the kernel reads them, instead of being
 * fetched from memory a second time. Pieces are whole multiples of 64 rows, and every
 * kernel adds into its outputs in row order (momentStats' groups of rows start every 64),
 * so the results are those of one call on the whole block, bit for bit.
 */
const PIECE_DOUBLES = 1 << 16;

/** Rows per piece for d columns: a multiple of 64, at least 64. */
export function pieceRows(d: number): number {
  return Math.max(64, Math.floor(PIECE_DOUBLES / d / 64) * 64);
}

/** Named scratch buffers in Wasm memory that are reused and only ever grow. */
export class Scratch {
  private readonly ptrs = new Map<string, { ptr: number; bytes: number }>();
  constructor(private readonly ex: KernelExports) {}

  /** A buffer of at least `bytes` bytes for `slot`; its old content is not kept. */
  get(slot: string, bytes: number): number {
    const cur = this.ptrs.get(slot);
    if (cur !== undefined && cur.bytes >= bytes) return cur.ptr;
    const size = Math.max(bytes, 64);
    const ptr = this.ex.alloc(size); // before the free: a failed alloc leaves the slot valid
    if (cur !== undefined) this.ex.free(cur.ptr);
    this.ptrs.set(slot, { ptr, bytes: size });
    return ptr;
  }
}

export function createWasmBackend(ex: KernelExports): Backend {
  const scratch = new Scratch(ex);
  const f64 = (ptr: number, len: number) => new Float64Array(ex.memory.buffer, ptr, len);
  const u64 = (ptr: number, len: number) => new BigUint64Array(ex.memory.buffer, ptr, len);

  /** Seeds the 16-byte state at ptr and jumps it to stream `stream` (see STREAM in backend.ts). */
  function streamState(ptr: number, seed: number, stream: number): void {
    ex.seedState(ptr, seed);
    for (let c = 0; c <= stream; c++) ex.jumpState(ptr);
  }

  /** Copies rows of block into Wasm memory a piece at a time and calls kernel(ptr, rows) on each. */
  function inPieces(block: Float64Array, rows: number, d: number, kernel: (ptr: number, rows: number) => void): void {
    const piece = Math.min(rows, pieceRows(d));
    const xp = scratch.get('x', Math.max(1, piece * d) * 8);
    for (let r = 0; r < rows; r += piece) {
      const m = Math.min(piece, rows - r);
      f64(xp, m * d).set(block.subarray(r * d, (r + m) * d));
      kernel(xp, m);
    }
  }

  /**
   * streamState for sampling, from the nearest stream start seen before: consecutive tasks of
   * a long sample (each on whole streams, in row order, per worker) would otherwise jump from
   * stream 0 every time, O(streams^2) jumps in all (0.4 us each: a minute at 1e8 rows).
   */
  let known: { seed: number; stream: number } | undefined;
  function sampleStreamState(ptr: number, seed: number, stream: number): void {
    const keep = scratch.get('known-stream', 16);
    if (known !== undefined && known.seed === seed && known.stream <= stream) {
      u64(ptr, 2).set(u64(keep, 2));
      for (let c = known.stream; c < stream; c++) ex.jumpState(ptr);
    } else {
      streamState(ptr, seed, stream);
    }
    rememberStream(ptr, seed, stream);
  }
  function rememberStream(ptr: number, seed: number, stream: number): void {
    const keep = scratch.get('known-stream', 16);
    u64(keep, 2).set(u64(ptr, 2));
    known = { seed, stream };
  }

  function draws(
    seed: number, stream: number, count: number,
    fill: (state: number, out: number, count: number) => void,
  ): number {
    const state = scratch.get('state', 16);
    const out = scratch.get('draws', count * 8);
    streamState(state, seed, stream);
    fill(state, out, count);
    return out;
  }

  return {
    name: 'wasm',

    coordStats(block, rows, d): CoordStats {
      const op = scratch.get('stats', 3 * d * 8);
      f64(op, 3 * d).fill(0);
      inPieces(block, rows, d, (xp, m) => ex.coordStats(xp, m, d, op));
      const out = f64(op, 3 * d).slice();
      return { count: out.subarray(0, d), sum: out.subarray(d, 2 * d), sumSq: out.subarray(2 * d) };
    },

    pairCounts(block, rows, d, thresholds) {
      const words = Math.ceil(Math.min(rows, pieceRows(d)) / 64);
      const tp = scratch.get('thresholds', d * 8);
      const bp = scratch.get('bits', Math.max(1, d * words) * 8);
      const cp = scratch.get('counts', d * d * 8);
      f64(tp, d).set(thresholds);
      f64(cp, d * d).fill(0);
      inPieces(block, rows, d, (xp, m) => ex.pairCounts(xp, m, d, tp, bp, cp));
      return f64(cp, d * d).slice();
    },

    momentStats(block, rows, d) {
      const words = Math.ceil(Math.min(rows, pieceRows(d)) / 64);
      const op = scratch.get('moments', 4 * d * d * 8);
      const zp = scratch.get('zeros', d * 8);
      const bp = scratch.get('bits', Math.max(1, d * words) * 8);
      const lp = scratch.get('lists', MOMENT_SCRATCH_DOUBLES_PER_D * d * 8);
      f64(op, 4 * d * d).fill(0);
      f64(zp, d).fill(0);
      inPieces(block, rows, d, (xp, m) => ex.momentStats(xp, m, d, op, zp, bp, lp));
      return f64(op, 4 * d * d).slice();
    },

    sgd(d, setup: SgdSetup, lo = 0, hi = d): SgdRun {
      // The run owns its state (it lives across pushes); blocks go through shared scratch.
      let sp = ex.alloc(SGD_FIELDS * d * 8 + 16 * d);
      const state = f64(sp, SGD_FIELDS * d);
      state.fill(0);
      state.set(setup.mu0, 0);
      state.set(setup.s0, d);
      state.set(setup.thres, 2 * d);
      state.fill(1, 3 * d, 4 * d); // v1 = 1; v2 and the rest start at 0
      const rng = sp + SGD_FIELDS * d * 8;
      // stream i = stream i - 1 jumped once: O(d) jumps, not O(d^2) (0.4 us each; 3 s at d = 4096)
      if (lo < hi) streamState(rng + 16 * lo, setup.seed, lo);
      for (let i = lo + 1; i < hi; i++) {
        u64(rng + 16 * i, 2).set(u64(rng + 16 * (i - 1), 2));
        ex.jumpState(rng + 16 * i);
      }
      return {
        push(block, rows) {
          if (sp === 0) throw new Error('SgdRun used after finish()');
          inPieces(block, rows, d, (xp, m) => ex.sgdChunk(xp, m, d, sp, setup.batch, setup.lambda, setup.radius, lo, hi));
        },
        finish(): SgdTotals {
          if (sp === 0) throw new Error('SgdRun used after finish()');
          const s = f64(sp, SGD_FIELDS * d);
          const totals = {
            sumV1: s.slice(5 * d + lo, 5 * d + hi),
            sumV2: s.slice(6 * d + lo, 6 * d + hi),
            batches: s.slice(7 * d + lo, 7 * d + hi),
          };
          ex.free(sp);
          sp = 0;
          return totals;
        },
      };
    },

    sample(model: PackedModel, seed, firstRow, rows, out) {
      const { d, k } = model;
      if (firstRow % SAMPLE_STREAM_ROWS !== 0) throw new RangeError('firstRow must start a stream');
      const piece = Math.max(1, Math.min(SAMPLE_STREAM_ROWS, Math.floor(OUT_SCRATCH_DOUBLES / d)));
      const base = scratch.get('state', 16);
      const cur = scratch.get('state2', 16);
      const wp = scratch.get('wt', k * d * 8);
      const bp = scratch.get('b', d * 8);
      const zp = scratch.get('z', 2 * k * 8);
      const op = scratch.get('out', piece * d * 8);
      f64(wp, k * d).set(model.wt);
      f64(bp, d).set(model.b);
      const first = firstRow / SAMPLE_STREAM_ROWS;
      sampleStreamState(base, seed, first);
      for (let r = 0; r < rows; ) {
        const streamRows = Math.min(SAMPLE_STREAM_ROWS, rows - r);
        u64(cur, 2).set(u64(base, 2)); // the stream starts at its base state
        for (let done = 0; done < streamRows; ) {
          const m = Math.min(piece, streamRows - done);
          ex.sampleRows(cur, wp, bp, op, m, d, k, zp);
          out.set(f64(op, m * d), (r + done) * d);
          done += m;
        }
        r += streamRows;
        if (r < rows) ex.jumpState(base);
      }
      if (rows > 0) rememberStream(base, seed, first + Math.ceil(rows / SAMPLE_STREAM_ROWS) - 1);
    },

    uniformBits(seed, stream, count) {
      const p = draws(seed, stream, count, ex.fillU64);
      return u64(p, count).slice();
    },

    normals(seed, stream, count) {
      return f64(draws(seed, stream, count, ex.fillNormal), count).slice();
    },

    truncNormals(seed, stream, count, alpha) {
      const p = draws(seed, stream, count, (s, o, c) => ex.fillTruncNormal(s, o, c, alpha));
      return f64(p, count).slice();
    },
  };
}

let defaultBackend: Backend | undefined;

/** The backend over the package's own cached instance. */
export function wasmBackend(): Backend {
  if (defaultBackend === undefined) defaultBackend = createWasmBackend(kernelExports());
  return defaultBackend;
}
