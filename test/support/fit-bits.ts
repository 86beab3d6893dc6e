// Bit-for-bit comparison of two fits (timings aside), for the engine's streaming and worker tests.
import { expect } from 'vitest';
import type { FitResult, RowSource } from '../../src/index.js';
import { firstBitDifference } from './helpers.js';

/** Every number of the two fits has the same bits (-0 and 0 differ); timings are ignored. */
export function expectSameFit(got: FitResult, want: FitResult): void {
  const arrays = (r: FitResult): Record<string, ArrayLike<number>> => ({
    b: r.b,
    sigma: r.sigma,
    norms: r.norms,
    W: r.model.W.data,
    modelB: r.model.b,
    positives: r.diagnostics.positives,
    seB: r.standardErrors?.b ?? [],
    seNorms: r.standardErrors?.norms ?? [],
    scalars: [r.n, r.d, r.diagnostics.minEigenvalue, r.diagnostics.eigenvalueFloor],
  });
  const a = arrays(got);
  const w = arrays(want);
  for (const key of Object.keys(w)) expect({ key, diff: firstBitDifference(a[key], w[key]) }).toEqual({ key, diff: null });
  expect([got.method, got.steps, got.warnings, got.standardErrors === null]).toEqual([want.method, want.steps, want.warnings, want.standardErrors === null]);
}

/** rows x d values as a source cut into chunks of `sizes` rows (cycled), each in one reused buffer. */
export function chunkedSource(data: Float64Array, d: number, sizes: number[], name = 'data.f64', n?: number): RowSource {
  const rows = data.length / d;
  return {
    d,
    name,
    n,
    async *rows() {
      const buf = new Float64Array(Math.max(...sizes) * d); // reused: a chunk is valid until the next
      for (let r = 0, k = 0; r < rows; k++) {
        const m = Math.min(sizes[k % sizes.length], rows - r);
        buf.set(data.subarray(r * d, (r + m) * d));
        yield buf.subarray(0, m * d);
        r += m;
      }
    },
  };
}
