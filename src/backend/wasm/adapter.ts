// The one module that calls the kernels' WebAssembly exports (instance.ts loads them):
// memory (alloc, free, views) and every kernel, through the raw pointer ABI, with buffers
// laid out as the module's own globals say (abi.ts). Two facades stand on it: the copying
// Backend of fit and sample (backend.ts) and the in-place Engine of relu-density/kernels
// (src/kernels/wasm-engine.ts). A call is one copy in, the kernel, one copy out, through
// scratch buffers that are reused and only ever grow; rows that already live in the
// instance's memory are used in place, by address. Views are made after every allocation,
// since alloc() may grow memory, which detaches every view of the old buffer.
import { SAMPLE_STREAM_ROWS, type CoordStats, type PackedModel, type SgdSetup, type SgdTotals } from '../contract.js';
import { eigenFailure, type CholeskyResult, type LanczosOptions, type LanczosResult, type SymmetricEigen } from '../contract.js';
import { bitsetWords, readAbi, sgdRngOffset, sgdStateBytes, type Abi } from './abi.js';
import { kernelExports, type KernelExports } from './instance.js';

/**
 * Where a kernel reads or writes `length` elements: in the instance's memory, by address,
 * or in a JS array, copied through scratch. Row kernels use the first rows x d of them.
 */
export type Place<A extends Float64Array | BigUint64Array = Float64Array> =
  | { readonly kind: 'memory'; readonly ptr: number; readonly length: number }
  | { readonly kind: 'array'; readonly array: A; readonly length: number };

/** Where a view's buffer is: the instance's memory now, its memory before it grew, or elsewhere. */
export type Location = 'memory' | 'stale' | 'other';

/** Step 1 over rows pushed in order (src/backend/contract.ts SgdRun, on places). */
export interface SgdPass {
  push(x: Place, rows: number): void;
  /** The totals; frees the state, after which the pass is unusable. */
  finish(): SgdTotals;
}

export interface WasmAdapter {
  readonly abi: Abi;
  /** u32 words of a generator state ([s0 lo, s0 hi, s1 lo, s1 hi] for xoroshiro128+). */
  readonly stateWords: number;

  /** `bytes` raw bytes of the instance's heap (16-byte aligned); may grow memory. */
  allocate(bytes: number): number;
  release(ptr: number): void;
  /** A view of `length` doubles at ptr, of the memory as it is now. */
  f64(ptr: number, length: number): Float64Array;
  write(ptr: number, values: Float64Array): void;
  locate(view: ArrayBufferView): Location;

  /** Sets `state` to the start of stream `stream` of `seed` (Backend.uniformBits says which). */
  startStream(state: Uint32Array, seed: number, stream: number): void;
  /** Advances `state` to the next stream start (2^64 steps). */
  jump(state: Uint32Array): void;
  drawBits(state: Uint32Array, out: Place<BigUint64Array>): void;
  drawNormals(state: Uint32Array, out: Place): void;
  drawTruncNormals(state: Uint32Array, out: Place, alpha: number): void;

  /** Fresh coordStats of rows x d values (Backend.coordStats). */
  sumCoordinates(x: Place, rows: number, d: number): CoordStats;
  /** Fresh upper-triangle pair counts (Backend.pairCounts). */
  countPairs(x: Place, rows: number, d: number, thresholds: Float64Array): Float64Array;
  /** Fresh rows lo .. hi - 1 of N11 | A1 | A2 | G, 4 x (hi - lo) x d values (Backend.momentStats). */
  sumMoments(x: Place, rows: number, d: number, lo: number, hi: number): Float64Array;
  /** Step 1 for coordinates lo .. hi - 1 (Backend.sgd). */
  startSgd(d: number, setup: SgdSetup, lo: number, hi: number): SgdPass;
  /** Rows firstRow .. firstRow + rows of the sample of seed into out (Backend.sample). */
  generate(model: PackedModel, seed: number, firstRow: number, rows: number, out: Place): void;

  /** Backend.cholesky: a copied in, factorised in place, L copied out. */
  factorCholesky(a: Float64Array, d: number): CholeskyResult;
  /** Backend.symmetricEigen: a copied in, decomposed in place, vectors and values copied out. */
  decomposeSymmetric(a: Float64Array, d: number): SymmetricEigen;
  /** Backend.lanczos: a and the start copied in, the iteration, the result read out. */
  largestEigenvalue(a: Float64Array, d: number, operator: 'matrix' | 'inverse', start: Float64Array, options: LanczosOptions): LanczosResult;
}

