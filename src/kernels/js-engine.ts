// The kernel API on the TypeScript kernels of src/backend/js/: buffers are ordinary Float64Arrays.
import type { CoordStats } from '../backend/contract.js';
import { blocksOf } from '../backend/blocks.js';
import { jsBackend } from '../backend/js/backend.js';
import { pairCountsTwin } from '../backend/js/counts.js';
import { momentStatsTwin } from '../backend/js/moments.js';
import { normal } from '../backend/js/ziggurat.js';
import { streamStart, Xoroshiro128Plus } from '../backend/js/rng.js';
import { coordStatsTwin } from '../backend/js/coord-stats.js';
import { truncNormal } from '../backend/js/truncnorm.js';
import { makeHandle } from './buffer.js';
import type { Engine, Pinned, StateWords } from './engine.js';

const LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

function array<T extends Float64Array | BigUint64Array>(p: Pinned): T {
  if (p.kind !== 'array') throw new Error('internal: the TypeScript engine has no memory');
  return p.array as T;
}

/** Calls fn on each block of rowsPerBlock(d) rows, in order. */
function forBlocks(x: Float64Array, d: number, fn: (block: Float64Array, rows: number) => void): void {
  for (const b of blocksOf({ data: x, n: x.length / d, d })) fn(b.data, b.rows);
}

export const jsEngine: Engine = {
  name: 'js',

  alloc(length) {
    const view = new Float64Array(length);
    return makeHandle(
      length,
      () => view,
      () => false,
      () => undefined,
    );
  },

  writeAt() {
    throw new Error('internal: the TypeScript engine has no memory');
  },

  pin(_name, a) {
    return { kind: 'array', array: a, length: a.length };
  },

  seed(state, seed, stream) {
    new Xoroshiro128Plus(streamStart(seed, stream)).toWords(state);
  },

  jump(state) {
    const g = Xoroshiro128Plus.fromWords(state).toBig();
    g.jump();
    new Xoroshiro128Plus(g).toWords(state);
  },

  normals(state, out) {
    const a = array<Float64Array>(out);
    const g = Xoroshiro128Plus.fromWords(state);
    for (let i = 0; i < a.length; i++) a[i] = normal(g);
    g.toWords(state);
  },

  truncNormals(state, out, alpha) {
    const a = array<Float64Array>(out);
    const g = Xoroshiro128Plus.fromWords(state);
    for (let i = 0; i < a.length; i++) a[i] = truncNormal(g, alpha);
    g.toWords(state);
  },

  bits(state: StateWords, out) {
    const a = array<BigUint64Array>(out);
    const g = Xoroshiro128Plus.fromWords(state);
    if (LITTLE_ENDIAN) {
      // each u64 as its two u32 halves, low first: no BigInt per draw
      const w = new Uint32Array(a.buffer, a.byteOffset, 2 * a.length);
      for (let i = 0; i < a.length; i++) {
        g.step();
        w[2 * i] = g.outLo;
        w[2 * i + 1] = g.outHi;
      }
    } else {
      for (let i = 0; i < a.length; i++) a[i] = g.next();
    }
    g.toWords(state);
  },

  sample(model, seed, firstRow, out) {
    const a = array<Float64Array>(out);
    jsBackend.sample(model, seed, firstRow, a.length / model.d, a);
  },

  pairCounts(x, d, thresholds) {
    const a = array<Float64Array>(x);
    const counts = pairCountsTwin(a, a.length / d, d, thresholds);
    for (let i = 0; i < d; i++) for (let j = 0; j < i; j++) counts[i * d + j] = counts[j * d + i];
    return counts;
  },

  coordStats(x, d) {
    const total: CoordStats = { count: new Float64Array(d), sum: new Float64Array(d), sumSq: new Float64Array(d) };
    forBlocks(array<Float64Array>(x), d, (block, rows) => {
      const p = coordStatsTwin(block, rows, d);
      for (let i = 0; i < d; i++) {
        total.count[i] += p.count[i];
        total.sum[i] += p.sum[i];
        total.sumSq[i] += p.sumSq[i];
      }
    });
    return total;
  },

  momentBlocks(x, d, onBlock) {
    forBlocks(array<Float64Array>(x), d, (block, rows) => onBlock(momentStatsTwin(block, rows, d), rows));
  },
};
