// The kernel API over an engine (Wasm or TypeScript): every argument checked here, in
// TypeScript, before an engine sees it; each array argument pinned (a view of WebAssembly
// memory becomes its address) before anything may grow memory.
import { SAMPLE_STREAM_ROWS } from '../backend/contract.js';
import { packModel } from '../backend/contract.js';
import { DEFAULT_SEED } from '../types.js';
import { checkInteger, checkOptions, checkSeed } from '../input/scalars.js';
import { checkSampleCount, toModel } from '../input/arrays.js';
import { createAccumulator } from './accumulator.js';
import { MAX_BUFFER_LENGTH } from './buffer.js';
import { alphaArg, bitsArg, countArg, dimArg, f64Arg, lengthArg, MAX_STREAM, rowsOf, streamArgs, thresholdsArg } from './check.js';
import type { Engine, StateWords } from './engine.js';
import type { Kernels, RandomStream, SampleRowsOptions } from './types.js';

function randomStream(engine: Engine, words: StateWords): RandomStream {
  const s: RandomStream = {
    normals(count) {
      const out = new Float64Array(countArg('count', count));
      engine.normals(words, engine.pin('out', out));
      return out;
    },
    normalsInto(out) {
      engine.normals(words, engine.pin('out', f64Arg('out', out)));
    },
    truncNormals(count, alpha) {
      const n = countArg('count', count);
      const a = alphaArg('alpha', alpha);
      const out = new Float64Array(n);
      engine.truncNormals(words, engine.pin('out', out), a);
      return out;
    },
    truncNormalsInto(out, alpha) {
      const o = engine.pin('out', f64Arg('out', out));
      engine.truncNormals(words, o, alphaArg('alpha', alpha));
    },
    uniformBits(count) {
      const out = new BigUint64Array(countArg('count', count));
      engine.bits(words, engine.pin('out', out));
      return out;
    },
    uniformBitsInto(out) {
      engine.bits(words, engine.pin('out', bitsArg('out', out)));
    },
    jump() {
      engine.jump(words);
    },
    clone() {
      return randomStream(engine, words.slice());
    },
  };
  return s;
}

function sampleStart(options: SampleRowsOptions | undefined): { seed: number; firstRow: number } {
  const o = checkOptions('options', options);
  const seed = o.seed === undefined ? DEFAULT_SEED : checkSeed('options.seed', o.seed);
  const firstRow = o.firstRow === undefined ? 0 : checkInteger('options.firstRow', o.firstRow, 0, MAX_STREAM * SAMPLE_STREAM_ROWS);
  if (firstRow % SAMPLE_STREAM_ROWS !== 0) {
    throw new RangeError(`options.firstRow must be a multiple of STREAM_ROWS = ${SAMPLE_STREAM_ROWS}, got ${firstRow}`);
  }
  return { seed, firstRow };
}

/** The public kernel object over an engine. */
export function createKernels(engine: Engine): Kernels {
  const start = (options: unknown): StateWords => {
    const { seed, stream } = streamArgs('options', options);
    const words = new Uint32Array(4);
    engine.seed(words, seed, stream);
    return words;
  };

  const k: Kernels = {
    backend: engine.name,

    alloc(length) {
      return engine.alloc(checkInteger('length', length, 0, MAX_BUFFER_LENGTH));
    },

    normals(count, options) {
      const n = countArg('count', count);
      return randomStream(engine, start(options)).normals(n);
    },
    normalsInto(out, options) {
      const o = engine.pin('out', f64Arg('out', out));
      engine.normals(start(options), o);
    },
    truncNormals(count, alpha, options) {
      const n = countArg('count', count);
      const a = alphaArg('alpha', alpha);
      return randomStream(engine, start(options)).truncNormals(n, a);
    },
    truncNormalsInto(out, alpha, options) {
      const o = engine.pin('out', f64Arg('out', out));
      const a = alphaArg('alpha', alpha);
      engine.truncNormals(start(options), o, a);
    },
    uniformBits(count, options) {
      const n = countArg('count', count);
      return randomStream(engine, start(options)).uniformBits(n);
    },
    uniformBitsInto(out, options) {
      const o = engine.pin('out', bitsArg('out', out));
      engine.bits(start(options), o);
    },
    stream(options) {
      return randomStream(engine, start(options));
    },

    sample(model, rows, options) {
      const m = toModel('model', model);
      const n = checkSampleCount('rows', rows, m.d);
      const { seed, firstRow } = sampleStart(options);
      const out = new Float64Array(n * m.d);
      if (n > 0) engine.sample(packModel(m), seed, firstRow, engine.pin('out', out));
      return out;
    },
    sampleInto(out, model, options) {
      const o = f64Arg('out', out);
      const pinned = engine.pin('out', o);
      const m = toModel('model', model);
      rowsOf('out', o, m.d);
      const { seed, firstRow } = sampleStart(options);
      if (o.length > 0) engine.sample(packModel(m), seed, firstRow, pinned);
    },

    pairCounts(x, d, thresholds) {
      const a = f64Arg('x', x);
      const pinned = engine.pin('x', a);
      const dd = dimArg('d', d);
      rowsOf('x', a, dd);
      return engine.pairCounts(pinned, dd, thresholdsArg('thresholds', thresholds, dd));
    },
    pairCountsInto(out, x, d, thresholds) {
      const o = f64Arg('out', out);
      const a = f64Arg('x', x);
      const po = engine.pin('out', o);
      const pinned = engine.pin('x', a);
      const dd = dimArg('d', d);
      lengthArg('out', o, dd * dd, 'd * d');
      rowsOf('x', a, dd);
      const counts = engine.pairCounts(pinned, dd, thresholdsArg('thresholds', thresholds, dd));
      write(po, counts);
    },

    coordinateSums(x, d) {
      const a = f64Arg('x', x);
      const pinned = engine.pin('x', a);
      const dd = dimArg('d', d);
      rowsOf('x', a, dd);
      return engine.coordStats(pinned, dd);
    },
    coordinateSumsInto(out, x, d) {
      const o = f64Arg('out', out);
      const a = f64Arg('x', x);
      const po = engine.pin('out', o);
      const pinned = engine.pin('x', a);
      const dd = dimArg('d', d);
      lengthArg('out', o, 3 * dd, '3 d');
      rowsOf('x', a, dd);
      const s = engine.coordStats(pinned, dd);
      const all = new Float64Array(3 * dd);
      all.set(s.count, 0);
      all.set(s.sum, dd);
      all.set(s.sumSq, 2 * dd);
      write(po, all);
    },

    accumulator(init) {
      return createAccumulator(engine, init);
    },
  };

  /** Copies a small result into a pinned output (by address when it is in Wasm memory). */
  function write(out: ReturnType<Engine['pin']>, values: Float64Array): void {
    if (out.kind === 'array') (out.array as Float64Array).set(values);
    else engine.writeAt(out.ptr, values);
  }

  return k;
}