/**
 * Doubles per piece copied in before a kernel call, or out after one (512 KiB): a block
 * (about 8 MiB) goes in pieces that stay in the core's L2 cache while the kernel reads
 * them, instead of being fetched from memory a second time. Row pieces are whole tiles of
 * momentStats (MOMENT_TILE_ROWS rows), and every kernel adds into its outputs in row order,
 * so the results are those of one call on the whole block, bit for bit.
 */
const PIECE_DOUBLES = 1 << 16;

/**
 * Doubles per piece for momentStats (8 MiB, a whole block below d = 1448): the kernel reads and
 * writes A1 and A2 (2 d^2 doubles) once a call, so PIECE_DOUBLES pieces (64 rows at d = 1024)
 * would cost it that traffic every 64 rows; its own blocking keeps what it rereads in cache.
 */
const MOMENT_PIECE_DOUBLES = 1 << 20;

/**
 * Doubles of z a sampleRows block may hold (4 MiB): all of its rows' up to k = 16384, fewer
 * rows (down to a tile) beyond, where they would not stay in cache anyway and would only cost
 * memory (k = 2^22 would take 1 GiB).
 */
const SAMPLE_Z_DOUBLES = 1 << 19;

/**
 * Stream starts kept per instance. A stream's start is the one below it jumped once (2^64
 * steps, by Vigna's jump polynomial: 128 steps of work), so it is reached from the nearest
 * start seen before rather than from the seed: a long sample taken in stream-sized calls
 * (tasks, chunks, sampleInto at a growing firstRow) costs a jump a stream, not O(streams^2)
 * jumps in all. Entries of other seeds and of stream 0 (the generators' default) then do
 * not push out a sample's.
 */
const KEPT_STARTS = 4;

interface Start {
  seed: number;
  stream: number;
  readonly words: Uint32Array;
}

/** The adapter of an instance's exports: one per instance, so that its facades share scratch. */
export function wasmAdapter(ex: KernelExports = kernelExports()): WasmAdapter {
  let a = adapters.get(ex);
  if (a === undefined) {
    a = createAdapter(ex);
    adapters.set(ex, a);
  }
  return a;
}

const adapters = new WeakMap<KernelExports, WasmAdapter>();

/**
 * W^T (k x d, row-major) into panels of nr columns, the layout sampleRows reads (Goto & van de
 * Geijn 2008's packed B): column j of W^T at ((j / nr) k + l) nr + j % nr, the columns from d
 * on zero. Read row by row, so that W^T is read sequentially.
 */
function packPanels(model: PackedModel, nr: number, panels: Float64Array): void {
  const { wt, d, k } = model;
  const padded = Math.ceil(d / nr) * nr;
  for (let l = 0; l < k; l++) {
    const row = l * d;
    for (let j = 0; j < d; j += nr) {
      const at = ((j / nr) * k + l) * nr;
      const cols = Math.min(nr, d - j);
      for (let c = 0; c < cols; c++) panels[at + c] = wt[row + j + c];
    }
    if (padded > d) panels.fill(0, ((padded / nr - 1) * k + l) * nr + (d % nr), ((padded / nr - 1) * k + l + 1) * nr);
  }
}

