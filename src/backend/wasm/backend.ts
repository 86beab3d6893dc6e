// The Backend of fit and sample (src/backend/contract.ts) on the WebAssembly kernels: blocks and
// outputs are plain arrays, copied in and out by the adapter, the one module that calls
// the kernels; every result is a fresh array.
import type { Backend, SgdRun } from '../contract.js';
import { wasmAdapter, type Place } from './adapter.js';
import { kernelExports, type KernelExports } from './instance.js';

/** The first rows x d values of a block (blocks may be longer: their buffers are reused). */
const rowsOf = (block: Float64Array, rows: number, d: number): Place => ({ kind: 'array', array: block, length: rows * d });

export function createWasmBackend(ex: KernelExports): Backend {
  const a = wasmAdapter(ex);
  const stream = (seed: number, s: number): Uint32Array => {
    const state = new Uint32Array(a.stateWords);
    a.startStream(state, seed, s);
    return state;
  };
  const out = <A extends Float64Array | BigUint64Array>(array: A): Place<A> => ({ kind: 'array', array, length: array.length });

  return {
    name: 'wasm',

    coordStats: (block, rows, d) => a.sumCoordinates(rowsOf(block, rows, d), rows, d),
    pairCounts: (block, rows, d, thresholds) => a.countPairs(rowsOf(block, rows, d), rows, d, thresholds),
    momentStats: (block, rows, d, lo = 0, hi = d) => a.sumMoments(rowsOf(block, rows, d), rows, d, lo, hi),

    sgd(d, setup, lo = 0, hi = d): SgdRun {
      const pass = a.startSgd(d, setup, lo, hi);
      return {
        push: (block, rows) => pass.push(rowsOf(block, rows, d), rows),
        finish: () => pass.finish(),
      };
    },

    sample(model, seed, firstRow, rows, into) {
      a.generate(model, seed, firstRow, rows, { kind: 'array', array: into, length: rows * model.d });
    },

    uniformBits(seed, s, count) {
      const bits = new BigUint64Array(count);
      a.drawBits(stream(seed, s), out(bits));
      return bits;
    },

    normals(seed, s, count) {
      const z = new Float64Array(count);
      a.drawNormals(stream(seed, s), out(z));
      return z;
    },

    truncNormals(seed, s, count, alpha) {
      const z = new Float64Array(count);
      a.drawTruncNormals(stream(seed, s), out(z), alpha);
      return z;
    },

    cholesky: (m, d) => a.factorCholesky(m, d),
    symmetricEigen: (m, d) => a.decomposeSymmetric(m, d),
    lanczos: (m, d, operator, start, options) => a.largestEigenvalue(m, d, operator, start, options),
  };
}

let defaultBackend: Backend | undefined;

/** The backend over the package's own cached instance. */
export function wasmBackend(): Backend {
  if (defaultBackend === undefined) defaultBackend = createWasmBackend(kernelExports());
  return defaultBackend;
}
