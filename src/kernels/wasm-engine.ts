// The kernel API on WebAssembly: arguments that are views of the instance's own memory (an
// F64Buffer's view, or a subarray of it) are used in place, by address; anything else is
// copied by the adapter (src/backend/wasm/adapter.ts, the one module that calls the kernels).
// Addresses are read before anything is allocated, because an allocation may grow memory,
// which detaches every view of it.
import type { CoordStats } from '../backend/contract.js';
import { blockRanges, rowsPerBlock } from '../backend/blocks.js';
import { wasmAdapter, type Place } from '../backend/wasm/adapter.js';
import type { KernelExports } from '../backend/wasm/instance.js';
import { makeHandle } from './buffer.js';
import type { Engine, Pinned } from './engine.js';

// api.ts checks every array's type before pinning it: x, out of the float kernels and
// sample are Float64Arrays, out of bits a BigUint64Array.
const f64At = (p: Pinned): Place => p as Place;
const u64At = (p: Pinned): Place<BigUint64Array> => p as Place<BigUint64Array>;

/** Calls fn on each block of rowsPerBlock(d) rows of x, in order. */
function blocks(x: Pinned, d: number, fn: (block: Place, rows: number) => void): void {
  for (const { first, rows } of blockRanges(x.length / d, rowsPerBlock(d))) {
    const length = rows * d;
    fn(
      x.kind === 'memory'
        ? { kind: 'memory', ptr: x.ptr + first * d * 8, length }
        : { kind: 'array', array: (x.array as Float64Array).subarray(first * d, first * d + length), length },
      rows,
    );
  }
}

export function createWasmEngine(ex: KernelExports): Engine {
  const a = wasmAdapter(ex);

  return {
    name: 'wasm',

    alloc(length) {
      const ptr = a.allocate(Math.max(8, length * 8));
      a.f64(ptr, length).fill(0);
      return makeHandle(
        length,
        () => a.f64(ptr, length),
        (v) => a.locate(v) !== 'memory',
        () => a.release(ptr),
      );
    },

    writeAt(ptr, values) {
      a.write(ptr, values);
    },

    pin(name, v) {
      const where = a.locate(v);
      if (where === 'memory') return { kind: 'memory', ptr: v.byteOffset, length: v.length };
      if (where === 'stale') {
        throw new TypeError(
          `${name} is a stale view of WebAssembly memory (detached when memory grew); read the F64Buffer's .view again, or pass the F64Buffer itself`,
        );
      }
      return { kind: 'array', array: v, length: v.length };
    },

    seed: (words, seed, stream) => a.startStream(words, seed, stream),
    jump: (words) => a.jump(words),
    normals: (words, out) => a.drawNormals(words, f64At(out)),
    truncNormals: (words, out, alpha) => a.drawTruncNormals(words, f64At(out), alpha),
    bits: (words, out) => a.drawBits(words, u64At(out)),

    sample(model, seed, firstRow, out) {
      a.generate(model, seed, firstRow, out.length / model.d, f64At(out));
    },

    pairCounts(x, d, thresholds) {
      const counts = new Float64Array(d * d);
      blocks(x, d, (block, rows) => {
        const c = a.countPairs(block, rows, d, thresholds);
        for (let i = 0; i < c.length; i++) counts[i] += c[i]; // integers: exact in any order
      });
      for (let i = 0; i < d; i++) for (let j = 0; j < i; j++) counts[i * d + j] = counts[j * d + i];
      return counts;
    },

    coordStats(x, d) {
      const total: CoordStats = { count: new Float64Array(d), sum: new Float64Array(d), sumSq: new Float64Array(d) };
      blocks(x, d, (block, rows) => {
        const p = a.sumCoordinates(block, rows, d);
        for (let i = 0; i < d; i++) {
          total.count[i] += p.count[i];
          total.sum[i] += p.sum[i];
          total.sumSq[i] += p.sumSq[i];
        }
      });
      return total;
    },

    momentBlocks(x, d, onBlock) {
      blocks(x, d, (block, rows) => onBlock(a.sumMoments(block, rows, d, 0, d), rows));
    },
  };
}
