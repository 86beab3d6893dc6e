// The kernel API on WebAssembly: arguments that are views of the instance's own memory (an
// F64Buffer's view, or a subarray of it) are used in place, by address; anything else is
// copied through scratch, one block at a time. Addresses are read before anything is
// allocated, because an allocation may grow memory, which detaches every view of it.
import { rowsPerBlock, SAMPLE_STREAM_ROWS, type CoordStats } from '../backend.js';
import { Scratch } from '../wasm/backend.js';
import type { KernelExports } from '../wasm/instance.js';
import { makeHandle } from './buffer.js';
import type { Engine, Pinned, StateWords } from './engine.js';

const MOMENT_TILE = 64; // assembly/moments.ts TILE
const OUT_SCRATCH_DOUBLES = 1 << 20; // largest copy-out piece of sample
const DRAW_PIECE = 1 << 16; // largest copy-out piece of the generators

export function createWasmEngine(ex: KernelExports): Engine {
  const scratch = new Scratch(ex);
  /** Every memory.buffer a view was made of: a view of one that is no longer current is stale. */
  const seen = new WeakSet<ArrayBufferLike>();

  const buffer = (): ArrayBuffer => {
    const b = ex.memory.buffer;
    seen.add(b);
    return b;
  };
  const f64 = (ptr: number, len: number) => new Float64Array(buffer(), ptr, len);
  const u64 = (ptr: number, len: number) => new BigUint64Array(buffer(), ptr, len);

  function loadState(words: StateWords): number {
    const p = scratch.get('state', 16);
    const v = new DataView(buffer(), p, 16);
    for (let i = 0; i < 4; i++) v.setUint32(4 * i, words[i], true);
    return p;
  }

  function saveState(p: number, words: StateWords): void {
    const v = new DataView(buffer(), p, 16);
    for (let i = 0; i < 4; i++) words[i] = v.getUint32(4 * i, true);
  }

  /** Runs fill(statePtr, outPtr, count) over out: in place, or through scratch in pieces. */
  function draws(words: StateWords, out: Pinned, fill: (s: number, o: number, c: number) => void): void {
    const s = loadState(words);
    if (out.kind === 'memory') {
      fill(s, out.ptr, out.length);
    } else {
      const piece = Math.min(out.length, DRAW_PIECE);
      const q = scratch.get('draws', piece * 8);
      for (let off = 0; off < out.length; off += piece) {
        const m = Math.min(piece, out.length - off);
        fill(s, q, m);
        if (out.array instanceof BigUint64Array) out.array.set(u64(q, m), off);
        else out.array.set(f64(q, m), off);
      }
    }
    saveState(s, words);
  }

  /** Address of rows [r0, r0 + rows) of x: in place, or copied into scratch. */
  function rowsAt(x: Pinned, d: number, r0: number, rows: number, slot: string): number {
    if (x.kind === 'memory') return x.ptr + r0 * d * 8;
    const p = scratch.get(slot, rows * d * 8);
    f64(p, rows * d).set((x.array as Float64Array).subarray(r0 * d, (r0 + rows) * d));
    return p;
  }

  function blocks(x: Pinned, d: number, fn: (ptr: number, rows: number) => void): void {
    const n = x.length / d;
    const step = rowsPerBlock(d);
    for (let r = 0; r < n; r += step) {
      const rows = Math.min(step, n - r);
      fn(rowsAt(x, d, r, rows, 'x'), rows);
    }
  }

  return {
    name: 'wasm',

    alloc(length) {
      const ptr = ex.alloc(Math.max(8, length * 8));
      f64(ptr, length).fill(0);
      return makeHandle(length, () => f64(ptr, length), (v) => v.buffer !== ex.memory.buffer, () => ex.free(ptr));
    },

    writeAt(ptr, values) {
      f64(ptr, values.length).set(values);
    },

    pin(name, a) {
      if (a.buffer === ex.memory.buffer) return { kind: 'memory', ptr: a.byteOffset, length: a.length };
      if (seen.has(a.buffer)) {
        throw new TypeError(
          `${name} is a stale view of WebAssembly memory (detached when memory grew); read the F64Buffer's .view again, or pass the F64Buffer itself`,
        );
      }
      return { kind: 'array', array: a, length: a.length };
    },

    seed(words, seed, stream) {
      const p = scratch.get('state', 16);
      ex.seedState(p, seed);
      for (let c = 0; c <= stream; c++) ex.jumpState(p);
      saveState(p, words);
    },

    jump(words) {
      const p = loadState(words);
      ex.jumpState(p);
      saveState(p, words);
    },

    normals(words, out) {
      draws(words, out, ex.fillNormal);
    },

    truncNormals(words, out, alpha) {
      draws(words, out, (s, o, c) => ex.fillTruncNormal(s, o, c, alpha));
    },

    bits(words, out) {
      draws(words, out, ex.fillU64);
    },

    sample(model, seed, firstRow, out) {
      // as src/wasm/backend.ts sample, writing straight into out when it is in memory
      const { d, k } = model;
      const rows = out.length / d;
      const inPlace = out.kind === 'memory';
      const piece = inPlace ? SAMPLE_STREAM_ROWS : Math.max(1, Math.min(SAMPLE_STREAM_ROWS, Math.floor(OUT_SCRATCH_DOUBLES / d)));
      const base = scratch.get('state', 16);
      const cur = scratch.get('state2', 16);
      const wp = scratch.get('wt', k * d * 8);
      const bp = scratch.get('b', d * 8);
      const zp = scratch.get('z', 2 * k * 8);
      const op = inPlace ? 0 : scratch.get('out', piece * d * 8);
      f64(wp, k * d).set(model.wt);
      f64(bp, d).set(model.b);
      ex.seedState(base, seed);
      for (let c = 0; c <= firstRow / SAMPLE_STREAM_ROWS; c++) ex.jumpState(base);
      for (let r = 0; r < rows; ) {
        const streamRows = Math.min(SAMPLE_STREAM_ROWS, rows - r);
        u64(cur, 2).set(u64(base, 2)); // the stream starts at its base state
        for (let done = 0; done < streamRows; ) {
          const m = Math.min(piece, streamRows - done);
          if (out.kind === 'memory') {
            ex.sampleRows(cur, wp, bp, out.ptr + (r + done) * d * 8, m, d, k, zp);
          } else {
            ex.sampleRows(cur, wp, bp, op, m, d, k, zp);
            (out.array as Float64Array).set(f64(op, m * d), (r + done) * d);
          }
          done += m;
        }
        r += streamRows;
        if (r < rows) ex.jumpState(base);
      }
    },

    pairCounts(x, d, thresholds) {
      const rows = x.length / d;
      const words = Math.ceil(Math.min(rows, rowsPerBlock(d)) / 64);
      const tp = scratch.get('thresholds', d * 8);
      const cp = scratch.get('counts', d * d * 8);
      const bp = scratch.get('bits', Math.max(1, d * words) * 8);
      f64(tp, d).set(thresholds);
      f64(cp, d * d).fill(0);
      blocks(x, d, (ptr, m) => ex.pairCounts(ptr, m, d, tp, bp, cp)); // adds: integers, exact
      const counts = f64(cp, d * d).slice();
      for (let i = 0; i < d; i++) for (let j = 0; j < i; j++) counts[i * d + j] = counts[j * d + i];
      return counts;
    },

    coordStats(x, d) {
      const total: CoordStats = { count: new Float64Array(d), sum: new Float64Array(d), sumSq: new Float64Array(d) };
      const op = scratch.get('stats', 3 * d * 8);
      blocks(x, d, (ptr, rows) => {
        f64(op, 3 * d).fill(0);
        ex.coordStats(ptr, rows, d, op);
        const p = f64(op, 3 * d);
        for (let i = 0; i < d; i++) {
          total.count[i] += p[i];
          total.sum[i] += p[d + i];
          total.sumSq[i] += p[2 * d + i];
        }
      });
      return total;
    },

    momentBlocks(x, d, onBlock) {
      const rows = Math.min(x.length / d, rowsPerBlock(d));
      const words = Math.ceil(rows / 64);
      const op = scratch.get('moments', 4 * d * d * 8);
      const zp = scratch.get('zeros', d * 8);
      const bp = scratch.get('bits', Math.max(1, d * words) * 8);
      const lp = scratch.get('lists', d * 4 * (1 + MOMENT_TILE) + 16 + d * 8 * MOMENT_TILE);
      f64(zp, d).fill(0);
      blocks(x, d, (ptr, m) => {
        f64(op, 4 * d * d).fill(0);
        ex.momentStats(ptr, m, d, op, zp, bp, lp);
        onBlock(f64(op, 4 * d * d).slice(), m);
      });
    },
  };
}