function createAdapter(ex: KernelExports): WasmAdapter {
  const abi = readAbi(ex);
  const stateBytes = abi.rngStateBytes;
  const stateWords = stateBytes / 4;

  /** Every memory.buffer a view was made of: a view of one that is no longer current is stale. */
  const seen = new WeakSet<ArrayBufferLike>();
  const buffer = (): ArrayBuffer => {
    const b = ex.memory.buffer;
    seen.add(b);
    return b;
  };
  const f64 = (ptr: number, length: number) => new Float64Array(buffer(), ptr, length);
  const u64 = (ptr: number, length: number) => new BigUint64Array(buffer(), ptr, length);

  /** Named scratch buffers that are reused and only ever grow; a slot's old content is not kept. */
  const slots = new Map<string, { ptr: number; bytes: number }>();
  function scratch(slot: string, bytes: number): number {
    const cur = slots.get(slot);
    if (cur !== undefined && cur.bytes >= bytes) return cur.ptr;
    const size = Math.max(bytes, 64);
    const ptr = ex.alloc(size); // before the free: a failed alloc leaves the slot valid
    if (cur !== undefined) ex.free(cur.ptr);
    slots.set(slot, { ptr, bytes: size });
    return ptr;
  }

  // Generator states in memory as u32 words, little-endian as Wasm memory is.
  function putState(ptr: number, words: Uint32Array): void {
    const v = new DataView(buffer(), ptr, stateBytes);
    for (let i = 0; i < stateWords; i++) v.setUint32(4 * i, words[i], true);
  }
  function getState(ptr: number, words: Uint32Array): void {
    const v = new DataView(buffer(), ptr, stateBytes);
    for (let i = 0; i < stateWords; i++) words[i] = v.getUint32(4 * i, true);
  }
  const copyState = (to: number, from: number) => new Uint8Array(buffer()).copyWithin(to, from, from + stateBytes);

  const starts: Start[] = []; // least recently used first

  /** The index of the start of `seed` nearest below or at `stream`, or -1. */
  function nearestStart(seed: number, stream: number): number {
    let best = -1;
    for (let i = 0; i < starts.length; i++) {
      const s = starts[i];
      if (s.seed === seed && s.stream <= stream && (best < 0 || s.stream > starts[best].stream)) best = i;
    }
    return best;
  }

  /**
   * Keeps the state at ptr as the start of `stream`, in place of the seed's nearest start
   * below it (the one it was reached from), else of the least recently used.
   */
  function keepStart(ptr: number, seed: number, stream: number): void {
    const i = nearestStart(seed, stream);
    let s: Start;
    if (i >= 0) s = starts.splice(i, 1)[0];
    else if (starts.length >= KEPT_STARTS) s = starts.shift()!;
    else s = { seed, stream, words: new Uint32Array(stateWords) };
    s.seed = seed;
    s.stream = stream;
    getState(ptr, s.words);
    starts.push(s);
  }

  /** The state at ptr set to the start of `stream`: the seed's generator jumped stream + 1 times. */
  function seekStream(ptr: number, seed: number, stream: number): void {
    const i = nearestStart(seed, stream);
    let at = -1;
    if (i >= 0) {
      putState(ptr, starts[i].words);
      at = starts[i].stream;
    } else {
      ex.seedState(ptr, seed);
    }
    for (; at < stream; at++) ex.jumpState(ptr);
    keepStart(ptr, seed, stream);
  }

  /** Runs fill(statePtr, outPtr, count) over out, continuing `state`: in place, or in pieces through scratch. */
  function draw<A extends Float64Array | BigUint64Array>(state: Uint32Array, out: Place<A>, fill: (s: number, o: number, count: number) => void): void {
    const s = scratch('state', stateBytes);
    putState(s, state);
    if (out.kind === 'memory') {
      fill(s, out.ptr, out.length);
    } else {
      const piece = Math.min(out.length, PIECE_DOUBLES);
      const q = scratch('draws', Math.max(1, piece) * 8);
      for (let off = 0; off < out.length; off += piece) {
        const m = Math.min(piece, out.length - off);
        fill(s, q, m);
        if (out.array instanceof BigUint64Array) out.array.set(u64(q, m), off);
        else out.array.set(f64(q, m), off);
      }
    }
    getState(s, state);
  }

  /** Rows per piece for d columns: whole tiles, at least one. */
  function pieceRows(d: number, doubles = PIECE_DOUBLES): number {
    const tile = abi.moment.tileRows;
    return Math.max(tile, Math.floor(doubles / d / tile) * tile);
  }

  /** Most rows one kernel call gets (scratch that grows with rows is sized by it). */
  const callRows = (x: Place, rows: number, d: number, piece = pieceRows(d)) => (x.kind === 'memory' ? rows : Math.min(rows, piece));

  /** Calls kernel(ptr, m) on rows [0, rows) of x in order: in place, or copied in pieces of `piece` rows (default L2-sized). */
  function eachPiece(x: Place, rows: number, d: number, kernel: (ptr: number, m: number) => void, piece = pieceRows(d)): void {
    if (rows === 0) return;
    if (x.kind === 'memory') {
      kernel(x.ptr, rows);
      return;
    }
    piece = callRows(x, rows, d, piece);
    const xp = scratch('x', piece * d * 8);
    for (let r = 0; r < rows; r += piece) {
      const m = Math.min(piece, rows - r);
      f64(xp, m * d).set(x.array.subarray(r * d, (r + m) * d));
      kernel(xp, m);
    }
  }

  const bitsScratch = (x: Place, rows: number, d: number, piece = pieceRows(d)) =>
    scratch('bits', Math.max(1, bitsetWords(abi, callRows(x, rows, d, piece), d)) * 8);

  return {
    abi,
    stateWords,

    allocate: (bytes) => ex.alloc(bytes),
    release: (ptr) => ex.free(ptr),
    f64,
    write(ptr, values) {
      f64(ptr, values.length).set(values);
    },
    locate(view) {
      if (view.buffer === ex.memory.buffer) return 'memory';
      return seen.has(view.buffer) ? 'stale' : 'other';
    },

    startStream(state, seed, stream) {
      const p = scratch('state', stateBytes);
      seekStream(p, seed, stream);
      getState(p, state);
    },
    jump(state) {
      const p = scratch('state', stateBytes);
      putState(p, state);
      ex.jumpState(p);
      getState(p, state);
    },
    drawBits(state, out) {
      draw(state, out, (s, o, c) => ex.fillU64(s, o, c));
    },
    drawNormals(state, out) {
      draw(state, out, (s, o, c) => ex.fillNormal(s, o, c));
    },
    drawTruncNormals(state, out, alpha) {
      draw(state, out, (s, o, c) => ex.fillTruncNormal(s, o, c, alpha));
    },

    sumCoordinates(x, rows, d) {
      const { fields, at } = abi.coord;
      const op = scratch('coord', fields * d * 8);
      f64(op, fields * d).fill(0);
      eachPiece(x, rows, d, (xp, m) => ex.coordStats(xp, m, d, op));
      const out = f64(op, fields * d).slice();
      const field = (f: number) => out.subarray(f * d, (f + 1) * d);
      return { count: field(at.count), sum: field(at.sum), sumSq: field(at.sumSq) };
    },

    countPairs(x, rows, d, thresholds) {
      const tp = scratch('thresholds', d * 8);
      const bp = bitsScratch(x, rows, d);
      const cp = scratch('counts', d * d * 8);
      f64(tp, d).set(thresholds);
      f64(cp, d * d).fill(0);
      eachPiece(x, rows, d, (xp, m) => ex.pairCounts(xp, m, d, tp, bp, cp));
      return f64(cp, d * d).slice();
    },

    sumMoments(x, rows, d, lo, hi) {
      // the kernel writes rows lo .. hi - 1 of its output, sized by hi - lo: a band off [0, d] would write past it
      if (!(Number.isInteger(lo) && Number.isInteger(hi) && 0 <= lo && lo <= hi && hi <= d)) {
        throw new RangeError(`momentStats: the band [lo, hi) = [${lo}, ${hi}) must hold integers with 0 <= lo <= hi <= d = ${d}`);
      }
      const size = abi.moment.matrices * (hi - lo) * d;
      if (size === 0) return new Float64Array(0);
      const piece = pieceRows(d, MOMENT_PIECE_DOUBLES);
      const op = scratch('moments', size * 8);
      const bp = bitsScratch(x, rows, d, piece);
      const kp = scratch('keep', (abi.moment.keepPerD * d + abi.moment.keepFixed) * 8);
      f64(op, size).fill(0);
      eachPiece(x, rows, d, (xp, m) => ex.momentStats(xp, m, d, op, bp, kp, lo, hi), piece);
      return f64(op, size).slice();
    },

    startSgd(d, setup, lo, hi) {
      const { fields, at } = abi.sgd;
      // The pass owns its state (it lives across pushes); rows go through shared scratch.
      let sp = ex.alloc(sgdStateBytes(abi, d));
      const state = f64(sp, fields * d);
      state.fill(0);
      state.set(setup.mu0, at.mu0 * d);
      state.set(setup.s0, at.s0 * d);
      state.set(setup.thres, at.thres * d);
      state.fill(1, at.v1 * d, (at.v1 + 1) * d); // v = (1, 0)
      // coordinate i's stream is i's start: i - 1's jumped once, O(d) jumps for d streams
      if (lo < hi) seekStream(sp + sgdRngOffset(abi, d, lo), setup.seed, lo);
      for (let i = lo + 1; i < hi; i++) {
        const p = sp + sgdRngOffset(abi, d, i);
        copyState(p, p - stateBytes);
        ex.jumpState(p);
      }
      const live = (): number => {
        if (sp === 0) throw new Error('SgdRun used after finish()');
        return sp;
      };
      return {
        push(x, rows) {
          const p = live();
          eachPiece(x, rows, d, (xp, m) => ex.sgdChunk(xp, m, d, p, setup.batch, setup.lambda, setup.radius, lo, hi));
        },
        finish() {
          const s = f64(live(), fields * d);
          const field = (f: number) => s.slice(f * d + lo, f * d + hi);
          const totals = { sumV1: field(at.sumV1), sumV2: field(at.sumV2), batches: field(at.batches) };
          ex.free(sp);
          sp = 0;
          return totals;
        },
      };
    },

    generate(model, seed, firstRow, rows, out) {
      const { d, k } = model;
      if (firstRow % SAMPLE_STREAM_ROWS !== 0) throw new RangeError('firstRow must start a stream');
      const { panelCols: nr, tileRows, blockRows, zSpareRows } = abi.sample;
      // Blocks of the most rows whose z fit in SAMPLE_Z_DOUBLES (k <= 16384: all of blockRows),
      // and pieces of whole blocks: the kernel reads all of W^T once a block, so a piece of
      // fewer rows than a block (d > 2048) would read it once per piece.
      const block = tileRows * Math.max(1, Math.min(blockRows / tileRows, Math.floor(SAMPLE_Z_DOUBLES / k / tileRows)));
      const piece = out.kind === 'memory' ? SAMPLE_STREAM_ROWS : block * Math.max(1, Math.floor(PIECE_DOUBLES / d / block));
      const base = scratch('stream', stateBytes);
      const cur = scratch('row-state', stateBytes);
      const panelDoubles = Math.ceil(d / nr) * nr * k;
      const wp = scratch('panels', panelDoubles * 8);
      const sp = scratch('support', d * 8);
      const bp = scratch('b', d * 8);
      const zp = scratch('z', (block + zSpareRows) * k * 8);
      const op = out.kind === 'memory' ? 0 : scratch('out', piece * d * 8);
      packPanels(model, nr, f64(wp, panelDoubles));
      const support = new Int32Array(buffer(), sp, 2 * d);
      if (model.support !== undefined) {
        support.set(model.support.subarray(0, 2 * d));
      } else {
        for (let j = 0; j < d; j++) {
          support[2 * j] = 0; // no support given: every term
          support[2 * j + 1] = k;
        }
      }
      f64(bp, d).set(model.b);
      const first = firstRow / SAMPLE_STREAM_ROWS;
      seekStream(base, seed, first);
      for (let r = 0; r < rows; ) {
        const streamRows = Math.min(SAMPLE_STREAM_ROWS, rows - r);
        copyState(cur, base); // each stream starts at its base state
        for (let done = 0; done < streamRows; ) {
          const m = Math.min(piece, streamRows - done);
          const at = (r + done) * d;
          if (out.kind === 'memory') {
            ex.sampleRows(cur, wp, sp, bp, out.ptr + at * 8, m, d, k, zp, block);
          } else {
            ex.sampleRows(cur, wp, sp, bp, op, m, d, k, zp, block);
            out.array.set(f64(op, m * d), at);
          }
          done += m;
        }
        r += streamRows;
        if (r < rows) ex.jumpState(base);
      }
      if (rows > 0) keepStart(base, seed, first + Math.ceil(rows / SAMPLE_STREAM_ROWS) - 1);
    },

    // Dense linear algebra: the matrix goes through one d x d scratch slot shared by both kernels.
    factorCholesky(a, d) {
      const size = d * d;
      const ap = scratch('linalg', size * 8);
      const pp = scratch('cholesky-pack', abi.linalg.choleskyPanelRows * (d + 4) * 8);
      f64(ap, size).set(a.subarray(0, size));
      const pivot = ex.cholesky(ap, d, pp);
      return pivot < 0 ? { ok: true, L: f64(ap, size).slice() } : { ok: false, pivot };
    },

    decomposeSymmetric(a, d) {
      const size = d * d;
      const ap = scratch('linalg', size * 8);
      const vp = scratch('eigen-values', d * 8);
      const sp = scratch('eigen-scratch', abi.linalg.eigenScratchPerD * d * 8);
      f64(ap, size).set(a.subarray(0, size));
      const failure = eigenFailure(ex.symmetricEigen(ap, d, vp, sp), d);
      if (failure !== undefined) throw failure;
      return { values: f64(vp, d).slice(), vectors: f64(ap, size).slice() };
    },

    largestEigenvalue(a, d, operator, start, options) {
      const size = d * d;
      const kmax = Math.min(options.maxSteps, d);
      const ap = scratch('linalg', size * 8);
      const qp = scratch('lanczos-q', kmax * d * 8);
      const wp = scratch('lanczos-w', d * 8);
      const tp = scratch('lanczos-t', (kmax * kmax + (4 + abi.linalg.eigenScratchPerD) * kmax + 2) * 8);
      const op = scratch('lanczos-out', 4 * 8);
      f64(ap, size).set(a.subarray(0, size));
      f64(qp, d).set(start.subarray(0, d));
      if (ex.lanczos(ap, d, operator === 'inverse' ? 1 : 0, qp, wp, tp, kmax, options.minSteps, options.tol, op) !== 0) {
        throw new Error('lanczos: the QL iteration on T did not converge');
      }
      const [value, residual, steps, converged] = f64(op, 4);
      return { value, residual, steps, converged: converged === 1 };
    },
  };
}
